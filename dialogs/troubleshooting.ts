import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Entities } from '../knowledge/entities.js';
import type { BoroughId, ContactRoute, Entry, Priority, Purpose, SiteId } from '../knowledge/schema.js';
import { answerCard, entryBody, guidanceUrl, sourceLine } from './answer-card.js';
import { adaptiveCard, type CardElement, choice, choiceList, heading, text } from './cards/card.js';
import { BOROUGH_LABELS, SITE_CHOICES } from './contacts-text.js';
import { forPriority, routeMarkdown, routesFor } from './contacts-view.js';
import { endDialog, setDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo } from './router.js';
import type { AppTurnState } from './state.js';
import { EXCEPTION_EXAMPLES, ISSUE_LABELS, TS_TEXT } from './troubleshooting-text.js';
import { STILL_STUCK } from './turn/signals.js';
import { rememberTopic } from './turn/topic.js';
import { detectIssue, type IssueNumber } from './understand.js';

const ISSUES: readonly IssueNumber[] = [1, 2, 3, 4, 5, 6, 7, 8];
const YES =
  /^(?:y|yes|yep|yeah|yup|solved|sorted|fixed|it did|that worked|that helped|thanks?,? (?:that|it) worked|yes,? solved|all good)\b/;
const NO =
  /^(?:n|no|nope|nah|not really|still stuck|no,? still stuck|didn'?t work|it didn'?t|not solved|still not working|still a problem)\b/;
