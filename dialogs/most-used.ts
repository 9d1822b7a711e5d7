import type { KnowledgeBase } from '../knowledge/load.js';
import type { Entry } from '../knowledge/schema.js';

/**
 * Shown until there is usage to go on: the everyday problems GP IT facilitators are asked about
 * (blocked smartcard, red PDS icon, downtime, deferring, attaching letters, worklists). A value
 * ending in "-" is an id prefix: the troubleshooting slugs are the data authors' to change.
 */
export const COMMON_TOPICS: readonly string[] = Object.freeze([
  'ts-5-',
  'ts-3-',
  'downtime-overview',
  'defer-to-provider',
  'attaching-referral-letters',
  'worklists-overview',
  'ts-7-',
  'ts-8-',
  'smartcard-ordering',
  'finding-a-clinic-tips',
]);

/** The common topics that exist in this knowledge base, in the order of {@link COMMON_TOPICS}. */
export function commonTopics(kb: KnowledgeBase, n: number): Entry[] {
  const out: Entry[] = [];
  for (const topic of COMMON_TOPICS) {
    const entry = topic.endsWith('-') ? kb.entries.find((e) => e.id.startsWith(topic)) : kb.byId.get(topic);
    if (entry && !out.includes(entry)) out.push(entry);
  }
  return out.slice(0, Math.max(0, n));
}

/**
 * The `n` entries answered most often (ties in common-topic order, then by id), topped up with the
 * common topics when there is too little usage yet. Ids no longer in the pack are skipped. `counts`
 * are the stored answer counts per entry id (bot/usage.ts).
 */
export function mostUsed(counts: Readonly<Record<string, number>>, kb: KnowledgeBase, n: number): Entry[] {
  if (n <= 0) return [];
  const common = commonTopics(kb, COMMON_TOPICS.length);
  const rankOf = (entry: Entry) => {
    const i = common.indexOf(entry);
    return i === -1 ? common.length : i;
  };
  const used = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([id, count]) => ({ entry: kb.byId.get(id), count }))
    .filter((u): u is { entry: Entry; count: number } => u.entry !== undefined)
    .sort((a, b) => b.count - a.count || rankOf(a.entry) - rankOf(b.entry) || a.entry.id.localeCompare(b.entry.id))
    .map((u) => u.entry);
  const out = used.slice(0, n);
  for (const entry of common) {
    if (out.length >= n) break;
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}
