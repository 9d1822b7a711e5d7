import type { Storage } from 'botbuilder';
import type { Announcement } from '../../knowledge/announcements/model.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import { boroughId, trustId } from '../../knowledge/schema.js';
import {
  addCalendarDays,
  daysBetween,
  type IsoDate,
  isIsoDate,
  weekdayOf,
} from '../../knowledge/time/calendar-date.js';
import { londonDate } from '../../knowledge/time/london-time.js';
import { listAnnouncements } from '../announcements/store.js';
import type { FeedbackRecord, UnansweredRecord } from '../storage/records.js';
import { readRecords } from '../storage/records.js';
import { BOROUGH_LABELS, INSIGHTS_TEXT, TRUST_LABELS } from './insights-text.js';
import { type DayCounts, FEATURES, type Feature, readDays } from './recorder.js';

/**
 * The figures the insights page and its CSV show, gathered from storage for a range of London
 * dates: the per-day counts (bot/insights/recorder.ts), the feedback and unanswered records
 * (bot/storage/records.ts) and the downtime announcements. Pure once read: {@link summarise}.
 */

export const DEFAULT_DAYS = 84;
export const MAX_DAYS = 366;

export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

export type RangeResult = { ok: true; range: DateRange } | { ok: false; range: DateRange; error: string };

/** The range a query asks for; bad input falls back to the last 12 weeks with a reason to show. */
export function parseRange(query: { from?: unknown; to?: unknown }, today: IsoDate): RangeResult {
  const fallback = { from: addCalendarDays(today, -(DEFAULT_DAYS - 1)), to: today };
  const pick = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const fromRaw = pick(query.from);
  const toRaw = pick(query.to);
  if ((fromRaw === undefined || fromRaw === '') && (toRaw === undefined || toRaw === '')) {
    return { ok: true, range: fallback };
  }
  const valid = (v: unknown): v is string => typeof v === 'string' && isIsoDate(v.trim());
  const from = fromRaw === undefined || fromRaw === '' ? undefined : fromRaw;
  const to = toRaw === undefined || toRaw === '' ? today : toRaw;
  if ((from !== undefined && !valid(from)) || !valid(to)) {
    return { ok: false, range: fallback, error: INSIGHTS_TEXT.badDate };
  }
  const toDate = to.trim();
  const fromDate = from === undefined ? addCalendarDays(toDate, -(DEFAULT_DAYS - 1)) : from.trim();
  if (daysBetween(fromDate, toDate) < 0) return { ok: false, range: fallback, error: INSIGHTS_TEXT.rangeBackwards };
  if (daysBetween(fromDate, toDate) + 1 > MAX_DAYS) {
    return { ok: false, range: fallback, error: INSIGHTS_TEXT.rangeTooLong(MAX_DAYS) };
  }
  return { ok: true, range: { from: fromDate, to: toDate } };
}

export function datesIn(range: DateRange): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = range.from; daysBetween(d, range.to) >= 0; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/** The Monday on or before a date. */
export function weekStart(date: IsoDate): IsoDate {
  return addCalendarDays(date, -((weekdayOf(date) + 6) % 7));
}

export interface Labelled {
  id: string;
  label: string;
  count: number;
}

export interface TopicFeedback {
  id: string;
  label: string;
  helpful: number;
  notHelpful: number;
  /** Helpful share in the range, 0..1. */
  share: number;
  /** Helpful share in the same number of days before the range, when there was feedback then. */
  previousShare?: number;
  trend: 'up' | 'down' | 'same' | 'new';
}

export interface UnansweredGroup {
  words: string[];
  count: number;
  lastAt: string;
  suggestions: Array<{ id: string; label: string }>;
}

export interface DowntimeDay {
  date: IsoDate;
  used: number;
  announced: string[];
}

