import {
  AVAILABILITY_CALENDAR_DAYS,
  DEFERRAL_WORKING_DAYS,
  REJECTION_LETTER_CALENDAR_DAYS,
  ROUTINE_LETTER_WORKING_DAYS,
} from '../rules/deadlines.js';
import { DOWNTIME_STAGE_LABELS, DOWNTIME_WORKING_DAYS } from '../rules/downtime-stages.js';
import type { SourceId } from '../schema.js';

/**
 * The rules the bot computes with (day counts, downtime stages), each with the pack line it comes
 * from. They are code, not entries, so a revision that changes one of these lines must be carried
 * into the code by hand: `kb:revise` names the constant, and `kb:check` fails when the line is gone.
 */
export interface Rule {
  name: string;
  /** The constant and file that hold it. */
  where: string;
  /** The value the code uses today, as the pack would say it. */
  value: string;
  source: SourceId;
  /** The source line, word for word. */
  passage: string;
}

export const RULES: readonly Rule[] = Object.freeze([
  {
    name: 'Deferred 2WW referral: provider contacts the patient within',
    where: "DEFERRAL_WORKING_DAYS['2ww'] in knowledge/rules/deadlines.ts",
    value: `${DEFERRAL_WORKING_DAYS['2ww']} working days`,
    source: 'ers-pack',
    passage: '- Two working days for urgent suspected cancer (2WW) referrals',
  },
  {
    name: 'Deferred urgent referral: provider contacts the patient within',
    where: 'DEFERRAL_WORKING_DAYS.urgent in knowledge/rules/deadlines.ts',
    value: `${DEFERRAL_WORKING_DAYS.urgent} working days`,
    source: 'ers-pack',
    passage: '- 20 working days for urgent referrals',
  },
  {
    name: 'Deferred routine referral: provider contacts the patient within',
    where: 'DEFERRAL_WORKING_DAYS.routine in knowledge/rules/deadlines.ts',
    value: `${DEFERRAL_WORKING_DAYS.routine} working days`,
    source: 'ers-pack',
    passage: '- 40 working days for routine referrals',
  },
  {
    name: 'Routine referral letter attached within',
    where: 'ROUTINE_LETTER_WORKING_DAYS in knowledge/rules/deadlines.ts',
    value: `${ROUTINE_LETTER_WORKING_DAYS} working days`,
    source: 'ers-pack',
    passage: '- Routine referrals = 3 working days',
  },
  {
    name: '2WW or urgent referral letter attached within',
    where: "the 'letter' rule in knowledge/rules/deadlines.ts",
    value: '24 hours',
    source: 'ers-pack',
    passage: '- Urgent Suspected Cancer (2WW) or urgent referrals = 1 day (24 hours)',
  },
  {
    name: '2WW patient available for',
    where: 'AVAILABILITY_CALENDAR_DAYS in knowledge/rules/deadlines.ts',
    value: `${AVAILABILITY_CALENDAR_DAYS} days`,
    source: 'ers-pack',
    passage: 'Confirm the patient is **available throughout at least the 28 day period following referral**.',
  },
  {
    name: 'Rejected routine booking: letter to the patient after',
    where: 'REJECTION_LETTER_CALENDAR_DAYS in knowledge/rules/deadlines.ts',
    value: `${REJECTION_LETTER_CALENDAR_DAYS} days`,
    source: 'ers-pack',
    passage:
      "If a booked appointment is cancelled due to rejection, and the practice doesn't contact the patient within 21 days",
  },
  {
    name: 'Downtime stage 1',
    where: 'DOWNTIME_STAGE_LABELS[1] in knowledge/rules/downtime-stages.ts',
    value: DOWNTIME_STAGE_LABELS[1],
    source: 'ers-pack',
    passage: 'First 24 hours',
  },
  {
    name: 'Downtime stage 2 (2WW by email)',
    where: 'DOWNTIME_STAGE_LABELS[2] and the 24-hour step in knowledge/rules/downtime-stages.ts',
    value: DOWNTIME_STAGE_LABELS[2],
    source: 'ers-pack',
    passage: 'After 24 hours',
  },
  {
    name: 'Downtime stage 3 (all referrals by email)',
    where: 'DOWNTIME_STAGE_LABELS[3] and DOWNTIME_WORKING_DAYS in knowledge/rules/downtime-stages.ts',
    value: `After ${DOWNTIME_WORKING_DAYS} working days`,
    source: 'ers-pack',
    passage: 'After 5 working days',
  },
]);
