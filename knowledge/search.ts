import Fuse, { type IFuseOptions } from 'fuse.js';
import { createContactFinder } from './contact-finder.js';
import { type Entities, entitiesOfFolded } from './entities.js';
import type { KnowledgeBase } from './load.js';
import { foldForSearch, type Normaliser, WordPhrases } from './normalise.js';
import type { ContactRoute, Entry } from './schema.js';

export type Confidence = 'confident' | 'close' | 'none';
export type OutOfScopeKind = 'clinical' | 'emergency' | 'small-talk' | 'outside-area';

export interface ScoredEntry {
  entry: Entry;
  /** 0 is a perfect match, 1 no match (fuse.js convention). */
  score: number;
}

export interface SearchResult {
  /** The query as the engine saw it (normalised tokens). */
  query: string;
  entities: Entities;
  results: ScoredEntry[];
  confidence: Confidence;
  /** Set when the message is not about e-RS processes at all: answer with the scope, not a guess. */
  outOfScope?: OutOfScopeKind;
  /** Whether the message has any word the pack uses (after typo correction): false for off-topic chat. */
  onTopic?: boolean;
  /**
   * The pack's own words the message matched (normalised, typos resolved). Safe to keep: a name,
   * a phone number or an address the pack does not contain cannot be among them.
   */
  packWords?: string[];
  /** Query words (normalised) that match nothing in the pack, not even as a typo. Never stored. */
  unknownWords?: string[];
}

export interface SearchOptions {
  limit?: number;
}

export interface KnowledgeSearch {
  search(query: string, options?: SearchOptions): SearchResult;
  /** Contacts named by the words staff use for them (knowledge/contact-finder.ts). */
  findContacts(query: string, entities: Entities, minWords?: number): ContactRoute[];
}

/** The document fuse.js indexes: each field already normalised the same way as queries. */
interface IndexedDoc {
  readonly title: string;
  readonly questions: readonly string[];
  readonly keywords: readonly string[];
  readonly answer: string;
  readonly section: string;
}

/** Field weights: how much a query word found in that field counts (questions and title highest). */
export const FIELD_WEIGHTS = Object.freeze({ questions: 3, title: 3, keywords: 2, section: 0.5, answer: 0.5 });

/**
 * fuse.js options for the reference engine (`engine: 'fuse'`), in one place. Token search scores
 * each query word on its own (bitap, so typos still match), weights it by inverse document
 * frequency and combines fields by weight. It ranks about as well as the index engine but takes
 * ~8 ms a query over ~100 entries on this 2-core machine (bitap per word per field), so the bot
 * uses the index engine; `kb:eval --compare-fuse` keeps the two honest. Its scores are on a
 * different scale: CONFIDENCE_THRESHOLDS are tuned for the index engine only.
 */
export const FUSE_OPTIONS: Readonly<IFuseOptions<IndexedDoc>> = Object.freeze({
  keys: Object.entries(FIELD_WEIGHTS).map(([name, weight]) => ({ name, weight })),
  useTokenSearch: true,
  tokenize: (text: string) => text.split(' ').filter(Boolean),
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.3,
  fieldNormWeight: 0.5,
  shouldSort: true,
});

/**
 * Confidence thresholds on the best score (0 best), from `npm run kb:eval` on 216 labelled
 * questions: at ≤ 0.35 with a 0.05 lead over the runner-up the top answer was right every time
 * (167 of 167; the wrong answers scored 0.27–0.64 with leads under 0.05 or above 0.35); between that and 0.5 right answers still dominate but neighbours are close, so the bot
 * should offer the top few. Above 0.5 (or with no e-RS word at all) it should say it doesn't know.
 */
export const CONFIDENCE_THRESHOLDS = Object.freeze({
  confident: 0.35,
  confidentMargin: 0.05,
  /** A looser score still answers outright when nothing else comes near it. */
  clearLead: 0.45,
  clearLeadMargin: 0.1,
  close: 0.5,
});

const DEFAULT_LIMIT = 5;

/*
 * Out-of-scope detection. The bot covers e-RS processes only; it must not guess at clinical
 * questions or chat. A message is out of scope when it matches one of these patterns and carries
 * no e-RS process word (so "is this rash cancer, should I refer 2WW?" stays in scope).
 */
const CLINICAL_PATTERNS: readonly RegExp[] = [
  /\b(?:dose|doses|dosage|dosing|mg|mcg|ml|tablets?|capsules?|prescri\w*|medication|medicines?|meds|drugs?|antibiotics?|abx|side effects?|contraindicat\w*|interactions?)\b/,
  /\b\w+(?:cillin|mycin|cycline|floxacin|pril|sartan|olol|statin|prazole|azole|dipine|formin|gliptin|xaban|parin|sone|lone)\b/,
  /\b(?:is|could|might) (?:this|it|that) (?:be )?(?:a )?\w*\s?(?:cancer|malignant|serious|infected|infection|benign)\b/,
  /\b(?:rash|lump|mole|lesion|cough|fever|temperature|headache|chest pain|symptoms?|diagnos\w*|differential|treat|treatment(?! plan)|manage(?:ment)? of|blood pressure|bp|hba1c|cholesterol|pregnan\w*)\b/,
];
/**
 * A clinical decision dressed as a referral question ("should I refer chest pain as 2ww?", "does a
 * breast lump count as urgent?"): which priority a presentation warrants is the clinician's call and
 * national criteria, not the pack's. Needs a symptom or condition word, so "should I refer as 2WW if
 * the patient is on holiday?" stays an e-RS question.
 */
