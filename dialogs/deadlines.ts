import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { KnowledgeBase } from '../knowledge/load.js';
import {
  answerDeadline,
  computeDeadline,
  type DeadlineAnswer,
  type DeadlineKnown,
  type DeadlineReply,
  type DeadlineRule,
  type Priority,
} from '../knowledge/rules/deadlines.js';
import { priority } from '../knowledge/schema.js';
import { formatLongDate, isIsoDate } from '../knowledge/time/calendar-date.js';
import { londonDate } from '../knowledge/time/london-time.js';
import { type ParsedDateText, parseDateText } from '../knowledge/time/parse-date.js';
import { reminderOffer } from './announcement-cards.js';
import {
  actionSet,
  adaptiveCard,
  type CardElement,
  choice,
  choiceList,
  choiceSet,
  heading,
  submit,
  text,
} from './cards/card.js';
import { routeMarkdown, routesFor } from './contacts-view.js';
import { renderDeadlineReply, ruleSummary } from './deadlines-text.js';
import { endDialog, setDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo, type TurnInsight } from './router.js';
import type { AppTurnState } from './state.js';
import { rememberTopic } from './turn/topic.js';

/** "who do we chase?", "who should we contact": the deferral's escalation contact is wanted too. */
const CHASE =
  /\b(?:chase|chasing|escalat\w*|who (?:do|should|can|to)|contact (?:them|the (?:hospital|provider|trust))|get hold of)\b/;

const DEADLINE_TEXT = Object.freeze({
  overdue: (date: string) =>
    `The contact-by date (${date}) has passed: if the patient still hasn't heard, escalate to the provider. Do not cancel or duplicate the referral.`,
  nameTheTrust: 'Tell me the trust or site (e.g. "PRUH", "Guy\'s", "QEH") for its contact.',
});

const HOW_LONG = /\bhow (?:long|many (?:working )?days|much time)\b|\bdeadline\b/;

/** Words that ask for a date (not "when we defer...", a condition; not "how long", which is answered from the pack with the rule itself). */
const ASKS_FOR_DATE =
  /\b(?:when(?! (?:we|i|you|they|a|an|the|it|she|he|pts?|patients?)\b)|what date|which date|by when|deadline|due date|contact[- ]?by(?: date)?|last day|latest date|what day)\b/;

/**
 * Whether the deadline reader's reply means this message is a date question. A question that names
 * a rule but gives no date ("how long do I have to attach a routine letter?") is left to the
 * knowledge answer, which states the rule; one that gives a date or asks for one comes here.
 */
export function isDeadlineQuestion(reply: DeadlineReply, lower: string, now: Date, dates?: ParsedDateText): boolean {
  if (reply.kind === 'none') return false;
  if (reply.kind === 'answer' || reply.kind === 'error') return true;
  // "2WW sent, letter not written yet: how long have we got?": the rule for that priority, and
  // the date once the person gives it.
  if (reply.known.rule && reply.known.priority && HOW_LONG.test(lower)) return true;
  const parsed = dates ?? parseDateText(lower, now);
  return parsed.dates.length > 0 || parsed.invalid.length > 0 || ASKS_FOR_DATE.test(lower);
}

const PRIORITY_BUTTONS = [choice('2WW', '2WW'), choice('Urgent', 'urgent'), choice('Routine', 'routine')];
const RULE_CHOICES = [
  { title: 'Deferral contact-by date', says: 'deferral contact-by date' },
  { title: 'Referral letter deadline', says: 'letter deadline' },
  { title: '2WW availability', says: '2WW availability' },
  { title: '21-day letter after rejection', says: 'rejected appointment letter' },
];

/**
 * For a deferral whose contact-by date has passed, or a question that asks who to chase: say it is
 * overdue and give the provider contact for the site named (the pack's escalation route).
 */
