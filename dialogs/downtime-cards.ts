import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';
import {
  type CurrentDowntime,
  currentDowntime,
  type DowntimeNow,
} from '../knowledge/announcements/current-downtime.js';
import type { Announcement, Renderer } from '../knowledge/announcements/model.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { DOWNTIME_STAGE_LABELS } from '../knowledge/rules/downtime-stages.js';
import { formatLondon } from '../knowledge/time/london-time.js';
import { announcementBody, createRenderer } from './announcement-cards.js';
import { ANNOUNCE_SOURCE, KIND_LABELS } from './announcements-text.js';
import { adaptiveCard, type CardElement, container, facts, heading, text } from './cards/card.js';
import { routeMarkdown } from './contacts-view.js';
import { addressesFor, situationAdvice, stageActions } from './downtime.js';
import { sitesInScope, statusLines, trustNames } from './downtime-live.js';
import { LIVE_TEXT, TRUST_NAMES } from './downtime-live-text.js';
import { DT_TEXT } from './downtime-text.js';

/**
 * Announcement cards that stay true (Adaptive Card Universal Actions): a downtime card carries a
 * `refresh` action, so Teams asks the bot for the card as it is now each time someone opens the
 * conversation (automatic for up to 60 members), and a Refresh button where it does not.
 */

export const REFRESH_VERB = 'downtime-refresh';
const DOWNTIME_KINDS: ReadonlySet<Announcement['kind']> = new Set(['planned-downtime', 'unplanned-downtime']);

function executeAction(announcementId: string, title?: string): Record<string, unknown> {
  return {
    type: 'Action.Execute',
    ...(title ? { title } : {}),
    verb: REFRESH_VERB,
    data: { announcementId },
  };
}

function bullets(lines: readonly string[]): CardElement {
  return text(lines.map((l) => `- ${l}`).join('\n'));
}

/** Where the downtime stands at `now`, for the top of a refreshed card. */
function statusBlock(a: Announcement, current: CurrentDowntime, now: Date): CardElement {
  let lines = statusLines(current);
  const plannedAhead =
    a.kind === 'planned-downtime' && a.startsAt !== undefined && Date.parse(a.startsAt) > now.getTime();
  if (plannedAhead && current.kind !== 'down')
    lines = [LIVE_TEXT.statusPlannedAhead(formatLondon(new Date(a.startsAt ?? '')))];
  return container(
    [text(LIVE_TEXT.asAt(formatLondon(now)), { isSubtle: true, size: 'Small' }), text(lines.join(' '))],
    {
      style: current.kind === 'down' ? 'attention' : 'emphasis',
    },
  );
}

/**
 * The card for an announcement at `now`. With `current` (a refresh) it starts with where the
 * downtime stands; a downtime card whose downtime has since been restored shows what to do now
 * instead of the stage it was sent at.
 */
export function liveAnnouncementCard(
  kb: KnowledgeBase,
  a: Announcement,
  now: Date,
  current?: CurrentDowntime,
): AdaptiveCard {
  const live = DOWNTIME_KINDS.has(a.kind);
  let body: CardElement[];
  const restoredSince =
    live && current?.kind === 'restored' && current.restoredAt.getTime() >= Date.parse(a.sendAt) ? current : undefined;
  if (restoredSince) {
    body = [text(KIND_LABELS[a.kind], { isSubtle: true, size: 'Small' }), heading(a.title)];
    if (a.message) body.push(text(a.message));
    body.push(bullets(situationAdvice(kb, 'restored')), text(ANNOUNCE_SOURCE, { isSubtle: true, size: 'Small' }));
  } else {
    body = announcementBody(kb, a, now);
  }
  if (current && live) body.unshift(statusBlock(a, current, now));
  const card = adaptiveCard(body, live ? [executeAction(a.id, LIVE_TEXT.refresh)] : []).content as Record<
    string,
    unknown
  >;
  // No `userIds`: Teams then refreshes automatically for everyone in conversations of up to 60 people.
  return { ...card, type: 'AdaptiveCard', ...(live ? { refresh: { action: executeAction(a.id) } } : {}) };
}

/** "Stage 2 starts now: 2WW referrals go by email to ...", posted once to each conversation. */
export function stageNoticeCard(kb: KnowledgeBase, down: DowntimeNow, now: Date): Partial<Activity> {
  const stage = down.stage;
  if (!stage) return { type: 'message', text: LIVE_TEXT.statusLink };
  const late = now.getTime() - stage.stageStartedAt.getTime() > 15 * 60_000;
  const title = late
    ? LIVE_TEXT.noticeTitleLate(stage.stage, stage.label, formatLondon(stage.stageStartedAt))
    : LIVE_TEXT.noticeTitle(stage.stage, stage.label);
  const found = addressesFor(kb, stage.stage, [], undefined);
  const sites = sitesInScope(kb, down.scope);
  const routes = found.routes.filter((r) => !sites || !r.sites || r.sites.some((s) => sites.includes(s)));
  const body: CardElement[] = [
    text(KIND_LABELS[down.planned ? 'planned-downtime' : 'unplanned-downtime'], { isSubtle: true, size: 'Small' }),
    heading(title),
    text(`**${LIVE_TEXT.noticeLead[stage.stage]}**`),
    bullets(stageActions(kb, stage.stage)),
  ];
  if (routes.length > 0) {
    body.push(text(`**${DT_TEXT.emailsFor(found.what)}**`));
    body.push(text(routes.map((r) => routeMarkdown(r, { showHow: false })).join('\n\n')));
  }
  const next = statusLines(down).slice(1);
  if (next.length > 0) body.push(text(next.join(' ')));
  body.push(
    text(
      down.planned
        ? LIVE_TEXT.plannedSince(
            formatLondon(down.startedAt),
            down.endsAt ? formatLondon(down.endsAt) : undefined,
            formatLondon(down.announcedAt),
          )
        : LIVE_TEXT.downSince(formatLondon(down.startedAt), formatLondon(down.announcedAt)),
      {
        isSubtle: true,
        size: 'Small',
      },
    ),
    text(ANNOUNCE_SOURCE, { isSubtle: true, size: 'Small' }),
  );
  return { type: 'message', attachments: [adaptiveCard(body)] };
}

