import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { eTagConflictError } from './file-storage.js';
import type { ListableStorage } from './listable.js';

/** The database file inside DATA_DIR. */
export const DATABASE_FILE = 'ers-helper.sqlite';

/**
 * Schema migrations, applied in order inside one write transaction; `PRAGMA user_version` records how
 * many have run, so a second process starting at the same moment waits and then finds them done.
 * Append only: a released migration is never edited.
 */
const MIGRATIONS: readonly string[] = [
  // 1: every botbuilder Storage key as one row (conversation state, claims, records, announcements,
  // reminders, installs); meta holds housekeeping facts such as the JSON import.
  `CREATE TABLE items (
     key TEXT PRIMARY KEY NOT NULL,
     etag TEXT NOT NULL,
     value TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE meta (
     key TEXT PRIMARY KEY NOT NULL,
     value TEXT NOT NULL
   ) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A start-up failure that names DATA_DIR's path and the reason, so the fix is obvious from the log. */
export class StorageStartError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Storage: cannot use DATA_DIR ${path}: ${reason}`);
    this.name = 'StorageStartError';
  }
}

function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.name : 'unknown';
}

/** Why a file system or SQLite error happened, in words an IT lead can act on. */
export function describeStorageError(err: unknown): string {
  const code = codeOf(err);
  const reasons: Record<string, string> = {
    ENOTDIR: 'it is a file, not a directory',
    EEXIST: 'it is a file, not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    SQLITE_READONLY: 'the database is read-only (check the directory and file permissions, or a read-only mount)',
    SQLITE_READONLY_DIRECTORY: 'the directory is read-only',
    SQLITE_FULL: 'the disk is full',
    SQLITE_CANTOPEN: 'the database file cannot be opened (missing directory, or no permission)',
    SQLITE_CORRUPT: 'the database file is corrupt (restore it from a backup)',
    SQLITE_NOTADB: 'the database file is not a SQLite database',
    SQLITE_IOERR: 'an I/O error (disk failing, full or removed)',
  };
  const known = reasons[code] ?? Object.entries(reasons).find(([prefix]) => code.startsWith(`${prefix}_`))?.[1];
  return known ? `${known} (${code})` : code;
}

/** The stored text of an item (exported for its tests): its JSON, leaving out its own eTag. */
export function cloneForStorage(item: StoreItem): string {
  // Same round trip as MemoryStorage: whatever JSON cannot carry is dropped here, not on the next read.
  // One pass, leaving out only the item's own eTag: the stored text is what the old parse-and-stringify
  // round trip gave, at a third of the cost on every turn's state write.
  if (Object.getPrototypeOf(item) === Object.prototype && !('toJSON' in item)) {
    // A plain object (every turn's state): a copy without the eTag, in the same key order, gives the
    // same text as the replacer below, which costs JSON.stringify its fast path (~1.5 -> ~0.9 µs).
    const { eTag: _own, ...rest } = item;
    return JSON.stringify(rest);
  }
  return JSON.stringify(item, function omitOwnETag(this: unknown, key: string, value: unknown) {
    return key === 'eTag' && this === item ? undefined : value;
  });
}

/** teams-ai's conversation and user state keys: channel/bot/conversations/id, channel/bot/users/id. */
function isRebuildableState(key: string): boolean {
  return key.includes('/conversations/') || key.includes('/users/');
}

/** Reads of up to this many keys are one statement (see rowsFor). */
const MAX_KEYS_AT_ONCE = 8;
/** Rows kept in memory (see SqliteStorage.cached): a few thousand conversations' state. */
const MAX_CACHED_ROWS = 2_000;

interface Row {
  key: string;
  etag: string;
  value: string;
}

/**
 * A botbuilder `Storage` in one SQLite file (WAL mode) under DATA_DIR.
 *
 * eTags behave exactly like botbuilder's `MemoryStorage`: every write issues a new eTag; a write with no
 * eTag or `'*'` overwrites; a write whose eTag differs from the stored one throws an "eTag conflict"
 * error; a write to a key that does not exist succeeds whatever its eTag. Each key's check-and-write is
 * one SQL statement, which SQLite runs as one write transaction, so turns in this process and other
 * processes on the same host cannot both win. SQLite's own journal makes a crash leave the old or the new row, and there is
 * nothing to clean up afterwards (no lock files, no host names).
 */
