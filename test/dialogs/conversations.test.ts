import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Activity, ActivityTypes } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../knowledge/project-root.js';
import { MONTH_NAMES } from '../../knowledge/time/calendar-date.js';
import { readable, type Activity as WireActivity } from '../helpers/botwire.js';
import { setup } from '../helpers/setup.js';

/**
 * Every case in test/fixtures/conversations.jsonl, conversations-2.jsonl and conversations-3.jsonl, run in process through TestAdapter with the same
 * checks as the product's question-set evaluator (all / any / none / dates / max_chars, its date forms and its
 * whole-word rule for short facts), so CI guards the held-out style questions.
 */

interface Turn {
  send: string;
  all?: string[];
  any?: string[][];
  none?: string[];
  dates?: string[];
}
interface Case {
  id: string;
  cat: string;
  turns: Turn[];
  max_chars?: number;
  /** A gap found and not fixed yet: the case runs as an expected failure until it passes. */
  known_gap?: string;
}

function readCases(file: string): Case[] {
  return readFileSync(path.join(projectRoot(), 'test', 'fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case);
}

/** The first QA pass, a second one written independently in other people's words, and a third. */
const FILES: readonly { file: string; min: number; now?: string }[] = [
  { file: 'conversations.jsonl', min: 120 },
  { file: 'conversations-2.jsonl', min: 100 },
  // A third pass, section by section through both seeds, in the dev set's short one-line style.
  { file: 'conversations-3.jsonl', min: 90 },
  // Conversations written from situations staff are in (follow-ups, stated times, focused asks, rare
  // sections, not ours), on the day they were written. The held-out sets (situations-unseen-*.jsonl) are
  // scored by hand only, never in CI.
  { file: 'situations-tune.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-2.jsonl', min: 100, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-3.jsonl', min: 80, now: '2026-11-30T12:00:00Z' },
  // Written later by other hands, the same way; 5 to 7 were held out until they were opened for tuning.
  { file: 'situations-tune-4.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-5.jsonl', min: 96, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-6.jsonl', min: 100, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-7.jsonl', min: 80, now: '2026-11-30T12:00:00Z' },
  // Follow-ups only: places, priorities, stated times, corrections, results, details, pronouns, new topics.
  { file: 'situations-tune-8.jsonl', min: 80, now: '2026-11-30T12:00:00Z' },
  // Held out in their turn (situations-unseen-4..8), then opened for tuning when newer held-out sets came.
  { file: 'situations-tune-9.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-10.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-11.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-17.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-18.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  // Follow-ups only, written fresh by other hands for tuning (12: by kind; 13: a surgery's week; 14: terse
  // secretaries and pushback; 16: new staff and trust clerks).
  { file: 'situations-tune-12.jsonl', min: 70, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-13.jsonl', min: 60, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-14.jsonl', min: 60, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-16.jsonl', min: 60, now: '2026-11-30T12:00:00Z' },
  // 19: GPs between patients; 20: a facilitator relaying colleagues; 21: held-out set 9, opened for tuning.
  { file: 'situations-tune-19.jsonl', min: 50, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-20.jsonl', min: 50, now: '2026-11-30T12:00:00Z' },
  { file: 'situations-tune-21.jsonl', min: 90, now: '2026-11-30T12:00:00Z' },
  // 22: a practice manager, a new secretary, a locum and a PCN hub coordinator.
  { file: 'situations-tune-22.jsonl', min: 50, now: '2026-11-30T12:00:00Z' },
  // Not ours: clinical questions dressed as referral ones, other areas, other systems, HR.
  { file: 'situations-tune-15.jsonl', min: 47, now: '2026-11-30T12:00:00Z' },
];

const MONTHS = MONTH_NAMES;

/** The date forms eval.mjs accepts for one ISO date. */
function dateForms(iso: string): string[] {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
  const month = MONTHS[m - 1] ?? '';
  const dd = String(d).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  const ord =
    d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th';
  return [`${d} ${month} ${y}`, `${d}${ord} ${month} ${y}`, `${d} ${month.slice(0, 3)} ${y}`, `${dd}/${mm}/${y}`, iso];
}

const norm = (s: string): string =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\*\*/g, '')
    .replace(/[\u00a0\s]+/g, ' ')
    .toLowerCase();

/** Short alphanumeric facts ("RA", "5") must stand as whole words, as in eval.mjs. */
function has(t: string, fact: string): boolean {
  const f = norm(fact);
  return /^[a-z0-9]{1,4}$/.test(f) ? new RegExp(`(^|[^a-z0-9])${f}($|[^a-z0-9])`).test(t) : t.includes(f);
}

function check(turn: Turn, text: string, maxChars?: number): string[] {
  const t = norm(text);
  const why: string[] = [];
  if (!text.trim()) why.push('no reply');
  for (const f of turn.all ?? []) if (!has(t, f)) why.push(`missing "${f}"`);
  for (const group of turn.any ?? [])
    if (!group.some((f) => has(t, f))) why.push(`missing one of ${JSON.stringify(group)}`);
  for (const f of turn.none ?? []) if (has(t, f)) why.push(`must not say "${f}"`);
  for (const d of turn.dates ?? []) if (!dateForms(d).some((f) => t.includes(norm(f)))) why.push(`missing date ${d}`);
  if (maxChars && text.length > maxChars) why.push(`reply too long: ${text.length} > ${maxChars} chars`);
  return why;
}

/** Runs one case's turns in one conversation; returns every failed check, eval.mjs style. */
async function runCase(c: Case, now?: string): Promise<string[]> {
  const { adapter } = setup(now ? { now } : {});
  const failures: string[] = [];
  for (const [i, turn] of c.turns.entries()) {
    await adapter.receiveActivity({ type: ActivityTypes.Message, text: turn.send });
    const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
    const text = readable(replies as WireActivity[]);
    for (const w of check(turn, text, c.max_chars)) failures.push(`turn ${i + 1}: ${w}\n  reply: ${text}`);
  }
  return failures;
}

for (const { file, min, now } of FILES) {
  const CASES = readCases(file);
  describe(`held-out style questions from practice staff (test/fixtures/${file})`, () => {
    test(`the fixture has at least ${min} cases, each with a unique id`, () => {
      expect(CASES.length).toBeGreaterThanOrEqual(min);
      expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    });

    for (const c of CASES) {
      if (c.known_gap) {
        test.fails(`${c.cat}: ${c.id} (known gap: ${c.known_gap})`, async () => {
          expect(await runCase(c, now)).toEqual([]);
        });
      } else {
        test(`${c.cat}: ${c.id} (${c.turns.map((t) => t.send).join(' → ')})`, async () => {
          expect(await runCase(c, now)).toEqual([]);
        });
      }
    }
  });
}

describe('the eval checks themselves', () => {
  test('a short fact counts only as a whole word', () => {
    expect(check({ send: '', all: ['RA'] }, 'Contact your RA team')).toEqual([]);
    expect(check({ send: '', all: ['RA'] }, 'Contact the library')).toEqual(['missing "RA"']);
  });

  test('a date counts in any of the forms eval.mjs accepts', () => {
    expect(check({ send: '', dates: ['2027-01-05'] }, 'by Tuesday 5th January 2027')).toEqual([]);
    expect(check({ send: '', dates: ['2027-01-05'] }, 'by 05/01/2027')).toEqual([]);
    expect(check({ send: '', dates: ['2027-01-05'] }, 'by 6 January 2027')).toEqual(['missing date 2027-01-05']);
  });
});
