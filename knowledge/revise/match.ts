import type { ContactRoute, Entry } from '../schema.js';
import { comparisonKey, type Paragraph, type ParsedDocument, wordOverlap } from './document.js';

/**
 * Finds the lines of the source an entry rests on, for `npm run kb:passages`: the lines of the
 * entry's section that share the most of the entry's words, picked greedily so each adds words the
 * others do not cover. A person checks the result; this only saves the first search.
 */

const STOP = new Set(
  'the and for are you your with this that from have has not can will into all any its they them their was were been when what which who use used using via per our out then than also may must should would could there these those such only more other some each about over under after before where how why yes one'.split(
    ' ',
  ),
);

export function contentTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of comparisonKey(text).split(/[^a-z0-9@.&-]+/)) {
    const t = w.replace(/^[.-]+|[.-]+$/g, '');
    if (t.length >= 3 && !STOP.has(t)) out.add(t);
    else if (/^\d+$/.test(t)) out.add(t);
  }
  return out;
}

/** The entry's own words: its answer, steps and the contact details it shows. */
export function entryText(entry: Entry, routes: readonly ContactRoute[]): string {
  const contact = routes.flatMap((r) => [...r.emails, ...r.cc, ...r.phones, ...r.links.map((l) => l.url)]);
  return [entry.answer, ...entry.steps, ...contact].join('\n');
}

/** The sections an entry's section path names (deepest name that is a heading), else every section. */
export function candidateParagraphs(doc: ParsedDocument, sectionPath: string): Paragraph[] {
  const parts = sectionPath.split(' > ').reverse();
  for (const part of parts) {
    const key = comparisonKey(part);
    const section = doc.sections.find((s) => {
      const title = comparisonKey(s.title);
      return title === key || wordOverlap(title, key) >= 0.8;
    });
    if (section && section.paragraphs.length > 0) return section.paragraphs;
  }
  return doc.sections.flatMap((s) => s.paragraphs);
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE = /\b0\d{2,4}[ \d]{6,10}\d\b/g;
const URL = /https?:\/\/[^\s<>()]+/g;
const COUNT =
  /\b(?:\d+|one|two|three|four|five|six|seven|ten|fourteen|twenty|forty)\s+(?:working\s+|calendar\s+)?(?:days?|hours?|weeks?)\b/g;

/**
 * The facts a changed word would break: email addresses, phone numbers, web addresses and counts
 * of days or hours ("20 working days"), as compared (lower case, single spaces).
 */
export function facts(text: string): string[] {
  const t = comparisonKey(text);
  const out = new Set<string>();
  for (const re of [EMAIL, PHONE, URL, COUNT]) {
    for (const m of t.matchAll(re)) out.add(m[0].replace(/[.,;:]+$/, '').replace(/\s+/g, ' '));
  }
  return [...out];
}

export function bestPassages(entryWords: string, candidates: readonly Paragraph[], max = 4): string[] {
  const want = contentTokens(entryWords);
  const covered = new Set<string>();
  // A line holding a fact the entry states (its email, its day count) is always one of its passages.
  const entryFacts = new Set(facts(entryWords));
  const picked: Paragraph[] = candidates.filter(
    (p) => p.text.length >= 25 && facts(p.text).some((f) => entryFacts.has(f)),
  );
  for (const p of picked) for (const t of contentTokens(p.text)) covered.add(t);
  max += picked.length;
  const scored = candidates
    .filter((p) => p.text.length >= 10)
    .map((p) => ({ p, tokens: contentTokens(p.text) }))
    .filter((c) => c.tokens.size > 0);
  while (picked.length < max) {
    let best: { p: Paragraph; gain: number; precision: number } | undefined;
    for (const c of scored) {
      if (picked.includes(c.p)) continue;
      let shared = 0;
      let gain = 0;
      for (const t of c.tokens) {
        if (!want.has(t)) continue;
        shared += 1;
        if (!covered.has(t)) gain += 1;
      }
      const precision = shared / c.tokens.size;
      const better = !best || gain * precision > best.gain * best.precision;
      if (better) best = { p: c.p, gain, precision };
    }
    if (!best) break;
    const enough = picked.length === 0 ? best.gain >= 1 : best.gain >= 3 && best.precision >= 0.35;
    if (!enough) break;
    picked.push(best.p);
    for (const t of contentTokens(best.p.text)) covered.add(t);
  }
  return picked.map((p) => p.text);
}
