import type { Application } from '@microsoft/teams-ai';
import type { KnowledgeBase } from '../knowledge/load.js';
import {
  DOWNTIME_STAGE_LABELS,
  type DowntimeStage,
  downtimeStage,
  readDowntimeWindow,
} from '../knowledge/rules/downtime-stages.js';
import type { ContactRoute, Priority, SiteId } from '../knowledge/schema.js';
import { citation } from '../knowledge/sources.js';
import { addCalendarDays } from '../knowledge/time/calendar-date.js';
import { formatLondon, fromLondon, toLondon } from '../knowledge/time/london-time.js';
import { parseDateText } from '../knowledge/time/parse-date.js';
import { answerCard } from './answer-card.js';
import { type CardElement, choiceList, text } from './cards/card.js';
import { routeMarkdown, routesFor, siteLabel } from './contacts-view.js';
import { endDialog, setDialog } from './dialog-state.js';
import { liveDowntimeAdvice } from './downtime-live.js';
import { DOWNTIME_SECTION, DT_TEXT } from './downtime-text.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo } from './router.js';
import type { AppTurnState } from './state.js';
import { FAILED } from './turn/signals.js';
import { rememberTopic } from './turn/topic.js';
import type { DowntimeSituation } from './understand.js';

const ROUTE_GROUPS: readonly (readonly [ContactRoute['purpose'], string])[] = [
  ['downtime-2ww', DT_TEXT.twoWeekGroup],
  ['downtime-urgent-routine', DT_TEXT.urgentRoutineGroup],
];
const LESS_THAN_24 =
  /\b(?:less than|under|within|not yet|fewer than|below)\s+(?:24|twenty[- ]four)\s*(?:h|hrs?|hours?)\b|\bless than a day\b/;

export interface DowntimeAdvice {
  title: string;
  /** What to do, in order. */
  lines: string[];
  routes: ContactRoute[];
  routesTitle?: string;
  /** The bot still needs to know when e-RS went down. */
  askWhen: boolean;
  stage?: 1 | 2 | 3;
  /** When e-RS went down, as read from the words (or the conversation), when known. */
  since?: Date;
  /** The now the stage was worked out for: the person's stated now, when they gave one. */
  at?: Date;
  working: string[];
  source: string;
}

export interface DowntimeQuestion {
  text: string;
  now: Date;
  situation?: DowntimeSituation;
  sites: readonly SiteId[];
  priority?: Priority;
  /** When e-RS went down, as the person said earlier in the conversation. Their new words win. */
  knownStart?: Date;
}

/** The mailboxes for a stage, narrowed by the sites and priority asked about. */
/** What to do at a downtime stage, in the pack's words (knowledge/data/downtime-advice.json). */
export function stageActions(kb: KnowledgeBase, stage: 1 | 2 | 3): string[] {
  return kb.downtimeStages[stage].map((line) => line.text);
}

/** What to do in one of the protocol's other situations, in the pack's words (downtime-advice.json). */
export function situationAdvice(kb: KnowledgeBase, situation: keyof KnowledgeBase['downtimeSituations']): string[] {
  return kb.downtimeSituations[situation].map((line) => line.text);
}

export function addressesFor(kb: KnowledgeBase, stage: 1 | 2 | 3, sites: readonly SiteId[], priority?: Priority) {
  const twoWeek = routesFor(kb, 'downtime-2ww', { sites });
  const urgentRoutine = routesFor(kb, 'downtime-urgent-routine', { sites });
  if (stage === 1) return { routes: [] as ContactRoute[], what: '' };
  if (stage === 2)
    return priority === 'urgent' || priority === 'routine'
      ? { routes: [], what: '' }
      : { routes: twoWeek, what: '2WW' };
  if (priority === '2ww') return { routes: twoWeek, what: '2WW' };
  if (priority) return { routes: urgentRoutine, what: 'urgent and routine' };
  return { routes: [...twoWeek, ...urgentRoutine], what: '2WW, then urgent and routine' };
}

