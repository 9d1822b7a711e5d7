import { readFile } from 'node:fs/promises';
import path from 'node:path';
import mammoth from 'mammoth';

/**
 * A source document read into sections and paragraphs, the same way whether it came as the plain
 * text kept in `knowledge/source/` or as the Word file the pack is distributed as. A paragraph is
 * one line of text: the pack's bullets are one line each, and mammoth gives one line per Word paragraph.
 */

export interface Paragraph {
  /** The line as written (trimmed). */
  text: string;
  /** What is compared: see {@link comparisonKey}. */
  key: string;
}

export interface Section {
  /** The heading as the document writes it; "(front matter)" before the first heading. */
  title: string;
  paragraphs: Paragraph[];
}

export interface ParsedDocument {
  /** e.g. "v4.1" from the line "v4.1 – October 2025", when the document has one. */
  version?: string;
  /** e.g. "October 2025". */
  date?: string;
  /** The version line itself, left out of the comparison (its change is reported on its own). */
  versionLine?: string;
  /** The titles listed under "Contents" (page numbers dropped), or the headings found without one. */
  contents: string[];
  sections: Section[];
}

export const FRONT_MATTER = '(front matter)';

const QUOTES: ReadonlyArray<[RegExp, string]> = [
  [/[‘’‛′]/g, "'"],
  [/[“”„″]/g, '"'],
  [/[–—−]/g, '-'],
  [/\u00a0/g, ' '],
];

/**
 * The words of a line without what conversion changes and a reader does not: list markers ("- ",
 * "• ", "1. "), Markdown emphasis and link brackets, curly quotes and dashes, spacing and case. The
 * plain-text pack writes bullets as "- "; the same pack read from Word by mammoth has none.
 */
export function comparisonKey(line: string): string {
  return plainText(line).toLowerCase();
}

/** The line as a reader sees it, without list markers or Markdown (case kept): what word diffs show. */
export function plainText(line: string): string {
  let s = line;
  for (const [re, to] of QUOTES) s = s.replace(re, to);
  s = s
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:[-•*▪◦·]\s+|\d+[.)]\s+)+/, '');
  return s.trim();
}

/** Headings are compared more strictly: a numbered top tip "7. Managing your worklists" is not the section. */
function headingKey(line: string): string {
  return line.replace(/\s+/g, ' ').replace(/[:.]$/, '').trim().toLowerCase();
}

function words(key: string): string[] {
  return key.split(/[^a-z0-9@.'&-]+/).filter((w) => w.length > 0);
}

/** Share of words two short lines have in common (0..1), for headings the contents list spells a little differently. */
export function wordOverlap(a: string, b: string): number {
  const wa = new Set(words(a));
  const wb = new Set(words(b));
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared += 1;
  return shared / Math.max(wa.size, wb.size);
}

const VERSION_LINE = /^v(\d+(?:\.\d+)*)\s*[-–—]\s*(.+?)\s*$/i;
const CONTENTS_ITEM = /^(.*\S)\t+\s*\d+\s*$/;

/**
 * Splits a document into sections. With a "Contents" list (the pack has one), its titles are the
 * headings, found in the body in the same order; a title the body spells slightly differently
 * ("Did not attends" in the contents, "Did not attend" in the body) still matches. Without one,
 * a short line with no closing punctuation between blank lines is taken as a heading.
 */
export function parseDocument(text: string): ParsedDocument {
  const rawLines = text.replace(/\r\n?/g, '\n').split('\n');
  const lines = rawLines.map((l) => l.trim());
  const doc: ParsedDocument = { contents: [], sections: [] };

  const versionIndex = lines.findIndex((l) => VERSION_LINE.test(l));
  if (versionIndex !== -1) {
    const m = VERSION_LINE.exec(lines[versionIndex] ?? '');
    doc.version = `v${m?.[1] ?? ''}`;
    doc.date = m?.[2];
    doc.versionLine = lines[versionIndex];
  }

  // The contents block: "Contents" then "Title<TAB>page" lines, blank lines allowed between.
  const contentsStart = lines.findIndex((l) => /^contents$/i.test(l));
  let bodyStart = 0;
  if (contentsStart !== -1) {
    let i = contentsStart + 1;
    for (; i < rawLines.length; i++) {
      const raw = (rawLines[i] ?? '').trim();
      if (raw === '') continue;
      const m = CONTENTS_ITEM.exec(raw);
      if (!m) break;
      doc.contents.push((m[1] ?? '').trim());
    }
    bodyStart = i;
  }

  const headingAt = new Map<number, string>();
  if (doc.contents.length > 0) {
    let from = bodyStart;
    for (const title of doc.contents) {
      const key = headingKey(title);
      let found = -1;
      for (let i = from; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (line === '' || line.length > title.length * 1.3 + 5) continue;
        const lineKey = headingKey(line);
        if (lineKey === key || (/^[^\d\-•]/.test(line) && wordOverlap(lineKey, key) >= 0.8)) {
          found = i;
          break;
        }
      }
      if (found === -1) continue;
      headingAt.set(found, lines[found] ?? title);
      from = found + 1;
    }
  } else {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const blankAround = (lines[i - 1] ?? '') === '' && (lines[i + 1] ?? '') === '';
      if (blankAround && line.length > 0 && line.length <= 60 && /^[A-Z]/.test(line) && !/[.:,;?!]$/.test(line)) {
        headingAt.set(i, line);
        doc.contents.push(line);
      }
    }
  }

  let current: Section = { title: FRONT_MATTER, paragraphs: [] };
  doc.sections.push(current);
  for (let i = 0; i < lines.length; i++) {
    if (contentsStart !== -1 && i >= contentsStart && i < bodyStart) continue;
    const heading = headingAt.get(i);
    if (heading !== undefined) {
      current = { title: heading, paragraphs: [] };
      doc.sections.push(current);
      continue;
    }
    const line = lines[i] ?? '';
    if (line === '' || i === versionIndex) continue;
    const key = comparisonKey(line);
    if (key === '') continue;
    current.paragraphs.push({ text: line, key });
  }
  return doc;
}

/**
 * The text of a new pack: a `.docx` is converted with mammoth (its raw text, one line per Word
 * paragraph); anything else is read as UTF-8 plain text.
 */
export async function readDocumentText(file: string): Promise<string> {
  if (path.extname(file).toLowerCase() === '.docx') {
    const result = await mammoth.extractRawText({ buffer: await readFile(file) });
    // mammoth separates paragraphs with a blank line; tabs (contents page numbers) survive.
    return result.value;
  }
  return readFile(file, 'utf8');
}
