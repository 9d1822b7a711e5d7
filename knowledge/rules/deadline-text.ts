/**
 * The words of the deadline rules' results (headline, working, errors), kept together so the people
 * who own the guidance can review it; what the calculator asks, and the rule summaries, are in
 * dialogs/deadlines-text.ts. Day counts come from eRS Information Pack v4.1 (October 2025); the pack's
 * advice said after the working is data, checked against the pack (knowledge/data/deadline-advice.json).
 */

import {
  AVAILABILITY_CALENDAR_DAYS,
  REJECTION_LETTER_CALENDAR_DAYS,
  ROUTINE_LETTER_WORKING_DAYS,
} from './deadline-days.js';
import type { DeadlineRule, Priority } from './deadlines.js';

export const SECTIONS: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: "Appointment slot issues > Using the 'defer to provider' option",
  letter: 'Attaching referral letters',
  availability: 'Top tips for making and managing referrals well in e-RS > 3. Urgent Suspected Cancer (2WW) referrals',
  'rejection-letter': 'Managing your worklists > Responsibility for managing rejected / returned referrals',
});

export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = Object.freeze({
  '2ww': '2WW',
  urgent: 'urgent',
  routine: 'routine',
});

export const START_LABELS: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: 'Deferred on',
  letter: 'Referral made on',
  availability: 'Referred on',
  'rejection-letter': 'Appointment cancelled on',
});

export const TEXT = Object.freeze({
  deferralHeadline: (date: string) => `Contact-by date: ${date}.`,
  letter24hHeadline: (when: string) => `Attach the referral letter within 24 hours: by ${when}.`,
  letter24hNoTime: (date: string) => `${date}, at the time of day the referral was made`,
  letterRoutineHeadline: (date: string) =>
    `Attach the referral letter by ${date} (within ${ROUTINE_LETTER_WORKING_DAYS} working days).`,
  availabilityHeadline: (date: string) =>
    `The patient should be available throughout the ${AVAILABILITY_CALENDAR_DAYS} days following referral: until at least ${date}.`,
  availabilityOnly2ww: `The ${AVAILABILITY_CALENDAR_DAYS}-day availability check in the pack is for Urgent Suspected Cancer (2WW) referrals only, so I have no date for that priority.`,
  rejectionHeadline: (date: string) =>
    `If the practice has not contacted the patient within ${REJECTION_LETTER_CALENDAR_DAYS} days, a letter is sent: on ${date}.`,
  rejectionOnlyRoutine: `The pack describes the ${REJECTION_LETTER_CALENDAR_DAYS}-day letter for routine referrals only, so I have no date for that priority.`,
  ruleDeferral: (priority: string, days: number) => `Rule: Deferral to provider, ${priority}: ${days} working days`,
  ruleLetter24h: (priority: string) => `Rule: Attaching referral letters, ${priority}: 1 day (24 hours)`,
  ruleLetterRoutine: `Rule: Attaching referral letters, routine: ${ROUTINE_LETTER_WORKING_DAYS} working days`,
  ruleAvailability: `Rule: 2WW: patient available throughout at least the ${AVAILABILITY_CALENDAR_DAYS} days following referral (calendar days)`,
  ruleRejection: `Rule: routine appointment cancelled due to rejection: letter after ${REJECTION_LETTER_CALENDAR_DAYS} days (calendar days)`,
  startNotWorking: (date: string, why: string) =>
    `${date} is not a working day (${why}), so the count starts from the next working day.`,
  countedDays: (first: string, n: number, last: string) => `Day 1 is ${first}; day ${n} is ${last}.`,
  skipped: (list: string) => `Skipped: ${list}.`,
  noneSkipped: 'Skipped: none (no weekends or bank holidays in between).',
  weekdayMismatch: (written: string, date: string, actual: string) =>
    `You wrote ${written}, but ${date} is a ${actual}. Which date did you mean?`,
});
