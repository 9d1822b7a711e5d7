import type { TurnContext } from 'botbuilder';
import type { Entities } from '../../knowledge/entities.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import {
  answerDeadline,
  type DeadlineKnown,
  type DeadlineReply,
  detectRule,
  saysDoneNow,
} from '../../knowledge/rules/deadlines.js';
import { cleanInput } from '../../knowledge/safety/input-limits.js';
import { detectPii, maskPii } from '../../knowledge/safety/pii.js';
import type { ContactRoute } from '../../knowledge/schema.js';
import type { SearchResult } from '../../knowledge/search.js';
import { type ParsedDateText, parseDateText } from '../../knowledge/time/parse-date.js';
import { type ContactAnswer, contactAccepts } from '../contacts.js';
import { deadlineAccepts, isDeadlineQuestion } from '../deadlines.js';
import { activeDialog, deadlineKnownOf } from '../dialog-state.js';
import { type DowntimeAnswer, downtimeAccepts } from '../downtime.js';
import { DOWNTIME_SECTION } from '../downtime-text.js';
import type { FeatureDeps } from '../feature-deps.js';
import { setInsight, type TurnInsight } from '../router.js';
import type { AppTurnState, DialogState } from '../state.js';
import { issueEntry, type TroubleshootAnswer, troubleshootAccepts } from '../troubleshooting.js';
import {
  detectIssue,
  detectPurpose,
  downtimeSituationOf,
  type Intent,
  type IssueNumber,
  understand,
} from '../understand.js';
import {
  ASKS_ABOUT_IT,
  ASKS_CONTENT,
  ASKS_DETAIL,
  ASKS_WHY,
  DID_STEP,
  FAILED,
  FRAGMENT_WORDS,
  HELPFUL,
  HOW_LONG,
  NEW_TOPIC,
  NOT_HELPFUL,
  REFERS_BACK,
  STILL_STUCK,
  TRIED_ALL,
  WHERE_TO_FIND,
  YES_NO,
} from './signals.js';
import { mergeEntities, recallTopic, type Topic } from './topic.js';

/**
 * The turn, read once and routed once:
 *   read (clean, mask identifiers, search, dates and times with the stated now)
 *   → the conversation's context (a dialog waiting for an answer; the topic answered last)
 *   → route: continue the dialog, refine the last topic, or start what the message asks.
 * `route` is pure, so tests drive it as a table without an adapter.
 */