const MENU_PICK = /^(?:(?:troubleshoot(?:ing)?\s+)?(?:issue|problem|number|no\.?|option)?\s*#?\s*([1-8]))[.)]?$/;

/** The contact purpose the "No, still stuck" answer leads to, per issue. */
const STUCK_PURPOSE: Readonly<Partial<Record<IssueNumber, Purpose>>> = Object.freeze({
  2: 'downtime-2ww',
  3: 'downtime-2ww',
  4: 'downtime-2ww',
  5: 'smartcard-ra',
  7: 'deferred-not-booked',
  8: 'ag-not-actioned',
});

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

function contactBlock(routes: readonly ContactRoute[]): CardElement[] {
  return routes.length > 0 ? [text(routes.map((r) => routeMarkdown(r)).join('\n\n'))] : [];
}

/** Contacts shown with the first answer: narrowed by what the message named, never a long table. */
function initialRoutes(
  deps: FeatureDeps,
  issue: IssueNumber,
  sites: readonly SiteId[],
  boroughs: readonly BoroughId[],
  priority?: Priority,
): ContactRoute[] {
  return forPriority(issueRoutes(deps, issue, sites, boroughs), priority);
}

function issueRoutes(
  deps: FeatureDeps,
  issue: IssueNumber,
  sites: readonly SiteId[],
  boroughs: readonly BoroughId[],
): ContactRoute[] {
  switch (issue) {
    case 5:
      return routesFor(deps.kb, 'smartcard-ra', { boroughs });
    case 7:
      return routesFor(deps.kb, 'deferred-not-booked', { sites });
    case 8:
      return routesFor(deps.kb, 'ag-not-actioned', { sites });
    case 2:
    case 4:
      return sites.length > 0
        ? [
            ...routesFor(deps.kb, 'downtime-2ww', { sites }),
            ...routesFor(deps.kb, 'downtime-urgent-routine', { sites }),
          ]
        : [];
    default:
      return [];
  }
}

export function issueCard(
  deps: FeatureDeps,
  issue: IssueNumber,
  entities: Pick<Entities, 'sites' | 'boroughs' | 'priority'>,
) {
  const entry = issueEntry(deps.kb.entries, issue);
  if (!entry) throw new Error(`troubleshooting issue ${issue} is missing from the knowledge data`);
  const body = entryBody(entry);
  if (issue === 7) body.push(text(`**${TS_TEXT.doNotCancel}** ${TS_TEXT.contactProvider}`));
  body.push(...contactBlock(initialRoutes(deps, issue, entities.sites, entities.boroughs, entities.priority)));
  if ((issue === 2 || issue === 4) && entities.sites.length === 0)
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
function persistsAdvice(issue: IssueNumber): CardElement[] {
  const example = EXCEPTION_EXAMPLES[issue];
  if (!example) return [];
  return [text(issue === 3 ? TS_TEXT.exceptionSubjectOnly(example) : TS_TEXT.exceptionReminder(example))];
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
  const purpose = STUCK_PURPOSE[data.issue];
  if (purpose === 'smartcard-ra' && data.boroughs.length === 0) {
    setDialog(state.conversation, 'troubleshoot', 'borough', { ...data }, deps.clock.now());
    await context.sendActivity({ attachments: [askBoroughCard()] });
    return;
  }
  if (purpose && purpose !== 'smartcard-ra' && data.sites.length === 0) {
    setDialog(state.conversation, 'troubleshoot', 'site', { ...data }, deps.clock.now());
    await context.sendActivity({ attachments: [askSiteCard(TS_TEXT.askSite, persistsAdvice(data.issue))] });
    return;
  }
  endDialog(state.conversation);
  rememberTopic(state.conversation, { feature: 'troubleshoot', ...data }, deps.clock.now());
  await context.sendActivity({ attachments: [stuckContacts(deps, data)] });
}

export function stuckContacts(deps: FeatureDeps, data: TsData) {
  const { issue, sites, boroughs, priority } = data;
  const downtimeRoutes = () =>
    forPriority(
      [...routesFor(deps.kb, 'downtime-2ww', { sites }), ...routesFor(deps.kb, 'downtime-urgent-routine', { sites })],
      priority,
    );
  const example = EXCEPTION_EXAMPLES[issue];
  switch (issue) {
    case 5:
      return contactsCard(TS_TEXT.stuckTitles.ra, routesFor(deps.kb, 'smartcard-ra', { boroughs }));
    case 7:
      return contactsCard(TS_TEXT.stuckTitles.provider, routesFor(deps.kb, 'deferred-not-booked', { sites }), [
        text(TS_TEXT.doNotCancel),
      ]);
    case 8:
      return contactsCard(TS_TEXT.stuckTitles.ag, routesFor(deps.kb, 'ag-not-actioned', { sites }));
    case 2:
    case 4:
      return contactsCard(
        TS_TEXT.stuckTitles.downtime,
        downtimeRoutes(),
        example ? [text(TS_TEXT.exceptionReminder(example))] : [],
      );
    case 3:
      // The pack: "If the problem persists, urgent referrals can be emailed with EXCEPTION in the
      // subject line" — by the same downtime protocol route as issues 2 and 4.
      return contactsCard(TS_TEXT.stuckTitles.persists, downtimeRoutes(), [
        text(TS_TEXT.exceptionSubjectOnly(example ?? '')),
      ]);
    case 1:
      return contactsCard(TS_TEXT.stuckTitles.stillStuck, routesFor(deps.kb, 'local-issue'), [
        text(TS_TEXT.noContact1),
      ]);
    case 6:
      return contactsCard(TS_TEXT.stuckTitles.stillStuck, [], [text(TS_TEXT.noContact6)]);
  }
}

/** Troubleshooting issues 1-8: a menu, an answer per issue, "Did that solve it?", then the right contact. */
export function registerTroubleshooting(app: Application<AppTurnState>, deps: FeatureDeps): void {
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
      const stuck =
        answer.step === 'borough' ? { ...data, boroughs: answer.boroughs } : { ...data, sites: answer.sites };
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
      // "routine cardiology referral to the PRUH": the contact for that site and priority.
      const narrowed = sites.length > 0 || boroughs.length > 0 || priority !== undefined;
      // The provider contacts go by hospital, not borough: "we're in Bromley" asks again which trust.
      const purpose = STUCK_PURPOSE[issue];
      if (followUp && narrowed && purpose !== undefined && purpose !== 'smartcard-ra' && sites.length === 0) {
        await stillStuck(context, state, deps, { issue, sites, boroughs, priority });
        return;
      }
      if (followUp && narrowed && purpose !== undefined) {
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
    await context.sendActivity({ attachments: [menuCard()] });
  });
}
