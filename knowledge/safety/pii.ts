/**
 * Detection and masking of patient-identifiable information (PII) in free text.
 *
 * The detector is deliberately conservative: a valid NHS number is always flagged, but dates,
 * postcodes and names are only flagged when they sit next to something that makes them identify a
 * person (a DOB marker, a name, an address, another identifier). Ordinary e-RS questions mention
 * dates ("deferred on 2 March 2026"), hospitals and service postcodes all the time, and a bot that
 * nags about those teaches staff to ignore the warning.
 *
 * Offsets are UTF-16 indices into the text as given. Run `cleanInput` (input-limits.ts) first so
 * full-width digits and zero-width characters cannot hide an NHS number from the patterns.
 */

import { digitValue } from './input-limits.js';

export type PiiKind = 'nhs-number' | 'date-of-birth' | 'postcode' | 'address' | 'phone-number' | 'name';

export interface PiiSpan {
  start: number;
  end: number;
  kind: PiiKind;
}

export interface PiiDetection {
  found: boolean;
  kinds: PiiKind[];
  spans: PiiSpan[];
}

/** Shown to the user when their message looks like it contains patient details. */
export const PII_WARNING =
  'Your message looks like it contains patient-identifiable information, such as an NHS number, a phone number, or a name with a date of birth or address. ' +
  'Teams chats are not the place for patient details: please delete the message if you can, and ask again without them.';

export const PII_MARKERS: Readonly<Record<PiiKind, string>> = Object.freeze({
  'nhs-number': '[NHS number]',
  'date-of-birth': '[date of birth]',
  postcode: '[postcode]',
  address: '[address]',
  'phone-number': '[phone number]',
  name: '[name]',
});

const KIND_ORDER: readonly PiiKind[] = ['nhs-number', 'date-of-birth', 'postcode', 'address', 'phone-number', 'name'];

interface Range {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// NHS numbers

/**
 * Modulus 11 check on a 10-digit NHS number (digits only). Numbers made of one repeated digit pass
 * the arithmetic but are placeholders ("0000000000"), so they are rejected.
 */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  if (/^([0-9])\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    sum += Number(digits[i]) * (10 - i);
  }
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

// A run of digit groups joined by one separator each: a space, a dot, a slash, an underscore, a dash
// or a bracket (with spaces around it). People write NHS numbers as 943 476 5919, 943.476.5919,
// 943/476/5919, 943 4765 919, 94347 65919 or one digit at a time, so any consecutive groups holding
// exactly ten digits are tried. Because only whole groups are joined, a 10-digit slice of a longer
// number (a 12-digit UBRN, an 11-digit phone number) never qualifies.
const SEPARATOR = String.raw`(?:[ \u00a0]*[.\/_()\-\u2010-\u2013][ \u00a0]*|[ \u00a0]{1,2})`;
const DIGIT_RUN = new RegExp(`(?<![0-9])[0-9]+(?:${SEPARATOR}[0-9]+)*(?![0-9])`, 'g');
const DIGIT_GROUP = /[0-9]+/g;

interface DigitGroup {
  digits: string;
  start: number;
  end: number;
}

function digitGroups(text: string): DigitGroup[][] {
  const runs: DigitGroup[][] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const runStart = run.index;
    runs.push(
      [...run[0].matchAll(DIGIT_GROUP)].map((g) => ({
        digits: g[0],
        start: runStart + g.index,
        end: runStart + g.index + g[0].length,
      })),
    );
  }
  return runs;
}

/** The spans of consecutive groups whose digits, joined, satisfy `accept` (first, shortest match from each start). */
function joinedGroups(
  runs: readonly DigitGroup[][],
  maxDigits: number,
  accept: (digits: string, first: DigitGroup) => boolean,
): Range[] {
  const found: Range[] = [];
  for (const groups of runs) {
    let i = 0;
    while (i < groups.length) {
      let digits = '';
      let matchedEnd = -1;
      for (let j = i; j < groups.length; j++) {
        const g = groups[j];
        const first = groups[i];
        if (g === undefined || first === undefined) break;
        digits += g.digits;
        if (digits.length > maxDigits) break;
        if (accept(digits, first)) {
          found.push({ start: first.start, end: g.end });
          matchedEnd = j;
          break;
        }
      }
      i = matchedEnd >= 0 ? matchedEnd + 1 : i + 1;
    }
  }
  return found;
}

