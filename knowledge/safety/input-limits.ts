import { stripMarkup } from '../../knowledge/normalise.js';

/**
 * Limits and clean-up for text a user sends, applied before anything else reads it (search, PII
 * detection, storage). Lengths are in UTF-16 code units, the same as `String.prototype.length`.
 */

export const DEFAULT_MAX_CHARS = 2000;

// How far back from the cut to look for a grapheme boundary; longer clusters are cut at a code point.
const GRAPHEME_WINDOW = 64;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Shortens `text` to at most `maxChars` UTF-16 code units without splitting a surrogate pair or,
 * where possible, a grapheme cluster (an emoji sequence, a letter and its accent).
 */
export function truncateText(text: string, maxChars: number = DEFAULT_MAX_CHARS): string {
  if (!Number.isInteger(maxChars) || maxChars < 0) {
    throw new RangeError(`maxChars must be a non-negative integer, got ${maxChars}`);
  }
  if (text.length <= maxChars) return text;

  let cut = maxChars;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;

  const windowStart = Math.max(0, cut - GRAPHEME_WINDOW);
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Segment a little past the cut so the cluster that straddles it is seen whole.
  const windowText = text.slice(windowStart, Math.min(text.length, cut + GRAPHEME_WINDOW));
  let boundary = -1;
  for (const { index } of segmenter.segment(windowText)) {
    const absolute = windowStart + index;
    if (absolute > cut) break;
    boundary = absolute;
  }
  // boundary === windowStart with windowStart > 0 means one cluster fills the whole window: a
  // pathological run of combining marks, cut at the code point instead.
  if (boundary > windowStart || (boundary === 0 && windowStart === 0)) cut = boundary;
  return text.slice(0, cut);
}

const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
// C0 except tab and newline, DEL and C1.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidi embeddings, overrides and isolates, plus the invisible marks used to disguise text.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const INVISIBLE = /[\u200B\u200C\u2060-\u2064\uFEFF\u00AD\u180E]/g;
// Zero-width joiner kept only inside emoji sequences (family, profession emoji), where it belongs.
const STRAY_ZWJ =
  /(?<!\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/**
 * Removes control characters (keeping tab and newline; line breaks of any kind become `\n`),
 * bidi overrides and isolates, and invisible characters that could hide text from checks.
 */
export function stripControlChars(text: string): string {
  return text
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROLS, '')
    .replace(BIDI, '')
    .replace(INVISIBLE, '')
    .replace(STRAY_ZWJ, '');
}

/**
 * The value 0-9 of a decimal digit from any script (Arabic-Indic, Devanagari, ...), or undefined.
 * Unicode keeps each script's digits as a run from 0 to 9 (some runs sit back to back).
 */
export function digitValue(codePoint: number): number | undefined {
  const isDigit = (cp: number) => /\p{Nd}/u.test(String.fromCodePoint(cp));
  if (!isDigit(codePoint)) return undefined;
  let zero = codePoint;
  while (zero > 0 && isDigit(zero - 1)) zero -= 1;
  return (codePoint - zero) % 10;
}

/**
 * NFKC (full-width digits become ASCII digits, ligatures become letters, and so on), then digits
 * of every other script become 0-9, so an NHS number typed in Arabic-Indic digits is still one.
 */
export function normaliseUnicode(text: string): string {
  return text.normalize('NFKC').replace(/(?![0-9])\p{Nd}/gu, (d) => String(digitValue(d.codePointAt(0) ?? 0)));
}

/**
 * Text that NFKC, the digit mapping and stripControlChars all leave unchanged: no character outside
 * printable ASCII but tab and newline (a carriage return is a line break to convert).
 */
const PRINTABLE_ASCII = /^[\t\n\x20-\x7e]*$/;

/**
 * The one cleaner for a message someone sends, run before anything else reads it (understanding,
 * search, PII detection, storage): markup undone ({@link stripMarkup}: mentions, tags, entities,
 * typographic quotes), Unicode normalised, control and invisible characters removed, white space
 * folded to single spaces, then cut to `maxChars` (last, so the limit applies to what is kept).
 * A pasted essay is first cut to twice the limit, so the regular expressions never see all of it.
 */
export function cleanInput(raw: string | undefined, maxChars: number = DEFAULT_MAX_CHARS): string {
  if (!raw) return '';
  const bounded = truncateText(raw, maxChars * 2);
  const unmarked = stripMarkup(bounded);
  // Printable ASCII, tab and newline is what most messages are, and both steps leave it as it is.
  const cleaned = (PRINTABLE_ASCII.test(unmarked) ? unmarked : stripControlChars(normaliseUnicode(unmarked)))
    .replace(/\s+/g, ' ')
    .trim();
  return truncateText(cleaned, maxChars).trimEnd();
}

/** An empty or all-space value reads as absent, so a blank setting or field falls back to its default. */
export const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
