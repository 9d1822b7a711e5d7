import { MemoryStorage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { pruneExpired, pruneStoredList } from '../../bot/storage/retention.js';

const NOW = new Date('2025-10-31T12:00:00Z');

describe('keeping unanswered questions and feedback only for the retention period', () => {
  const records = [
    { id: 'old', at: '2025-09-30T11:59:59Z' },
    { id: 'boundary', at: '2025-10-01T12:00:00Z' },
    { id: 'recent', at: '2025-10-30T08:15:00Z' },
    { id: 'clock-ahead', at: '2025-10-31T12:05:00Z' },
    { id: 'unreadable', at: 'last Tuesday' },
  ];

  test('drops records older than 30 days and keeps the one exactly on the boundary', () => {
    expect(pruneExpired(records, NOW, 30).map((record) => record.id)).toEqual(['boundary', 'recent', 'clock-ahead']);
  });

  test('does not change the list it was given', () => {
    const copy = structuredClone(records);
    pruneExpired(records, NOW, 1);
    expect(records).toEqual(copy);
  });

  test('refuses a retention period that is not a positive number', () => {
    expect(() => pruneExpired(records, NOW, 0)).toThrow(RangeError);
    expect(() => pruneExpired(records, NOW, Number.NaN)).toThrow(RangeError);
  });

  test('prunes the list kept under a storage key and leaves its other fields alone', async () => {
    const storage = new MemoryStorage();
    await storage.write({ 'feedback/all': { records, owner: 'ers-helper' } });
    expect(await pruneStoredList(storage, 'feedback/all', NOW, 30)).toEqual({ kept: 3, removed: 2 });
    const item = (await storage.read(['feedback/all']))['feedback/all'];
    expect(item?.owner).toBe('ers-helper');
    expect(item?.records.map((record: { id: string }) => record.id)).toEqual(['boundary', 'recent', 'clock-ahead']);
  });

  test('writes nothing when nothing expired, and treats a missing key as empty', async () => {
    const storage = new MemoryStorage();
    await storage.write({ 'questions/unanswered': { records: [records[2]] } });
    const eTag = (await storage.read(['questions/unanswered']))['questions/unanswered']?.eTag;
    expect(await pruneStoredList(storage, 'questions/unanswered', NOW, 30)).toEqual({ kept: 1, removed: 0 });
    expect((await storage.read(['questions/unanswered']))['questions/unanswered']?.eTag).toBe(eTag);
    expect(await pruneStoredList(storage, 'nothing/here', NOW, 30)).toEqual({ kept: 0, removed: 0 });
  });
});
