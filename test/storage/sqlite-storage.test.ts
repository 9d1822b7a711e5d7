import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { createStorage } from '../../bot/storage/create-storage.js';
import { FileStorage } from '../../bot/storage/file-storage.js';
import { IMPORTED_DIR } from '../../bot/storage/migrate-json.js';
import {
  cloneForStorage,
  DATABASE_FILE,
  describeStorageError,
  SCHEMA_VERSION,
  SqliteStorage,
  StorageStartError,
} from '../../bot/storage/sqlite-storage.js';

const dirs: string[] = [];
const opened: SqliteStorage[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ers-sqlite-'));
  dirs.push(dir);
  return dir;
}

async function open(dir: string): Promise<SqliteStorage> {
  const storage = await createStorage({ kind: 'sqlite', dataDir: dir });
  if (!(storage instanceof SqliteStorage)) throw new Error('expected a SqliteStorage');
  opened.push(storage);
  return storage;
}

afterAll(async () => {
  for (const s of opened) s.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('an IT lead starts the bot with a DATA_DIR it cannot use', () => {
  test('a DATA_DIR that is a file stops the start, naming the path and the reason', async () => {
    const dir = await tempDir();
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    const failure = createStorage({ kind: 'sqlite', dataDir: file });
    await expect(failure).rejects.toBeInstanceOf(StorageStartError);
    await expect(createStorage({ kind: 'sqlite', dataDir: file })).rejects.toThrow(
      `cannot use DATA_DIR ${file}: it is a file, not a directory`,
    );
  });

  test('a DATA_DIR under a file stops the start too', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    await expect(createStorage({ kind: 'sqlite', dataDir: join(dir, 'file', 'data') })).rejects.toThrow(
      /it is a file, not a directory \(ENOTDIR\)/,
    );
  });

  test('a database file that is not SQLite stops the start with the reason', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, DATABASE_FILE), 'this is not a database, it is text long enough to have a header');
    await expect(createStorage({ kind: 'sqlite', dataDir: dir })).rejects.toThrow(
      /not a SQLite database|SQLITE_NOTADB/,
    );
  });

  test('a database from a newer build is refused rather than changed', async () => {
    const dir = await tempDir();
    (await open(dir)).close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(createStorage({ kind: 'sqlite', dataDir: dir })).rejects.toThrow(/newer than this build knows/);
  });
});

