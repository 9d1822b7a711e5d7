/**
 * The pack's deadline rules, and a reader that turns a staff question into one of them.
 * Pure: `now` is passed in and only used to read relative dates ("yesterday", "last Friday").
 */

import { extractPriorities } from '../entities.js';
import type { DeadlineAdviceKey } from '../schema.js';
import { addCalendarDays, formatLongDate, formatShortDate, type IsoDate } from '../time/calendar-date.js';
import { formatTime, type LocalTime } from '../time/london-time.js';
import { type DateMention, type ParsedDateText, parseDateText } from '../time/parse-date.js';
import {
  addWorkingDays,
  describeSkipped,
  type NonWorkingDay,
  nextWorkingDayOnOrAfter,
  nonWorkingReason,
} from '../time/working-days.js';
import { PRIORITY_LABELS, SECTIONS, START_LABELS, TEXT } from './deadline-text.js';

export type Priority = '2ww' | 'urgent' | 'routine';
export type DeadlineRule = 'deferral' | 'letter' | 'availability' | 'rejection-letter';
export type MissingPart = 'priority' | 'date' | 'rule';

import {
  AVAILABILITY_CALENDAR_DAYS,
  DEFERRAL_WORKING_DAYS,
  REJECTION_LETTER_CALENDAR_DAYS,
  ROUTINE_LETTER_WORKING_DAYS,
} from './deadline-days.js';

export {
  AVAILABILITY_CALENDAR_DAYS,
  DEFERRAL_WORKING_DAYS,
  REJECTION_LETTER_CALENDAR_DAYS,
  ROUTINE_LETTER_WORKING_DAYS,
};

export interface DatedMoment {
  date: IsoDate;
  time?: LocalTime;
}

export interface DeadlineKnown {
  rule?: DeadlineRule;
  priority?: Priority;
  start?: DatedMoment;
}

export interface DeadlineAnswer {
  kind: 'answer';
  rule: DeadlineRule;
  priority: Priority;
  start: DatedMoment;
  result: DatedMoment;
  /** One sentence with the date, e.g. "Contact-by date: Wednesday 29 April 2026." */
  headline: string;
  /** The pack's line said after the headline (a key of knowledge/data/deadline-advice.json), if any. */
  headlineAdvice?: DeadlineAdviceKey;
  /** The working, one line each: start, rule, how counted, what was skipped. */
  working: string[];
  /**
   * The pack's advice to say after the working, in order: keys of knowledge/data/deadline-advice.json,
   * which the dialogs hold (this module has no knowledge base).
   */
  advice: DeadlineAdviceKey[];
  /** Where in the pack the rule comes from. */
  section: string;
  skipped: NonWorkingDay[];
}

export type DeadlineReply =
  | DeadlineAnswer
  | { kind: 'ask'; missing: MissingPart[]; known: DeadlineKnown }
  | { kind: 'error'; message: string }
  | { kind: 'none' };

/**
 * The 21-day letter follows a cancellation due to rejection: a plain cancellation ("the hospital
 * cancelled her appointment, it's tomorrow") is not this rule unless the letter is what is asked.
 */
const REJECTION = /\breject(?:ed|ion|s)?\b|\b21\s*-?\s*days?\b|\breturned\s+referral/i;
const CANCELLED_APPOINTMENT =
  /\bappointment\s+(?:was\s+|has\s+been\s+|got\s+|been\s+)?cancell?ed\b|\bcancell?ed\s+(?:the\s+|their\s+|a\s+)?(?:booked\s+)?appointment\b/i;
