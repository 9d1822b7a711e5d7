import type { Storage } from 'botbuilder';
import { z } from 'zod';
import { CREATE_ONLY_ETAG, withRetryOnConflict } from './storage/claims.js';
import { WriteBatch } from './storage/write-batch.js';

/**
 * How often each knowledge entry has been given as an answer, so the message extension can open on
 * the topics practices actually ask about. Only entry ids and counts are kept: no question text, no
 * user, no conversation.
 */
export const USAGE_KEY = 'usage/entries';

/** One stored item for every entry keeps the read to a single key; ~100 entries keep it small. */
const MAX_TRACKED = 1000;

/**
 * How long counts gather before they are written (usage here, insights in bot/insights/recorder.ts).
 * A quarter of a second loses nothing a person would notice (the counts only order a list, or feed a
 * page that flushes first) and, under load, turns hundreds of writes a second into four.
 */
export const BATCH_WINDOW_MS = 250;

/** Every answer on every instance writes this one key, so conflicts are expected under load. */
const RETRY_ATTEMPTS = 10;

const usageSchema = z.object({
  counts: z.record(z.string(), z.number().int().nonnegative()),
  updatedAt: z.string().optional(),
});

export interface UsageRecord {
  counts: Record<string, number>;
  updatedAt?: string;
}

function parseUsage(item: unknown): UsageRecord {
  const parsed = usageSchema.safeParse(item);
  return parsed.success ? { counts: { ...parsed.data.counts }, updatedAt: parsed.data.updatedAt } : { counts: {} };
}

/** The stored counts (empty when nothing has been recorded or the item is unreadable). */
export async function readUsage(storage: Storage): Promise<UsageRecord> {
  const items = await storage.read([USAGE_KEY]);
  return parseUsage(items[USAGE_KEY]);
}

/**
 * Adds one to `entryId`'s count. The write carries the eTag it read, so two instances answering at
 * once cannot lose each other's count: the loser gets a conflict, reads again and retries.
 *
 * @example await recordUse(storage, 'ts-5-smartcard-blocked', clock.now())
 */
export async function recordUse(storage: Storage, entryId: string, now: Date): Promise<void> {
  if (entryId.length === 0) throw new Error('recordUse: entryId must be a non-empty string');
  await addCounts(storage, new Map([[entryId, 1]]), now);
}

/** Adds a batch of counts in one eTag-guarded read-modify-write, retried on conflict. */
export async function addCounts(storage: Storage, increments: ReadonlyMap<string, number>, now: Date): Promise<void> {
  await withRetryOnConflict(async () => {
    const item = (await storage.read([USAGE_KEY]))[USAGE_KEY];
    const usage = parseUsage(item);
    for (const [entryId, n] of increments) {
      if (!(entryId in usage.counts) && Object.keys(usage.counts).length >= MAX_TRACKED) continue;
      usage.counts[entryId] = (usage.counts[entryId] ?? 0) + n;
    }
    const stored = item?.eTag;
    // A storage that gives no eTag cannot guard the write; the count is advisory, so last write wins.
    const eTag = item ? (typeof stored === 'string' && stored.length > 0 ? stored : '*') : CREATE_ONLY_ETAG;
    await storage.write({ [USAGE_KEY]: { counts: usage.counts, updatedAt: now.toISOString(), eTag } });
  }, RETRY_ATTEMPTS);
}

/**
 * Counts answers off the turn's path. Every answer on every instance would otherwise queue on the
 * one usage key (measured: file-storage knowledge turns capped near 100 a second, bench/README.md);
 * here a turn only bumps an in-memory count, and one write at a time carries all the counts made
 * since the last, so under load many answers share a write.
 */
export class UsageRecorder {
  private pending = new Map<string, number>();
  private latest = new Date(0);
  private readonly batch: WriteBatch;

  /**
   * `batchMs`: how long the first count after a quiet spell waits for others before the write, so
   * the write (a read, a merge and an eTag-guarded write) runs after the turn, not inside it, and
   * carries every answer of that window (BATCH_WINDOW_MS; 0 writes at once).
   */
  constructor(
    private readonly storage: Storage,
    private readonly onError: (err: unknown) => void,
    batchMs = BATCH_WINDOW_MS,
  ) {
    this.batch = new WriteBatch(
      () => this.writePending(),
      () => this.pending.size > 0,
      batchMs,
    );
  }

  record(entryId: string, now: Date): void {
    this.pending.set(entryId, (this.pending.get(entryId) ?? 0) + 1);
    this.latest = now;
    this.batch.schedule();
  }

  /** The stored counts per entry id (what the message extension ranks its opening list by). */
  async counts(): Promise<Record<string, number>> {
    return (await readUsage(this.storage)).counts;
  }

  /** Resolves once every count recorded so far is written (tests, shutdown): a waiting batch goes now. */
  flushed(): Promise<void> {
    return this.batch.flushed();
  }

  private async writePending(): Promise<void> {
    const counts = this.pending;
    this.pending = new Map();
    try {
      await addCounts(this.storage, counts, this.latest);
    } catch (err: unknown) {
      this.onError(err);
    }
  }
}
