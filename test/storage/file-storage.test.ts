import { mkdtemp, readdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { encodeStorageKey, FileStorage, LOCK_OWNER } from '../../bot/storage/file-storage.js';

const dirs: string[] = [];

async function setup(): Promise<{ dir: string; storage: FileStorage }> {
  const root = await mkdtemp(join(tmpdir(), 'ers-file-storage-'));
  dirs.push(root);
  const dir = join(root, 'nested', 'data');
  return { dir, storage: new FileStorage(dir) };
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('a bot keeping its state in files', () => {
  test('creates its data directory on first use', async () => {
    const { dir, storage } = await setup();
    await storage.write({ first: { v: 1 } });
    expect(await readdir(dir)).toEqual([`${encodeStorageKey('first')}.json`]);
  });

  test('leaves no temp or lock files behind after many concurrent writes', async () => {
    const { dir, storage } = await setup();
    await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => storage.write({ [`key-${i % 3}`]: { i }, shared: { i, eTag: '*' } })),
    );
    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(4);
    for (const name of names) expect(name).toMatch(/^k_[A-Za-z0-9_%~-]+\.json$/);
  });

  test('two storage objects over one directory still let only one of 20 same-eTag writers win', async () => {
    const { dir, storage } = await setup();
    const other = new FileStorage(dir);
    await storage.write({ doc: { writer: -1 } });
    const eTag = (await storage.read(['doc'])).doc?.eTag as string;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, writer) => (writer % 2 ? other : storage).write({ doc: { writer, eTag } })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  test('stores what JSON can carry, like MemoryStorage, and keeps the eTag out of the item', async () => {
    const { dir, storage } = await setup();
    await storage.write({
      doc: { kept: 'yes', dropped: undefined, when: new Date('2025-10-01T09:00:00Z'), eTag: '*' },
    });
    const read = (await storage.read(['doc'])).doc;
    expect(read).toEqual({ kept: 'yes', when: '2025-10-01T09:00:00.000Z', eTag: read?.eTag });
    const onDisk = JSON.parse(await readFile(join(dir, `${encodeStorageKey('doc')}.json`), 'utf8'));
    expect(onDisk).toEqual({ key: 'doc', eTag: read?.eTag, item: { kept: 'yes', when: '2025-10-01T09:00:00.000Z' } });
  });

  test('a damaged file makes the read fail without echoing its contents, and the file is kept', async () => {
    const { dir, storage } = await setup();
    await storage.write({ doc: { v: 1 } });
    const path = join(dir, `${encodeStorageKey('doc')}.json`);
    await writeFile(path, '{"secret": "patient NHS number 943 476 5919"');
    const failure = await storage.read(['doc']).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).toMatch(/"doc" is not valid JSON/);
    expect(String(failure)).not.toMatch(/943/);
    expect(await readFile(path, 'utf8')).toContain('secret');
  });

  test('breaks a lock left by a process that no longer runs on this host', async () => {
    const { dir, storage } = await setup();
    await storage.write({ doc: { v: 1 } });
    // 2^22 + 1 is above Linux's default pid_max, so no live process has it.
    await writeFile(join(dir, `${encodeStorageKey('doc')}.json.lock`), `${hostname()}:4194305`);
    await storage.write({ doc: { v: 2 } });
    expect((await storage.read(['doc'])).doc).toMatchObject({ v: 2 });
  });

  test('breaks an empty lock left by a process killed between creating and naming it', async () => {
    const { dir, storage } = await setup();
    await storage.write({ doc: { v: 1 } });
    const lockPath = join(dir, `${encodeStorageKey('doc')}.json.lock`);
    await writeFile(lockPath, '');
    const old = new Date(Date.now() - 10_000);
    await utimes(lockPath, old, old);
    await storage.write({ doc: { v: 2 } });
    expect((await storage.read(['doc'])).doc).toMatchObject({ v: 2 });
  });

  test.each([
    ['an older build', `${hostname()}:${process.pid}`],
    ['an earlier run with the same pid', `${hostname()}:${process.pid}#another-run`],
  ])('breaks a lock naming this pid from %s (a container restarted as the same pid)', async (_, holder) => {
    const { dir, storage } = await setup();
    await storage.write({ doc: { v: 1 } });
    await writeFile(join(dir, `${encodeStorageKey('doc')}.json.lock`), holder);
    await storage.write({ doc: { v: 2 } });
    expect((await storage.read(['doc'])).doc).toMatchObject({ v: 2 });
  });

  test('waits for a lock held by another store in this process, not treating it as a leftover', async () => {
    const { dir, storage } = await setup();
    const lockPath = join(dir, `${encodeStorageKey('doc')}.json.lock`);
    await storage.write({ doc: { v: 1 } });
    await writeFile(lockPath, LOCK_OWNER);
    let finished = false;
    const pending = new FileStorage(dir).write({ doc: { v: 2 } }).then(() => {
      finished = true;
    });
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    expect(finished).toBe(false);
    await unlink(lockPath);
    await pending;
    expect((await storage.read(['doc'])).doc).toMatchObject({ v: 2 });
  });

  test('waits for a lock held by another live process, then writes', async () => {
    const { dir, storage } = await setup();
    const lockPath = join(dir, `${encodeStorageKey('doc')}.json.lock`);
    await storage.write({ doc: { v: 1 } });
    await writeFile(lockPath, `${hostname()}:${process.ppid}`);
    let finished = false;
    const pending = storage.write({ doc: { v: 2 } }).then(() => {
      finished = true;
    });
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    expect(finished).toBe(false);
    await unlink(lockPath);
    await pending;
    expect((await storage.read(['doc'])).doc).toMatchObject({ v: 2 });
  });
});

describe('turning keys into file names', () => {
  const keys = [
    '',
    'a',
    'A',
    'a/',
    'a%2f',
    'a%2F',
    'CON',
    'con',
    '..',
    'x'.repeat(300),
    `${'x'.repeat(299)}y`,
    'emoji 🙂',
    '19:abc@thread.v2',
  ];

  test('gives every key its own safe, short name, even on a case-insensitive disk', () => {
    const names = keys.map(encodeStorageKey);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(keys.length);
    for (const name of names) {
      expect(name).toMatch(/^k_[A-Za-z0-9_%~-]*$/);
      expect(name.length).toBeLessThanOrEqual(150);
    }
  });

  test('keeps short lower-case keys readable', () => {
    expect(encodeStorageKey('msteams/conversations/19:abc')).toBe('k_msteams%2fconversations%2f19%3aabc');
  });
});
