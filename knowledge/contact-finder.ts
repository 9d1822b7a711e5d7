import type { Entities } from './entities.js';
import type { KnowledgeBase } from './load.js';
import { foldForSearch } from './normalise.js';
import type { ContactRoute } from './schema.js';

/**
 * Finds a contact by the words staff use for it ("the systems manager at the PRUH", "the generic
 * e-RS mailbox at King's Denmark Hill", "the Halo portal link", "email for the primary care
 * facilitators"): the words of each route's "who" and link titles, weighted by how few routes share
 * them, narrowed by the place named. Pure; built once per knowledge base.
 */
export interface ContactFinder {
  /** Routes named by at least `minWords` of their distinctive words (1 by default), best first. */
  find(text: string, entities: Entities, minWords?: number): ContactRoute[];
}

/** A word shared by more contacts than this says nothing about which one is meant. */
const MAX_SHARED = 3;
/** This many words of a contact's name in a row name it, whatever the words. */
const SAID_IN_FULL = 3;
/** Words in contacts' names that say what kind of contact, not which one ("the ... mailbox address"). */
const KIND_WORDS =
  'service services address addresses team email mailbox page pages link number phone contact referral referrals nhs desk then first instance your local';

interface IndexedRoute {
  route: ContactRoute;
  words: ReadonlySet<string>;
  phrase: readonly string[];
}

function longestCommonRun(a: readonly string[], b: readonly string[]): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

function servesPlace(route: ContactRoute, entities: Entities): boolean {
  if (entities.sites.length > 0 && route.sites) return route.sites.some((s) => entities.sites.includes(s));
  if (entities.boroughs.length > 0 && route.boroughs) return route.boroughs.some((b) => entities.boroughs.includes(b));
  return true;
}

export function createContactFinder(kb: KnowledgeBase): ContactFinder {
  const { tokens } = kb.normaliser;
  // The place a contact serves is matched by the place filter, not by its name ("KCH PRUH ... mailbox").
  const placeWords = new Set(
    tokens(
      [
        KIND_WORDS,
        ...kb.organisations.flatMap((o) => o.aliases),
        'bexley bromley greenwich lambeth lewisham southwark kch lgt gstt pruh qeh uhl dvh south sites',
      ].join(' '),
    ),
  );
  const indexed: IndexedRoute[] = kb.contacts.routes.map((route) => {
    const label = [route.who, ...(route.links ?? []).map((l) => l.title)].join(' ');
    const words = new Set(tokens(label).filter((w) => !placeWords.has(w)));
    return { route, words, phrase: foldForSearch(label).split(' ').filter(Boolean) };
  });
  // How many different contacts (not routes: one team can serve several purposes) use each word.
  const shared = new Map<string, number>();
  const labels = new Map<string, ReadonlySet<string>>();
  for (const { route, words } of indexed) labels.set(route.who ?? route.id, words);
  for (const words of labels.values()) for (const w of words) shared.set(w, (shared.get(w) ?? 0) + 1);

  const routeCount = labels.size;

  function find(text: string, entities: Entities, minWords = 1): ContactRoute[] {
    const asked = new Set(tokens(text));
    const words = foldForSearch(text).split(' ').filter(Boolean);
    const scored = indexed
      .filter(({ route }) => servesPlace(route, entities))
      .map((item) => {
        let score = 0;
        let matched = 0;
        for (const w of item.words) {
          const n = shared.get(w) ?? routeCount;
          if (asked.has(w) && n <= MAX_SHARED) {
            score += Math.log(routeCount / n);
            matched += 1;
          }
        }
        // "primary care facilitators" said in that order beats the same words scattered, and a
        // name of ordinary words ("LGT e-Referrals") is found when said in full.
        const run = longestCommonRun(words, item.phrase);
        const saidInFull = run >= SAID_IN_FULL;
        if (matched < minWords && !saidInFull) return { item, score: 0 };
        return { item, score: score > 0 || saidInFull ? score + run * 0.5 : 0 };
      })
      .filter((s) => s.score > 0);
    const best = Math.max(0, ...scored.map((s) => s.score));
    if (best === 0) return [];
    // One contact listed for several purposes (Dee Leech) is given once.
    const seen = new Set<string>();
    const found: ContactRoute[] = [];
    for (const { item } of scored.filter((s) => s.score >= best - 1e-9)) {
      const key = `${item.route.who}|${(item.route.emails ?? []).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(item.route);
    }
    return found;
  }
  return Object.freeze({ find });
}
