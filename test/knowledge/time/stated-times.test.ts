import { describe, expect, test } from 'vitest';
import { answerDeadline } from '../../../knowledge/rules/deadlines.js';
import { parseDateText } from '../../../knowledge/time/parse-date.js';

/** Monday 30 November 2026, 12:00 in London. */
const NOW = new Date('2026-11-30T12:00:00Z');

function read(text: string) {
  return parseDateText(text, NOW).dates.map((d) => ({ date: d.date, time: d.time, role: d.role }));
}

describe('times said in words', () => {
  test.each([
    ['quarter to six in the evening on Tuesday 13 October 2026', { hour: 17, minute: 45 }],
    ['half past nine in the morning on Friday 4 December 2026', { hour: 9, minute: 30 }],
    ['half four on Friday 4 December 2026', { hour: 16, minute: 30 }],
    ["six o'clock in the morning on Friday 4 December 2026", { hour: 6, minute: 0 }],
    ['quarter past 2 on Friday 4 December 2026', { hour: 14, minute: 15 }],
  ])('%s', (text, time) => {
    expect(read(text)[0]?.time).toEqual(time);
  });

  test('"two weeks wait" is a referral type, not a time or a duration', () => {
    const parsed = parseDateText('two weeks wait referral', NOW);
    expect(parsed.dates).toEqual([]);
    expect(parsed.durations).toEqual([]);
  });

  test('"a fortnight" and "two whole weeks" are 14 days', () => {
    for (const text of ['down for a fortnight', 'been out for two whole weeks']) {
      const duration = parseDateText(text, NOW).durations[0];
      expect(duration?.kind === 'elapsed' ? duration.hours : undefined, text).toBe(336);
    }
  });
});

describe('a part of the day is read as a time in it, shown in the working', () => {
  test.each([
    ['since friday afternoon', { hour: 14, minute: 0 }],
    ['first thing this morning', { hour: 8, minute: 0 }],
    ['since 2 o clock', { hour: 14, minute: 0 }],
    // A bare hour beside the part of the day is that hour in it.
    ['went down last night about 10', { hour: 22, minute: 0 }],
    ['went down at 10 last night', { hour: 22, minute: 0 }],
    ['since this morning around 8', { hour: 8, minute: 0 }],
    ['since friday evening about 6.30', { hour: 18, minute: 30 }],
    ['since yesterday afternoon at 3', { hour: 15, minute: 0 }],
    // A number that counts something is not an hour.
    ['since this morning, about 8 referrals waiting', { hour: 9, minute: 0 }],
  ])('%s', (text, time) => {
    expect(read(text)[0]?.time).toEqual(time);
  });

  test('"couple of hours ago" is two hours', () => {
    const duration = parseDateText('went down couple of hours ago', NOW).durations[0];
    expect(duration?.kind === 'elapsed' ? duration.hours : undefined).toBe(2);
  });
});

describe("the person's stated now wins over the clock", () => {
  test('"it\'s now 9am next day" is the day after the start, not today', () => {
    expect(
      read("e-RS went down at quarter to six on the evening of Tuesday 13 October 2026; it's now 9am next day"),
    ).toEqual([
      { date: '2026-10-13', time: { hour: 17, minute: 45 }, role: 'event' },
      { date: '2026-10-14', time: { hour: 9, minute: 0 }, role: 'now' },
    ]);
  });

  test('weekdays are read against the stated now: "since Monday 9am, it\'s Wednesday lunchtime"', () => {
    expect(read("down since Monday 9am, it's Wednesday lunchtime")).toEqual([
      { date: '2026-11-23', time: { hour: 9, minute: 0 }, role: 'event' },
      { date: '2026-11-25', time: { hour: 12, minute: 0 }, role: 'now' },
    ]);
  });

  test('a time alone is on the day of the stated now: "down since 8am and it\'s 2pm now"', () => {
    expect(read("down since 8am and it's 2pm now").map((d) => d.date)).toEqual(['2026-11-30', '2026-11-30']);
  });

  test('"today\'s Monday 14 December" and "today (Tuesday 1 December)" say which day today is', () => {
    const deferred = answerDeadline(
      "today's Monday 14 December 2026 and i've just deferred an urgent referral, what date will the letter give?",
      NOW,
    );
    expect(deferred.kind === 'answer' ? deferred.result.date : deferred.kind).toBe('2027-01-14');
    const away = answerDeadline(
      'sending a 2ww today (Tuesday 1 December 2026) but the pt flies abroad on the 10th',
      NOW,
    );
    expect(away.kind === 'answer' ? [away.rule, away.start.date] : away.kind).toEqual(['availability', '2026-12-01']);
  });
});