/** A reply to a question the bot asked is short; a long message is a new question even mid-dialog. */
const MAX_ANSWER_WORDS = 8;
/** A follow-up that only refines the last answer is short ("its the pruh", "what about urgent ones?"). */
const MAX_FOLLOW_UP_WORDS = 16;
/** How a result of trying the advice is reported is longer ("tried the web one too, same thing, ..."). */
const MAX_RESULT_WORDS = 22;
/** A pronoun in a message this short points back at the last answer. */
const PRONOUN_WORDS = 10;
const PRONOUN = /\b(?:that|it|this|them|they|she|he|her|him|those|these|one)\b/;
/** "And if they don't ring her by then?" after a deferral date: the chase contact. */
const NOT_CONTACTED =
  /\b(?:don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|not|never|no one|nobody)\b.{0,20}\b(?:ring|call|phone|contact|hear|book|get in touch)\w*\b|\b(?:haven'?t|hasn'?t|have not|has not|don'?t|doesn'?t|not)\b.{0,12}\bby (?:then|that date|the date)\b|\bwho (?:do|should|can) (?:i|we) (?:chase|contact|call|ring|email|speak to|tell)\b|\bchase\b|\bif (?:they|she|he|it|the (?:hospital|provider|trust|clinic)) (?:don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|won'?t|do not|does not|has not|have not|never)\s*\??\s*$|\bif not\s*\??\s*$/;
/** A request for a phone number or email this short is about the contact just given. */
const DETAIL_WORDS = 10;
/** "it's been 3 months", "been a few weeks now": how long, said loosely (months are not a duration the calculator reads). */
const BEEN_A_WHILE =
  /\b(?:been|for|over)\s+(?:\d+|a|an|one|two|three|four|five|six|few|couple of|several)\s*(?:hours?|days?|weeks?|months?|fortnights?|wks?)\b/;
/** Nothing but asking words: "how many", "how often", "why though", "and then?". */
const ONLY_ASKING =
  /^(?:(?:and|so|but|ok|okay|then|how|many|much|often|long|why|what|when|where|who|which|though|tho|exactly|now|else|next|\?)\s*)+[?!.]*$/;
/** "it's been 3 months tbh": how long, and little else. */
const FRAGMENT_DURATION_WORDS = 6;
/** "what do I need to put in the request?": short, about what was just given. */
const CONTENT_WORDS = 12;
/** A yes/no question this short that points at someone ("do we have to tell her or will they?") is about the last answer. */
const YES_NO_PRONOUN_WORDS = 12;
/** "did all of those, nothing": tried, and it did not help. */
const NO_CHANGE = /\b(?:nothing|no change|no different|same|no good|no use|useless)\b/;
/** "when can the 2WW go by email?", "which stage are we at now?": about the outage's stages. */
const DOWNTIME_ASK =
  /\b(?:by email|go by|e-?mail(?:ing|ed)? (?:them|it|the|2ww|urgent|routine)|stage|start emailing)\b/;
/** "who do I tell?", "where then?": a question word and little else. */
const BARE_QUESTION = /^(?:ok(?:ay)? |so |and |but |right,? )?(?:who|where|how|which|what)\b/;
const BARE_QUESTION_WORDS = 5;
/** A question: asked about what was just said ("does she then need to book it herself?"). */
const QUESTION =
  /\?|^(?:so |and |but |ok |okay )?(?:is|are|do|does|did|will|would|can|could|should|what|how|why|who|where|when)\b/;
/** A statement this long that the search places confidently elsewhere names a topic of its own. */
const NAMES_ANOTHER_WORDS = 7;
/** A message this short that the search cannot place is read against the last answer. */
const VAGUE_WORDS = 12;
/** Past this, a message the search answers confidently on another topic is a new question. */
const NEW_QUESTION_WORDS = 8;

export interface Reading {
  /** The message, cleaned (mentions, markup, control characters removed; identifiers masked). */
  text: string;
  lower: string;
  words: number;
  piiFound: boolean;
  search: SearchResult;
  /** Contacts the words name by role, name or mailbox (usually none). */
  contacts: ContactRoute[];
  /** The same, named by at least two of their words. */
  contactsByTwoWords: ContactRoute[];
  /** Dates, times and durations, with the person's stated "now" taking the clock's place. */
  times: ParsedDateText;
  now: Date;
}

export function readMessage(raw: string | undefined, now: Date, deps: Pick<FeatureDeps, 'search'>): Reading {
  const cleaned = cleanInput(raw);
  const pii = detectPii(cleaned);
  const text = pii.found ? maskPii(cleaned) : cleaned;
  const lower = text.toLowerCase();
  const search = deps.search.search(text);
  // Only a message that asks for a contact reads these (askedContact): found on first use, once.
  let contacts: ContactRoute[] | undefined;
  let contactsByTwoWords: ContactRoute[] | undefined;
  return {
    text,
    lower,
    words: lower.split(/\s+/).filter(Boolean).length,
    piiFound: pii.found,
    search,
    get contacts() {
      contacts ??= deps.search.findContacts(text, search.entities);
      return contacts;
    },
    get contactsByTwoWords() {
      contactsByTwoWords ??= deps.search.findContacts(text, search.entities, 2);
      return contactsByTwoWords;
    },
    times: parseDateText(lower, now),
    now,
  };
}

export interface ConversationContext {
  dialog?: DialogState;
  topic?: Topic;
}

export interface Routed {
  /** The dialog that takes the message as the answer to its question. */
  continues?: DialogState['name'];
  /** That answer, as the dialog read it. */
  accepted?: Accepted;
  intent: Intent;
  /** The topic this message refines (a follow-up), when it does. */
  refines?: Topic;
  /** Places and priority: the message's own, else the topic's when the message follows it up. */
  entities: Entities;
  deadline: DeadlineReply;
}

/** Asks for a contact's details: an address, number, link or who someone is. */
const ASKS_FOR_CONTACT =
  /\b(?:email|e-mail|mailbox|address|phone|number|ring|call|link|portal|url|website|contact|who (?:do|should|can) (?:i|we))\b/;
const ON_THE_PHONE = /\b(?:on|over) the (?:phone|line)\b|\bon the blower\b/g;
/** "Who is the systems manager at the PRUH?" asks for a person, when the role words name one. */
const ASKS_WHO = /(?:^|[.?!,;:-]\s*|\b(?:and|so|but|ok|okay|then)\s+)who(?:'s| is| are)\b/;

/**
 * A question for one contact by its name, role or mailbox ("the systems manager at the PRUH", "the
 * Halo portal link") is answered with that contact alone, when nothing more specific claimed it.
 */
function askedContact(intent: Intent, reading: Reading, kb: KnowledgeBase): Intent {
  const asksPlainly = intent.kind === 'knowledge' || (intent.kind === 'contact' && !intent.purpose);
  if (!asksPlainly || reading.search.outOfScope) return intent;
  // "pt on the phone wants to book herself": where the caller is, not a number asked for.
  const asked = reading.lower.replace(ON_THE_PHONE, ' ');
  const explicit = ASKS_FOR_CONTACT.test(asked);
  if (!explicit && !ASKS_WHO.test(reading.lower)) return intent;
  if (explicit && reading.contactsByTwoWords.length === 0 && namesUnlisted(reading, kb)) {
    return { kind: 'contact', unlisted: true };
  }
  // "Who is allowed to run a bulk service update?" shares one word with the ICT service desk: a
  // person asked for by "who is" must be named by two of their words.
  // A confident answer from the pack wins over one shared word with a contact's name ("booking").
  const strong = !explicit || reading.search.confidence === 'confident';
  // "who's the e-referrals systems person at the PRUH?": one word of the name, at the place named.
  const placed = reading.search.entities.sites.length > 0 || reading.search.entities.boroughs.length > 0;
  const routes =
    strong && !(placed && ASKS_WHO.test(reading.lower) && reading.contactsByTwoWords.length === 0)
      ? reading.contactsByTwoWords
      : reading.contacts;
  if (routes.length === 0) return intent;
  return { kind: 'contact', purpose: routes[0]?.purpose, routeIds: routes.map((r) => r.id) };
}

/** Words the pack never uses that are not a name either ("the web address for e-RS itself"). */
const NOT_A_NAME = new Set([
  'itself',
  'himself',
  'herself',
  'themselves',
  'yourself',
  'please',
  'thanks',
  'actually',
  'again',
]);
/** "for PALS", "at the Marsden": the name a contact is asked for by. */
const NAMED_AFTER =
  /\b(?:for|at|of|from|with)\s+(?:the\s+|our\s+|their\s+|a\s+)?([a-z][a-z'&-]*(?:\s+[a-z][a-z'&-]*){0,2})/g;

/**
 * Whether the contact asked for is named by a word the pack does not know at all ("phone number for
 * PALS", "email for Dr Okafor"): no contact in the pack has that name, so none is offered in its place.
 */
function namesUnlisted(reading: Reading, kb: KnowledgeBase): boolean {
  const unknown = new Set(reading.search.unknownWords ?? []);
  if (unknown.size === 0 || detectPurpose(reading.lower) !== undefined) return false;
  // "for PALS", "for the Guy's switchboard": a word of the name the pack has never used.
  for (const m of reading.lower.matchAll(NAMED_AFTER)) {
    if (kb.normaliser.tokens(m[1] ?? '').some((t) => unknown.has(t) && !NOT_A_NAME.has(t))) return true;
  }
  return false;
}

/** A reply to the question a dialog asked, read once: its handler uses it as it is. */
export type Accepted =
  | { dialog: 'troubleshoot'; answer: TroubleshootAnswer }
  | { dialog: 'contact'; answer: ContactAnswer }
  | { dialog: 'downtime'; answer: DowntimeAnswer }
  | { dialog: 'deadline'; answer: DeadlineReply };

function dialogAccepts(dialog: DialogState, reading: Reading, plainDeadline: DeadlineReply): Accepted | undefined {
  const { lower, search, now } = reading;
  const as = <D extends Accepted['dialog'], A>(name: D, answer: A | undefined) =>
    answer === undefined ? undefined : ({ dialog: name, answer } as Accepted);
  switch (dialog.name) {
    case 'troubleshoot':
      return as('troubleshoot', troubleshootAccepts(dialog.step, lower, search.entities));
    case 'contact':
      return as('contact', contactAccepts(dialog.step, lower, search.entities));
    case 'downtime':
      return as('downtime', downtimeAccepts(dialog.step, lower, now));
    case 'deadline':
      return as('deadline', deadlineAccepts(lower, now, deadlineKnownOf(dialog), reading.times, plainDeadline));
    default:
      return undefined;
  }
}

function namesDetail(entities: Entities): boolean {
  return (
    entities.sites.length > 0 ||
    entities.trusts.length > 0 ||
    entities.boroughs.length > 0 ||
    entities.priority !== undefined
  );
}

function isDated(reading: Reading): boolean {
  return reading.times.dates.length > 0 || reading.times.durations.length > 0;
}

/** The deadline rule a topic was about, if any: a date follow-up then asks for that date. */
export function topicRule(topic: Topic, kb: KnowledgeBase): DeadlineKnown['rule'] {
  if (topic.rule) return topic.rule;
  if (topic.entryId) return kb.routing.dateRuleEntries[topic.entryId];
  if (topic.purpose === 'deferred-not-booked' || topic.issue === 7) return 'deferral';
  return undefined;
}

function isDowntimeTopic(topic: Topic, kb: KnowledgeBase): boolean {
  if (topic.feature === 'downtime') return true;
  const entry = topic.entryId ? kb.byId.get(topic.entryId) : undefined;
  return (
    entry?.section.startsWith(DOWNTIME_SECTION) === true ||
    topic.purpose === 'downtime-2ww' ||
    topic.purpose === 'downtime-urgent-routine'
  );
}

/** What the topic already knows for the deadline calculator; the message's own words win over it. */
function deadlineKnownFrom(topic: Topic | undefined, kb: KnowledgeBase): DeadlineKnown {
  if (!topic) return {};
  const known: DeadlineKnown = {};
  const rule = topicRule(topic, kb);
  if (rule) known.rule = rule;
  if (topic.priority) known.priority = topic.priority;
  if (topic.start) known.start = topic.start;
  return known;
}

/** Whether a message only refines the topic answered last (rather than asking something new). */
function followsUp(reading: Reading, topic: Topic, own: Intent, kb: KnowledgeBase): boolean {
  if (reading.search.outOfScope || NEW_TOPIC.test(reading.lower)) return false;
  const { lower, search } = reading;
  // "where can I see all the ones still missing letters?" after a date: a new question, not the date again.
  if (topic.feature === 'deadline' && WHERE_TO_FIND.test(lower) && !isDated(reading) && search.confidence !== 'none')
    return false;
  // "what's the point though?": the reason for the answer just given.
  if (
    (topic.feature === 'knowledge' || topic.feature === 'troubleshoot') &&
    ASKS_WHY.test(lower) &&
    reading.words <= PRONOUN_WORDS
  )
    return true;
  // Whether the words name a problem or purpose of their own: read at most once, and only when needed.
  let ownTopicRead: boolean | undefined;
  const ownTopic = (): boolean => {
    ownTopicRead ??= detectsOwnTopic(lower);
    return ownTopicRead;
  };
  // "any form?", "its been 3 months tbh": a fragment, or only how long it has been, after an answer.
  // "how many", "how often", "and then?": only asking words, whatever the search makes of them.
  const fragment = reading.words <= FRAGMENT_WORDS && (search.confidence !== 'confident' || ONLY_ASKING.test(lower));
  const onlyHowLong =
    (reading.times.durations.length > 0 || BEEN_A_WHILE.test(lower)) &&
    reading.times.dates.length === 0 &&
    reading.words <= FRAGMENT_DURATION_WORDS;
  // ...but not a command or intent of its own ("troubleshoot", "contacts"), nor feedback ("not helpful").
  const feedback = HELPFUL.test(lower) || NOT_HELPFUL.test(lower);
  if (
    (fragment || onlyHowLong) &&
    own.kind === 'knowledge' &&
    !feedback &&
    !ownTopic() &&
    !namesDetail(search.entities)
  )
    return true;
  // A short message the pack cannot place on its own, straight after an answer ("she'd prefer a
  // brand new one", "bloods uploaded, what now?", "do I cc anyone on it?"), is about that answer.
  const unplaced = search.confidence === 'none' && reading.words <= VAGUE_WORDS;
  // "is there a mailbox for that?", "can she do it herself?": a short question about what was just said.
  const aboutLast = PRONOUN.test(lower) && reading.words <= PRONOUN_WORDS;
  // "whats their phone number?", "and email?": a detail of the contact just given, unless the words
  // name another contact of their own ("the email for the appointment line").
  const asksDetail =
    ASKS_DETAIL.test(lower) &&
    reading.words <= DETAIL_WORDS &&
    reading.contactsByTwoWords.length === 0 &&
    !namesDetail(search.entities) &&
    !ownTopic();
  if (asksDetail) return true;
  // "so is the appt still on?" straight after an answer from the pack: about that answer, even where
  // its words would start a problem of their own.
  if (
    (topic.feature === 'knowledge' || topic.feature === 'troubleshoot') &&
    ASKS_ABOUT_IT.test(lower) &&
    reading.words <= PRONOUN_WORDS
  )
    return true;
  // "do we need to tell patients?" straight after an answer, that the pack cannot place with
  // confidence on its own: a yes/no question about that answer.
  if (
    YES_NO.test(lower) &&
    (reading.words <= PRONOUN_WORDS || (reading.words <= YES_NO_PRONOUN_WORDS && PRONOUN.test(lower))) &&
    (search.confidence !== 'confident' || amongTop(search, topic)) &&
    !ownTopic()
  )
    return true;
  // "done, uploaded the results but it's still on my worklist" after numbered steps: how a step went.
  if (topic.feature === 'knowledge' && DID_STEP.test(lower) && namesAStep(reading, topic, kb)) return true;
  // "the test booking failed" after the checks to run: how one of its steps went, while that answer
  // is still among the search's first few for the words.
  if (
    topic.feature === 'knowledge' &&
    (FAILED.test(lower) || DID_STEP.test(lower)) &&
    reading.words <= PRONOUN_WORDS &&
    search.confidence !== 'confident' &&
    amongTop(search, topic)
  )
    return true;
  // "who do I tell?", "ok who then?", "where do I send it?": a bare question that only makes sense
  // about the answer just given.
  if (
    BARE_QUESTION.test(lower) &&
    reading.words <= BARE_QUESTION_WORDS &&
    search.confidence !== 'confident' &&
    !ownTopic() &&
    !namesDetail(search.entities)
  )
    return true;
  // "what do I need to put in the request?" after a contact or an answer: what goes in it.
  if (ASKS_CONTENT.test(lower) && reading.words <= CONTENT_WORDS && !ownTopic()) return true;
  // "if I defer it today, when should they have contacted her by?" after an answer with a time rule.
  if (
    topic.feature === 'knowledge' &&
    isDated(reading) &&
    topicRule(topic, kb) !== undefined &&
    (HOW_LONG.test(lower) || /\bwhen\b/.test(lower))
  )
    return true;
  // "so when can the 2WW go by email?" after a downtime answer: that outage's stages, not a deadline.
  if (isDowntimeTopic(topic, kb) && DOWNTIME_ASK.test(lower) && detectRule(lower) === undefined) return true;
  // "by when?", "how long have they got?" after a topic with a time rule: that rule's time.
  if (HOW_LONG.test(lower) && reading.words <= PRONOUN_WORDS && topicRule(topic, kb) !== undefined) return true;
  const signals =
    aboutLast ||
    namesDetail(search.entities) ||
    isDated(reading) ||
    STILL_STUCK.test(lower) ||
    REFERS_BACK.test(lower) ||
    unplaced;
  // A result reported is told at more length ("tried the web one as well, same thing, other practices say theirs is fine").
  const maxWords = STILL_STUCK.test(lower) ? MAX_RESULT_WORDS : MAX_FOLLOW_UP_WORDS;
  if (!signals || reading.words > maxWords) return false;
  // "done all the search tips, still nothing" names the tips, but reports how the last answer went.
  const onTips = onSearchTips(topic, kb);
  const reportsResult =
    STILL_STUCK.test(lower) &&
    (own.kind === 'search-tips' ||
      own.kind === 'troubleshoot-menu' ||
      (onTips && own.kind === 'contact' && own.purpose === 'find-clinic'));
  if (reportsResult) return true;
  // A short question about "it" or "that" is about the last answer, even where two of its words
  // happen to match some entry of the pack ("is there a mailbox for that?").
  const fromSearchOnly = own.kind === 'knowledge' || own.kind === 'search-tips' || !ownTopic();
  // ...unless the search is sure of another answer the words name ("found it on the missing
  // referral letters list" after a RAS answer).
  const namesAnother =
    search.confidence === 'confident' &&
    reading.words >= NAMES_ANOTHER_WORDS &&
    !amongTop(search, topic) &&
    !QUESTION.test(lower);
  if (aboutLast && fromSearchOnly && !namesAnother) return true;
  if (own.kind !== 'knowledge') return false;
  const top = search.results[0]?.entry.id;
  if (search.confidence === 'confident' && reading.words > NEW_QUESTION_WORDS && top !== topicEntryId(topic, kb))
    return false;
  return true;
}

/** Whether the words name something one of the last answer's numbered steps does ("uploaded"). */
function namesAStep(reading: Reading, topic: Topic, kb: KnowledgeBase): boolean {
  const steps = topic.entryId ? (kb.byId.get(topic.entryId)?.steps ?? []) : [];
  if (steps.length < 2) return false;
  const words = new Set(kb.normaliser.tokens(reading.text));
  return steps.some((step) => kb.normaliser.tokens(step).some((t) => words.has(t) && !STEP_GENERIC.has(t)));
}
/** Words every step list uses: they say nothing about which step was done. */
const STEP_GENERIC = new Set(['click', 'select', 'ers', 'referral', 'patient', 'open', 'go', 'use', 'screen']);

/** Whether the topic is the search tips (answered from the pack or by the tips card). */
function onSearchTips(topic: Topic, kb: KnowledgeBase): boolean {
  return topic.entryId !== undefined && topic.entryId === kb.routing.searchTipsEntry;
}

/** The entry a topic answered: its own, or the pack's entry for the troubleshooting issue it was. */
function topicEntryId(topic: Topic, kb: KnowledgeBase): string | undefined {
  if (topic.entryId !== undefined || topic.feature !== 'troubleshoot' || topic.issue === undefined)
    return topic.entryId;
  // The saved topic's schema holds `issue` to 1-8.
  return issueEntry(kb.entries, topic.issue as IssueNumber)?.id;
}

/** Whether the entry last answered is still among the search's first few for this message. */
function amongTop(search: SearchResult, topic: Topic): boolean {
  return topic.entryId !== undefined && search.results.slice(0, 3).some((r) => r.entry.id === topic.entryId);
}

/** Whether the words name a problem, purpose or outage of their own (not just a search match). */
function detectsOwnTopic(lower: string): boolean {
  return detectIssue(lower) !== undefined || detectPurpose(lower) !== undefined;
}

/** The intent a follow-up continues: the topic's feature, or the dated side of a pack answer. */
/**
 * A follow-up that moves the thread to a neighbouring feature: "how long should that take?" after a
 * topic with a time rule is that rule (the calculator when the priority is known, else the rule's own
 * entry with every priority's line); "done that, still red" after the pack's troubleshooting entry is
 * that issue's next step.
 */
function retarget(topic: Topic, reading: Reading, kb: KnowledgeBase): { intent: Intent; topic: Topic } | undefined {
  const rule = topicRule(topic, kb);
  // "tried both, still nothing" after the search tips: the next tip (the trust's contact stays on the
  // card); "tried every one of them" is past the tips, so the contact.
  if (onSearchTips(topic, kb) && STILL_STUCK.test(reading.lower) && !TRIED_ALL.test(reading.lower))
    return { intent: { kind: 'search-tips' }, topic };
  // "where does it show up after?", "what happens if we're late?" after a date: about the rule
  // itself, so its own entry and its neighbours answer, not the calculator again.
  const aboutTheRule =
    topic.feature === 'deadline' &&
    rule !== undefined &&
    !isDated(reading) &&
    !HOW_LONG.test(reading.lower) &&
    reading.search.entities.priority === undefined &&
    !NOT_CONTACTED.test(reading.lower);
  const ruleEntry = aboutTheRule && rule ? kb.routing.ruleEntries[rule] : undefined;
  if (ruleEntry)
    return { intent: { kind: 'knowledge' }, topic: { ...topic, feature: 'knowledge', entryId: ruleEntry } };
  if (rule && topic.feature !== 'deadline' && HOW_LONG.test(reading.lower)) {
    if (reading.search.entities.priority ?? topic.priority) return { intent: { kind: 'deadline' }, topic };
    const entryId = kb.routing.ruleEntries[rule];
    if (entryId) return { intent: { kind: 'knowledge' }, topic: { ...topic, feature: 'knowledge', entryId } };
  }
  const issue = topic.feature === 'knowledge' && topic.entryId ? issueOfEntry(kb, topic.entryId) : undefined;
  // "done that, anything else?" is progress, not a failure: the entry's own next words answer it.
  if (issue && STILL_STUCK.test(reading.lower) && (FAILED.test(reading.lower) || NO_CHANGE.test(reading.lower)))
    return { intent: { kind: 'troubleshoot', issue }, topic: { ...topic, feature: 'troubleshoot', issue } };
  return undefined;
}

function refineIntent(topic: Topic, reading: Reading, kb: KnowledgeBase): Intent {
  const dated = isDated(reading);
  switch (topic.feature) {
    case 'contact': {
      // "and routine?" after the 2WW downtime mailbox: the purpose that priority has.
      const priority = reading.search.entities.priority;
      const byPriority =
        topic.purpose && priority ? kb.routing.purposeByPriority[topic.purpose]?.[priority] : undefined;
      const purpose = byPriority ?? topic.purpose;
      return purpose ? { kind: 'contact', purpose } : { kind: 'contact' };
    }
    case 'troubleshoot':
      return { kind: 'troubleshoot', issue: (topic.issue ?? 1) as IssueNumber };
    case 'downtime': {
      // "same on the web, other practices are fine": what the person found out changes the situation.
      const found = downtimeSituationOf(reading.lower);
      const situation = found === 'local' ? found : topic.situation;
      return situation ? { kind: 'downtime', situation } : { kind: 'downtime' };
    }
    case 'deadline':
      if (topicRule(topic, kb) === 'deferral' && NOT_CONTACTED.test(reading.lower))
        return { kind: 'contact', purpose: 'deferred-not-booked' };
      return { kind: 'deadline' };
    case 'knowledge':
      // "and if they don't?" after how to defer: who to chase when the date passes.
      if (topicRule(topic, kb) === 'deferral' && NOT_CONTACTED.test(reading.lower))
        return { kind: 'contact', purpose: 'deferred-not-booked' };
      if (dated && isDowntimeTopic(topic, kb)) return { kind: 'downtime' };
      // "urgent, I did it just now" after the rule: its date, counted from today.
      if ((dated || saysDoneNow(reading.lower)) && topicRule(topic, kb)) return { kind: 'deadline' };
      return { kind: 'knowledge' };
  }
}

/** The troubleshooting issue an entry of the pack's trouble shooting guide is ("... > Issue 3"). */
const ISSUE_SECTION = /\bIssue ([1-8])$/;
function issueOfEntry(kb: KnowledgeBase, entryId: string): IssueNumber | undefined {
  const m = ISSUE_SECTION.exec(kb.byId.get(entryId)?.section ?? '');
  return m ? (Number(m[1]) as IssueNumber) : undefined;
}

/** Whether a new question of its own continues the same thread, so its missing details come from the topic. */
function sameThread(intent: Intent, topic: Topic, kb: KnowledgeBase, lower: string): boolean {
  if (NEW_TOPIC.test(lower)) return false;
  if (intent.kind === 'downtime') return isDowntimeTopic(topic, kb);
  if (intent.kind === 'deadline') return topicRule(topic, kb) !== undefined;
  if (intent.kind === 'contact') return topic.feature === 'contact' && topic.purpose === intent.purpose;
  if (intent.kind === 'troubleshoot') return topic.feature === 'troubleshoot' && topic.issue === intent.issue;
  return false;
}

/**
 * Routes a read message in its conversation. Pure.
 *
 * @example route(readMessage('its the pruh', now, deps), { topic: deferredContactTopic }, kb)
 *   // { intent: { kind: 'contact', purpose: 'deferred-not-booked' }, refines: topic, entities: { sites: ['kch-pruh'], ... } }
 */
export function route(reading: Reading, conversation: ConversationContext, kb: KnowledgeBase): Routed {
  const { lower, search, now } = reading;
  const { dialog, topic } = conversation;
  // The dates were read with the message (readMessage): each deadline question below reuses them.
  const plainDeadline = answerDeadline(lower, now, {}, { dates: reading.times });
  const understood = understand({
    text: lower,
    search,
    isDeadlineQuestion: isDeadlineQuestion(plainDeadline, lower, now, reading.times),
    routing: kb.routing,
  });
  const intent = askedContact(understood, reading, kb);
  // A reply to the bot's question is short, or (for the date dialogs) carries the date asked for;
  // anything else is a new question, answered rather than trapped in the dialog.
  const short = reading.words <= MAX_ANSWER_WORDS;
  const datedAnswer = (dialog?.name === 'deadline' || dialog?.name === 'downtime') && isDated(reading);
  const accepted = dialog && (short || datedAnswer) ? dialogAccepts(dialog, reading, plainDeadline) : undefined;
  if (dialog && accepted) {
    // The places and priority said earlier stay with the conversation while it answers the question.
    const entities = topic ? mergeEntities(search.entities, topic) : search.entities;
    return { continues: dialog.name, accepted, intent, entities, deadline: plainDeadline };
  }
  if (topic && followsUp(reading, topic, intent, kb)) {
    const moved = retarget(topic, reading, kb);
    const refines = moved?.topic ?? topic;
    const refined = moved?.intent ?? refineIntent(topic, reading, kb);
    const known = deadlineKnownFrom(topic, kb);
    // "how long should that take?" asks the rule's time, whatever date the words happen to lack.
    // "when should they have called by?" after a date asks for that date again.
    const asksTime = moved !== undefined || HOW_LONG.test(lower) || BEEN_A_WHILE.test(lower);
    const deadline =
      refined.kind !== 'deadline'
        ? plainDeadline
        : answerDeadline(lower, now, known, { asksTime, dates: reading.times, computed: plainDeadline });
    // A follow-up the calculator cannot use ("we're a Bromley surgery" after a date) is not its.
    if (refined.kind !== 'deadline' || deadline.kind !== 'none')
      return { intent: refined, refines, entities: mergeEntities(search.entities, topic), deadline };
  }
  if (topic && sameThread(intent, topic, kb, lower)) {
    const deadline =
      intent.kind === 'deadline'
        ? answerDeadline(lower, now, deadlineKnownFrom(topic, kb), { dates: reading.times, computed: plainDeadline })
        : plainDeadline;
    return { intent, refines: topic, entities: mergeEntities(search.entities, topic), deadline };
  }
  return { intent: ruleAsked(intent, reading, kb), entities: search.entities, deadline: plainDeadline };
}

/**
 * "How long does the hospital get to book a referral we deferred?" with no priority or date: the
 * rule's own entry, with every priority's time, rather than the nearest entry that shares its words.
 */
function ruleAsked(intent: Intent, reading: Reading, kb: KnowledgeBase): Intent {
  if (intent.kind !== 'knowledge' || !HOW_LONG.test(reading.lower) || isDated(reading)) return intent;
  const rule = detectRule(reading.lower);
  const entryId = rule ? kb.routing.ruleEntries[rule] : undefined;
  return entryId ? { kind: 'knowledge', entryId } : intent;
}

/**
 * Reads the message once, before routing, and decides where it goes (see `route`). The masked
 * text replaces the original, so no later step can log or store an identifier.
 */
export function computeInsight(context: TurnContext, state: AppTurnState, deps: FeatureDeps): TurnInsight {
  const now = deps.clock.now();
  const reading = readMessage(context.activity.text, now, deps);
  context.activity.text = reading.text;
  const timeout = deps.config.dialogTimeoutMinutes;
  const dialog = activeDialog(state.conversation, now, timeout);
  const topic = recallTopic(state.conversation, now, timeout);
  const routed = route(reading, { dialog, topic }, deps.kb);
  const insight: TurnInsight = {
    text: reading.text,
    lower: reading.lower,
    search: reading.search,
    reading,
    piiFound: reading.piiFound,
    ...(dialog ? { dialog } : {}),
    ...(topic ? { topic } : {}),
    ...routed,
  };
  setInsight(context, insight);
  return insight;
}
