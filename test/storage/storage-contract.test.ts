import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStorage } from '../../bot/storage/create-storage.js';
import { FileStorage } from '../../bot/storage/file-storage.js';
import { isListable } from '../../bot/storage/listable.js';
import { SqliteStorage } from '../../bot/storage/sqlite-storage.js';
import { type AzuriteHandle, startAzurite } from '../helpers/azurite.js';

/** One place (a memory object, a directory, a container) that fresh storage objects can be opened over. */
interface Place {
  open(): Storage | Promise<Storage>;
}

interface Backend {
  name: string;
  /** False for MemoryStorage: each instance counts eTags from 1, so two over one object reuse them. */
  eTagsUniqueAcrossInstances: boolean;
  newPlace(): Promise<Place>;
}

let azurite: AzuriteHandle | undefined;
const tempDirs: string[] = [];

function connectionString(): string {
  if (!azurite) throw new Error('Azurite is not running');
  return azurite.connectionString;
}

function containerName(): string {
  return `contract-${randomUUID().slice(0, 8)}`;
}

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const backends: Backend[] = [
  {
    name: 'MemoryStorage',
    eTagsUniqueAcrossInstances: false,
    async newPlace() {
      // MemoryStorage takes its backing object, so a second instance over it stands in for a restart.
      const memory: Record<string, string> = {};
      return { open: () => new MemoryStorage(memory) };
    },
  },
  {
    name: 'SqliteStorage (the default)',
    eTagsUniqueAcrossInstances: true,
    async newPlace() {
      const dir = await mkdtemp(join(tmpdir(), 'ers-sqlite-storage-'));
      tempDirs.push(dir);
      return { open: () => createStorage({ kind: 'sqlite', dataDir: join(dir, 'data') }) };
    },
  },
  {
    name: 'FileStorage',
    eTagsUniqueAcrossInstances: true,
    async newPlace() {
      const dir = await mkdtemp(join(tmpdir(), 'ers-file-storage-'));
      tempDirs.push(dir);
      return { open: () => createStorage({ kind: 'file', dataDir: join(dir, 'data') }) };
    },
  },
  {
    name: 'BlobsStorage on Azurite (through createStorage)',
    eTagsUniqueAcrossInstances: true,
    async newPlace() {
      const container = containerName();
      return {
        open: () => createStorage({ kind: 'blob', blobConnectionString: connectionString(), blobContainer: container }),
      };
    },
  },
];

const ODD_KEYS = [
  'msteams/conversations/19:abc@thread.v2/users/29:1xyz',
  'a',
  'a/',
  '/a',
  'a//b',
  'a/b',
  'colon:key',
  'hash#key',
  'question?key=1&x=2',
  'percent%key',
  'percent%2Fencoded',
  'space key with  two spaces',
  'dots.',
  '.',
  '..',
  'CON',
  'Case',
  'case',
  'café naïve',
  'emoji 🙂👩‍⚕️',
  'tabs\tand\nnewlines',
  'back\\slash',
  'x'.repeat(300),
  `${'y'.repeat(299)}1`,
  `${'y'.repeat(299)}2`,
  'ü'.repeat(300),
  '',
];

