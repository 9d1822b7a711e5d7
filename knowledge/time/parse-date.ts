/**
 * Reads dates, times and durations as staff type them, always day first (UK).
 * Pure: every relative word ("yesterday", "last Friday", "3 days ago") is read against the
 * `now` passed in, in Europe/London.
 *
 * Year rule for a date written without a year ("19th December", "19/12"): the latest of last
 * year, this year and next year that is no more than 183 days after today. So in February 2026
 * "19th December" is 19 December 2025, and "3 March" is 3 March 2026. When a weekday is written too
 * ("Friday 6 November"), the nearest of those three years where the weekday fits wins instead.
 *
 * Weekday rule: "last Friday" is the most recent Friday before today; "Friday" or "on Friday" is
 * the most recent Friday, today included; "next Friday" is the first Friday after today; "this
 * Friday" is the Friday of the current Monday-to-Sunday week.
 */

import {
  addCalendarDays,
  daysBetween,
  daysInMonth,
  type IsoDate,
  isValidDateParts,
  MONTH_NAMES,
  toIsoDate,
  WEEKDAY_NAMES,
  weekdayOf,
} from './calendar-date.js';
import { compareTimes, type LocalTime, toLondon } from './london-time.js';
import { subtractWorkingDays } from './working-days.js';

export interface DateMention {
  kind: 'date';
  /** The words read, including an attached time ("Friday 6 November 2026 at 4pm"). */
  text: string;
  index: number;
  end: number;
  date: IsoDate;
  /** London wall-clock time, when one was written next to the date (or alone). */
  time?: LocalTime;
  /** `now` when the words say this is the current time ("it is now Monday 9am"). */
  role: 'now' | 'event';
  /** True when no year was written and the year rule above chose it. */
  yearInferred: boolean;
  /** True when worked out from `now` (today, last Friday, 3 days ago, a time alone). */
  relative: boolean;
  /** Set when the written weekday does not match the date ("Monday 19 December 2025"). */
  weekdayMismatch?: { written: string; actual: string };
}

export interface InvalidDateMention {
  kind: 'invalid';
  text: string;
  index: number;
  end: number;
  message: string;
}

export type DurationMention =
  | { kind: 'elapsed'; hours: number; atLeast: boolean; text: string; index: number; end: number }
  | { kind: 'working-days-elapsed'; days: number; atLeast: boolean; text: string; index: number; end: number };

export interface ParsedDateText {
  /** Dates and unreadable dates, in text order. */
  mentions: (DateMention | InvalidDateMention)[];
  dates: DateMention[];
  invalid: InvalidDateMention[];
  durations: DurationMention[];
  /** The first date the words mark as the current time, if any. */
  now?: DateMention;
}

const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)';
const WEEKDAY_ANY =
  '(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs|thur|mon|tue|wed|thu|fri|sat|sun)';
/** A day named on its own: full names, and the short forms that are not also ordinary words ("sat", "sun"). */
const WEEKDAY_FULL =
  '(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs|thur|mon|tue|wed|thu|fri)';
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  'twenty-four': 24,
  'twenty four': 24,
  thirty: 30,
  'thirty-six': 36,
  'forty-eight': 48,
  'forty eight': 48,
  'a couple of': 2,
  'couple of': 2,
  'half an': 0.5,
  'half a': 0.5,
};
const NUM =
  '(\\d+(?:\\.\\d+)?|a couple of|couple of|half an|half a|twenty[- ]four|forty[- ]eight|thirty-six|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)';
// A number followed by one of these is a time or a count, not a two-digit year.
const NOT_A_YEAR =
  '(?![\\d:.]|\\s*(?:am\\b|pm\\b|a\\.m|p\\.m|h\\b|hrs?\\b|hours?|mins?\\b|minutes?|working|days?\\b|weeks?\\b))';

const SIX_MONTHS_DAYS = 183;

type Built =
  | { ok: true; date: IsoDate; yearInferred: boolean; relative: boolean; weekdayWritten?: string }
  | { ok: false; message: string }
  | null;

interface Candidate {
  index: number;
  end: number;
  text: string;
  built: Exclude<Built, null>;
}

interface Context {
  today: IsoDate;
  nowTime: LocalTime;
  /** The words speak of something still to come ("a planned outage on Saturday"): a day named alone is the next one. */
  ahead?: boolean;
}

/** "planned", "will be down", "if e-RS goes down": what follows is still to come. */
const AHEAD_CUE =
  /\b(?:planned|scheduled|upcoming|will (?:be|go)|going to (?:be|go)|is due|due to (?:be|go)|goes down|go down|what if|if (?:e-?rs|it|the system) (?:goes|is|were|was) (?:down|off|out))\b/i;

function monthNumber(word: string): number {
  const key = word.slice(0, 3).toLowerCase();
  return MONTH_NAMES.findIndex((m) => m.slice(0, 3).toLowerCase() === key) + 1;
}

function weekdayNumber(word: string): number {
  const key = word.slice(0, 3).toLowerCase();
  return WEEKDAY_NAMES.findIndex((w) => w.slice(0, 3).toLowerCase() === key);
}

function numberValue(word: string): number {
  const lower = word.toLowerCase().replace(/\s+/g, ' ');
  return NUMBER_WORDS[lower] ?? Number(lower);
}

function inferYear(month: number, day: number, ctx: Context): number | null {
  const thisYear = Number(ctx.today.slice(0, 4));
  const latestAllowed = addCalendarDays(ctx.today, SIX_MONTHS_DAYS);
  for (const year of [thisYear + 1, thisYear, thisYear - 1]) {
    if (isValidDateParts(year, month, day) && toIsoDate(year, month, day) <= latestAllowed) return year;
  }
  return null;
}

