/**
 * Plain calendar dates as `YYYY-MM-DD` strings. Arithmetic runs on UTC midnights so that
 * daylight-saving changes can never shift a date: a calendar date has no time zone.
 */

/** A calendar date written `YYYY-MM-DD` (for example `2026-04-29`). */
export type IsoDate = string;

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  // From the table for the dates people write (every date check calls this, several a turn); a
  // Date only for anything else (month 0 or 13 roll over, as Date.UTC rolls them).
  if (Number.isInteger(year) && year >= 1 && Number.isInteger(month) && month >= 1 && month <= 12) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 31);
  }
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidDateParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export function toIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The number written by `count` ASCII digits from `from`, or -1 when one of them is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Splits a `YYYY-MM-DD` string; throws RangeError on anything else, including 2026-02-31. */
export function parseIsoDate(date: IsoDate): DateParts {
  // By hand rather than with ISO_DATE: the working-day counts read dozens of dates a turn, and a
  // match array each was garbage. Same rule: exactly four, two and two ASCII digits.
  const shaped = typeof date === 'string' && date.length === 10 && date[4] === '-' && date[7] === '-';
  const year = shaped ? digitsAt(date, 0, 4) : -1;
  const month = shaped ? digitsAt(date, 5, 2) : -1;
  const day = shaped ? digitsAt(date, 8, 2) : -1;
  if (year < 0 || month < 0 || day < 0) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  if (!isValidDateParts(year, month, day)) throw new RangeError(`Not a real date: ${date}`);
  return { year, month, day };
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, by arithmetic (H. Hinnant's days_from_civil)
 * rather than through a Date.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The day numbers of 0001-01-01 and 9999-12-31, the dates a `YYYY-MM-DD` string can hold. */
const FIRST_WRITABLE_DAY = -719162;
const LAST_WRITABLE_DAY = 2932896;

/** The inverse of daysFromCivil (H. Hinnant's civil_from_days), written `YYYY-MM-DD`. */
function civilFromDays(dayNumber: number): IsoDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return toIsoDate(year, month, day);
}

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && isValidDateParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

function toUtcMs(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMs(ms: number): IsoDate {
  const d = new Date(ms);
  return toIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Days since 1970-01-01 (a Thursday): whole-day arithmetic without a string per step. */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  // Date.UTC reads years 0-99 as 1900-1999: those keep its reading.
  return year >= 100 ? daysFromCivil(year, month, day) : Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function fromDayNumber(day: number): IsoDate {
  // No Date for the days a date string can hold (a routine deferral formats every weekend it passes).
  if (Number.isInteger(day) && day >= FIRST_WRITABLE_DAY && day <= LAST_WRITABLE_DAY) return civilFromDays(day);
  return fromUtcMs(day * DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday, of a day number. */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: IsoDate): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

export function isWeekend(date: IsoDate): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

export function yearOf(date: IsoDate): number {
  return parseIsoDate(date).year;
}

/** `Wednesday 29 April 2026`, the form the bot uses for every answer. */
export function formatLongDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  // The weekday from the parts already read (weekdayOf would parse the string again).
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${WEEKDAY_NAMES[weekday]} ${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** `29 April 2026`. */
export function formatShortDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}
