import type { Storage } from 'botbuilder';
import { withRetryOnConflict } from './claims.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A kept record (an unanswered question, a feedback entry): `at` is an ISO 8601 timestamp. */
export interface TimedRecord {
  at: string;
}

function checkRetentionDays(retentionDays: number): void {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RangeError('retentionDays must be a positive number');
  }
}

/**
 * The records still inside the retention window, in their original order: those whose `at` is no more
 * than `retentionDays` days before `now` (a record exactly on the boundary is kept; so is one dated
 * after `now`, as a clock a little ahead is no reason to lose it). A record whose `at` cannot be read
 * as a date is dropped: its age cannot be shown to be within the window, and the window is what limits
 * how long people's words are kept.
 *
 * @example pruneExpired([{ at: '2025-01-01T09:00:00Z' }], new Date('2025-03-01T00:00:00Z'), 30) // []
 */
export function pruneExpired<T extends TimedRecord>(records: readonly T[], now: Date, retentionDays: number): T[] {
  checkRetentionDays(retentionDays);
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return records.filter((record) => {
    const at = Date.parse(record.at);
    return Number.isFinite(at) && at >= cutoff;
  });
}

export interface PruneOutcome {
  kept: number;
  removed: number;
}

/**
 * Applies `pruneExpired` to the list kept at `storage[key][field]` (e.g. `{ records: [...] }`), with an
 * eTag-guarded write retried on conflict so a record appended meanwhile by another turn is not lost.
 * Nothing is written when nothing expired; a missing key or field counts as an empty list.
 */
export async function pruneStoredList(
  storage: Storage,
  key: string,
  now: Date,
  retentionDays: number,
  field = 'records',
): Promise<PruneOutcome> {
  checkRetentionDays(retentionDays);
  return withRetryOnConflict(async () => {
    const item = (await storage.read([key]))[key];
    const list: unknown = item?.[field];
    if (!item || !Array.isArray(list)) return { kept: 0, removed: 0 };
    const records = list.filter(
      (entry): entry is TimedRecord =>
        typeof entry === 'object' && entry !== null && typeof (entry as { at?: unknown }).at === 'string',
    );
    const kept = pruneExpired(records, now, retentionDays);
    const removed = list.length - kept.length;
    if (removed === 0) return { kept: kept.length, removed };
    await storage.write({ [key]: { ...item, [field]: kept, eTag: item.eTag ?? '*' } });
    return { kept: kept.length, removed };
  });
}
