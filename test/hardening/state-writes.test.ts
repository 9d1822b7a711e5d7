import type { StoreItems } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { setup } from '../helpers/setup.js';

// Issue 18: conversation state is written only when the turn changed it (teams-ai compares the state
// with a snapshot taken at load), and a write carries the eTag it read, so two turns of one
// conversation on two instances still cannot both win.

/** Memory storage that records every write: the keys and the eTags they carried. */
class RecordingStorage extends ListableMemoryStorage {
  readonly writes: Array<{ key: string; eTag: unknown }> = [];

  override async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) this.writes.push({ key, eTag: item?.eTag });
    return super.write(changes);
  }

  conversationWrites(): Array<{ key: string; eTag: unknown }> {
    return this.writes.filter((w) => w.key.includes('/conversations/'));
  }
}

describe('conversation state is written only when it changed', () => {
  test('a turn that changes the state writes it; the same turn again, changing nothing, does not', async () => {
    const storage = new RecordingStorage();
    const { adapter } = setup({ storage });
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    const afterFirst = storage.conversationWrites().length;
    expect(afterFirst).toBe(1);
    // Same question, same (fixed) clock: the state the turn leaves is the state it loaded.
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    expect(storage.conversationWrites()).toHaveLength(afterFirst);
    // A different answer changes what was answered last: written again.
    await adapter.send('troubleshoot').assertReply(() => undefined);
    expect(storage.conversationWrites()).toHaveLength(afterFirst + 1);
  });

  test('on a moving clock, the same question again within the same second is not written again', async () => {
    // The times kept in the state only decide expiry and are kept to whole seconds (bot/state.ts
    // stateTime): milliseconds alone do not make a turn's state different from what it loaded.
    const storage = new RecordingStorage();
    const { adapter, clock } = setup({ storage, now: '2026-11-09T10:00:00.100Z' });
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    expect(storage.conversationWrites()).toHaveLength(1);
    clock.set('2026-11-09T10:00:00.900Z');
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    expect(storage.conversationWrites()).toHaveLength(1);
    // The next second is a new time: written, so expiry still counts from the latest turn.
    clock.set('2026-11-09T10:00:01.050Z');
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    expect(storage.conversationWrites()).toHaveLength(2);
    const [written] = Object.values(await storage.read([storage.conversationWrites()[1]?.key ?? '']));
    expect((written as { topic?: { at?: string } } | undefined)?.topic?.at).toBe('2026-11-09T10:00:01.000Z');
  });

  test('no user state is written when no feature keeps any', async () => {
    const storage = new RecordingStorage();
    const { adapter } = setup({ storage });
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    await adapter.send('troubleshoot').assertReply(() => undefined);
    expect(storage.writes.filter((w) => w.key.includes('/users/'))).toEqual([]);
  });

  test('a write carries the eTag the turn read (the Storage eTag contract)', async () => {
    const storage = new RecordingStorage();
    const { adapter } = setup({ storage });
    await adapter.send('list the e-RS worklists').assertReply(() => undefined);
    const [first] = storage.conversationWrites();
    if (!first) throw new Error('no conversation write');
    const stored = (await storage.read([first.key]))[first.key]?.eTag;
    expect(typeof stored).toBe('string');
    await adapter.send('troubleshoot').assertReply(() => undefined);
    expect(storage.conversationWrites().at(-1)).toEqual({ key: first.key, eTag: stored });
  });
});
