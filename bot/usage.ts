import type { Storage } from 'botbuilder';
import { z } from 'zod';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Entry } from '../knowledge/schema.js';
import { CREATE_ONLY_ETAG, withRetryOnConflict } from './storage/claims.js';
import { WriteBatch } from './storage/write-batch.js';

/**
 * How often each knowledge entry has been given as an answer, so the message extension can open on
 * the topics practices actually ask about. Only entry ids and counts are kept: no question text, no
 * user, no conversation.
 */
export const USAGE_KEY = 'usage/entries';

/**
 * Shown until there is usage to go on: the everyday problems GP IT facilitators are asked about
 * (blocked smartcard, red PDS icon, downtime, deferring, attaching letters, worklists). A value
 * ending in "-" is an id prefix: the troubleshooting slugs are the data authors' to change.
 */
export const COMMON_TOPICS: readonly string[] = Object.freeze([
  'ts-5-',
  'ts-3-',
  'downtime-overview',
  'defer-to-provider',
  'attaching-referral-letters',
  'worklists-overview',
  'ts-7-',
  'ts-8-',
  'smartcard-ordering',
  'finding-a-clinic-tips',
]);

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

const recorders = new WeakMap<Storage, UsageRecorder>();

/** The recorder for a storage (one per storage object, shared by the apps using it). */
export function usageRecorder(storage: Storage, onError: (err: unknown) => void): UsageRecorder {
  let recorder = recorders.get(storage);
  if (!recorder) {
    recorder = new UsageRecorder(storage, onError);
    recorders.set(storage, recorder);
  }
  return recorder;
}

/** The common topics that exist in this knowledge base, in the order of {@link COMMON_TOPICS}. */
export function commonTopics(kb: KnowledgeBase, n: number): Entry[] {
  const out: Entry[] = [];
  for (const topic of COMMON_TOPICS) {
    const entry = topic.endsWith('-') ? kb.entries.find((e) => e.id.startsWith(topic)) : kb.byId.get(topic);
    if (entry && !out.includes(entry)) out.push(entry);
  }
  return out.slice(0, Math.max(0, n));
}

/**
 * The `n` entries answered most often (ties in common-topic order, then by id), topped up with the
 * common topics when there is too little usage yet. Ids no longer in the pack are skipped.
 */
export async function mostUsed(storage: Storage, kb: KnowledgeBase, n: number): Promise<Entry[]> {
  if (n <= 0) return [];
  const { counts } = await readUsage(storage);
  const common = commonTopics(kb, COMMON_TOPICS.length);
  const rankOf = (entry: Entry) => {
    const i = common.indexOf(entry);
    return i === -1 ? common.length : i;
  };
  const used = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([id, count]) => ({ entry: kb.byId.get(id), count }))
    .filter((u): u is { entry: Entry; count: number } => u.entry !== undefined)
    .sort((a, b) => b.count - a.count || rankOf(a.entry) - rankOf(b.entry) || a.entry.id.localeCompare(b.entry.id))
    .map((u) => u.entry);
  const out = used.slice(0, n);
  for (const entry of common) {
    if (out.length >= n) break;
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}
