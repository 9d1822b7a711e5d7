import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { afterAll, describe, expect, test } from 'vitest';
import { featureDeps } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { appDeps } from '../../bot/deps.js';
import { renderEntry } from '../../bot/guidance/pages.js';
import type { FeatureDeps } from '../../dialogs/feature-deps.js';
import { issueCard, issueEntry, stuckContacts } from '../../dialogs/troubleshooting.js';
import type { IssueNumber } from '../../dialogs/understand.js';
import { defaultDataDir, type KnowledgeBase, loadKnowledge } from '../../knowledge/load.js';
import type { BoroughId, SiteId } from '../../knowledge/schema.js';
import { createSearch } from '../../knowledge/search.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { readable, silentLogger } from '../helpers/setup.js';

const ISSUES: readonly IssueNumber[] = [1, 2, 3, 4, 5, 6, 7, 8];
const config = loadConfig({});

function depsFor(kb: KnowledgeBase): FeatureDeps {
  const base = { storage: new MemoryStorage(), clock: fixedClock('2026-11-09T10:00:00Z'), logger: silentLogger() };
  return featureDeps(config, appDeps({ ...base, knowledge: { kb, search: createSearch(kb) } }));
}

/** The route ids the mapping gives an issue, whatever the place. */
function mapped(kb: KnowledgeBase, issue: IssueNumber): string[] {
  const purposes: readonly string[] = kb.issues[issue].contacts;
  return kb.contacts.routes.filter((r) => purposes.includes(r.purpose)).map((r) => r.id);
}

/** The routes a chat card shows: its "what to do" line and every address and number of it. */
function shownInCard(kb: KnowledgeBase, card: unknown): string[] {
  const said = readable({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
  return kb.contacts.routes
    .filter((r) => said.includes(r.how) && [...r.emails, ...r.phones].every((detail) => said.includes(detail)))
    .map((r) => r.id);
}

/** The routes a guidance page shows (each contact is a section labelled by its route id). */
function shownOnPage(page: string): string[] {
  return [...page.matchAll(/aria-labelledby="c-([a-z0-9-]+)"/g)].map((m) => m[1] ?? '');
}

function everyPlace(kb: KnowledgeBase): { sites: SiteId[]; boroughs: BoroughId[] } {
  const sites = kb.organisations.map((o) => o.id);
  const boroughs = [...new Set(kb.contacts.routes.flatMap((r) => r.boroughs ?? []))];
  return { sites, boroughs };
}

/** Every place one issue's contacts are shown, as sorted route ids. */
function contactsShown(kb: KnowledgeBase, issue: IssueNumber) {
  const deps = depsFor(kb);
  const entry = issueEntry(kb.entries, issue);
  if (!entry) throw new Error(`issue ${issue} has no entry`);
  const sort = (ids: readonly string[]) => [...ids].sort();
  return {
    // "No, still stuck" with no place named: the whole table.
    stillStuck: sort(shownInCard(kb, stuckContacts(deps, { issue, sites: [], boroughs: [] }))),
    // The first answer with every trust and borough named, so no long table is held back.
    withAnswer: sort(shownInCard(kb, issueCard(deps, issue, everyPlace(kb)))),
    // The knowledge answers and message extension read the entry's contacts.
    entry: sort(entry.contacts),
    guidancePage: sort(shownOnPage(renderEntry(config, kb, entry))),
  };
}

describe('each troubleshooting issue gives the same contacts wherever they are shown', () => {
  const kb = loadKnowledge();

  test.each(ISSUES)('issue %i', (issue) => {
    const all = [...mapped(kb, issue)].sort();
    const withAnswer = kb.issues[issue].shown === 'with-answer' ? all : [];
    expect(contactsShown(kb, issue)).toEqual({
      stillStuck: all,
      withAnswer,
      entry: withAnswer,
      guidancePage: withAnswer,
    });
  });

  test('the pack gives contacts for every issue but 6, and issues 1 and 3 only when still stuck', () => {
    expect(ISSUES.filter((n) => mapped(kb, n).length === 0)).toEqual([6]);
    expect(ISSUES.filter((n) => kb.issues[n].shown === 'if-still-stuck')).toEqual([1, 3]);
  });
});

describe('the content owners change the mapping in troubleshooting-issues.json', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ers-issues-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every place follows: the answer, "still stuck", the entry and its guidance page', () => {
    cpSync(defaultDataDir(), dir, { recursive: true });
    const file = path.join(dir, 'troubleshooting-issues.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.issues['6'].contacts = ['training'];
    data.issues['2'].shown = 'if-still-stuck';
    writeFileSync(file, JSON.stringify(data));
    const kb = loadKnowledge(dir);

    const training = ['training-primary-care-facilitators'];
    expect(contactsShown(kb, 6)).toEqual({
      stillStuck: training,
      withAnswer: training,
      entry: training,
      guidancePage: training,
    });
    // Issue 6 now has a contact, so its advice comes with it, without "the pack gives no contact".
    const deps = depsFor(kb);
    const card = (c: unknown) =>
      readable({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: c }] });
    const stuck = card(stuckContacts(deps, { issue: 6, sites: [], boroughs: [] }));
    expect(stuck).toContain('Contact your patient to remind them to book');
    expect(stuck).not.toContain('The pack gives no contact for this');
    expect(card(issueCard(deps, 6, { sites: [], boroughs: [] }))).toContain('**Contact your patient to remind them');
    const downtime = [...mapped(kb, 2)].sort();
    expect(downtime.length).toBeGreaterThan(5);
    expect(contactsShown(kb, 2)).toEqual({ stillStuck: downtime, withAnswer: [], entry: [], guidancePage: [] });
  });
});
