import { MemoryStorage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { announcedDays, parseRange, type RawInsights, summarise, weekStart } from '../../bot/insights/data.js';
import { type DayCounts, emptyDay, featureOf, InsightsRecorder, readDays } from '../../bot/insights/recorder.js';
import { csvCell, renderCsv, renderInsights } from '../../bot/insights/render.js';
import { credentialOf } from '../../bot/insights/routes.js';
import type { Announcement } from '../../knowledge/announcements/model.js';
import type { SearchResult } from '../../knowledge/search.js';
import { testKnowledge } from '../helpers/knowledge.js';

const { kb } = testKnowledge();
const TODAY = '2026-11-15';

function raw(parts: Partial<RawInsights> = {}): RawInsights {
  return { days: new Map(), feedback: [], unanswered: [], announcements: [], ...parts };
}

function announcement(over: Partial<Announcement>): Announcement {
  return {
    id: 'a1',
    kind: 'planned-downtime',
    title: 'Maintenance',
    sendAt: '2026-11-09T08:00:00Z',
    targets: 'all',
    createdBy: { via: 'api' },
    createdAt: '2026-11-09T08:00:00Z',
    status: 'sent',
    ...over,
  };
}

describe('the date range a content owner asks for', () => {
  test('no dates: the last 12 weeks to today', () => {
    expect(parseRange({}, TODAY)).toEqual({ ok: true, range: { from: '2026-08-24', to: TODAY } });
  });
  test('both dates, or only the first (to today)', () => {
    expect(parseRange({ from: '2026-11-02', to: '2026-11-08' }, TODAY)).toEqual({
      ok: true,
      range: { from: '2026-11-02', to: '2026-11-08' },
    });
    expect(parseRange({ from: '2026-11-02' }, TODAY).range).toEqual({ from: '2026-11-02', to: TODAY });
  });
  test.each([
    ['a mistyped date', { from: '2026-02-30', to: TODAY }, 'year-month-day'],
    ['text', { from: '<script>', to: TODAY }, 'year-month-day'],
    ['dates the wrong way round', { from: '2026-11-10', to: '2026-11-01' }, 'after the last'],
    ['more than a year', { from: '2024-01-01', to: TODAY }, 'at most 366 days'],
  ])('%s: says why, and falls back to the last 12 weeks', (_name, query, why) => {
    const result = parseRange(query, TODAY);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(why);
    expect(result.range).toEqual({ from: '2026-08-24', to: TODAY });
  });
});

describe('recording usage counts', () => {
  const insight = (kind: 'downtime' | 'knowledge', boroughs: string[] = [], trusts: string[] = []) => ({
    intent: { kind } as { kind: 'downtime' },
    continues: undefined,
    search: { entities: { sites: [], boroughs, trusts } } as unknown as SearchResult,
  });

  test('questions, places named (once per question) and topics land on the London day, as counts only', async () => {
    const storage = new MemoryStorage();
    const recorder = new InsightsRecorder(storage, (err) => {
      throw err;
    });
    // 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    recorder.countQuestion(insight('downtime', ['bromley', 'bromley'], ['kch']), new Date('2026-05-31T23:30:00Z'));
    recorder.countQuestion(insight('knowledge'), new Date('2026-06-01T10:00:00Z'));
    recorder.countTopic('attaching-referral-letters', new Date('2026-06-01T10:00:00Z'));
    await recorder.flushed();
    const days = await readDays(storage, ['2026-05-31', '2026-06-01']);
    expect(days.get('2026-05-31')).toEqual(emptyDay());
    expect(days.get('2026-06-01')).toEqual({
      features: { downtime: 1, knowledge: 1 },
      topics: { 'attaching-referral-letters': 1 },
      boroughs: { bromley: 1 },
      trusts: { kch: 1 },
    });
  });

  test('two instances counting at once lose nothing (the write carries the eTag it read)', async () => {
    const storage = new MemoryStorage();
    const fail = (err: unknown) => {
      throw err;
    };
    const a = new InsightsRecorder(storage, fail);
    const b = new InsightsRecorder(storage, fail);
    const at = new Date('2026-11-10T10:00:00Z');
    for (let i = 0; i < 20; i++) {
      a.countTopic('x', at);
      b.countTopic('x', at);
    }
    await Promise.all([a.flushed(), b.flushed()]);
    expect((await readDays(storage, ['2026-11-10'])).get('2026-11-10')?.topics).toEqual({ x: 40 });
  });

  test('the feature is the dialog a message continued, else the kind of question', () => {
    expect(featureOf({ continues: 'troubleshoot', intent: { kind: 'knowledge' } })).toBe('troubleshooting');
    expect(featureOf({ continues: undefined, intent: { kind: 'calculator' } })).toBe('deadlines');
    expect(featureOf({ continues: undefined, intent: { kind: 'contact' } })).toBe('contacts');
    expect(featureOf({ continues: undefined, intent: { kind: 'knowledge' } })).toBe('knowledge');
  });
});

describe('the figures on the page', () => {
  const range = { from: '2026-11-02', to: '2026-11-15' };

  test('weeks start on Monday; days outside the range are left out', () => {
    expect(weekStart('2026-11-08')).toBe('2026-11-02');
    expect(weekStart('2026-11-09')).toBe('2026-11-09');
    const days = new Map<string, DayCounts>([
      ['2026-11-08', { ...emptyDay(), features: { downtime: 2 } }],
      ['2026-11-09', { ...emptyDay(), features: { knowledge: 3 } }],
      ['2026-11-16', { ...emptyDay(), features: { knowledge: 50 } }],
    ]);
    const data = summarise(raw({ days }), range, kb);
    expect(data.weeks.map((w) => [w.start, w.features.downtime, w.features.knowledge])).toEqual([
      ['2026-11-02', 2, 0],
      ['2026-11-09', 0, 3],
    ]);
    expect(data.totals.questions).toBe(5);
  });

  test('feedback trend against the same number of days before the range', () => {
    const f = (at: string, entryId: string, helpful: boolean) => ({ at, entryId, helpful });
    const data = summarise(
      raw({
        feedback: [
          f('2026-10-25T10:00:00Z', 'ts-up', false),
          f('2026-11-03T10:00:00Z', 'ts-up', true),
          f('2026-10-25T10:00:00Z', 'ts-down', true),
          f('2026-11-03T10:00:00Z', 'ts-down', false),
          f('2026-11-04T10:00:00Z', 'ts-new', true),
          f('2026-10-01T10:00:00Z', 'ts-new', false),
        ],
      }),
      range,
      kb,
    );
    expect(Object.fromEntries(data.feedbackTopics.map((t) => [t.id, t.trend]))).toEqual({
      'ts-up': 'up',
      'ts-down': 'down',
      'ts-new': 'new',
    });
  });

  test('unanswered questions with the same pack words are one group, whatever the order', () => {
    const u = (at: string, words: string[]) => ({ at, words, confidence: 'none' as const, suggestions: [] });
    const data = summarise(
      raw({
        unanswered: [
          u('2026-11-03T10:00:00Z', ['referral', 'letter']),
          u('2026-11-05T10:00:00Z', ['letter', 'referral']),
          u('2026-11-05T11:00:00Z', []),
        ],
      }),
      range,
      kb,
    );
    expect(data.unanswered.map((g) => [g.words.join(' '), g.count])).toEqual([
      ['letter referral', 2],
      ['', 1],
    ]);
  });

  test('a downtime announcement covers its London days; a cancelled or general one none', () => {
    expect(announcedDays(announcement({ startsAt: '2026-11-10T23:30:00Z', endsAt: '2026-11-12T01:00:00Z' }))).toEqual({
      from: '2026-11-10',
      to: '2026-11-12',
    });
    expect(announcedDays(announcement({ status: 'cancelled' }))).toBeUndefined();
    expect(announcedDays(announcement({ kind: 'general' }))).toBeUndefined();
    const data = summarise(raw({ announcements: [announcement({ startsAt: '2026-11-10T09:00:00Z' })] }), range, kb);
    expect(data.downtime.filter((d) => d.announced.length > 0).map((d) => d.date)).toEqual(['2026-11-10']);
  });

  test('words from storage are escaped on the page, and cannot run as spreadsheet formulas in the CSV', () => {
    const u = (words: string[]) => ({
      at: '2026-11-03T10:00:00Z',
      words,
      confidence: 'none' as const,
      suggestions: [],
    });
    const unanswered = [u(['<img src=x>']), u(['=cmd'])];
    const data = summarise(raw({ unanswered }), range, kb);
    const page = renderInsights({ data, asked: { from: '', to: '' }, path: '/insights' });
    expect(page).toContain('&lt;img src=x&gt;');
    expect(page).not.toContain('<img src=x>');
    expect(page).not.toContain('<script');
    expect(csvCell('=cmd')).toBe(`"'=cmd"`);
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(renderCsv(data)).toContain(`unanswered,2026-11-02/2026-11-15,"'=cmd",1`);
  });
});

describe('the key the insights page takes', () => {
  test('Bearer, or HTTP Basic with the key as the password (any user name)', () => {
    expect(credentialOf('Bearer abc')).toBe('abc');
    expect(credentialOf(`Basic ${Buffer.from('owner:s3cret:with:colons').toString('base64')}`)).toBe(
      's3cret:with:colons',
    );
    expect(credentialOf(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(credentialOf('Digest abc')).toBeUndefined();
    expect(credentialOf(undefined)).toBeUndefined();
  });
});
