import {
  AVAILABILITY_CALENDAR_DAYS,
  DEFERRAL_WORKING_DAYS,
  dayCount,
  REJECTION_LETTER_CALENDAR_DAYS,
  ROUTINE_LETTER_WORKING_DAYS,
  URGENT_LETTER_HOURS,
} from '../knowledge/rules/deadline-days.js';
import { PRIORITY_LABELS } from '../knowledge/rules/deadline-text.js';
import { type DeadlineReply, type DeadlineRule, momentText, type Priority } from '../knowledge/rules/deadlines.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { citation } from '../knowledge/sources.js';

/**
 * What the deadline calculator says around the rule's result: what it still needs, each rule in one
 * line, and the reply as chat text. Day counts come from eRS Information Pack v4.1 (October 2025);
 * the result's own words (headline, working) are knowledge/rules/deadline-text.ts, and the pack's advice
 * after them is knowledge/data/deadline-advice.json.
 */

export const RULE_NAMES: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: 'Deferral to provider',
  letter: 'Attaching referral letters',
  availability: 'Urgent Suspected Cancer (2WW) referrals',
  'rejection-letter': 'Appointment cancelled due to rejection',
});

export const ASK_TEXT = Object.freeze({
  askIntro: 'To work out the date I need',
  askPriority: 'the referral priority (2WW, urgent or routine)',
  askDate: 'the date it happened (for example 2 March 2026 or 02/03/2026)',
  askRule:
    'which date you want: the deferral contact-by date, the referral letter deadline, 2WW availability, or the 21-day letter after a rejection',
  priorityConflict: 'the referral priority: you mentioned more than one (2WW, urgent, routine)',
});

/** The rule for one priority, when the question named it: one fact asked, one given. */
export function ruleSummary(rule: DeadlineRule, priority: Priority | undefined): string {
  if (rule === 'deferral' && priority) {
    const days = dayCount(DEFERRAL_WORKING_DAYS[priority]);
    const article = priority === 'urgent' ? 'an' : 'a';
    return `After a deferral to provider, ${article} ${PRIORITY_LABELS[priority]} patient should hear from the provider within ${days} working days of the deferral date.`;
  }
  if (rule === 'letter' && priority === 'routine')
    return `Attach the referral letter within ${ROUTINE_LETTER_WORKING_DAYS} working days for routine referrals.`;
  if (rule === 'letter' && priority)
    return `Attach the referral letter within 1 day (${URGENT_LETTER_HOURS} hours) for 2WW and urgent referrals.`;
  return RULE_SUMMARIES[rule];
}

/** Each rule as the pack states it (eRS Information Pack v4.1), said before asking for what is missing. */
export const RULE_SUMMARIES: Readonly<Record<DeadlineRule, string>> = Object.freeze({
  deferral: `After a deferral to provider, the patient should hear from the provider within ${DEFERRAL_WORKING_DAYS['2ww']} working days (2WW), ${DEFERRAL_WORKING_DAYS.urgent} working days (urgent) or ${DEFERRAL_WORKING_DAYS.routine} working days (routine) of the deferral date.`,
  letter: `Attach the referral letter within 1 day (${URGENT_LETTER_HOURS} hours) for 2WW and urgent referrals, and within ${ROUTINE_LETTER_WORKING_DAYS} working days for routine referrals.`,
  availability: `For a 2WW referral, the patient should be available throughout at least the ${AVAILABILITY_CALENDAR_DAYS} day period following referral.`,
  'rejection-letter': `If a booked routine appointment is cancelled due to rejection and the practice doesn't contact the patient within ${REJECTION_LETTER_CALENDAR_DAYS} days, a letter is sent to the patient.`,
});

const MAX_REPLY_CHARS = 900;

/**
 * Plain text for chat: the answer first (with the pack's line after it, for a deferral), then the
 * working, the pack's advice (`advice`, from deadline-advice.json) and the pack section. Advice lines are dropped, last first, to stay under
 * 900 characters.
 */
export function renderDeadlineReply(reply: DeadlineReply, advice: KnowledgeBase['deadlineAdvice']): string {
  switch (reply.kind) {
    case 'none':
      return '';
    case 'error':
      return reply.message;
    case 'ask': {
      const parts = reply.missing.map((m) =>
        m === 'priority' ? ASK_TEXT.askPriority : m === 'date' ? ASK_TEXT.askDate : ASK_TEXT.askRule,
      );
      const knownBits: string[] = [];
      if (reply.known.rule !== undefined) knownBits.push(RULE_NAMES[reply.known.rule]);
      if (reply.known.priority !== undefined) knownBits.push(PRIORITY_LABELS[reply.known.priority]);
      if (reply.known.start !== undefined) knownBits.push(momentText(reply.known.start));
      const have = knownBits.length > 0 ? ` So far: ${knownBits.join(', ')}.` : '';
      return `${ASK_TEXT.askIntro} ${parts.join(', and ')}.${have}`;
    }
    case 'answer': {
      const source = citation('ers-pack', reply.section);
      const said = reply.advice.map((key) => advice[key].text).filter((line) => line !== '');
      const lines = [...reply.working, ...said];
      const after = reply.headlineAdvice === undefined ? '' : advice[reply.headlineAdvice].text;
      const headline = after === '' ? reply.headline : `${reply.headline} ${after}`;
      let text = [headline, '', ...lines, source].join('\n');
      while (text.length > MAX_REPLY_CHARS && lines.length > 2) {
        lines.pop();
        text = [headline, '', ...lines, source].join('\n');
      }
      return text;
    }
  }
}
