import type { Entry } from './schema.js';

/**
 * The acronyms the pack spells out ("Unique Booking Reference Number (UBRN)", "DBS (Directly
 * Bookable Service)"), read from the entries' own words, so "what does UBRN stand for?" is answered
 * with the pack's expansion and never one made up. Pure; built once per knowledge base.
 */
export interface Expansion {
  /** As the pack writes it ("UBRN", "A&G"). */
  acronym: string;
  /** As the pack spells it out ("Unique Booking Reference Number"). */
  expansion: string;
  /** The entry whose words spell it out. */
  entryId: string;
}

/** "Unique Booking Reference Number (UBRN)", "the appointment line (TAL)", "Directory of Services (DoS)". */
const LONG_FIRST = /((?:[A-Za-z]+|&)(?:[ -]+(?:[A-Za-z]+|&)){1,7}) \(([A-Za-z][A-Za-z&-]{1,6})\)/g;
/** "DBS (Directly Bookable Service)". */
const SHORT_FIRST = /\b([A-Z][A-Za-z&]{1,6}) \(([A-Z][a-z]+(?:[ -]+(?:[A-Za-z]+|&)){1,7})\)/g;

function letters(acronym: string): string {
  return acronym.replace(/[^A-Za-z]/g, '').toUpperCase();
}

/** Whether an acronym looks like one (two capitals at least: "DoS", "e-RS", "TAL"). */
function isAcronym(acronym: string): boolean {
  return (acronym.match(/[A-Z]/g) ?? []).length >= 2;
}

/** The words' initials: the capitalised words only ("Advice and Guidance" is "AG"), or every word ("Directory of Services" is "DOS"). */
function spells(words: readonly string[], want: string, every: boolean): boolean {
  const real = words.filter((w) => /^[A-Za-z]/.test(w));
  const counted = every ? real : real.filter((w) => /^[A-Z]/.test(w));
  return counted.map((w) => w[0]?.toUpperCase()).join('') === want;
}

/** The shortest tail of the phrase that spells the acronym ("Use the Directory of Services (DoS)"), as written. */
function spelledBy(phrase: string, acronym: string, every: boolean): string | undefined {
  const starts = [...phrase.matchAll(/[A-Za-z&]+/g)].map((m) => m.index ?? 0);
  const want = letters(acronym);
  for (let i = starts.length - 1; i >= 0 && starts.length - i <= want.length + 2; i--) {
    const tail = phrase.slice(starts[i]);
    const words = tail.split(/[ -]+/).filter(Boolean);
    if (tail[0]?.toUpperCase() === want[0] && spells(words, want, every)) return tail;
  }
  return undefined;
}

export function expansionsOf(entries: readonly Entry[]): ReadonlyMap<string, Expansion> {
  const found = new Map<string, Expansion>();
  const add = (acronym: string, expansion: string | undefined, entryId: string) => {
    const key = acronym.toLowerCase();
    if (expansion && !found.has(key)) found.set(key, { acronym, expansion, entryId });
  };
  const texts = entries.map((e) => ({ id: e.id, text: [e.title, e.answer, ...e.steps, ...e.passages].join('\n') }));
  // Capitalised spellings first ("Advice & Guidance (A&G)"), then any ("the appointment line (TAL)").
  for (const every of [false, true]) {
    for (const { id, text } of texts) {
      for (const m of text.matchAll(LONG_FIRST)) {
        const acronym = m[2] ?? '';
        if (isAcronym(acronym)) add(acronym, spelledBy(m[1] ?? '', acronym, every), id);
      }
      for (const m of text.matchAll(SHORT_FIRST)) {
        const [acronym = '', expansion = ''] = [m[1], m[2]];
        const spelt = spells(expansion.split(/[ -]+/), letters(acronym), every);
        if (isAcronym(acronym)) add(acronym, spelt ? expansion : undefined, id);
      }
    }
  }
  return found;
}

/** "what does UBRN stand for?", "what's DBS short for", "UBRN means what": the acronym asked about. */
const ASKS_EXPANSION =
  /\bwhat(?:'?s| is| does| do)?\s+(?:an?\s+|the\s+)?([a-z&]{2,6})\s+(?:actually\s+|even\s+|mean\s+)?(?:stand(?:s)? for|short for|mean|means)\b|\b([a-z&]{2,6})\s+(?:stands? for|is short for|means) what\b/;

/** The pack's expansion of the acronym a question asks about, if it asks about one the pack spells out. */
export function expansionAsked(lower: string, expansions: ReadonlyMap<string, Expansion>): Expansion | undefined {
  const m = ASKS_EXPANSION.exec(lower);
  const asked = m?.[1] ?? m?.[2];
  return asked ? expansions.get(asked) : undefined;
}