/** What the delivery engine posts: the announcement cards that stay true, and the stage notices. */
export function createLiveRenderer(kb: KnowledgeBase): Renderer {
  return {
    ...createRenderer(kb),
    announcement: (a, now) => ({
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: liveAnnouncementCard(kb, a, now) },
      ],
    }),
    stageNotice: (down, now) => stageNoticeCard(kb, down, now),
  };
}

/**
 * The announce form's stage preview for a draft: the stage it would be in when it takes effect
 * (sent now, or at its send time, or a planned downtime at its start), the next stage, and whether
 * stage notices will be posted. Nothing for announcements that are not downtimes.
 */
export function stagePreview(draft: Announcement, now: Date): CardElement[] {
  if (!DOWNTIME_KINDS.has(draft.kind)) return [];
  const times = [now.getTime(), Date.parse(draft.sendAt)];
  if (draft.kind === 'planned-downtime' && draft.startsAt) times.push(Date.parse(draft.startsAt));
  const at = new Date(Math.max(...times.filter((t) => !Number.isNaN(t))));
  const current = currentDowntime([{ ...draft, status: 'sent' }], at);
  const rows: { title: string; value: string }[] = [];
  if (current.kind === 'down' && current.stage) {
    const stage = current.stage;
    rows.push({
      title: at.getTime() === now.getTime() ? LIVE_TEXT.previewNow : formatLondon(at),
      value: DT_TEXT.stageHeadline(stage.stage, stage.label),
    });
    if (stage.nextStage && stage.nextStageAt)
      rows.push({
        title: LIVE_TEXT.previewNext,
        value: `${DOWNTIME_STAGE_LABELS[stage.nextStage]}: ${formatLondon(stage.nextStageAt)}`,
      });
  } else if (current.kind === 'down') {
    rows.push({ title: LIVE_TEXT.previewNow, value: LIVE_TEXT.previewNoStages });
  }
  const names = trustNames(draft.scope ?? { kind: 'national' });
  if (names) rows.push({ title: LIVE_TEXT.scopeLabel, value: names });
  rows.push({
    title: LIVE_TEXT.previewNotices,
    value: draft.stageNotices ? LIVE_TEXT.noticesOn : LIVE_TEXT.noticesOff,
  });
  return [text(`**${LIVE_TEXT.previewHeading}**`), facts(rows)];
}

/** The announce form's downtime fields: what is down, and whether to post a notice at each stage. */
export function downtimeFormFields(): CardElement[] {
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'scope',
      label: LIVE_TEXT.scopeLabel,
      value: 'national',
      choices: [
        { title: LIVE_TEXT.scopeNational, value: 'national' },
        { title: LIVE_TEXT.scopeLink, value: 'optum-vision' },
        { title: LIVE_TEXT.scopeTrusts, value: 'trusts' },
      ],
    },
    {
      type: 'Input.ChoiceSet',
      id: 'trusts',
      label: LIVE_TEXT.trustsLabel,
      isMultiSelect: true,
      choices: Object.entries(TRUST_NAMES).map(([value, title]) => ({ title, value })),
    },
    {
      type: 'Input.Toggle',
      id: 'stageNotices',
      title: LIVE_TEXT.stageNoticesLabel,
      value: 'false',
      valueOn: 'true',
      valueOff: 'false',
    },
  ];
}

/** The form's downtime fields as API input (`scope`, `stageNotices`), for downtime kinds only. */
export function downtimeFormInput(value: Record<string, unknown>): Record<string, unknown> {
  if (typeof value.kind !== 'string' || !DOWNTIME_KINDS.has(value.kind as Announcement['kind'])) return {};
  const out: Record<string, unknown> = {};
  if (value.scope === 'national' || value.scope === 'optum-vision') out.scope = value.scope;
  if (value.scope === 'trusts') {
    const trusts = typeof value.trusts === 'string' ? value.trusts.split(',').map((t) => t.trim()) : [];
    // An empty list is passed on, so the form says which trusts are missing rather than guessing.
    out.scope = { trusts: trusts.filter((t) => t !== '') };
  }
  if (value.stageNotices === 'true' || value.stageNotices === true) out.stageNotices = true;
  return out;
}
