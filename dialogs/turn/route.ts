import type { TurnContext } from 'botbuilder';
import { cleanInput } from '../../bot/safety/input-limits.js';
import { detectPii, maskPii } from '../../bot/safety/pii.js';
import type { AppTurnState, DialogState } from '../../bot/state.js';
import { answerDeadline, type DeadlineKnown, type DeadlineReply } from '../../bot/time/deadlines.js';
import { type ParsedDateText, parseDateText } from '../../bot/time/parse-date.js';
import type { Entities } from '../../knowledge/entities.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { ContactRoute } from '../../knowledge/schema.js';
import type { SearchResult } from '../../knowledge/search.js';
import { type ContactAnswer, contactAccepts } from '../contacts.js';
import { deadlineAccepts, isDeadlineQuestion } from '../deadlines.js';
import { activeDialog, deadlineKnownOf } from '../dialog-state.js';
import { type DowntimeAnswer, downtimeAccepts } from '../downtime.js';
import { DOWNTIME_SECTION } from '../downtime-text.js';
import type { FeatureDeps } from '../feature-deps.js';
import { cleanText } from '../message-text.js';
import { setInsight, type TurnInsight } from '../router.js';
import { type TroubleshootAnswer, troubleshootAccepts } from '../troubleshooting.js';
import { detectIssue, detectPurpose, type Intent, type IssueNumber, understand } from '../understand.js';
import { NEW_TOPIC, REFERS_BACK, STILL_STUCK } from './signals.js';
import { recallTopic, type Topic } from './topic.js';

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
/** A pronoun in a message this short points back at the last answer. */
const PRONOUN_WORDS = 8;
const PRONOUN = /\b(?:that|it|this|them|they|she|he|her|him|those|these|one)\b/;
/** "And if they don't ring her by then?" after a deferral date: the chase contact. */
const NOT_CONTACTED =
  /\b(?:don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|not|never|no one|nobody)\b.{0,20}\b(?:ring|call|phone|contact|hear|book|get in touch)\w*\b/;
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
  const cleaned = cleanInput(cleanText(raw));
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
/** "Who is the systems manager at the PRUH?" asks for a person, when the role words name one. */
const ASKS_WHO = /\bwho(?:'s| is| are)\b/;

/**
 * A question for one contact by its name, role or mailbox ("the systems manager at the PRUH", "the
 * Halo portal link") is answered with that contact alone, when nothing more specific claimed it.
 */
function askedContact(intent: Intent, reading: Reading): Intent {
  const asksPlainly = intent.kind === 'knowledge' || (intent.kind === 'contact' && !intent.purpose);
  if (!asksPlainly || reading.search.outOfScope) return intent;
  const explicit = ASKS_FOR_CONTACT.test(reading.lower);
  if (!explicit && !ASKS_WHO.test(reading.lower)) return intent;
  // "Who is allowed to run a bulk service update?" shares one word with the ICT service desk: a
  // person asked for by "who is" must be named by two of their words.
  // A confident answer from the pack wins over one shared word with a contact's name ("booking").
  const strong = !explicit || reading.search.confidence === 'confident';
  const routes = strong ? reading.contactsByTwoWords : reading.contacts;
  if (routes.length === 0) return intent;
  return { kind: 'contact', purpose: routes[0]?.purpose, routeIds: routes.map((r) => r.id) };
}

/** A reply to the question a dialog asked, read once: its handler uses it as it is. */
export type Accepted =
  | { dialog: 'troubleshoot'; answer: TroubleshootAnswer }
  | { dialog: 'contact'; answer: ContactAnswer }
  | { dialog: 'downtime'; answer: DowntimeAnswer }
  | { dialog: 'deadline'; answer: DeadlineReply };

function dialogAccepts(dialog: DialogState, reading: Reading): Accepted | undefined {
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
      return as('deadline', deadlineAccepts(lower, now, deadlineKnownOf(dialog), reading.times));
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
function followsUp(reading: Reading, topic: Topic, own: Intent): boolean {
  if (reading.search.outOfScope || NEW_TOPIC.test(reading.lower)) return false;
  const { lower, search } = reading;
  // A short message the pack cannot place on its own, straight after an answer ("she'd prefer a
  // brand new one", "bloods uploaded, what now?", "do I cc anyone on it?"), is about that answer.
  const unplaced = search.confidence === 'none' && reading.words <= VAGUE_WORDS;
  // "is there a mailbox for that?", "can she do it herself?": a short question about what was just said.
  const aboutLast = PRONOUN.test(lower) && reading.words <= PRONOUN_WORDS;
  const signals =
    aboutLast ||
    namesDetail(search.entities) ||
    isDated(reading) ||
    STILL_STUCK.test(lower) ||
    REFERS_BACK.test(lower) ||
    unplaced;
  if (!signals || reading.words > MAX_FOLLOW_UP_WORDS) return false;
  // "done all the search tips, still nothing" names the tips, but reports how the last answer went.
  const reportsResult = STILL_STUCK.test(lower) && (own.kind === 'search-tips' || own.kind === 'troubleshoot-menu');
  if (reportsResult) return true;
  // A short question about "it" or "that" is about the last answer, even where two of its words
  // happen to match some entry of the pack ("is there a mailbox for that?").
  const fromSearchOnly = own.kind === 'knowledge' || own.kind === 'search-tips' || !detectsOwnTopic(lower);
  if (aboutLast && fromSearchOnly) return true;
  if (own.kind !== 'knowledge') return false;
  const top = search.results[0]?.entry.id;
  if (search.confidence === 'confident' && reading.words > NEW_QUESTION_WORDS && top !== topic.entryId) return false;
  return true;
}

/** Whether the words name a problem, purpose or outage of their own (not just a search match). */
function detectsOwnTopic(lower: string): boolean {
  return detectIssue(lower) !== undefined || detectPurpose(lower) !== undefined;
}

/** The intent a follow-up continues: the topic's feature, or the dated side of a pack answer. */
function refineIntent(topic: Topic, reading: Reading, kb: KnowledgeBase): Intent {
  const dated = isDated(reading);
  switch (topic.feature) {
    case 'contact':
      return topic.purpose ? { kind: 'contact', purpose: topic.purpose } : { kind: 'contact' };
    case 'troubleshoot':
      return { kind: 'troubleshoot', issue: (topic.issue ?? 1) as IssueNumber };
    case 'downtime':
      return topic.situation ? { kind: 'downtime', situation: topic.situation } : { kind: 'downtime' };
    case 'deadline':
      if (topicRule(topic, kb) === 'deferral' && NOT_CONTACTED.test(reading.lower))
        return { kind: 'contact', purpose: 'deferred-not-booked' };
      return { kind: 'deadline' };
    case 'knowledge':
      if (dated && isDowntimeTopic(topic, kb)) return { kind: 'downtime' };
      if (dated && topicRule(topic, kb)) return { kind: 'deadline' };
      return { kind: 'knowledge' };
  }
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

function mergeEntities(own: Entities, topic: Topic): Entities {
  const places = own.sites.length > 0 || own.trusts.length > 0 || own.boroughs.length > 0;
  const merged: Entities = places
    ? { sites: own.sites, trusts: own.trusts, boroughs: own.boroughs }
    : { sites: topic.sites, trusts: [], boroughs: topic.boroughs };
  const priority = own.priority ?? topic.priority;
  if (priority) merged.priority = priority;
  return merged;
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
  const plainDeadline = answerDeadline(lower, now, {}, reading.times);
  const understood = understand({
    text: lower,
    search,
    isDeadlineQuestion: isDeadlineQuestion(plainDeadline, lower, now, reading.times),
    routing: kb.routing,
  });
  const intent = askedContact(understood, reading);
  // A reply to the bot's question is short, or (for the date dialogs) carries the date asked for;
  // anything else is a new question, answered rather than trapped in the dialog.
  const short = reading.words <= MAX_ANSWER_WORDS;
  const datedAnswer = (dialog?.name === 'deadline' || dialog?.name === 'downtime') && isDated(reading);
  const accepted = dialog && (short || datedAnswer) ? dialogAccepts(dialog, reading) : undefined;
  if (dialog && accepted) {
    // The places and priority said earlier stay with the conversation while it answers the question.
    const entities = topic ? mergeEntities(search.entities, topic) : search.entities;
    return { continues: dialog.name, accepted, intent, entities, deadline: plainDeadline };
  }
  if (topic && followsUp(reading, topic, intent)) {
    const refined = refineIntent(topic, reading, kb);
    const deadline =
      refined.kind === 'deadline'
        ? answerDeadline(lower, now, deadlineKnownFrom(topic, kb), reading.times)
        : plainDeadline;
    // A follow-up the calculator cannot use ("we're a Bromley surgery" after a date) is not its.
    if (refined.kind !== 'deadline' || deadline.kind !== 'none')
      return { intent: refined, refines: topic, entities: mergeEntities(search.entities, topic), deadline };
  }
  if (topic && sameThread(intent, topic, kb, lower)) {
    const deadline =
      intent.kind === 'deadline'
        ? answerDeadline(lower, now, deadlineKnownFrom(topic, kb), reading.times)
        : plainDeadline;
    return { intent, refines: topic, entities: mergeEntities(search.entities, topic), deadline };
  }
  return { intent, entities: search.entities, deadline: plainDeadline };
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
    ...routed,
  };
  setInsight(context, insight);
  return insight;
}
