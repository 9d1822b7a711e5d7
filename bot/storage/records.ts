import { randomUUID } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { FeatureRecords, FeedbackRecord, UnansweredRecord } from '../../dialogs/feature-deps.js';
import { maskDeep } from '../../knowledge/safety/pii.js';
import { CREATE_ONLY_ETAG, withRetryOnConflict } from './claims.js';
import { isETagConflict } from './file-storage.js';
import { isListable, type ListableStorage } from './listable.js';
import { type PruneOutcome, pruneExpired, pruneStoredList, type TimedRecord } from './retention.js';

/**
 * Feedback and unanswered questions for the content owners, pruned to the retention window daily by
 * the scheduler. On a storage that can list (SQLite, blob, memory) each record is its own item, so a
 * busy day's questions do not all rewrite one list of up to 2,000; elsewhere they are one list per
 * kind, pruned on every write. Feedback holds no text; an unanswered question is kept as the pack's
 * words it used. `maskDeep` is a second guard.
 */
export type RecordKind = 'feedback' | 'unanswered';

export type { FeedbackRecord, UnansweredRecord };

export const RECORD_KEYS: Readonly<Record<RecordKind, string>> = Object.freeze({
  feedback: 'records/feedback',
  unanswered: 'records/unanswered',
});

/** The most records kept per kind, whatever the retention: a bound on storage and item size. */
export const MAX_RECORDS = 2000;

/** One record stored on its own; `key` lets housekeeping delete it (a listing returns no keys). */
interface StoredRecord {
  key: string;
  record: TimedRecord;
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { key?: unknown; record?: unknown };
  return typeof v.key === 'string' && timedRecords([v.record]).length === 1;
}

/** Moves a list kept by an older build (or imported from its JSON files) into one item per record. */
async function splitLegacyList(storage: ListableStorage, key: string): Promise<void> {
  const legacy = (await storage.read([key]))[key] as { records?: unknown } | undefined;
  if (!legacy) return;
  // Keys from the record's place in the list: two processes splitting at once write the same keys.
  for (const [index, record] of timedRecords(legacy.records).entries()) {
    const itemKey = `${key}/${record.at}~legacy-${index}`;
    try {
      await storage.write({ [itemKey]: { key: itemKey, record, eTag: CREATE_ONLY_ETAG } });
    } catch (err: unknown) {
      if (!isETagConflict(err)) throw err;
    }
  }
  await storage.delete([key]);
}

async function listStored(storage: ListableStorage, kind: RecordKind): Promise<StoredRecord[]> {
  const key = RECORD_KEYS[kind];
  await splitLegacyList(storage, key);
  const stored = (await storage.list(`${key}/`)).filter(isStoredRecord);
  return stored.sort((a, b) => a.record.at.localeCompare(b.record.at) || a.key.localeCompare(b.key));
}

/** The features' records port (dialogs/feature-deps.ts) on a storage, pruned to `retentionDays`. */
export function storedRecords(storage: Storage, retentionDays: number): FeatureRecords {
  return {
    append: (kind: RecordKind, record: FeedbackRecord | UnansweredRecord, now: Date) =>
      appendRecord(storage, kind, record, now, retentionDays),
  };
}

export async function appendRecord(
  storage: Storage,
  kind: RecordKind,
  record: FeedbackRecord | UnansweredRecord,
  now: Date,
  retentionDays: number,
): Promise<void> {
  const key = RECORD_KEYS[kind];
  const safe = maskDeep(record);
  if (isListable(storage)) {
    await splitLegacyList(storage, key);
    const itemKey = `${key}/${safe.at}~${randomUUID()}`;
    await storage.write({ [itemKey]: { key: itemKey, record: safe, eTag: CREATE_ONLY_ETAG } });
    return;
  }
  await withRetryOnConflict(async () => {
    const item = (await storage.read([key]))[key] as { records?: TimedRecord[]; eTag?: string } | undefined;
    const kept = pruneExpired(timedRecords(item?.records), now, retentionDays);
    const records = [...kept, safe].slice(-MAX_RECORDS);
    await storage.write({ [key]: { records, eTag: item?.eTag ?? CREATE_ONLY_ETAG } });
  });
}

/** The records of one kind, oldest first, at most MAX_RECORDS (the newest). */
export async function readRecords<T extends TimedRecord>(storage: Storage, kind: RecordKind): Promise<T[]> {
  if (isListable(storage)) {
    return (await listStored(storage, kind)).map((s) => s.record as T).slice(-MAX_RECORDS);
  }
  const item = (await storage.read([RECORD_KEYS[kind]]))[RECORD_KEYS[kind]] as { records?: unknown } | undefined;
  return timedRecords(item?.records) as T[];
}

/** Drops the records of one kind past the retention window or beyond MAX_RECORDS (the oldest). */
export async function pruneRecords(
  storage: Storage,
  kind: RecordKind,
  now: Date,
  retentionDays: number,
): Promise<PruneOutcome> {
  if (!isListable(storage)) return pruneStoredList(storage, RECORD_KEYS[kind], now, retentionDays);
  const stored = await listStored(storage, kind);
  const inWindow = new Set(
    pruneExpired(
      stored.map((s) => s.record),
      now,
      retentionDays,
    ),
  );
  const kept = stored.filter((s) => inWindow.has(s.record)).slice(-MAX_RECORDS);
  const keptKeys = new Set(kept.map((s) => s.key));
  const drop = stored.filter((s) => !keptKeys.has(s.key)).map((s) => s.key);
  if (drop.length > 0) await storage.delete(drop);
  return { kept: kept.length, removed: drop.length };
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