/**
 * The downtime protocol advice for a message: the situation (national, Optum/Vision link, local,
 * major incident, restored), the stage worked out from when e-RS went down and the current time
 * (working days with England and Wales bank holidays), what to do now, and the provider addresses.
 * Pure: the current time is passed in.
 */
export function downtimeAdvice(kb: KnowledgeBase, q: DowntimeQuestion): DowntimeAdvice {
  const base = {
    routes: [] as ContactRoute[],
    askWhen: false,
    working: [] as string[],
    source: citation('ers-pack', DOWNTIME_SECTION),
  };
  switch (q.situation) {
    case 'link':
      return { ...base, title: DT_TEXT.linkTitle, lines: situationAdvice(kb, 'link') };
    case 'local':
      // The facilitator has no address in the pack: the advice line is the whole contact, said once.
      return { ...base, title: DT_TEXT.localTitle, lines: [...situationAdvice(kb, 'local'), DT_TEXT.localNoContact] };
    case 'major-incident':
      return { ...base, title: DT_TEXT.majorTitle, lines: situationAdvice(kb, 'majorIncident') };
    case 'restored':
      return {
        ...base,
        title: DT_TEXT.restoredTitle,
        lines: situationAdvice(kb, 'restored'),
        source: `${base.source} (restoration)`,
      };
    default:
      break;
  }

  if (LESS_THAN_24.test(q.text)) {
    return {
      ...base,
      title: `${DT_TEXT.title}: ${DOWNTIME_STAGE_LABELS[1]}`,
      stage: 1,
      lines: [DT_TEXT.stageHeadline(1, DOWNTIME_STAGE_LABELS[1]), ...stageActions(kb, 1), DT_TEXT.notNational],
      source: `${base.source} > ${DOWNTIME_STAGE_LABELS[1]}`,
    };
  }

  const read = readDowntimeWindow(q.text, q.now);
  // With the start known, "what about tomorrow at 11am?", "and by Friday?" or "where will we be on
  // Monday 14th?" name a later now, not a new start (unless the words say it went down then).
  const later = q.knownStart && read.kind === 'window' && !STARTED.test(q.text) ? laterNow(read.start, q) : undefined;
  const window =
    read.kind === 'missing-start' && q.knownStart
      ? {
          kind: 'window' as const,
          start: q.knownStart,
          now: nowAfterStart(read.now, q.knownStart),
          startTimeKnown: true,
          atLeast: false,
        }
      : later && q.knownStart
        ? { kind: 'window' as const, start: q.knownStart, now: later, startTimeKnown: true, atLeast: false }
        : read;
  if (window.kind === 'error')
    return { ...base, title: DT_TEXT.title, lines: [window.message, DT_TEXT.askWhen], askWhen: true };
  if (window.kind === 'missing-start') {
    const overview = kb.downtimeSummary.overview.text;
    const lines: string[] = overview ? [overview] : [];
    let routes: ContactRoute[] = [];
    let routesTitle: string | undefined;
    if (q.sites.length > 0 || q.priority) {
      const stage = q.priority === 'urgent' || q.priority === 'routine' ? 3 : 2;
      const found = addressesFor(kb, stage, q.sites, q.priority);
      routes = found.routes;
      routesTitle =
        stage === 2
          ? 'Email addresses for 2WW referrals (after 24 hours of downtime):'
          : 'Email addresses for urgent and routine referrals (after 5 working days of downtime):';
    }
    lines.push(DT_TEXT.askWhen);
    return { ...base, title: DT_TEXT.title, lines, routes, routesTitle, askWhen: true, source: `${base.source}` };
  }

  // A start still to come ("if e-RS goes down at 5pm on Friday", a planned outage) gets the
  // timetable, not "the current time is before the time e-RS went down".
  if (window.start.getTime() > window.now.getTime())
    return { ...downtimeSchedule(kb, q, window.start, base), since: window.start };
  const result = downtimeStage(window.start, window.now);
  if (result.kind === 'error')
    return { ...base, title: DT_TEXT.title, lines: [result.message, DT_TEXT.askWhen], askWhen: true };
  // "Down for over 5 working days" is stage 3 by the words themselves; counting back from a
  // weekend "now" would land a day short, so the words win.
  const saidFiveWorkingDays = parseDateText(q.text, q.now).durations.some(
    (d) => d.kind === 'working-days-elapsed' && d.days >= 5,
  );
  if (saidFiveWorkingDays && result.stage !== 3) return stageThreeFromWords(kb, q, base);
  const stage = result.stage;
  const lines = [DT_TEXT.stageHeadline(stage, result.label), ...stageLines(kb, result, q)];
  // Early on, a fault may be only the Optum/Vision link or this practice: say how to tell.
  if (q.situation === undefined && stage === 1) lines.push(DT_TEXT.notNational);
  const found = addressesFor(kb, stage, q.sites, q.priority);
  lines.push(...noAddressLines(kb, stage, q));
  return {
    ...base,
    title: `${DT_TEXT.title}: ${result.label}`,
    stage,
    lines,
    routes: found.routes,
    routesTitle: found.routes.length > 0 ? DT_TEXT.emailsFor(found.what) : undefined,
    working: result.working,
    source: `${base.source} > ${result.label}`,
    since: window.start,
    at: window.now,
  };
}

