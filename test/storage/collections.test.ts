import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { afterAll, describe, expect, test } from 'vitest';
import {
  applyRefChange,
  CONVERSATION_REFS_KEY,
  listConversationRefs,
} from '../../bot/announcements/conversation-refs.js';
import {
  ANNOUNCEMENTS_KEY,
  cancelAnnouncement,
  getAnnouncement,
  listAnnouncements,
  saveAnnouncement,
} from '../../bot/announcements/store.js';
import { createStorage } from '../../bot/storage/create-storage.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import type { SqliteStorage } from '../../bot/storage/sqlite-storage.js';
import type { Announcement, ConversationRefRecord } from '../../knowledge/announcements/model.js';

const dirs: string[] = [];
const opened: SqliteStorage[] = [];
afterAll(async () => {
  for (const s of opened) s.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function sqlite(): Promise<SqliteStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'ers-collections-'));
  dirs.push(dir);
  const storage = (await createStorage({ kind: 'sqlite', dataDir: dir })) as SqliteStorage;
  opened.push(storage);
  return storage;
}

/** Counts what each write sends, to show that an install writes one small item. */
function counting(storage: Storage & { list: ListableMemoryStorage['list'] }) {
  const writes: string[][] = [];
  const wrapped = {
    read: (keys: string[]) => storage.read(keys),
    write: (changes: StoreItems) => {
      writes.push(Object.keys(changes));
      return storage.write(changes);
    },
    delete: (keys: string[]) => storage.delete(keys),
    list: (prefix: string) => storage.list(prefix),
  };
  return { storage: wrapped, writes };
}

function install(i: number): ConversationRefRecord {
  return {
    conversationId: `19:team-${i}@thread.tacv2`,
    scope: 'team',
    reference: {
      conversation: { id: `19:team-${i}@thread.tacv2`, isGroup: true, conversationType: 'channel', name: '' },
    },
    addedAt: '2026-11-09T09:00:00.000Z',
    active: true,
  };
}

// Issue 15: the installs list was one record rewritten on every install (500 installs took 43 s,
// 2,000 over 9 minutes). Now each install is its own item.
describe('the bot is installed in 500 teams', () => {
  test('each install writes one item of its own, and all 500 are listed', async () => {
    const base = await sqlite();
    const { storage, writes } = counting(base);
    for (let i = 0; i < 500; i++) await applyRefChange(storage, { kind: 'add', record: install(i) });
    expect(writes).toHaveLength(500);
    expect(writes.every((keys) => keys.length === 1 && keys[0]?.startsWith(`${CONVERSATION_REFS_KEY}/`))).toBe(true);
    expect(await listConversationRefs(base)).toHaveLength(500);
    expect(await base.read([CONVERSATION_REFS_KEY])).toEqual({});
  });

  test('installs racing each other are all kept', async () => {
    const storage = await sqlite();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => applyRefChange(storage, { kind: 'add', record: install(i) })),
    );
    expect(await listConversationRefs(storage)).toHaveLength(50);
  });

  test('uninstalling one team removes only its record', async () => {
    const storage = new ListableMemoryStorage();
    for (let i = 0; i < 3; i++)
      await applyRefChange(storage, { kind: 'add', record: { ...install(i), teamId: `t${i}` } });
    expect(await applyRefChange(storage, { kind: 'remove-team', teamId: 't1' })).toBe(true);
    expect((await listConversationRefs(storage)).map((r) => r.teamId)).toEqual(['t0', 't2']);
  });
});

describe('a collection kept as one item by an older build (imported from the JSON files)', () => {
  test('is split into one item per key on first use, keeping every record', async () => {
    const storage = await sqlite();
    const old: Record<string, ConversationRefRecord> = {};
    for (let i = 0; i < 3; i++) old[install(i).conversationId] = install(i);
    await storage.write({ [CONVERSATION_REFS_KEY]: { items: old } });
    await applyRefChange(storage, { kind: 'add', record: install(3) });
    expect((await listConversationRefs(storage)).map((r) => r.conversationId)).toHaveLength(4);
    expect(await storage.read([CONVERSATION_REFS_KEY])).toEqual({});
  });
});

function announcement(id: string): Announcement {
  return {
    id,
    kind: 'general',
    title: 'Training',
    sendAt: '2026-11-12T09:30:00.000Z',
    targets: 'all',
    createdBy: { via: 'api' },
    createdAt: '2026-11-09T09:00:00.000Z',
    status: 'scheduled',
  };
}

// Security review L3: '__proto__', 'constructor' and 'toString' as ids found inherited properties.
describe('an announcement id that names an object property', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%j is not found', async (id) => {
    for (const storage of [new ListableMemoryStorage(), await sqlite()]) {
      await saveAnnouncement(storage, announcement('k3f9q2xd'));
      expect(await getAnnouncement(storage, id)).toBeUndefined();
      expect(await cancelAnnouncement(storage, id, new Date('2026-11-09T10:00:00Z'))).toBe('not-found');
      expect((await listAnnouncements(storage)).map((a) => a.id)).toEqual(['k3f9q2xd']);
      expect(await storage.read([ANNOUNCEMENTS_KEY])).toEqual({});
    }
  });
});

describe('a conversation whose id is "__proto__"', () => {
  test('is refused rather than stored as an object prototype', async () => {
    const storage = new ListableMemoryStorage();
    await expect(
      applyRefChange(storage, { kind: 'add', record: { ...install(0), conversationId: '__proto__' } }),
    ).rejects.toThrow(/__proto__/);
    expect(await listConversationRefs(storage)).toEqual([]);
  });
});