describe('the database file', () => {
  test('is versioned and in WAL mode', async () => {
    const dir = await tempDir();
    (await open(dir)).close();
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  test('health reports a database deleted while the bot runs', async () => {
    const dir = await tempDir();
    const storage = await open(dir);
    await expect(storage.checkHealth()).resolves.toBeUndefined();
    await unlink(join(dir, DATABASE_FILE));
    await expect(storage.checkHealth()).rejects.toThrow(/database file is missing/);
  });

  test('lists the items under a key prefix, and only those', async () => {
    const storage = await open(await tempDir());
    await storage.write({ 'installs/b': { n: 2 }, 'installs/a': { n: 1 }, installsx: { n: 3 }, other: { n: 4 } });
    const listed = await storage.list('installs/');
    expect(listed.map((item) => item.n)).toEqual([1, 2]);
    expect(listed[0]).toMatchObject({ n: 1, eTag: expect.any(String) });
  });
});

describe('reading several keys at once', () => {
  test('gives each stored item once per key asked for, in the order asked, at any number of keys', async () => {
    const storage = await open(await tempDir());
    const stored = Array.from({ length: 12 }, (_, i) => `conv/${String.fromCharCode(108 - i)}`);
    await storage.write(Object.fromEntries(stored.map((key, i) => [key, { i, nested: { key } }])));
    for (const count of [0, 1, 2, 3, 8, 9, 12]) {
      // Asked in reverse, with a missing key and a repeat: neither the table's order nor a set's.
      const keys = [...stored.slice(0, count)].reverse();
      if (count > 0) keys.splice(1, 0, 'conv/missing', keys[0] ?? '');
      const items = await storage.read(keys);
      const expected = keys.filter((key, at) => stored.includes(key) && keys.indexOf(key) === at);
      expect(Object.keys(items)).toEqual(expected);
      for (const key of expected) {
        expect(items[key]).toEqual({ i: stored.indexOf(key), nested: { key }, eTag: expect.any(String) });
        expect(Object.keys(items[key] ?? {})).toEqual(['i', 'nested', 'eTag']);
      }
    }
  });

  test('gives a fresh object on every read, so a turn changing its state does not change the store', async () => {
    const storage = await open(await tempDir());
    await storage.write({ 'conv/a': { n: 1 }, 'conv/b': { n: 2 } });
    const first = await storage.read(['conv/a', 'conv/b']);
    (first['conv/a'] as { n: number }).n = 99;
    expect((await storage.read(['conv/a', 'conv/b']))['conv/a']).toMatchObject({ n: 1 });
  });
});

describe('two connections on one file (two bot processes share DATA_DIR)', () => {
  // Each SqliteStorage is its own connection, as another process's would be: what one writes, the
  // other must read on its next read, whatever it read or wrote before (issue 18 keeps rows in memory).
  test('a row written, changed or deleted by the other is read as it now is', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const second = await open(dir);
    await first.write({ 'conv/a': { n: 1 } });
    expect(await first.read(['conv/a', 'conv/new'])).toEqual({ 'conv/a': { n: 1, eTag: expect.any(String) } });
    await second.write({ 'conv/a': { n: 2 }, 'conv/new': { n: 3 } });
    expect(await first.read(['conv/a', 'conv/new'])).toEqual({
      'conv/a': { n: 2, eTag: expect.any(String) },
      'conv/new': { n: 3, eTag: expect.any(String) },
    });
    await second.delete(['conv/a']);
    expect(await first.read(['conv/a'])).toEqual({});
  });

  test('a write on an eTag the other has since replaced is still refused', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const second = await open(dir);
    await first.write({ 'conv/a': { n: 1 } });
    const seen = (await first.read(['conv/a']))['conv/a'];
    const theirs = (await second.read(['conv/a']))['conv/a'];
    await second.write({ 'conv/a': { ...theirs, n: 2 } });
    await expect(first.write({ 'conv/a': { ...seen, n: 9 } })).rejects.toThrow(/eTag conflict/);
    expect((await first.read(['conv/a']))['conv/a']).toMatchObject({ n: 2 });
  });

  test('its own writes, deletes and imports are read back at once, and the eTag it read still guards', async () => {
    const storage = await open(await tempDir());
    await storage.write({ 'conv/a': { n: 1 } });
    const first = (await storage.read(['conv/a']))['conv/a'];
    await storage.write({ 'conv/a': { ...first, n: 2 } });
    const second = (await storage.read(['conv/a']))['conv/a'];
    expect(second).toMatchObject({ n: 2 });
    expect(second?.eTag).not.toBe(first?.eTag);
    await expect(storage.write({ 'conv/a': { ...first, n: 3 } })).rejects.toThrow(/eTag conflict/);
    storage.importItem('conv/a', 'imported', { n: 4 });
    expect((await storage.read(['conv/a']))['conv/a']).toEqual({ n: 4, eTag: 'imported' });
    await storage.delete(['conv/a']);
    expect(await storage.read(['conv/a'])).toEqual({});
    storage.transaction(() => storage.importItem('conv/b', 'in-transaction', { n: 5 }));
    expect(await storage.read(['conv/b'])).toEqual({ 'conv/b': { n: 5, eTag: 'in-transaction' } });
  });

  test('a write on an eTag whose row the other has deleted creates the row again, as MemoryStorage does', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const second = await open(dir);
    await first.write({ 'conv/a': { n: 1 } });
    const seen = (await first.read(['conv/a']))['conv/a'];
    await second.delete(['conv/a']);
    await first.write({ 'conv/a': { ...seen, n: 2 } });
    const now = (await second.read(['conv/a']))['conv/a'];
    expect(now).toMatchObject({ n: 2 });
    expect(now?.eTag).not.toBe(seen?.eTag);
  });

  test('a refused write leaves the row and its eTag as the other wrote them, and the other keys still land', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const second = await open(dir);
    await first.write({ 'conv/a': { n: 1 } });
    const seen = (await first.read(['conv/a']))['conv/a'];
    await second.write({ 'conv/a': { n: 2 } });
    const theirs = (await second.read(['conv/a']))['conv/a'];
    const refused = first.write({ 'conv/a': { ...seen, n: 9 }, 'conv/b': { n: 3 }, 'conv/c': { n: 4, eTag: '*' } });
    await expect(refused).rejects.toThrow('Storage: error writing "conv/a" due to eTag conflict.');
    for (const reader of [first, second]) {
      expect(await reader.read(['conv/a', 'conv/b', 'conv/c'])).toEqual({
        'conv/a': { n: 2, eTag: theirs?.eTag },
        'conv/b': { n: 3, eTag: expect.any(String) },
        'conv/c': { n: 4, eTag: expect.any(String) },
      });
    }
    // The eTag read from the other's write wins the next write, and only once.
    await first.write({ 'conv/a': { ...theirs, n: 5 } });
    await expect(second.write({ 'conv/a': { ...theirs, n: 6 } })).rejects.toThrow(/eTag conflict/);
    expect((await second.read(['conv/a']))['conv/a']).toMatchObject({ n: 5 });
  });

  test('a write checks the eTag another process committed by its own SQL, not the row this one read', async () => {
    const dir = await tempDir();
    const storage = await open(dir);
    await storage.write({ 'conv/a': { n: 1 } });
    const seen = (await storage.read(['conv/a']))['conv/a'];
    // The other process's transaction commits a new eTag; this write's check must see that, not the old row.
    const other = new Database(join(dir, DATABASE_FILE));
    try {
      other
        .transaction(() => {
          other.prepare("UPDATE items SET etag = 'theirs', value = '{\"n\":2}' WHERE key = 'conv/a'").run();
        })
        .immediate();
    } finally {
      other.close();
    }
    await expect(storage.write({ 'conv/a': { ...seen, n: 3 } })).rejects.toThrow(/eTag conflict/);
    expect(await storage.read(['conv/a'])).toEqual({ 'conv/a': { n: 2, eTag: 'theirs' } });
  });

  test('reads stay right past the number of rows kept in memory', async () => {
    const storage = await open(await tempDir());
    const keys = Array.from({ length: 2_100 }, (_, i) => `conv/${i}`);
    await storage.write(Object.fromEntries(keys.map((key, i) => [key, { i }])));
    for (const key of keys) await storage.read([key, 'user/none']);
    const again = await storage.read(keys.slice(0, 3));
    expect(Object.values(again).map((item) => item.i)).toEqual([0, 1, 2]);
  });
});

