import type { KnowledgeBase } from '../load.js';
import { type PackLineAt, packLines, restsOn } from '../passages.js';
import type { ContactRoute, Entry, Organisation, SourceId } from '../schema.js';
import type { RevisionChange } from './compare.js';
import { comparisonKey, type Paragraph } from './document.js';
import { RULES, type Rule } from './rules.js';

/**
 * What in the knowledge rests on the paragraphs a change touches: entries (by their source passages,
 * or by a contact they show), contact routes and organisations (the routing data in contacts.json:
 * which mailbox a question about a site goes to), the rules the code computes with, and the pack lines
 * said outside entries (knowledge/data: downtime advice, contact lead-ins, exception examples).
 */
export interface Impact {
  entries: Array<{ entry: Entry; why: string }>;
  routes: ContactRoute[];
  organisations: Organisation[];
  rules: Rule[];
  /** Pack lines said outside entries (downtime advice, lead-ins, exception examples) resting on it. */
  packLines: PackLineAt[];
}

/** The contact details a route gives, lower case: emails, cc, phone numbers, link addresses. */
export function routeDetails(route: ContactRoute): string[] {
  return [...route.emails, ...route.cc, ...route.phones, ...route.links.map((l) => l.url)].map((d) => d.toLowerCase());
}

/** The paragraphs of the current document a change touches (nothing rests on new text yet). */
export function touchedParagraphs(change: RevisionChange): Paragraph[] {
  switch (change.kind) {
    case 'section-removed':
      return change.paragraphs;
    case 'paragraph-removed':
      return [change.paragraph];
    case 'paragraph-changed':
      return [change.before];
    default:
      return [];
  }
}

export function impactOf(paragraphs: readonly Paragraph[], kb: KnowledgeBase, source: SourceId): Impact {
  const keys = paragraphs.map((p) => p.key);
  const hit = (passage: string) => {
    const key = comparisonKey(passage);
    return keys.some((k) => restsOn(key, k));
  };
  const routes = kb.contacts.routes.filter(
    (r) => r.source === source && routeDetails(r).some((d) => keys.some((k) => k.includes(d))),
  );
  const routeIds = new Set(routes.map((r) => r.id));
  const entries: Impact['entries'] = [];
  for (const entry of kb.entries) {
    if (entry.source !== source) continue;
    const passage = entry.passages.find(hit);
    if (passage !== undefined) {
      entries.push({ entry, why: 'its source passage' });
      continue;
    }
    const shown = entry.contacts.find((id) => routeIds.has(id));
    if (shown) entries.push({ entry, why: `shows contact ${shown}` });
  }
  // Organisations named in full or by a distinctive alias ("darent valley hospital"), not "kch".
  const organisations = kb.organisations.filter((o) =>
    [o.name, ...o.aliases.filter((a) => a.length >= 12)].some((n) => keys.some((k) => k.includes(n.toLowerCase()))),
  );
  const rules = RULES.filter((r) => r.source === source && hit(r.passage));
  // Pack lines outside entries all come from the pack.
  const lines = source === 'ers-pack' ? packLines(kb).filter((line) => line.passages.some(hit)) : [];
  return { entries, routes, organisations, rules, packLines: lines };
}

export interface LostContact {
  detail: string;
  routes: ContactRoute[];
  entries: Entry[];
}

const DETAIL_IN_TEXT = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?:\/\/[^\s<>()"']+|\b0\d{2,4}[ \d]{6,10}\d\b/g;

/**
 * Every email, phone number and web address the knowledge gives (contact routes, answers, steps)
 * for this source that the new text no longer has word for word.
 */
export function lostContacts(kb: KnowledgeBase, source: SourceId, newText: string): LostContact[] {
  const text = newText.toLowerCase().replace(/\s+/g, ' ');
  const found = new Map<string, LostContact>();
  const add = (detail: string, route?: ContactRoute, entry?: Entry) => {
    const d = detail.replace(/[.,;:)]+$/, '');
    if (text.includes(d.toLowerCase())) return;
    const lost = found.get(d.toLowerCase()) ?? { detail: d, routes: [], entries: [] };
    if (route && !lost.routes.includes(route)) lost.routes.push(route);
    if (entry && !lost.entries.includes(entry)) lost.entries.push(entry);
    found.set(d.toLowerCase(), lost);
  };
  for (const route of kb.contacts.routes) {
    if (route.source !== source) continue;
    for (const d of [...route.emails, ...route.cc, ...route.phones, ...route.links.map((l) => l.url)]) add(d, route);
  }
  for (const entry of kb.entries) {
    if (entry.source !== source) continue;
    for (const m of [entry.answer, ...entry.steps].join('\n').matchAll(DETAIL_IN_TEXT)) add(m[0], undefined, entry);
    for (const id of entry.contacts) {
      const route = kb.routesById.get(id);
      if (!route) continue;
      for (const d of routeDetails(route)) {
        const lost = found.get(d);
        if (lost && !lost.entries.includes(entry)) lost.entries.push(entry);
      }
    }
  }
  return [...found.values()];
}