function findNhsNumbers(runs: readonly DigitGroup[][]): Range[] {
  return joinedGroups(runs, 10, (digits) => digits.length === 10 && isValidNhsNumber(digits));
}

// UK numbers as people write them: 07700 900123, +44 7700 900123, +44 (0)20 7946 0018, 0044 20...
const UK_MOBILE = /^07[0-9]{9}$/;
const UK_LANDLINE = /^0[123][0-9]{9}$/;

function ukNumber(digits: string, international: boolean): string {
  let d = digits;
  if (d.startsWith('0044')) d = d.slice(4);
  else if (international && d.startsWith('44')) d = d.slice(2);
  else return d;
  return d.startsWith('0') ? d : `0${d}`;
}

interface PhoneNumber extends Range {
  mobile: boolean;
}

function findPhoneNumbers(text: string, runs: readonly DigitGroup[][]): PhoneNumber[] {
  const found: PhoneNumber[] = [];
  const plusBefore = (g: DigitGroup) => /\+[ \u00a0]?$/.test(text.slice(Math.max(0, g.start - 2), g.start));
  for (const range of joinedGroups(runs, 14, (digits, first) => {
    const n = ukNumber(digits, plusBefore(first));
    return UK_MOBILE.test(n) || UK_LANDLINE.test(n);
  })) {
    const digits = text.slice(range.start, range.end).replace(/[^0-9]/g, '');
    const plus = /\+[ \u00a0]?$/.test(text.slice(Math.max(0, range.start - 2), range.start));
    const start = plus ? text.lastIndexOf('+', range.start) : range.start;
    found.push({ start, end: range.end, mobile: UK_MOBILE.test(ukNumber(digits, plus)) });
  }
  return found;
}

/**
 * Digits from any script (Arabic-Indic, Devanagari, ...) read as 0-9, keeping every offset: each
 * such digit in the Basic Multilingual Plane is one UTF-16 unit, like its ASCII twin (cleanInput
 * converts the rarer digits outside it).
 */
function asciiDigits(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (ch) => String(digitValue(ch.charCodeAt(0)) ?? ch));
}

// ---------------------------------------------------------------------------------------------
// Dates, postcodes, addresses, names

const MONTH = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const DAY = `(?:0?[1-9]|[12][0-9]|3[01])`;
const DATE = new RegExp(
  [
    String.raw`(?<![0-9])${DAY}[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:[0-9]{4}|[0-9]{2})(?![0-9])`,
    `(?<![0-9])(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?![0-9])`,
    String.raw`(?<![0-9])${DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\.?,?\s+(?:[0-9]{4}|'?[0-9]{2})(?![0-9])`,
    String.raw`\b${MONTH}\.?\s+${DAY}(?:st|nd|rd|th)?,?\s+[0-9]{4}(?![0-9])`,
  ].join('|'),
  'gi',
);

// Inward codes never use C, I, K, M, O or V, which rules out a few word-like false matches.
const POSTCODE = /(?<![A-Za-z0-9])[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])/gi;

const STREET_WORD = `(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Gardens|Gdns|Crescent|Cres|Place|Pl|Court|Ct|Grove|Gr|Hill|Park|Terrace|Terr|Mews|Square|Sq|Walk|Rise|Row|Vale|Green|Parade|Estate|House|Flats?)`;
const ADDRESS = String.raw`(?:(?:Flat|Apartment|Apt|Unit)\s+[0-9]+[A-Za-z]?,?\s+)?[0-9]{1,4}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'’\-]*\s+){1,3}${STREET_WORD}\b\.?`;

// A name word starts with a capital followed by lower case (or O' / D' style), so acronyms such as
// PRUH, RA or QEH never count as names.
const NAME_WORD = String.raw`(?:[A-Z](?:[a-z]+|['’][A-Z])[A-Za-z'’\-]*)`;
const TITLE = `(?:Mrs|MRS|mrs|Mr|MR|mr|Ms|MS|ms|Miss|MISS|miss|Mx|MX|mx|Dr|DR|dr|Master)`;
const TITLED_NAME = new RegExp(
  String.raw`(?<![A-Za-z])${TITLE}\.?\s+(?:(?:[A-Z]\.?|${NAME_WORD})\s+){0,3}${NAME_WORD}`,
  'g',
);

