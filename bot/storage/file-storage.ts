import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';

/** Where FileStorage keeps its files when no directory is given (the `DATA_DIR` default). */
export const DEFAULT_DATA_DIR = './data';

const SAFE_CHAR = /[A-Za-z0-9_-]/;
const MAX_PLAIN_LENGTH = 120;
const HASHED_PREFIX_LENGTH = 80;

/**
 * Turns any storage key into a name that is safe as a file name on Linux, macOS and Windows and as an
 * Azure blob name: only `[A-Za-z0-9_%~-]`, at most ~150 characters, never a reserved device name.
 *
 * Distinct keys always give distinct names: short lower-case-only keys are percent-encoded (reversible);
 * keys that are long or hold upper-case letters (which a case-insensitive file system would fold) get a
 * readable prefix plus `~` and the SHA-256 of the whole key, and `~` never appears in the plain form.
 *
 * @example encodeStorageKey('msteams/conversations/19:abc') === 'k_msteams%2fconversations%2f19%3aabc'
 */
export function encodeStorageKey(key: string): string {
  let plain = '';
  for (const char of key) {
    if (SAFE_CHAR.test(char)) {
      plain += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) plain += `%${byte.toString(16).padStart(2, '0')}`;
    }
  }
  if (plain.length <= MAX_PLAIN_LENGTH && !/[A-Z]/.test(plain)) return `k_${plain}`;
  const digest = createHash('sha256').update(key, 'utf8').digest('hex');
  return `k_${plain.slice(0, HASHED_PREFIX_LENGTH).toLowerCase()}~${digest}`;
}

/** The message botbuilder's MemoryStorage and BlobsStorage use, so callers can treat every backend alike. */
export function eTagConflictError(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

/** True for the error every botbuilder storage (and ours) throws when a write loses an eTag race. */
export function isETagConflict(err: unknown): boolean {
  return err instanceof Error && /eTag conflict/i.test(err.message);
}

interface FileRecord {
  key: string;
  eTag: string;
  item: Record<string, unknown>;
}

function isFileRecord(value: unknown): value is FileRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.key === 'string' &&
    typeof record.eTag === 'string' &&
    typeof record.item === 'object' &&
    record.item !== null &&
    !Array.isArray(record.item)
  );
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Runs work for one id at a time, in arrival order. Each FileStorage owns one, so turns on one store
 * queue in memory; a second store over the same directory (or a second process) waits on the lock file.
 */
class KeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async turn<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    }
  }
}

const LOCK_RETRY_MS = 5;
const LOCK_MAX_TRIES = 3_000;
/**
 * Names this run of this process in its lock files: `host:pid#run`. The run id tells a lock held by a
 * live store in this process (same pid, same run: wait) from one left by an earlier process that had
 * the same pid, as a container restarted as pid 1 does (same pid, another run or none: a leftover).
 * A constant for the life of the process, like the pid it sits beside.
 */
const RUN_ID = randomUUID();
export const LOCK_OWNER = `${hostname()}:${process.pid}#${RUN_ID}`;

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err: unknown) {
    return errorCode(err) === 'ESRCH';
  }
}

/**
 * Whether a lock file was left by a process on this host that no longer runs. A lock naming this
 * process's pid from another run (or from a build that wrote no run id) is a leftover too. Locks from
 * other hosts are never broken: waiting out the timeout is safer.
 */
const EMPTY_LOCK_GRACE_MS = 2000;

async function lockIsStale(lockPath: string): Promise<boolean> {
  let holder: string;
  try {
    holder = await readFile(lockPath, 'utf8');
  } catch (err: unknown) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
  const match = /^(.*):(\d+)(?:#(.*))?$/.exec(holder);
  // An empty lock is one whose owner died between creating it and writing its name (a SIGKILL
  // there): a live owner writes it at once, so an empty lock older than a moment is a leftover.
  if (holder === '') return Date.now() - (await stat(lockPath)).mtimeMs > EMPTY_LOCK_GRACE_MS;
  if (!match || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return match[3] !== RUN_ID;
  return processIsGone(pid);
}

async function acquireFileLock(lockPath: string): Promise<void> {
  for (let attempt = 0; attempt < LOCK_MAX_TRIES; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(LOCK_OWNER, 'utf8');
      } finally {
        await handle.close();
      }
      return;
    } catch (err: unknown) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    if (await lockIsStale(lockPath)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, LOCK_RETRY_MS));
  }
  throw new Error(`Storage: timed out waiting for the lock file ${lockPath}`);
}

