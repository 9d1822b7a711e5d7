import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AppTurnState } from '../bot/state.js';
import { usageRecorder } from '../bot/usage.js';
import type { Entities } from '../knowledge/entities.js';
import { boroughId, type ContactRoute, type Entry, siteId } from '../knowledge/schema.js';
import { CONFIDENCE_THRESHOLDS, type SearchResult } from '../knowledge/search.js';
import { answerCard, entryBody, guidanceUrl, sourceLine } from './answer-card.js';
import { replacePressedCard, takeCardPress } from './card-update.js';
import { adaptiveCard, choice, choiceList, submit, text } from './cards/card.js';
import { routeMarkdown, routesFor } from './contacts-view.js';
import { endDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { KB_TEXT } from './knowledge-text.js';
import { appendRecord } from './records.js';
import { insightOf } from './router.js';

const PICK = /^#?\s*([1-3])[.)]?$/;
/** A close match answered outright when it leads the runner-up by this much (see answerSearch). */
const CLEAR_LEAD = Object.freeze({ maxScore: 0.45, lead: 0.08 });
const HELPFUL = /^(?:👍\s*)?(?:helpful|that was helpful|useful|that helped)[.!]*$/;
const NOT_HELPFUL = /^(?:👎\s*)?(?:not helpful|unhelpful|not useful|that didn'?t help|didn'?t help)[.!]*$/;

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
  return specific.length > 0 || routes.every((r) => !r.sites && !r.boroughs) ? byBorough : routes;
}

/** What a feedback button carries: enough to draw the same card again once it has been pressed. */
const feedbackSubmit = z.object({
  entryId: z.string(),
  helpful: z.boolean(),
  sites: z.array(siteId).catch([]),
  boroughs: z.array(boroughId).catch([]),
  alternatives: z.array(z.string()).catch([]),
});

export function entryCard(
  deps: FeatureDeps,
  entry: Entry,
  entities: Entities,
  alternatives: readonly Entry[] = [],
  rated?: boolean,
) {
  const body = entryBody(entry);
  const routes = focusedRoutes(entry, deps.kb.routesById, entities);
  // Long tables (the downtime addresses) are only shown when the question narrowed them down.
  // The downtime mailboxes all say "state why in the body": the entry's answer says it once.
  const showHow = (r: ContactRoute) => routes.length === 1 || !r.purpose.startsWith('downtime-');
  if (routes.length > 0 && routes.length <= 6) {
    body.push(text(routes.map((r) => routeMarkdown(r, { showHow: showHow(r) })).join('\n\n')));
  }
  if (alternatives.length > 0) {
    body.push(text(KB_TEXT.notQuite, { isSubtle: true }));
    body.push(choiceList(alternatives.map((r) => ({ title: r.title, says: r.title }))));
  } else {
    const related = entry.related
      .map((id) => deps.kb.byId.get(id))
      .filter((e): e is Entry => e !== undefined)
      .slice(0, 3);
    if (related.length > 0) body.push(choiceList(related.map((r) => ({ title: r.title, says: r.title }))));
  }
  const redraw = {
    entryId: entry.id,
    sites: entities.sites,
    boroughs: entities.boroughs,
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
  await appendRecord(
    deps.storage,
    'feedback',
    { at: now.toISOString(), entryId, helpful, conversationType: context.activity.conversation?.conversationType },
    now,
    deps.config.retentionDays,
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
  const { helpful, sites, boroughs } = parsed.data;
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
  const card = entryCard(deps, entry, { sites, boroughs, trusts: [] }, alternatives, helpful);
  if (!(await replacePressedCard(deps, context, card)))
    await context.sendActivity(helpful ? KB_TEXT.thanksHelpful : KB_TEXT.thanksNotHelpful);
}

async function answerEntry(
  context: TurnContext,
  state: AppTurnState,
  deps: FeatureDeps,
  entry: Entry,
  entities: Entities,
  alternatives: readonly Entry[] = [],
) {
  state.conversation.lastAnswer = { entryId: entry.id, at: deps.clock.now().toISOString() };
  delete state.conversation.choices;
  await context.sendActivity({ attachments: [entryCard(deps, entry, entities, alternatives)] });
  deps.logger.info({ event: 'knowledge.answer', entryId: entry.id }, 'answered from the pack');
  // Usage only orders the message extension's opening list: counted off the turn's path, and a
  // storage failure must not cost the answer.
  usageRecorder(deps.storage, (err: unknown) =>
    deps.logger.warn(
      { event: 'usage.record.failed', err: err instanceof Error ? err.name : 'unknown' },
      'usage not recorded',
    ),
  ).record(entry.id, deps.clock.now());
}

/** An entry whose title the message is, exactly (a related-topic or "did you mean" button). */
function byTitle(deps: FeatureDeps, lower: string): Entry | undefined {
  return deps.kb.entries.find((e) => e.title.toLowerCase() === lower);
}

async function answerSearch(context: TurnContext, state: AppTurnState, deps: FeatureDeps, result: SearchResult) {
  const top = result.results[0];
  if (result.outOfScope) {
    await context.sendActivity(
      result.outOfScope === 'clinical' ? KB_TEXT.outOfScopeClinical : KB_TEXT.outOfScopeSmallTalk,
    );
    return;
  }
  // Nothing e-RS about it at all ("who won the match"): say what the bot is for, not "not found".
  if (result.confidence === 'none' && result.onTopic === false) {
    await context.sendActivity(KB_TEXT.outOfScopeSmallTalk);
    return;
  }
  if (top && result.confidence === 'confident') {
    await answerEntry(context, state, deps, top.entry, result.entities);
    return;
  }
  // A strong match with a near neighbour (two entries on one topic), or a fair match well clear of
  // the runner-up: answer it and offer the others. On the labelled questions a clear lead at
  // these scores was right about two times in three, and its wrong answers were the neighbouring
  // entry, which the buttons offer; a bare "Did you mean" list carries no answer at all.
  const lead = (result.results[1]?.score ?? 1) - (top?.score ?? 1);
  if (
    top &&
    result.confidence === 'close' &&
    (top.score <= CONFIDENCE_THRESHOLDS.confident || (top.score <= CLEAR_LEAD.maxScore && lead >= CLEAR_LEAD.lead))
  ) {
    const others = result.results.slice(1, 3).map((r) => r.entry);
    await answerEntry(context, state, deps, top.entry, result.entities, others);
    return;
  }
  const now = deps.clock.now();
  const suggestions = result.results.slice(0, 3).map((r) => r.entry);
  await appendRecord(
    deps.storage,
    'unanswered',
    {
      at: now.toISOString(),
      words: result.packWords ?? [],
      confidence: result.confidence === 'close' ? 'close' : 'none',
      suggestions: suggestions.map((e) => e.id),
    },
    now,
    deps.config.retentionDays,
  );
  if (result.confidence === 'close' && suggestions.length > 0) {
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
        await answerEntry(context, state, deps, entry, insight.search.entities);
        return;
      }
    }
    const last = state.conversation.lastAnswer;
    if ((HELPFUL.test(lower) || NOT_HELPFUL.test(lower)) && last) {
      await recordFeedback(context, deps, last.entryId, HELPFUL.test(lower));
      return;
    }
    const exact = byTitle(deps, lower);
    if (exact) {
      await answerEntry(context, state, deps, exact, insight.search.entities);
      return;
    }
    await answerSearch(context, state, deps, insight.search);
  });
}
