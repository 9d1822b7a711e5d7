import { MemoryStorage, type StoreItems } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ANNOUNCEMENTS_KEY, REMINDERS_KEY } from '../../bot/announcements/store.js';
import { runHousekeeping } from '../../bot/housekeeping.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { appendRecord, type FeedbackRecord, readRecords, type UnansweredRecord } from '../../bot/storage/records.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { setup } from '../helpers/setup.js';

describe('questions the bot could not answer', () => {
  test('are kept for the content owners as the pack words they used, never as typed', async () => {
    const { adapter, storage } = setup();
    await adapter
      .send('Mr Okonkwo 07700 900123 lives 14 Acacia Avenue the wibble referral thingy is stuck')
      .assertReply(() => undefined);
    const records = await readRecords<UnansweredRecord>(storage, 'unanswered');
    expect(records).toHaveLength(1);
    const stored = JSON.stringify(records[0]);
    for (const identifying of ['Okonkwo', '07700', '900123', 'Acacia', '14 '])
      expect(stored).not.toContain(identifying);
    expect(records[0]?.words).toEqual(expect.arrayContaining(['referral']));
    expect(records[0]?.words.every((w) => /^[a-z0-9&]+$/.test(w))).toBe(true);
  });
});

describe('feedback on an answer', () => {
  test('the Helpful button stores which topic helped, and nothing the user typed', async () => {
    const { adapter, storage } = setup();
    await adapter.send('what is a dummy appointment').assertReply(() => undefined);
    await adapter
      .send({ type: 'message', value: { verb: 'feedback', entryId: 'dummy-appointment-letter', helpful: true } })
      .assertReply((a) => expect(a.text).toContain('Thanks'));
    const records = await readRecords<FeedbackRecord>(storage, 'feedback');
    expect(records).toEqual([expect.objectContaining({ entryId: 'dummy-appointment-letter', helpful: true })]);
  });

  test('typing "not helpful" after an answer records it against that answer', async () => {
    const { adapter, storage } = setup();
    let answered = '';
    await adapter.send('patient forgot access code').assertReply((a) => {
      answered = JSON.stringify(a.attachments);
    });
    await adapter.send('not helpful').assertReply((a) => expect(a.text).toContain('passed that on'));
    const [record] = await readRecords<FeedbackRecord>(storage, 'feedback');
    expect(record?.helpful).toBe(false);
    expect(answered).toContain(record?.entryId ?? 'no record');
  });

  test('a feedback button with values the card could not have sent is refused politely', async () => {
    const { adapter, storage } = setup();
    await adapter
      .send({ type: 'message', value: { verb: 'feedback', entryId: '<script>', helpful: 'yes' } })
      .assertReply((a) => expect(a.text).toContain('no recent answer'));
    expect(await readRecords(storage, 'feedback')).toEqual([]);
  });
});

describe('daily housekeeping after RETENTION_DAYS', () => {
  const now = new Date('2026-11-09T03:00:00Z');
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();

  test('drops old records and finished announcements and reminders, and keeps everything still due', async () => {
    const storage = new MemoryStorage();
    await appendRecord(
      storage,
      'feedback',
      { at: daysAgo(100), entryId: 'a', helpful: true },
      new Date(daysAgo(100)),
      90,
    );
    await appendRecord(
      storage,
      'feedback',
      { at: daysAgo(10), entryId: 'b', helpful: false },
      new Date(daysAgo(10)),
      90,
    );
    await storage.write({
      [ANNOUNCEMENTS_KEY]: {
        items: {
          old: { id: 'old', status: 'sent', sendAt: daysAgo(120), finishedAt: daysAgo(120) },
          recent: { id: 'recent', status: 'sent', sendAt: daysAgo(5), finishedAt: daysAgo(5) },
          due: { id: 'due', status: 'scheduled', sendAt: daysAgo(200) },
        },
      },
      [REMINDERS_KEY]: {
        items: {
          done: { id: 'done', status: 'sent', dueAt: daysAgo(95) },
          later: { id: 'later', status: 'scheduled', dueAt: daysAgo(-3) },
        },
      },
    });
    expect(await runHousekeeping(storage, now, 90)).toEqual({ records: 1, announcements: 1, reminders: 1, stale: 0 });
    expect((await readRecords<FeedbackRecord>(storage, 'feedback')).map((r) => r.entryId)).toEqual(['b']);
    const items = await storage.read([ANNOUNCEMENTS_KEY, REMINDERS_KEY]);
    expect(Object.keys(items[ANNOUNCEMENTS_KEY]?.items ?? {}).sort()).toEqual(['due', 'recent']);
    expect(Object.keys(items[REMINDERS_KEY]?.items ?? {})).toEqual(['later']);
  });
});