describe.each(backends)('$name keeps the storage contract', (backend) => {
  let place: Place;
  let storage: Storage;

  const setup = async (): Promise<void> => {
    place = await backend.newPlace();
    storage = await place.open();
  };

  test('an item written is read back whole, with an eTag', async () => {
    await setup();
    const item = { text: 'Referral deferred', nested: { list: [1, 2, 3], flag: true, nothing: null }, n: 1.5 };
    await storage.write({ one: item, two: { n: 2 } });
    const read = await storage.read(['one', 'two']);
    expect(read.one).toMatchObject(item);
    expect(read.two).toMatchObject({ n: 2 });
    expect(typeof read.one?.eTag).toBe('string');
    expect(read.one?.eTag).not.toBe('');
  });

  test('reading keys that were never written gives nothing for them', async () => {
    await setup();
    await storage.write({ present: { v: 1 } });
    const read = await storage.read(['missing', 'present', 'also/missing']);
    expect(Object.keys(read)).toEqual(['present']);
    expect(await storage.read([])).toEqual({});
  });

  test('a write with a stale eTag is refused and the newer item is kept', async () => {
    await setup();
    await storage.write({ doc: { v: 1 } });
    const first = (await storage.read(['doc'])).doc?.eTag as string;
    await storage.write({ doc: { v: 2, eTag: first } });
    const second = (await storage.read(['doc'])).doc?.eTag as string;
    expect(second).not.toBe(first);

    await expect(storage.write({ doc: { v: 3, eTag: first } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['doc'])).doc).toMatchObject({ v: 2, eTag: second });
  });

  test("a write with eTag '*' or no eTag overwrites, and every write issues a new eTag", async () => {
    await setup();
    await storage.write({ doc: { v: 1 } });
    const seen = new Set([(await storage.read(['doc'])).doc?.eTag]);
    await storage.write({ doc: { v: 2, eTag: '*' } });
    seen.add((await storage.read(['doc'])).doc?.eTag);
    await storage.write({ doc: { v: 3 } });
    const last = (await storage.read(['doc'])).doc;
    seen.add(last?.eTag);
    expect(last).toMatchObject({ v: 3 });
    expect(seen.size).toBe(3);
  });

  test('a write carrying an eTag to a key that does not exist creates it, as MemoryStorage does', async () => {
    // Raw BlobsStorage answers this with an eTag conflict (Azure's If-Match on a missing blob is 412);
    // createStorage's SafeBlobsStorage creates it with If-None-Match instead. claims.ts depends on it.
    await setup();
    await storage.write({ fresh: { v: 1, eTag: 'an-etag-from-a-deleted-item' } });
    expect((await storage.read(['fresh'])).fresh).toMatchObject({ v: 1 });
  });

  test('of 20 turns writing with the same eTag at once, exactly one wins', async () => {
    await setup();
    await storage.write({ counter: { writer: -1 } });
    const eTag = (await storage.read(['counter'])).counter?.eTag as string;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, writer) => storage.write({ counter: { writer, eTag } })),
    );
    const winners = outcomes.flatMap((outcome, writer) => (outcome.status === 'fulfilled' ? [writer] : []));
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(String(outcome.reason)).toMatch(/eTag conflict/);
    }
    expect((await storage.read(['counter'])).counter).toMatchObject({ writer: winners[0] });
  });

  test('deleting removes the item, and deleting a missing key is harmless', async () => {
    await setup();
    await storage.write({ gone: { v: 1 }, stays: { v: 2 } });
    await storage.delete(['gone']);
    expect(Object.keys(await storage.read(['gone', 'stays']))).toEqual(['stays']);
    await expect(storage.delete(['gone', 'never-existed'])).resolves.toBeUndefined();
    await storage.write({ gone: { v: 3 } });
    expect((await storage.read(['gone'])).gone).toMatchObject({ v: 3 });
  });

  test('an item of about 1 MB with non-ASCII text survives intact', async () => {
    await setup();
    const chunk = 'Advice & Guidance: “converted” → é 🙂 ';
    const text = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
    const rows = Array.from({ length: 500 }, (_, i) => ({ i, note: `row ${i}` }));
    await storage.write({ big: { text, rows } });
    const read = (await storage.read(['big'])).big;
    expect(read?.text).toBe(text);
    expect(read?.rows).toEqual(rows);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1_000_000);
  });

  test('keys with slashes, colons, #, ?, %, spaces, unicode, emoji and 300 characters stay distinct', async () => {
    // Raw BlobsStorage folds some of these together (see the test below): createStorage encodes them.
    await setup();
    const changes: StoreItems = {};
    ODD_KEYS.forEach((key, index) => {
      changes[key] = { index };
    });
    await storage.write(changes);
    const read = await storage.read(ODD_KEYS);
    for (const [index, key] of ODD_KEYS.entries()) {
      expect(read[key], JSON.stringify(key)).toMatchObject({ index });
    }

    await storage.delete(['a/']);
    const after = await storage.read(['a', 'a/', '/a']);
    expect(Object.keys(after).sort()).toEqual(['/a', 'a']);
  });

  test('items and their eTags survive a new storage object over the same place', async () => {
    await setup();
    await storage.write({ 'conversation/1': { step: 'deferred' } });
    const before = (await storage.read(['conversation/1']))['conversation/1'];

    const reopened = await place.open();
    const after = (await reopened.read(['conversation/1']))['conversation/1'];
    expect(after).toEqual(before);

    await reopened.write({ 'conversation/1': { step: 'booked', eTag: after?.eTag } });
    // MemoryStorage never outlives its process, so its per-instance eTag counter is no loss in practice.
    if (!backend.eTagsUniqueAcrossInstances) return;
    await expect(storage.write({ 'conversation/1': { step: 'stale', eTag: before?.eTag } })).rejects.toThrow(
      /eTag conflict/,
    );
    expect((await storage.read(['conversation/1']))['conversation/1']).toMatchObject({ step: 'booked' });
  });
});

