import type { Storage } from 'botbuilder';
import { maskDeep } from '../bot/safety/pii.js';
import { CREATE_ONLY_ETAG, withRetryOnConflict } from '../bot/storage/claims.js';
import { pruneExpired, type TimedRecord } from '../bot/storage/retention.js';

/**
 * Feedback and unanswered questions for the content owners, kept in the bot's storage as one list
 * per kind, pruned to the retention window on every write and daily by the scheduler. Feedback holds
 * no text; an unanswered question is kept as the pack's words it used. `maskDeep` is a second guard.
 */
export type RecordKind = 'feedback' | 'unanswered';

export interface FeedbackRecord extends TimedRecord {
  entryId: string;
  helpful: boolean;
  conversationType?: string;
}

export interface UnansweredRecord extends TimedRecord {
  /**
   * Only the pack's own words the question contained, never the question as typed: staff paste
   * patient details that no detector catches in full (names, phone numbers, addresses).
   */
  words: string[];
  confidence: 'close' | 'none';
  suggestions: string[];
}

export const RECORD_KEYS: Readonly<Record<RecordKind, string>> = Object.freeze({
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
  const key = RECORD_KEYS[kind];
  const safe = maskDeep(record);
  await withRetryOnConflict(async () => {
    const item = (await storage.read([key]))[key] as { records?: TimedRecord[]; eTag?: string } | undefined;
    const kept = pruneExpired(timedRecords(item?.records), now, retentionDays);
    const records = [...kept, safe].slice(-MAX_RECORDS);
    await storage.write({ [key]: { records, eTag: item?.eTag ?? CREATE_ONLY_ETAG } });
  });
}

export async function readRecords<T extends TimedRecord>(storage: Storage, kind: RecordKind): Promise<T[]> {
  const item = (await storage.read([RECORD_KEYS[kind]]))[RECORD_KEYS[kind]] as { records?: unknown } | undefined;
  return timedRecords(item?.records) as T[];
}

/**
 * The well-formed records in a stored list. A list damaged by hand or by an older build (not an
 * array, entries without a time) must not make every unanswerable question fail; what cannot be read
 * is dropped at the next write.
 */
function timedRecords(value: unknown): TimedRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is TimedRecord =>
      typeof entry === 'object' && entry !== null && typeof (entry as { at?: unknown }).at === 'string',
  );
}
