import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Entities } from '../knowledge/entities.js';
import { expansionAsked, expansionsOf } from '../knowledge/glossary.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { boroughId, type ContactRoute, type Entry, priority, siteId } from '../knowledge/schema.js';
import { CONFIDENCE_THRESHOLDS, type SearchResult } from '../knowledge/search.js';
import { answerCard, entryBody, guidanceUrl, sourceLine } from './answer-card.js';
import { replacePressedCard, takeCardPress } from './card-update.js';
import { adaptiveCard, choice, choiceList, submit, text } from './cards/card.js';
import { type DrawnCards, drawnOnce } from './cards/drawn-once.js';
import { forPriority, routeMarkdown, routesFor } from './contacts-view.js';
import { ruleSummary } from './deadlines-text.js';
import { endDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { KB_TEXT } from './knowledge-text.js';
import { insightOf, type TurnInsight } from './router.js';
import { type AppTurnState, stateTime } from './state.js';
import {
  ASKS_DETAIL,
  ASKS_WHY,
  DID_STEP,
  FAILED,
  FRAGMENT_WORDS,
  HELPFUL,
  NOT_HELPFUL,
  STILL_STUCK,
  YES_NO,
} from './turn/signals.js';
import { mergeEntities, rememberTopic } from './turn/topic.js';

const PICK = /^#?\s*([1-3])[.)]?$/;
/** A close match answered outright when it leads the runner-up by this much (see answerSearch). */
const CLEAR_LEAD = Object.freeze({ maxScore: 0.45, lead: 0.08 });
/** Below this lead two close matches on different topics are a real tie: the bot asks which. */
const TIE_LEAD = 0.01;
/** A neighbour this close to a follow-up's words is what it asks about; past it, the same answer again. */
const NEIGHBOUR_MAX_SCORE = 0.6;
const SAME_AGAIN_MARGIN = 0.05;
/** A reply to "Did you mean" this short ("its routine") is read against the choices offered. */
const OFFERED_REPLY_WORDS = 8;
/** Scores past "close" still answered as the pack's nearest answer when on an e-RS topic and not tied. */
const BEST_GUESS = Object.freeze({ maxScore: 0.65 });

/** Two entries on one topic: one lists the other as related, or they come from one section. */
function neighbours(a: Entry, b: Entry): boolean {
  return a.related.includes(b.id) || b.related.includes(a.id) || a.section === b.section;
}

/**
 * The contacts an entry lists, narrowed to the trust, site or borough the question named (a
 * question about PRUH gets PRUH's address, not the table). Routes for other places are dropped
 * only when at least one route matches, so a question never loses its contacts altogether.
 */
export function focusedRoutes(
  entry: Entry,
  routesById: ReadonlyMap<string, ContactRoute>,
  entities: Entities,
): ContactRoute[] {
  const routes = entry.contacts.map((id) => routesById.get(id)).filter((r): r is ContactRoute => r !== undefined);
  const bySite =
    entities.sites.length > 0
      ? routes.filter((r) => !r.sites || r.sites.some((s) => entities.sites.includes(s)))
      : routes;
  const byBorough =
    entities.boroughs.length > 0
      ? bySite.filter((r) => !r.boroughs || r.boroughs.some((b) => entities.boroughs.includes(b)))
      : bySite;
  const specific = byBorough.filter((r) => r.sites || r.boroughs);
  const placed = specific.length > 0 || routes.every((r) => !r.sites && !r.boroughs) ? byBorough : routes;
  return forPriority(placed, entities.priority);
}

/** What a feedback button carries: enough to draw the same card again once it has been pressed. */
const feedbackSubmit = z.object({
  entryId: z.string(),
  helpful: z.boolean(),
  sites: z.array(siteId).catch([]),
  boroughs: z.array(boroughId).catch([]),
  priority: priority.optional().catch(undefined),
  alternatives: z.array(z.string()).catch([]),
});

export function entryCard(
  deps: FeatureDeps,
  entry: Entry,
  entities: Entities,
  alternatives: readonly Entry[] = [],
  { rated, leadIn, step, note }: { rated?: boolean; leadIn?: string; step?: number; note?: string } = {},
) {
  const stepSays = step === undefined ? undefined : entry.steps[step - 1];
  const body = [
    ...(leadIn ? [text(leadIn, { isSubtle: true })] : []),
    ...(note ? [text(note)] : []),
    ...(stepSays && step ? [text(KB_TEXT.nextStep(step, entry.steps.length, stepSays))] : []),
    ...entryBody(entry, entities.priority),
  ];
  // "deferring an urgent one to provider": the time that priority's rule gives, beside how to do it.
  const rule = deps.kb.routing.dateRuleEntries[entry.id];
  if (rule && entities.priority && deps.kb.routing.ruleEntries[rule] !== entry.id) {
    body.push(text(ruleSummary(rule, entities.priority)));
  }
  const routes = focusedRoutes(entry, deps.kb.routesById, entities);
  // A table of every trust's contact is only shown once the question names the place: until then
  // the contacts for everywhere stay, and the card asks which trust (the next message narrows it).
  const named = entities.sites.length > 0 || entities.trusts.length > 0 || entities.boroughs.length > 0;
  const placed = routes.filter((r) => r.sites || r.boroughs);
  const shown = !named && placed.length > 2 ? routes.filter((r) => !r.sites && !r.boroughs) : routes;
  // The downtime mailboxes all say "state why in the body": the entry's answer says it once.
  const showHow = (r: ContactRoute) => shown.length === 1 || !r.purpose.startsWith('downtime-');
  if (shown.length > 0 && shown.length <= 6) {
    body.push(text(shown.map((r) => routeMarkdown(r, { showHow: showHow(r) })).join('\n\n')));
  }
  if (shown.length < routes.length) body.push(text(KB_TEXT.nameTheTrust, { isSubtle: true }));
  if (alternatives.length > 0) {
    body.push(text(KB_TEXT.notQuite, { isSubtle: true }));
    body.push(choiceList(alternatives.map((r) => ({ title: r.title, says: r.title }))));
  } else {
    // A Bromley practice is not offered the other boroughs' forms, nor they Bromley's.
    const related = entry.related
      .map((id) => deps.kb.byId.get(id))
      .filter((e): e is Entry => e !== undefined && holdsFor(deps, e, entities))
      .slice(0, 3);
    if (related.length > 0) body.push(choiceList(related.map((r) => ({ title: r.title, says: r.title }))));
  }
  const redraw = {
    entryId: entry.id,
    sites: entities.sites,
    boroughs: entities.boroughs,
    ...(entities.priority ? { priority: entities.priority } : {}),
    alternatives: alternatives.map((e) => e.id),
  };
  // Once rated, the card says so in place of the buttons.
  if (rated !== undefined) body.push(text(rated ? KB_TEXT.ratedHelpful : KB_TEXT.ratedNotHelpful, { isSubtle: true }));
  return answerCard({
    title: entry.title,
    body,
    source: sourceLine(entry),
    actions:
      rated === undefined
        ? [
            submit(KB_TEXT.helpful, 'feedback', { ...redraw, helpful: true }),
            submit(KB_TEXT.notHelpful, 'feedback', { ...redraw, helpful: false }),
          ]
        : [],
    pageUrl: guidanceUrl(deps.config, entry.id),
  });
}

/**
 * Answer cards drawn once per knowledge base and what they were drawn for, rather than on every
 * answer (entryCard reads nothing else: the entry and its kin from the knowledge base, the places,
 * trusts and priority asked about, the alternatives' ids and titles, the options, the app's address).
 */
const ENTRY_CARDS: DrawnCards<KnowledgeBase> = new WeakMap();

/** entryCard, drawn once for the same entry and details (see ENTRY_CARDS; a new attachment each call). */
export function entryCardOnce(
  deps: FeatureDeps,
  entry: Entry,
  entities: Entities,
  alternatives: readonly Entry[] = [],
  options: { rated?: boolean; leadIn?: string; step?: number; note?: string } = {},
) {
  // The entry's own object too: one not from this knowledge base is drawn, never taken for another.
  if (deps.kb.byId.get(entry.id) !== entry) return entryCard(deps, entry, entities, alternatives, options);
  // Every field of the entities and options is in the key: a field added to either fails to compile
  // here (`rest` would no longer be empty) until the key holds it, so a card is never taken for another.
  const { sites, trusts, boroughs, priority, ...otherEntities } = entities;
  const { rated, leadIn, step, note, ...otherOptions } = options;
  const nothingElse: Record<string, never>[] = [otherEntities, otherOptions];
  if (nothingElse.some((rest) => Object.keys(rest).length > 0))
    return entryCard(deps, entry, entities, alternatives, options);
  let key = `${entry.id}\u0000${sites.join(',')}\u0000${trusts.join(',')}\u0000${boroughs.join(',')}\u0000${priority ?? ''}`;
  key += `\u0000${rated ?? ''}\u0000${leadIn ?? ''}\u0000${step ?? ''}\u0000${note ?? ''}`;
  key += `\u0000${deps.config.publicBaseUrl}`;
  for (const other of alternatives) key += `\u0000${other.id}\u0001${other.title}`;
  return drawnOnce(ENTRY_CARDS, deps.kb, key, () => entryCard(deps, entry, entities, alternatives, options));
}

function didYouMeanCard(entries: readonly Entry[]) {
  return adaptiveCard([
    text(KB_TEXT.didYouMean),
    choiceList(entries.map((e, i) => ({ title: `${i + 1}. ${e.title}`, says: e.title }))),
  ]);
}

function notFoundCard(deps: FeatureDeps) {
  const training = routesFor(deps.kb, 'training');
  return adaptiveCard(
    [
      text(KB_TEXT.notFound),
      text(KB_TEXT.notFoundTraining),
      text(training.map((r) => routeMarkdown(r, { showHow: false })).join('\n')),
    ],
    [choice('Help', 'help')],
  );
}

async function storeFeedback(context: TurnContext, deps: FeatureDeps, entryId: string, helpful: boolean) {
  const now = deps.clock.now();
  await deps.records.append(
    'feedback',
    { at: now.toISOString(), entryId, helpful, conversationType: context.activity.conversation?.conversationType },
    now,
  );
  deps.logger.info({ event: 'feedback', entryId, helpful }, 'feedback recorded');
}

async function recordFeedback(
  context: TurnContext,
  deps: FeatureDeps,
  entryId: string,
  helpful: boolean,
): Promise<void> {
  await storeFeedback(context, deps, entryId, helpful);
  await context.sendActivity(helpful ? KB_TEXT.thanksHelpful : KB_TEXT.thanksNotHelpful);
}

/**
 * A Helpful / Not helpful button: recorded once per card (pressing again, or the other button,
 * does nothing new), and the card is redrawn to say what was recorded.
 */
async function pressFeedback(context: TurnContext, deps: FeatureDeps): Promise<void> {
  const parsed = feedbackSubmit.safeParse(context.activity.value);
  const entry = parsed.success ? deps.kb.byId.get(parsed.data.entryId) : undefined;
  if (!parsed.success || !entry) {
    await context.sendActivity(KB_TEXT.noAnswerToRate);
    return;
  }
  const { helpful, sites, boroughs, priority: asked } = parsed.data;
  const press = await takeCardPress(deps, context, 'feedback', entry.id);
  if (!press) return;
  try {
    await storeFeedback(context, deps, entry.id, helpful);
  } catch (err: unknown) {
    await press.undo();
    throw err;
  }
  await press.done();
  const alternatives = parsed.data.alternatives
    .map((id) => deps.kb.byId.get(id))
    .filter((e): e is Entry => e !== undefined);
  // Redrawn as it was answered: the same places and priority focus.
  const card = entryCard(
    deps,
    entry,
    { sites, boroughs, trusts: [], ...(asked ? { priority: asked } : {}) },
    alternatives,
    {
      rated: helpful,
    },
  );
  if (!(await replacePressedCard(deps, context, card)))
    await context.sendActivity(helpful ? KB_TEXT.thanksHelpful : KB_TEXT.thanksNotHelpful);
}

/**
 * An entry that holds for some boroughs only ("Referral forms in Bromley: ROP"), asked about by a
 * practice in another borough: its sibling for that borough.
 */
function forBorough(deps: FeatureDeps, entry: Entry, entities: Entities): Entry {
  const byBorough = deps.kb.routing.boroughEntries;
  const borough = entities.boroughs.length === 1 ? entities.boroughs[0] : undefined;
  const holds = byBorough[entry.id];
  if (!borough || !holds || holds.includes(borough)) return entry;
  const sibling = Object.entries(byBorough).find(([id, boroughs]) => id !== entry.id && boroughs.includes(borough));
  return (sibling && deps.kb.byId.get(sibling[0])) ?? entry;
}

/** Whether an entry holds for the borough named (or for every borough). */
function holdsFor(deps: FeatureDeps, entry: Entry, entities: Entities): boolean {
  const holds = deps.kb.routing.boroughEntries[entry.id];
  return !holds || entities.boroughs.length === 0 || entities.boroughs.some((b) => holds.includes(b));
}

async function answerEntry(
  context: TurnContext,
  state: AppTurnState,
  deps: FeatureDeps,
  asked: Entry,
  entities: Entities,
  alternatives: readonly Entry[] = [],
  { leadIn, step, note }: { leadIn?: string; step?: number; note?: string } = {},
) {
  const entry = forBorough(deps, asked, entities);
  const offered = alternatives.filter((e) => e.id !== entry.id && holdsFor(deps, e, entities));
  state.conversation.lastAnswer = { entryId: entry.id, at: stateTime(deps.clock.now()) };
  rememberTopic(
    state.conversation,
    {
      feature: 'knowledge',
      entryId: entry.id,
      sites: entities.sites,
      boroughs: entities.boroughs,
      priority: entities.priority,
      step: entry.id === asked.id ? step : undefined,
    },
    deps.clock.now(),
  );
  delete state.conversation.choices;
  const shownStep = entry.id === asked.id ? step : undefined;
  await context.sendActivity({
    attachments: [
      entryCardOnce(deps, entry, entities, offered, {
        ...(leadIn ? { leadIn } : {}),
        ...(shownStep ? { step: shownStep } : {}),
        ...(note ? { note } : {}),
      }),
    ],
  });
  deps.logger.info({ event: 'knowledge.answer', entryId: entry.id }, 'answered from the pack');
  // Usage only orders the message extension's opening list: counted off the turn's path, and a
  // storage failure must not cost the answer.
  deps.usage.record(entry.id, deps.clock.now());
  deps.insights?.countTopic(entry.id, deps.clock.now());
}

/**
 * The entry a follow-up is answered from: "what about routine ones?" after a date rule is that rule's
 * own entry, focused on the priority; anything else is read against the thread (below).
 */
function followUpEntry(deps: FeatureDeps, entry: Entry, insight: TurnInsight): Entry {
  // "its a 2ww" after the 2WW entry itself: that entry again, not its time rule.
  const asked = insight.search.entities.priority;
  if (asked && Object.values(deps.kb.routing.entryByPriority).some((m) => m[asked] === entry.id)) return entry;
  // "and 2WW ones?" after the urgent and routine stage: the entry for that priority.
  const forPriority = asked ? deps.kb.routing.entryByPriority[entry.id]?.[asked] : undefined;
  const priorityEntry = forPriority ? deps.kb.byId.get(forPriority) : undefined;
  if (priorityEntry) return priorityEntry;
  // "its routine" after an answer with a time rule: the rule's own entry, for that priority.
  const rule = deps.kb.routing.dateRuleEntries[entry.id];
  const ruleEntry = rule ? deps.kb.byId.get(deps.kb.routing.ruleEntries[rule] ?? '') : undefined;
  if (ruleEntry && insight.entities.priority && insight.search.entities.priority) return ruleEntry;
  // "when should we do it?" after an answer whose neighbour says when (the bulk update's timing): that one.
  if (ASKS_WHEN.test(insight.lower)) {
    const timing = deps.kb.routing.timingEntries.find((id) => id === entry.id || entry.related.includes(id));
    const timed = timing ? deps.kb.byId.get(timing) : undefined;
    if (timed) return timed;
  }
  // "what's the point though?": the reason is in the answer just given, or a neighbour that gives it.
  if (ASKS_WHY.test(insight.lower)) return nextInThread(deps, entry, insight.text, true, true);
  // "and their phone number?" after an answer with contacts: the same answer, contacts and all.
  if (entry.contacts.length > 0 && ASKS_DETAIL.test(insight.lower) && !insight.search.entities.sites.length)
    return entry;
  // "the princess royal one, not denmark hill" after an answer with each site's contact: the same
  // answer, focused on that site.
  const named = insight.search.entities;
  const placedHere =
    (named.sites.length > 0 || named.boroughs.length > 0) &&
    focusedRoutes(entry, deps.kb.routesById, insight.entities).some((r) => r.sites || r.boroughs);
  if (placedHere) return entry;
  // "it's for the PRUH" after an answer with no contacts, or "did all of those, nothing" after one for
  // a place named before: the neighbour that has that place's contact.
  const { sites, boroughs } = STILL_STUCK.test(insight.lower) ? insight.entities : insight.search.entities;
  if ((sites.length > 0 || boroughs.length > 0) && entry.contacts.length === 0) {
    const withContacts = entry.related
      .map((id) => deps.kb.byId.get(id))
      .find(
        (e) =>
          e !== undefined && focusedRoutes(e, deps.kb.routesById, insight.entities).some((r) => r.sites || r.boroughs),
      );
    if (withContacts) return withContacts;
  }
  // "do we have to tell her or will they?": a yes/no question about the answer is mostly answered by it.
  // "what happens if it's late?" places nowhere on its own: it is about the answer just given.
  // "what can I do with it?": a question word and a pronoun for the answer, read with its title first.
  const titleFirst =
    (WHAT_IF.test(insight.lower) && insight.search.confidence === 'none') ||
    (BARE_ABOUT_IT.test(insight.lower) && insight.reading.words <= BARE_ABOUT_IT_WORDS);
  // "key?": a fragment about the answer is answered by it first.
  const aboutIt = YES_NO.test(insight.lower) || insight.reading.words <= FRAGMENT_WORDS;
  return nextInThread(deps, entry, insight.text, aboutIt || titleFirst, titleFirst);
}

/** "when should we do it?", "what time is best?": asks when to do what was just answered. */
const ASKS_WHEN = /^(?:ok |so |and )?(?:when (?:should|do|can|could|would|shall) (?:we|i|they)|what time|best time)\b/;
/** "what can I do with it?", "where do they get that?": a question word and a pronoun for what was just said. */
const BARE_ABOUT_IT = /^(?:ok |so |and )?(?:where|how|who|when|what)\b.*\b(?:that|it|this|them|those)\b/;
const BARE_ABOUT_IT_WORDS = 6;
/** "what happens if it's late?": what follows from the answer just given. */
const WHAT_IF = /^(?:and |so |but |ok )?what (?:happens|if)\b/;
/** "found it, what next?", "then what?": asks for the step after the one just done. */
const NEXT_CUE =
  /\b(?:what(?:'?s| is)? next|then what|what now|now what|what (?:do|should|shall) (?:i|we) do (?:now|next)|and then|next step|(?:and )?after that|what after)\b|\b(?:next|then)\s*\?\s*$/;
/** Words of the cue itself, not of any step. */
const PROGRESS_TOKENS = new Set([
  'what',
  'next',
  'then',
  'now',
  'found',
  'run',
  'did',
  'fail',
  'still',
  'ok',
  'okay',
  'and',
  'so',
  'step',
]);
/** A report on one step is short; a longer message asks something of its own. */
const STEP_REPORT_WORDS = 14;

/**
 * Working through an answer's numbered steps: "found it, what next?", "services ticked, then?", "the
 * test booking failed" is the step after the one the words name (or after the last one given, when
 * they name none). Undefined when the words name something no step has, or the last step is done.
 */
function stepAfter(deps: FeatureDeps, entry: Entry, insight: TurnInsight, lastStep: number | undefined, named = false) {
  const { steps } = entry;
  if (steps.length < 2 || insight.reading.words > STEP_REPORT_WORDS) return undefined;
  const failed = FAILED.test(insight.lower);
  // "does that go on the referral letter then?" asks about the answer, not for the next step.
  if (YES_NO.test(insight.lower)) return undefined;
  if (!NEXT_CUE.test(insight.lower) && !DID_STEP.test(insight.lower) && !failed) return undefined;
  const words = new Set(deps.kb.normaliser.tokens(insight.text).filter((t) => !PROGRESS_TOKENS.has(t)));
  let done: number | undefined;
  let best = 0;
  steps.forEach((says, i) => {
    const shared = new Set(deps.kb.normaliser.tokens(says).filter((t) => words.has(t))).size;
    if (shared > best) {
      best = shared;
      done = i + 1;
    }
  });
  if (done === undefined && named) return undefined;
  if (done === undefined) {
    // Words of its own that no step has ("did that, still not showing"): read against the thread
    // instead, unless it asks plainly for the next step ("got it open, what next?").
    const asksNext = NEXT_CUE.test(insight.lower) && words.size <= 2;
    if (failed || (words.size > 0 && !asksNext)) return undefined;
    done = lastStep ?? 1;
  }
  return done < steps.length ? done + 1 : undefined;
}

/** A related entry with numbered steps, one of which the words name as done, and the step after it. */
function neighbourStep(deps: FeatureDeps, entry: Entry, insight: TurnInsight) {
  for (const id of entry.related) {
    const near = deps.kb.byId.get(id);
    const step = near && near.steps.length >= 2 ? stepAfter(deps, near, insight, undefined, true) : undefined;
    if (near && step) return { entry: near, step };
  }
  return undefined;
}

/**
 * A follow-up read against the answer before it: the best match for its words among that entry and
 * its neighbours (related entries, the same section), so "bloods uploaded, what now?" after a
 * returned RAS referral finds the next step; the same entry again when none matches better.
 */
function nextInThread(deps: FeatureDeps, entry: Entry, text: string, aboutIt = false, titleFirst = false): Entry {
  const near = new Set([entry.id, ...entry.related]);
  for (const other of deps.kb.entries) if (other.section === entry.section) near.add(other.id);
  // Its words alone, then with the thread's title ("can the GP do that off the same request?" after
  // an A&G answer): the first neighbour either finds, else the same entry.
  // "slot poll failed on one service" after the checks: the same answer's next step (escalate), not a neighbour.
  const reportsFailure = FAILED.test(text);
  // "even if we deferred it?" after who gives appointment letters: the one neighbour that says
  // what the answer does not (here, the exception for deferred referrals).
  const novel = novelWords(deps, entry, text);
  if (novel.length > 0) {
    const covering = [...near]
      .filter((id) => id !== entry.id)
      .map((id) => deps.kb.byId.get(id))
      .filter((e): e is Entry => e !== undefined && novel.every((w) => contentWords(deps, e).has(w)));
    if (covering.length === 1 && covering[0]) return covering[0];
  }
  // A question about the answer itself reads its words with the thread's title first.
  const queries = titleFirst ? [`${entry.title} ${text}`, text] : [text, `${entry.title} ${text}`];
  for (const query of queries) {
    const [best, next] = deps.search
      .search(query, { limit: 25 })
      .results.filter((r) => near.has(r.entry.id) && r.score < NEIGHBOUR_MAX_SCORE);
    // Something new asked about the thread: the same answer again helps least, so a neighbour about
    // as close as it wins.
    if (
      best &&
      next &&
      best.entry.id === entry.id &&
      !reportsFailure &&
      !aboutIt &&
      next.score - best.score < SAME_AGAIN_MARGIN
    )
      return next.entry;
    if (best) return best.entry;
  }
  return entry;
}

/** Question words and the like: they say what is asked, not about what. */
const ASKING_TOKENS = new Set([
  'what',
  'how',
  'who',
  'why',
  'when',
  'where',
  'which',
  'can',
  'do',
  'does',
  'still',
  'now',
  'next',
  'then',
  'even',
  'ok',
  'okay',
  'so',
  'just',
]);

/** The words of what an entry says (title, answer, steps): not the questions it is asked by. */
function contentWords(deps: FeatureDeps, entry: Entry): ReadonlySet<string> {
  return new Set(deps.kb.normaliser.tokens([entry.title, entry.answer, ...entry.steps].join(' ')));
}

/** The words of a follow-up that the answer before it does not say. */
function novelWords(deps: FeatureDeps, entry: Entry, text: string): string[] {
  const said = contentWords(deps, entry);
  return [...new Set(deps.kb.normaliser.tokens(text))].filter((w) => !ASKING_TOKENS.has(w) && !said.has(w));
}

/** A short reply to "Did you mean" that names no choice: the offered entry its words fit best, if any. */
function amongOffered(
  deps: FeatureDeps,
  offered: readonly { value: string }[],
  insight: TurnInsight,
): Entry | undefined {
  if (insight.reading.words > OFFERED_REPLY_WORDS || insight.search.confidence === 'confident') return undefined;
  const ids = new Set(offered.map((o) => o.value));
  const best = deps.search
    .search(insight.text, { limit: 25 })
    .results.find((r) => ids.has(r.entry.id) && r.score < NEIGHBOUR_MAX_SCORE);
  return best?.entry;
}

/** Entries by their title in lower case (the first entry wins a shared title), built once per app. */
function titleIndex(deps: FeatureDeps): ReadonlyMap<string, Entry> {
  const titles = new Map<string, Entry>();
  for (const e of deps.kb.entries) if (!titles.has(e.title.toLowerCase())) titles.set(e.title.toLowerCase(), e);
  return titles;
}

/** "We're planning it for 10am Wednesday, any issue with that?": a time put forward, asking if it is right. */
const PROPOSES_TIME =
  /\b(?:plan\w*|schedul\w*|going to|gonna|intend\w*|thinking of|propos\w*|pencil\w*|fine|ok|okay|alright|any (?:issues?|problems?)|is that)\b/;

async function answerSearch(
  context: TurnContext,
  state: AppTurnState,
  deps: FeatureDeps,
  result: SearchResult,
  entities: Entities,
  lower: string,
  timed = false,
  threadEntryId?: string,
) {
  const top = result.results[0];
  if (result.outOfScope) {
    const reply = {
      clinical: KB_TEXT.outOfScopeClinical,
      emergency: KB_TEXT.outOfScopeEmergency,
      'outside-area': KB_TEXT.outOfScopeOutsideArea,
      'small-talk': KB_TEXT.outOfScopeSmallTalk,
    }[result.outOfScope];
    await context.sendActivity(reply);
    return;
  }
  // Nothing e-RS about it at all ("who won the match"): say what the bot is for, not "not found".
  if (result.confidence === 'none' && result.onTopic === false) {
    await context.sendActivity(KB_TEXT.outOfScopeSmallTalk);
    return;
  }
  // "We've planned the bulk update for 9pm Saturday, fine?": a time stated near the entry that says
  // when to do it is asking whether that time is right.
  // A confident answer on another topic ("bulk update done at midnight, what checks now?") is that answer.
  const timingMayWin =
    timed &&
    (result.confidence !== 'confident' ||
      deps.kb.routing.timingEntries.includes(top?.entry.id ?? '') ||
      PROPOSES_TIME.test(lower));
  const timing = timingMayWin
    ? result.results.slice(0, 4).find((r) => deps.kb.routing.timingEntries.includes(r.entry.id))
    : undefined;
  if (timing && (result.confidence !== 'none' || result.onTopic === true)) {
    const others = result.results
      .filter((r) => r !== timing)
      .slice(0, 2)
      .map((r) => r.entry);
    await answerEntry(context, state, deps, timing.entry, entities, others);
    return;
  }
  if (top && result.confidence === 'confident') {
    await answerEntry(context, state, deps, top.entry, entities);
    return;
  }
  // A close match is answered, with the next two offered, unless the runner-up is level with it on
  // another topic: then only the person knows which they meant ("Did you mean"). A bare list carries
  // no answer at all, and a person asking in their own words mostly wanted the first.
  const second = result.results[1];
  const lead = (second?.score ?? 1) - (top?.score ?? 1);
  const realTie = second !== undefined && top !== undefined && lead < TIE_LEAD && !neighbours(top.entry, second.entry);
  if (
    top &&
    result.confidence === 'close' &&
    (top.score <= CONFIDENCE_THRESHOLDS.confident ||
      (top.score <= CLEAR_LEAD.maxScore && lead >= CLEAR_LEAD.lead) ||
      !realTie)
  ) {
    const others = result.results.slice(1, 3).map((r) => r.entry);
    await answerEntry(context, state, deps, top.entry, entities, others);
    return;
  }
  const now = deps.clock.now();
  const suggestions = result.results.slice(0, 3).map((r) => r.entry);
  // A situation described in words the pack does not use ("whole building lost power") often still
  // ranks the right entry first, just below the "close" line: give it as the nearest answer, with
  // the next two, rather than nothing. Still recorded for the content owners below.
  const nearEnough =
    top !== undefined && result.confidence === 'none' && result.onTopic === true && top.score <= BEST_GUESS.maxScore;
  const bestGuess = nearEnough && !realTie;
  // Two answers on different topics equally near: the person picks, rather than hearing "not found".
  const tiedGuess = nearEnough && realTie;
  await deps.records.append(
    'unanswered',
    {
      at: now.toISOString(),
      words: result.packWords ?? [],
      confidence: result.confidence === 'close' ? 'close' : 'none',
      suggestions: suggestions.map((e) => e.id),
    },
    now,
  );
  if (bestGuess) {
    await answerEntry(context, state, deps, top.entry, entities, suggestions.slice(1), {
      leadIn: KB_TEXT.nearestAnswer,
    });
    return;
  }
  // Among the choices is the answer just given ("she's already got a card from her other surgery,
  // does she need another one?" after the locum answer): the person is still on it.
  const thread = threadEntryId ? suggestions.find((e) => e.id === threadEntryId) : undefined;
  if (thread && (result.confidence === 'close' || tiedGuess)) {
    await answerEntry(
      context,
      state,
      deps,
      thread,
      entities,
      suggestions.filter((e) => e !== thread),
    );
    return;
  }
  if ((result.confidence === 'close' || tiedGuess) && suggestions.length > 0) {
    state.conversation.choices = {
      options: suggestions.map((e) => ({ label: e.title, value: e.id })),
      at: now.toISOString(),
    };
    await context.sendActivity({ attachments: [didYouMeanCard(suggestions)] });
    return;
  }
  await context.sendActivity({ attachments: [notFoundCard(deps)] });
}

/**
 * The catch-all, registered last: any message no other feature claimed is answered from the
 * knowledge base: a confident match as an answer card, close matches as "Did you mean", no match
 * plainly (and recorded for the content owners). Also feedback, by button or typed.
 */
export function registerKnowledge(app: Application<AppTurnState>, deps: FeatureDeps): void {
  const titles = titleIndex(deps);
  const expansions = expansionsOf(deps.kb.entries);
  app.adaptiveCards.actionSubmit('feedback', async (context) => pressFeedback(context, deps));

  app.activity(ActivityTypes.Message, async (context, state) => {
    const insight = insightOf(context);
    if (!insight) {
      // Not text (an attachment, a card submit with no verb): nothing to search for.
      await context.sendActivity('Please type your e-RS question as text. Type "help" to see what I can do.');
      return;
    }
    endDialog(state.conversation);
    const lower = insight.lower;
    const pick = PICK.exec(lower);
    const offered = state.conversation.choices?.options;
    if (pick && offered) {
      const entry = deps.kb.byId.get(offered[Number(pick[1]) - 1]?.value ?? '');
      if (entry) {
        await answerEntry(context, state, deps, entry, insight.entities);
        return;
      }
    }
    // "its routine" after "Did you mean": the offered answer those few words fit.
    const fits = offered && !insight.refines ? amongOffered(deps, offered, insight) : undefined;
    if (fits) {
      await answerEntry(context, state, deps, fits, insight.entities);
      return;
    }
    // A follow-up that only refines the last answer ("what about urgent ones?", "we're in Lambeth"):
    // the same entry again, focused on what was just said.
    const refined = insight.refines?.entryId ? deps.kb.byId.get(insight.refines.entryId) : undefined;
    if (refined && insight.refines?.feature === 'knowledge') {
      const step = stepAfter(deps, refined, insight, insight.refines.step);
      if (step) {
        await answerEntry(context, state, deps, refined, insight.entities, [], { step });
        return;
      }
      // "uploaded it, and then?" after an answer with no steps: the neighbour whose step it names.
      const stepped =
        refined.steps.length < 2 && DID_STEP.test(insight.lower) ? neighbourStep(deps, refined, insight) : undefined;
      if (stepped) {
        await answerEntry(context, state, deps, stepped.entry, insight.entities, [], { step: stepped.step });
        return;
      }
      await answerEntry(context, state, deps, followUpEntry(deps, refined, insight), insight.entities);
      return;
    }
    // Routing knew the entry better than the words' nearest match (a time rule asked about).
    const named = insight.intent.kind === 'knowledge' && insight.intent.entryId;
    const namedEntry = named ? deps.kb.byId.get(named) : undefined;
    if (namedEntry) {
      await answerEntry(context, state, deps, namedEntry, insight.entities);
      return;
    }
    const last = state.conversation.lastAnswer;
    if ((HELPFUL.test(lower) || NOT_HELPFUL.test(lower)) && last) {
      await recordFeedback(context, deps, last.entryId, HELPFUL.test(lower));
      return;
    }
    // "what does UBRN stand for?": the pack's own expansion, with the answer that uses it.
    const expansion = expansionAsked(lower, expansions);
    const explained = expansion ? (insight.search.results[0]?.entry ?? deps.kb.byId.get(expansion.entryId)) : undefined;
    if (expansion && explained) {
      const note = KB_TEXT.standsFor(expansion.acronym, expansion.expansion);
      await answerEntry(context, state, deps, explained, insight.entities, [], { note });
      return;
    }
    const exact = titles.get(lower);
    if (exact) {
      await answerEntry(context, state, deps, exact, insight.entities);
      return;
    }
    const timed = insight.reading.times.dates.some((d) => d.time !== undefined || !d.relative);
    // The same answer again ("she doesn't want to go anywhere else" after 2WW with no slots) keeps
    // the places and priority the thread already has.
    const again =
      insight.topic?.feature === 'knowledge' && insight.search.results[0]?.entry.id === insight.topic.entryId;
    const entities = again && insight.topic ? mergeEntities(insight.entities, insight.topic) : insight.entities;
    const thread = insight.topic?.feature === 'knowledge' ? insight.topic.entryId : undefined;
    await answerSearch(context, state, deps, insight.search, entities, lower, timed, thread);
  });
}
