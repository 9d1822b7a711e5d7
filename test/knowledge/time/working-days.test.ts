import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bankHolidayName } from '../../../knowledge/time/bank-holidays.js';
import { addCalendarDays, isWeekend, toIsoDate } from '../../../knowledge/time/calendar-date.js';
import {
  addWorkingDays,
  countWeekends,
  countWorkingDays,
  describeSkipped,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  subtractWorkingDays,
} from '../../../knowledge/time/working-days.js';

// Starts from February 2020 to mid-2034, so ranges 30 days back or 300 working days on stay inside 2020-2035.
const startDate = fc.integer({ min: 31, max: 5300 }).map((offset) => addCalendarDays(toIsoDate(2020, 1, 1), offset));
const workingDays = fc.integer({ min: 0, max: 150 });

function added(start: string, n: number): string {
  const r = addWorkingDays(start, n);
  if (!r.ok) throw new Error(r.error);
  return r.date;
}

function naiveCount(from: string, to: string): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (!isWeekend(d) && bankHolidayName(d) === undefined) count++;
  }
  return count;
}

describe('adding working days (properties)', () => {
  test('always lands on a working day after the start', () => {
    fc.assert(
      fc.property(startDate, fc.integer({ min: 1, max: 150 }), (start, n) => {
        const result = added(start, n);
        expect(isWorkingDay(result)).toBe(true);
        expect(result > start).toBe(true);
      }),
    );
  });

  test('adding N then M working days equals adding N + M', () => {
    fc.assert(
      fc.property(startDate, workingDays, workingDays, (start, n, m) => {
        expect(added(added(start, n), m)).toBe(added(start, n + m));
      }),
    );
  });

  test('the count of working days over any range matches a day-by-day count', () => {
    fc.assert(
      fc.property(startDate, fc.integer({ min: -30, max: 400 }), (from, span) => {
        const to = addCalendarDays(from, span);
        const r = countWorkingDays(from, to);
        expect(r).toEqual({ ok: true, count: naiveCount(from, to) });
      }),
    );
  });

  test('counting back from the result gives the N used to get there', () => {
    fc.assert(
      fc.property(startDate, fc.integer({ min: 1, max: 150 }), (start, n) => {
        const result = added(start, n);
        expect(countWorkingDays(start, result)).toEqual({ ok: true, count: n });
        // The day before the result is one working day short.
        expect(countWorkingDays(start, addCalendarDays(result, -1))).toEqual({ ok: true, count: n - 1 });
      }),
    );
  });

  test('subtracting N working days undoes adding them from a working day', () => {
    fc.assert(
      fc.property(startDate, workingDays, (raw, n) => {
        const start = nextWorkingDayOnOrAfter(raw);
        const back = subtractWorkingDays(added(start, n), n);
        expect(back.ok && back.date).toBe(start);
      }),
    );
  });

  test('lists every non-working day it passed over, and only those', () => {
    fc.assert(
      fc.property(startDate, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const r = addWorkingDays(start, n);
        if (!r.ok) throw new Error(r.error);
        const between: string[] = [];
        for (let d = addCalendarDays(start, 1); d < r.date; d = addCalendarDays(d, 1)) {
          if (!isWorkingDay(d)) between.push(d);
        }
        expect(r.skipped.map((s) => s.date)).toEqual(between);
      }),
    );
  });
});

describe('adding working days around holidays', () => {
  test.each([
    ['Good Friday 2026 plus 2 (the pack example)', '2026-04-03', 2, '2026-04-08'],
    ['2 March 2026 plus 40', '2026-03-02', 40, '2026-04-29'],
    ['14 December 2026 plus 20', '2026-12-14', 20, '2027-01-14'],
    ['New Year 2026/27 plus 3', '2026-12-31', 3, '2027-01-06'],
    ['Christmas Eve 2025 plus 2', '2025-12-24', 2, '2025-12-30'],
    ['a Saturday plus 1 is the Monday', '2026-02-21', 1, '2026-02-23'],
    ['a Sunday before the early May holiday plus 1', '2026-05-03', 1, '2026-05-05'],
    ['zero days is the start itself', '2026-02-21', 0, '2026-02-21'],
  ])('%s', (_name, start, n, expected) => {
    expect(addWorkingDays(start, n)).toMatchObject({ ok: true, date: expected });
  });

  test('refuses dates outside 2020 to 2035 instead of guessing', () => {
    expect(addWorkingDays('2019-12-31', 1)).toEqual({
      ok: false,
      error: 'I can only count working days for 2020 to 2035.',
    });
    // Security review L8: a 2035 date whose answer falls in 2036 said the date itself was out of range.
    expect(addWorkingDays('2035-12-20', 40)).toEqual({
      ok: false,
      error: 'The answer falls outside 2020 to 2035, the years I know the bank holidays for, so I cannot count it.',
    });
    expect(countWorkingDays('2035-01-01', '2036-01-05').ok).toBe(false);
    expect(() => isWorkingDay('2040-01-02')).toThrow(RangeError);
  });

  test('refuses impossible dates and negative counts', () => {
    expect(addWorkingDays('2026-02-31', 1).ok).toBe(false);
    expect(addWorkingDays('2026-02-10', -1).ok).toBe(false);
    expect(addWorkingDays('2026-02-10', 1.5).ok).toBe(false);
  });

  test('describes skipped days by holiday name and counts weekends once each', () => {
    const r = addWorkingDays('2026-12-14', 20);
    if (!r.ok) throw new Error(r.error);
    expect(countWeekends(r.skipped)).toBe(4);
    expect(describeSkipped(r.skipped)).toBe(
      "25 December 2026 (Christmas Day), 28 December 2026 (Boxing Day (substitute day)), 1 January 2027 (New Year's Day) and 4 weekends",
    );
    expect(describeSkipped([])).toBe('none');
  });
});
