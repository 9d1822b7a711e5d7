import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  bankHolidayName,
  bankHolidayOnDay,
  FIRST_SUPPORTED_DAY,
  LAST_SUPPORTED_DAY,
} from '../../../knowledge/time/bank-holidays.js';
import {
  addCalendarDays,
  daysInMonth,
  fromDayNumber,
  parseIsoDate,
  toDayNumber,
  weekdayOf,
  weekdayOfDayNumber,
} from '../../../knowledge/time/calendar-date.js';
import { londonOffsetMinutes, toLondon } from '../../../knowledge/time/london-time.js';

// Issue 18: the time helpers' fast paths. London's wall clock is worked out from a memoised offset per UTC hour instead of
// formatting every instant. It must agree with Intl's own reading everywhere, changeovers included.

const intl = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function direct(instant: Date) {
  const f: Record<string, number> = {};
  for (const part of intl.formatToParts(instant)) if (part.type !== 'literal') f[part.type] = Number(part.value);
  const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, '0');
  const asUtc = Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
  return {
    date: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`,
    time: { hour: f.hour, minute: f.minute },
    offset: Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000),
  };
}

function agrees(instant: Date): void {
  const expected = direct(instant);
  expect(toLondon(instant)).toEqual({ date: expected.date, time: expected.time });
  expect(londonOffsetMinutes(instant)).toBe(expected.offset);
}

describe("London's wall clock", () => {
  test('agrees with Intl at random instants from 1840 to 2100 (LMT, double summer time, BST)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1840, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => agrees(new Date(ms))),
      { numRuns: 3000 },
    );
  });

  test('agrees with Intl on every minute around the 2026 changeovers', () => {
    for (const changeover of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
      for (let ms = changeover - 2 * 3_600_000; ms <= changeover + 2 * 3_600_000; ms += 60_000) {
        agrees(new Date(ms));
        agrees(new Date(ms + 59_999));
      }
    }
  });

  test('agrees with Intl around the 1847 change from London mean time, inside an hour', () => {
    const change = Date.UTC(1847, 11, 1, 0, 1, 15);
    for (let ms = change - 3_600_000; ms <= change + 3_600_000; ms += 15_000) agrees(new Date(ms));
  });
});

describe('days in a month', () => {
  test('the table agrees with the calendar for every month of years 1 to 2400', () => {
    for (let year = 1; year <= 2400; year++) {
      for (let month = 1; month <= 12; month++) {
        // Date.UTC reads years 0-99 as 1900-1999, so the check sets the year itself.
        const last = new Date(0);
        last.setUTCFullYear(year, month, 0);
        expect(daysInMonth(year, month)).toBe(last.getUTCDate());
      }
    }
  });
});

describe('day numbers (working-day counting without strings)', () => {
  test('every day 2020 to 2035 round-trips, and agrees with the string helpers on weekday and bank holiday', () => {
    expect(fromDayNumber(FIRST_SUPPORTED_DAY)).toBe('2020-01-01');
    expect(fromDayNumber(LAST_SUPPORTED_DAY)).toBe('2035-12-31');
    // A week either side of the table, walked with the string helpers.
    let date = '2019-12-25';
    for (let day = FIRST_SUPPORTED_DAY - 7; day <= LAST_SUPPORTED_DAY + 7; day++, date = addCalendarDays(date, 1)) {
      expect(toDayNumber(date)).toBe(day);
      expect(fromDayNumber(day)).toBe(date);
      expect(weekdayOfDayNumber(day)).toBe(weekdayOf(date));
      expect(bankHolidayOnDay(day)).toBe(bankHolidayName(date));
    }
  });

  test('weekdays of days before 1970 are right too', () => {
    expect(weekdayOfDayNumber(toDayNumber('1969-12-31'))).toBe(3);
    expect(weekdayOfDayNumber(toDayNumber('1900-01-01'))).toBe(1);
  });
});

describe('day numbers by arithmetic (no Date) agree with Date', () => {
  const viaDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  const dayViaDate = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

  test('at random days from year 100 to 9999, and at the ends and the leap-day edges', () => {
    const edges = ['0100-01-01', '0100-02-28', '0100-03-01', '1600-02-29', '1900-02-28', '1900-03-01', '2000-02-29'];
    for (const iso of [...edges, '2024-02-29', '2100-03-01', '9999-12-31']) {
      expect(toDayNumber(iso)).toBe(dayViaDate(iso));
      expect(fromDayNumber(dayViaDate(iso))).toBe(iso);
    }
    fc.assert(
      fc.property(fc.integer({ min: dayViaDate('0100-01-01'), max: dayViaDate('9999-12-31') }), (day) => {
        const iso = viaDate(day);
        expect(fromDayNumber(day)).toBe(iso);
        expect(toDayNumber(iso)).toBe(day);
        expect(weekdayOf(iso)).toBe(new Date(day * 86_400_000).getUTCDay());
      }),
      { numRuns: 5000 },
    );
  });

  test('days past what a date string can hold still go through Date, as before', () => {
    expect(fromDayNumber(dayViaDate('9999-12-31') + 1)).toBe('10000-01-01');
    expect(fromDayNumber(1.5)).toBe('1970-01-02');
  });

  test('parseIsoDate refuses exactly what the YYYY-MM-DD pattern refuses', () => {
    const pattern = /^(\d{4})-(\d{2})-(\d{2})$/;
    const chars = ['0', '1', '2', '3', '9', '-', ' ', 'a', '\u0662', '\n', '+', '.'];
    const shaped = fc.array(fc.constantFrom(...chars), { minLength: 8, maxLength: 12 }).map((parts) => parts.join(''));
    const nearly = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.oneof(shaped, nearly), (text) => {
        const m = pattern.exec(text);
        const real =
          m !== null &&
          Number(m[1]) >= 1 &&
          Number(m[2]) >= 1 &&
          Number(m[2]) <= 12 &&
          Number(m[3]) >= 1 &&
          Number(m[3]) <= daysInMonth(Number(m[1]), Number(m[2]));
        if (real) expect(parseIsoDate(text)).toEqual({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
        else expect(() => parseIsoDate(text)).toThrow(RangeError);
      }),
      { numRuns: 5000 },
    );
  });
});
