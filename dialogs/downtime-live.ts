import type { CurrentDowntime, DowntimeNow, RestoredNow } from '../knowledge/announcements/current-downtime.js';
import type { DowntimeScope } from '../knowledge/announcements/model.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { DOWNTIME_STAGE_LABELS, readDowntimeWindow } from '../knowledge/rules/downtime-stages.js';
import type { ContactRoute, SiteId } from '../knowledge/schema.js';
import { citation } from '../knowledge/sources.js';
import { formatLondon } from '../knowledge/time/london-time.js';
import {
  addressesFor,
  type DowntimeAdvice,
  type DowntimeQuestion,
  downtimeAdvice,
  situationAdvice,
  stageLines,
} from './downtime.js';
import { LIVE_TEXT, TRUST_NAMES } from './downtime-live-text.js';
import { DOWNTIME_SECTION, DT_TEXT } from './downtime-text.js';

/** A notice shown at the top of every page while it holds (an e-RS downtime the ICB announced). */
export interface PageBanner {
  /** Bold lead, e.g. "e-RS downtime". */
  heading: string;
  lines: readonly string[];
  /** An entry to link to for what to do. */
  entryId?: string;
  linkText?: string;
}

/**
 * Downtime answers from the ICB's announcements: when nobody says when e-RS went down, the stage,
 * the next stage and the mailboxes come from the current downtime the ICB announced. Pure apart
 * from `liveDowntimeAdvice`, which asks the injected lookup.
 */

export type CurrentDowntimeLookup = (now: Date) => Promise<CurrentDowntime>;

/** Whether the message gives its own start, duration or "now": then the person's words win. */
export function statesOwnTime(text: string, now: Date): boolean {
  const window = readDowntimeWindow(text, now);
  return window.kind !== 'missing-start' || window.now.getTime() !== now.getTime();
}

/** The sites of the trusts a downtime is limited to; all sites when it is not limited. */
export function sitesInScope(kb: KnowledgeBase, scope: DowntimeScope): SiteId[] | undefined {
  if (scope.kind !== 'trusts') return undefined;
  return kb.organisations.filter((o) => scope.trusts.includes(o.trust)).map((o) => o.id);
}

function inScope(routes: ContactRoute[], sites: SiteId[] | undefined): ContactRoute[] {
  if (!sites) return routes;
  return routes.filter((r) => !r.sites || r.sites.some((s) => sites.includes(s)));
}

export function trustNames(scope: DowntimeScope): string | undefined {
  return scope.kind === 'trusts' ? scope.trusts.map((t) => TRUST_NAMES[t]).join(', ') : undefined;
}

const SOURCE = `${citation('ers-pack', DOWNTIME_SECTION)}; ${LIVE_TEXT.announcedSource}`;

/** The stage answer for a downtime the ICB announced. */
export function announcedStageAdvice(kb: KnowledgeBase, q: DowntimeQuestion, down: DowntimeNow): DowntimeAdvice {
  const announced = formatLondon(down.announcedAt);
  const since = formatLondon(down.startedAt);
  const base = { askWhen: false, working: [] as string[] };
  if (down.scope.kind === 'optum-vision' || !down.stage) {
    return {
      ...base,
      title: DT_TEXT.linkTitle,
      lines: [LIVE_TEXT.linkSince(since, announced), ...situationAdvice(kb, 'link')],
      routes: [],
      source: SOURCE,
    };
  }
  const result = down.stage;
  const stage = result.stage;
  const lines = [DT_TEXT.stageHeadline(stage, result.label)];
  lines.push(
    down.planned
      ? LIVE_TEXT.plannedSince(since, down.endsAt ? formatLondon(down.endsAt) : undefined, announced)
      : LIVE_TEXT.downSince(since, announced),
  );
  const names = trustNames(down.scope);
  if (names) lines.push(LIVE_TEXT.trustsOnly(names));
  lines.push(...stageLines(kb, result, q));
  lines.push(LIVE_TEXT.ownStart);
  const found = addressesFor(kb, stage, q.sites, q.priority);
  const routes = inScope(found.routes, sitesInScope(kb, down.scope));
  return {
    ...base,
    title: `${DT_TEXT.title}: ${result.label}`,
    stage,
    lines,
    routes,
    routesTitle: routes.length > 0 ? DT_TEXT.emailsFor(found.what) : undefined,
    working: result.working,
    source: `${SOURCE} > ${result.label}`,
  };
}

