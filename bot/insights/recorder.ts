import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TurnInsight } from '../../dialogs/router.js';
import type { IsoDate } from '../../knowledge/time/calendar-date.js';
import { londonDate } from '../../knowledge/time/london-time.js';
import { CREATE_ONLY_ETAG, withRetryOnConflict } from '../storage/claims.js';
import { WriteBatch } from '../storage/write-batch.js';
import { BATCH_WINDOW_MS } from '../usage.js';

/**
 * Usage counts for the content owners' insights page: per London day, how many questions went to
 * each feature, which topics were answered, and which boroughs and trusts questions named. Counts
 * only: no message text, no user, no conversation, nothing that identifies anyone.
 */

export const FEATURES = ['knowledge', 'troubleshooting', 'downtime', 'deadlines', 'contacts', 'search-tips'] as const;
export type Feature = (typeof FEATURES)[number];

const counts = z.record(z.string(), z.number().int().nonnegative());
const dayCountsSchema = z.object({
  features: counts.default({}),
  topics: counts.default({}),
  boroughs: counts.default({}),
  trusts: counts.default({}),
});
export type DayCounts = z.infer<typeof dayCountsSchema>;
type Bucket = keyof DayCounts;

export const insightsDayKey = (date: IsoDate) => `insights/day/${date}`;

export function emptyDay(): DayCounts {
  return { features: {}, topics: {}, boroughs: {}, trusts: {} };
}

export function parseDay(item: unknown): DayCounts {
  const parsed = dayCountsSchema.safeParse(item ?? {});
  return parsed.success ? parsed.data : emptyDay();
}

/** Which feature a question went to: the dialog it continued, else the kind of question it is. */
export function featureOf(insight: Pick<TurnInsight, 'continues' | 'intent'>): Feature {
  switch (insight.continues ?? insight.intent.kind) {
    case 'troubleshoot':
    case 'troubleshoot-menu':
      return 'troubleshooting';
    case 'downtime':
      return 'downtime';
    case 'deadline':
    case 'calculator':
      return 'deadlines';
    case 'contact':
      return 'contacts';
    case 'search-tips':
      return 'search-tips';
    default:
      return 'knowledge';
  }
}

/** The per-day counts for the days asked for (absent days are empty), one storage read. */
export async function readDays(storage: Storage, dates: readonly IsoDate[]): Promise<Map<IsoDate, DayCounts>> {
  const items = dates.length > 0 ? await storage.read(dates.map(insightsDayKey)) : {};
  return new Map(dates.map((d) => [d, parseDay(items[insightsDayKey(d)])]));
}

/**
 * Counts off the turn's path, as the usage recorder does (bot/usage.ts): a turn only bumps an
 * in-memory count, and one write at a time carries everything counted since the last, so a storage
 * failure or a busy key never costs an answer.
 */
export class InsightsRecorder {
  private pending = new Map<IsoDate, DayCounts>();
  private readonly batch: WriteBatch;

  /** `batchMs`: how long counts gather before one write carries them all (bot/usage.ts BATCH_WINDOW_MS). */
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

  /** A question (a message the bot routed): its feature and the places it named. */
  countQuestion(insight: Pick<TurnInsight, 'continues' | 'intent' | 'search'>, now: Date): void {
    const day = londonDate(now);
    this.bump(day, 'features', featureOf(insight));
    const { boroughs, trusts } = insight.search.entities;
    for (const borough of new Set(boroughs)) this.bump(day, 'boroughs', borough);
    for (const trust of new Set(trusts)) this.bump(day, 'trusts', trust);
    this.batch.schedule();
  }

  /** A topic (knowledge entry) given as an answer. */
  countTopic(entryId: string, now: Date): void {
    this.bump(londonDate(now), 'topics', entryId);
    this.batch.schedule();
  }

  /** Resolves once every count made so far is written (the insights page, tests, shutdown). */
  flushed(): Promise<void> {
    return this.batch.flushed();
  }

  private bump(day: IsoDate, bucket: Bucket, key: string): void {
    let counts = this.pending.get(day);
    if (!counts) {
      counts = emptyDay();
      this.pending.set(day, counts);
    }
    counts[bucket][key] = (counts[bucket][key] ?? 0) + 1;
  }

  private async writePending(): Promise<void> {
    const days = this.pending;
    this.pending = new Map();
    for (const [day, add] of days) {
      try {
        await this.write(day, add);
      } catch (err: unknown) {
        this.onError(err);
      }
    }
  }

  private async write(day: IsoDate, add: DayCounts): Promise<void> {
    const key = insightsDayKey(day);
    await withRetryOnConflict(async () => {
      const item = (await this.storage.read([key]))[key] as (DayCounts & { eTag?: unknown }) | undefined;
      const counts = parseDay(item);
      for (const bucket of Object.keys(add) as Bucket[]) {
        for (const [k, n] of Object.entries(add[bucket])) counts[bucket][k] = (counts[bucket][k] ?? 0) + n;
      }
      const stored = item?.eTag;
      const eTag = item ? (typeof stored === 'string' && stored.length > 0 ? stored : '*') : CREATE_ONLY_ETAG;
      await this.storage.write({ [key]: { ...counts, eTag } });
    }, 10);
  }
}

/** The recorder a server uses: failures are logged (without detail) and cost nothing else. */
export function createInsightsRecorder(storage: Storage, logger: Logger): InsightsRecorder {
  return new InsightsRecorder(storage, (err: unknown) =>
    logger.warn(
      { event: 'insights.record.failed', err: err instanceof Error ? err.name : 'unknown' },
      'usage counts not recorded',
    ),
  );
}