// "Friday 6 November" with no year: the nearest of last, this and next year where it is a Friday.
function yearMatchingWeekday(month: number, day: number, weekdayWritten: string, ctx: Context): number | null {
  const thisYear = Number(ctx.today.slice(0, 4));
  const target = weekdayNumber(weekdayWritten);
  const matches = [thisYear - 1, thisYear, thisYear + 1]
    .filter((y) => isValidDateParts(y, month, day) && weekdayOf(toIsoDate(y, month, day)) === target)
    .sort(
      (a, b) =>
        Math.abs(daysBetween(ctx.today, toIsoDate(a, month, day))) -
        Math.abs(daysBetween(ctx.today, toIsoDate(b, month, day))),
    );
  return matches[0] ?? null;
}

function describeDayMonth(day: number, month: number, year?: number): string {
  const monthName = MONTH_NAMES[month - 1];
  if (monthName === undefined) return `${day}/${month}${year === undefined ? '' : `/${year}`}`;
  return `${day} ${monthName}${year === undefined ? '' : ` ${year}`}`;
}

function buildDate(day: number, month: number, year: number | undefined, ctx: Context, weekdayWritten?: string): Built {
  if (month < 1 || month > 12) {
    return {
      ok: false,
      message: `There is no month ${month}. I read dates day first, as DD/MM/YYYY.`,
    };
  }
  if (year === undefined) {
    const inferred =
      (weekdayWritten === undefined ? null : yearMatchingWeekday(month, day, weekdayWritten, ctx)) ??
      inferYear(month, day, ctx);
    if (inferred === null) return { ok: false, message: `${describeDayMonth(day, month)} is not a real date.` };
    return { ok: true, date: toIsoDate(inferred, month, day), yearInferred: true, relative: false, weekdayWritten };
  }
  if (!isValidDateParts(year, month, day)) {
    return { ok: false, message: `${describeDayMonth(day, month, year)} is not a real date.` };
  }
  return { ok: true, date: toIsoDate(year, month, day), yearInferred: false, relative: false, weekdayWritten };
}