export interface InsightsData {
  range: DateRange;
  totals: { questions: number; answers: number; feedback: number; unanswered: number };
  weeks: Array<{ start: IsoDate; features: Record<Feature, number> }>;
  topics: Labelled[];
  feedbackWeeks: Array<{ start: IsoDate; helpful: number; notHelpful: number }>;
  feedbackTopics: TopicFeedback[];
  unanswered: UnansweredGroup[];
  downtime: DowntimeDay[];
  boroughs: Labelled[];
  trusts: Labelled[];
}

export interface RawInsights {
  days: Map<IsoDate, DayCounts>;
  feedback: FeedbackRecord[];
  unanswered: UnansweredRecord[];
  announcements: Announcement[];
}

export async function readInsights(storage: Storage, range: DateRange): Promise<RawInsights> {
  const [days, feedback, unanswered, announcements] = await Promise.all([
    readDays(storage, datesIn(range)),
    readRecords<FeedbackRecord>(storage, 'feedback'),
    readRecords<UnansweredRecord>(storage, 'unanswered'),
    listAnnouncements(storage),
  ]);
  return { days, feedback, unanswered, announcements };
}

const DOWNTIME_KINDS = new Set<Announcement['kind']>(['planned-downtime', 'unplanned-downtime']);

/** The London days a downtime announcement covers: its start (or send time) to its end, else that one day. */
export function announcedDays(a: Announcement): { from: IsoDate; to: IsoDate } | undefined {
  if (!DOWNTIME_KINDS.has(a.kind) || a.status === 'cancelled') return undefined;
  const start = new Date(a.startsAt ?? a.sendAt);
  if (Number.isNaN(start.getTime())) return undefined;
  const end = a.endsAt ? new Date(a.endsAt) : start;
  const from = londonDate(start);
  const to = Number.isNaN(end.getTime()) ? from : londonDate(end);
  return daysBetween(from, to) >= 0 ? { from, to } : { from, to: from };
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

function inRange(at: string, range: DateRange): boolean {
  const t = new Date(at);
  if (Number.isNaN(t.getTime())) return false;
  const d = londonDate(t);
  return daysBetween(range.from, d) >= 0 && daysBetween(d, range.to) >= 0;
}

function byCount(a: Labelled, b: Labelled): number {
  return b.count - a.count || a.label.localeCompare(b.label);
}

/** All the page's figures from what was read. */
export function summarise(raw: RawInsights, range: DateRange, kb: KnowledgeBase): InsightsData {
  const titleOf = (id: string) => kb.byId.get(id)?.title ?? id;
  const dates = datesIn(range);
  const weekMap = new Map<IsoDate, Record<Feature, number>>();
  const topics = new Map<string, number>();
  const boroughs = new Map<string, number>();
  const trusts = new Map<string, number>();
  let questions = 0;
  let answers = 0;
  const downtimeUsed = new Map<IsoDate, number>();
  for (const date of dates) {
    const day = raw.days.get(date);
    const start = weekStart(date);
    let week = weekMap.get(start);
    if (!week) {
      week = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<Feature, number>;
      weekMap.set(start, week);
    }
    if (!day) continue;
    for (const f of FEATURES) week[f] += day.features[f] ?? 0;
    questions += sum(day.features);
    answers += sum(day.topics);
    for (const [id, n] of Object.entries(day.topics)) topics.set(id, (topics.get(id) ?? 0) + n);
    for (const [id, n] of Object.entries(day.boroughs)) boroughs.set(id, (boroughs.get(id) ?? 0) + n);
    for (const [id, n] of Object.entries(day.trusts)) trusts.set(id, (trusts.get(id) ?? 0) + n);
    // Downtime advice: questions the downtime feature took, and downtime topics answered from the pack.
    const downtimeTopics = Object.entries(day.topics)
      .filter(([id]) => id.startsWith('downtime-'))
      .reduce((a, [, n]) => a + n, 0);
    downtimeUsed.set(date, (day.features.downtime ?? 0) + downtimeTopics);
  }

  const covered = raw.announcements
    .map((a) => ({ a, days: announcedDays(a) }))
    .filter((x): x is { a: Announcement; days: { from: IsoDate; to: IsoDate } } => x.days !== undefined);
  const downtime = dates.map((date) => ({
    date,
    used: downtimeUsed.get(date) ?? 0,
    announced: covered
      .filter(({ days }) => daysBetween(days.from, date) >= 0 && daysBetween(date, days.to) >= 0)
      .map(({ a }) => a.title),
  }));

  const feedback = raw.feedback.filter((r) => inRange(r.at, range));
  const length = dates.length;
  const before = { from: addCalendarDays(range.from, -length), to: addCalendarDays(range.from, -1) };
  const previous = raw.feedback.filter((r) => inRange(r.at, before));
  const feedbackWeeks = [...weekMap.keys()].map((start) => ({ start, helpful: 0, notHelpful: 0 }));
  for (const r of feedback) {
    const week = feedbackWeeks.find((w) => w.start === weekStart(londonDate(new Date(r.at))));
    if (week) {
      if (r.helpful) week.helpful += 1;
      else week.notHelpful += 1;
    }
  }
  const tally = (records: FeedbackRecord[]) => {
    const m = new Map<string, { helpful: number; notHelpful: number }>();
    for (const r of records) {
      const t = m.get(r.entryId) ?? { helpful: 0, notHelpful: 0 };
      if (r.helpful) t.helpful += 1;
      else t.notHelpful += 1;
      m.set(r.entryId, t);
    }
    return m;
  };
  const now = tally(feedback);
  const then = tally(previous);
  const feedbackTopics: TopicFeedback[] = [...now.entries()]
    .map(([id, t]) => {
      const share = t.helpful / (t.helpful + t.notHelpful);
      const p = then.get(id);
      const previousShare = p ? p.helpful / (p.helpful + p.notHelpful) : undefined;
      const trend: TopicFeedback['trend'] =
        previousShare === undefined
          ? 'new'
          : share > previousShare + 0.05
            ? 'up'
            : share < previousShare - 0.05
              ? 'down'
              : 'same';
      return { id, label: titleOf(id), ...t, share, previousShare, trend };
    })
    .sort((a, b) => b.helpful + b.notHelpful - (a.helpful + a.notHelpful) || a.label.localeCompare(b.label));

  const groups = new Map<string, UnansweredGroup>();
  const unansweredInRange = raw.unanswered.filter((r) => inRange(r.at, range));
  for (const r of unansweredInRange) {
    const words = [...new Set(r.words.map((w) => w.toLowerCase()))].sort();
    const key = words.join(' ');
    const g = groups.get(key) ?? { words, count: 0, lastAt: r.at, suggestions: [] };
    g.count += 1;
    if (r.at > g.lastAt) g.lastAt = r.at;
    for (const id of r.suggestions) {
      if (!g.suggestions.some((s) => s.id === id)) g.suggestions.push({ id, label: titleOf(id) });
    }
    groups.set(key, g);
  }

  const labelled = (m: Map<string, number>, label: (id: string) => string) =>
    [...m.entries()].filter(([, n]) => n > 0).map(([id, count]) => ({ id, label: label(id), count }));
  const boroughLabel = (id: string) => {
    const b = boroughId.safeParse(id);
    return b.success ? BOROUGH_LABELS[b.data] : id;
  };
  const trustLabel = (id: string) => {
    const t = trustId.safeParse(id);
    return t.success ? TRUST_LABELS[t.data] : id;
  };

  return {
    range,
    totals: { questions, answers, feedback: feedback.length, unanswered: unansweredInRange.length },
    weeks: [...weekMap.entries()].map(([start, features]) => ({ start, features })),
    topics: labelled(topics, titleOf).sort(byCount),
    feedbackWeeks,
    feedbackTopics,
    unanswered: [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)),
    downtime,
    boroughs: labelled(boroughs, boroughLabel).sort(byCount),
    trusts: labelled(trusts, trustLabel).sort(byCount),
  };
}