/** Each stage and when it starts, for a downtime that has not started yet (or a hypothetical one). */
function downtimeSchedule(
  kb: KnowledgeBase,
  q: DowntimeQuestion,
  start: Date,
  base: Pick<DowntimeAdvice, 'source'>,
): DowntimeAdvice {
  const result = downtimeStage(start, start);
  if (result.kind === 'error')
    return { ...base, title: DT_TEXT.title, lines: [result.message], routes: [], askWhen: false, working: [] };
  const stages: readonly [1 | 2 | 3, Date][] = [
    [1, start],
    [2, result.stage2At],
    [3, result.stage3At],
  ];
  const lines = [
    DT_TEXT.scheduleIntro(formatLondon(start)),
    ...stages.map(([n, at]) =>
      DT_TEXT.scheduleStage(n, DOWNTIME_STAGE_LABELS[n], formatLondon(at), kb.downtimeSummary.summaries[n].text),
    ),
    DT_TEXT.scheduleUntilRestored,
  ];
  // The addresses for what the question is about: 2WW from stage 2, urgent and routine from stage 3.
  const stage = q.priority === 'urgent' || q.priority === 'routine' ? 3 : 2;
  const found = q.sites.length > 0 || q.priority ? addressesFor(kb, stage, q.sites, q.priority) : undefined;
  return {
    title: DT_TEXT.scheduleTitle,
    lines,
    routes: found?.routes ?? [],
    routesTitle: found && found.routes.length > 0 ? DT_TEXT.emailsFor(found.what) : undefined,
    askWhen: false,
    working: result.working.filter((l) => !l.startsWith('Now:')),
    source: base.source,
  };
}

/**
 * "Routine referral to Oxleas, which address?": the pack lists no downtime mailbox for some sites.
 * Say so, rather than leave the person hunting or give another trust's address.
 */
function noAddressLines(kb: KnowledgeBase, stage: 1 | 2 | 3, q: DowntimeQuestion): string[] {
  if (stage === 1) return [];
  const purposes = stage === 2 || q.priority === '2ww' ? ['downtime-2ww'] : ['downtime-2ww', 'downtime-urgent-routine'];
  return q.sites
    .filter((site) => !kb.contacts.routes.some((r) => purposes.includes(r.purpose) && r.sites?.includes(site)))
    .map((site) => DT_TEXT.noAddress(siteLabel(site)));
}