const PRIORITY_WORDS = '(?:2 ?ww|two week wait|2 week wait|urgent|routine|fast track|suspected cancer|usc)';
const CLINICAL_DECISION: readonly RegExp[] = [
  new RegExp(
    `\\b(?:should|shall|do|can|could|would|must) (?:i|we|the gp|they|you) (?:refer|send|do|make)\\b.{0,60}\\b(?:as|under|via|on|through) (?:an? |the )?${PRIORITY_WORDS}\\b`,
  ),
  new RegExp(`\\b(?:count|qualify|classed|class) (?:as|for) (?:an? |the )?${PRIORITY_WORDS}\\b`),
  new RegExp(
    `\\b(?:enough|sufficient|ok|okay|appropriate|suitable) (?:for|to be|as) (?:an? |the )?${PRIORITY_WORDS}\\b`,
  ),
  // "is it worth referring ... or managing in primary care?"
  /\b(?:is it worth referring|worth (?:a )?referr\w*|refer or (?:manage|treat|watch|wait)|(?:manage|managing|treat|treating) (?:it |her |him |them )?in primary care or (?:refer|referring))\b/,
  new RegExp(`\\b(?:meet|meets|fit|fits|warrant|warrants|justify|justifies) (?:the )?(?:an? )?${PRIORITY_WORDS}\\b`),
  new RegExp(`\\b${PRIORITY_WORDS} or (?:an? )?${PRIORITY_WORDS}\\b.{0,40}\\b(?:for|with)\\b`),
  // "PSA of 5.2 in a 68 year old - is that a 2ww or routine?"
  new RegExp(`\\b(?:is|would) (?:that|this|it|she|he) (?:an? )?${PRIORITY_WORDS} or (?:an? )?${PRIORITY_WORDS}\\b`),
  // "does a 3 week cough in a smoker need a chest xray before referral?": which tests a presentation needs.
  /\b(?:need|needs|require|requires|should (?:i|we|the gp) (?:do|get|arrange|request|order))\b.{0,30}\b(?:x ?rays?|xrays?|scans?|bloods?|blood tests?|ultrasound|ct|mri|ecg|investigations?|tests?)\b.{0,25}\b(?:before|prior to)\b.{0,15}\b(?:referral|referring|refer|ref)\b/,
  // "is a breast lump in a 25 year old a 2ww referral?": whether a presentation is that priority.
  new RegExp(`^(?:is|does|would) (?:an? |this |that )?.{3,60}\\b(?:an? )${PRIORITY_WORDS}(?: referral| ref)?\\s*$`),
  /\b(?:2 ?ww|suspected cancer|fast track) criteria\b/,
];
const SYMPTOMS =
  /\b(?:rash|lump|mole|lesion|cough|fever|headache|chest pain|pain|bleed\w*|blood|symptoms?|weight loss|anaemi\w*|dysphagia|haematuria|breathless\w*|swelling|mass|ulcer|jaundice|hoarse\w*|polyp\w*|nodule|diagnos\w*|presentation|presenting|scan result|psa|fit test|fit result|diarrh\w*|constipat\w*|bowel habit|vomit\w*|dizz\w*|palpitations?|fatigue|tired\w*|night sweats|dyspepsia|reflux|migraines?|\d+ ?(?:yo|year old|yr old|y o))\b/;

/** "what abx shd we give while she waits for the referral?": a treatment question, whatever e-RS words it has. */
const TREATMENT_QUESTION =
  /\b(?:what|which) (?:abx|antibiotics?|meds|medication|medicines?|drugs?|treatment|dose|dosage)\b.{0,30}\b(?:give|prescribe|start|use|try|offer)\b|\b(?:should|shd|can|do) (?:we|i) (?:prescribe|give (?:her|him|them) (?:abx|antibiotics?|meds|medication|something))\b/;

const SMALL_TALK_PATTERNS: readonly RegExp[] = [
  /^(?:hi|hiya|hello|hey|yo|good (?:morning|afternoon|evening)|morning|afternoon)(?: there| all| team| bot)?$/,
  /^(?:thanks?|thank you|thank u|ta|cheers|thx|ty|many thanks|ok|okay|ok thanks|great|cool|brilliant|perfect|bye|goodbye|see you)(?: (?:so much|very much|a lot|again|bot|mate))?$/,
  /\b(?:joke|jokes|funny|pizza|restaurant|lunch|dinner|coffee|weather|football|cricket|film|movie|music|song|recipe|love you|how are you|who are you|your name|meaning of life|are you (?:a )?(?:bot|human|real))\b/,
  // The office and the job, said with no e-RS word at all (pay and HR are WORK_MATTERS, decided earlier).
  /\b(?:holiday (?:entitlement|allowance|request)|maternity|paternity|rota|expenses|mileage|car park(?:ing)?|parking|printer|toner|photocopier|wi ?fi|broadband|appraisals?|revalidation|cqc|qof|indemnity|nhs jobs|job (?:application|interview)|contract of employment)\b/,
];

/** Pay, pensions and HR: never e-RS, whoever they are about. */
const WORK_MATTERS =
  /\b(?:new (?:laptop|computer|pc|monitor|keyboard|mouse|headset|desk phone|printer)s?|docman|accurx|systmone|system one|ardens|lexacom|igpr|eclipse|medicus|patchs|klinik|pharmoutcomes|e ?consult|babblevoice|x on|surgery connect|lloyd george|ice (?:requests?|pathology|results?)|nhs ?mail|pensions?|payroll|payslips?|pay slips?|salary|wages?|overtime|annual leave|sick (?:leave|pay)|maternity leave|paternity leave|timesheets?|expenses claims?|mileage claims?|p60|p45|tax code|human resources)\b/;
/** A patient who needs care now: A&G and referrals are not for that (the pack: "A&G is not for emergency patient care"). */
const EMERGENCY =
  /\b(?:crushing chest pain|chest pain (?:now|right now|in the waiting room)|collapsed|unconscious|not breathing|anaphyla\w*|suspected stroke|having a stroke|heart attack|call(?:ed|ing)? (?:999|an ambulance)|acutely unwell|really unwell right now|needs? (?:to be )?seen (?:today|right now|now|urgently today))\b/;
/** Private care: "go private", "a private referral", insurers. */
const PRIVATE_CARE =
  /\b(?:go(?:ing)? private|privately|private (?:hospital|referral|ref|provider|clinic|patient|consultant|appointment)|self ?pay|self ?funded|bupa|axa|vitality|aviva|health insurance|medical insurance)\b/;
