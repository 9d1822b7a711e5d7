import type { StoreItems } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { InsightsRecorder, readDays } from '../../bot/insights/recorder.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { readUsage, UsageRecorder } from '../../bot/usage.js';

// Issue 18: usage and insights counts are written after the turn, one write per batch window,
// rather than a read-modify-write inside every turn.

class CountingStorage extends ListableMemoryStorage {
  writes = 0;
  override async write(changes: StoreItems): Promise<void> {
    this.writes += 1;
    return super.write(changes);
  }
}

const NOW = new Date('2026-11-09T10:00:00Z');
const question = {
  continues: undefined,
  intent: { kind: 'knowledge' },
  search: { entities: { sites: [], boroughs: [], trusts: [] } },
} as unknown as Parameters<InsightsRecorder['countQuestion']>[0];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('usage counts', () => {
  test('nothing is written during the turns; one write after the window carries them all', async () => {
    const storage = new CountingStorage();
    const recorder = new UsageRecorder(storage, (err) => {
      throw err;
    });
    for (let i = 0; i < 5; i++) recorder.record('worklists-overview', NOW);
    await settle();
    expect(storage.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await recorder.flushed();
    expect(storage.writes).toBe(1);
    expect((await readUsage(storage)).counts).toEqual({ 'worklists-overview': 5 });
  });

  test('flushed() writes a waiting batch at once', async () => {
    const storage = new CountingStorage();
    const recorder = new UsageRecorder(storage, (err) => {
      throw err;
    });
    recorder.record('worklists-overview', NOW);
    await recorder.flushed();
    expect((await readUsage(storage)).counts).toEqual({ 'worklists-overview': 1 });
  });
});

describe('insights counts', () => {
  test('nothing is written during the turns; one write after the window carries them all', async () => {
    const storage = new CountingStorage();
    const recorder = new InsightsRecorder(storage, (err) => {
      throw err;
    });
    for (let i = 0; i < 4; i++) recorder.countQuestion(question, NOW);
    recorder.countTopic('worklists-overview', NOW);
    await settle();
    expect(storage.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await recorder.flushed();
    expect(storage.writes).toBe(1);
    const day = (await readDays(storage, ['2026-11-09'])).get('2026-11-09');
    expect(day?.topics).toEqual({ 'worklists-overview': 1 });
    expect(day?.features).toEqual({ knowledge: 4 });
  });

  test('flushed() writes a waiting batch at once, and a batch window of 0 writes straight away', async () => {
    const storage = new CountingStorage();
    const waiting = new InsightsRecorder(storage, (err) => {
      throw err;
    });
    waiting.countTopic('a', NOW);
    await waiting.flushed();
    expect(storage.writes).toBe(1);
    const immediate = new InsightsRecorder(
      storage,
      (err) => {
        throw err;
      },
      0,
    );
    immediate.countTopic('b', NOW);
    await settle();
    expect(storage.writes).toBe(2);
  });
});