/** Words that give when e-RS went down, as opposed to a time asked about. */
const STARTED =
  /\b(?:went|gone|go|goes|going|been|came|come|fell|crashed|died|stopped|started|down (?:since|from|at)|since|from|ago|outage (?:started|began)|began|begun)\b/;

/** A date named in a follow-up about a known outage, read as the now asked about (after the start). */
function laterNow(named: Date, q: DowntimeQuestion): Date | undefined {
  if (!q.knownStart) return undefined;
  const at = nowAfterStart(named, q.knownStart);
  // A day without a time ("by Friday") is that day at the time of day the question is asked.
  const local = toLondon(at);
  const when = local.time.hour === 0 && local.time.minute === 0 ? fromLondon(local.date, toLondon(q.now).time) : at;
  return when.getTime() > q.knownStart.getTime() ? when : undefined;
}

/**
 * "It's Friday now" after "down since Monday": the Friday after that Monday. A day named on its own
 * reads as the latest one, which can fall before an outage already known; within a week it is the next.
 */
function nowAfterStart(now: Date, start: Date): Date {
  const nowDay = toLondon(now).date;
  const startDay = toLondon(start).date;
  if (nowDay >= startDay) return now;
  const later = new Date(now.getTime() + 7 * 24 * 60 * 60 * 1000);
  return later.getTime() > start.getTime() ? fromLondon(addCalendarDays(nowDay, 7), toLondon(now).time) : now;
}

/**
 * A stage's advice: when the next stage starts, what to do now, and for the priority asked about,
 * whether it is held or emailed yet. The same for a start the person gave and one the ICB announced.
 */
export function stageLines(
  kb: KnowledgeBase,
  result: DowntimeStage,
  q: Pick<DowntimeQuestion, 'sites' | 'priority'>,
): string[] {
  const { stage } = result;
  const lines = [
    result.nextStageAt && result.nextStage
      ? DT_TEXT.nextStage(DOWNTIME_STAGE_LABELS[result.nextStage], formatLondon(result.nextStageAt))
      : DT_TEXT.finalStage,
    ...stageActions(kb, stage),
  ];
  if (stage === 1 && (q.sites.length > 0 || q.priority)) lines.push(DT_TEXT.no2wwYet(formatLondon(result.stage2At)));
  if (stage === 2 && (q.priority === 'urgent' || q.priority === 'routine'))
    lines.push(DT_TEXT.holdUntil(formatLondon(result.stage3At)));
  return lines;
}

function stageThreeFromWords(
  kb: KnowledgeBase,
  q: DowntimeQuestion,
  base: Pick<DowntimeAdvice, 'source'>,
): DowntimeAdvice {
  const found = addressesFor(kb, 3, q.sites, q.priority);
  const lines = [DT_TEXT.stageHeadline(3, DOWNTIME_STAGE_LABELS[3]), DT_TEXT.finalStage, ...stageActions(kb, 3)];
  lines.push(...noAddressLines(kb, 3, q));
  if (q.situation === undefined) lines.push(DT_TEXT.notNational);
  return {
    title: `${DT_TEXT.title}: ${DOWNTIME_STAGE_LABELS[3]}`,
    stage: 3,
    lines,
    routes: found.routes,
    routesTitle: found.routes.length > 0 ? DT_TEXT.emailsFor(found.what) : undefined,
    askWhen: false,
    working: [],
    source: `${base.source} > ${DOWNTIME_STAGE_LABELS[3]}`,
  };
}