describe('one priority reader', () => {
  test('"urgent (not cancer)" is urgent, not 2WW', () => {
    const reply = answerDeadline(
      'urgent (not cancer) referral deferred on 2 December 2026, when is the contact-by date?',
      NOW,
    );
    expect(reply.kind === 'answer' ? reply.priority : reply.kind).toBe('urgent');
  });

  test('a date and a question mark alone are not a deadline question', () => {
    expect(answerDeadline('new HCA starts on the 4th jan, how do we get her a smartcard?', NOW).kind).toBe('none');
  });
});

describe('words about something still to come read a day named alone as the next one', () => {
  // Monday 30 November 2026.
  test.each([
    ['planned e-RS outage on Saturday', '2026-12-05'],
    ['if e-RS goes down on Friday at 5pm', '2026-12-04'],
    ['e-RS will be down on Monday', '2026-11-30'],
    ['e-RS went down on Friday at 5pm', '2026-11-27'],
  ])('%s', (text, date) => {
    expect(read(text)[0]?.date).toBe(date);
  });
});

describe('a day of the outage counts the days gone before it', () => {
  test.each([
    ['the 8th working day of the outage', 'working-days-elapsed', 7],
    ['working day 6 of the downtime', 'working-days-elapsed', 5],
    ['day 3 of the outage', 'elapsed', 48],
  ] as const)('%s', (text, kind, amount) => {
    const duration = parseDateText(text, NOW).durations[0];
    expect(duration?.kind).toBe(kind);
    expect(
      duration?.kind === 'elapsed' ? duration.hours : duration?.kind === 'working-days-elapsed' ? duration.days : 0,
    ).toBe(amount);
  });
});

describe('a weekday and a day of the month, with no month, is the nearest such date', () => {
  test.each([
    ['where will we be on monday 14th', '2026-12-14'],
    ['down since friday the 27th', '2026-11-27'],
  ])('%s', (text, date) => {
    expect(read(text)[0]?.date).toBe(date);
  });
});

describe('days staff name rather than number', () => {
  test.each([
    ['down since christmas eve lunchtime', '2026-12-24'],
    ['since boxing day', '2026-12-26'],
    ["on new year's day", '2027-01-01'],
  ])('%s', (text, date) => {
    expect(read(text)[0]?.date).toBe(date);
  });

  test.each([
    ['sent the day before christmas eve', '2026-12-23'],
    ['deferred the day after boxing day', '2026-12-27'],
    ['done the day before 4 January', '2027-01-03'],
  ])('"the day before/after" a day: %s', (text, date) => {
    expect(read(text)[0]?.date).toBe(date);
  });
});

describe('a time with a dot between hour and minutes', () => {
  test.each([
    ['it went off at 8.40 this morning', 8, 40],
    ['down since 9.15', 9, 15],
    ['went down 4.30 in the afternoon', 16, 30],
    ['since 2.45', 14, 45],
  ])('%s', (text, hour, minute) => {
    expect(read(text)[0]?.time).toEqual({ hour, minute });
  });

  test('a decimal with no "at" or part of the day is not a time', () => {
    expect(read('version 4.10 of the pack')).toEqual([]);
  });
});