const DEFERRAL =
  /\b(?:passed|handed|gave|given)\s+(?:(?:an?|the|our|her|his|this|that)\s+)?(?:\w+\s+){0,2}?(?:booking|referral|ref|it)\s+(?:over\s+)?to\s+(?:them|the\s+(?:provider|hospital|trust))\b|\b(?:passed|handed|went|gone|sent|given)\s+(?:over\s+)?to\s+(?:the\s+)?(?:provider|hospital|trust)\b|\b(?:provider|hospital|trust)\s+(?:for|to)\s+book\w*\b|\bpassed\s+(?:over\s+)?to\s+the\s+\w+\s+for\s+booking\b|\bbooking\s+was\s+passed\b|\bdefer(?:red|ral|ring|s)?\b|\bcontact\s*-?\s*by\b|\bhear(?:d)?\s+(?:back\s+)?from\b|\bnot\s+(?:yet\s+)?(?:been\s+)?contacted\b|\bhas(?:n't|\s+not)\s+(?:yet\s+)?(?:been\s+)?contacted\b|\bprovider\s+(?:should|will|must|to)\s+(?:contact|call|ring|phone|get\s+in\s+touch)\b|\bheard\s+nothing\b/i;
const LETTER = /\bletters?\b|\battach(?:ed|es|ing|ment|ments)?\b|\bupload(?:ed|s|ing)?\b/i;
/**
 * What makes "letter" the referral letter to attach: a bare "letter" ("what date will be on her
 * letter?") after a deferral is the referral instructions letter, which carries the deferral's date.
 */
const LETTER_TO_ATTACH =
  /\battach\w*\b|\bupload\w*\b|\bmissing\b|\bwithout\b|\bno (?:referral )?letter\b|\badd(?:ed|ing)?\b|\breferral letter\b|\bclinical letter\b/i;
const AVAILABILITY =
  /\bavailab(?:le|ility)\b|\bholidays?\b|\baway\b|\babroad\b|\bunavailable\b|\bflies\b|\bflying\b|\btravel\w*\b|\btrip\b|\bout of the country\b|\bvacation\b/i;
/**
 * A word AVAILABILITY needs, looked for before the two replacements it is tested after (they only
 * blank words out, so a text without any of these has none after them either). Most messages have none.
 */
const AVAILABILITY_WORD = /availab|holiday|away|abroad|flies|flying|travel|trip|country|vacation/i;
/** Whether the words say it was done just now ("I did it just now", "deferring it today"). */
export function saysDoneNow(text: string): boolean {
  return JUST_DONE.test(text);
}

/** "just deferred", "have just sent": it happened today. */
const JUST_DONE =
  /\b(?:just|only just)\s+(?:now\s+)?(?:deferred|defered|sent|made|submitted|referred|booked|done|did|passed|handed|created|raised)\b|\b(?:deferred|defered|sent|made|submitted|referred|booked|done|did)\b.{0,12}\bjust now\b|\b(?:deferring|deferred|defered|sending|sent|doing|making|made|submitting|submitted|referring|referred|booking|booked)\b(?:\s+[\w']+){0,5}\s+(?:now|right now|just now|today)\b|\b(?:defer|send|submit|refer|book)\b(?:\s+[\w']+){0,3}\s+(?:now|right now|today)\b/i;
const BANK_HOLIDAY_WORDS = /\bbank\s+holidays?\b/gi;
/** "slot no longer available", "no appointments available": the slots' availability, not the patient's. */
const SLOTS_AVAILABLE =
  /\b(?:slots?|appointments?|appts?|services?|clinics?|e-?rs|system|dates?|capacity)\s+(?:\w+\s+){0,3}?(?:un)?availab(?:le|ility)\b|\b(?:no|any)\s+(?:\w+\s+)?(?:un)?available\b/gi;
const QUESTION_CUE =
  /\b(?:when|deadline|by\s+when|what\s+date|which\s+date|due|last\s+day|latest|how\s+long|date)\b|\?/i;

const TIME_CUE =
  /\b(?:when|deadline|due|how\s+long|how\s+many\s+(?:working\s+)?days|date|last\s+day|latest|within|until|till|by\s+what|by\s+which|contact\s*-?\s*by|hear(?:d)?)\b/i;

/** The priority the words name: undefined when none, 'conflict' when more than one. */
export function detectPriority(text: string): Priority | 'conflict' | undefined {
  // The one priority reader (knowledge/entities.ts): "urgent, not cancer" is urgent everywhere.
  const found = extractPriorities(text);
  if (found.length > 1) return 'conflict';
  return found[0];
}

/**
 * The rule the words ask about. Earlier rules win: a rejection letter is not an attachment.
 * `everyPattern` skips the AVAILABILITY_WORD check (only so a test can compare the two).
 */
export function detectRule(text: string, options: { everyPattern?: boolean } = {}): DeadlineRule | undefined {
  if (REJECTION.test(text) || (CANCELLED_APPOINTMENT.test(text) && /\bletter\b/i.test(text))) return 'rejection-letter';
  if (DEFERRAL.test(text)) return 'deferral';
  if (LETTER.test(text)) return 'letter';
  if (
    (options.everyPattern === true || AVAILABILITY_WORD.test(text)) &&
    AVAILABILITY.test(text.replace(BANK_HOLIDAY_WORDS, ' ').replace(SLOTS_AVAILABLE, ' '))
  )
    return 'availability';
  return undefined;
}

/** A date, with its time when one was given: "2 March 2026 at 14:30". */
export function momentText(m: DatedMoment): string {
  return m.time === undefined ? formatLongDate(m.date) : `${formatLongDate(m.date)} at ${formatTime(m.time)}`;
}

function startLine(rule: DeadlineRule, start: DatedMoment): string {
  return `${START_LABELS[rule]}: ${momentText(start)}`;
}

function workingDayLines(start: IsoDate, days: number, result: IsoDate, skipped: NonWorkingDay[]): string[] {
  const lines: string[] = [];
  const startReason = nonWorkingReason(start);
  if (startReason !== null) {
    const why = startReason.reason === 'weekend' ? 'a weekend' : `a bank holiday: ${startReason.name}`;
    lines.push(TEXT.startNotWorking(formatShortDate(start), why));
  }
  const first = nextWorkingDayOnOrAfter(addCalendarDays(start, 1));
  lines.push(TEXT.countedDays(formatLongDate(first), days, formatLongDate(result)));
  lines.push(skipped.length === 0 ? TEXT.noneSkipped : TEXT.skipped(describeSkipped(skipped)));
  return lines;
}

function answer(
  rule: DeadlineRule,
  priority: Priority,
  start: DatedMoment,
  result: DatedMoment,
  headline: string,
  working: string[],
  advice: DeadlineAdviceKey[],
  skipped: NonWorkingDay[] = [],
): DeadlineAnswer {
  return { kind: 'answer', rule, priority, start, result, headline, working, advice, section: SECTIONS[rule], skipped };
}

/**
 * Applies one of the pack's rules to a known start. Use this when a form or card already holds
 * the rule, priority and date; `answerDeadline` reads them from words first.
 */
export function computeDeadline(
  rule: DeadlineRule,
  priority: Priority,
  start: DatedMoment,
): DeadlineAnswer | { kind: 'error'; message: string } {
  const label = PRIORITY_LABELS[priority];
  switch (rule) {
    case 'deferral': {
      const days = DEFERRAL_WORKING_DAYS[priority];
      const added = addWorkingDays(start.date, days);
      if (!added.ok) return { kind: 'error', message: added.error };
      const working = [
        startLine(rule, start),
        TEXT.ruleDeferral(label, days),
        ...workingDayLines(start.date, days, added.date, added.skipped),
      ];
      const advice: DeadlineAdviceKey[] =
        priority === '2ww' ? ['deferral-escalate', 'deferral-2ww'] : ['deferral-escalate'];
      const headline = TEXT.deferralHeadline(formatLongDate(added.date));
      return {
        ...answer(rule, priority, start, { date: added.date }, headline, working, advice, added.skipped),
        headlineAdvice: 'deferral-heard-by',
      };
    }
    case 'letter': {
      if (priority === 'routine') {
        const added = addWorkingDays(start.date, ROUTINE_LETTER_WORKING_DAYS);
        if (!added.ok) return { kind: 'error', message: added.error };
        const working = [
          startLine(rule, start),
          TEXT.ruleLetterRoutine,
          ...workingDayLines(start.date, ROUTINE_LETTER_WORKING_DAYS, added.date, added.skipped),
        ];
        const headline = TEXT.letterRoutineHeadline(formatLongDate(added.date));
        return answer(
          rule,
          priority,
          start,
          { date: added.date },
          headline,
          working,
          ['letter-worklist'],
          added.skipped,
        );
      }
      // 24 hours from the referral: the same clock time on the next calendar day.
      const result: DatedMoment = { date: addCalendarDays(start.date, 1) };
      if (start.time !== undefined) result.time = start.time;
      const when = result.time === undefined ? TEXT.letter24hNoTime(formatLongDate(result.date)) : momentText(result);
      const working = [startLine(rule, start), TEXT.ruleLetter24h(label)];
      return answer(rule, priority, start, result, TEXT.letter24hHeadline(when), working, ['letter-worklist']);
    }
    case 'availability': {
      if (priority !== '2ww') return { kind: 'error', message: TEXT.availabilityOnly2ww };
      const result = { date: addCalendarDays(start.date, AVAILABILITY_CALENDAR_DAYS) };
      const working = [startLine(rule, start), TEXT.ruleAvailability];
      const headline = TEXT.availabilityHeadline(formatLongDate(result.date));
      return answer(rule, priority, start, result, headline, working, []);
    }
    case 'rejection-letter': {
      if (priority !== 'routine') return { kind: 'error', message: TEXT.rejectionOnlyRoutine };
      const result = { date: addCalendarDays(start.date, REJECTION_LETTER_CALENDAR_DAYS) };
      const working = [startLine(rule, start), TEXT.ruleRejection];
      const headline = TEXT.rejectionHeadline(formatLongDate(result.date));
      return answer(rule, priority, start, result, headline, working, ['rejection-letter']);
    }
  }
}

function toMoment(d: DateMention): DatedMoment {
  return d.time === undefined ? { date: d.date } : { date: d.date, time: d.time };
}

/**
 * Reads a deadline question and answers it, or says what is missing.
 *
 * `known` carries what an earlier turn already established (from a previous `ask` reply), so a
 * follow-up such as "routine" or "2 March" completes the question. Words in `text` win over it.
 *
 * @example answerDeadline('routine referral deferred on 2 March 2026 - when should the patient hear from the provider?', now)
 *   // { kind: 'answer', result: { date: '2026-04-29' }, ... }
 */
export interface DeadlineAsk {
  /** The words ask for the rule's time ("how long should that take?"), so a follow-up is ours without a date. */
  asksTime?: boolean;
  /**
   * The dates the turn already read from this text (dialogs/turn/route.ts): passed in rather than read
   * again for each deadline question asked of the message.
   */
  dates?: ParsedDateText;
  /**
   * A reply already worked out for this message (the route asks twice: once plainly, once with the
   * topic's facts): when the rule, priority and start come out the same, it is that reply again,
   * so the working days are not counted a second time.
   */
  computed?: DeadlineReply;
}

function sameMoment(a: DatedMoment, b: DatedMoment): boolean {
  return a.date === b.date && a.time?.hour === b.time?.hour && a.time?.minute === b.time?.minute;
}

export function answerDeadline(
  text: string,
  now: Date,
  known: DeadlineKnown = {},
  options: DeadlineAsk = {},
): DeadlineReply {
  const detectedRule = detectRule(text);
  const continuing = known.rule !== undefined || known.priority !== undefined || known.start !== undefined;
  // Most messages name no rule and ask no date question: nothing below can make them ours (see the
  // first check after the reading), so the priority is not read for them. Most turns stop here.
  if (detectedRule === undefined && !continuing && !QUESTION_CUE.test(text)) return { kind: 'none' };
  const detectedPriority = detectPriority(text);
  const parsed = options.dates ?? parseDateText(text, now);
  // "It's Friday 22 May and I've just deferred a 2WW": with only the current date given, that is the day it happened.
  // "Just deferred a routine one": today is the day it happened.
  const event =
    parsed.dates.find((d) => d.role === 'event') ??
    parsed.now ??
    (JUST_DONE.test(text) ? parseDateText('today', now).dates[0] : undefined);

  const addsSomething =
    options.asksTime === true || detectedPriority !== undefined || detectedRule !== undefined || event !== undefined;
  // A date and a question mark alone ("a new starter joins on 4 January, how do we get her a
  // smartcard?") are not a deadline question: it must name a priority or one of the rules.
  const looksLikeDeadline = QUESTION_CUE.test(text) && detectedPriority !== undefined && parsed.invalid.length === 0;
  if (detectedRule === undefined && !looksLikeDeadline) {
    if (!continuing) return { kind: 'none' };
    // A follow-up to an earlier question must add a priority, rule or date to be ours.
    if (!addsSomething && parsed.invalid.length === 0) return { kind: 'none' };
  }

  // "How do I attach a letter to a 2WW referral?" names a rule but asks no date: not ours.
  if (!continuing && event === undefined && parsed.invalid.length === 0 && !TIME_CUE.test(text)) {
    return { kind: 'none' };
  }

  const firstInvalid = parsed.invalid[0];
  if (firstInvalid !== undefined) return { kind: 'error', message: firstInvalid.message };
  if (event?.weekdayMismatch !== undefined) {
    const { written, actual } = event.weekdayMismatch;
    return { kind: 'error', message: TEXT.weekdayMismatch(written, formatShortDate(event.date), actual) };
  }

  // A bare "letter" in a thread about another rule is that rule's letter (the deferral's instructions letter).
  const letterOfThread = detectedRule === 'letter' && known.rule !== undefined && !LETTER_TO_ATTACH.test(text);
  const rule = letterOfThread ? known.rule : (detectedRule ?? known.rule);
  let priority: Priority | undefined =
    detectedPriority === 'conflict' ? undefined : (detectedPriority ?? known.priority);
  // These two rules exist for one priority each, so an unnamed priority is that one.
  if (priority === undefined && detectedPriority !== 'conflict') {
    if (rule === 'availability') priority = '2ww';
    if (rule === 'rejection-letter') priority = 'routine';
  }
  const start = event === undefined ? known.start : toMoment(event);
  // "What if it's urgent?" about the 21-day letter: the rule is for routine referrals only.
  if (rule === 'rejection-letter' && priority !== undefined && priority !== 'routine')
    return { kind: 'error', message: TEXT.rejectionOnlyRoutine };
  if (rule === 'availability' && priority !== undefined && priority !== '2ww')
    return { kind: 'error', message: TEXT.availabilityOnly2ww };

  const missing: MissingPart[] = [];
  if (priority === undefined) missing.push('priority');
  if (start === undefined) missing.push('date');
  if (rule === undefined) missing.push('rule');
  if (priority === undefined || start === undefined || rule === undefined) {
    const k: DeadlineKnown = {};
    if (rule !== undefined) k.rule = rule;
    if (priority !== undefined) k.priority = priority;
    if (start !== undefined) k.start = start;
    return { kind: 'ask', missing, known: k };
  }
  const computed = options.computed;
  if (
    computed?.kind === 'answer' &&
    computed.rule === rule &&
    computed.priority === priority &&
    sameMoment(computed.start, start)
  )
    return computed;
  return computeDeadline(rule, priority, start);
}