function chaseFor(deps: FeatureDeps, reply: DeadlineReply, today: string, insight: TurnInsight): string[] {
  if (reply.kind !== 'answer' || reply.rule !== 'deferral') return [];
  const overdue = today > reply.result.date;
  const asksWho = CHASE.test(insight.lower);
  if (!overdue && !asksWho) return [];
  const lines = overdue ? [DEADLINE_TEXT.overdue(formatLongDate(reply.result.date))] : [];
  const sites = insight.entities.sites;
  const routes = sites.length > 0 ? routesFor(deps.kb, 'deferred-not-booked', { sites }) : [];
  if (routes.length > 0) lines.push(routes.map((r) => routeMarkdown(r)).join('\n\n'));
  else if (asksWho) lines.push(DEADLINE_TEXT.nameTheTrust);
  return lines;
}

/** What a deadline answer is worked out from: carried by its reminder button to draw it again. */
const answerInputs = z.object({
  rule: z.enum(['deferral', 'letter', 'availability', 'rejection-letter']),
  priority: priority,
  start: z.object({
    date: z.string().refine(isIsoDate),
    time: z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) }).optional(),
  }),
});

/**
 * A deadline answer card: the answer, then "Remind me on that date", or once a reminder is set from
 * it, `reminderSet` in its place.
 */
export function deadlineAnswerCard(
  kb: KnowledgeBase,
  answer: DeadlineAnswer,
  reminderSet?: string,
  extra: readonly string[] = [],
) {
  const body = renderDeadlineReply(answer, kb.deadlineAdvice);
  const { rule, priority: p, start } = answer;
  return adaptiveCard([
    ...extra.map((e) => text(e)),
    text(body),
    ...(reminderSet
      ? [text(reminderSet, { weight: 'Bolder' })]
      : reminderOffer(answer.result.date, { rule, priority: p, start })),
  ]);
}

/** The deadline answer a reminder button was on, worked out again from what the button carries. */
export function answerBehindReminder(value: unknown, date: string): DeadlineAnswer | undefined {
  const parsed = answerInputs.safeParse(value);
  if (!parsed.success) return undefined;
  const { rule, priority: p, start } = parsed.data;
  const answer = computeDeadline(rule, p, start);
  return answer.kind === 'answer' && answer.result.date === date ? answer : undefined;
}

export function deadlineReplyActivity(kb: KnowledgeBase, reply: DeadlineReply, extra: readonly string[] = []) {
  const body = renderDeadlineReply(reply, kb.deadlineAdvice);
  // An answer gives a date worth a reminder: the same text, with "Remind me on that date" under it.
  if (reply.kind === 'answer') return { attachments: [deadlineAnswerCard(kb, reply, undefined, extra)] };
  if (reply.kind !== 'ask') return { text: body };
  // Say the rule itself first: a "when" question is often answered by the rule alone.
  const rule = reply.known.rule ? ruleSummary(reply.known.rule, reply.known.priority) : undefined;
  const choices: CardElement[] = [
    ...(reply.missing.includes('rule') ? [choiceList(RULE_CHOICES)] : []),
    ...(reply.missing.includes('priority') ? [actionSet(PRIORITY_BUTTONS)] : []),
  ];
  return { attachments: [adaptiveCard([...(rule ? [text(rule)] : []), text(body), ...choices])] };
}

const DATE_LABEL = 'Date (deferral, referral or cancellation)';

/** A form for people who prefer one: priority, which date, and a date picker. */
export function calculatorCard(today: string) {
  return adaptiveCard(
    [
      heading('Work out a date'),
      text(
        'Pick the rule, the priority and the date, or just type your question, e.g. "routine deferred on 2 March 2026".',
      ),
      choiceSet('rule', 'Which date?', 'deferral', [
        { title: 'Deferral to provider: contact-by date', value: 'deferral' },
        { title: 'Attaching the referral letter', value: 'letter' },
        { title: '2WW: patient availability (28 days)', value: 'availability' },
        { title: 'Appointment cancelled by rejection: 21-day letter', value: 'rejection-letter' },
      ]),
      choiceSet('priority', 'Priority', 'routine', [
        { title: '2WW (Urgent Suspected Cancer)', value: '2ww' },
        { title: 'Urgent', value: 'urgent' },
        { title: 'Routine', value: 'routine' },
      ]),
      // Not isRequired: a client that blocks a submit with an empty required field may say nothing
      // (the Agents Playground does not); the bot always answers, naming what is missing.
      { type: 'Input.Date', id: 'date', label: DATE_LABEL, value: today },
    ],
    [submit('Work it out', 'deadline-calc')],
  );
}

