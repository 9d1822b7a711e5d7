import { diffArrays, diffWords, type Change as WordChange } from 'diff';
import { FRONT_MATTER, type Paragraph, type ParsedDocument, plainText, type Section, wordOverlap } from './document.js';

/**
 * Section by section, what a new version of a document adds, removes and changes. Sections are
 * matched by heading; within a section, paragraphs are aligned on their compared words (so a
 * re-typeset line is not a change), and a removed paragraph followed by a similar added one is
 * reported as one changed paragraph with its word-level difference.
 */

export type WordPart = Pick<WordChange, 'value' | 'added' | 'removed'>;

export type RevisionChange =
  | { kind: 'section-added'; section: string; paragraphs: Paragraph[] }
  | { kind: 'section-removed'; section: string; paragraphs: Paragraph[] }
  | { kind: 'paragraph-added'; section: string; paragraph: Paragraph }
  | { kind: 'paragraph-removed'; section: string; paragraph: Paragraph }
  | { kind: 'paragraph-changed'; section: string; before: Paragraph; after: Paragraph; words: WordPart[] };

export interface VersionChange {
  before: { version?: string; date?: string };
  after: { version?: string; date?: string };
  changed: boolean;
}

export interface Comparison {
  version: VersionChange;
  changes: RevisionChange[];
}

/** A removed and an added paragraph this alike (share of words) are one paragraph, changed. */
export const CHANGED_PARAGRAPH_OVERLAP = 0.5;

function headingKey(title: string): string {
  return title.replace(/\s+/g, ' ').trim().toLowerCase();
}

function sameSection(a: Section, b: Section): boolean {
  const ka = headingKey(a.title);
  const kb = headingKey(b.title);
  return ka === kb || wordOverlap(ka, kb) >= 0.8;
}

function compareParagraphs(section: string, before: Paragraph[], after: Paragraph[]): RevisionChange[] {
  const out: RevisionChange[] = [];
  const parts = diffArrays(
    before.map((p) => p.key),
    after.map((p) => p.key),
  );
  let i = 0;
  let j = 0;
  let removed: Paragraph[] = [];
  let added: Paragraph[] = [];
  const flush = () => {
    // Pair each removed paragraph with the most alike added one in the same gap.
    const unpaired = [...added];
    for (const r of removed) {
      let best = -1;
      let bestScore = CHANGED_PARAGRAPH_OVERLAP;
      unpaired.forEach((a, n) => {
        const score = wordOverlap(r.key, a.key);
        if (score >= bestScore) {
          best = n;
          bestScore = score;
        }
      });
      const match = best === -1 ? undefined : unpaired.splice(best, 1)[0];
      if (match) {
        out.push({
          kind: 'paragraph-changed',
          section,
          before: r,
          after: match,
          words: diffWords(plainText(r.text), plainText(match.text)).map(({ value, added: a, removed: d }) => ({
            value,
            added: a,
            removed: d,
          })),
        });
      } else out.push({ kind: 'paragraph-removed', section, paragraph: r });
    }
    for (const a of unpaired) out.push({ kind: 'paragraph-added', section, paragraph: a });
    removed = [];
    added = [];
  };
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.removed) {
      removed.push(...before.slice(i, i + n));
      i += n;
    } else if (part.added) {
      added.push(...after.slice(j, j + n));
      j += n;
    } else {
      flush();
      i += n;
      j += n;
    }
  }
  flush();
  return out;
}

export function compareDocuments(before: ParsedDocument, after: ParsedDocument): Comparison {
  const changes: RevisionChange[] = [];
  const matched = new Set<Section>();
  for (const old of before.sections) {
    const next = after.sections.find((s) => !matched.has(s) && sameSection(old, s));
    if (!next) {
      if (old.paragraphs.length > 0 || old.title !== FRONT_MATTER) {
        changes.push({ kind: 'section-removed', section: old.title, paragraphs: old.paragraphs });
      }
      continue;
    }
    matched.add(next);
    changes.push(...compareParagraphs(next.title, old.paragraphs, next.paragraphs));
  }
  for (const next of after.sections) {
    if (matched.has(next)) continue;
    changes.push({ kind: 'section-added', section: next.title, paragraphs: next.paragraphs });
  }
  const version: VersionChange = {
    before: { version: before.version, date: before.date },
    after: { version: after.version, date: after.date },
    changed: before.version !== after.version || before.date !== after.date,
  };
  return { version, changes };
}
