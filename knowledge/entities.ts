import type { KnowledgeBase } from './load.js';
import { foldForSearch, WordPhrases } from './normalise.js';
import type { BoroughId, Priority, SiteId, TrustId } from './schema.js';

export interface Entities {
  sites: SiteId[];
  trusts: TrustId[];
  boroughs: BoroughId[];
  priority?: Priority;
}

/*
 * How ambiguous place names are read (the rules the tests pin down):
 *
 * 1. Longest alias wins: "lewisham and greenwich" is the trust LGT, "lewisham hospital" is the UHL
 *    site, "princess royal" the PRUH; none of these also yields a borough.
 * 2. A bare borough name that is also where a hospital is ("lewisham" → UHL, "bromley" → PRUH,
 *    "greenwich" → QEH) is read by the nearest context word within three words, else by any
 *    context word in the message:
 *      - hospital words (hospital, trust, site, provider, consultant, clinic, department) → the site;
 *      - practice words (practice, surgery, borough, GP, PCN, smartcard, RA, locum, ICB) → the borough.
 * 3. With no context at all, "lewisham" gives BOTH the borough and UHL (staff say "Lewisham" for
 *    the hospital as often as the place; the caller's purpose decides: RA contacts go by borough,
 *    provider contacts by site). "bromley" and "greenwich" give only the borough: staff name
 *    those hospitals "PRUH" and "QEH"/"Queen Elizabeth".
 * 4. A trust-level name ("king's", "kch", "lgt") gives the trust and all its sites, unless a site
 *    of that trust is also named ("king's PRUH" → only kch-pruh).
 */

const BOROUGHS: readonly BoroughId[] = ['bexley', 'bromley', 'greenwich', 'lambeth', 'lewisham', 'southwark'];

/** The hospital site inside each borough whose bare name staff also use for the hospital. */
const BOROUGH_HOSPITAL: Readonly<Partial<Record<BoroughId, SiteId>>> = Object.freeze({
  lewisham: 'lgt-uhl',
  bromley: 'kch-pruh',
  greenwich: 'lgt-qeh',
});

/** Boroughs whose bare name, without context, is read as the hospital as well (rule 3). */
const AMBIGUOUS_WITHOUT_CONTEXT: ReadonlySet<BoroughId> = new Set<BoroughId>(['lewisham']);

const HOSPITAL_WORDS: ReadonlySet<string> = new Set([
  'hospital',
  'hospitals',
  'hosp',
  'trust',
  'site',
  'provider',
  'consultant',
  'clinic',
  'dept',
  'department',
  'specialty',
  'ward',
  'opd',
  'outpatients',
]);
const PRACTICE_WORDS: ReadonlySet<string> = new Set([
  'practice',
  'practices',
  'surgery',
  'borough',
  'gp',
  'gps',
  'pcn',
  'smartcard',
  'smartcards',
  'smart',
  'ra',
  'registration',
  'locum',
  'locums',
  'icb',
  'sponsor',
  'helpdesk',
  'rop',
  'dxs',
  'branch',
  'surgeries',
  'we',
  'our',
]);

/** Priority phrases in cleaned form; 2WW phrases are removed before "urgent" is looked for. */
const TWO_WEEK_WAIT =
  /\b(?:2 ?wws?|tww|two ?weeks? wait|2 ?weeks? wait|usc|urgent suspected cancer|suspected cancer|cancer|fast track)\b/;
const ROUTINE = /\b(?:routines?|non urgent|nonurgent|not urgent)\b/;
const URGENT = /\burgent(?:ly|s)?\b/;

interface AliasTable {
  /** First word → aliases starting with it (word arrays), longest first. */
  readonly byFirst: ReadonlyMap<string, ReadonlyArray<{ words: readonly string[]; sites: readonly SiteId[] }>>;
  readonly trustOfSite: ReadonlyMap<SiteId, TrustId>;
  readonly sitesOfTrust: ReadonlyMap<TrustId, readonly SiteId[]>;
  /** Areas inside a borough, as whole words (` area `): built once, not per message. */
  readonly areas: ReadonlyArray<{ area: string; padded: string; borough: BoroughId }>;
  /** The areas' padded forms, found by first word. */
  readonly areaPhrases: WordPhrases;
}

const tables = new WeakMap<KnowledgeBase, AliasTable>();