describe('the stored text of an item', () => {
  /** What every write stored before plain objects had a path of their own. */
  const before = (item: Record<string, unknown>) =>
    JSON.stringify(item, function omitOwnETag(this: unknown, key: string, value: unknown) {
      return key === 'eTag' && this === item ? undefined : value;
    });

  class Stamped {
    constructor(readonly n: number) {}
    toJSON() {
      return { stamped: this.n, eTag: 'inside' };
    }
  }

  test('is its JSON without its own eTag, exactly as before, whatever the item holds', () => {
    const shared = { eTag: 'nested' };
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    bare.eTag = 'bare';
    const items: Record<string, unknown>[] = [
      {},
      { eTag: 'only' },
      { eTag: '*', a: 1 },
      { b: 2, eTag: 'middle', a: [1, { eTag: 'in an array' }], 10: 'ten', 2: 'two' },
      { dialog: { name: 'troubleshoot', data: { eTag: 'nested', sites: [] } }, topic: shared, again: shared },
      { at: new Date('2026-11-09T10:00:00Z'), gone: undefined, fn: () => 1, [Symbol('s')]: 1, nan: Number.NaN },
      { stamp: new Stamped(3), eTag: 'outer' },
      {
        eTag: 'own',
        toJSON(this: Record<string, unknown>) {
          return { replaced: Object.keys(this), eTag: 'kept' };
        },
      },
      [1, { eTag: 'in an array item' }] as unknown as Record<string, unknown>,
      Object.assign(new Stamped(4), { eTag: 'instance' }) as unknown as Record<string, unknown>,
      bare,
      JSON.parse('{"__proto__": {"x": 1}, "eTag": "parsed", "y": 2}') as Record<string, unknown>,
      Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false }),
    ];
    for (const item of items) expect(cloneForStorage(item)).toBe(before(item));
    expect(cloneForStorage({ b: 2, eTag: 'x', a: 1 })).toBe('{"b":2,"a":1}');
  });
});

