import {
  bankHolidayName,
  bankHolidayOnDay,
  FIRST_SUPPORTED_DAY,
  isSupportedDate,
  LAST_SUPPORTED_DAY,
  OUT_OF_RANGE_MESSAGE,
  RESULT_OUT_OF_RANGE_MESSAGE,
} from './bank-holidays.js';
import {
  addCalendarDays,
  formatShortDate,
  fromDayNumber,
  type IsoDate,
  isIsoDate,
  isWeekend,
  toDayNumber,
  weekdayOfDayNumber,
} from './calendar-date.js';

/** Why a date is not a working day. */
export type NonWorkingDay =
  | { date: IsoDate; reason: 'weekend' }
  | { date: IsoDate; reason: 'bank holiday'; name: string };

export type WorkingDaysResult =
  | {
      ok: true;
      date: IsoDate;
      /** Non-working days passed over between the start (exclusive) and the result (exclusive). */
      skipped: NonWorkingDay[];
    }
  | { ok: false; error: string };

export type CountResult = { ok: true; count: number } | { ok: false; error: string };

function assertSupported(date: IsoDate): void {
  if (!isIsoDate(date)) throw new RangeError(`Not a real YYYY-MM-DD date: ${date}`);
  if (!isSupportedDate(date)) throw new RangeError(OUT_OF_RANGE_MESSAGE);
}

/**
 * Why `date` is not a working day, or null when it is one.
 * Throws RangeError outside the supported years: callers wanting a message use addWorkingDays.
 */
export function nonWorkingReason(date: IsoDate): NonWorkingDay | null {
  assertSupported(date);
  if (isWeekend(date)) return { date, reason: 'weekend' };
  const name = bankHolidayName(date);
  return name === undefined ? null : { date, reason: 'bank holiday', name };
}

/** Monday to Friday and not an England and Wales bank holiday. Throws outside 2020-2035. */
export function isWorkingDay(date: IsoDate): boolean {
  return nonWorkingReason(date) === null;
}

/**
 * The `days`th working day strictly after `start`, so a start on a weekend or bank holiday
 * counts from the next working day. `days` = 0 gives `start` itself.
 *
 * @example addWorkingDays('2026-04-03', 2) // { ok: true, date: '2026-04-08', ... } (Good Friday + 2)
 */
export function addWorkingDays(start: IsoDate, days: number): WorkingDaysResult {
  return stepWorkingDays(start, days, 1);
}

/** The `days`th working day strictly before `start`: the mirror of addWorkingDays. */
export function subtractWorkingDays(start: IsoDate, days: number): WorkingDaysResult {
  return stepWorkingDays(start, days, -1);
}

function stepWorkingDays(start: IsoDate, days: number, direction: 1 | -1): WorkingDaysResult {
  if (!isIsoDate(start)) return { ok: false, error: `${start} is not a real date.` };
  if (!Number.isInteger(days) || days < 0) return { ok: false, error: 'The number of working days must be 0 or more.' };
  if (!isSupportedDate(start)) return { ok: false, error: OUT_OF_RANGE_MESSAGE };
  const skipped: NonWorkingDay[] = [];
  // Day numbers, not strings: a routine deferral steps over 56 calendar days, several times a turn,
  // and parsing and formatting a date string at each step was most of the deadline reader's time.
  let day = toDayNumber(start);
  let counted = 0;
  while (counted < days) {
    day += direction;
    if (day < FIRST_SUPPORTED_DAY || day > LAST_SUPPORTED_DAY) return { ok: false, error: RESULT_OUT_OF_RANGE_MESSAGE };
    const weekday = weekdayOfDayNumber(day);
    if (weekday === 0 || weekday === 6) {
      skipped.push({ date: fromDayNumber(day), reason: 'weekend' });
      continue;
    }
    const name = bankHolidayOnDay(day);
    if (name === undefined) counted++;
    else skipped.push({ date: fromDayNumber(day), reason: 'bank holiday', name });
  }
  return { ok: true, date: fromDayNumber(day), skipped };
}

/** Working days in the half-open range (from, to]: the inverse of addWorkingDays. 0 when `to` <= `from`. */
export function countWorkingDays(from: IsoDate, to: IsoDate): CountResult {
  if (!isIsoDate(from) || !isIsoDate(to)) return { ok: false, error: 'Both dates must be real YYYY-MM-DD dates.' };
  if (!isSupportedDate(from) || !isSupportedDate(to)) return { ok: false, error: OUT_OF_RANGE_MESSAGE };
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (isWorkingDay(d)) count++;
  }
  return { ok: true, count };
}

/** `date` itself when it is a working day, otherwise the next one. Throws outside 2020-2035. */
export function nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
  let d = date;
  while (!isWorkingDay(d)) d = addCalendarDays(d, 1);
  return d;
}

/**
 * Plain words for skipped days: bank holidays by name, weekends as a count.
 * @example "3 April 2026 (Good Friday), 6 April 2026 (Easter Monday) and 8 weekends"
 */
export function describeSkipped(skipped: readonly NonWorkingDay[]): string {
  // One pass (every dated deadline answer says this): the holidays by name, the weekends counted.
  const parts: string[] = [];
  for (const d of skipped) if (d.reason === 'bank holiday') parts.push(`${formatShortDate(d.date)} (${d.name})`);
  const weekends = countWeekends(skipped);
  if (weekends > 0) parts.push(weekends === 1 ? '1 weekend' : `${weekends} weekends`);
  if (parts.length === 0) return 'none';
  if (parts.length === 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Distinct weekends touched: a Saturday and the Sunday after it are one weekend. */
export function countWeekends(skipped: readonly NonWorkingDay[]): number {
  // Day numbers: one parse per day instead of three (weekday, then the day before as a string).
  const saturdays = new Set<number>();
  for (const d of skipped) {
    if (d.reason !== 'weekend') continue;
    const day = toDayNumber(d.date);
    saturdays.add(weekdayOfDayNumber(day) === 6 ? day : day - 1);
  }
  return saturdays.size;
}