// Capitalised words that look like names but, in e-RS questions, are places, organisations,
// sentence openers or calendar words.
const NOT_NAMES = new Set(
  [
    // calendar
    'january february march april may june july august september october november december',
    'jan feb mar apr jun jul aug sep sept oct nov dec',
    'monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday',
    // places and organisations in South East London and the NHS
    'bexley bromley greenwich lambeth lewisham southwark london kent orpington sidcup eltham woolwich',
    'beckenham penge catford deptford peckham brixton streatham dulwich erith thamesmead welling',
    // Common first names such as Elizabeth or Thomas are left out on purpose: "Queen" and "St"
    // already stop "Queen Elizabeth" and "St Thomas" reading as a person.
    "hospital hospitals trust foundation university college kings king’s king's queen queens",
    "princess royal guys guy’s guy's st saint health healthcare",
    'centre center clinic clinics practice surgery medical medicine pharmacy service services unit',
    'nhs england digital spine hub team board icb ics primary care community mental council',
    // e-RS vocabulary and everyday sentence words
    'referral referrals request requests advice guidance appointment appointments booking booked',
    'deferred deferral rejected returned cancelled worklist worklists provider providers patient',
    'patients clinician clinicians gp gps doctor nurse admin triage urgent routine rapid access',
    'the this that these those there then when what which who why how where please thanks thank',
    'hi hello dear can could would should will is was has have had my our your their his her its',
    'and or but if so not no yes ok okay also just still re fw fwd subject note notes update',
    'dob born date birth address postcode number name tel phone email mobile',
    'road rd street lane avenue ave close drive way gardens crescent place court grove hill park',
    'terrace mews square walk rise row vale green parade estate house flat flats apartment',
  ]
    .join(' ')
    .split(/\s+/),
);

function isNameWord(word: string): boolean {
  return !NOT_NAMES.has(word.toLowerCase());
}

/** Keeps the longest tail of words that are all plausible names (drops "Patient", "Queen", ...). */
function trimToNameWords(text: string, start: number): Range | undefined {
  const words = [...text.matchAll(/\S+/g)].map((w) => ({ word: w[0], start: start + w.index }));
  let firstKept = words.length;
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i];
    if (w === undefined || !isNameWord(w.word)) break;
    firstKept = i;
  }
  const kept = words.slice(firstKept);
  const first = kept[0];
  const last = kept[kept.length - 1];
  if (kept.length < 2 || first === undefined || last === undefined) return undefined;
  return { start: first.start, end: last.start + last.word.length };
}

function findTitledNames(text: string): Range[] {
  const found: Range[] = [];
  for (const m of text.matchAll(TITLED_NAME)) {
    // Drop trailing non-name words the greedy pattern swallowed ("Mrs Smith Bromley").
    const words = [...m[0].matchAll(/\S+/g)];
    let end = words.length;
    while (end > 2) {
      const w = words[end - 1];
      if (w === undefined || isNameWord(w[0].replace(/[.,]$/, ''))) break;
      end -= 1;
    }
    const lastWord = words[end - 1];
    const surname = lastWord?.[0] ?? '';
    if (lastWord === undefined || end < 2 || !isNameWord(surname)) continue;
    found.push({ start: m.index, end: m.index + lastWord.index + surname.length });
  }
  return found;
}