function aliasTable(kb: KnowledgeBase): AliasTable {
  const cached = tables.get(kb);
  if (cached) return cached;
  const sitesByAlias = new Map<string, SiteId[]>();
  const trustOfSite = new Map<SiteId, TrustId>();
  const sitesOfTrust = new Map<TrustId, SiteId[]>();
  for (const org of kb.organisations) {
    trustOfSite.set(org.id, org.trust);
    sitesOfTrust.set(org.trust, [...(sitesOfTrust.get(org.trust) ?? []), org.id]);
    for (const alias of org.aliases) {
      const key = foldForSearch(alias);
      if (key === '') continue;
      const sites = sitesByAlias.get(key) ?? [];
      if (!sites.includes(org.id)) sites.push(org.id);
      sitesByAlias.set(key, sites);
    }
  }
  const byFirst = new Map<string, Array<{ words: readonly string[]; sites: readonly SiteId[] }>>();
  for (const [alias, sites] of sitesByAlias) {
    const words = alias.split(' ');
    const first = words[0] as string;
    byFirst.set(first, [...(byFirst.get(first) ?? []), { words, sites }]);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  const areas = Object.entries(kb.scope.areas).map(([area, borough]) => ({ area, padded: ` ${area} `, borough }));
  const areaPhrases = new WordPhrases(areas.map(({ padded }) => padded));
  const table: AliasTable = { byFirst, trustOfSite, sitesOfTrust, areas, areaPhrases };
  tables.set(kb, table);
  return table;
}

function isBorough(word: string): word is BoroughId {
  return (BOROUGHS as readonly string[]).includes(word);
}

/** 'hospital' | 'practice' | undefined: the context nearest position `at`, else anywhere. */
function contextAt(words: readonly string[], at: number, span: number): 'hospital' | 'practice' | undefined {
  for (let distance = 1; distance <= 3; distance++) {
    for (const i of [at + span - 1 + distance, at - distance]) {
      const word = words[i];
      if (word === undefined) continue;
      if (HOSPITAL_WORDS.has(word)) return 'hospital';
      if (PRACTICE_WORDS.has(word)) return 'practice';
    }
  }
  let hospital = false;
  let practice = false;
  for (const word of words) {
    if (HOSPITAL_WORDS.has(word)) hospital = true;
    if (PRACTICE_WORDS.has(word)) practice = true;
  }
  if (hospital && !practice) return 'hospital';
  if (practice && !hospital) return 'practice';
  return undefined;
}

/** The priority a message mentions, 2WW first ("urgent suspected cancer" is not "urgent"). */
/**
 * "urgent, not cancer", "non-2ww": a priority named only to say it is not that one. "No 2WW slots"
 * names the priority: it is the slots there are none of.
 */
const NOT_2WW =
  /\b(?:not|non|isn t|isnt|no|nothing)\s+(?:a\s+|an\s+)?(?:cancer|2 ?wws?|suspected cancer|usc|fast track)\b(?!\s+(?:slots?|appointments?|appts?|clinics?|availability|capacity|services?|dates?)\b)/g;

export function extractPriority(text: string): Priority | undefined {
  return priorityOfFolded(foldForSearch(text));
}

function priorityOfFolded(folded: string): Priority | undefined {
  const cleaned = folded.replace(NOT_2WW, ' ');
  if (TWO_WEEK_WAIT.test(cleaned)) return '2ww';
  const withoutRoutine = cleaned.replace(/\b(?:non|not) urgent\b/g, ' ');
  if (URGENT.test(withoutRoutine)) return 'urgent';
  if (ROUTINE.test(cleaned)) return 'routine';
  return undefined;
}

function negatedPlace(joined: string, place: string): boolean {
  return new RegExp(`\\b(?:not|rather than|instead of) ${place} `).test(joined);
}

/**
 * "It went as a 2WW, not routine", "urgent rather than routine": a priority named only as the one
 * corrected away, when another is named.
 */
const CORRECTED_AWAY = /\b(?:not|rather than|instead of)\s+(?:as\s+)?(?:a\s+|an\s+)?(?:routine|urgent)\b/g;
/** TWO_WEEK_WAIT for replacing every mention (built once, not per call). */
const TWO_WEEK_WAIT_ALL = new RegExp(TWO_WEEK_WAIT.source, 'g');

/** Every priority a line names: "2WW and urgent referrals: 24 hours" is about both. */
export function extractPriorities(text: string): Priority[] {
  const cleaned = foldForSearch(text).replace(NOT_2WW, ' ');
  const found = prioritiesIn(cleaned);
  if (found.length < 2) return found;
  const corrected = prioritiesIn(cleaned.replace(CORRECTED_AWAY, ' '));
  return corrected.length > 0 ? corrected : found;
}

function prioritiesIn(cleaned: string): Priority[] {
  const found: Priority[] = [];
  if (TWO_WEEK_WAIT.test(cleaned)) found.push('2ww');
  const rest = cleaned.replace(TWO_WEEK_WAIT_ALL, ' ').replace(/\b(?:non|not) urgent\b/g, ' routine ');
  if (URGENT.test(rest)) found.push('urgent');
  if (ROUTINE.test(rest)) found.push('routine');
  return found;
}

/**
 * Sites, trusts, boroughs and priority named in a message, in the order first mentioned.
 *
 * @example extractEntities('2ww email for kings PRUH?', kb) → { sites: ['kch-pruh'], trusts: ['kch'], boroughs: [], priority: '2ww' }
 */
export function extractEntities(text: string, kb: KnowledgeBase): Entities {
  return entitiesOfFolded(foldForSearch(text), kb);
}

/**
 * {@link extractEntities} of a message already folded by {@link foldForSearch} (search folds it
 * once), optionally with its words already split (`folded.split(' ').filter(Boolean)`).
 */
export function entitiesOfFolded(
  folded: string,
  kb: KnowledgeBase,
  words: readonly string[] = folded.split(' ').filter(Boolean),
): Entities {
  const table = aliasTable(kb);
  const namedSites: SiteId[] = [];
  const trustMentions: TrustId[] = [];
  const boroughs: BoroughId[] = [];
  const add = <T>(list: T[], value: T): void => {
    if (!list.includes(value)) list.push(value);
  };

  // "the PRUH, not Denmark Hill": a place said to be wrong is not one the message is about.
  const negated = (at: number): boolean =>
    words[at - 1] === 'not' ||
    (words[at - 2] === 'rather' && words[at - 1] === 'than') ||
    (words[at - 2] === 'instead' && words[at - 1] === 'of');
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    let consumed = 0;
    for (const { words: alias, sites } of table.byFirst.get(word) ?? []) {
      if (alias.every((w, k) => words[i + k] === w)) {
        if (negated(i)) {
          consumed = alias.length;
          break;
        }
        const trusts = new Set(sites.map((site) => table.trustOfSite.get(site)));
        const trust = table.trustOfSite.get(sites[0] as SiteId);
        if (sites.length > 1 && trusts.size === 1 && trust !== undefined) add(trustMentions, trust);
        else for (const site of sites) add(namedSites, site);
        consumed = alias.length;
        break;
      }
    }
    if (consumed === 0 && isBorough(word) && negated(i)) consumed = 1;
    else if (consumed === 0 && isBorough(word)) {
      const hospital = BOROUGH_HOSPITAL[word];
      const context = contextAt(words, i, 1);
      if (hospital !== undefined && context === 'hospital') add(namedSites, hospital);
      else if (hospital !== undefined && context === undefined && AMBIGUOUS_WITHOUT_CONTEXT.has(word)) {
        add(namedSites, hospital);
        add(boroughs, word);
      } else add(boroughs, word);
      consumed = 1;
    }
    i += consumed === 0 ? 1 : consumed;
  }

  // "A practice in Orpington": an area inside a borough names that borough too (a hospital's area
  // also names the hospital, through its aliases above).
  const joined = ` ${words.join(' ')} `;
  for (const at of table.areaPhrases.found(joined, words)) {
    const { area, borough } = table.areas[at] as AliasTable['areas'][number];
    if (!negatedPlace(joined, area)) add(boroughs, borough);
  }

  const sites: SiteId[] = [];
  const trusts: TrustId[] = [];
  for (const site of namedSites) {
    add(sites, site);
    const trust = table.trustOfSite.get(site);
    if (trust !== undefined) add(trusts, trust);
  }
  for (const trust of trustMentions) {
    add(trusts, trust);
    const own = table.sitesOfTrust.get(trust) ?? [];
    if (!own.some((site) => namedSites.includes(site))) for (const site of own) add(sites, site);
  }
  const priority = priorityOfFolded(folded);
  return priority === undefined ? { sites, trusts, boroughs } : { sites, trusts, boroughs, priority };
}
