import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addCalendarDays, formatLongDate, toIsoDate } from '../../../knowledge/time/calendar-date.js';
import { formatTime, fromLondon, londonOffsetMinutes, toLondon } from '../../../knowledge/time/london-time.js';

describe('London wall-clock time', () => {
  test('reads a winter instant as GMT and a summer instant as BST', () => {
    expect(toLondon(new Date('2026-01-15T16:00:00Z'))).toEqual({ date: '2026-01-15', time: { hour: 16, minute: 0 } });
    expect(toLondon(new Date('2026-07-15T23:30:00Z'))).toEqual({ date: '2026-07-16', time: { hour: 0, minute: 30 } });
    expect(londonOffsetMinutes(new Date('2026-07-15T12:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(new Date('2026-01-15T12:00:00Z'))).toBe(0);
  });

  test('makes the instant for a London date and time on either side of the clock changes', () => {
    expect(fromLondon('2026-10-24', { hour: 16, minute: 0 }).toISOString()).toBe('2026-10-24T15:00:00.000Z');
    expect(fromLondon('2026-10-26', { hour: 16, minute: 0 }).toISOString()).toBe('2026-10-26T16:00:00.000Z');
    expect(fromLondon('2027-03-27', { hour: 9, minute: 0 }).toISOString()).toBe('2027-03-27T09:00:00.000Z');
    expect(fromLondon('2027-03-29', { hour: 9, minute: 0 }).toISOString()).toBe('2027-03-29T08:00:00.000Z');
  });

  test('reads the repeated autumn hour as its first (BST) occurrence', () => {
    expect(fromLondon('2026-10-25', { hour: 1, minute: 30 }).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  test('moves a spring-gap time that never happens forward by the jump', () => {
    const instant = fromLondon('2027-03-28', { hour: 1, minute: 30 });
    expect(instant.toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(toLondon(instant).time).toEqual({ hour: 2, minute: 30 });
  });

  test('round-trips any London date and time outside the spring gap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5800 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (offset, hour, minute) => {
          const date = addCalendarDays(toIsoDate(2020, 1, 1), offset);
          const back = toLondon(fromLondon(date, { hour, minute }));
          const inGap = back.time.hour !== hour;
          if (!inGap) expect(back).toEqual({ date, time: { hour, minute } });
          else expect(hour).toBe(1);
        },
      ),
    );
  });

  test('formats dates and times the way the bot writes them', () => {
    expect(formatLongDate('2026-02-18')).toBe('Wednesday 18 February 2026');
    expect(formatTime({ hour: 9, minute: 5 })).toBe('09:05');
  });
});
