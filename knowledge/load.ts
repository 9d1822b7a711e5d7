import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ZodError, ZodType, ZodTypeDef } from 'zod';
import { createNormaliser, foldForSearch, type Normaliser, type Vocabulary } from './normalise.js';
import { projectRoot } from './project-root.js';
import {
  type ContactLeadIns,
  type ContactRoute,
  type Contacts,
  contactLeadInsSchema,
  contactsSchema,
  type DeadlineAdvice,
  deadlineAdviceSchema,
  type DowntimeAdvice,
  downtimeAdviceSchema,
  type Entry,
  entriesSchema,
  entrySchema,
  type IssueContacts,
  type Organisation,
  type PackLine,
  type Routing,
  routingSchema,
  type Scope,
  scopeSchema,
  stopWordsSchema,
  synonymsSchema,
  type TroubleshootingIssues,
  troubleshootingIssuesSchema,
  worklistsSchema,
} from './schema.js';

export interface KnowledgeBase {
  readonly entries: readonly Entry[];
  readonly byId: ReadonlyMap<string, Entry>;
  readonly contacts: Contacts;
  readonly routesById: ReadonlyMap<string, ContactRoute>;
  readonly organisations: readonly Organisation[];
  /** Entry ids the conversation routes by; empty when the data has no routing file (tests). */
  readonly routing: Routing;
  readonly scope: Scope;
  /** Synonyms and stop words (synonyms.json, stop-words.json); empty when not given (tests). */
  readonly vocabulary: Vocabulary;
  /** Built once from `vocabulary`: the tokens search and contact finding read messages with. */
  readonly normaliser: Normaliser;
  /**
   * Each troubleshooting issue's contacts and exception example (troubleshooting-issues.json): the
   * one issue-to-contact mapping. The ts-N entries' `contacts` are filled in from it.
   */
  readonly issues: TroubleshootingIssues['issues'];
  /** What to do at each downtime stage, as the pack says it (downtime-advice.json). */
  readonly downtimeStages: DowntimeAdvice['stages'];
  /** The protocol in one line, and each stage in one line (downtime-advice.json). */
  readonly downtimeSummary: Pick<DowntimeAdvice, 'overview' | 'summaries'>;
  /** What to do in the protocol's other situations (link down, one practice, major incident, restored). */
  readonly downtimeSituations: DowntimeAdvice['situations'];
  /** What the pack says before a purpose's contacts (contact-lead-ins.json). */
  readonly leadIns: ContactLeadIns['leadIns'];
  /** The pack's six worklists, in its order and words (worklists.json); empty without it. */
  readonly worklists: readonly PackLine[];
  /** The pack's line on reviewing them daily (worklists.json); an empty line without it. */
  readonly worklistsDailyReview: PackLine;
  /** The pack's lines in a deadline answer, by key (deadline-advice.json); empty lines without it. */
  readonly deadlineAdvice: DeadlineAdvice['advice'];
}

const NO_ROUTING: Routing = Object.freeze({
  purposeByPriority: {},
  boroughEntries: {},
  entryByPriority: {},
  dateRuleEntries: {},
  ruleEntries: {},
  timingEntries: [],
  downtimeDetailEntries: [],
  optumConfigurationEntry: 'none',
  searchTipsEntry: 'none',
  smartcardOrderingEntry: 'none',
});
const NO_SCOPE: Scope = Object.freeze({ outsideAreaPlaces: [], outsidePracticeAreas: [], areas: {} });
const NO_VOCABULARY: Vocabulary = Object.freeze({ synonyms: {}, stopWords: [] });
const NO_ISSUE: IssueContacts = { contacts: [], shown: 'with-answer' };
const NO_ISSUES: TroubleshootingIssues['issues'] = Object.freeze({
  1: NO_ISSUE,
  2: NO_ISSUE,
  3: NO_ISSUE,
  4: NO_ISSUE,
  5: NO_ISSUE,
  6: NO_ISSUE,
  7: NO_ISSUE,
  8: NO_ISSUE,
});
const NO_STAGES: DowntimeAdvice['stages'] = Object.freeze({ 1: [], 2: [], 3: [] });
// Without downtime-advice.json (tests of other data) there is nothing to say: empty lines, no passages.
const NO_LINE = Object.freeze({ text: '', passages: [] });
const NO_DOWNTIME_SUMMARY: Pick<DowntimeAdvice, 'overview' | 'summaries'> = Object.freeze({
  overview: NO_LINE,
  summaries: Object.freeze({ 1: NO_LINE, 2: NO_LINE, 3: NO_LINE }),
});
const NO_DEADLINE_ADVICE: DeadlineAdvice['advice'] = Object.freeze({
  'deferral-heard-by': NO_LINE,
  'deferral-escalate': NO_LINE,
  'deferral-2ww': NO_LINE,
  'letter-worklist': NO_LINE,
  'rejection-letter': NO_LINE,
});
const NO_SITUATIONS: DowntimeAdvice['situations'] = Object.freeze({
  link: [],
  local: [],
  majorIncident: [],
  restored: [],
});

