/**
 * Query and index text normalisation. The same function runs over the knowledge entries when the
 * index is built and over every user message, so a variant ("two week wait", "USC", "2 ww") and the
 * pack's own wording ("Urgent Suspected Cancer (2WW)") meet on one canonical token ("2ww").
 */

/**
 * Canonical token → the ways staff write it, in cleaned form (lower case, no apostrophes,
 * punctuation as spaces, "&" kept). Longest variant wins at each position, so "urgent suspected
 * cancer" becomes "2ww" before "urgent" could be read on its own.
 *
 * Canonical tokens are chosen so they are not substrings of ordinary words: fuzzy matching looks
 * for a term anywhere in a field, so "ag" would match "manage" and "triage".
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // "What is A&G for?" asks what a thing is used for; "A&G is for: ..." is how the pack answers it.
  purpose: ['is for', 'are for', 'is it for', 'used for', 'use it for', 'what for', 'meant for'],
  '2ww': [
    '2ww',
    '2 ww',
    '2wws',
    'two week wait',
    'two weeks wait',
    '2 week wait',
    '2 weeks wait',
    '2week wait',
    'twoweek wait',
    'fast track',
    'usc',
    'urgent suspected cancer',
    'suspected cancer',
    'cancer referral',
    'cancer referrals',
    'cancer',
  ],
  // "Non-suspected cancer" is the opposite of a 2WW: without its own token it would read as "2ww".
  noncancer: [
    'non cancer',
    'noncancer',
    'non suspected cancer',
    'not suspected cancer',
    'not cancer',
    'isnt cancer',
    'not a cancer',
    'no cancer',
    'not for cancer',
  ],
  adviceguidance: [
    'a&g',
    'a & g',
    'a and g',
    'a n g',
    'ang',
    'advice and guidance',
    'advice & guidance',
    'advice n guidance',
    'advice guidance',
    'advise and guidance',
    'adv and guidance',
  ],
  kch: [
    'kings',
    'kch',
    'kings college',
    'kings college hospital',
    'kings hospital',
    'king college',
    'denmark hill',
    'kings dh',
    'kch dh',
  ],
  pruh: ['pruh', 'princess royal', 'princess royal university hospital', 'prue', 'south sites', 'orpington'],
  gstt: [
    'gstt',
    'guys',
    'guy',
    'guys hospital',
    'st thomas',
    'st thomass',
    'st thomases',
    'saint thomas',
    'st thomas hospital',
    'guys and st thomas',
    'guys & st thomas',
    'guys and thomas',
    'evelina',
    'evelina london',
  ],
  lgt: ['lgt', 'lewisham and greenwich', 'lewisham & greenwich', 'lewisham greenwich', 'lewisham n greenwich'],
  qeh: ['qeh', 'queen elizabeth', 'queen elizabeth hospital', 'queen lizzie', 'woolwich'],
  uhl: ['uhl', 'university hospital lewisham', 'lewisham hospital', 'lewisham hosp'],
  dvh: ['dvh', 'darent valley', 'darent valley hospital', 'darenth valley', 'dartford'],
  registrationauthority: ['ra', 'registration authority', 'registration authorities', 'ra team', 'ra sponsor'],
  smartcard: ['smartcard', 'smartcards', 'smart card', 'smart cards', 'smart crd', 'smrt card', 'card reader'],
  pds: [
    'pds',
    'spine',
    'the spine',
    'demographics',
    'demographic',
    'personal demographics service',
    'personal demographic service',
    'pds icon',
  ],
  dos: ['dos', 'directory of services', 'directory of service', 'service directory', 'directory'],
  ubrn: [
    'ubrn',
    'ubrns',
    'booking reference',
    'booking ref',
    'booking reference number',
    'unique booking reference number',
    'unique booking reference',
    'ref number',
    'reference number',
  ],
  dna: ['dna', 'dnas', 'dnad', 'did not attend', 'didnt attend', 'did not turn up', 'didnt turn up', 'no show'],
  slotissue: [
    'asi',
    'asis',
    'appointment slot issue',
    'appointment slot issues',
    'slot issue',
    'slot issues',
    'no slots',
    'no appointments',
    'no appointment',
    'no availability',
    'no appts',
    'no appt',
  ],
  myr: ['myr', 'manage your referral', 'manage my referral', 'nhs app', 'nhsapp', 'the app'],
  tal: ['tal', 'the appointment line', 'appointment line', 'appointments line', 'booking line'],
  pas: ['pas', 'patient administration system', 'patient administration systems'],
  dbs: ['dbs', 'directly bookable service', 'directly bookable services', 'directly bookable', 'direct booking'],
  ras: ['ras', 'referral assessment service', 'referral assessment services', 'triage service'],
  cas: ['cas', 'clinical assessment service', 'clinical assessment services', 'dummy appointment', 'dummy appt'],
  ers: [
    'ers',
    'e rs',
    'e-rs',
    'e referral',
    'e referrals',
    'ereferral',
    'ereferrals',
    'e referral service',
    'nhs e referral service',
    'electronic referral service',
    'choose and book',
  ],
  emis: ['emis', 'emis web', 'optum', 'optum emis', 'clinical system', 'gp system'],
  password: ['password', 'passwords', 'pw', 'pwd', 'passwd', 'pword', 'passcode', 'access code', 'access codes'],
  appointment: ['appointment', 'appointments', 'appt', 'appts', 'apt', 'apts', 'appoinment', 'appointmnet'],
  referral: ['referral', 'referrals', 'referal', 'referals', 'refferal', 'refferals', 'ref', 'refs', 'reffs'],
  patient: ['patient', 'patients', 'pt', 'pts', 'pat', 'patent'],
  worklist: ['worklist', 'worklists', 'work list', 'work lists', 'wl'],
  nhsnumber: ['nhs number', 'nhs no', 'nhs num', 'nhs numbers', 'nhsno', 'nhs nos'],
  temporary: ['temporary', 'temp', 'temporary resident', 'temp resident', 'temps'],
  downtime: ['downtime', 'down time', 'outage', 'ers down', 'system down', 'is down', 'went down'],
  letter: ['letter', 'letters', 'ltr', 'referral letter', 'referral letters'],
  locum: ['locum', 'locums'],
  // The pack says "rejected" and "rejection"; staff write either, and the stemmer keeps them apart.
  reject: ['rejected', 'rejection', 'rejections', 'rejects', 'rejecting', 'rejectd'],
  // "When should a bulk update be done / performed / carried out" asks when to run it.
  run: ['run', 'done', 'performed', 'perform', 'carried out', 'carry out'],
  returned: ['returned', 'came back', 'come back', 'sent back', 'send back', 'bounced back', 'bounced', 'kicked back'],
  child: ['child', 'children', 'kids', 'kid', 'paediatric', 'paediatrics', 'paeds', 'pediatric', 'childrens'],
});

/** Words that carry no meaning for retrieval. Negations stay out: "not booked" is the point. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'about',
  'am',
  'an',
  'and',
  'any',
  'are',
  'as',
  'at',
  'be',
  'been',
  'but',
  'by',
  'can',
  'could',
  'do',
  'does',
  'for',
  'from',
  'get',
  'got',
  'has',
  'have',
  'hello',
  'hey',
  'hi',
  'i',
  'if',
  'im',
  'in',
  'into',
  'is',
  'it',
  'its',
  'ive',
  'just',
  'me',
  'my',
  'need',
  'of',
  'on',
  'or',
  'our',
  'please',
  'pls',
  'plz',
  'should',
  'so',
  'some',
  'that',
  'the',
  'their',
  'them',
  'there',
  'they',
  'this',
  'to',
  'u',
  'us',
  'was',
  'we',
  'were',
  'whats',
  'which',
  'will',
  'with',
  'would',
  'you',
  'your',
  '&',
]);

const HTML_ENTITIES: Readonly<Record<string, string>> = Object.freeze({
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rsquo: "'",
  lsquo: "'",
  ldquo: '"',
  rdquo: '"',
  ndash: '-',
  mdash: '-',
});

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return HTML_ENTITIES[lower] ?? whole;
  });
}

/**
 * Lower-cases and strips markup: Teams `<at>Bot</at>` mentions, HTML tags and entities, curly
 * quotes, apostrophes ("King's" → "kings") and punctuation. "&" survives so "A&G" stays one idea.
 */