describe('upgrading from the JSON files an older build kept in DATA_DIR', () => {
  test('imports every item with its eTag once, and moves the old files aside', async () => {
    const dir = await tempDir();
    const old = new FileStorage(dir);
    await old.write({ 'msteams/conversations/19:abc': { step: 'deferred' }, 'announcements/all': { items: {} } });
    const before = await old.read(['msteams/conversations/19:abc']);
    // A crash of the old build leaves a lock and a temporary file; a broken file must not stop the upgrade.
    await writeFile(join(dir, 'k_announcements%2fall.json.lock'), 'old-host:1');
    await writeFile(join(dir, 'k_broken.json'), '{"key": trunc');

    const storage = await open(dir);
    const after = await storage.read(['msteams/conversations/19:abc', 'announcements/all']);
    expect(after['msteams/conversations/19:abc']).toEqual(before['msteams/conversations/19:abc']);
    expect(after['announcements/all']).toMatchObject({ items: {} });

    const left = (await readdir(dir)).filter((n) => n.startsWith('k_'));
    expect(left).toEqual([]);
    expect((await readdir(join(dir, IMPORTED_DIR))).sort()).toEqual([
      'k_announcements%2fall.json',
      'k_announcements%2fall.json.lock',
      'k_broken.json',
      'k_msteams%2fconversations%2f19%3aabc.json',
    ]);

    // The stale eTag from the files still guards writes, and a restart does not import again.
    await storage.write({
      'msteams/conversations/19:abc': { step: 'booked', eTag: before['msteams/conversations/19:abc']?.eTag },
    });
    await writeFile(join(dir, 'k_late.json'), JSON.stringify({ key: 'late', eTag: 'e', item: { v: 1 } }));
    storage.close();
    const reopened = await open(dir);
    expect((await reopened.read(['msteams/conversations/19:abc']))['msteams/conversations/19:abc']).toMatchObject({
      step: 'booked',
    });
    expect(await reopened.read(['late'])).toEqual({});
    expect(existsSync(join(dir, 'k_late.json'))).toBe(true);
  });
});

// Security review M2: one corrupt state file bricked its conversation, even "help".
describe('a damaged row', () => {
  test('of conversation state reads as absent, and the next write replaces it', async () => {
    const dir = await tempDir();
    const storage = await open(dir);
    const key = 'msteams/28:bot/conversations/cz-1';
    await storage.write({ [key]: { dialog: 'troubleshoot' }, 'announce/x/cz-1': { state: 'done' } });
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare('UPDATE items SET value = \'{"key": trunc\' WHERE key IN (?, ?)').run(key, 'announce/x/cz-1');
    db.close();
    expect(await storage.read([key])).toEqual({});
    await storage.write({ [key]: { dialog: 'none' } });
    expect((await storage.read([key]))[key]).toMatchObject({ dialog: 'none' });
    // A delivery claim is not guessed at: a repeated announcement is worse than an error.
    await expect(storage.read(['announce/x/cz-1'])).rejects.toThrow(/not valid JSON/);
  });
});

describe('the reason given for a storage failure', () => {
  test.each([
    ['ENOTDIR', 'it is a file, not a directory (ENOTDIR)'],
    ['EROFS', 'the file system is read-only (EROFS)'],
    ['ENOSPC', 'the disk is full (ENOSPC)'],
    ['SQLITE_FULL', 'the disk is full (SQLITE_FULL)'],
    [
      'SQLITE_READONLY_DBMOVED',
      'the database is read-only (check the directory and file permissions, or a read-only mount) (SQLITE_READONLY_DBMOVED)',
    ],
    ['SQLITE_IOERR_WRITE', 'an I/O error (disk failing, full or removed) (SQLITE_IOERR_WRITE)'],
    ['EWHATEVER', 'EWHATEVER'],
  ])('%s reads as %j', (code, reason) => {
    expect(describeStorageError(Object.assign(new Error('x'), { code }))).toBe(reason);
  });
});