/** Words that name e-RS itself (a pension question that names e-RS is asked about e-RS). */
const CORE_TERMS: ReadonlySet<string> = new Set([
  'ers',
  'referral',
  'refer',
  'referr',
  'referring',
  'ubrn',
  'worklist',
]);

/** Words that mean the message is about e-RS processes, after normalisation. */
const PROCESS_TERMS: ReadonlySet<string> = new Set([
  'ers',
  'referral',
  'refer',
  'referr',
  'referring',
  'appointment',
  'book',
  'booking',
  'worklist',
  'ubrn',
  'smartcard',
  'registrationauthority',
  'pds',
  'dos',
  'slotissue',
  'myr',
  'tal',
  'pas',
  'dbs',
  'ras',
  'cas',
  'emis',
  'password',
  'adviceguidance',
  'downtime',
  'letter',
  'attach',
  'defer',
  'deferral',
  'triage',
  'provider',
  'clinic',
  'shortlist',
  'nhsnumber',
  'email',
  'kch',
  'pruh',
  'gstt',
  'lgt',
  'qeh',
  'uhl',
  'dvh',
  'locum',
  'dna',
  'reject',
  'cancel',
]);

const PRIORITY_TERMS: ReadonlySet<string> = new Set(['2ww', 'urgent', 'routine']);

/**
 * Whether a message is outside what the bot covers: 'clinical' (doses, symptoms, "is this
 * cancer") or 'small-talk' (greetings, thanks, jokes, lunch). Undefined when it may be about e-RS.
 */
export function classifyOutOfScope(query: string, normaliser: Normaliser): OutOfScopeKind | undefined {
  const folded = foldForSearch(query);
  return outOfScopeOf(folded, normaliser.tokensOfFolded(folded));
}

/** {@link classifyOutOfScope} of a message already folded and tokenised (search has both). */
function outOfScopeOf(cleaned: string, queryTokens: readonly string[]): OutOfScopeKind | undefined {
  if (cleaned === '') return 'small-talk';
  // "crushing chest pain in the waiting room, can I send an urgent A&G?": not for e-RS at all.
  if (EMERGENCY.test(cleaned)) return 'emergency';
  // SYMPTOMS first: one pattern, and most messages name no symptom (both are plain tests, so the order changes nothing else).
  if (SYMPTOMS.test(cleaned) && CLINICAL_DECISION.some((pattern) => pattern.test(cleaned))) return 'clinical';
  if (TREATMENT_QUESTION.test(cleaned)) return 'clinical';
  // "a locum's payroll and pension forms": pay and HR, whoever it is about, unless e-RS itself is named.
  if (WORK_MATTERS.test(cleaned) && !queryTokens.some((token) => CORE_TERMS.has(token))) return 'small-talk';
  // "wants to go private at the Blackheath": private care is not the NHS e-Referral Service's.
  if (PRIVATE_CARE.test(cleaned)) return 'small-talk';
  if (queryTokens.some((token) => PROCESS_TERMS.has(token))) return undefined;
  if (CLINICAL_PATTERNS.some((pattern) => pattern.test(cleaned))) return 'clinical';
  // "Cancer" or "urgent" alone don't make "is this rash cancer" an e-RS question, but they do
  // make "2ww tips, patient going away for a month" one.
  if (queryTokens.some((token) => PRIORITY_TERMS.has(token))) return undefined;
  if (SMALL_TALK_PATTERNS.some((pattern) => pattern.test(cleaned))) return 'small-talk';
  return undefined;
}

export function isOutOfScope(query: string, normaliser: Normaliser): boolean {
  return classifyOutOfScope(query, normaliser) !== undefined;
}

/**
 * 'outside-area' when the message names a place or trust outside South East London and none inside
 * it ("practices in Hertfordshire", "Kingston Hospital's rheumatology team"): the pack has no
 * contacts there, and offering South East London's would be wrong.
 */
const ASKS_ABOUT_PLACE =
  /\b(?:who|where|chase|contact|contacts|email|address|phone|number|cover|covers|covered|do you|you cover|helpdesk|help desk|team|mailbox|training|support|smartcards?|ra|their|there|them|what about|refer|referring|send|sending)\b/;
/** How a practice says where it is: "our practice is in Dartford", "we're based in Swanley". */
const PRACTICE_IN = [
  'practice in',
  'practice is in',
  'surgery in',
  'surgery is in',
  'we re in',
  'we are in',
  'based in',
  'practices in',
];
/** "He moved from a practice in Croydon": the place is the patient's past, not what is asked about. */
const PLACE_IN_THE_PAST =
  /\b(?:(?:moved|moving|transferred|came|comes) (?:here |over |down |up )?from|used to be|previously|previous|old practice|registered|(?:up|down|over|visiting) from|temp(?:orary)? resident|visiting)\b/;

/** The places outside the area as whole words (` place `), built once per search, not per message. */
interface OutsidePlaces {
  padded: WordPhrases;
  inHospital: readonly string[];
  /** "practice in dartford", "we re based in gravesend": a practice in a town whose practices are not ours. */
  practiceIn: WordPhrases;
}

function outsidePlaces(kb: KnowledgeBase): OutsidePlaces {
  const places = kb.scope.outsideAreaPlaces;
  return {
    padded: new WordPhrases(places.map((place) => ` ${place} `)),
    inHospital: places.flatMap((place) => [` hospital in ${place} `, ` hospital at ${place} `]),
    practiceIn: new WordPhrases(
      kb.scope.outsidePracticeAreas.flatMap((place) => PRACTICE_IN.map((lead) => ` ${lead} ${place} `)),
    ),
  };
}