export function cleanText(text: string): string {
  return decodeEntities(
    text
      .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, ''),
  )
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032`´]/g, "'")
    .replace(/(\w)'(\w)/g, '$1$2')
    .replace(/(\w)s'/g, '$1s')
    .replace(/[^a-z0-9&]+/g, ' ')
    .replace(/\s*&\s*/g, ' & ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface PhraseTable {
  /** First word → variants starting with it (as word arrays), longest first. */
  readonly byFirst: ReadonlyMap<string, ReadonlyArray<{ words: readonly string[]; canonical: string }>>;
}

function buildPhraseTable(synonyms: Readonly<Record<string, readonly string[]>>): PhraseTable {
  const byFirst = new Map<string, Array<{ words: readonly string[]; canonical: string }>>();
  for (const [canonical, variants] of Object.entries(synonyms)) {
    for (const variant of [canonical, ...variants]) {
      const words = cleanText(variant).split(' ').filter(Boolean);
      const first = words[0];
      if (first === undefined) continue;
      const list = byFirst.get(first) ?? [];
      list.push({ words, canonical });
      byFirst.set(first, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { byFirst };
}

const PHRASES = buildPhraseTable(SYNONYMS);

/** Canonical tokens, for callers that must not stem or drop them. */
export const CANONICAL_TERMS: ReadonlySet<string> = new Set(Object.keys(SYNONYMS));

/**
 * A light English stemmer: enough that "blocked"/"blocking"/"blocks" meet on "block" without
 * a dictionary. Short words and canonical terms are left alone.
 */
export function stem(word: string): string {
  if (word.length <= 4 || CANONICAL_TERMS.has(word) || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 5) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 6) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 5) return undouble(word.slice(0, -2));
  if (word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

function undouble(word: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(word) && !word.endsWith('ll') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Replaces known variants with their canonical token, longest phrase first. */
export function expandSynonyms(words: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    const candidates = PHRASES.byFirst.get(word);
    let matched = false;
    if (candidates) {
      for (const { words: phrase, canonical } of candidates) {
        if (i + phrase.length > words.length) continue;
        let ok = true;
        for (let k = 1; k < phrase.length; k++) {
          if (words[i + k] !== phrase[k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          out.push(canonical);
          i += phrase.length;
          matched = true;
          break;
        }
      }
    }
    if (!matched) {
      out.push(word);
      i += 1;
    }
  }
  return out;
}

/**
 * The retrieval tokens of a text: cleaned, synonyms made canonical, stop words dropped, stemmed,
 * duplicates removed (order kept).
 *
 * @example tokens("<at>e-RS Helper</at> Smart card blocked at King's!") → ['smartcard', 'block', 'kch']
 */
export function tokens(text: string): string[] {
  const words = cleanText(text).split(' ').filter(Boolean);
  // A question ending in "for" ("what is advice and guidance for") asks for the purpose.
  if (words.length > 2 && words.at(-1) === 'for') words.push('purpose');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const word of expandSynonyms(words)) {
    if (STOP_WORDS.has(word)) continue;
    const stemmed = stem(word);
    if (seen.has(stemmed)) continue;
    seen.add(stemmed);
    out.push(stemmed);
  }
  return out;
}

/** The normalised query string: the tokens joined by single spaces. */
export function normaliseQuery(text: string): string {
  return tokens(text).join(' ');
}
