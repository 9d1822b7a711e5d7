import type { Application } from '@microsoft/teams-ai';
import type { Attachment, TurnContext } from 'botbuilder';
import type { Entities } from '../knowledge/entities.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { BoroughId, ContactRoute, Entry, Priority, Purpose, SiteId } from '../knowledge/schema.js';
import { answerCard, entryBody, guidanceUrl, sourceLine } from './answer-card.js';
import { adaptiveCard, type CardElement, choice, choiceList, deepFreeze, heading, text } from './cards/card.js';
import { type DrawnCards, drawnOnce } from './cards/drawn-once.js';
import { BOROUGH_LABELS, SITE_CHOICES } from './contacts-text.js';
import {
  asksSiteFirst,
  forPriority,
  purposeNeedsSite,
  type RouteFilter,
  routeMarkdown,
  routesFor,
} from './contacts-view.js';
import { endDialog, setDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo } from './router.js';
import type { AppTurnState } from './state.js';
import { ISSUE_LABELS, STUCK_WORDING, TS_TEXT } from './troubleshooting-text.js';
import { STILL_STUCK } from './turn/signals.js';
import { rememberTopic } from './turn/topic.js';
import { detectIssue, type IssueNumber } from './understand.js';

const ISSUES: readonly IssueNumber[] = [1, 2, 3, 4, 5, 6, 7, 8];
const YES =
  /^(?:y|yes|yep|yeah|yup|solved|sorted|fixed|it did|that worked|that helped|thanks?,? (?:that|it) worked|yes,? solved|all good)\b/;
const NO =
  /^(?:n|no|nope|nah|not really|still stuck|no,? still stuck|didn'?t work|it didn'?t|not solved|still not working|still a problem)\b/;
