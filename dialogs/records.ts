import type { Storage } from 'botbuilder';
import { maskDeep } from '../bot/safety/pii.js';
import { withRetryOnConflict } from '../bot/storage/claims.js';
import { pruneExpired, type TimedRecord } from '../bot/storage/retention.js';

/**
 * Feedback and unanswered questions for the content owners, kept in the bot's storage as one list
 * per kind, pruned to the retention window on every write. Identifiers are masked before anything
 * is stored.
 */
export type RecordKind = 'feedback' | 'unanswered';

export interface FeedbackRecord extends TimedRecord {
  entryId: string;
  helpful: boolean;
  conversationType?: string;
}

export interface UnansweredRecord extends TimedRecord {
  question: string;
  confidence: 'close' | 'none';
  suggestions: string[];
}

const KEYS: Readonly<Record<RecordKind, string>> = Object.freeze({
  feedback: 'records/feedback',
  unanswered: 'records/unanswered',
});

/** The most records kept per kind, whatever the retention: a bound on storage and item size. */
export const MAX_RECORDS = 2000;

export async function appendRecord(
  storage: Storage,
  kind: RecordKind,
  record: FeedbackRecord | UnansweredRecord,
  now: Date,
  retentionDays: number,
): Promise<void> {
  const key = KEYS[kind];
  const safe = maskDeep(record);
  await withRetryOnConflict(async () => {
    const item = (await storage.read([key]))[key] as { records?: TimedRecord[]; eTag?: string } | undefined;
    const kept = pruneExpired(item?.records ?? [], now, retentionDays);
    const records = [...kept, safe].slice(-MAX_RECORDS);
    await storage.write({ [key]: { records, eTag: item?.eTag ?? '*' } });
  });
}

export async function readRecords<T extends TimedRecord>(storage: Storage, kind: RecordKind): Promise<T[]> {
  const item = (await storage.read([KEYS[kind]]))[KEYS[kind]] as { records?: T[] } | undefined;
  return item?.records ?? [];
}
