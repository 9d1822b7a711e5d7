/**
 * Wording for the downtime protocol advisor, from the pack's "e-RS Downtime Protocol" section. What
 * to do at each stage and in each situation is pack content, in knowledge/data/downtime-advice.json.
 */

// One definition, in knowledge/sources.ts; re-exported for the modules that import it from here.
export { DOWNTIME_SECTION } from '../knowledge/sources.js';

export const DT_TEXT = Object.freeze({
  title: 'e-RS downtime',
  stageHeadline: (stage: number, label: string) => `Stage ${stage} of 3: ${label}.`,
  nextStage: (label: string, when: string) => `"${label}" starts ${when}.`,
  finalStage: 'This is the last stage: it lasts until the ICB tells practices e-RS is restored.',
  holdUntil: (when: string) =>
    `Hold urgent and routine referrals: they are emailed only from ${when} ("After 5 working days").`,
  no2wwYet: (when: string) =>
    `No referrals are emailed yet. 2WW referrals are emailed from ${when} ("After 24 hours").`,
  emailsFor: (what: string) => `Email addresses (${what}):`,
  twoWeekGroup: 'Urgent Suspected Cancer (2WW) referrals',
  urgentRoutineGroup: 'Urgent and routine referrals',
  askWhen:
    'When did e-RS go down? Type the date and time (e.g. "yesterday 3pm", "Friday 6 November at 4pm") or how long (e.g. "30 hours"), or pick one:',
  notNational:
    'If e-RS works on the web but not from Optum/Vision, or only your practice is affected, say so: the advice is different.',
  lessThan24: 'e-RS went down less than 24 hours ago',
  moreThan24: 'e-RS has been down more than 24 hours',
  moreThan5: 'e-RS has been down more than 5 working days',
  linkButton: "e-RS won't open from Optum/Vision",
  localButton: 'Only our practice is affected',
  /** Said after the pack's advice for a problem at one practice (knowledge/data/downtime-advice.json). */
  localNoContact: 'The pack gives no email address or phone number for the facilitator.',
  linkTitle: 'e-RS not opening from Optum/Vision',
  localTitle: 'e-RS problem at your practice only',
  majorTitle: 'Cyber-attack or power outage',
  restoredTitle: 'e-RS restored',
  noAddress: (site: string) => `The pack gives no downtime email address for ${site}.`,
  scheduleTitle: 'e-RS downtime: when each stage starts',
  scheduleIntro: (start: string) => `If e-RS is down from ${start}, the protocol's stages start:`,
  scheduleStage: (stage: number, label: string, when: string, what: string) =>
    `Stage ${stage}, "${label}": from ${when}. ${what}`,
  scheduleUntilRestored: 'Each stage lasts until the ICB tells practices e-RS is restored.',
});