function outsideArea(
  folded: string,
  wordList: readonly string[],
  entities: Entities,
  places: OutsidePlaces,
): OutOfScopeKind | undefined {
  const words = ` ${folded} `;
  // "the Queen Elizabeth Hospital in King's Lynn": a name South East London also uses, placed elsewhere.
  const placedElsewhere =
    (words.includes(' hospital in ') || words.includes(' hospital at ')) &&
    places.inHospital.some((phrase) => words.includes(phrase));
  if (placedElsewhere && ASKS_ABOUT_PLACE.test(words)) return 'outside-area';
  // "our practice is in Dartford": its practices are Kent's, though Darent Valley Hospital is ours.
  if (places.practiceIn.some(words, wordList)) return 'outside-area';
  if (entities.sites.length > 0 || entities.trusts.length > 0 || entities.boroughs.length > 0) return undefined;
  // "He moved from a practice in Croydon" is about the patient, not a question about Croydon.
  if (!ASKS_ABOUT_PLACE.test(words) || PLACE_IN_THE_PAST.test(words)) return undefined;
  return places.padded.some(words, wordList) ? 'outside-area' : undefined;
}

const NAMES_A_LIST = /^(?:work)?lists?\b/;

/** Whether `text` (padded with spaces) says a status's name; "on the assessment results list" names the worklist, not the status. */
function saysStatus(name: string, text: string): boolean {
  const at = text.indexOf(` ${name} `);
  return at >= 0 && !NAMES_A_LIST.test(text.slice(at + name.length + 2));
}

/** Whether any query token is a word the knowledge base or the e-RS vocabulary knows. */
function hasSignal(queryTokens: readonly string[], vocabulary: ReadonlySet<string>): boolean {
  return queryTokens.some((token) => PROCESS_TERMS.has(token) || PRIORITY_TERMS.has(token) || vocabulary.has(token));
}

function toDoc(entry: Entry, normaliser: Normaliser): IndexedDoc {
  const norm = (text: string) => normaliser.tokens(text).join(' ');
  return {
    title: norm(entry.title),
    questions: entry.questions.map(norm),
    keywords: entry.keywords.map(norm),
    answer: norm(`${entry.answer} ${entry.steps.join(' ')}`),
    section: norm(entry.section),
  };
}

const REPEAT_BONUS = 0.3;
/** Terms in at least this many units (titles and questions) keep their units as a bitset too. */
const WIDESPREAD_UNITS = 64;
const MAX_TERM_WEIGHT = 3.5;
/** Share of the score from covering the query (recall) versus matching one question closely. */
const RECALL_SHARE = 0.6;
/** A query word nothing in the index resembles still counts against every entry, but lightly. */
const UNKNOWN_WORD_IDF_SHARE = 0.5;
const TERM_CACHE_LIMIT = 10_000;
/** How far the provider guidance steps back for a question with none of its words. */
const SOURCE_STEP = 0.1;
/** Extra candidates ranked, so an entry stepped past can be replaced. */
const SOURCE_POOL = 10;
/** How much naming a worklist status lowers the score of that status's entry. */
const STATUS_BONUS = 0.05;
/** How far the other statuses step back when one is named (0.05 was too little; 0.15 after the content round). */
const UNNAMED_STATUS_STEP = 0.15;
/**
 * Shorter words are not read as misspellings: one edit from a four-letter word reaches too many
 * others ("PALS" would be "PAS", "pass", "TAL" and "pan"). They still match as prefixes.
 */
const MIN_TYPO_LENGTH = 5;

export interface CreateSearchOptions {
  /**
   * 'index' (default): inverted index over the same normalised fields, per-word scores combined
   * by IDF, typo tolerance by bounded edit distance; well under 1 ms per query.
   * 'fuse': fuse.js token search over the same documents; kept as the reference the index engine
   * is compared with in `kb:eval` (about 8 ms per query here, too slow for the bot).
   */
  engine?: 'index' | 'fuse';
  fuse?: Partial<IFuseOptions<IndexedDoc>>;
}

