/**
 * Every word the deadline calculator says, kept together so the people who own the guidance
 * can review it. Day counts and advice come from eRS Information Pack v4.1 (October 2025).
 */
import type { DeadlineRule, Priority } from './deadlines.js';

export const SECTIONS: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: "Appointment slot issues > Using the 'defer to provider' option",
  letter: 'Attaching referral letters',
  availability: 'Top tips for making and managing referrals well in e-RS > 3. Urgent Suspected Cancer (2WW) referrals',
  'rejection-letter': 'Managing your worklists > Responsibility for managing rejected / returned referrals',
});

// One definition, in knowledge/sources.ts; re-exported for the modules that import it from here.
export { DOWNTIME_SECTION } from '../../knowledge/sources.js';

export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = Object.freeze({
  '2ww': '2WW',
  urgent: 'urgent',
  routine: 'routine',
});

export const RULE_NAMES: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: 'Deferral to provider',
  letter: 'Attaching referral letters',
  availability: 'Urgent Suspected Cancer (2WW) referrals',
  'rejection-letter': 'Appointment cancelled due to rejection',
});

export const START_LABELS: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: 'Deferred on',
  letter: 'Referral made on',
  availability: 'Referred on',
  'rejection-letter': 'Appointment cancelled on',
});

export const TEXT = Object.freeze({
  deferralHeadline: (date: string) =>
    `Contact-by date: ${date}. The patient should have heard from the provider by then.`,
  deferralEscalate:
    "If the provider hasn't contacted the patient by this date, escalate to the provider. Do not cancel or duplicate the referral.",
  deferral2ww: "For 2WW the pack says avoid 'defer to provider': discuss alternative providers with the patient first.",
  letter24hHeadline: (when: string) => `Attach the referral letter within 24 hours: by ${when}.`,
  letter24hNoTime: (date: string) => `${date}, at the time of day the referral was made`,
  letterRoutineHeadline: (date: string) => `Attach the referral letter by ${date} (within 3 working days).`,
  letterWorklist: 'The provider cannot see the referral on their worklist until the letter has been attached.',
  availabilityHeadline: (date: string) =>
    `The patient should be available throughout the 28 days following referral: until at least ${date}.`,
  availabilityOnly2ww:
    'The 28-day availability check in the pack is for Urgent Suspected Cancer (2WW) referrals only, so I have no date for that priority.',
  rejectionHeadline: (date: string) =>
    `If the practice has not contacted the patient within 21 days, a letter is sent: on ${date}.`,
  rejectionOnlyRoutine:
    'The pack describes the 21-day letter for routine referrals only, so I have no date for that priority.',
  rejectionLetter:
    'The letter explains that the appointment was cancelled and advises the patient to contact their GP practice.',
  ruleDeferral: (priority: string, days: number) => `Rule: Deferral to provider, ${priority}: ${days} working days`,
  ruleLetter24h: (priority: string) => `Rule: Attaching referral letters, ${priority}: 1 day (24 hours)`,
  ruleLetterRoutine: 'Rule: Attaching referral letters, routine: 3 working days',
  ruleAvailability: 'Rule: 2WW: patient available throughout at least the 28 days following referral (calendar days)',
  ruleRejection: 'Rule: routine appointment cancelled due to rejection: letter after 21 days (calendar days)',
  startNotWorking: (date: string, why: string) =>
    `${date} is not a working day (${why}), so the count starts from the next working day.`,
  countedDays: (first: string, n: number, last: string) => `Day 1 is ${first}; day ${n} is ${last}.`,
  skipped: (list: string) => `Skipped: ${list}.`,
  noneSkipped: 'Skipped: none (no weekends or bank holidays in between).',
  askIntro: 'To work out the date I need',
  askPriority: 'the referral priority (2WW, urgent or routine)',
  askDate: 'the date it happened (for example 2 March 2026 or 02/03/2026)',
  askRule:
    'which date you want: the deferral contact-by date, the referral letter deadline, 2WW availability, or the 21-day letter after a rejection',
  weekdayMismatch: (written: string, date: string, actual: string) =>
    `You wrote ${written}, but ${date} is a ${actual}. Which date did you mean?`,
  priorityConflict: 'the referral priority: you mentioned more than one (2WW, urgent, routine)',
});

/** Each rule as the pack states it (eRS Information Pack v4.1), said before asking for what is missing. */
/** The rule for one priority, when the question named it: one fact asked, one given. */
export function ruleSummary(rule: DeadlineRule, priority: Priority | undefined): string {
  if (rule === 'deferral' && priority) {
    const days = { '2ww': 'two', urgent: '20', routine: '40' }[priority];
    const article = priority === 'urgent' ? 'an' : 'a';
    return `After a deferral to provider, ${article} ${PRIORITY_LABELS[priority]} patient should hear from the provider within ${days} working days of the deferral date.`;
  }
  if (rule === 'letter' && priority === 'routine')
    return 'Attach the referral letter within 3 working days for routine referrals.';
  if (rule === 'letter' && priority)
    return 'Attach the referral letter within 1 day (24 hours) for 2WW and urgent referrals.';
  return RULE_SUMMARIES[rule];
}

export const RULE_SUMMARIES: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral:
    'After a deferral to provider, the patient should hear from the provider within 2 working days (2WW), 20 working days (urgent) or 40 working days (routine) of the deferral date.',
  letter:
    'Attach the referral letter within 1 day (24 hours) for 2WW and urgent referrals, and within 3 working days for routine referrals.',
  availability:
    'For a 2WW referral, the patient should be available throughout at least the 28 day period following referral.',
  'rejection-letter':
    "If a booked routine appointment is cancelled due to rejection and the practice doesn't contact the patient within 21 days, a letter is sent to the patient.",
});