export class SqliteStorage implements Storage, ListableStorage {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly inode: number;
  // Prepared once: every turn reads and writes its state through these.
  private readonly selectRow: Database.Statement<[string], Row>;
  /** SELECT ... WHERE key IN (?, ...) by number of keys, prepared on first use. */
  private readonly selectRows: Database.Statement<string[], Row>[] = [];
  private readonly upsertRow: Database.Statement<[string, string, string, number]>;
  private readonly upsertIfETag: Database.Statement<[string, string, string, number, string]>;
  private readonly dataVersion: Database.Statement<[], number>;
  /**
   * Rows this connection last read or wrote (null: no row), so a turn's read of the state its last
   * write left skips SQLite. Correct with other processes on the same file: `PRAGMA data_version`
   * changes whenever another connection, in this process or another, commits to the file, and then
   * every cached row is dropped before anything is read (rowsFor). This connection's own writes keep
   * it current (writeOne), and its other changes (delete, prune, import, transaction) drop it. The
   * eTag check on write is still SQLite's, in the write statement itself.
   */
  private readonly cached = new Map<string, Row | null>();
  private seenVersion = -1;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
    this.inode = statSync(file).ino;
    this.selectRow = db.prepare<[string], Row>('SELECT key, etag, value FROM items WHERE key = ?');
    const upsert =
      'INSERT INTO items (key, etag, value, updated_at) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at';
    this.upsertRow = db.prepare<[string, string, string, number]>(upsert);
    // The eTag check and the write in one statement: a row whose eTag differs is left alone (0 changes).
    this.upsertIfETag = db.prepare<[string, string, string, number, string]>(`${upsert} WHERE items.etag = ?`);
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /**
   * Opens (creating when missing) the database in `dir`, applies migrations and proves it can write.
   * Throws a `StorageStartError` naming the path and the reason when DATA_DIR is a file, read-only or full.
   */
  static open(dir: string): SqliteStorage {
    const path = resolve(dir);
    try {
      mkdirSync(path, { recursive: true });
    } catch (err: unknown) {
      throw new StorageStartError(path, describeStorageError(err));
    }
    const file = join(path, DATABASE_FILE);
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: 5000 });
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file.
      db.pragma('synchronous = NORMAL');
      migrate(db, path);
      const storage = new SqliteStorage(file, db);
      storage.checkWritable();
      return storage;
    } catch (err: unknown) {
      db?.close();
      if (err instanceof StorageStartError) throw err;
      throw new StorageStartError(path, describeStorageError(err));
    }
  }

  /** Keeps class instances from serialising their paths into logs or state by accident. */
  toJSON(): { name: string } {
    return { name: 'SqliteStorage' };
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    const rows = this.rowsFor(keys);
    // In the order asked for, as reading them one by one gave.
    for (const key of keys) {
      const row = rows.get(key);
      if (!row) continue;
      // A damaged conversation or user state row would fail every turn of that conversation, even
      // "help": it is read as absent, so the turn starts afresh and its write replaces the row.
      // Anything else (a delivery claim, an announcement) still throws: guessing could repeat a send.
      const item = this.toItem(row, isRebuildableState(key));
      if (item) items[key] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (typeof changes !== 'object' || changes === null) {
      throw new ReferenceError('Changes are required when writing.');
    }
    // Like MemoryStorage, one key's eTag conflict does not stop the other keys from being written.
    let failure: unknown;
    for (const [key, item] of Object.entries(changes)) {
      try {
        this.writeOne(key, item as StoreItem);
      } catch (err: unknown) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    const remove = this.db.prepare('DELETE FROM items WHERE key = ?');
    this.cached.clear();
    this.db.transaction(() => {
      for (const key of keys) remove.run(key);
    })();
  }

  async list(prefix: string): Promise<StoreItem[]> {
    // A range scan on the primary key: every key that starts with `prefix`.
    const rows = this.db
      .prepare<[string, string], Row>(
        'SELECT key, etag, value FROM items WHERE key >= ? AND key < ? || char(1114111) ORDER BY key',
      )
      .all(prefix, prefix);
    return rows.flatMap((row) => {
      const item = row.key.startsWith(prefix) ? this.toItem(row) : undefined;
      return item ? [item] : [];
    });
  }

  /**
   * Deletes items not written since `before` whose keys start with one of `prefixes` or contain one
   * of `segments` (e.g. `/conversations/`), for housekeeping. Returns how many went.
   */
  async pruneUnchangedSince(before: Date, prefixes: readonly string[], segments: readonly string[]): Promise<number> {
    const remove = this.db.prepare('DELETE FROM items WHERE updated_at < ? AND (instr(key, ?) = 1)');
    const removeSegment = this.db.prepare('DELETE FROM items WHERE updated_at < ? AND instr(key, ?) > 0');
    let removed = 0;
    this.cached.clear();
    this.db.transaction(() => {
      for (const prefix of prefixes) removed += remove.run(before.getTime(), prefix).changes;
      for (const segment of segments) removed += removeSegment.run(before.getTime(), segment).changes;
    })();
    return removed;
  }

  /**
   * Proves the database is still there and writable (for /healthz): a deleted or replaced file, a
   * read-only remount or a full disk all throw, with the reason from `describeStorageError`.
   */
  async checkHealth(): Promise<void> {
    let ino: number;
    try {
      ino = statSync(this.file).ino;
    } catch (err: unknown) {
      throw new Error(`the database file is missing (${codeOf(err)})`);
    }
    if (ino !== this.inode) throw new Error('the database file was replaced while the bot was running');
    try {
      this.checkWritable();
    } catch (err: unknown) {
      throw new Error(describeStorageError(err));
    }
  }

  /** Runs `work` in one write transaction (for imports that must land whole or not at all). */
  transaction(work: () => void): void {
    this.cached.clear();
    try {
      this.db.transaction(work).immediate();
    } finally {
      this.cached.clear();
    }
  }

  /** Stores an item under its old eTag (used once, importing the JSON files). */
  importItem(key: string, eTag: string, value: Record<string, unknown>): void {
    this.cached.delete(key);
    this.db
      .prepare('INSERT OR REPLACE INTO items (key, etag, value, updated_at) VALUES (?, ?, ?, ?)')
      .run(key, eTag, JSON.stringify(value), Date.now());
  }

  getMeta(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private checkWritable(): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('health', ?)").run(String(Date.now()));
  }

  /**
   * The rows for `keys` in one statement where there are few (a turn reads its conversation and user
   * state together): one read transaction on the WAL instead of one per key.
   */
  private rowsFor(keys: readonly string[]): Map<string, Row> {
    const rows = new Map<string, Row>();
    if (keys.length === 0) return rows;
    const version = this.dataVersion.get() ?? -1;
    if (version !== this.seenVersion) {
      // Another connection has committed since: nothing cached can be trusted.
      this.cached.clear();
      this.seenVersion = version;
    }
    const missing: string[] = [];
    for (const key of keys) {
      const row = this.cached.get(key);
      if (row === undefined) missing.push(key);
      else if (row !== null) rows.set(key, row);
    }
    if (missing.length === 0) return rows;
    for (const key of missing) this.remember(key, null);
    for (const row of this.select(missing)) {
      rows.set(row.key, row);
      this.remember(row.key, row);
    }
    return rows;
  }

  private select(keys: readonly string[]): Row[] {
    if (keys.length === 1 || keys.length > MAX_KEYS_AT_ONCE) {
      return keys.flatMap((key) => this.selectRow.get(key) ?? []);
    }
    let select = this.selectRows[keys.length];
    if (select === undefined) {
      const marks = keys.map(() => '?').join(', ');
      select = this.db.prepare<string[], Row>(`SELECT key, etag, value FROM items WHERE key IN (${marks})`);
      this.selectRows[keys.length] = select;
    }
    return select.all(...keys);
  }

  private remember(key: string, row: Row | null): void {
    this.cached.delete(key);
    // Bounded: the oldest entry goes first (a Map keeps insertion order).
    if (this.cached.size >= MAX_CACHED_ROWS) {
      const oldest = this.cached.keys().next();
      if (!oldest.done) this.cached.delete(oldest.value);
    }
    this.cached.set(key, row);
  }

  private writeOne(key: string, item: StoreItem): void {
    const value = cloneForStorage(item);
    try {
      const etag = this.writeRow(key, value, item.eTag);
      this.remember(key, { key, etag, value });
    } catch (err: unknown) {
      this.cached.delete(key);
      throw err;
    }
  }

  /**
   * One key's check-and-write as one statement, with no BEGIN or COMMIT of its own: SQLite runs a lone
   * statement as its own write transaction (taking the write lock, after waiting out another writer,
   * before it reads the row), so the eTag compared is the row as it is when the write lands, and
   * another process's write cannot slip between the check and the write. Inside transaction() it is
   * part of that transaction instead, as before. Returns the new eTag.
   */
  private writeRow(key: string, value: string, requested: string | undefined): string {
    const eTag = randomUUID();
    if (requested && requested !== '*') {
      // A missing row is inserted (MemoryStorage's rule); a row with another eTag is left alone.
      if (this.upsertIfETag.run(key, eTag, value, Date.now(), requested).changes === 0) throw eTagConflictError(key);
    } else {
      this.upsertRow.run(key, eTag, value, Date.now());
    }
    return eTag;
  }

  /** The stored item, or undefined for a damaged row when `damagedIsAbsent` (conversation state). */
  private toItem(row: Row, damagedIsAbsent = false): StoreItem | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.value);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      if (damagedIsAbsent) return undefined;
      // Never echoes the row: it may hold conversation state.
      throw new Error(`Storage: the row for "${row.key}" is not valid JSON`);
    }
    // The parsed object is new and ours: setting its eTag gives what a copy with the eTag added would,
    // key order included, without copying every turn's state.
    (parsed as StoreItem).eTag = row.etag;
    return parsed as StoreItem;
  }
}

function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StorageStartError(
        path,
        `the database is schema version ${version}, newer than this build knows (${MIGRATIONS.length}); run the newer build`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