/** Build once per knowledge base; `search` is then pure apart from a bounded word cache. */
export function createSearch(kb: KnowledgeBase, options: CreateSearchOptions = {}): KnowledgeSearch {
  const docs = kb.entries.map((entry) => toDoc(entry, kb.normaliser));
  // Words of titles, questions and keywords (not answers: too many incidental words) that carry
  // e-RS meaning, for deciding whether an unmatched question was about e-RS at all.
  const signalWords = new Set<string>();
  for (const doc of docs) {
    for (const text of [doc.title, ...doc.questions, ...doc.keywords]) {
      for (const token of text.split(' ')) if (token.length > 3) signalWords.add(token);
    }
  }
  // Words the bulk service update entries use and at most one pack entry does ("pas", "asid", "bulk").
  const docsOf = (source: string) =>
    docs
      .filter((_, i) => kb.entries[i]?.source === source)
      .map((doc) => new Set([doc.title, ...doc.questions, ...doc.keywords].join(' ').split(' ')));
  // How many pack entries use each word, counted in one pass (a filter per word was quadratic).
  const packUses = new Map<string, number>();
  for (const words of docsOf('ers-pack')) for (const word of words) packUses.set(word, (packUses.get(word) ?? 0) + 1);
  const sourceWords = new Set<string>();
  for (const words of docsOf('bulk-service-update'))
    for (const word of words) if (word.length > 2 && (packUses.get(word) ?? 0) <= 1) sourceWords.add(word);
  // Entries that explain one worklist status, by the status's name as a query would say it.
  const statusNames = kb.entries.map((entry) => {
    const m = /^Status '([^']+)'/.exec(entry.title);
    return m ? { folded: foldForSearch(m[1] ?? ''), tokens: kb.normaliser.tokens(m[1] ?? '').join(' ') } : undefined;
  });
  const rank = options.engine === 'fuse' ? fuseRanker(docs, options.fuse) : indexRanker(docs);
  const outside = outsidePlaces(kb);
  const fromBulkUpdate = Uint8Array.from(kb.entries, (entry) => (entry.source === 'bulk-service-update' ? 1 : 0));
  // Scratch reused by every search (each runs to completion before the next starts).
  const best = new TopHits();
  let said = new Uint8Array(64);

  function search(query: string, searchOptions: SearchOptions = {}): SearchResult {
    const limit = searchOptions.limit ?? DEFAULT_LIMIT;
    // The message folded once: for its tokens, its places, the scope checks and a status named as typed.
    const folded = foldForSearch(query);
    const words = folded.split(' ').filter(Boolean);
    const queryTokens = kb.normaliser.tokensOfFolded(folded, words);
    const normalised = queryTokens.join(' ');
    const entities = entitiesOfFolded(folded, kb, words);
    const outOfScope = outOfScopeOf(folded, queryTokens) ?? outsideArea(folded, words, entities, outside);
    if (outOfScope !== undefined || normalised === '') {
      return { query: normalised, entities, results: [], confidence: 'none', ...(outOfScope ? { outOfScope } : {}) };
    }
    const ranked = rank(queryTokens, limit + SOURCE_POOL);
    const hits = ranked.hits;
    // The bulk service update guidance is for providers' PAS teams: a question with none of its own
    // words ("how do I book a patient into a clinic?") is a practice's, and its entries step back.
    const providerWords = queryTokens.some((t) => sourceWords.has(t));
    // A status the pack names ("it says Cancelled referral", "a DNA on the list") points at that
    // status's own entry (titled "Status '...'"); the folded and tokenised texts are made only then.
    let spaced: string | undefined;
    let padded: string | undefined;
    let anyNamed = false;
    if (said.length < hits.size) said = new Uint8Array(hits.size);
    for (let i = 0; i < hits.size; i++) {
      const status = statusNames[hits.indexAt(i)];
      let says = false;
      if (status !== undefined) {
        spaced ??= ` ${folded} `;
        padded ??= ` ${normalised} `;
        says = saysStatus(status.folded, spaced) || saysStatus(status.tokens, padded);
      }
      said[i] = says ? 1 : 0;
      anyNamed ||= says;
    }
    // Each hit's final score: the provider step first, then a status named outranks the statuses
    // not named ("it says did not attend" is not "Cancelled referral"); the best `limit` kept in order.
    best.reset(limit);
    for (let i = 0; i < hits.size; i++) {
      const index = hits.indexAt(i);
      let score = hits.scoreAt(i);
      if (!providerWords && fromBulkUpdate[index] === 1) score = Math.min(1, score + SOURCE_STEP);
      if (said[i] === 1) score = Math.max(0, score - STATUS_BONUS);
      else if (anyNamed && statusNames[index] !== undefined) score = Math.min(1, score + UNNAMED_STATUS_STEP);
      best.offer(index, score);
    }
    const results: ScoredEntry[] = [];
    for (let i = 0; i < best.size; i++) {
      const entry = kb.entries[best.indexAt(i)];
      if (entry !== undefined) results.push({ entry, score: best.scoreAt(i) });
    }
    const onTopic = hasSignal(queryTokens, signalWords) || hasSignal(ranked.matchedTerms, signalWords);
    // Most of the words unknown to the pack ("can I book annual leave"): one shared word is not a match.
    const mostlyUnknown = queryTokens.length >= 3 && ranked.knownTokens * 2 < queryTokens.length;
    const confidence = mostlyUnknown ? 'none' : confidenceOf(results, onTopic);
    return {
      query: normalised,
      entities,
      results,
      confidence,
      onTopic,
      // Each matched term is listed once (the ranker records a term when first matched).
      packWords: [...ranked.matchedTerms],
      unknownWords: ranked.unknownTokens,
    };
  }

  const contacts = createContactFinder(kb);
  return Object.freeze({ search, findContacts: contacts.find });
}

interface Ranked {
  /** The best hits, best first; read before the ranker runs again. */
  hits: TopHits;
  /** Index words the query matched, typos resolved ("smartcrd" → "smartcard"). */
  matchedTerms: readonly string[];
  /** How many query words matched anything in the index (exactly or as a typo). */
  knownTokens: number;
  /** The query words that matched nothing. */
  unknownTokens: string[];
}
type Ranker = (queryTokens: readonly string[], limit: number) => Ranked;

function fuseRanker(docs: readonly IndexedDoc[], overrides: Partial<IFuseOptions<IndexedDoc>> = {}): Ranker {
  const fuse = new Fuse(docs, { ...FUSE_OPTIONS, ...overrides });
  const top = new TopHits();
  return (queryTokens, limit) => {
    top.reset(limit);
    for (const hit of fuse.search(queryTokens.join(' '), { limit })) top.offer(hit.refIndex, hit.score ?? 1);
    return {
      hits: top,
      matchedTerms: [],
      knownTokens: queryTokens.length,
      unknownTokens: [],
    };
  };
}