function cloneForStorage(item: StoreItem): Record<string, unknown> {
  // Same round trip as MemoryStorage: whatever JSON cannot carry is dropped here, not on the next read.
  const { eTag: _eTag, ...rest } = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
  return rest;
}

/**
 * Writes every change, then throws the first failure: like MemoryStorage, one key's eTag conflict
 * does not stop the other keys from being written.
 */
export async function writeEach(
  changes: StoreItems,
  writeOne: (key: string, item: StoreItem) => Promise<void>,
): Promise<void> {
  const outcomes = await Promise.allSettled(
    Object.entries(changes).map(([key, item]) => writeOne(key, item as StoreItem)),
  );
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * A botbuilder `Storage` that keeps each key as one JSON file in a directory.
 *
 * eTags behave exactly like botbuilder's `MemoryStorage`: every write issues a new eTag; a write with
 * no eTag or `'*'` overwrites; a write whose eTag differs from the stored one throws an
 * "eTag conflict" error; a write to a key that does not exist succeeds whatever its eTag.
 * Writes go to a temp file in the same directory and are renamed into place, so a crash leaves either
 * the old or the new item, never half of one. Each key is updated under this store's queue plus a
 * lock file, so concurrent turns (and a second store or process on the same directory) cannot both win.
 */
export class FileStorage implements Storage {
  readonly dir: string;
  private readonly queue = new KeyQueue();
  private ready: Promise<void> | undefined;

  constructor(dir: string = DEFAULT_DATA_DIR) {
    this.dir = resolve(dir);
  }

  /** Keeps class instances from serialising their paths into logs or state by accident. */
  toJSON(): { name: string } {
    return { name: 'FileStorage' };
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    await this.ensureDir();
    const found = await Promise.all(keys.map(async (key) => [key, await this.readRecord(key)] as const));
    const items: StoreItems = {};
    for (const [key, record] of found) {
      if (record) items[key] = { ...record.item, eTag: record.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (typeof changes !== 'object' || changes === null) {
      throw new ReferenceError('Changes are required when writing.');
    }
    await this.ensureDir();
    await writeEach(changes, (key, item) => this.writeOne(key, item));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    await this.ensureDir();
    await Promise.all(
      keys.map((key) =>
        this.underLock(key, async () => {
          try {
            await unlink(this.pathFor(key));
          } catch (err: unknown) {
            if (errorCode(err) !== 'ENOENT') throw err;
          }
        }),
      ),
    );
  }

  private async writeOne(key: string, item: StoreItem): Promise<void> {
    const value = cloneForStorage(item);
    await this.underLock(key, async () => {
      const requested = item.eTag;
      if (requested && requested !== '*') {
        const current = await this.readRecord(key);
        if (current && current.eTag !== requested) throw eTagConflictError(key);
      }
      const record: FileRecord = { key, eTag: randomUUID(), item: value };
      await this.replaceFile(this.pathFor(key), JSON.stringify(record));
    });
  }

  private async readRecord(key: string): Promise<FileRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathFor(key), 'utf8');
    } catch (err: unknown) {
      if (errorCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The file is left in place for a person to recover; its contents are never echoed.
      throw new Error(`Storage: the file for "${key}" is not valid JSON`);
    }
    if (!isFileRecord(parsed) || parsed.key !== key) {
      throw new Error(`Storage: the file for "${key}" does not hold a FileStorage record for that key`);
    }
    return parsed;
  }

  private async replaceFile(target: string, text: string): Promise<void> {
    const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (err: unknown) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await this.syncDir();
  }

  private async syncDir(): Promise<void> {
    // Makes the rename itself durable on Linux; other platforms refuse to fsync a directory, which is fine.
    try {
      const handle = await open(this.dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Best effort only.
    }
  }

  private underLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const path = this.pathFor(key);
    return this.queue.turn(path, async () => {
      const lockPath = `${path}.lock`;
      await acquireFileLock(lockPath);
      try {
        return await work();
      } finally {
        await unlink(lockPath).catch(() => undefined);
      }
    });
  }

  private pathFor(key: string): string {
    return join(this.dir, `${encodeStorageKey(key)}.json`);
  }

  private ensureDir(): Promise<void> {
    if (!this.ready) {
      this.ready = mkdir(this.dir, { recursive: true }).then(
        () => undefined,
        (err: unknown) => {
          this.ready = undefined;
          throw err;
        },
      );
    }
    return this.ready;
  }
}
