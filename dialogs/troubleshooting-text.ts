import type { IssueNumber } from './understand.js';

/** Wording for the troubleshooting dialog (issues 1-8 of the pack's Trouble Shooting Guide). */

export const ISSUE_LABELS: Readonly<Record<IssueNumber, string>> = Object.freeze({
  1: "A temporary patient (with an NHS number) won't refer",
  2: "The patient doesn't have an NHS number",
  3: 'Patient not synced with the Spine (red PDS icon)',
  4: "Patient marked as 'sensitive' on the Spine",
  5: 'My smartcard has stopped working or is blocked',
  6: "The patient hasn't booked their appointment",
  7: "Still on 'Referrals pending external action' waiting for the provider",
  8: "My A&G request hasn't been actioned",
});

export const TS_TEXT = Object.freeze({
  menuTitle: 'Troubleshooting: what is the problem?',
  menuPrompt: 'Pick one, type its number (1-8), or describe the problem in your own words.',
  solvedQuestion: 'Did that solve it?',
  yes: 'Yes, solved',
  no: 'No, still stuck',
  backToList: 'Other problems',
  glad: "Good, glad that's sorted. Ask me anything else about e-RS whenever you need.",
  askBorough: 'Which borough is your practice in? Your Registration Authority (RA) depends on it.',
  askSite: 'Which hospital trust or site is the referral for?',
  /** After the pack's advice, before the contacts of an issue's first answer, by issue. */
  contactsLead: { 7: 'Contact the provider:' } as Readonly<Partial<Record<IssueNumber, string>>>,
  stuckTitles: {
    ra: 'Contact your Registration Authority (RA)',
    provider: 'Contact the provider',
    ag: 'Contact the provider about your A&G request',
    downtime: 'Downtime protocol email addresses',
    persists: 'If the problem persists',
    stillStuck: 'Still stuck?',
  },
  downtimeAddressHint:
    'Tell me the trust (e.g. "King\'s Denmark Hill", "PRUH", "QEH") and I will give its downtime email address.',
  noContact1:
    "The pack's answer is the web-based version of e-RS, with a manual note of the UBRN in the patient's record. It gives no other contact for this; for a local problem with e-RS, tell your Primary Care IT Facilitator.",
  /** Said before the pack's advice (troubleshooting-issues.json) when it gives no contact for the issue. */
  noContactInPack: 'The pack gives no contact for this.',
  exceptionSubjectOnly: (example: string) =>
    `Urgent referrals can be emailed with "EXCEPTION" in the subject line, e.g. "${example}".`,
  exceptionReminder: (example: string) =>
    `Send it to the trust's downtime protocol email address, with the reason in the subject line and body, e.g. "${example}".`,
});

/**
 * The heading and note of the "still stuck" card per issue. Which contacts it lists, the pack's advice
 * and its exception example are data (knowledge/data/troubleshooting-issues.json).
 */
export const STUCK_WORDING: Readonly<Record<IssueNumber, { title: keyof typeof TS_TEXT.stuckTitles; note?: string }>> =
  Object.freeze({
    1: { title: 'stillStuck', note: TS_TEXT.noContact1 },
    2: { title: 'downtime' },
    // The pack: "If the problem persists, urgent referrals can be emailed with EXCEPTION in the
    // subject line", by the same downtime protocol route as issues 2 and 4.
    3: { title: 'persists' },
    4: { title: 'downtime' },
    5: { title: 'ra' },
    6: { title: 'stillStuck' },
    7: { title: 'provider' },
    8: { title: 'ag' },
  });