const RULES: readonly DeadlineRule[] = ['deferral', 'letter', 'availability', 'rejection-letter'];
const PRIORITIES: readonly Priority[] = ['2ww', 'urgent', 'routine'];

/** Reads the calculator form's values, refusing anything the form could not have sent. */
export function readCalculatorForm(
  value: unknown,
): { rule: DeadlineRule; priority: Priority; date: string } | { error: string } {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const rule = RULES.find((r) => r === v.rule);
  const priority = PRIORITIES.find((p) => p === v.priority);
  const date = typeof v.date === 'string' && isIsoDate(v.date.slice(0, 10)) ? v.date.slice(0, 10) : undefined;
  const missing = [
    !rule && 'which date to work out',
    !priority && 'the priority',
    !date && `the ${DATE_LABEL.toLowerCase()}`,
  ].filter(Boolean);
  if (!rule || !priority || !date)
    return { error: `The form is missing ${missing.join(' and ')}. Fill it in and press "Work it out" again.` };
  return { rule, priority, date };
}

/** Whether a message completes a deadline question the bot asked about. */
/** Reads a reply that completes the date question asked before: the reply, or undefined. */
export function deadlineAccepts(
  lower: string,
  now: Date,
  known: DeadlineKnown,
  dates?: ParsedDateText,
  computed?: DeadlineReply,
): DeadlineReply | undefined {
  const reply = answerDeadline(lower, now, known, { ...(dates ? { dates } : {}), ...(computed ? { computed } : {}) });
  return reply.kind === 'none' ? undefined : reply;
}

/** The deadline calculator: typed questions, follow-ups for what is missing, and the form. */
export function registerDeadlines(app: Application<AppTurnState>, deps: FeatureDeps): void {
  app.message(routeTo('calculator'), async (context) => {
    const today = londonDate(deps.clock.now());
    await context.sendActivity({ attachments: [calculatorCard(today)] });
  });

  app.message(routeTo('deadline'), async (context, state) => {
    const insight = insightOf(context);
    if (!insight) return;
    const now = deps.clock.now();
    const reply = insight.accepted?.dialog === 'deadline' ? insight.accepted.answer : insight.deadline;
    if (reply.kind === 'ask') setDialog(state.conversation, 'deadline', 'ask', { known: reply.known }, now);
    else endDialog(state.conversation);
    const facts = reply.kind === 'answer' ? reply : reply.kind === 'ask' ? reply.known : undefined;
    rememberTopic(
      state.conversation,
      {
        feature: 'deadline',
        sites: insight.entities.sites,
        boroughs: insight.entities.boroughs,
        rule: facts?.rule,
        priority: facts?.priority,
        start: facts?.start,
      },
      now,
    );
    const stated = insight.reading.times.now;
    const today = stated ? stated.date : londonDate(now);
    await context.sendActivity(deadlineReplyActivity(deps.kb, reply, chaseFor(deps, reply, today, insight)));
  });

  app.adaptiveCards.actionSubmit('deadline-calc', async (context) => {
    const form = readCalculatorForm(context.activity.value);
    if ('error' in form) {
      await context.sendActivity(form.error);
      return;
    }
    const reply = computeDeadline(form.rule, form.priority, { date: form.date });
    await context.sendActivity(deadlineReplyActivity(deps.kb, reply));
  });
}