export function downtimeCard(advice: DowntimeAdvice) {
  const body: CardElement[] = [
    text(advice.lines.map((l, i) => (i === 0 && advice.stage ? `**${l}**` : `- ${l}`)).join('\n')),
  ];
  if (advice.routes.length > 0) {
    if (advice.routesTitle) body.push(text(`**${advice.routesTitle}**`));
    // One heading per referral type, so each mailbox line names only its site: the whole stage 3
    // table stays short enough to read in a chat.
    const groups = ROUTE_GROUPS.map(([purpose, heading]) => ({
      heading,
      routes: advice.routes.filter((r) => r.purpose === purpose),
    })).filter((g) => g.routes.length > 0);
    for (const group of groups) {
      const lines = group.routes.map((r) => routeMarkdown(r, { showHow: false, showWho: false })).join('\n\n');
      body.push(text(groups.length > 1 ? `_${group.heading}:_\n\n${lines}` : lines));
    }
  }
  if (advice.working.length > 0) body.push(text(advice.working.join('\n'), { isSubtle: true, size: 'Small' }));
  if (advice.askWhen) {
    const situations = [
      DT_TEXT.lessThan24,
      DT_TEXT.moreThan24,
      DT_TEXT.moreThan5,
      DT_TEXT.linkButton,
      DT_TEXT.localButton,
    ];
    body.push(choiceList(situations.map((says) => ({ title: says, says }))));
  }
  return answerCard({ title: advice.title, body, source: advice.source });
}

/** Whether a message answers "when did e-RS go down?". */
/** A reply to "when did e-RS go down?": the advisor reads the time from the same words. */
export type DowntimeAnswer = { step: 'when' };

/** Reads a reply to the advisor's question; undefined when it gives no start. */
export function downtimeAccepts(step: string, lower: string, now: Date): DowntimeAnswer | undefined {
  if (step !== 'when') return undefined;
  if (LESS_THAN_24.test(lower) || readDowntimeWindow(lower, now).kind === 'window') return { step };
  return undefined;
}

/** The downtime protocol advisor: reads or asks when e-RS went down and gives the stage's advice. */
export function registerDowntime(app: Application<AppTurnState>, deps: FeatureDeps): void {
  app.message(routeTo('downtime'), async (context, state) => {
    const insight = insightOf(context);
    if (!insight) return;
    const now = deps.clock.now();
    const previous = insight.continues === 'downtime' ? insight.dialog?.data : undefined;
    const sites =
      insight.entities.sites.length > 0 ? insight.entities.sites : ((previous?.sites as SiteId[] | undefined) ?? []);
    const priority = insight.entities.priority ?? (previous?.priority as Priority | undefined);
    const said = insight.intent.kind === 'downtime' ? insight.intent.situation : undefined;
    // The web version did not work either: not the Optum/Vision link, so a local problem (the pack's
    // advice: tell the Primary Care IT Facilitator).
    const situation =
      said === 'link' && insight.refines?.situation === 'link' && FAILED.test(insight.lower) ? 'local' : said;
    const downSince = insight.refines?.downSince;
    // "It's now Tuesday 15 December" said earlier still holds: the stated now moves on with the clock.
    const offset = insight.refines?.nowOffsetMinutes;
    const question = {
      text: insight.text,
      now: offset ? new Date(now.getTime() + offset * 60_000) : now,
      situation,
      sites,
      priority,
      ...(downSince ? { knownStart: new Date(downSince) } : {}),
    };
    // The ICB's announced downtime answers when the person does not say when theirs started.
    const advice = (await liveDowntimeAdvice(deps, question)) ?? downtimeAdvice(deps.kb, question);
    rememberTopic(
      state.conversation,
      {
        feature: 'downtime',
        situation,
        sites: [...sites],
        priority,
        downSince: advice.since?.toISOString(),
        nowOffsetMinutes: advice.at ? Math.round((advice.at.getTime() - now.getTime()) / 60_000) : undefined,
      },
      now,
    );
    if (advice.askWhen)
      setDialog(state.conversation, 'downtime', 'when', { sites, ...(priority ? { priority } : {}) }, now);
    else endDialog(state.conversation);
    await context.sendActivity({ attachments: [downtimeCard(advice)] });
  });
}
