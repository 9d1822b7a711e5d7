import type { TrustId } from '../knowledge/schema.js';

/**
 * Wording for answers and cards driven by the ICB's downtime announcements. The protocol's own
 * words (stage actions, restoration) are data in knowledge/data/downtime-advice.json; this adds
 * where the time comes from.
 */

/** The pack's names for the trusts (e-RS Downtime Protocol, "After 24 hours"). */
export const TRUST_NAMES: Readonly<Record<TrustId, string>> = Object.freeze({
  gstt: 'GSTT',
  kch: 'KCH',
  lgt: 'LGT',
  dvh: 'Darent Valley Hospital',
  oxleas: 'Oxleas',
});

export const LIVE_TEXT = Object.freeze({
  downSince: (since: string, announced: string) =>
    `e-RS has been down since ${since}, as announced by the ICB on ${announced}.`,
  plannedSince: (since: string, until: string | undefined, announced: string) =>
    `Planned e-RS downtime since ${since}${until ? `, due to end ${until}` : ''}, as announced by the ICB on ${announced}.`,
  linkSince: (since: string, announced: string) =>
    `e-RS cannot be opened from Optum/Vision since ${since}, as announced by the ICB on ${announced}.`,
  trustsOnly: (names: string) => `The ICB says this downtime affects e-RS at ${names} only.`,
  ownStart:
    'If your problem started at another time, or only your practice is affected, tell me when it started or say so: the advice is different.',
  noneAnnounced: 'The ICB has not announced an e-RS downtime that is going on now.',
  restoredAnnounced: (when: string) => `e-RS is restored: the ICB announced on ${when} that e-RS is working again.`,
  plannedEnded: (when: string) => `The planned e-RS downtime ended on ${when}.`,
  wasDownSince: (since: string) => `It had been down since ${since}.`,
  restoredTitle: 'e-RS restored',
  announcedSource: 'as announced by the ICB',
  // Cards that stay true
  refresh: 'Refresh',
  asAt: (when: string) => `As at ${when}:`,
  statusStage: (stage: number, label: string) => `Now: stage ${stage} of 3, ${label}.`,
  statusNext: (label: string, when: string) => `"${label}" starts ${when}.`,
  statusLastStage: 'This is the last stage, until the ICB announces e-RS is restored.',
  statusLink: 'Now: e-RS cannot be opened from Optum/Vision; use the web version.',
  statusNone: 'Now: no e-RS downtime is going on.',
  statusPlannedAhead: (when: string) => `Not started yet: it starts ${when}.`,
  statusRestored: (when: string) => `Now: e-RS is restored (since ${when}). Do not email referrals any more.`,
  gone: 'This announcement is no longer available.',
  // Stage notices
  noticeTitle: (stage: number, label: string) => `Stage ${stage} starts now: ${label}`,
  noticeTitleLate: (stage: number, label: string, when: string) => `Stage ${stage} (${label}) started ${when}`,
  noticeLead: {
    1: 'e-RS is down: hold all referrals until e-RS is restored and keep a log of them.',
    2: '2WW referrals now go by email to the addresses below. Continue to hold urgent and routine referrals.',
    3: '2WW, urgent and routine referrals now go by email to the addresses below.',
  } as Readonly<Record<1 | 2 | 3, string>>,
  // The announce form
  scopeLabel: 'Which part of e-RS is down',
  scopeNational: 'All of e-RS (national)',
  scopeLink: 'Only from Optum/Vision (the web version works)',
  scopeTrusts: 'Only at the trusts below',
  trustsLabel: 'Trusts (when only some are affected)',
  stageNoticesLabel: 'Post "Stage N starts now" to the same conversations as each stage begins',
  previewHeading: 'Stage preview',
  previewNow: 'If sent now',
  previewNext: 'Next stage',
  previewNotices: 'Stage notices',
  noticesOn: 'On: posted once to each conversation as each stage begins',
  noticesOff: 'Off',
  previewNoStages: 'No stages: the web version of e-RS is used until the link is restored',
  // Guidance pages
  bannerHeading: 'e-RS downtime',
  bannerAnnounced: (when: string) => `As announced by the ICB on ${when}.`,
  bannerLink: 'What to do now',
});