/** What to do after the ICB said e-RS is restored (or a planned downtime reached its end). */
export function restoredAdvice(kb: KnowledgeBase, restored: RestoredNow): DowntimeAdvice {
  const when = formatLondon(restored.restoredAt);
  const lines = [restored.how === 'announced' ? LIVE_TEXT.restoredAnnounced(when) : LIVE_TEXT.plannedEnded(when)];
  if (restored.startedAt) lines.push(LIVE_TEXT.wasDownSince(formatLondon(restored.startedAt)));
  lines.push(...situationAdvice(kb, 'restored'));
  return {
    title: LIVE_TEXT.restoredTitle,
    lines,
    routes: [],
    askWhen: false,
    working: [],
    source: `${citation('ers-pack', DOWNTIME_SECTION)} (restoration); ${LIVE_TEXT.announcedSource}`,
  };
}

/**
 * The answer from the current downtime, or undefined when the person's own words decide it: they
 * said when it went down (a local fault has its own start), or described another situation
 * (Optum/Vision link, only their practice, a cyber-attack).
 */
export function announcedAdvice(
  kb: KnowledgeBase,
  q: DowntimeQuestion,
  current: CurrentDowntime,
): DowntimeAdvice | undefined {
  // The person's own start, now or earlier in the conversation, wins over the announcement.
  if (q.knownStart || statesOwnTime(q.text, q.now)) return undefined;
  if (q.situation === 'restored') return current.kind === 'restored' ? restoredAdvice(kb, current) : undefined;
  if (q.situation !== undefined && q.situation !== 'national') return undefined;
  if (current.kind === 'down') return announcedStageAdvice(kb, q, current);
  if (current.kind === 'restored') return restoredAdvice(kb, current);
  const today = downtimeAdvice(kb, q);
  return { ...today, lines: [LIVE_TEXT.noneAnnounced, ...today.lines] };
}

/** The seam the downtime dialog calls: undefined without a lookup, so the advisor works as before. */
export async function liveDowntimeAdvice(
  deps: { kb: KnowledgeBase; currentDowntime?: CurrentDowntimeLookup },
  q: DowntimeQuestion,
): Promise<DowntimeAdvice | undefined> {
  if (!deps.currentDowntime) return undefined;
  return announcedAdvice(deps.kb, q, await deps.currentDowntime(q.now));
}

/** One or two short lines on where the downtime stands now: the card status, the page banner. */
export function statusLines(current: CurrentDowntime): string[] {
  if (current.kind === 'none') return [LIVE_TEXT.statusNone];
  if (current.kind === 'restored') return [LIVE_TEXT.statusRestored(formatLondon(current.restoredAt))];
  const stage = current.stage;
  if (!stage) return [LIVE_TEXT.statusLink];
  return [
    LIVE_TEXT.statusStage(stage.stage, stage.label),
    stage.nextStageAt && stage.nextStage
      ? LIVE_TEXT.statusNext(DOWNTIME_STAGE_LABELS[stage.nextStage], formatLondon(stage.nextStageAt))
      : LIVE_TEXT.statusLastStage,
  ];
}

const STAGE_ENTRIES: Readonly<Record<1 | 2 | 3, string>> = Object.freeze({
  1: 'downtime-first-24-hours',
  2: 'downtime-after-24-hours',
  3: 'downtime-after-5-working-days',
});

/** The guidance pages' banner while a downtime is current; none otherwise. */
export function downtimeBanner(current: CurrentDowntime): PageBanner | undefined {
  if (current.kind !== 'down') return undefined;
  return {
    heading: LIVE_TEXT.bannerHeading,
    lines: [...statusLines(current), LIVE_TEXT.bannerAnnounced(formatLondon(current.announcedAt))],
    entryId: current.stage ? STAGE_ENTRIES[current.stage.stage] : 'downtime-local-system-link',
    linkText: LIVE_TEXT.bannerLink,
  };
}
