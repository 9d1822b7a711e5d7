import { formatLongDate, type IsoDate, parseIsoDate, toIsoDate } from './calendar-date.js';

export const LONDON_TIME_ZONE = 'Europe/London';

/** A wall-clock time in London, 24-hour. */
export interface LocalTime {
  hour: number;
  minute: number;
}

export interface LondonDateTime {
  date: IsoDate;
  time: LocalTime;
}

// One formatter for the process: building Intl formatters is slow, and this one has no state.
const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function formattedFields(instant: Date): Fields {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of LONDON_PARTS.formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
}

const HOUR_MS = 3_600_000;
const OFFSET_MEMO_SIZE = 512;
/**
 * London's offset from UTC, in ms, for each UTC hour asked about: formatToParts was the largest of
 * our own costs in a turn (bench/README.md), and the offset changes only on the hour (01:00 UTC on
 * the changeover days). A hour whose first and last second disagree (a change inside the hour, as
 * in 1847) is not memoised. A pure function's memo, bounded, so it needs no owner.
 */
const offsetByHour = new Map<number, number | null>();

function hourOffsetMs(hour: number): number | null {
  let offset = offsetByHour.get(hour);
  if (offset !== undefined) return offset;
  const offsetAt = (ms: number) => {
    const f = formattedFields(new Date(ms));
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - ms;
  };
  const start = hour * HOUR_MS;
  const first = offsetAt(start);
  offset = first === offsetAt(start + HOUR_MS - 1000) ? first : null;
  if (offsetByHour.size >= OFFSET_MEMO_SIZE) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

function londonFields(instant: Date): Fields {
  const ms = instant.getTime();
  const offset = hourOffsetMs(Math.floor(ms / HOUR_MS));
  if (offset === null) return formattedFields(instant);
  // The wall clock is the UTC reading of the instant moved by the offset (to the whole second, as formatted).
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** The London calendar date and wall-clock time of an instant (BST or GMT as in force then). */
export function toLondon(instant: Date): LondonDateTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid Date');
  const f = londonFields(instant);
  return { date: toIsoDate(f.year, f.month, f.day), time: { hour: f.hour, minute: f.minute } };
}

export function londonDate(instant: Date): IsoDate {
  return toLondon(instant).date;
}

/** Minutes London is ahead of UTC at an instant: 0 in GMT, 60 in BST. */
export function londonOffsetMinutes(instant: Date): number {
  const f = londonFields(instant);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

/**
 * The instant a London wall clock shows `time` on `date`.
 * On the spring-forward night a time that never happens (01:30 on 29 March 2026) is read as the
 * same number of minutes after the jump (02:30 BST); on the autumn night the repeated hour is
 * read as its first occurrence (BST), the earlier and so safer reading for a deadline.
 */
export function fromLondon(date: IsoDate, time: LocalTime = { hour: 0, minute: 0 }): Date {
  const { year, month, day } = parseIsoDate(date);
  if (!isValidTime(time)) throw new RangeError(`Not a time: ${time.hour}:${time.minute}`);
  const wall = Date.UTC(year, month - 1, day, time.hour, time.minute);
  // Try the BST reading first so an ambiguous autumn time resolves to the earlier instant.
  for (const offset of [60, 0]) {
    const candidate = new Date(wall - offset * 60_000);
    if (londonOffsetMinutes(candidate) === offset) {
      const back = toLondon(candidate);
      if (back.date === date && back.time.hour === time.hour && back.time.minute === time.minute) return candidate;
    }
  }
  // The wall time falls in the spring gap: GMT reading lands in BST, one hour later on the clock.
  return new Date(wall);
}

export function isValidTime(time: LocalTime): boolean {
  return (
    Number.isInteger(time.hour) &&
    Number.isInteger(time.minute) &&
    time.hour >= 0 &&
    time.hour <= 23 &&
    time.minute >= 0 &&
    time.minute <= 59
  );
}

/** `16:00`. */
export function formatTime(time: LocalTime): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** An instant as London reads it: "Monday 9 November 2026 at 10:00". */
export function formatLondon(instant: Date): string {
  const { date, time } = toLondon(instant);
  return `${formatLongDate(date)} at ${formatTime(time)}`;
}

export function compareTimes(a: LocalTime, b: LocalTime): number {
  return a.hour * 60 + a.minute - (b.hour * 60 + b.minute);
}