describe.each(backends.filter((b) => b.name !== 'MemoryStorage' && b.name !== 'FileStorage'))(
  '$name lists the items under a prefix (one item per install, announcement, reminder)',
  (backend) => {
    test('returns exactly the items whose keys start with the prefix, with their eTags', async () => {
      const storage = await (await backend.newPlace()).open();
      if (!isListable(storage)) throw new Error('expected a storage with list()');
      await storage.write({
        'conversation-refs/all/19:B@thread': { id: 'B' },
        'conversation-refs/all/19:a@thread': { id: 'a' },
        [`conversation-refs/all/${'Long'.repeat(60)}`]: { id: 'long' },
        'conversation-refs/allx': { id: 'not-in-it' },
        'conversation-refs/al': { id: 'not-in-it-either' },
      });
      const listed = await storage.list('conversation-refs/all/');
      expect(listed.map((item) => item.id).sort()).toEqual(['B', 'a', 'long']);
      expect(listed.every((item) => typeof item.eTag === 'string')).toBe(true);
      expect(await storage.list('nothing/')).toEqual([]);
    });

    test('a second listing shows what changed, was added or was deleted since the first', async () => {
      const storage = await (await backend.newPlace()).open();
      if (!isListable(storage)) throw new Error('expected a storage with list()');
      await storage.write({ 'reminders/all/a': { id: 'a', v: 1 }, 'reminders/all/b': { id: 'b', v: 1 } });
      const first = await storage.list('reminders/all/');
      expect(first.map((i) => [i.id, i.v])).toEqual([
        ['a', 1],
        ['b', 1],
      ]);
      first[0].v = 99; // a caller changing what it was given must not change the next listing
      await storage.write({ 'reminders/all/b': { id: 'b', v: 2 }, 'reminders/all/c': { id: 'c', v: 1 } });
      await storage.delete(['reminders/all/a']);
      const second = await storage.list('reminders/all/');
      expect(second.map((i) => [i.id, i.v])).toEqual([
        ['b', 2],
        ['c', 1],
      ]);
      const eTagOfB = (await storage.read(['reminders/all/b']))['reminders/all/b']?.eTag;
      expect(second[0]?.eTag).toBe(eTagOfB);
      expect(await storage.list('reminders/all/')).toEqual(second);
    });
  },
);

describe('raw BlobsStorage differs from MemoryStorage (why createStorage wraps it)', () => {
  // These pin down botbuilder-azure-blobs 4.23.3's behaviour. If one starts failing after an upgrade, the
  // wrapper in create-storage.ts may no longer be needed for that case.
  test('it stores "a" and "a/" as the same blob, so one overwrites the other', async () => {
    const raw = new BlobsStorage(connectionString(), containerName());
    await raw.write({ a: { which: 'a' } });
    await raw.write({ 'a/': { which: 'a/' } });
    expect((await raw.read(['a'])).a).toMatchObject({ which: 'a/' });
  });

  test('it refuses a write carrying an eTag to a key that does not exist', async () => {
    const raw = new BlobsStorage(connectionString(), containerName());
    await expect(raw.write({ fresh: { v: 1, eTag: '"0x8D0000000000000"' } })).rejects.toThrow(/eTag conflict/);
  });
});

describe('createStorage settings', () => {
  test('builds a MemoryStorage for memory, a FileStorage for file and a SqliteStorage for sqlite', async () => {
    expect(await createStorage({ kind: 'memory' })).toBeInstanceOf(MemoryStorage);
    expect(await createStorage({ kind: 'file', dataDir: join(tmpdir(), 'never-created') })).toBeInstanceOf(FileStorage);
    const dir = await mkdtemp(join(tmpdir(), 'ers-sqlite-kind-'));
    tempDirs.push(dir);
    const sqlite = await createStorage({ kind: 'sqlite', dataDir: dir });
    expect(sqlite).toBeInstanceOf(SqliteStorage);
    (sqlite as SqliteStorage).close();
  });

  test('refuses blob storage without a connection string or with an invalid container name', async () => {
    await expect(createStorage({ kind: 'blob' })).rejects.toThrow(/BLOB_CONNECTION_STRING/);
    await expect(
      createStorage({ kind: 'blob', blobConnectionString: connectionString(), blobContainer: 'Bad_Name' }),
    ).rejects.toThrow(/BLOB_CONTAINER/);
  });

  test('creates a missing blob container', async () => {
    const container = containerName();
    const storage = await createStorage({
      kind: 'blob',
      blobConnectionString: connectionString(),
      blobContainer: container,
    });
    await storage.write({ first: { v: 1 } });
    const again = await createStorage({
      kind: 'blob',
      blobConnectionString: connectionString(),
      blobContainer: container,
    });
    expect((await again.read(['first'])).first).toMatchObject({ v: 1 });
  });
});
