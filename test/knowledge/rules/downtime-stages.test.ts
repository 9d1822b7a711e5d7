import { describe, expect, test } from 'vitest';
import { type DowntimeStage, downtimeStage, readDowntimeWindow } from '../../../knowledge/rules/downtime-stages.js';
import { fromLondon } from '../../../knowledge/time/london-time.js';

function london(date: string, hour: number, minute = 0): Date {
  return fromLondon(date, { hour, minute });
}

function stageOf(start: Date, now: Date): DowntimeStage {
  const r = downtimeStage(start, now);
  if (r.kind !== 'stage') throw new Error(r.message);
  return r;
}

describe('e-RS goes down and staff ask which stage applies', () => {
  test('down Friday 6 November 2026 16:00, asked Monday 09:00: after 24 hours, stage 3 from Friday 13th 16:00', () => {
    const s = stageOf(london('2026-11-06', 16), london('2026-11-09', 9));
    expect(s.stage).toBe(2);
    expect(s.label).toBe('After 24 hours');
    expect(s.stageStartedAt.toISOString()).toBe('2026-11-07T16:00:00.000Z');
    expect(s.nextStage).toBe(3);
    expect(s.nextStageAt?.toISOString()).toBe('2026-11-13T16:00:00.000Z');
    expect(s.working).toContain(
      'After 5 working days: from Friday 13 November 2026 at 16:00 (5 working days after Friday 6 November 2026, same clock time)',
    );
    expect(s.working).toContain('Skipped: 1 weekend.');
    expect(s.section).toBe('e-RS Downtime Protocol');
  });

  test('is in the first 24 hours until exactly 24 hours have passed', () => {
    const start = london('2026-11-10', 10);
    const s1 = stageOf(start, new Date(start.getTime() + 24 * 3_600_000 - 1));
    expect(s1).toMatchObject({ stage: 1, label: 'First 24 hours', nextStage: 2 });
    expect(s1.stageStartedAt).toEqual(start);
    expect(stageOf(start, new Date(start.getTime() + 24 * 3_600_000)).stage).toBe(2);
    expect(stageOf(start, start).stage).toBe(1);
  });

  test('moves to stage 3 at exactly the same clock time on the 5th working day', () => {
    const start = london('2026-11-10', 10);
    const stage3 = london('2026-11-17', 10);
    expect(stageOf(start, new Date(stage3.getTime() - 1)).stage).toBe(2);
    const s3 = stageOf(start, stage3);
    expect(s3).toMatchObject({ stage: 3, label: 'After 5 working days', nextStage: null, nextStageAt: null });
    expect(s3.stageStartedAt).toEqual(stage3);
  });

  test('a start on a Saturday counts 5 working days from the Monday', () => {
    const s = stageOf(london('2026-11-07', 11), london('2026-11-08', 12));
    expect(s.stage).toBe(2);
    expect(s.stage3At).toEqual(london('2026-11-13', 11));
    expect(s.working.join('\n')).toContain('7 November 2026 is not a working day (a weekend)');
  });

  test('skips Christmas, the Boxing Day substitute and New Year inside the 5 working days', () => {
    const s = stageOf(london('2026-12-24', 9), london('2027-01-04', 9));
    expect(s.stage).toBe(2);
    expect(s.stage3At).toEqual(london('2027-01-05', 9));
    expect(s.skipped.filter((d) => d.reason === 'bank holiday').map((d) => d.date)).toEqual([
      '2026-12-25',
      '2026-12-28',
      '2027-01-01',
    ]);
  });

  test('skips Good Friday and Easter Monday 2026', () => {
    expect(stageOf(london('2026-04-02', 14), london('2026-04-02', 15)).stage3At).toEqual(london('2026-04-13', 14));
  });

  describe('over a clock change', () => {
    test('down Friday 23 October 2026 16:00 BST: stage 3 is Friday 30 October 16:00 GMT', () => {
      const s = stageOf(london('2026-10-23', 16), london('2026-10-26', 9));
      expect(s.stage2At.toISOString()).toBe('2026-10-24T15:00:00.000Z');
      expect(s.stage3At.toISOString()).toBe('2026-10-30T16:00:00.000Z');
    });

    test('down Saturday 24 October 2026 noon BST: 24 hours later reads 11:00 GMT on Sunday', () => {
      const s = stageOf(london('2026-10-24', 12), london('2026-10-25', 10, 59));
      expect(s.stage).toBe(1);
      expect(s.stage2At.toISOString()).toBe('2026-10-25T11:00:00.000Z');
      expect(s.working).toContain('After 24 hours: from Sunday 25 October 2026 at 11:00');
      expect(s.stage3At.toISOString()).toBe('2026-10-30T12:00:00.000Z');
    });

    test('down Thursday 25 March 2027 17:00 GMT, over Easter and the spring change: stage 3 Monday 5 April 17:00 BST', () => {
      const s = stageOf(london('2027-03-25', 17), london('2027-03-29', 9));
      expect(s.stage).toBe(2);
      expect(s.stage2At.toISOString()).toBe('2027-03-26T17:00:00.000Z');
      expect(s.stage3At.toISOString()).toBe('2027-04-05T16:00:00.000Z');
    });

    test('down Saturday 27 March 2027 20:00 GMT: 24 hours later reads 21:00 BST', () => {
      const s = stageOf(london('2027-03-27', 20), london('2027-03-28', 20, 30));
      expect(s.stage).toBe(1);
      expect(s.stage2At.toISOString()).toBe('2027-03-28T20:00:00.000Z');
      expect(s.stage3At).toEqual(london('2027-04-05', 20));
    });
  });

  test('refuses a current time before the start, and years outside the table', () => {
    expect(downtimeStage(london('2026-11-10', 10), london('2026-11-10', 9)).kind).toBe('error');
    expect(downtimeStage(new Date('2035-12-28T10:00:00Z'), new Date('2035-12-29T10:00:00Z'))).toEqual({
      kind: 'error',
      message: 'The answer falls outside 2020 to 2035, the years I know the bank holidays for, so I cannot count it.',
    });
  });
});