describe('the records API for content owners', () => {
  const KEY = 'test-announce-key-0123456789abcdef';
  let bot: HttpBot;
  beforeAll(async () => {
    bot = await startHttpBot({ env: { ANNOUNCE_API_KEY: KEY } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('needs the API key', async () => {
    expect((await fetch(`${bot.base}/api/records/feedback`)).status).toBe(401);
    const wrong = await fetch(`${bot.base}/api/records/feedback`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  test('lists the unanswered questions as pack words, and refuses unknown kinds', async () => {
    await bot.ask('the wibble flobber on our referral gizmo keeps squeaking');
    const res = await fetch(`${bot.base}/api/records/unanswered`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number; records: UnansweredRecord[] };
    expect(body.count).toBeGreaterThanOrEqual(1);
    expect(body.records.at(-1)?.words).toEqual(expect.arrayContaining(['referral']));
    const unknown = await fetch(`${bot.base}/api/records/secrets`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(unknown.status).toBe(404);
  });
});

// Security review M2: "records/unanswered with a bad shape: every unanswerable question fails".
describe('a records list damaged by hand or by an older build', () => {
  test.each([['not a list'], [{ at: 'x' }], [[null, 3, { at: '2026-11-01T09:00:00Z', words: ['ok'] }]]])(
    'is read as its well-formed records and still takes new ones: %j',
    async (records) => {
      const storage = new MemoryStorage();
      await storage.write({ 'records/unanswered': { records } });
      const before = await readRecords<UnansweredRecord>(storage, 'unanswered');
      expect(before.every((r) => typeof r.at === 'string')).toBe(true);
      await appendRecord(
        storage,
        'unanswered',
        { at: '2026-11-09T09:00:00.000Z', words: ['smartcard'] } as UnansweredRecord,
        new Date('2026-11-09T10:00:00Z'),
        90,
      );
      const after = await readRecords<UnansweredRecord>(storage, 'unanswered');
      expect(after.at(-1)).toMatchObject({ at: '2026-11-09T09:00:00.000Z' });
    },
  );
});

describe('records on a storage that keeps one item per record (SQLite, blob)', () => {
  const at = (i: number) => new Date(Date.UTC(2026, 10, 1, 9, 0, i)).toISOString();

  test('each record is its own item, read back oldest first', async () => {
    const storage = new ListableMemoryStorage();
    const keys: string[] = [];
    const counting = Object.assign(Object.create(storage) as ListableMemoryStorage, {
      write: (changes: StoreItems) => {
        keys.push(...Object.keys(changes));
        return storage.write(changes);
      },
    });
    for (const i of [2, 0, 1]) {
      await appendRecord(counting, 'feedback', { at: at(i), entryId: `e${i}`, helpful: true }, new Date(at(3)), 90);
    }
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => k.startsWith('records/feedback/'))).toBe(true);
    expect((await readRecords<FeedbackRecord>(storage, 'feedback')).map((r) => r.entryId)).toEqual(['e0', 'e1', 'e2']);
    expect(await storage.read(['records/feedback'])).toEqual({});
  });

  test('a list kept by an older build is split into items, keeping its records', async () => {
    const storage = new ListableMemoryStorage();
    await storage.write({
      'records/unanswered': { records: [{ at: at(0), words: ['a'] }, 'junk', { at: at(1), words: ['b'] }] },
    });
    await appendRecord(
      storage,
      'unanswered',
      { at: at(2), words: ['c'], confidence: 'none', suggestions: [] },
      new Date(at(3)),
      90,
    );
    expect((await readRecords<UnansweredRecord>(storage, 'unanswered')).map((r) => r.words[0])).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(await storage.read(['records/unanswered'])).toEqual({});
  });

  test('housekeeping drops the records past the retention window', async () => {
    const storage = new ListableMemoryStorage();
    const now = new Date('2026-11-09T10:00:00Z');
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
    await appendRecord(storage, 'feedback', { at: daysAgo(100), entryId: 'old', helpful: true }, now, 90);
    await appendRecord(storage, 'feedback', { at: daysAgo(10), entryId: 'new', helpful: true }, now, 90);
    expect((await runHousekeeping(storage, now, 90)).records).toBe(1);
    expect((await readRecords<FeedbackRecord>(storage, 'feedback')).map((r) => r.entryId)).toEqual(['new']);
  });
});
