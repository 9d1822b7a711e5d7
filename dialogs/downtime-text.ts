/** Wording for the downtime protocol advisor, from the pack's "e-RS Downtime Protocol" section. */

// The section's name is the rule's (one definition); features take it from here.
export { DOWNTIME_SECTION } from '../knowledge/rules/downtime-stages.js';

export const STAGE_ACTIONS = Object.freeze({
  1: [
    'Hold all referrals until e-RS is restored.',
    'Keep a log of all referrals that need to be made once e-RS becomes available.',
    'The ICB emails practice managers that e-RS is down and liaises with local providers (GSTT, KCH, LGT, Oxleas) in case downtime continues after 24 hours.',
  ],
  2: [
    'The ICB emails practice managers when this stage starts. Send Urgent Suspected Cancer (2WW) referrals by email to the provider addresses below.',
    'Keep holding urgent and routine referrals, and keep logging them.',
    'In the body of the email state clearly why the referral is sent by email, e.g. "e-RS downtime for over 24 hours".',
    'Keep using the pan London cancer referral forms for 2WW referrals. Providers will contact patients to arrange and book appointments.',
  ],
  3: [
    'The ICB emails practice managers when this stage starts. Send 2WW, urgent and routine referrals by email to the provider addresses below.',
    'In the body of the email state clearly why the referral is sent by email, e.g. "e-RS downtime for over 5 working days".',
    'Providers will contact patients to arrange and book appointments.',
  ],
} as const);

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
  rulesWithoutTime:
    'In the first 24 hours hold all referrals and keep a log. After 24 hours, 2WW referrals go by email; after 5 working days, urgent and routine referrals too.',
  link: [
    'If e-RS is not available from Optum (previously EMIS) or Vision, use the web-based version of e-RS: https://ers.nhs.uk/main',
    "When using the web version, record the UBRN manually in the patient's record: the systems do not sync.",
    'The ICB notifies practice managers by email when it knows of this, and again when the link is restored.',
  ],
  local: [
    'If e-RS problems affect only your practice (or a few practices), notify your local Primary Care IT Facilitator, who will escalate to NHS England or to subject matter experts within the ICB.',
    'The pack gives no email address or phone number for the facilitator.',
  ],
  majorIncident: [
    "For wider issues such as a cyber-attack or a power outage, follow the ICB's business continuity plan, your practice's business continuity plan and local provider business continuity plans.",
  ],
  restored: [
    'When e-RS is restored the ICB emails practice managers: go back to using e-RS for referrals.',
    'Stop emailing referrals. Make the referrals you held and logged on e-RS.',
    'Providers set automatic replies on the downtime email addresses: referrals sent by email will not be accepted, and the practice must re-refer via e-RS.',
  ],
  linkTitle: 'e-RS not opening from Optum/Vision',
  localTitle: 'e-RS problem at your practice only',
  majorTitle: 'Cyber-attack or power outage',
  restoredTitle: 'e-RS restored',
  noAddress: (site: string) => `The pack gives no downtime email address for ${site}.`,
  scheduleTitle: 'e-RS downtime: when each stage starts',
  scheduleIntro: (start: string) => `If e-RS is down from ${start}, the protocol's stages start:`,
  scheduleStage: (stage: number, label: string, when: string, what: string) =>
    `Stage ${stage}, "${label}": from ${when}. ${what}`,
  scheduleWhat: {
    1: 'Hold all referrals and keep a log of them.',
    2: 'Urgent Suspected Cancer (2WW) referrals go by email; keep holding urgent and routine referrals.',
    3: 'Urgent and routine referrals go by email too.',
  } as Readonly<Record<1 | 2 | 3, string>>,
  scheduleUntilRestored: 'Each stage lasts until the ICB tells practices e-RS is restored.',
});