describe('reading the downtime start from a message', () => {
  const NOW = london('2026-11-09', 9);

  test('uses the second date as the current time when the words say "it is now"', () => {
    const w = readDowntimeWindow(
      'e-RS went down Friday 6 November 2026 at 4pm; it is now Monday 9 November 2026 at 9am',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(w).toMatchObject({ kind: 'window', start: london('2026-11-06', 16), now: NOW, startTimeKnown: true });
  });

  test("the same day named again in brackets is the start's day, not a later now", () => {
    const w = readDowntimeWindow('down since 8am yesterday (sun 8th) and still not back', NOW);
    expect(w).toMatchObject({ kind: 'window', start: london('2026-11-08', 8), now: NOW });
  });

  test('reads "since yesterday 3pm"', () => {
    expect(readDowntimeWindow('down since yesterday 3pm', NOW)).toMatchObject({ start: london('2026-11-08', 15) });
  });

  test('reads "for 30 hours" back from now', () => {
    const w = readDowntimeWindow('e-RS has been down for 30 hours', NOW);
    expect(w.kind === 'window' && w.start.toISOString()).toBe('2026-11-08T03:00:00.000Z');
  });

  test('reads "over 5 working days" as stage 3', () => {
    const w = readDowntimeWindow('it has been down for over 5 working days', NOW);
    if (w.kind !== 'window') throw new Error('expected a window');
    expect(w.atLeast).toBe(true);
    expect(w.start).toEqual(london('2026-11-02', 9));
    expect(stageOf(w.start, w.now).stage).toBe(3);
  });

  test('assumes the start of the day when no time is given, and says so', () => {
    expect(readDowntimeWindow('down since Friday', NOW)).toMatchObject({
      start: london('2026-11-06', 0),
      startTimeKnown: false,
    });
  });

  test('says when it cannot find a start', () => {
    expect(readDowntimeWindow('e-RS is down', NOW)).toEqual({ kind: 'missing-start', now: NOW });
  });
});
