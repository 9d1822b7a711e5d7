import type { Priority } from '../schema.js';

/**
 * The day counts of the pack's deadline rules (eRS Information Pack v4.1, October 2025), in one place:
 * the calculator counts with them and every sentence that states a rule takes its number from here.
 */

/** Working days the provider has to contact the patient after a deferral. */
export const DEFERRAL_WORKING_DAYS: Readonly<Record<Priority, number>> = Object.freeze({
  '2ww': 2,
  urgent: 20,
  routine: 40,
});
/** Working days to attach the letter to a routine referral (2WW and urgent: 24 hours). */
export const ROUTINE_LETTER_WORKING_DAYS = 3;
export const URGENT_LETTER_HOURS = 24;
/** Days a 2WW patient should be available for after referral. */
export const AVAILABILITY_CALENDAR_DAYS = 28;
/** Days after a cancellation due to rejection before the patient is sent a letter (routine). */
export const REJECTION_LETTER_CALENDAR_DAYS = 21;

/** "two working days", as the pack writes the 2WW count; other counts as digits. */
export function dayCount(n: number): string {
  return n === 2 ? 'two' : String(n);
}
