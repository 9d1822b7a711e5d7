import type { Storage } from 'botbuilder';
import { z } from 'zod';
import { isETagConflict } from './file-storage.js';

/**
 * What is kept under a claim's key. `result` is whatever the owner passed to `complete` (JSON only).
 */
export interface ClaimRecord {
  state: 'claimed' | 'done';
  owner: string;
  claimedAt: string;
  leaseUntil: string;
  /** How many times the work has been claimed, counting take-overs after an expired lease. */
  attempts: number;
  completedAt?: string;
  result?: unknown;
}

const claimRecordSchema = z.object({
  state: z.enum(['claimed', 'done']),
  owner: z.string(),
  claimedAt: z.string(),
  leaseUntil: z.string(),
  attempts: z.number().int().nonnegative(),
  completedAt: z.string().optional(),
  result: z.unknown().optional(),
});

/**
 * An eTag no storage ever issues (MemoryStorage counts, FileStorage uses UUIDs, Azure quoted hex), so a
 * write carrying it succeeds only while the key is absent: storages made by `createStorage` all store a
 * write to a missing key whatever its eTag, and refuse it once any item exists there.
 */
export const CREATE_ONLY_ETAG = 'ers:create-only';

interface StoredClaim {
  record: ClaimRecord;
  eTag: string | undefined;
}

async function readStored(storage: Storage, key: string): Promise<StoredClaim | undefined> {
  const items = await storage.read([key]);
  const item = items[key];
  if (!item) return undefined;
  const { eTag, ...rest } = item;
  const parsed = claimRecordSchema.safeParse(rest);
  if (!parsed.success) throw new Error(`Claims: the item under "${key}" is not a claim record`);
  return { record: parsed.data, eTag: typeof eTag === 'string' ? eTag : undefined };
}

async function writeGuarded(storage: Storage, key: string, record: ClaimRecord, eTag: string): Promise<boolean> {
  try {
    await storage.write({ [key]: { ...record, eTag } });
    return true;
  } catch (err: unknown) {
    if (isETagConflict(err)) return false;
    throw err;
  }
}

/** The claim record under `key`, or undefined when nobody has claimed it. */
export async function readClaim(storage: Storage, key: string): Promise<ClaimRecord | undefined> {
  return (await readStored(storage, key))?.record;
}

/**
 * Tries to take the work named by `key` for `owner` (an instance id) until `now + leaseMs`.
 *
 * Resolves `true` for exactly one of any number of racing callers, across processes sharing the
 * storage, because every write is eTag-guarded. Resolves `false` when the work is done, or when a
 * lease is still running (the caller's own included: a second `claim` by the same owner does not
 * hand the work out twice). An expired lease can be taken over, so work whose owner died is retried.
 *
 * Needs a storage from `createStorage` (raw `BlobsStorage` cannot create an item conditionally).
 *
 * @example if (await claim(storage, `announce/${id}/${conversationId}`, instanceId, now, 60_000)) { ... }
 */
export async function claim(
  storage: Storage,
  key: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  if (!owner) throw new Error('Claims: owner must be a non-empty string');
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError('Claims: leaseMs must be a positive number');
  const fresh = (attempts: number): ClaimRecord => ({
    state: 'claimed',
    owner,
    claimedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
    attempts,
  });

  const current = await readStored(storage, key);
  if (!current) {
    if (await writeGuarded(storage, key, fresh(1), CREATE_ONLY_ETAG)) return true;
    if (!(await storage.read([key]))[key]) {
      throw new Error('Claims: this storage refused to create a claim; build it with createStorage()');
    }
    return false;
  }
  const { record, eTag } = current;
  if (record.state === 'done') return false;
  if (Date.parse(record.leaseUntil) > now.getTime()) return false;
  // Without an eTag the write would be unconditional and two take-overs could both succeed.
  if (!eTag) throw new Error('Claims: this storage returned no eTag, so a claim cannot be guarded');
  return writeGuarded(storage, key, fresh(record.attempts + 1), eTag);
}

/**
 * Records the work under `key` as done with `result`, if `owner` still holds it. Resolves `false` when
 * another owner took it over (its lease had run out) or it was already done: the caller should then
 * treat its own result as a possible duplicate, never overwrite the other.
 */
export async function complete(
  storage: Storage,
  key: string,
  owner: string,
  result?: unknown,
  now?: Date,
): Promise<boolean> {
  return withRetryOnConflict(async () => {
    const current = await readStored(storage, key);
    if (!current || current.record.owner !== owner || current.record.state === 'done') return false;
    const done: ClaimRecord = { ...current.record, state: 'done' };
    if (now) done.completedAt = now.toISOString();
    if (result !== undefined) done.result = JSON.parse(JSON.stringify(result)) as unknown;
    // '*' would overwrite a take-over that landed since the read; the eTag makes that a conflict and a re-check.
    await storage.write({ [key]: { ...done, eTag: current.eTag ?? '*' } });
    return true;
  });
}

/**
 * Gives up `owner`'s unfinished claim so another instance (or a later retry) can claim it at once,
 * e.g. after a delivery failed. Resolves `false` if `owner` did not hold it.
 */
export async function release(storage: Storage, key: string, owner: string): Promise<boolean> {
  return withRetryOnConflict(async () => {
    const current = await readStored(storage, key);
    if (!current || current.record.owner !== owner || current.record.state !== 'claimed') return false;
    const released: ClaimRecord = { ...current.record, leaseUntil: new Date(0).toISOString() };
    await storage.write({ [key]: { ...released, eTag: current.eTag ?? '*' } });
    return true;
  });
}

/**
 * Runs a read-modify-write `fn` again when it fails with an eTag conflict (someone else wrote the item
 * between its read and its write), up to `attempts` runs in all; other errors are thrown at once.
 * `fn` must read afresh on every run.
 *
 * @example await withRetryOnConflict(async () => { const items = await storage.read([k]); ...; await storage.write(...) })
 */
export async function withRetryOnConflict<T>(fn: (attempt: number) => Promise<T>, attempts = 5): Promise<T> {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('attempts must be a positive integer');
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err: unknown) {
      if (!isETagConflict(err) || attempt >= attempts) throw err;
      // A little random spread stops the same writers from colliding again in lockstep.
      const pause = Math.floor(Math.random() * 10 * attempt);
      await new Promise((resolveWait) => setTimeout(resolveWait, pause));
    }
  }
}

/** Claims on one storage, as the features are given them (`Claims` in dialogs/feature-deps.ts). */
export function storageClaims(storage: Storage) {
  return {
    claim: (key: string, owner: string, now: Date, leaseMs: number) => claim(storage, key, owner, now, leaseMs),
    complete: (key: string, owner: string, now: Date) => complete(storage, key, owner, undefined, now),
    release: (key: string, owner: string) => release(storage, key, owner),
  };
}
