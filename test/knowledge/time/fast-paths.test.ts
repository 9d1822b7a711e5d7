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