function indexRanker(docs: readonly IndexedDoc[]): Ranker {
  // Terms are numbered so scoring touches typed arrays rather than string-keyed maps.
  const termIds = new Map<string, number>();
  const idOf = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size;
      termIds.set(term, id);
    }
    return id;
  };
  const postingMaps: Array<Map<number, number>> = [];
  // An entry's units (its title, then each question) as term ids in text order, all entries' in one list.
  const unitTerms: number[] = [];
  const unitStarts: number[] = [0];
  const unitEntries: number[] = [];
  docs.forEach((doc, index) => {
    const occurrences = new Map<number, number>();
    const add = (text: string, weight: number) => {
      for (const term of new Set(text.split(' '))) {
        if (term === '') continue;
        const id = idOf(term);
        const byDoc = postingMaps[id] ?? new Map<number, number>();
        postingMaps[id] = byDoc;
        const seen = occurrences.get(id) ?? 0;
        occurrences.set(id, seen + 1);
        // A word in several of an entry's questions is what that entry is about: a small bonus
        // per repeat breaks ties between entries that both mention it once.
        const bonus = seen > 0 && weight >= FIELD_WEIGHTS.keywords ? REPEAT_BONUS : 0;
        byDoc.set(index, Math.min(MAX_TERM_WEIGHT, Math.max(byDoc.get(index) ?? 0, weight) + bonus));
      }
    };
    for (const q of doc.questions) add(q, FIELD_WEIGHTS.questions);
    add(doc.title, FIELD_WEIGHTS.title);
    for (const k of doc.keywords) add(k, FIELD_WEIGHTS.keywords);
    add(doc.section, FIELD_WEIGHTS.section);
    add(doc.answer, FIELD_WEIGHTS.answer);
    for (const text of [doc.title, ...doc.questions]) {
      for (const term of text.split(' ')) if (term !== '') unitTerms.push(idOf(term));
      unitStarts.push(unitTerms.length);
      unitEntries.push(index);
    }
  });
  const vocabulary = [...termIds.keys()];
  const termCount = vocabulary.length;
  const n = docs.length;
  // Postings in one flat list per field (CSR): term t's entries are postingDoc[postingStart[t] .. postingStart[t + 1]).
  const postingStart = new Int32Array(termCount + 1);
  for (let id = 0; id < termCount; id++)
    postingStart[id + 1] = (postingStart[id] as number) + (postingMaps[id]?.size ?? 0);
  const postingDoc = new Int32Array(postingStart[termCount] as number);
  const postingWeight = new Float64Array(postingStart[termCount] as number);
  for (let id = 0; id < termCount; id++) {
    let at = postingStart[id] as number;
    for (const [index, weight] of postingMaps[id] ?? []) {
      postingDoc[at] = index;
      postingWeight[at] = weight;
      at++;
    }
  }
  const idf = new Float64Array(termCount);
  for (let id = 0; id < termCount; id++) {
    const df = (postingStart[id + 1] as number) - (postingStart[id] as number);
    idf[id] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
  const meanIdf = idf.reduce((a, b) => a + b, 0) / Math.max(1, termCount);
  const unitCount = unitEntries.length;
  const unitStart = Int32Array.from(unitStarts);
  const unitTerm = Int32Array.from(unitTerms);
  const unitEntry = Int32Array.from(unitEntries);
  const unitTotal = new Float64Array(unitCount);
  for (let u = 0; u < unitCount; u++) {
    let sum = 0;
    for (let k = unitStart[u] as number; k < (unitStart[u + 1] as number); k++)
      sum += idf[unitTerm[k] as number] as number;
    unitTotal[u] = sum;
  }
  // The units each term appears in (once per unit, CSR like the postings): a query visits only the
  // units that share a word with it, not every unit of every entry it touches.
  const unitsOfStart = new Int32Array(termCount + 1);
  const lastUnit = new Int32Array(termCount).fill(-1);
  /** 1 for a unit that says a word twice (its sum must then be taken word by word). */
  const unitRepeats = new Uint8Array(unitCount);
  for (let u = 0; u < unitCount; u++) {
    for (let k = unitStart[u] as number; k < (unitStart[u + 1] as number); k++) {
      const id = unitTerm[k] as number;
      if (lastUnit[id] === u) {
        unitRepeats[u] = 1;
        continue;
      }
      lastUnit[id] = u;
      unitsOfStart[id + 1] = (unitsOfStart[id + 1] as number) + 1;
    }
  }
  for (let id = 0; id < termCount; id++)
    unitsOfStart[id + 1] = (unitsOfStart[id + 1] as number) + (unitsOfStart[id] as number);
  const unitsOf = new Int32Array(unitsOfStart[termCount] as number);
  const fill = unitsOfStart.slice(0, termCount);
  lastUnit.fill(-1);
  for (let u = 0; u < unitCount; u++) {
    for (let k = unitStart[u] as number; k < (unitStart[u + 1] as number); k++) {
      const id = unitTerm[k] as number;
      if (lastUnit[id] === u) continue;
      lastUnit[id] = u;
      unitsOf[fill[id] as number] = u;
      fill[id] = (fill[id] as number) + 1;
    }
  }
  // Per term, the entries whose units hold it, each with the smallest total of those units. A unit
  // holding one matched term scores that term's idf over its total (the other words add 0), so the
  // best such unit of an entry is the one with the smallest total: a query reads one figure per
  // (term, entry) and visits unit by unit only the units holding two matched terms or more. Units
  // that say a word twice are left out here and always summed word by word (there are none today:
  // a unit's words are its tokens, which never repeat).
  const entriesOfStart = new Int32Array(termCount + 1);
  const entriesOfList: number[] = [];
  const entriesOfTotals: number[] = [];
  for (let id = 0; id < termCount; id++) {
    let entry = -1;
    for (let k = unitsOfStart[id] as number; k < (unitsOfStart[id + 1] as number); k++) {
      const u = unitsOf[k] as number;
      const all = unitTotal[u] as number;
      if (unitRepeats[u] === 1 || all === 0) continue;
      if (unitEntry[u] !== entry) {
        entry = unitEntry[u] as number;
        entriesOfList.push(entry);
        entriesOfTotals.push(all);
      } else if (all < (entriesOfTotals[entriesOfTotals.length - 1] as number)) {
        entriesOfTotals[entriesOfTotals.length - 1] = all;
      }
    }
    entriesOfStart[id + 1] = entriesOfList.length;
  }
  const entriesOf = Int32Array.from(entriesOfList);
  const entriesOfTotal = Float64Array.from(entriesOfTotals);
  // The units of each widespread term as a bitset, so the query's most widespread term need not be
  // marked unit by unit (a few hundred units) to find the units it shares with the others.
  const unitBitsWords = (unitCount + 31) >>> 5;
  const unitBitsRow = new Int32Array(termCount).fill(-1);
  let bitRows = 0;
  for (let id = 0; id < termCount; id++) {
    if ((unitsOfStart[id + 1] as number) - (unitsOfStart[id] as number) >= WIDESPREAD_UNITS)
      unitBitsRow[id] = bitRows++;
  }
  const unitBits = new Int32Array(bitRows * unitBitsWords);
  for (let id = 0; id < termCount; id++) {
    const row = unitBitsRow[id] as number;
    if (row < 0) continue;
    for (let k = unitsOfStart[id] as number; k < (unitsOfStart[id + 1] as number); k++) {
      const u = unitsOf[k] as number;
      const at = row * unitBitsWords + (u >>> 5);
      unitBits[at] = (unitBits[at] as number) | (1 << (u & 31));
    }
  }
  const repeatUnits = Int32Array.from(unitEntries.keys()).filter((u) => unitRepeats[u] === 1);
  const typos = new TypoMatcher(vocabulary, termIds);
  const cache = new Map<string, readonly TermMatch[]>();
  const resolve = (token: string): readonly TermMatch[] => {
    const cached = cache.get(token);
    if (cached) return cached;
    const matches = typos.match(token);
    if (cache.size >= TERM_CACHE_LIMIT) cache.clear();
    cache.set(token, matches);
    return matches;
  };

  // Scratch space reused by every query (a search runs to completion before the next starts).
  const matchedIdf = new Float64Array(termCount);
  const recall = new Float64Array(n);
  const best = new Float64Array(n);
  const precision = new Float64Array(n);
  /** Entries with recall > 0 in this query, and those the current query word reached. */
  const touchedEntries = new Int32Array(n);
  const wordEntries = new Int32Array(n);
  /** Units holding a matched term (unitSeen[u] === query), and those holding two or more (listed in manyUnits). */
  const unitSeen = new Uint32Array(unitCount);
  const unitMany = new Uint32Array(unitCount);
  const manyUnits = new Int32Array(unitCount);
  let query = 0;
  const top = new TopHits();

  return (queryTokens, limit) => {
    query = query === 0xffffffff ? 1 : query + 1;
    if (query === 1) {
      unitSeen.fill(0);
      unitMany.fill(0);
    }
    const touchedTerms: number[] = [];
    const unknownTokens: string[] = [];
    let entryCount = 0;
    let total = 0;
    for (const token of queryTokens) {
      const matches = resolve(token);
      if (matches.length === 0) unknownTokens.push(token);
      let tokenIdf = 0;
      let wordCount = 0;
      for (const { id, similarity } of matches) {
        const termIdf = idf[id] ?? 0;
        tokenIdf = Math.max(tokenIdf, termIdf);
        if ((matchedIdf[id] ?? 0) === 0) touchedTerms.push(id);
        matchedIdf[id] = Math.max(matchedIdf[id] ?? 0, termIdf * similarity);
        const end = postingStart[id + 1] as number;
        for (let k = postingStart[id] as number; k < end; k++) {
          const index = postingDoc[k] as number;
          const value = (termIdf * similarity * (postingWeight[k] as number)) / MAX_TERM_WEIGHT;
          const was = best[index] as number;
          if (value > was) {
            if (was === 0) wordEntries[wordCount++] = index;
            best[index] = value;
          }
        }
      }
      total += matches.length > 0 ? tokenIdf : meanIdf * UNKNOWN_WORD_IDF_SHARE;
      // Adding a word's 0 changes no sum, so only the entries it reached are added to (in word order, as before).
      for (let i = 0; i < wordCount; i++) {
        const index = wordEntries[i] as number;
        if (recall[index] === 0) touchedEntries[entryCount++] = index;
        recall[index] = (recall[index] as number) + (best[index] as number);
        best[index] = 0;
      }
    }
    const matchedTerms = touchedTerms.map((id) => vocabulary[id] as string);
    const knownTokens = queryTokens.length - unknownTokens.length;
    top.reset(limit);
    if (total > 0) {
      // Precision: the best share of one unit's weight the query covers; first as if each unit held
      // one matched term (its idf over the smallest total among the entry's units holding it).
      let widest = -1;
      let widestUnits = -1;
      for (const id of touchedTerms) {
        const value = matchedIdf[id] as number;
        const end = entriesOfStart[id + 1] as number;
        for (let k = entriesOfStart[id] as number; k < end; k++) {
          const entry = entriesOf[k] as number;
          const ratio = value / (entriesOfTotal[k] as number);
          if (ratio > (precision[entry] as number)) precision[entry] = ratio;
        }
        const units = (unitsOfStart[id + 1] as number) - (unitsOfStart[id] as number);
        if (units > widestUnits) {
          widest = id;
          widestUnits = units;
        }
      }
      // Then the units holding two matched terms or more, summed in their own word order as always
      // (unmatched words add 0). The most widespread term's units are only marked, not checked.
      let many = 0;
      if (touchedTerms.length > 1) {
        // A widespread term's units are a bitset read in place; another's are marked first.
        const row = unitBitsRow[widest] as number;
        const bits = row * unitBitsWords;
        if (row < 0) {
          for (let k = unitsOfStart[widest] as number; k < (unitsOfStart[widest + 1] as number); k++)
            unitSeen[unitsOf[k] as number] = query;
        }
        for (const id of touchedTerms) {
          if (id === widest) continue;
          const end = unitsOfStart[id + 1] as number;
          for (let k = unitsOfStart[id] as number; k < end; k++) {
            const u = unitsOf[k] as number;
            const inWidest = row >= 0 && ((unitBits[bits + (u >>> 5)] as number) & (1 << (u & 31))) !== 0;
            if (!inWidest && unitSeen[u] !== query) unitSeen[u] = query;
            else if (unitMany[u] !== query) {
              unitMany[u] = query;
              manyUnits[many++] = u;
            }
          }
        }
      }
      for (let i = 0; i < many + repeatUnits.length; i++) {
        const u = (i < many ? manyUnits[i] : repeatUnits[i - many]) as number;
        const all = unitTotal[u] as number;
        if (all === 0) continue;
        let hit = 0;
        const last = unitStart[u + 1] as number;
        for (let t = unitStart[u] as number; t < last; t++) hit += matchedIdf[unitTerm[t] as number] as number;
        const entry = unitEntry[u] as number;
        if (hit / all > (precision[entry] as number)) precision[entry] = hit / all;
      }
      for (let i = 0; i < entryCount; i++) {
        const index = touchedEntries[i] as number;
        const value = recall[index] as number;
        const combined = RECALL_SHARE * Math.min(1, value / total) + (1 - RECALL_SHARE) * (precision[index] as number);
        top.offer(index, Math.max(0, 1 - combined));
      }
    }
    for (const id of touchedTerms) matchedIdf[id] = 0;
    for (let i = 0; i < entryCount; i++) {
      const index = touchedEntries[i] as number;
      recall[index] = 0;
      precision[index] = 0;
    }
    return { hits: top, matchedTerms, knownTokens, unknownTokens };
  };
}

