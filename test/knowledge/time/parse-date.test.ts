import { describe, expect, test } from 'vitest';
import { type DateMention, parseDateText } from '../../../knowledge/time/parse-date.js';

// Wednesday 18 February 2026, 10:00 in London (GMT).
const NOW = new Date('2026-02-18T10:00:00Z');

function onlyDate(text: string, now = NOW): DateMention {
  const parsed = parseDateText(text, now);
  expect(parsed.invalid).toEqual([]);
  expect(parsed.dates).toHaveLength(1);
  const [first] = parsed.dates;
  if (first === undefined) throw new Error('no date');
  return first;
}

describe('reading dates staff type', () => {
  test.each([
    ['19/12/2025', '2025-12-19'],
    ['19/12/25', '2025-12-19'],
    ['19-12-2025', '2025-12-19'],
    ['19.12.2025', '2025-12-19'],
    ['19 Dec 2025', '2025-12-19'],
    ['19 December 2025', '2025-12-19'],
    ['Friday 19 December 2025', '2025-12-19'],
    ['Fri 19/12/2025', '2025-12-19'],
    ['December 19 2025', '2025-12-19'],
    ['Dec 19th, 2025', '2025-12-19'],
    ['2025-12-19', '2025-12-19'],
    ['the 19th of December 2025', '2025-12-19'],
    ['5/1/2026', '2026-01-05'],
    ['1 March 2026', '2026-03-01'],
  ])('reads %s day first', (text, iso) => {
    const d = onlyDate(`referral deferred on ${text}, when?`);
    expect(d.date).toBe(iso);
    expect(d.yearInferred).toBe(false);
  });

  test.each([
    ['today', '2026-02-18'],
    ['yesterday', '2026-02-17'],
    ['tomorrow', '2026-02-19'],
    ['last Friday', '2026-02-13'],
    ['on Monday', '2026-02-16'],
    ['on Wednesday', '2026-02-18'],
    ['last Wednesday', '2026-02-11'],
    ['next Monday', '2026-02-23'],
    ['3 days ago', '2026-02-15'],
    ['a week ago', '2026-02-11'],
    ['5 working days ago', '2026-02-11'],
  ])('works out %s from the current date', (text, iso) => {
    const d = onlyDate(`deferred ${text}`);
    expect(d.date).toBe(iso);
    expect(d.relative).toBe(true);
  });

  describe('a date written without a year', () => {
    test('takes last year when this year would be more than six months ahead', () => {
      const d = onlyDate('deferred on 19th December');
      expect(d).toMatchObject({ date: '2025-12-19', yearInferred: true });
    });

    test('takes this year for a date a few weeks ahead', () => {
      expect(onlyDate('deferred 3 March').date).toBe('2026-03-03');
      expect(onlyDate('deferred 19/12').date).toBe('2025-12-19');
    });

    test('takes next year for early January when asked in late December', () => {
      expect(onlyDate('on 5 January', new Date('2026-12-20T12:00:00Z')).date).toBe('2027-01-05');
    });

    test('chooses the year where the written weekday fits', () => {
      expect(onlyDate('Friday 6 November').date).toBe('2026-11-06');
    });
  });

  describe('times', () => {
    test.each([
      ['19/02/2026 at 4pm', { hour: 16, minute: 0 }],
      ['19/02/2026 16:00', { hour: 16, minute: 0 }],
      ['19/02/2026 at 9am', { hour: 9, minute: 0 }],
      ['19/02/2026, 09:30', { hour: 9, minute: 30 }],
      ['4.30pm on 19/02/2026', { hour: 16, minute: 30 }],
      ['19/02/2026 at noon', { hour: 12, minute: 0 }],
      ['19/02/2026 at 12am', { hour: 0, minute: 0 }],
    ])('attaches the time in %s to the date', (text, time) => {
      const d = onlyDate(text);
      expect(d.date).toBe('2026-02-19');
      expect(d.time).toEqual(time);
      expect(d.text.length).toBeGreaterThan('19/02/2026'.length);
    });

    test('reads a time alone as today, or yesterday when it has not happened yet', () => {
      expect(onlyDate('down since 9am')).toMatchObject({ date: '2026-02-18', time: { hour: 9, minute: 0 } });
      expect(onlyDate('down since 3pm')).toMatchObject({ date: '2026-02-17', time: { hour: 15, minute: 0 } });
    });

    test('reads "since yesterday 3pm" as one moment', () => {
      expect(onlyDate('e-RS down since yesterday 3pm')).toMatchObject({
        date: '2026-02-17',
        time: { hour: 15, minute: 0 },
        text: 'yesterday 3pm',
      });
    });
  });

  test('finds two dates in order and marks the one said to be now', () => {
    const text = 'went down Friday 6 November 2026 at 4pm; it is now Monday 9 November 2026 at 9am';
    const parsed = parseDateText(text, NOW);
    expect(parsed.dates.map((d) => [d.date, d.time, d.role])).toEqual([
      ['2026-11-06', { hour: 16, minute: 0 }, 'event'],
      ['2026-11-09', { hour: 9, minute: 0 }, 'now'],
    ]);
    const [first, second] = parsed.dates;
    expect(first && text.slice(first.index, first.end)).toBe('Friday 6 November 2026 at 4pm');
    expect(second && text.slice(second.index, second.end)).toBe('Monday 9 November 2026 at 9am');
    expect(parsed.now).toBe(second);
  });

  describe('durations', () => {
    test.each([
      ['down for 30 hours', { kind: 'elapsed', hours: 30, atLeast: false }],
      ['down for 2 days', { kind: 'elapsed', hours: 48, atLeast: false }],
      ['went down an hour ago', { kind: 'elapsed', hours: 1, atLeast: false }],
      ['went down half an hour ago', { kind: 'elapsed', hours: 0.5, atLeast: false }],
      ['down for more than 24 hours', { kind: 'elapsed', hours: 24, atLeast: true }],
      ['down for 90 minutes', { kind: 'elapsed', hours: 1.5, atLeast: false }],
      ['down over 5 working days', { kind: 'working-days-elapsed', days: 5, atLeast: true }],
      ['down for five working days', { kind: 'working-days-elapsed', days: 5, atLeast: false }],
    ])('reads "%s" as data', (text, expected) => {
      const parsed = parseDateText(text, NOW);
      expect(parsed.dates).toEqual([]);
      expect(parsed.durations).toHaveLength(1);
      expect(parsed.durations[0]).toMatchObject(expected);
    });

    test('does not read "2 week wait" as a duration or a date', () => {
      const parsed = parseDateText('a 2 week wait referral and a two week wait one', NOW);
      expect(parsed.durations).toEqual([]);
      expect(parsed.dates).toEqual([]);
    });
  });

  describe('invalid and ambiguous input', () => {
    test('rejects 31/02/2026 with a plain reason', () => {
      const parsed = parseDateText('deferred on 31/02/2026', NOW);
      expect(parsed.dates).toEqual([]);
      expect(parsed.invalid).toEqual([
        expect.objectContaining({ text: '31/02/2026', message: '31 February 2026 is not a real date.' }),
      ]);
    });

    test('explains that a month-first date is read day first', () => {
      const parsed = parseDateText('deferred on 12/31/2026', NOW);
      expect(parsed.invalid[0]?.message).toMatch(/day first/);
    });

    test('rejects 29 February in a year that has none, and 30 February without a year', () => {
      expect(parseDateText('29 February 2026', NOW).invalid[0]?.message).toBe('29 February 2026 is not a real date.');
      expect(parseDateText('30 Feb', NOW).invalid).toHaveLength(1);
    });

    test('rejects impossible times', () => {
      expect(parseDateText('down since 25:00', NOW).invalid[0]?.message).toBe('25:00 is not a time.');
      expect(parseDateText('down since 13pm', NOW).invalid[0]?.message).toBe('13pm is not a time.');
    });

    test('flags a weekday that does not match the date', () => {
      expect(onlyDate('Monday 19 December 2025').weekdayMismatch).toEqual({ written: 'Monday', actual: 'Friday' });
    });

    test('does not take counts, versions or ranges for dates', () => {
      const parsed = parseDateText('pack v4.1, 40 working days, 2-3 days, in May 2026, 1.5 hours', NOW);
      expect(parsed.dates).toEqual([]);
      expect(parsed.invalid).toEqual([]);
    });

    test('ignores a slash pair without a year that cannot be a date', () => {
      expect(parseDateText('pain score 7/15', NOW).mentions).toEqual([]);
    });
  });
});
