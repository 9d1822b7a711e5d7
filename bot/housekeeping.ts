import type { Storage } from 'botbuilder';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import { currentDowntime } from '../knowledge/announcements/current-downtime.js';
import type { Announcement, Reminder } from '../knowledge/announcements/model.js';
import type { Clock } from '../knowledge/time/clock.js';
import { ANNOUNCEMENTS_KEY, REMINDERS_KEY, updateCollection } from './announcements/store.js';
import { pruneRecords, RECORD_KEYS, type RecordKind } from './storage/records.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const FINISHED_ANNOUNCEMENT = new Set<Announcement['status']>(['sent', 'cancelled', 'expired']);
const FINISHED_REMINDER = new Set<Reminder['status']>(['sent', 'cancelled', 'failed']);

export interface HousekeepingOutcome {
  records: number;
  announcements: number;
  reminders: number;
  /** Delivery claims and conversation state untouched for the retention period (SQLite only). */
  stale: number;
}

/** Per-target delivery claims, worklist, reminder and throttled-reply claims: kept only to stop repeats. */
const CLAIM_PREFIXES = ['announce/', 'worklist/', 'reminder/', 'pending-reply/'];
/** Conversation and user state (teams-ai keys: channel/bot/conversations/id, channel/bot/users/id). */
const STATE_SEGMENTS = ['/conversations/', '/users/'];

interface Prunable {
  pruneUnchangedSince(before: Date, prefixes: readonly string[], segments: readonly string[]): Promise<number>;
}

function isPrunable(storage: Storage): storage is Storage & Prunable {
  return typeof (storage as Partial<Prunable>).pruneUnchangedSince === 'function';
}

/**
 * Drops what the retention period (RETENTION_DAYS) no longer covers: feedback and unanswered
 * questions, finished announcements and reminders, and (SQLite) delivery claims and conversation
 * state not written for that long. Records are also pruned when one is added,
 * but a quiet bot adds none, so this runs daily too. Scheduled and sending items are never touched.
 */
export async function runHousekeeping(
  storage: Storage,
  now: Date,
  retentionDays: number,
): Promise<HousekeepingOutcome> {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const old = (iso: string | undefined) => iso !== undefined && Date.parse(iso) < cutoff;
  let records = 0;
  for (const kind of Object.keys(RECORD_KEYS) as RecordKind[])
    records += (await pruneRecords(storage, kind, now, retentionDays)).removed;
  const announcements = await updateCollection<Announcement, number>(storage, ANNOUNCEMENTS_KEY, (items) => {
    // A downtime still going on is worked out from its announcements: they stay until it is over.
    const stillDown = currentDowntime(Object.values(items), now).kind === 'down';
    const drop = Object.values(items).filter(
      (a) =>
        FINISHED_ANNOUNCEMENT.has(a.status) && old(a.finishedAt ?? a.sendAt) && !(stillDown && a.kind !== 'general'),
    );
    if (drop.length === 0) return { result: 0 };
    const kept = { ...items };
    for (const a of drop) delete kept[a.id];
    return { items: kept, result: drop.length };
  });
  const reminders = await updateCollection<Reminder, number>(storage, REMINDERS_KEY, (items) => {
    const drop = Object.values(items).filter((r) => FINISHED_REMINDER.has(r.status) && old(r.dueAt));
    if (drop.length === 0) return { result: 0 };
    const kept = { ...items };
    for (const r of drop) delete kept[r.id];
    return { items: kept, result: drop.length };
  });
  // Claims and state that nobody has touched for the retention period would otherwise grow for ever.
  const stale = isPrunable(storage)
    ? await storage.pruneUnchangedSince(new Date(cutoff), CLAIM_PREFIXES, STATE_SEGMENTS)
    : 0;
  return { records, announcements, reminders, stale };
}

/** Runs housekeeping at start and then daily at 03:00 London time, off the turn's path. */
export function startHousekeeping(deps: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
}): () => void {
  const run = () => {
    runHousekeeping(deps.storage, deps.clock.now(), deps.retentionDays)
      .then((outcome) => deps.logger.info({ event: 'housekeeping.done', ...outcome }, 'old records removed'))
      .catch((err: unknown) =>
        deps.logger.error(
          { event: 'housekeeping.failed', err: err instanceof Error ? err.name : 'unknown' },
          'housekeeping failed',
        ),
      );
  };
  const job = new Cron('0 3 * * *', { timezone: 'Europe/London', protect: true, unref: true }, run);
  run();
  return () => job.stop();
}