/**
 * The troubleshooting guide's eight issues. Dialogs link to them by id, so each must exist exactly
 * once; only the number prefix is fixed, the slug after it is the data authors' choice.
 */
export const TROUBLESHOOTING_PREFIXES = Object.freeze([
  'ts-1-',
  'ts-2-',
  'ts-3-',
  'ts-4-',
  'ts-5-',
  'ts-6-',
  'ts-7-',
  'ts-8-',
] as const);

/** Every problem found in the data, one per line, so authors can fix them in one pass. */
export class KnowledgeError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`knowledge data has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KnowledgeError';
    this.problems = Object.freeze([...problems]);
  }
}

/** `<project>/knowledge/data`, the same from source (tsx) and from `dist/` (tsc). */
export function defaultDataDir(): string {
  return path.join(projectRoot(), 'knowledge', 'data');
}

/** A file's parsed JSON, named so problems can say where they are. */
export interface NamedData {
  readonly file: string;
  readonly data: unknown;
}

export interface LoadOptions {
  /** Id prefixes that must each match exactly one entry. Defaults to none for objects. */
  readonly requiredPrefixes?: readonly string[];
  /** routing.json and scope.json, parsed; without them nothing routes by entry id. */
  readonly routing?: NamedData;
  readonly scope?: NamedData;
  /** synonyms.json and stop-words.json, parsed; without them search has no synonyms or stop words. */
  readonly synonyms?: NamedData;
  readonly stopWords?: NamedData;
  /** troubleshooting-issues.json, downtime-advice.json, contact-lead-ins.json, worklists.json and deadline-advice.json, parsed. */
  readonly troubleshootingIssues?: NamedData;
  readonly downtimeAdvice?: NamedData;
  readonly contactLeadIns?: NamedData;
  readonly worklists?: NamedData;
  readonly deadlineAdvice?: NamedData;
}

function zodProblems(file: string, error: ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${file}: ${where}: ${issue.message}`;
  });
}

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    problems.push(`${file}: cannot read JSON: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * Reads `contacts.json` and every `entries/*.json` under `dir`, validates them and their
 * cross-references, and returns a frozen knowledge base. Throws one {@link KnowledgeError}
 * listing every problem.
 */
export function loadKnowledge(dir: string = defaultDataDir(), options: LoadOptions = {}): KnowledgeBase {
  const problems: string[] = [];
  const contactsFile = path.join(dir, 'contacts.json');
  const contacts = readJson(contactsFile, problems);
  const entriesDir = path.join(dir, 'entries');
  let names: string[] = [];
  try {
    names = readdirSync(entriesDir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch (err: unknown) {
    problems.push(`${entriesDir}: cannot list entries: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (names.length === 0 && problems.length === 0) problems.push(`${entriesDir}: no *.json entry files`);
  const entryFiles = names.map((name) => ({
    file: path.relative(dir, path.join(entriesDir, name)),
    data: readJson(path.join(entriesDir, name), problems),
  }));
  const routing = readJson(path.join(dir, 'routing.json'), problems);
  const scope = readJson(path.join(dir, 'scope.json'), problems);
  const synonyms = readJson(path.join(dir, 'synonyms.json'), problems);
  const stopWords = readJson(path.join(dir, 'stop-words.json'), problems);
  const issues = readJson(path.join(dir, 'troubleshooting-issues.json'), problems);
  const downtimeAdvice = readJson(path.join(dir, 'downtime-advice.json'), problems);
  const leadIns = readJson(path.join(dir, 'contact-lead-ins.json'), problems);
  const worklists = readJson(path.join(dir, 'worklists.json'), problems);
  const deadlineAdvice = readJson(path.join(dir, 'deadline-advice.json'), problems);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return loadKnowledgeFromObjects({ file: 'contacts.json', data: contacts }, entryFiles, {
    requiredPrefixes: options.requiredPrefixes ?? TROUBLESHOOTING_PREFIXES,
    routing: { file: 'routing.json', data: routing },
    scope: { file: 'scope.json', data: scope },
    synonyms: { file: 'synonyms.json', data: synonyms },
    stopWords: { file: 'stop-words.json', data: stopWords },
    troubleshootingIssues: { file: 'troubleshooting-issues.json', data: issues },
    downtimeAdvice: { file: 'downtime-advice.json', data: downtimeAdvice },
    contactLeadIns: { file: 'contact-lead-ins.json', data: leadIns },
    worklists: { file: 'worklists.json', data: worklists },
    deadlineAdvice: { file: 'deadline-advice.json', data: deadlineAdvice },
  });
}

/**
 * Validates already-parsed data (tests, tools). Each entry file may hold an array of entries
 * (the schema's shape) or a single entry object.
 */
export function loadKnowledgeFromObjects(
  contactsData: NamedData | unknown,
  entryFiles: ReadonlyArray<NamedData | unknown>,
  options: LoadOptions = {},
): KnowledgeBase {
  const problems: string[] = [];
  const contactsNamed = asNamed(contactsData, 'contacts.json');
  const parsedContacts = contactsSchema.safeParse(contactsNamed.data);
  if (!parsedContacts.success) problems.push(...zodProblems(contactsNamed.file, parsedContacts.error));

  const entries: Array<{ entry: Entry; file: string }> = [];
  entryFiles.forEach((raw, index) => {
    const { file, data } = asNamed(raw, `entries[${index}]`);
    const parsed = Array.isArray(data) ? entriesSchema.safeParse(data) : entrySchema.safeParse(data);
    if (!parsed.success) {
      problems.push(...zodProblems(file, parsed.error));
      return;
    }
    const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    for (const entry of list) entries.push({ entry, file });
  });

  const contacts: Contacts = parsedContacts.success ? parsedContacts.data : { organisations: [], routes: [] };
  problems.push(...crossReferenceProblems(contacts, entries, parsedContacts.success, options.requiredPrefixes ?? []));
  let routing: Routing = NO_ROUTING;
  if (options.routing) {
    const parsed = routingSchema.safeParse(options.routing.data);
    if (!parsed.success) problems.push(...zodProblems(options.routing.file, parsed.error));
    else {
      routing = parsed.data;
      const known = new Set(entries.map(({ entry }) => entry.id));
      const ids = [
        ...Object.keys(routing.dateRuleEntries),
        ...Object.values(routing.ruleEntries),
        ...routing.timingEntries,
        ...routing.downtimeDetailEntries,
        ...Object.keys(routing.boroughEntries),
        ...Object.entries(routing.entryByPriority).flatMap(([from, to]) => [from, ...Object.values(to)]),
        routing.optumConfigurationEntry,
        routing.searchTipsEntry,
        routing.smartcardOrderingEntry,
      ];
      for (const id of ids) if (!known.has(id)) problems.push(`${options.routing.file}: no entry with id "${id}"`);
    }
  }
  let scope: Scope = NO_SCOPE;
  if (options.scope) {
    const parsed = scopeSchema.safeParse(options.scope.data);
    if (parsed.success) scope = parsed.data;
    else problems.push(...zodProblems(options.scope.file, parsed.error));
  }
  const vocabulary = vocabularyFrom(options, problems);
  const issues = issuesFrom(options, contacts, parsedContacts.success, problems);
  const downtime = parsedOr(options.downtimeAdvice, downtimeAdviceSchema, problems);
  const leadIns = parsedOr(options.contactLeadIns, contactLeadInsSchema, problems)?.leadIns ?? {};
  const worklistsFile = parsedOr(options.worklists, worklistsSchema, problems);
  const deadlineAdvice = parsedOr(options.deadlineAdvice, deadlineAdviceSchema, problems)?.advice ?? NO_DEADLINE_ADVICE;
  const withIssueContacts = options.troubleshootingIssues
    ? entries.map(({ entry, file }) => ({ entry: withContactsOf(entry, issues, contacts, file, problems), file }))
    : entries;
  if (problems.length > 0) throw new KnowledgeError(problems);

  const frozenEntries = withIssueContacts.map(({ entry }) => deepFreeze(entry));
  const frozenContacts = deepFreeze(contacts);
  return Object.freeze({
    entries: Object.freeze(frozenEntries),
    byId: new Map(frozenEntries.map((entry) => [entry.id, entry])),
    contacts: frozenContacts,
    routesById: new Map(frozenContacts.routes.map((route) => [route.id, route])),
    organisations: frozenContacts.organisations,
    routing: deepFreeze(routing),
    scope: deepFreeze(scope),
    vocabulary: deepFreeze(vocabulary),
    normaliser: createNormaliser(vocabulary),
    issues: deepFreeze(issues),
    downtimeStages: deepFreeze(downtime?.stages ?? NO_STAGES),
    downtimeSummary: deepFreeze(
      downtime ? { overview: downtime.overview, summaries: downtime.summaries } : NO_DOWNTIME_SUMMARY,
    ),
    downtimeSituations: deepFreeze(downtime?.situations ?? NO_SITUATIONS),
    leadIns: deepFreeze(leadIns),
    worklists: deepFreeze(worklistsFile?.worklists ?? []),
    worklistsDailyReview: deepFreeze(worklistsFile?.dailyReview ?? NO_LINE),
    deadlineAdvice: deepFreeze(deadlineAdvice),
  });
}

/** The parsed file, or undefined (its problems added) when it is absent or does not fit its schema. */
function parsedOr<T>(named: NamedData | undefined, schema: ZodType<T, ZodTypeDef, unknown>, problems: string[]) {
  if (!named) return undefined;
  const parsed = schema.safeParse(named.data);
  if (parsed.success) return parsed.data;
  problems.push(...zodProblems(named.file, parsed.error));
  return undefined;
}

/**
 * Validates troubleshooting-issues.json: every purpose named has a contact route, and an exception
 * example is quoted from its passage (which kb:check then finds in the pack).
 */
function issuesFrom(
  options: LoadOptions,
  contacts: Contacts,
  contactsValid: boolean,
  problems: string[],
): TroubleshootingIssues['issues'] {
  const parsed = parsedOr(options.troubleshootingIssues, troubleshootingIssuesSchema, problems);
  if (!parsed || !options.troubleshootingIssues) return NO_ISSUES;
  const file = options.troubleshootingIssues.file;
  for (const [issue, { contacts: purposes, exception }] of Object.entries(parsed.issues)) {
    for (const purpose of purposes) {
      if (contactsValid && !contacts.routes.some((route) => route.purpose === purpose)) {
        problems.push(`${file}: issue ${issue} names purpose "${purpose}", which no contact route has`);
      }
    }
    if (exception && !exception.passage.includes(exception.example)) {
      problems.push(`${file}: issue ${issue}: the exception example is not quoted from its passage`);
    }
  }
  return parsed.issues;
}

/**
 * A ts-N entry with its contacts from the issue mapping (those shown with the answer); any other
 * entry as it is. An entry that lists its own would be a second mapping, so that is a problem.
 */
function withContactsOf(
  entry: Entry,
  issues: TroubleshootingIssues['issues'],
  contacts: Contacts,
  file: string,
  problems: string[],
): Entry {
  const match = /^ts-([1-8])-/.exec(entry.id);
  if (!match) return entry;
  if (entry.contacts.length > 0) {
    problems.push(
      `${file}: entry "${entry.id}" lists contacts: a troubleshooting issue's contacts are in troubleshooting-issues.json`,
    );
  }
  const issue = issues[Number(match[1]) as keyof typeof issues];
  const purposes: readonly string[] = issue.shown === 'with-answer' ? issue.contacts : [];
  const ids = purposes.flatMap((purpose) => contacts.routes.filter((r) => r.purpose === purpose).map((r) => r.id));
  return { ...entry, contacts: ids };
}

/**
 * Validates synonyms.json and stop-words.json. A variant under two canonical tokens would go to
 * whichever comes first, and a canonical token that is a stop word would be dropped: both are
 * authoring mistakes, so they are problems rather than silent choices.
 */
function vocabularyFrom(options: LoadOptions, problems: string[]): Vocabulary {
  let synonyms: Vocabulary['synonyms'] = NO_VOCABULARY.synonyms;
  let stopWords: Vocabulary['stopWords'] = NO_VOCABULARY.stopWords;
  if (options.synonyms) {
    const parsed = synonymsSchema.safeParse(options.synonyms.data);
    if (!parsed.success) problems.push(...zodProblems(options.synonyms.file, parsed.error));
    else {
      synonyms = parsed.data.synonyms;
      const owner = new Map<string, string>();
      for (const [canonical, variants] of Object.entries(synonyms)) {
        for (const variant of [canonical, ...variants]) {
          const key = foldForSearch(variant);
          const other = owner.get(key);
          if (other !== undefined && other !== canonical) {
            problems.push(`${options.synonyms.file}: "${variant}" is listed under both "${other}" and "${canonical}"`);
          }
          owner.set(key, canonical);
        }
      }
    }
  }
  if (options.stopWords) {
    const parsed = stopWordsSchema.safeParse(options.stopWords.data);
    if (!parsed.success) problems.push(...zodProblems(options.stopWords.file, parsed.error));
    else {
      stopWords = parsed.data.stopWords;
      for (const word of duplicates(stopWords)) problems.push(`${options.stopWords.file}: "${word}" is listed twice`);
      for (const word of stopWords) {
        if (Object.hasOwn(synonyms, word)) {
          problems.push(`${options.stopWords.file}: "${word}" is a canonical token in synonyms.json`);
        }
      }
    }
  }
  return { synonyms, stopWords };
}

function asNamed(value: unknown, fallback: string): NamedData {
  if (typeof value === 'object' && value !== null && 'file' in value && 'data' in value) {
    const named = value as { file: unknown; data: unknown };
    if (typeof named.file === 'string') return { file: named.file, data: named.data };
  }
  return { file: fallback, data: value };
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) dup.add(id);
    seen.add(id);
  }
  return [...dup];
}

function crossReferenceProblems(
  contacts: Contacts,
  entries: ReadonlyArray<{ entry: Entry; file: string }>,
  contactsValid: boolean,
  requiredPrefixes: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const id of duplicates(entries.map(({ entry }) => entry.id))) {
    const files = [...new Set(entries.filter(({ entry }) => entry.id === id).map(({ file }) => file))];
    problems.push(`duplicate entry id "${id}" (in ${files.join(', ')})`);
  }
  for (const id of duplicates(contacts.routes.map((route) => route.id))) {
    problems.push(`contacts.json: duplicate route id "${id}"`);
  }
  for (const id of duplicates(contacts.organisations.map((org) => org.id))) {
    problems.push(`contacts.json: duplicate organisation id "${id}"`);
  }

  const siteIds = new Set<string>(contacts.organisations.map((org) => org.id));
  const trustOfAlias = new Map<string, string>();
  for (const org of contacts.organisations) {
    for (const alias of org.aliases) {
      const key = alias.toLowerCase();
      const other = trustOfAlias.get(key);
      // One alias for two sites of the same trust is how a trust-level name ("king's") is written.
      if (other !== undefined && other !== org.trust) {
        problems.push(`contacts.json: alias "${alias}" names both trust ${other} and trust ${org.trust}`);
      }
      trustOfAlias.set(key, org.trust);
    }
  }
  for (const route of contacts.routes) {
    for (const site of route.sites ?? []) {
      if (!siteIds.has(site))
        problems.push(`contacts.json: route "${route.id}" uses site "${site}" with no organisation`);
    }
  }

  const entryIds = new Set(entries.map(({ entry }) => entry.id));
  const routeIds = new Set(contacts.routes.map((route) => route.id));
  for (const { entry, file } of entries) {
    for (const related of entry.related) {
      if (related === entry.id) problems.push(`${file}: entry "${entry.id}" lists itself as related`);
      else if (!entryIds.has(related))
        problems.push(`${file}: entry "${entry.id}" has unknown related id "${related}"`);
    }
    for (const contact of entry.contacts) {
      // With invalid contacts.json every contact would look unknown; its own problems say enough.
      if (contactsValid && !routeIds.has(contact)) {
        problems.push(`${file}: entry "${entry.id}" has unknown contact route "${contact}"`);
      }
    }
  }
  for (const prefix of requiredPrefixes) {
    const found = entries.filter(({ entry }) => entry.id.startsWith(prefix));
    if (found.length !== 1) {
      problems.push(`expected exactly one entry with id "${prefix}…", found ${found.length}`);
    }
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
