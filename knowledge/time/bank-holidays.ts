import Holidays from 'date-holidays';
import { type IsoDate, isWeekend, toDayNumber } from './calendar-date.js';

/** The years the table covers. Outside them the bot refuses rather than guess. */
export const FIRST_SUPPORTED_YEAR = 2020;
export const LAST_SUPPORTED_YEAR = 2035;

export const OUT_OF_RANGE_MESSAGE = `I can only count working days for ${FIRST_SUPPORTED_YEAR} to ${LAST_SUPPORTED_YEAR}.`;
/** When the date given is in range but the count runs past it (a late-December 2035 deferral). */
export const RESULT_OUT_OF_RANGE_MESSAGE = `The answer falls outside ${FIRST_SUPPORTED_YEAR} to ${LAST_SUPPORTED_YEAR}, the years I know the bank holidays for, so I cannot count it.`;

export interface BankHoliday {
  date: IsoDate;
  /** date-holidays' English name, e.g. `Boxing Day (substitute day)`. */
  name: string;
}

function buildTable(): ReadonlyMap<IsoDate, string> {
  const source = new Holidays('GB', 'ENG');
  const table = new Map<IsoDate, string>();
  for (let year = FIRST_SUPPORTED_YEAR; year <= LAST_SUPPORTED_YEAR; year++) {
    for (const h of source.getHolidays(year)) {
      // The package lists both the real day and its substitute when Christmas, Boxing Day or New
      // Year's Day falls at a weekend; the weekend day is not a working day anyway.
      const date = h.date.slice(0, 10);
      if (h.type !== 'public' || isWeekend(date)) continue;
      table.set(date, h.name);
    }
  }
  return table;
}

// Computed once at load so every later call is a pure lookup.
const TABLE = buildTable();

/** Every England and Wales bank holiday falling on a weekday, 2020 to 2035, in date order. */
export const BANK_HOLIDAYS: readonly BankHoliday[] = Object.freeze(
  [...TABLE.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, name]) => Object.freeze({ date, name })),
);

/** The same table by day number (calendar-date's toDayNumber), for counting without strings. */
const BY_DAY_NUMBER: ReadonlyMap<number, string> = new Map(
  [...TABLE.entries()].map(([date, name]) => [toDayNumber(date), name]),
);

/** The first and last day numbers the table covers (1 January of the first year, 31 December of the last). */
export const FIRST_SUPPORTED_DAY = toDayNumber(`${FIRST_SUPPORTED_YEAR}-01-01`);
export const LAST_SUPPORTED_DAY = toDayNumber(`${LAST_SUPPORTED_YEAR}-12-31`);

/** bankHolidayName for a day number. */
export function bankHolidayOnDay(day: number): string | undefined {
  return BY_DAY_NUMBER.get(day);
}

export function isSupportedYear(year: number): boolean {
  return Number.isInteger(year) && year >= FIRST_SUPPORTED_YEAR && year <= LAST_SUPPORTED_YEAR;
}

export function isSupportedDate(date: IsoDate): boolean {
  return isSupportedYear(Number(date.slice(0, 4)));
}

/** The holiday's name, or undefined when `date` is not a weekday bank holiday. */
export function bankHolidayName(date: IsoDate): string | undefined {
  return TABLE.get(date);
}

export function bankHolidaysInYear(year: number): readonly BankHoliday[] {
  const prefix = `${String(year).padStart(4, '0')}-`;
  return BANK_HOLIDAYS.filter((h) => h.date.startsWith(prefix));
}