const MENU_PICK = /^(?:(?:troubleshoot(?:ing)?\s+)?(?:issue|problem|number|no\.?|option)?\s*#?\s*([1-8]))[.)]?$/;

export function issueEntry(kbEntries: readonly Entry[], issue: IssueNumber): Entry | undefined {
  return kbEntries.find((e) => e.id.startsWith(`ts-${issue}-`));
}

/** Reads a menu choice: "3", "issue 3", or the problem in words. */
export function readIssueChoice(lower: string): IssueNumber | undefined {
  const m = MENU_PICK.exec(lower.trim());
  if (m) return Number(m[1]) as IssueNumber;
  return detectIssue(lower);
}

/** Whether a message answers the troubleshooting dialog's current question. */
/** A reply to the troubleshooting dialog's question, as read once by the router. */
export type TroubleshootAnswer =
  | { step: 'menu'; issue: IssueNumber }
  | { step: 'solved'; solved: boolean }
  | { step: 'borough'; boroughs: BoroughId[] }
  | { step: 'site'; sites: SiteId[] };

/** Reads a reply to the dialog's current question; undefined when it is not one. */
export function troubleshootAccepts(step: string, lower: string, entities: Entities): TroubleshootAnswer | undefined {
  switch (step) {
    case 'menu': {
      const issue = readIssueChoice(lower);
      return issue ? { step, issue } : undefined;
    }
    case 'solved':
      return YES.test(lower) ? { step, solved: true } : NO.test(lower) ? { step, solved: false } : undefined;
    case 'borough':
      return entities.boroughs.length > 0 ? { step, boroughs: entities.boroughs } : undefined;
    case 'site':
      // "all trusts" is every site: the stuck contacts then list them all.
      if (/^(?:all|all trusts|any|every|all of them)\b/.test(lower)) return { step, sites: [] };
      return entities.sites.length > 0 ? { step, sites: entities.sites } : undefined;
    default:
      return undefined;
  }
}

export function menuCard() {
  return adaptiveCard([
    heading(TS_TEXT.menuTitle),
    text(TS_TEXT.menuPrompt, { isSubtle: true }),
    choiceList(ISSUES.map((n) => ({ title: `${n}. ${ISSUE_LABELS[n]}`, says: `issue ${n}` }))),
  ]);
}

/**
 * Issue cards drawn once per knowledge base and what they were drawn for (issue, places, priority,
 * the app's address), rather than on every turn of the dialog: they depend on nothing else.
 */
const DRAWN_CARDS: DrawnCards<KnowledgeBase> = new WeakMap();

/** What a card for an issue depends on besides the knowledge base, as one key. */
function cardKey(
  kind: string,
  issue: IssueNumber,
  sites: readonly SiteId[],
  boroughs: readonly BoroughId[],
  priority: Priority | undefined,
  baseUrl = '',
): string {
  return `${kind}\u0000${issue}\u0000${sites.join(',')}\u0000${boroughs.join(',')}\u0000${priority ?? ''}\u0000${baseUrl}`;
}

function contactBlock(routes: readonly ContactRoute[]): CardElement[] {
  return routes.length > 0 ? [text(routes.map((r) => routeMarkdown(r)).join('\n\n'))] : [];
}

/**
 * An issue's contacts (knowledge/data/troubleshooting-issues.json, the one issue-to-contact
 * mapping), narrowed to the place named: with the answer, only those shown with it; when still
 * stuck, all of them.
 */
export function issueRoutes(
  kb: KnowledgeBase,
  issue: IssueNumber,
  when: 'answer' | 'still-stuck',
  filter: RouteFilter,
): ContactRoute[] {
  const { contacts, shown } = kb.issues[issue];
  if (when === 'answer' && shown !== 'with-answer') return [];
  return contacts.flatMap((purpose) => routesFor(kb, purpose, filter));
}

/** Contacts shown with the first answer: narrowed by what the message named, never a long table. */
function initialRoutes(
  kb: KnowledgeBase,
  issue: IssueNumber,
  sites: readonly SiteId[],
  boroughs: readonly BoroughId[],
  priority?: Priority,
): ContactRoute[] {
  if (sites.length === 0 && kb.issues[issue].contacts.some(asksSiteFirst)) return [];
  return forPriority(issueRoutes(kb, issue, 'answer', { sites, boroughs }), priority);
}

/** What the issue's contacts differ by (trust or borough), so "still stuck" asks for it first. */
export function askFirst(kb: KnowledgeBase, issue: IssueNumber): 'site' | 'borough' | undefined {
  const purposes = kb.issues[issue].contacts;
  if (purposes.some((purpose) => purposeNeedsSite(kb, purpose))) return 'site';
  const byBorough = (purpose: Purpose) =>
    kb.contacts.routes.some((r) => r.purpose === purpose && (r.boroughs?.length ?? 0) > 0);
  return purposes.some(byBorough) ? 'borough' : undefined;
}

/** The pack's example line for an issue's referral emailed as an exception, in the bot's words around it. */
function exceptionLine(kb: KnowledgeBase, issue: IssueNumber): string | undefined {
  const exception = kb.issues[issue].exception;
  if (!exception) return undefined;
  return exception.in === 'subject'
    ? TS_TEXT.exceptionSubjectOnly(exception.example)
    : TS_TEXT.exceptionReminder(exception.example);
}

export function issueCard(
  deps: FeatureDeps,
  issue: IssueNumber,
  entities: Pick<Entities, 'sites' | 'boroughs' | 'priority'>,
): Attachment {
  const { sites, boroughs, priority } = entities;
  const key = cardKey('issue', issue, sites, boroughs, priority, deps.config.publicBaseUrl);
  return drawnOnce(DRAWN_CARDS, deps.kb, key, () => drawIssueCard(deps, issue, entities));
}

function drawIssueCard(
  deps: FeatureDeps,
  issue: IssueNumber,
  entities: Pick<Entities, 'sites' | 'boroughs' | 'priority'>,
) {
  const entry = issueEntry(deps.kb.entries, issue);
  if (!entry) throw new Error(`troubleshooting issue ${issue} is missing from the knowledge data`);
  const body = entryBody(entry);
  const routes = initialRoutes(deps.kb, issue, entities.sites, entities.boroughs, entities.priority);
  // The pack's advice besides contacting (issue 7: do not cancel or duplicate), said before the contacts.
  const { advice, contacts, shown } = deps.kb.issues[issue];
  if (advice && shown === 'with-answer' && contacts.length > 0) {
    const lead = TS_TEXT.contactsLead[issue];
    body.push(text(lead ? `**${advice.text}** ${lead}` : `**${advice.text}**`));
  }
  body.push(...contactBlock(routes));
  // A long table held back for want of a trust: say how to get the one address needed.
  if (shown === 'with-answer' && entities.sites.length === 0 && contacts.some(asksSiteFirst))
    body.push(text(TS_TEXT.downtimeAddressHint, { isSubtle: true }));
  body.push(text(`**${TS_TEXT.solvedQuestion}**`));
  return answerCard({
    title: `Issue ${issue}: ${ISSUE_LABELS[issue]}`,
    body,
    source: sourceLine(entry),
    actions: [choice(TS_TEXT.yes, 'yes'), choice(TS_TEXT.no, 'no'), choice(TS_TEXT.backToList, 'troubleshoot')],
    pageUrl: guidanceUrl(deps.config, entry.id),
  });
}

function askBoroughCard() {
  return adaptiveCard([
    text(TS_TEXT.askBorough),
    choiceList(Object.values(BOROUGH_LABELS).map((label) => ({ title: label, says: label }))),
  ]);
}

function askSiteCard(prompt: string, before: CardElement[] = []) {
  return adaptiveCard([
    ...before,
    text(prompt),
    choiceList(SITE_CHOICES.map((c) => ({ title: c.label, says: c.says }))),
  ]);
}

/** What the pack says to do when issues 2-4 persist, said before asking which trust's address. */
function persistsAdvice(kb: KnowledgeBase, issue: IssueNumber): CardElement[] {
  const line = exceptionLine(kb, issue);
  return line ? [text(line)] : [];
}

function contactsCard(title: string, routes: readonly ContactRoute[], extra: CardElement[] = []) {
  return adaptiveCard([heading(title), ...extra, ...contactBlock(routes)]);
}

interface TsData {
  issue: IssueNumber;
  sites: SiteId[];
  boroughs: BoroughId[];
  priority?: Priority;
}

function isTsData(value: Record<string, unknown>): value is Record<string, unknown> & TsData {
  return typeof value.issue === 'number' && Array.isArray(value.sites) && Array.isArray(value.boroughs);
}

async function sendIssue(
  context: TurnContext,
  state: AppTurnState,
  deps: FeatureDeps,
  issue: IssueNumber,
  sites: SiteId[],
  boroughs: BoroughId[],
  priority?: Priority,
) {
  await context.sendActivity({ attachments: [issueCard(deps, issue, { sites, boroughs, priority })] });
  setDialog(state.conversation, 'troubleshoot', 'solved', { issue, sites, boroughs }, deps.clock.now());
  rememberTopic(state.conversation, { feature: 'troubleshoot', issue, sites, boroughs, priority }, deps.clock.now());
}

/** What "No, still stuck" leads to: the right contact, asking first for the borough or site when needed. */
async function stillStuck(context: TurnContext, state: AppTurnState, deps: FeatureDeps, data: TsData) {
  const ask = askFirst(deps.kb, data.issue);
  if (ask === 'borough' && data.boroughs.length === 0) {
    setDialog(state.conversation, 'troubleshoot', 'borough', { ...data }, deps.clock.now());
    await context.sendActivity({ attachments: [askBoroughCard()] });
    return;
  }
  if (ask === 'site' && data.sites.length === 0) {
    setDialog(state.conversation, 'troubleshoot', 'site', { ...data }, deps.clock.now());
    await context.sendActivity({ attachments: [askSiteCard(TS_TEXT.askSite, persistsAdvice(deps.kb, data.issue))] });
    return;
  }
  endDialog(state.conversation);
  rememberTopic(state.conversation, { feature: 'troubleshoot', ...data }, deps.clock.now());
  await context.sendActivity({ attachments: [stuckContacts(deps, data)] });
}

export function stuckContacts(deps: FeatureDeps, data: TsData): Attachment {
  const key = cardKey('stuck', data.issue, data.sites, data.boroughs, data.priority);
  return drawnOnce(DRAWN_CARDS, deps.kb, key, () => drawStuckContacts(deps, data));
}

function drawStuckContacts(deps: FeatureDeps, data: TsData) {
  const { issue, sites, boroughs, priority } = data;
  const routes = forPriority(issueRoutes(deps.kb, issue, 'still-stuck', { sites, boroughs }), priority);
  const { title, note } = STUCK_WORDING[issue];
  const { contacts, advice } = deps.kb.issues[issue];
  // With no contact to give, say so before what the pack says to do instead (issue 6).
  const adviceLine = advice && (contacts.length === 0 ? `${TS_TEXT.noContactInPack} ${advice.text}` : advice.text);
  const exception = exceptionLine(deps.kb, issue);
  const extra = [note, adviceLine, exception]
    .filter((line): line is string => line !== undefined)
    .map((line) => text(line));
  return contactsCard(TS_TEXT.stuckTitles[title], routes, extra);
}

/** Troubleshooting issues 1-8: a menu, an answer per issue, "Did that solve it?", then the right contact. */
export function registerTroubleshooting(app: Application<AppTurnState>, deps: FeatureDeps): void {
  // The same menu every time: drawn once, frozen and shared, in a new attachment each reply.
  const menu = deepFreeze(menuCard());
  app.message(routeTo('troubleshoot', 'troubleshoot-menu'), async (context, state) => {
    const insight = insightOf(context);
    if (!insight) return;
    const { sites, boroughs, priority } = insight.entities;
    const dialog = insight.continues === 'troubleshoot' ? insight.dialog : undefined;

    const answer = insight.accepted?.dialog === 'troubleshoot' ? insight.accepted.answer : undefined;
    if (dialog && answer) {
      const data: TsData = isTsData(dialog.data) ? dialog.data : { issue: 1, sites: [], boroughs: [] };
      if (answer.step === 'menu') {
        await sendIssue(context, state, deps, answer.issue, sites, boroughs);
        return;
      }
      if (answer.step === 'solved') {
        if (answer.solved) {
          // Solved: the problem is over, so what comes next is not a follow-up to it.
          endDialog(state.conversation);
          delete state.conversation.topic;
          await context.sendActivity(TS_TEXT.glad);
        } else await stillStuck(context, state, deps, data);
        return;
      }
      endDialog(state.conversation);
      // "an urgent one going to Lewisham Hospital": the priority said with the site narrows it too.
      const said = priority ?? data.priority;
      const placed =
        answer.step === 'borough' ? { ...data, boroughs: answer.boroughs } : { ...data, sites: answer.sites };
      const stuck = said ? { ...placed, priority: said } : placed;
      await context.sendActivity({ attachments: [stuckContacts(deps, stuck)] });
      return;
    }

    if (insight.intent.kind === 'troubleshoot') {
      const issue = insight.intent.issue;
      const followUp = insight.refines?.feature === 'troubleshoot' && insight.refines.issue === issue;
      // "done that, still red": the answer did not solve it, so the contact comes next.
      if (followUp && (STILL_STUCK.test(insight.lower) || NO.test(insight.lower))) {
        await stillStuck(context, state, deps, { issue, sites, boroughs, priority });
        return;
      }
      // "routine cardiology referral to the PRUH": the contact for that site and priority (said now:
      // "so do I still need to put it through e-RS?" names none, so the issue's answer comes again).
      const own = insight.search.entities;
      const narrowed = own.sites.length > 0 || own.boroughs.length > 0 || own.priority !== undefined;
      // The provider contacts go by hospital, not borough: "we're in Bromley" asks again which trust.
      const ask = askFirst(deps.kb, issue);
      if (followUp && narrowed && ask === 'site' && sites.length === 0) {
        await stillStuck(context, state, deps, { issue, sites, boroughs, priority });
        return;
      }
      if (followUp && narrowed && ask !== undefined) {
        endDialog(state.conversation);
        rememberTopic(
          state.conversation,
          { feature: 'troubleshoot', issue, sites, boroughs, priority },
          deps.clock.now(),
        );
        await context.sendActivity({ attachments: [stuckContacts(deps, { issue, sites, boroughs, priority })] });
        return;
      }
      await sendIssue(context, state, deps, issue, sites, boroughs, priority);
      return;
    }
    setDialog(state.conversation, 'troubleshoot', 'menu', {}, deps.clock.now());
    await context.sendActivity({ attachments: [{ ...menu }] });
  });
}