function fullYear(written: string | undefined): number | undefined {
  if (written === undefined) return undefined;
  const digits = written.replace("'", '');
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

function relativeDate(date: IsoDate): Built {
  return { ok: true, date, yearInferred: false, relative: true };
}

interface DatePattern {
  re: RegExp;
  /**
   * What the pattern cannot match without (a word it needs, a digit): tested first, as one cheap
   * scan, so a message without it is spared the pattern's slower one. Must hold for every match
   * (test/knowledge/time/pattern-needs.test.ts compares the readings with and without them).
   */
  needs?: (text: string, digit: boolean) => boolean;
  build(m: RegExpMatchArray, ctx: Context): Built;
}

// What the patterns below need (see DatePattern.needs): each a plain scan for words or characters.
const MONTH_STEM = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;
const NEEDS_ISO = /\d-\d/;
const NEEDS_NUMERIC_DATE = /\d[/.-]\d/;
const NEEDS_NAMED_DAY = /christmas|xmas|boxing|new year|nye/i;
const NEEDS_ORDINAL = /\d(?:st|nd|rd|th)/i;
const NEEDS_RELATIVE_DAY = /today|yesterday|tomorrow|this (?:morning|afternoon|evening)|tonight|last night/i;
const NEEDS_WEEKDAY = /mon|tue|wed|thu|fri|saturday|sunday/i;
const NEEDS_AGO = /ago/i;
const NEEDS_AM_PM = /\d\s*[ap]\.?m/i;
const NEEDS_COLON_TIME = /\d:\d/;
const NEEDS_DOT_TIME = /\d\.\d/;
const NEEDS_PART_OF_DAY = /morning|afternoon|evening|night/i;
const NEEDS_SPOKEN_TIME = /(?:past|to|after|half)\s|clock/i;
const NEEDS_LUNCH = /lunch/i;
const NEEDS_NOON = /noon|midday|midnight/i;

/** Named days of the year: [words, [month, day]]. */
const NAMED_DAYS: readonly [RegExp, readonly [number, number]][] = [
  [/^(?:new year'?s eve|nye)$/, [12, 31]],
  [/^(?:christmas|xmas) eve$/, [12, 24]],
  [/^(?:christmas|xmas) day$/, [12, 25]],
  [/^boxing day$/, [12, 26]],
  [/^new year'?s day$/, [1, 1]],
];

const DATE_PATTERNS: readonly DatePattern[] = [
  {
    // 2025-12-19
    re: /(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/])/gi,
    needs: (t, digit) => digit && NEEDS_ISO.test(t),
    build: (m, ctx) => buildDate(Number(m[3]), Number(m[2]), Number(m[1]), ctx),
  },
  {
    // 19/12/2025, 19/12/25, 19-12-2025, 19.12.2025, Friday 19/12/2025, 19/12
    re: new RegExp(
      `(?<![\\w/.-])(?:${WEEKDAY_ANY},?\\s+)?(\\d{1,2})([/.-])(\\d{1,2})(?:\\3(\\d{4}|\\d{2}))?(?![\\w/]|[.-]\\d)`,
      'gi',
    ),
    needs: (t, digit) => digit && NEEDS_NUMERIC_DATE.test(t),
    build: (m, ctx) => {
      const year = fullYear(m[5]);
      // Without a year only a slash reads as a date: "2-3 days" and "1.5 hours" are not dates.
      if (year === undefined && m[3] !== '/') return null;
      const built = buildDate(Number(m[2]), Number(m[4]), year, ctx, m[1]);
      // "3/10" without a year is more likely a score than a bad date.
      if (year === undefined && built !== null && !built.ok) return null;
      return built;
    },
  },
  {
    // 19 Dec 2025, 19th December, Friday 19 December 2025, the 19th of December, 19 Dec 25
    re: new RegExp(
      `(?<![\\w])(?:${WEEKDAY_ANY},?\\s+(?:the\\s+)?)?(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH}\\b\\.?(?:,?\\s+(\\d{4})(?!\\d)|\\s+('?\\d{2})${NOT_A_YEAR})?`,
      'gi',
    ),
    needs: (t, digit) => digit && MONTH_STEM.test(t),
    build: (m, ctx) => buildDate(Number(m[2]), monthNumber(m[3] ?? ''), fullYear(m[4] ?? m[5]), ctx, m[1]),
  },
  {
    // December 19 2025, Dec 19th, Friday, December 19, 2025
    re: new RegExp(
      `(?<![\\w])(?:${WEEKDAY_ANY},?\\s+)?${MONTH}\\b\\.?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?${NOT_A_YEAR}(?:,?\\s+(\\d{4})(?!\\d))?`,
      'gi',
    ),
    needs: (t, digit) => digit && MONTH_STEM.test(t),
    build: (m, ctx) => buildDate(Number(m[3]), monthNumber(m[2] ?? ''), fullYear(m[4]), ctx, m[1]),
  },
  {
    // Christmas Eve, Boxing Day, New Year's Eve: days staff name rather than number.
    re: /\b(christmas eve|xmas eve|christmas day|xmas day|boxing day|new year'?s eve|nye|new year'?s day)\b/gi,
    needs: (t) => NEEDS_NAMED_DAY.test(t),
    build: (m, ctx) => {
      const name = (m[1] ?? '').toLowerCase();
      const [month, day] = NAMED_DAYS.find(([re]) => re.test(name))?.[1] ?? [0, 0];
      return month ? buildDate(day, month, undefined, ctx) : null;
    },
  },
  {
    // "Monday 14th", "Friday the 11th": a weekday and day of the month, no month. The nearest such
    // date (ahead when the words speak of something still to come).
    re: new RegExp(
      `(?<![\\w])${WEEKDAY_ANY},?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)\\b(?!\\s+(?:of\\s+)?${MONTH}\\b)`,
      'gi',
    ),
    needs: (t, digit) => digit && NEEDS_ORDINAL.test(t),
    build: (m, ctx) => {
      const day = Number(m[2]);
      const weekday = weekdayNumber(m[1] ?? '');
      if (!(day >= 1 && day <= 31) || weekday < 0) return null;
      const [y = 0, mo = 1] = ctx.today.split('-').map(Number);
      let best: IsoDate | undefined;
      for (let k = -6; k <= 6; k++) {
        const month = ((mo - 1 + k + 1200) % 12) + 1;
        const year = y + Math.floor((mo - 1 + k) / 12);
        if (day > daysInMonth(year, month)) continue;
        const date = toIsoDate(year, month, day);
        if (weekdayOf(date) !== weekday) continue;
        const away = daysBetween(ctx.today, date);
        if (ctx.ahead && away < 0) continue;
        if (best === undefined || Math.abs(away) < Math.abs(daysBetween(ctx.today, best))) best = date;
      }
      return best === undefined ? null : relativeDate(best);
    },
  },
  {
    // "today's Monday 14 December", "today (Tuesday 1 December)": the date written says which day today is.
    // "9 this morning" is a time (read with the time patterns), not the morning alone.
    re: /\b(today(?!'?s\b|\s+is\b|\s*[(,-]\s*(?:mon|tue|wed|thu|fri|sat|sun|\d))|yesterday|tomorrow|(?<!\b(?:\d{1,2}(?:[:.]\d{2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s)(?:this morning|this afternoon|this evening)|tonight|last night)\b/gi,
    needs: (t) => NEEDS_RELATIVE_DAY.test(t),
    build: (m, ctx) => {
      const word = (m[1] ?? '').toLowerCase();
      if (word === 'yesterday' || word === 'last night') return relativeDate(addCalendarDays(ctx.today, -1));
      if (word === 'tomorrow') return relativeDate(addCalendarDays(ctx.today, 1));
      return relativeDate(ctx.today);
    },
  },
  {
    // last Friday, next Monday, this Friday, (on) Monday
    re: new RegExp(`\\b(?:(last|next|this)\\s+)?${WEEKDAY_FULL}\\b`, 'gi'),
    needs: (t) => NEEDS_WEEKDAY.test(t),
    build: (m, ctx) => {
      const target = weekdayNumber(m[2] ?? '');
      const todayWd = weekdayOf(ctx.today);
      const back = (todayWd - target + 7) % 7;
      const which = (m[1] ?? '').toLowerCase();
      if (which === 'last') return relativeDate(addCalendarDays(ctx.today, -(back === 0 ? 7 : back)));
      if (which === 'next') return relativeDate(addCalendarDays(ctx.today, back === 0 ? 7 : 7 - back));
      if (which === 'this') {
        // Monday-to-Sunday week: Sunday is 7.
        const iso = (d: number) => (d === 0 ? 7 : d);
        return relativeDate(addCalendarDays(ctx.today, iso(target) - iso(todayWd)));
      }
      if (ctx.ahead) return relativeDate(addCalendarDays(ctx.today, (7 - back) % 7));
      // "down since Monday" said on a Monday, with no time: last Monday (today would be "since this morning").
      const input = m.input ?? '';
      const at = m.index ?? 0;
      const since = /\bsince\s+$/i.test(input.slice(Math.max(0, at - 7), at));
      const timed = /^\s*(?:at\s+|about\s+|around\s+)?(?:\d|morning|afternoon|lunch|first thing|evening)/i.test(
        input.slice(at + m[0].length, at + m[0].length + 16),
      );
      if (back === 0 && since && !timed) return relativeDate(addCalendarDays(ctx.today, -7));
      return relativeDate(addCalendarDays(ctx.today, -back));
    },
  },
  {
    // 3 days ago, a week ago, two weeks ago
    re: new RegExp(`\\b${NUM}\\s+(days?|weeks?)\\s+ago\\b`, 'gi'),
    needs: (t) => NEEDS_AGO.test(t),
    build: (m, ctx) => {
      const n = numberValue(m[1] ?? '');
      if (!Number.isInteger(n)) return null;
      const unit = (m[2] ?? '').toLowerCase().startsWith('week') ? 7 : 1;
      return relativeDate(addCalendarDays(ctx.today, -n * unit));
    },
  },
  {
    // 5 working days ago
    re: new RegExp(`\\b${NUM}\\s+(?:working|business)\\s+days?\\s+ago\\b`, 'gi'),
    needs: (t) => NEEDS_AGO.test(t),
    build: (m, ctx) => {
      const n = numberValue(m[1] ?? '');
      if (!Number.isInteger(n)) return null;
      const back = subtractWorkingDays(ctx.today, n);
      return back.ok ? relativeDate(back.date) : { ok: false, message: back.error };
    },
  },
];

interface TimeMatch {
  index: number;
  end: number;
  text: string;
  time?: LocalTime;
  error?: string;
}

const TIME_PREFIX = '(?:(?:at|@|from|since|by|around|about|approx\\.?|approximately)\\s+)?';
const TIME_PREFIX_WORDS = /^(?:at|@|from|since|by|around|about|approx\.?|approximately)\s+/i;

function notATime(written: string): string {
  return `${written.trim().replace(TIME_PREFIX_WORDS, '')} is not a time.`;
}

const HOUR_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';
/** Minutes said as words that are not numbers elsewhere ("quarter past", "half past"). */
const MINUTE_WORDS: Readonly<Record<string, number>> = { quarter: 15, half: 30, 'twenty-five': 25 };
/** "in the evening", "on the evening of", "this morning": which half of the day a spoken time is in. */
const PART_OF_DAY =
  '\\s+(?:in\\s+the\\s+|on\\s+the\\s+|this\\s+|that\\s+|at\\s+)?(morning|afternoon|evening|night)(?:\\s+of\\b)?';

/**
 * A time said in words. Without "am", "pm" or a part of the day, 1 to 7 is read as afternoon
 * ("half four" is 16:30): practices are open 8am to 6.30pm, so that is the time staff mean.
 */
function spokenTime(
  minutesWord: string | undefined,
  direction: string | undefined,
  half: string | undefined,
  hourWord: string | undefined,
  partOfDay: string | undefined,
): LocalTime | string {
  const hourText = (hourWord ?? '').toLowerCase();
  const hour12 = numberValue(hourText);
  if (!Number.isInteger(hour12) || hour12 < 1 || hour12 > 12) return `${hourWord} is not a time.`;
  const minutesText = (minutesWord ?? '').toLowerCase();
  const minutes = half ? 30 : minutesWord === undefined ? 0 : (MINUTE_WORDS[minutesText] ?? numberValue(minutesText));
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 59) return `${minutesWord} is not a number of minutes.`;
  const to = (direction ?? '').toLowerCase() === 'to';
  let hour = to ? hour12 - 1 : hour12;
  const minute = to ? 60 - minutes : minutes;
  if (hour === 0) hour = 12;
  const part = (partOfDay ?? '').toLowerCase();
  const afternoon = part === 'afternoon' || part === 'evening' || (part === 'night' && hour12 !== 12);
  const morning = part === 'morning';
  if (afternoon && hour < 12) hour += 12;
  else if (!morning && part === '' && hour >= 1 && hour <= 7) hour += 12;
  else if (morning && hour === 12) hour = 0;
  return { hour: hour % 24, minute: minute % 60 };
}

const TIME_PATTERNS: readonly {
  re: RegExp;
  /** As DatePattern.needs. */
  needs: (text: string, digit: boolean) => boolean;
  read(m: RegExpMatchArray): LocalTime | string;
}[] = [
  {
    // 4pm, 4 pm, 4.30pm, 9:15 a.m.
    re: new RegExp(`(?<![\\w:.])${TIME_PREFIX}(\\d{1,2})(?:[:.](\\d{2}))?\\s*(a\\.?m\\.?|p\\.?m\\.?)(?!\\w)`, 'gi'),
    needs: (t, digit) => digit && NEEDS_AM_PM.test(t),
    read: (m) => {
      const hour12 = Number(m[1]);
      const minute = m[2] === undefined ? 0 : Number(m[2]);
      if (hour12 < 1 || hour12 > 12 || minute > 59) return notATime(m[0]);
      const pm = (m[3] ?? '').toLowerCase().startsWith('p');
      return { hour: (hour12 % 12) + (pm ? 12 : 0), minute };
    },
  },
  {
    // 16:00, 09:30, 16:00hrs
    re: new RegExp(`(?<![\\w:.])${TIME_PREFIX}(\\d{1,2}):(\\d{2})(?![\\d:])(?:\\s*(?:hrs|h)\\b)?`, 'gi'),
    needs: (t, digit) => digit && NEEDS_COLON_TIME.test(t),
    read: (m) => {
      const hour = Number(m[1]);
      const minute = Number(m[2]);
      if (hour > 23 || minute > 59) return notATime(m[0]);
      return { hour, minute };
    },
  },
  {
    // at 8.40, since 9.15 this morning, 4.30 in the afternoon: a dot between hour and minutes, with
    // "at"/"since" before it or a part of the day after it (else it may be a number, not a time).
    re: new RegExp(
      `(?<![\\w:.])(?:(?:(?:at|@|from|since|by|around|about|approx\\.?|approximately)\\s+)(\\d{1,2})\\.(\\d{2})(?![\\d.])(?:${PART_OF_DAY})?|(\\d{1,2})\\.(\\d{2})(?![\\d.])${PART_OF_DAY})`,
      'gi',
    ),
    needs: (t, digit) => digit && NEEDS_DOT_TIME.test(t),
    read: (m) => {
      const hour = Number(m[1] ?? m[4]);
      const minute = Number(m[2] ?? m[5]);
      const part = (m[3] ?? m[6] ?? '').toLowerCase();
      if (hour > 23 || minute > 59) return notATime(m[0]);
      if (hour >= 13 || hour === 0) return { hour, minute };
      const afternoon = part === 'afternoon' || part === 'evening' || part === 'night';
      // As with spoken times: 1 to 7 without a part of the day is the afternoon, in working hours.
      if ((afternoon && hour < 12) || (part === '' && hour >= 1 && hour <= 7)) return { hour: hour + 12, minute };
      if (part === 'morning' && hour === 12) return { hour: 0, minute };
      return { hour, minute };
    },
  },
  {
    // quarter to six in the evening, six o'clock in the morning, half four on the afternoon of
    re: new RegExp(
      `\\b${TIME_PREFIX}(?:(quarter|half|\\d{1,2}|ten|twenty|twenty-five|five)\\s+(past|to|after)\\s+|(half)\\s+)?(${HOUR_WORDS}|\\d{1,2})(?:\\s+o\\s?'?\\s?clock)?${PART_OF_DAY}`,
      'gi',
    ),
    needs: (t) => NEEDS_PART_OF_DAY.test(t),
    read: (m) => spokenTime(m[1], m[2], m[3], m[4], m[5]),
  },
  {
    // quarter to six, half past four, half four, six o'clock (no part of day: working hours)
    re: new RegExp(
      `\\b${TIME_PREFIX}(?:(?:(quarter|half|\\d{1,2}|ten|twenty|twenty-five|five)\\s+(past|to|after)\\s+|(half)\\s+)(${HOUR_WORDS}|\\d{1,2})\\b(?!\\s*(?:am|pm|a\\.m|p\\.m|:|\\.\\d|hours?|hrs?|days?|weeks?|working|mins?|minutes?))|(${HOUR_WORDS}|\\d{1,2})\\s+o\\s?'?\\s?clock\\b)`,
      'gi',
    ),
    needs: (t) => NEEDS_SPOKEN_TIME.test(t),
    read: (m) => spokenTime(m[1], m[2], m[3], m[4] ?? m[5], undefined),
  },
  {
    // lunchtime: the middle of the working day
    re: new RegExp(`\\b${TIME_PREFIX}(?:lunch ?time|lunch)\\b`, 'gi'),
    needs: (t) => NEEDS_LUNCH.test(t),
    read: () => ({ hour: 12, minute: 0 }),
  },
  {
    re: new RegExp(`\\b${TIME_PREFIX}(noon|midday|midnight)\\b`, 'gi'),
    needs: (t) => NEEDS_NOON.test(t),
    read: (m) => ((m[1] ?? '').toLowerCase() === 'midnight' ? { hour: 0, minute: 0 } : { hour: 12, minute: 0 }),
  },
];

const NOW_CUE =
  /\b(?:now|currently|as of|it is|it's|its|today is|today's|todays|time is)\s*(?:now\s+)?(?:on\s+|at\s+)?(?:the\s+)?$/i;
const DURATION_PREFIX = '((?:(?:for|over|more than|at least|about|around|nearly|almost|just over|roughly)\\s+)*)';
const AT_LEAST = /\b(?:over|more than|at least)\b/i;

function overlaps(a: { index: number; end: number }, b: { index: number; end: number }): boolean {
  return a.index < b.end && b.index < a.end;
}

function pickNonOverlapping<T extends { index: number; end: number }>(items: T[]): T[] {
  const sorted = [...items].sort((a, b) => a.index - b.index || b.end - b.index - (a.end - a.index));
  const kept: T[] = [];
  for (const item of sorted) {
    if (!kept.some((k) => overlaps(k, item))) kept.push(item);
  }
  return kept.sort((a, b) => a.index - b.index);
}

/** Whether each pattern's `needs` is checked first (off only to compare the readings in a test). */
type Scan = { needs: boolean; digit: boolean };

function findDateCandidates(text: string, ctx: Context, scan: Scan): Candidate[] {
  const found: Candidate[] = [];
  for (const pattern of DATE_PATTERNS) {
    if (scan.needs && pattern.needs !== undefined && !pattern.needs(text, scan.digit)) continue;
    for (const m of text.matchAll(pattern.re)) {
      const index = m.index ?? 0;
      const built = pattern.build(m, ctx);
      if (built === null) continue;
      found.push({ index, end: index + m[0].length, text: m[0], built });
    }
  }
  return pickNonOverlapping(found);
}

function findTimes(text: string, taken: readonly { index: number; end: number }[], scan: Scan): TimeMatch[] {
  const found: TimeMatch[] = [];
  for (const pattern of TIME_PATTERNS) {
    if (scan.needs && !pattern.needs(text, scan.digit)) continue;
    for (const m of text.matchAll(pattern.re)) {
      const index = m.index ?? 0;
      const match = { index, end: index + m[0].length };
      if (taken.some((t) => overlaps(t, match))) continue;
      const read = pattern.read(m);
      found.push(
        typeof read === 'string' ? { ...match, text: m[0], error: read } : { ...match, text: m[0], time: read },
      );
    }
  }
  return pickNonOverlapping(found);
}

// Built once: each is a long pattern, and building one per call was a measurable part of a dated turn.
// matchAll reads a copy, so sharing them is safe.
const WORKING_DAYS = new RegExp(
  `\\b${DURATION_PREFIX}${NUM}\\s+(?:(?:whole|full)\\s+)?(?:(?:working|business)\\s+days?|wds?|w\\/d)\\b`,
  'gi',
);
// "2 week wait" names a referral type, not a duration.
const ELAPSED = new RegExp(
  `\\b${DURATION_PREFIX}${NUM}\\s*(?:(?:whole|full|entire|solid)\\s+)?(hours?|hrs?|h|minutes?|mins?|days?|weeks?|fortnights?)\\b(?![- ]wait)(?:\\s+ago\\b)?`,
  'gi',
);
const WORKING_WEEK = new RegExp(`\\b${DURATION_PREFIX}an?\\s+(?:whole\\s+|full\\s+)?working\\s+week\\b`, 'gi');

const NEEDS_WORKING_DAYS = /working|business|wd|w\/d/i;
const NEEDS_OUTAGE = /outage|downtime/i;
const NEEDS_DAY = /day/i;
const NEEDS_WORKING_WEEK = /working\s+week/i;
const NO_MATCHES: Iterable<RegExpMatchArray> = [];

function findDurations(text: string, taken: readonly { index: number; end: number }[], scan: Scan): DurationMention[] {
  const found: DurationMention[] = [];
  // As DatePattern.needs: a scan for what each pattern below cannot match without.
  const matches = (re: RegExp, needs: RegExp) => (scan.needs && !needs.test(text) ? NO_MATCHES : text.matchAll(re));
  for (const m of matches(WORKING_DAYS, NEEDS_WORKING_DAYS)) {
    const index = m.index ?? 0;
    const days = numberValue(m[2] ?? '');
    if (!Number.isFinite(days)) continue;
    const span = { index, end: index + m[0].length };
    if (taken.some((t) => overlaps(t, span))) continue;
    found.push({ kind: 'working-days-elapsed', days, atLeast: AT_LEAST.test(m[1] ?? ''), text: m[0], ...span });
  }
  for (const m of text.matchAll(ELAPSED)) {
    const index = m.index ?? 0;
    const span = { index, end: index + m[0].length };
    if (taken.some((t) => overlaps(t, span)) || found.some((f) => overlaps(f, span))) continue;
    const amount = numberValue(m[2] ?? '');
    if (!Number.isFinite(amount)) continue;
    const unit = (m[3] ?? '').toLowerCase();
    const perUnit = unit.startsWith('m')
      ? 1 / 60
      : unit.startsWith('d')
        ? 24
        : unit.startsWith('w')
          ? 168
          : unit.startsWith('f')
            ? 336
            : 1;
    found.push({ kind: 'elapsed', hours: amount * perUnit, atLeast: AT_LEAST.test(m[1] ?? ''), text: m[0], ...span });
  }
  // "day 3 of the outage": at least two whole days have gone; "more than a working week": 5 working days.
  // "the 8th working day of the outage": seven working days have gone.
  for (const m of matches(
    /\b(?:(working\s+)?day\s+(\d{1,2})|(\d{1,2})(?:st|nd|rd|th)\s+(working\s+)?day)\s+of\s+(?:the\s+|this\s+|an?\s+)?(?:e-?rs\s+)?(?:outage|downtime)\b/gi,
    NEEDS_OUTAGE,
  )) {
    const index = m.index ?? 0;
    const span = { index, end: index + m[0].length };
    if (taken.some((t) => overlaps(t, span)) || found.some((f) => overlaps(f, span))) continue;
    const day = Number(m[2] ?? m[3]);
    if (m[1] || m[4]) found.push({ kind: 'working-days-elapsed', days: day - 1, atLeast: true, text: m[0], ...span });
    else found.push({ kind: 'elapsed', hours: (day - 1) * 24, atLeast: true, text: m[0], ...span });
  }
  // "the outage is into its second day": at least one whole day has gone.
  const ORDINAL_DAYS: Readonly<Record<string, number>> = {
    second: 2,
    '2nd': 2,
    third: 3,
    '3rd': 3,
    fourth: 4,
    '4th': 4,
    fifth: 5,
    '5th': 5,
  };
  for (const m of matches(
    /\b(?:into|on|in)\s+(?:its|the|our)\s+(second|2nd|third|3rd|fourth|4th|fifth|5th)\s+day\b/gi,
    NEEDS_DAY,
  )) {
    const index = m.index ?? 0;
    const span = { index, end: index + m[0].length };
    if (taken.some((t) => overlaps(t, span)) || found.some((f) => overlaps(f, span))) continue;
    const day = ORDINAL_DAYS[(m[1] ?? '').toLowerCase()] ?? 2;
    found.push({ kind: 'elapsed', hours: (day - 1) * 24, atLeast: true, text: m[0], ...span });
  }
  for (const m of matches(WORKING_WEEK, NEEDS_WORKING_WEEK)) {
    const index = m.index ?? 0;
    const span = { index, end: index + m[0].length };
    if (taken.some((t) => overlaps(t, span)) || found.some((f) => overlaps(f, span))) continue;
    found.push({ kind: 'working-days-elapsed', days: 5, atLeast: AT_LEAST.test(m[1] ?? ''), text: m[0], ...span });
  }
  return found.sort((a, b) => a.index - b.index);
}

// A time joins the date just before it ("Friday at 4pm", "yesterday 3pm") or just after it
// ("4pm on Friday") when only a comma, dash, "on" or "the" sits between them.
const GAP_AFTER_DATE = /^\s*[,-–]?\s*$/;
const GAP_BEFORE_DATE = /^\s*,?\s*(?:now\s+)?(?:on\s+)?(?:the\s+)?(?:(?:bank holiday|bank hol|holiday)\s*,?\s*)?$/i;

/** "at 9 this morning (Tuesday 8 December 2026)": the date given for today is the person's now. */
const TODAY_GLOSS =
  /\b(?:today|this morning|this afternoon|this evening|tonight)\s*[(,–-]\s*(?:ie\.?\s+|i\.e\.\s+|which is\s+)?$/i;

function roleOf(text: string, index: number): 'now' | 'event' {
  const before = text.slice(Math.max(0, index - 40), index);
  if (TODAY_GLOSS.test(before)) return 'now';
  const clause = before.split(/[.;!?\n]/).pop() ?? '';
  return NOW_CUE.test(clause) ? 'now' : 'event';
}

/**
 * Every date, unreadable date and duration in `text`, in order, with positions.
 *
 * @example parseDateText('went down Friday 6 November 2026 at 4pm; it is now Monday 9 November 2026 at 9am', now)
 *   // dates[0]: 2026-11-06 16:00 (event), dates[1]: 2026-11-09 09:00 (role 'now')
 */
const WEEKDAY_WORD = '(?:mon|tues?|wed(?:nes)?|weds|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?';
/** "tuesday morning 1 dec": the part of the day moved after the date, so the weekday and date join. */
const WEEKDAY_PART_DATE = new RegExp(
  `\\b(${WEEKDAY_WORD})(\\s+(?:morning|afternoon|evening|lunchtime|night))(\\s+\\d{1,2}(?:st|nd|rd|th)?\\s+[a-z]{3,9})\\b`,
  'gi',
);
/** "friday at 4pm (27th)": the day of the month in brackets joined to its weekday. */
const WEEKDAY_BRACKETED_DAY = new RegExp(
  `\\b(${WEEKDAY_WORD})\\b([^()]{0,16}?)\\s*\\((\\d{1,2}(?:st|nd|rd|th)?)\\)`,
  'gi',
);

/** Puts a weekday's date next to it, keeping the text's length (mentions index into it). */
function joinWeekdayDates(text: string): string {
  const pad = (from: string, to: string) => to + ' '.repeat(Math.max(0, from.length - to.length));
  return text
    .replace(WEEKDAY_PART_DATE, (all, day: string, part: string, date: string) => pad(all, `${day}${date}${part}`))
    .replace(WEEKDAY_BRACKETED_DAY, (all, day: string, between: string, nth: string) =>
      pad(all, `${day} ${nth}${between}`),
    );
}

/**
 * What a message needs before any pattern in this file can read something in it: a digit, or one
 * of the words the patterns match on when there is none (built from the same constants where the
 * patterns share them). Most messages are questions with no date at all, and this one scan spares
 * them the ~25 scans below. Each branch stands for the patterns that can match without a digit:
 * weekdays; named and relative days ("boxing day", "today", "last night"); "ago"; parts of the
 * day; spoken times ("half past four", "six o'clock"); lunchtime, noon, midnight; working days and
 * "a working week"; durations in words ("an hour", "a couple of days", "two mins"); "into its
 * second day". test/knowledge/time/date-cue.test.ts checks that it never skips a message the
 * patterns read, over every fixture message and messages made from the patterns' own words.
 */
const MAY_HOLD_DATE = new RegExp(
  [
    '\\d',
    WEEKDAY_FULL,
    'christmas|xmas|boxing|new year|nye|today|yesterday|tomorrow|morning|afternoon|evening|night|ago',
    'clock|lunch|noon|midday|midnight',
    `\\b(?:past|to|after|half)\\s+(?:${HOUR_WORDS})\\b`,
    'working|business|\\bwds?\\b|w\\/d',
    'hour|minute|day|week|fortnight',
    `\\b${NUM}\\s*(?:(?:whole|full|entire|solid)\\s+)?(?:hrs?|h|mins?)\\b`,
  ].join('|'),
  'i',
);

/** False when no pattern here can read anything in `text` (see MAY_HOLD_DATE). */
export function mayHoldDate(text: string): boolean {
  return MAY_HOLD_DATE.test(text);
}

export function parseDateText(raw: string, now: Date): ParsedDateText {
  // A fresh result, as the full reading gives: callers may add to its lists.
  if (!mayHoldDate(raw)) return { mentions: [], dates: [], invalid: [], durations: [] };
  return readDateText(raw, now);
}

/**
 * parseDateText without the pre-check; exported only so the tests can compare the readings.
 * `everyPattern` also runs every pattern whatever its `needs` say (the reading to compare against).
 */
export function readDateText(raw: string, now: Date, options: { everyPattern?: boolean } = {}): ParsedDateText {
  const text = joinWeekdayDates(raw);
  const london = toLondon(now);
  const clock: Context = { today: london.date, nowTime: london.time, ahead: AHEAD_CUE.test(text) };
  const scan: Scan = { needs: options.everyPattern !== true, digit: /\d/.test(text) };
  const first = parseWith(text, clock, scan);
  // The person's stated now wins over the clock: "since Monday 9am, it's Wednesday lunchtime" reads
  // Monday as the one before that Wednesday, and "down since 8am, it's 2pm now" reads 8am on the
  // day of that 2pm, whatever the clock says.
  const stated = first.now;
  if (stated === undefined) return first;
  const statedCtx: Context = { ...clock, today: stated.date, nowTime: stated.time ?? clock.nowTime };
  if (statedCtx.today === clock.today && compareTimes(statedCtx.nowTime, clock.nowTime) === 0) return first;
  return parseWith(text, statedCtx, scan);
}

/** "the next day", "the following morning", "the same day": a day read from the date before it. */
const ANCHORED_DAY =
  /\b(?:(?:the\s+)?(?:next|following)\s+(?:day|morning|afternoon|evening)|(?:the\s+)?day\s+after|(?:the\s+)?same\s+(?:day|evening|afternoon))\b/i;

function anchorTimesToDay(text: string, dates: DateMention[]): void {
  for (const [i, d] of dates.entries()) {
    if (!d.relative || d.time === undefined || i === 0) continue;
    const around = text.slice(Math.max(0, d.index - 25), Math.min(text.length, d.end + 25));
    const m = ANCHORED_DAY.exec(around);
    const anchor = dates[i - 1];
    if (!m || anchor === undefined) continue;
    d.date = /same/i.test(m[0]) ? anchor.date : addCalendarDays(anchor.date, 1);
  }
}

/**
 * "Friday afternoon", "this morning", "first thing": a part of the day, read as a time in it (shown
 * in the working, so the person can correct it): first thing 08:00, morning 09:00, afternoon 14:00,
 * evening 18:00, night 21:00.
 */
const PART_TIMES: Readonly<Record<string, LocalTime>> = Object.freeze({
  'first thing': { hour: 8, minute: 0 },
  morning: { hour: 9, minute: 0 },
  afternoon: { hour: 14, minute: 0 },
  evening: { hour: 18, minute: 0 },
  night: { hour: 21, minute: 0 },
  tonight: { hour: 21, minute: 0 },
});

function partOfDayTimes(text: string, dates: DateMention[]): void {
  for (const d of dates) {
    if (d.time !== undefined) continue;
    const own = /\b(morning|afternoon|evening|tonight|night)\b/i.exec(d.text);
    const after = /^\s+(morning|afternoon|evening|night)\b/i.exec(text.slice(d.end, d.end + 12));
    const before = /\bfirst thing\s+$/i.test(text.slice(Math.max(0, d.index - 14), d.index));
    const part = before ? 'first thing' : (own?.[1] ?? after?.[1])?.toLowerCase();
    const time = part ? (bareHourIn(text, d, part) ?? PART_TIMES[part]) : undefined;
    if (time) d.time = time;
  }
}

/** A bare hour beside a part of the day: "last night about 10", "at 8 this morning", "friday evening around 6.30". */
const BARE_HOUR_AFTER =
  /^(?:\s+(?:morning|afternoon|evening|night))?\s*,?\s*(?:at|about|around|approx\.?|approximately|roughly|just after|just before|from)\s+(\d{1,2})(?:[:.](\d{2}))?\b(?!\s*(?:am|pm|a\.m|p\.m|hours?|hrs?|days?|weeks?|mins?|minutes?|working|referrals?|%))/i;
const BARE_HOUR_BEFORE = /\b(?:at|about|around|approx\.?|approximately|roughly|from)\s+(\d{1,2})(?:[:.](\d{2}))?\s+$/i;

function bareHourIn(text: string, d: DateMention, part: string): LocalTime | undefined {
  const m =
    BARE_HOUR_AFTER.exec(text.slice(d.end, d.end + 40)) ??
    BARE_HOUR_BEFORE.exec(text.slice(Math.max(0, d.index - 20), d.index));
  if (!m) return undefined;
  const hour12 = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (hour12 < 1 || hour12 > 12 || minute > 59) return undefined;
  const later = part === 'afternoon' || part === 'evening' || ((part === 'night' || part === 'tonight') && hour12 >= 5);
  if (later && hour12 < 12) return { hour: hour12 + 12, minute };
  if (part === 'morning' || part === 'first thing') return { hour: hour12 % 12, minute };
  if ((part === 'night' || part === 'tonight') && hour12 === 12) return { hour: 0, minute };
  return { hour: hour12, minute };
}

const DAY_BEFORE_AFTER = /\b(?:the\s+)?day\s+(before|after)\s+(?:the\s+)?$/i;

function parseWith(text: string, ctx: Context, scan: Scan): ParsedDateText {
  const candidates = findDateCandidates(text, ctx, scan);
  const times = findTimes(text, candidates, scan);
  const mentions: (DateMention | InvalidDateMention)[] = [];
  const usedTimes = new Set<TimeMatch>();

  for (const c of candidates) {
    if (!c.built.ok) {
      mentions.push({ kind: 'invalid', text: c.text, index: c.index, end: c.end, message: c.built.message });
      continue;
    }
    let index = c.index;
    let end = c.end;
    let time: LocalTime | undefined;
    const after = times.find(
      (t) => !usedTimes.has(t) && t.index >= c.end && GAP_AFTER_DATE.test(text.slice(c.end, t.index)),
    );
    const before = times.find(
      (t) => !usedTimes.has(t) && t.end <= c.index && GAP_BEFORE_DATE.test(text.slice(t.end, c.index)),
    );
    const joined = after ?? before;
    if (joined !== undefined) {
      usedTimes.add(joined);
      if (joined.error !== undefined) {
        mentions.push({
          kind: 'invalid',
          text: joined.text,
          index: joined.index,
          end: joined.end,
          message: joined.error,
        });
      } else {
        time = joined.time;
        index = Math.min(index, joined.index);
        end = Math.max(end, joined.end);
      }
    }
    // "the day before Christmas Eve", "the day after the bank holiday Monday": a day from the one named.
    const offset = DAY_BEFORE_AFTER.exec(text.slice(Math.max(0, index - 24), index));
    let date = c.built.date;
    if (offset && !c.built.relative) {
      date = addCalendarDays(date, offset[1] === 'before' ? -1 : 1);
      index -= offset[0].length;
    }
    const mention: DateMention = {
      kind: 'date',
      text: text.slice(index, end),
      index,
      end,
      date,
      role: roleOf(text, index),
      yearInferred: c.built.yearInferred,
      relative: c.built.relative,
    };
    if (time !== undefined) mention.time = time;
    const written = c.built.weekdayWritten;
    if (written !== undefined) {
      const actual = WEEKDAY_NAMES[weekdayOf(c.built.date)] ?? '';
      const writtenName = WEEKDAY_NAMES[weekdayNumber(written)] ?? written;
      if (writtenName !== actual) mention.weekdayMismatch = { written: writtenName, actual };
    }
    mentions.push(mention);
  }

  for (const t of times) {
    if (usedTimes.has(t)) continue;
    if (t.error !== undefined || t.time === undefined) {
      mentions.push({ kind: 'invalid', text: t.text, index: t.index, end: t.end, message: t.error ?? 'Not a time.' });
      continue;
    }
    const role = roleOf(text, t.index);
    // A time alone is today's, unless it has not happened yet and is not the current time:
    // "down since 3pm" said at 9am means yesterday at 3pm.
    const date = role === 'event' && compareTimes(t.time, ctx.nowTime) > 0 ? addCalendarDays(ctx.today, -1) : ctx.today;
    mentions.push({
      kind: 'date',
      text: t.text,
      index: t.index,
      end: t.end,
      date,
      time: t.time,
      role,
      yearInferred: false,
      relative: true,
    });
  }

  mentions.sort((a, b) => a.index - b.index);
  const dates = mentions.filter((m): m is DateMention => m.kind === 'date');
  anchorTimesToDay(text, dates);
  partOfDayTimes(text, dates);
  const invalid = mentions.filter((m): m is InvalidDateMention => m.kind === 'invalid');
  const durations = findDurations(text, mentions, scan);
  const result: ParsedDateText = { mentions, dates, invalid, durations };
  const nowMentions = dates.filter((d) => d.role === 'now');
  // "(Tuesday 8 December 2026) ... time now 2pm": the day from one, the time from the other.
  const dated = nowMentions.find((d) => !d.relative) ?? nowMentions[0];
  const timed = nowMentions.find((d) => d.time !== undefined);
  if (dated !== undefined) {
    const time = timed?.time;
    result.now = dated.time !== undefined || time === undefined ? dated : { ...dated, time };
  }
  return result;
}