function all(pattern: RegExp, text: string): Range[] {
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

// ---------------------------------------------------------------------------------------------
// Context: what sits immediately before or after a candidate

const LOOKBACK = 120;
const PUNCT_GAP = String.raw`[\s,;:()\[\]\-–]*`;
// Spelt out in both cases because some patterns using them are case-sensitive (names need capitals).
const DOB_MARKER = String.raw`(?:\b(?:[Dd]\.?\s?[Oo]\.?\s?[Bb]|[Dd]ate\s+of\s+[Bb]irth|DATE\s+OF\s+BIRTH|[Bb]irth\s*[Dd]ate|[Bb]orn(?:\s+on)?|BORN)\b\.?)`;
const NHS_MARKER = String.raw`(?:\b[Nn][Hh][Ss](?:\s*(?:[Nn][Oo]\.?|[Nn]umber|NUMBER|[Nn]um|#))?)`;
const MARKER_GAP = String.raw`(?:[\s,;:()\[\]\-–]|${DOB_MARKER}|${NHS_MARKER}|\b(?:is|was)\b)*`;

const DOB_BEFORE = new RegExp(String.raw`${DOB_MARKER}\s*(?:\b(?:is|was|of)\b)?\s*[:=\-–]?\s*[(\[]?\s*$`, 'i');
// Only a bracketed marker after a date counts ("12/03/1954 (DOB)"): "on 12/03/2026 DOB was wrong on
// the Spine" is a question about a record, not a birth date.
const DOB_AFTER = /^\s*[([]\s*(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth)\s*[)\]]/i;
const TIGHT_GAP = new RegExp(`^${PUNCT_GAP}$`);
const ADDRESS_BEFORE = new RegExp(String.raw`${ADDRESS}(?:[\s,]+${NAME_WORD}){0,2}[\s,]*$`);
const LIVES_AT_BEFORE =
  /\b(?:(?:lives|living|resides|residing|moved|staying)\s+(?:at|to|in)|home\s+address|address\s*(?:is|:))\b[^.!?\n]{0,60}$/i;
const NAME_THEN_GAP = new RegExp(String.raw`((?:${NAME_WORD}\s+){1,3}${NAME_WORD})(${MARKER_GAP})$`, 'd');
const NAME_THEN_ADDRESS = new RegExp(
  String.raw`((?:${NAME_WORD}\s+){1,3}${NAME_WORD})[\s,]+(?:${ADDRESS})?(?:[\s,]+${NAME_WORD}){0,2}[\s,]*$`,
  'd',
);

// Names in the forms staff paste from clinical systems, used only right before a birth date:
// "smith jane 1/2/1950", "SMITH, Jane 01.02.1950".
const ANY_NAME_THEN_TIGHT = new RegExp(
  String.raw`((?:[A-Za-z][A-Za-z'’\-]*,?\s+){1,3}[A-Za-z][A-Za-z'’\-]*)(${PUNCT_GAP})$`,
  'd',
);
// What may sit between a name and a phone number: "Jane Smith on 07700 900123", "Mr Patel's mobile: ...".
const PHONE_GAP = String.raw`(?:['’]s)?(?:[\s,;:()\[\]\-–]|\b(?:on|at|tel|telephone|phone|mobile|mob|number|no|is|home|work)\b\.?)*`;
const TIGHT_PHONE_GAP = new RegExp(`^${PHONE_GAP}$`, 'i');
const NAME_THEN_PHONE = new RegExp(String.raw`((?:${NAME_WORD}\s+){1,3}${NAME_WORD})(${PHONE_GAP})$`, 'd');
// "her mobile 07...", "his home number is 020 ...": whose number it is, said right before it.
const PERSONAL_PHONE_BEFORE =
  /\b(?:her|his|their|home|daughter['’]?s?|son['’]?s?|wife['’]?s?|husband['’]?s?|carer['’]?s?|next\s+of\s+kin|nok)(?:\s+(?:home|mobile|mob|phone|tel|telephone|landline|number|no\.?|is|on)\b\.?)*[\s:.\-–]*$/i;
// Between a name and an address: "Jane Smith 12 Acacia Avenue", "Mrs Smith at Flat 3, 10 Church Road".
const NAME_ADDRESS_GAP = /^[\s,;:()\-–]*(?:\b(?:at|of|from|lives\s+at|living\s+at)\b[\s,:]*)?$/i;
const MASK_MARKER = /\[(?:NHS number|date of birth|postcode|address|phone number)\]/g;
const PERSONAL_POSTCODE_BEFORE = /\b(?:her|his|their|home)\s+(?:post\s*code|address)(?:\s+is)?[\s:.\-–]*$/i;
const ADDRESS_ANYWHERE = new RegExp(ADDRESS, 'g');
const NAME_THEN_ADDRESS_GAP = new RegExp(
  String.raw`((?:${NAME_WORD}\s+){1,3}${NAME_WORD})([\s,;:()\-–]*(?:\b(?:at|of|from|lives\s+at|living\s+at)\b[\s,:]*)?)$`,
  'd',
);

// Dates in e-RS questions are about recent referrals, so only a date from before e-RS and its
// predecessor existed, right after a name, is taken as a birth date without a marker. A recent one
// ("Downtime Protocol 12/03/2026") needs a DOB marker or a title.
const EARLIEST_ERS_YEAR = 2004;

function yearOf(date: string): number {
  const iso = /^([0-9]{4})-/.exec(date);
  if (iso?.[1] !== undefined) return Number(iso[1]);
  const tail = /([0-9]{2,4})$/.exec(date)?.[1] ?? '';
  if (tail.length === 4) return Number(tail);
  const yy = Number(tail);
  return yy >= 30 ? 1900 + yy : 2000 + yy;
}

function before(text: string, pos: number): { slice: string; offset: number } {
  const offset = Math.max(0, pos - LOOKBACK);
  return { slice: text.slice(offset, pos), offset };
}

/** An untitled "First Last" that ends right before `pos`, separated only by punctuation or markers. */
function untitledNameBefore(text: string, pos: number, allowAddress: boolean): Range | undefined {
  return nameBefore(text, pos, allowAddress ? [NAME_THEN_GAP, NAME_THEN_ADDRESS] : [NAME_THEN_GAP]);
}

/** A name matched by one of `patterns` (group 1) ending right before `pos`, trimmed to name words. */
function nameBefore(text: string, pos: number, patterns: readonly RegExp[]): Range | undefined {
  const { slice, offset } = before(text, pos);
  for (const pattern of patterns) {
    const m = pattern.exec(slice);
    const group = m?.indices?.[1];
    if (m === null || group === undefined) continue;
    // The name must start a word: "xJane Smith" is not a name.
    if (group[0] > 0 && /[A-Za-z'’-]/.test(slice[group[0] - 1] ?? '')) continue;
    const name = trimToNameWords(slice.slice(group[0], group[1]), offset + group[0]);
    if (name !== undefined) return name;
  }
  return undefined;
}

function titledNameNextTo(names: readonly Range[], target: Range, text: string, tight: boolean): Range | undefined {
  for (const name of names) {
    const gap = name.end <= target.start ? text.slice(name.end, target.start) : text.slice(target.end, name.start);
    if (name.end > target.start && name.start < target.end) continue;
    if (tight ? TIGHT_GAP.test(gap) || DOB_BEFORE.test(gap) : gap.length <= 60 && !/\n\s*\n/.test(gap)) {
      return name;
    }
  }
  return undefined;
}

function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Finds patient-identifiable information in `text`.
 *
 * @example
 * detectPii('NHS no 401 023 2137 deferred').kinds // ['nhs-number']
 * detectPii('deferred on 2 March 2026 at PRUH').found // false
 */
export function detectPii(input: string): PiiDetection {
  // A fresh result, as the full detection gives.
  if (!MAY_HOLD_PII.test(input)) return { found: false, kinds: [], spans: [] };
  return detectAllPii(input);
}

/**
 * What every identifier found above needs in the text: an NHS number, a date, a postcode, an
 * address (its house number) and a phone number each need a digit; a name is only flagged next to
 * one of those or next to an identifier masked already ("[date of birth]", which needs a "[").
 * Digits of other scripts count as digits there (asciiDigits), so any character outside ASCII
 * sends the text through the full detection too. Most messages have none of these.
 */
const MAY_HOLD_PII = /[0-9[\u0080-\uffff]/;

/**
 * What each scan below cannot match without, tested first as one plain scan (most messages with a
 * digit have no title, no street word, no letter just before a digit): a title for a titled name, a
 * digit beside a date separator or a month for a date, a letter then a digit for a postcode, a
 * street word (written as the address pattern writes it, capitalised) for an address, a "[" for a
 * marker. test/safety/pii-precheck.test.ts compares the detection with and without them.
 */
const NEEDS_TITLE = /m[rsx]|miss|dr|master/i;
const NEEDS_DATE = /[0-9][/.-][0-9]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;
const NEEDS_POSTCODE = /[a-z][0-9]/i;
const NEEDS_ADDRESS = new RegExp(STREET_WORD);

/**
 * detectPii without the pre-check; exported only so its test can compare the two. `everyPattern`
 * also runs every scan whatever the NEEDS_ checks say (the detection to compare against).
 */
export function detectAllPii(input: string, options: { everyPattern?: boolean } = {}): PiiDetection {
  const text = asciiDigits(input);
  const may = (needs: RegExp): boolean => options.everyPattern === true || needs.test(text);
  const spans: PiiSpan[] = [];
  const add = (range: Range, kind: PiiKind): void => {
    if (spans.some((s) => overlaps(s, range))) return;
    spans.push({ start: range.start, end: range.end, kind });
  };

  const runs = digitGroups(text);
  const nhsNumbers = findNhsNumbers(runs);
  for (const r of nhsNumbers) add(r, 'nhs-number');

  const titledNames = may(NEEDS_TITLE) ? findTitledNames(text) : [];
  const untitledNames: Range[] = [];

  const dobs: Range[] = [];
  for (const date of may(NEEDS_DATE) ? all(DATE, text) : []) {
    if (spans.some((s) => overlaps(s, date))) continue;
    const prefix = before(text, date.start).slice;
    const suffix = text.slice(date.end, date.end + 40);
    const written = text.slice(date.start, date.end);
    const untitled = untitledNameBefore(text, date.start, false);
    const year = yearOf(written);
    // An untitled name only makes a bare date a DOB when nothing but punctuation separates them.
    const untitledAdjacent =
      untitled !== undefined && TIGHT_GAP.test(text.slice(untitled.end, date.start)) && year < EARLIEST_ERS_YEAR;
    // A full date with a four-digit year from before e-RS existed is not a referral date.
    const beforeErs = /[0-9]{4}/.test(written) && year >= 1900 && year < EARLIEST_ERS_YEAR;
    if (
      DOB_BEFORE.test(prefix) ||
      DOB_AFTER.test(suffix) ||
      titledNameNextTo(titledNames, date, text, true) !== undefined ||
      untitledAdjacent ||
      beforeErs
    ) {
      dobs.push(date);
      add(date, 'date-of-birth');
      const name = untitled ?? nameBefore(text, date.start, [ANY_NAME_THEN_TIGHT]);
      if (name !== undefined) untitledNames.push(name);
    }
  }

  const strongIds = [...nhsNumbers, ...dobs];
  const postcodes: Range[] = [];
  for (const postcode of may(NEEDS_POSTCODE) ? all(POSTCODE, text) : []) {
    if (spans.some((s) => overlaps(s, postcode))) continue;
    const { slice } = before(text, postcode.start);
    const untitled = untitledNameBefore(text, postcode.start, true);
    const nextToStrongId = strongIds.some((id) => {
      const gap = id.end <= postcode.start ? text.slice(id.end, postcode.start) : text.slice(postcode.end, id.start);
      return TIGHT_GAP.test(gap) && gap.length <= 6;
    });
    if (
      ADDRESS_BEFORE.test(slice) ||
      LIVES_AT_BEFORE.test(slice) ||
      untitled !== undefined ||
      titledNameNextTo(titledNames, postcode, text, false) !== undefined ||
      nextToStrongId ||
      // A message that already carries an NHS number or a birth date is about one patient.
      strongIds.length > 0 ||
      PERSONAL_POSTCODE_BEFORE.test(slice)
    ) {
      postcodes.push(postcode);
      add(postcode, 'postcode');
      if (untitled !== undefined) untitledNames.push(untitled);
    }
  }

  // A house number and street: identifying next to a name, after "lives at", or before a flagged postcode.
  for (const address of may(NEEDS_ADDRESS) ? all(ADDRESS_ANYWHERE, text) : []) {
    if (spans.some((s) => overlaps(s, address))) continue;
    const untitled = nameBefore(text, address.start, [NAME_THEN_ADDRESS_GAP]);
    const titled = titledNames.find(
      (n) => n.end <= address.start && NAME_ADDRESS_GAP.test(text.slice(n.end, address.start)),
    );
    const postcodeAfter = postcodes.some(
      (p) => p.start >= address.end && p.start - address.end <= 40 && !/\n/.test(text.slice(address.end, p.start)),
    );
    if (
      untitled !== undefined ||
      titled !== undefined ||
      postcodeAfter ||
      LIVES_AT_BEFORE.test(before(text, address.start).slice)
    ) {
      add(address, 'address');
      if (untitled !== undefined) untitledNames.push(untitled);
    }
  }

  // A mobile number is personal whoever it belongs to; a landline only when a name or "her/his/home"
  // says whose it is (the pack's helpline numbers are landlines too).
  for (const phone of findPhoneNumbers(text, runs)) {
    if (spans.some((s) => overlaps(s, phone))) continue;
    // A doctor's number is a work number, not a patient identifier.
    const doctor = (n: Range) =>
      /^(?:dr|doctor)\b/i.test(text.slice(n.start, n.end)) ||
      /\b(?:dr|doctor)\.?\s*$/i.test(text.slice(Math.max(0, n.start - 8), n.start));
    const named = nameBefore(text, phone.start, [NAME_THEN_PHONE]);
    const untitled = named !== undefined && !doctor(named) ? named : undefined;
    const titled = titledNames.find(
      (n) => n.end <= phone.start && !doctor(n) && TIGHT_PHONE_GAP.test(text.slice(n.end, phone.start)),
    );
    if (
      phone.mobile ||
      untitled !== undefined ||
      titled !== undefined ||
      PERSONAL_PHONE_BEFORE.test(before(text, phone.start).slice)
    ) {
      add(phone, 'phone-number');
      if (untitled !== undefined) untitledNames.push(untitled);
    }
  }

  // A name next to an NHS number is masked too: the number already makes the message identifiable.
  for (const nhs of nhsNumbers) {
    const untitled = untitledNameBefore(text, nhs.start, false);
    if (untitled !== undefined) untitledNames.push(untitled);
  }

  // Identifiers masked already ("[date of birth]") still make the name next to them identifying, so
  // masking parts separately and then the whole (log arguments) hides the name too.
  const masked = options.everyPattern === true || text.includes('[') ? all(MASK_MARKER, text) : [];
  for (const marker of masked) {
    const untitled = untitledNameBefore(text, marker.start, false);
    if (untitled !== undefined && TIGHT_GAP.test(text.slice(untitled.end, marker.start))) untitledNames.push(untitled);
  }

  const identifiers = [...spans, ...masked];
  for (const name of titledNames) {
    if (identifiers.some((id) => titledNameNextTo([name], id, text, false) !== undefined)) add(name, 'name');
  }
  for (const name of untitledNames) add(name, 'name');

  spans.sort((a, b) => a.start - b.start);
  const kinds = KIND_ORDER.filter((k) => spans.some((s) => s.kind === k));
  return { found: spans.length > 0, kinds, spans };
}

/** Replaces each identifier with a fixed marker such as `[NHS number]`, leaving the rest intact. */
export function maskPii(text: string): string {
  const { spans } = detectPii(text);
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start) + PII_MARKERS[span.kind];
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

function isUntouchable(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  );
}

/**
 * Returns a copy of `value` with every string inside it masked (objects, arrays and errors,
 * cycles included). Object keys are kept as they are. Errors stay errors, so pino's error
 * serializer still recognises them.
 */
export function maskDeep<T>(value: T): T {
  return maskValue(value, new WeakMap()) as T;
}

function maskValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (typeof value !== 'object' || value === null) return value;
  if (isUntouchable(value)) return value;
  const prior = seen.get(value);
  if (prior !== undefined) return prior;

  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(maskValue(item, seen));
    return copy;
  }

  const copy: Record<string | symbol, unknown> = Object.create(Object.getPrototypeOf(value));
  seen.set(value, copy);
  const source = value as Record<string, unknown>;
  if (value instanceof Error) {
    // message, stack and cause are not enumerable, so copy them by name.
    for (const key of ['name', 'message', 'stack', 'cause'] as const) {
      if (key in value) {
        Object.defineProperty(copy, key, {
          value: maskValue(source[key], seen),
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
    }
  }
  for (const key of Object.keys(value)) {
    copy[key] = maskValue(source[key], seen);
  }
  return copy;
}