/**
 * The best `limit` of a stream of (entry index, score) hits, lowest score first and ties by index,
 * kept in place by insertion: the same order as sorting them all and slicing, without the array.
 */
class TopHits {
  private index = new Int32Array(64);
  private score = new Float64Array(64);
  private count = 0;
  private limit = 0;

  reset(limit: number): void {
    this.limit = Math.max(0, limit);
    this.count = 0;
    if (this.limit > this.index.length) {
      this.index = new Int32Array(this.limit);
      this.score = new Float64Array(this.limit);
    }
  }

  offer(index: number, score: number): void {
    const { index: indexes, score: scores, limit } = this;
    let at: number;
    if (this.count < limit) at = this.count++;
    else if (limit > 0 && before(score, index, scores[limit - 1] as number, indexes[limit - 1] as number))
      at = limit - 1;
    else return;
    while (at > 0 && before(score, index, scores[at - 1] as number, indexes[at - 1] as number)) {
      scores[at] = scores[at - 1] as number;
      indexes[at] = indexes[at - 1] as number;
      at--;
    }
    scores[at] = score;
    indexes[at] = index;
  }

  /** How many hits are kept (at most the limit). */
  get size(): number {
    return this.count;
  }

  /** The entry index of the `rank`th best hit (0 best). */
  indexAt(rank: number): number {
    return this.index[rank] as number;
  }

