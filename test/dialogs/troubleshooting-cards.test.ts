import type { Attachment } from 'botbuilder';
import { MemoryStorage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { featureDeps } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { appDeps } from '../../bot/deps.js';
import type { FeatureDeps } from '../../dialogs/feature-deps.js';
import { issueCard, stuckContacts } from '../../dialogs/troubleshooting.js';
import type { IssueNumber } from '../../dialogs/understand.js';
import type { BoroughId, Priority, SiteId } from '../../knowledge/schema.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { silentLogger } from '../helpers/setup.js';
import { testKnowledge } from '../helpers/knowledge.js';

const ISSUES: readonly IssueNumber[] = [1, 2, 3, 4, 5, 6, 7, 8];
const PRIORITIES: readonly (Priority | undefined)[] = [undefined, '2ww', 'urgent', 'routine'];

function deps(): FeatureDeps {
  const base = { storage: new MemoryStorage(), clock: fixedClock('2026-11-09T10:00:00Z'), logger: silentLogger() };
  return featureDeps(loadConfig({}), appDeps({ ...base, knowledge: testKnowledge() }));
}

/** The same deps on a knowledge base object no card has been drawn for: its cards are drawn afresh. */
function afresh(from: FeatureDeps): FeatureDeps {
  return { ...from, kb: { ...from.kb } };
}

interface Asked {
  issue: IssueNumber;
  sites: SiteId[];
  boroughs: BoroughId[];
  priority?: Priority;
}

/** Every issue with no place, each site, each borough, a site and a borough together, at every priority. */
function everyAsk(from: FeatureDeps): Asked[] {
  const sites = from.kb.organisations.map((o) => o.id);
  const boroughs = [...new Set(from.kb.contacts.routes.flatMap((r) => r.boroughs ?? []))];
  const places: { sites: SiteId[]; boroughs: BoroughId[] }[] = [
    { sites: [], boroughs: [] },
    ...sites.map((site) => ({ sites: [site], boroughs: [] })),
    ...boroughs.map((borough) => ({ sites: [], boroughs: [borough] })),
    { sites: sites.slice(0, 2), boroughs: boroughs.slice(0, 1) },
  ];
  return ISSUES.flatMap((issue) =>
    places.flatMap((place) => PRIORITIES.map((priority) => ({ issue, ...place, ...(priority ? { priority } : {}) }))),
  );
}

describe('troubleshooting cards drawn once per knowledge base', () => {
  test('every issue card and "still stuck" card, at every place and priority, is the card drawn afresh', () => {
    const shared = deps();
    const asks = everyAsk(shared);
    expect(asks.length).toBeGreaterThan(300);
    // Drawn first in the opposite order, so a card kept under too coarse a key would come back for another ask.
    for (const ask of [...asks].reverse()) {
      issueCard(shared, ask.issue, ask);
      stuckContacts(shared, ask);
    }
    const differing = new Set<string>();
    for (const ask of asks) {
      const fresh = afresh(shared);
      const answer = issueCard(shared, ask.issue, ask);
      expect(answer).toEqual(issueCard(fresh, ask.issue, ask));
      expect(stuckContacts(shared, ask)).toEqual(stuckContacts(fresh, ask));
      differing.add(JSON.stringify(answer));
    }
    // The asks do lead to different cards, so the comparison above can tell a wrong one.
    expect(differing.size).toBeGreaterThan(ISSUES.length * 2);
  });

  test("the card's address follows the app's public address, for each app sharing the knowledge", () => {
    const first = deps();
    const other = { ...first, config: { ...first.config, publicBaseUrl: 'https://other.example' } };
    const link = (card: Attachment) => JSON.stringify(card.content).match(/"url":"([^"]+)"/)?.[1];
    expect(link(issueCard(first, 5, { sites: [], boroughs: [] }))).toMatch(
      new RegExp(`^${first.config.publicBaseUrl.replace(/[.:/]/g, '\\$&')}/guidance/ts-5-`),
    );
    expect(link(issueCard(other, 5, { sites: [], boroughs: [] }))).toMatch(
      /^https:\/\/other\.example\/guidance\/ts-5-/,
    );
    expect(link(issueCard(first, 5, { sites: [], boroughs: [] }))).not.toMatch(/other\.example/);
  });

  test('each reply gets its own attachment, and the shared card cannot be changed by one of them', () => {
    const shared = deps();
    const one = issueCard(shared, 2, { sites: [], boroughs: [] });
    const two = issueCard(shared, 2, { sites: [], boroughs: [] });
    expect(one).not.toBe(two);
    expect(one).toEqual(two);
    const body = (one.content as { body: unknown[] }).body;
    expect(() => body.push({ type: 'TextBlock', text: 'changed' })).toThrow(TypeError);
    expect(() => {
      (body[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    expect(issueCard(afresh(shared), 2, { sites: [], boroughs: [] })).toEqual(two);
  });
});
