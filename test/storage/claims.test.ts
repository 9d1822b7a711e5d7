import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claim, complete, readClaim, release, withRetryOnConflict } from '../../bot/storage/claims.js';
import { createStorage } from '../../bot/storage/create-storage.js';
import { type AzuriteHandle, startAzurite } from '../helpers/azurite.js';

const NOW = new Date('2025-10-06T09:00:00Z');
const LEASE_MS = 60_000;
const KEYS = Array.from({ length: 50 }, (_, i) => `announce/2025-10-06-downtime/19:conversation-${i}@thread.tacv2`);

let azurite: AzuriteHandle | undefined;
const tempDirs: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function connectionString(): string {
  if (!azurite) throw new Error('Azurite is not running');
  return azurite.connectionString;
}

interface Pair {
  name: string;
  /** Two storage objects over the same place, standing in for two instances of the bot. */
  instances(): Promise<[Storage, Storage]>;
}

const pairs: Pair[] = [
  {
    name: 'one MemoryStorage shared by two callers',
    async instances() {
      const shared = new MemoryStorage();
      return [shared, shared];
    },
  },
  {
    name: 'two SqliteStorage objects on the same directory',
    async instances() {
      const dir = await mkdtemp(join(tmpdir(), 'ers-claims-sqlite-'));
      tempDirs.push(dir);
      return [
        await createStorage({ kind: 'sqlite', dataDir: dir }),
        await createStorage({ kind: 'sqlite', dataDir: dir }),
      ];
    },
  },
  {
    name: 'two FileStorage objects on the same directory',
    async instances() {
      const dir = await mkdtemp(join(tmpdir(), 'ers-claims-'));
      tempDirs.push(dir);
      return [await createStorage({ kind: 'file', dataDir: dir }), await createStorage({ kind: 'file', dataDir: dir })];
    },
  },
  {
    name: 'two blob storages on the same Azurite container',
    async instances() {
      const options = {
        kind: 'blob' as const,
        blobConnectionString: connectionString(),
        blobContainer: `claims-${randomUUID().slice(0, 8)}`,
      };
      return [await createStorage(options), await createStorage(options)];
    },
  },
];

describe.each(pairs)('two instances delivering one announcement, with $name', (pair) => {
  test('race for 50 targets and each target is claimed exactly once', async () => {
    const [first, second] = await pair.instances();
    // Each instance walks the targets in its own order, all at once, as two schedulers firing together would.
    const race = await Promise.all([
      Promise.all(KEYS.map(async (key) => ({ key, owner: 'A', won: await claim(first, key, 'A', NOW, LEASE_MS) }))),
      Promise.all(
        [...KEYS]
          .reverse()
          .map(async (key) => ({ key, owner: 'B', won: await claim(second, key, 'B', NOW, LEASE_MS) })),
      ),
    ]);
    const wins = race.flat().filter((attempt) => attempt.won);
    expect(wins).toHaveLength(KEYS.length);
    expect(new Set(wins.map((win) => win.key)).size).toBe(KEYS.length);
    for (const win of wins) {
      expect((await readClaim(first, win.key))?.owner).toBe(win.owner);
    }
  });

  test('a finished target is never claimed again, even after its lease', async () => {
    const [first, second] = await pair.instances();
    const key = KEYS[0] as string;
    expect(await claim(first, key, 'A', NOW, LEASE_MS)).toBe(true);
    expect(await complete(first, key, 'A', { activityId: 'act-1' }, NOW)).toBe(true);
    const later = new Date(NOW.getTime() + 10 * LEASE_MS);
    expect(await claim(second, key, 'B', later, LEASE_MS)).toBe(false);
    expect(await readClaim(second, key)).toMatchObject({
      state: 'done',
      owner: 'A',
      result: { activityId: 'act-1' },
      completedAt: NOW.toISOString(),
    });
  });

  test('an instance that died mid-delivery loses the target once its lease runs out', async () => {
    const [first, second] = await pair.instances();
    const key = KEYS[1] as string;
    expect(await claim(first, key, 'A', NOW, LEASE_MS)).toBe(true);
    expect(await claim(second, key, 'B', new Date(NOW.getTime() + LEASE_MS - 1), LEASE_MS)).toBe(false);
    expect(await claim(first, key, 'A', NOW, LEASE_MS)).toBe(false);

    const expired = new Date(NOW.getTime() + LEASE_MS);
    const takeovers = await Promise.all([
      claim(first, key, 'C', expired, LEASE_MS),
      claim(second, key, 'B', expired, LEASE_MS),
    ]);
    expect(takeovers.filter(Boolean)).toHaveLength(1);
    const taker = takeovers[0] ? 'C' : 'B';
    expect(await readClaim(first, key)).toMatchObject({ owner: taker, attempts: 2 });
    // The late original owner cannot record a result over the new owner's claim.
    expect(await complete(first, key, 'A', { activityId: 'late' })).toBe(false);
    expect(await complete(second, key, taker, { activityId: 'act-2' })).toBe(true);
  });

  test('a released target can be claimed again straight away', async () => {
    const [first, second] = await pair.instances();
    const key = KEYS[2] as string;
    expect(await claim(first, key, 'A', NOW, LEASE_MS)).toBe(true);
    expect(await release(second, key, 'B')).toBe(false);
    expect(await release(first, key, 'A')).toBe(true);
    expect(await claim(second, key, 'B', NOW, LEASE_MS)).toBe(true);
  });
});

describe('claims on storage that cannot create conditionally', () => {
  test('raw BlobsStorage makes claim throw instead of silently never delivering', async () => {
    const raw = new BlobsStorage(connectionString(), `raw-${randomUUID().slice(0, 8)}`);
    await expect(claim(raw, 'announce/x/y', 'A', NOW, LEASE_MS)).rejects.toThrow(/createStorage/);
  });
});

describe('retrying a read-modify-write after a conflict', () => {
  test('20 concurrent increments of one counter all land', async () => {
    const storage = new MemoryStorage();
    await storage.write({ counter: { n: 0 } });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withRetryOnConflict(async () => {
          const item = (await storage.read(['counter'])).counter;
          // Yields between read and write so the increments really interleave.
          await new Promise((resolveWait) => setTimeout(resolveWait, 1));
          await storage.write({ counter: { n: Number(item?.n) + 1, eTag: item?.eTag } });
        }, 50),
      ),
    );
    expect((await storage.read(['counter'])).counter).toMatchObject({ n: 20 });
  });

  test('gives up after the given number of attempts with the conflict error', async () => {
    let runs = 0;
    const conflict = async (): Promise<never> => {
      runs += 1;
      throw new Error('Storage: error writing "k" due to eTag conflict.');
    };
    await expect(withRetryOnConflict(conflict, 3)).rejects.toThrow(/eTag conflict/);
    expect(runs).toBe(3);
  });

  test('does not retry other errors', async () => {
    let runs = 0;
    const broken = async (): Promise<never> => {
      runs += 1;
      throw new Error('disk full');
    };
    await expect(withRetryOnConflict(broken, 5)).rejects.toThrow('disk full');
    expect(runs).toBe(1);
  });
});
