import { MemoryStorage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { featureDeps } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { appDeps } from '../../bot/deps.js';
import type { FeatureDeps } from '../../dialogs/feature-deps.js';
import { entryCard, entryCardOnce } from '../../dialogs/knowledge.js';
import type { Entities } from '../../knowledge/entities.js';
import type { Entry, Priority } from '../../knowledge/schema.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { testKnowledge } from '../helpers/knowledge.js';
import { silentLogger } from '../helpers/setup.js';

function deps(): FeatureDeps {
  const base = { storage: new MemoryStorage(), clock: fixedClock('2026-11-09T10:00:00Z'), logger: silentLogger() };
  return featureDeps(loadConfig({}), appDeps({ ...base, knowledge: testKnowledge() }));
}

type Options = Parameters<typeof entryCard>[4];

/** Details an answer is drawn for: no place, a site, a trust, a borough, two together, each priority. */
function everyDetail(from: FeatureDeps): Entities[] {
  const sites = from.kb.organisations.map((o) => o.id);
  const boroughs = [...new Set(from.kb.contacts.routes.flatMap((r) => r.boroughs ?? []))];
  const places: Entities[] = [
    { sites: [], trusts: [], boroughs: [] },
    { sites: sites.slice(0, 1), trusts: [], boroughs: [] },
    { sites: sites.slice(1, 2), trusts: [], boroughs: [] },
    { sites: [], trusts: ['kch'], boroughs: [] },
    { sites: [], trusts: [], boroughs: boroughs.slice(0, 1) },
    { sites: [], trusts: [], boroughs: boroughs.slice(1, 2) },
    { sites: sites.slice(0, 2), trusts: [], boroughs: boroughs.slice(0, 1) },
  ];
  const priorities: (Priority | undefined)[] = [undefined, '2ww', 'urgent', 'routine'];
  return places.flatMap((place) => priorities.map((priority) => (priority ? { ...place, priority } : place)));
}

describe('answer cards drawn once per knowledge base', () => {
  test('every entry, at every place, priority, alternatives and option, is the card drawn afresh', () => {
    const shared = deps();
    const entries = shared.kb.entries;
    const details = everyDetail(shared);
    const options: Options[] = [{}, { leadIn: 'Nearest answer' }, { step: 2 }, { note: 'A note' }];
    let compared = 0;
    const differing = new Set<string>();
    entries.forEach((entry, i) => {
      // Each entry on a knowledge base object of its own: every card it is asked for stays kept at once.
      const own = { ...shared, kb: { ...shared.kb } };
      const others = [entries[(i + 1) % entries.length], entries[(i + 7) % entries.length]].filter(
        (e): e is Entry => e !== undefined,
      );
      const asks = details.flatMap((entities) =>
        options.flatMap((option) =>
          [others, others.slice(0, 1), []].map((alternatives) => ({ entities, alternatives, option })),
        ),
      );
      // Drawn first in the opposite order, so a card kept under too coarse a key would come back for another ask.
      for (const ask of [...asks].reverse()) entryCardOnce(own, entry, ask.entities, ask.alternatives, ask.option);
      for (const { entities, alternatives, option } of asks) {
        const once = entryCardOnce(own, entry, entities, alternatives, option);
        expect(once).toEqual(entryCard(own, entry, entities, alternatives, option));
        differing.add(JSON.stringify(once));
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(10_000);
    // The details do change cards, so the comparison above can tell a wrong one.
    expect(differing.size).toBeGreaterThan(entries.length * 8);
  });

  test("follows each app's public address, and never takes an entry from elsewhere for the stored one", () => {
    const first = deps();
    const other = { ...first, config: { ...first.config, publicBaseUrl: 'https://other.example' } };
    const entry = first.kb.entries[0];
    if (!entry) throw new Error('no entries');
    const none: Entities = { sites: [], trusts: [], boroughs: [] };
    expect(JSON.stringify(entryCardOnce(first, entry, none).content)).not.toContain('other.example');
    expect(JSON.stringify(entryCardOnce(other, entry, none).content)).toContain('https://other.example/guidance/');
    const changed = { ...entry, title: 'A title of its own' };
    expect(entryCardOnce(first, changed, none)).toEqual(entryCard(first, changed, none));
    expect(JSON.stringify(entryCardOnce(first, changed, none).content)).toContain('A title of its own');
  });

  test('each reply gets its own attachment, and the shared card cannot be changed by one of them', () => {
    const shared = deps();
    const entry = shared.kb.entries[3];
    if (!entry) throw new Error('no entries');
    const none: Entities = { sites: [], trusts: [], boroughs: [] };
    const one = entryCardOnce(shared, entry, none);
    const two = entryCardOnce(shared, entry, none);
    expect(one).not.toBe(two);
    expect(one).toEqual(two);
    const body = (one.content as { body: unknown[] }).body;
    expect(() => body.push({ type: 'TextBlock', text: 'changed' })).toThrow(TypeError);
    expect(two).toEqual(entryCard(shared, entry, none));
  });
});