  scoreAt(rank: number): number {
    return this.score[rank] as number;
  }
}

/** Whether hit (score, index) ranks before hit (otherScore, otherIndex): lower score, then lower index. */
function before(score: number, index: number, otherScore: number, otherIndex: number): boolean {
  return score < otherScore || (score === otherScore && index < otherIndex);
}

interface TermMatch {
  readonly id: number;
  readonly similarity: number;
}

/**
 * Index words a query word stands for: itself; words it starts (≥4 letters: "attach" →
 * "attachment"); words that start it ("worklists" → "worklist"); else near spellings by
 * Damerau-Levenshtein (1 edit from 5 letters, 2 from 8).
 */
class TypoMatcher {
  private readonly sorted: readonly string[];
  private readonly byLength = new Map<number, string[]>();
  private readonly scratch = new DistanceScratch();

  constructor(
    vocabulary: readonly string[],
    private readonly ids: ReadonlyMap<string, number>,
  ) {
    this.sorted = [...vocabulary].sort();
    for (const term of vocabulary) {
      const list = this.byLength.get(term.length) ?? [];
      list.push(term);
      this.byLength.set(term.length, list);
    }
  }

  match(token: string): TermMatch[] {
    const matches: TermMatch[] = [];
    const push = (term: string, similarity: number) => {
      const id = this.ids.get(term);
      if (id !== undefined) matches.push({ id, similarity });
    };
    if (this.ids.has(token)) push(token, 1);
    if (token.length >= 4) {
      for (let i = lowerBound(this.sorted, token); i < this.sorted.length; i++) {
        const term = this.sorted[i] as string;
        if (!term.startsWith(token)) break;
        if (term !== token) push(term, 0.9);
      }
      for (let length = Math.max(4, token.length - 3); length < token.length; length++) {
        const prefix = token.slice(0, length);
        if (this.ids.has(prefix)) push(prefix, 0.85);
      }
    }
    if (matches.length > 0 || token.length < MIN_TYPO_LENGTH || /\d/.test(token)) return matches;
    // A misspelt word escapes the stemmer ("wrking" keeps its "-ing"), so its stem is tried too.
    for (const form of new Set([token, token.replace(/(?:ing|ed|s)$/, '')])) {
      if (form.length < 3) continue;
      const maxEdits = form.length >= 8 ? 2 : 1;
      for (let length = Math.max(3, form.length - maxEdits); length <= form.length + maxEdits; length++) {
        for (const term of this.byLength.get(length) ?? []) {
          const distance = this.scratch.distance(form, term, maxEdits);
          if (distance <= maxEdits) push(term, 1 - distance / Math.max(form.length, term.length));
        }
      }
    }
    return matches;
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Reusable rows for the edit-distance table, so a typo lookup allocates nothing. */
class DistanceScratch {
  private rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

  distance(a: string, b: string, max: number): number {
    if (b.length + 1 > this.rows[0].length) {
      const size = b.length + 1;
      this.rows = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
    }
    return osaDistance(a, b, max, this.rows);
  }
}

/** Optimal-string-alignment distance, giving up (returning max + 1) once it must exceed `max`. */
export function damerauLevenshtein(a: string, b: string, max: number): number {
  const size = b.length + 1;
  return osaDistance(a, b, max, [new Int32Array(size), new Int32Array(size), new Int32Array(size)]);
}

function osaDistance(a: string, b: string, max: number, rows: [Int32Array, Int32Array, Int32Array]): number {
  let [previous2, previous, current] = rows;
  const cols = b.length + 1;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        value = Math.min(value, (previous2[j - 2] as number) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[cols - 1] as number;
}

function confidenceOf(results: readonly ScoredEntry[], signal: boolean): Confidence {
  const best = results[0]?.score;
  if (best === undefined) return 'none';
  const second = results[1]?.score ?? 1;
  if (best <= CONFIDENCE_THRESHOLDS.confident && second - best >= CONFIDENCE_THRESHOLDS.confidentMargin) {
    return 'confident';
  }
  if (best <= CONFIDENCE_THRESHOLDS.clearLead && second - best >= CONFIDENCE_THRESHOLDS.clearLeadMargin) {
    return 'confident';
  }
  if (best <= CONFIDENCE_THRESHOLDS.close && signal) return 'close';
  return 'none';
}
