import { describe, expect, test } from 'vitest';
import {
  type CurrentDowntime,
  currentDowntime,
  type DowntimeNow,
} from '../../../knowledge/announcements/current-downtime.js';
import type { Announcement } from '../../../knowledge/announcements/model.js';
import { fromLondon } from '../../../knowledge/time/london-time.js';

function london(date: string, hour: number, minute = 0): string {
  return fromLondon(date, { hour, minute }).toISOString();
}

let n = 0;
function ann(over: Partial<Announcement> & Pick<Announcement, 'kind' | 'sendAt'>): Announcement {
  n++;
  return {
    id: `ann${String(n).padStart(5, 'a')}`,
    title: over.kind,
    targets: 'all',
    createdBy: { via: 'api' },
    createdAt: over.sendAt,
    status: 'sent',
    ...over,
  };
}

function down(c: CurrentDowntime): DowntimeNow {
  if (c.kind !== 'down') throw new Error(`expected a current downtime, got ${c.kind}`);
  return c;
}

describe('the ICB announces unplanned downtime', () => {
  // Sent Sunday 8 November 2026 04:00; it went down at 04:00.
  const unplanned = ann({
    kind: 'unplanned-downtime',
    sendAt: london('2026-11-08', 4),
    startsAt: london('2026-11-08', 4),
  });

  test('30 hours later it is stage 2, and stage 3 starts on the 5th working day after (Sunday start)', () => {
    const c = down(currentDowntime([unplanned], new Date(london('2026-11-09', 10))));
    expect(c.stage?.stage).toBe(2);
    expect(c.stage?.nextStage).toBe(3);
    // Sunday is not a working day: Monday 9th to Friday 13th are the 5 working days, same clock time.
    expect(c.stage?.nextStageAt?.toISOString()).toBe(london('2026-11-13', 4));
    expect(c.announcedAt.toISOString()).toBe(unplanned.sendAt);
    expect(c.scope).toEqual({ kind: 'national' });
  });

  test('an announcement saying it went down earlier counts from then; before it is sent nothing is current', () => {
    const late = ann({
      kind: 'unplanned-downtime',
      sendAt: london('2026-11-09', 9),
      startsAt: london('2026-11-06', 16),
      status: 'scheduled',
    });
    expect(currentDowntime([late], new Date(london('2026-11-09', 8))).kind).toBe('none');
    const c = down(currentDowntime([late], new Date(london('2026-11-09', 10))));
    expect(c.startedAt.toISOString()).toBe(late.startsAt);
    expect(c.stage?.stage).toBe(2);
  });

  test('a cancelled one counts for nothing', () => {
    const cancelled = { ...unplanned, status: 'cancelled' as const };
    expect(currentDowntime([cancelled], new Date(london('2026-11-09', 10)))).toEqual({ kind: 'none' });
  });

  test('restored ends it, and is shown for a week', () => {
    const restored = ann({ kind: 'restored', sendAt: london('2026-11-10', 11) });
    const at = (date: string, hour: number) => currentDowntime([restored, unplanned], new Date(london(date, hour)));
    expect(at('2026-11-10', 10).kind).toBe('down');
    const after = at('2026-11-10', 12);
    expect(after).toMatchObject({ kind: 'restored', how: 'announced', announcementId: restored.id });
    if (after.kind !== 'restored') throw new Error('restored');
    expect(after.restoredAt.toISOString()).toBe(restored.sendAt);
    expect(after.startedAt?.toISOString()).toBe(unplanned.startsAt);
    expect(at('2026-11-18', 12).kind).toBe('none');
  });

  test('a downtime of the Optum/Vision link only has no stages', () => {
    const link = { ...unplanned, scope: { kind: 'optum-vision' as const } };
    const c = down(currentDowntime([link], new Date(london('2026-11-09', 10))));
    expect(c.scope.kind).toBe('optum-vision');
    expect(c.stage).toBeUndefined();
  });
});

describe('the ICB announces a planned downtime a week ahead', () => {
  const planned = ann({
    kind: 'planned-downtime',
    sendAt: london('2026-11-02', 9),
    startsAt: london('2026-11-07', 18),
    endsAt: london('2026-11-07', 22),
  });

  test('is current from its start to its end, then over', () => {
    expect(currentDowntime([planned], new Date(london('2026-11-07', 17))).kind).toBe('none');
    const during = down(currentDowntime([planned], new Date(london('2026-11-07', 19))));
    expect(during).toMatchObject({ planned: true });
    expect(during.stage?.stage).toBe(1);
    expect(during.endsAt?.toISOString()).toBe(planned.endsAt);
    expect(currentDowntime([planned], new Date(london('2026-11-07', 22)))).toMatchObject({
      kind: 'restored',
      how: 'planned-end',
    });
  });

  test('an extension announced during it moves the end and keeps the start', () => {
    const extension = ann({
      kind: 'planned-downtime',
      sendAt: london('2026-11-07', 21),
      startsAt: london('2026-11-07', 22),
      endsAt: london('2026-11-08', 2),
    });
    const c = down(currentDowntime([planned, extension], new Date(london('2026-11-07', 23))));
    expect(c.startedAt.toISOString()).toBe(planned.startsAt);
    expect(c.endsAt?.toISOString()).toBe(extension.endsAt);
    expect(currentDowntime([planned, extension], new Date(london('2026-11-08', 3))).kind).toBe('restored');
  });

  test('an overrun announced as unplanned downtime without a start keeps counting from the planned start', () => {
    const overrun = ann({ kind: 'unplanned-downtime', sendAt: london('2026-11-07', 21, 30) });
    const c = down(currentDowntime([planned, overrun], new Date(london('2026-11-09', 10))));
    expect(c.planned).toBe(false);
    expect(c.startedAt.toISOString()).toBe(planned.startsAt);
    expect(c.stage?.stage).toBe(2);
  });
});

describe('housekeeping while a downtime goes on', () => {
  test('keeps the announcements of a downtime older than the retention period until it is restored', async () => {
    const { MemoryStorage } = await import('botbuilder');
    const { listAnnouncements, saveAnnouncement } = await import('../../../bot/announcements/store.js');
    const { runHousekeeping } = await import('../../../bot/housekeeping.js');
    const storage = new MemoryStorage();
    const longAgo = london('2026-08-03', 9);
    const outage = ann({ kind: 'unplanned-downtime', sendAt: longAgo, startsAt: longAgo, finishedAt: longAgo });
    const training = ann({ kind: 'general', sendAt: longAgo, finishedAt: longAgo });
    await saveAnnouncement(storage, outage);
    await saveAnnouncement(storage, training);
    const now = new Date(london('2026-11-09', 10));
    expect((await runHousekeeping(storage, now, 30)).announcements).toBe(1);
    expect((await listAnnouncements(storage)).map((a) => a.id)).toEqual([outage.id]);
    expect(down(currentDowntime(await listAnnouncements(storage), now)).stage?.stage).toBe(3);

    const restored = ann({ kind: 'restored', sendAt: london('2026-08-04', 9), finishedAt: london('2026-08-04', 9) });
    await saveAnnouncement(storage, restored);
    expect((await runHousekeeping(storage, now, 30)).announcements).toBe(2);
  });
});
