/**
 * Which stage of the e-RS Downtime Protocol applies: "First 24 hours", "After 24 hours",
 * "After 5 working days". Pure: the start and the current time are passed in.
 *
 * Stage 2 begins 24 elapsed hours after the start (on a clock-change night that reads as 23 or 25
 * hours on the wall clock). Stage 3 begins at the same London clock time on the 5th working day
 * after the start date; a start on a weekend or bank holiday counts from the next working day.
 */

import { DOWNTIME_SECTION } from '../sources.js';
import { formatLongDate, formatShortDate } from '../time/calendar-date.js';
import { formatLondon, fromLondon, toLondon } from '../time/london-time.js';
import { parseDateText } from '../time/parse-date.js';
import {
  addWorkingDays,
  describeSkipped,
  type NonWorkingDay,
  nonWorkingReason,
  subtractWorkingDays,
} from '../time/working-days.js';

/** The pack section the downtime stages come from, cited with every stage answer (defined once, in sources). */
export { DOWNTIME_SECTION };

export type DowntimeStageNumber = 1 | 2 | 3;

export const DOWNTIME_STAGE_LABELS: Readonly<Record<DowntimeStageNumber, string>> = Object.freeze({
  1: 'First 24 hours',
  2: 'After 24 hours',
  3: 'After 5 working days',
});

export const DOWNTIME_WORKING_DAYS = 5;
const HOUR_MS = 3_600_000;

export interface DowntimeStage {
  kind: 'stage';
  stage: DowntimeStageNumber;
  /** The pack's heading for the stage, e.g. "After 24 hours". */
  label: string;
  /** When the current stage began (the downtime start for stage 1). */
  stageStartedAt: Date;
  /** When the next stage starts; null in stage 3. */
  nextStageAt: Date | null;
  nextStage: 2 | 3 | null;
  stage2At: Date;
  stage3At: Date;
  /** The working, one line each, in London time. */
  working: string[];
  /** Non-working days passed over when counting the 5 working days. */
  skipped: NonWorkingDay[];
  section: string;
}

export type DowntimeStageResult = DowntimeStage | { kind: 'error'; message: string };

/**
 * @example downtimeStage(new Date('2026-11-06T16:00:00Z'), new Date('2026-11-09T09:00:00Z'))
 *   // stage 2 ("After 24 hours"), nextStageAt = Friday 13 November 2026 16:00
 */
export function downtimeStage(start: Date, now: Date): DowntimeStageResult {
  if (Number.isNaN(start.getTime()) || Number.isNaN(now.getTime())) {
    return { kind: 'error', message: 'I could not read one of the times.' };
  }
  if (now.getTime() < start.getTime()) {
    return { kind: 'error', message: 'The current time is before the time e-RS went down.' };
  }
  const local = toLondon(start);
  const added = addWorkingDays(local.date, DOWNTIME_WORKING_DAYS);
  if (!added.ok) return { kind: 'error', message: added.error };

  const stage2At = new Date(start.getTime() + 24 * HOUR_MS);
  const stage3At = fromLondon(added.date, local.time);
  const stage: DowntimeStageNumber = now >= stage3At ? 3 : now >= stage2At ? 2 : 1;
  const stageStartedAt = stage === 3 ? stage3At : stage === 2 ? stage2At : start;
  const nextStageAt = stage === 1 ? stage2At : stage === 2 ? stage3At : null;

  const working = [`e-RS down since: ${formatLondon(start)}`, `Now: ${formatLondon(now)}`];
  working.push(`${DOWNTIME_STAGE_LABELS[2]}: from ${formatLondon(stage2At)}`);
  const startReason = nonWorkingReason(local.date);
  if (startReason !== null) {
    const why = startReason.reason === 'weekend' ? 'a weekend' : `a bank holiday: ${startReason.name}`;
    working.push(
      `${formatShortDate(local.date)} is not a working day (${why}), so the 5 working days count from the next working day.`,
    );
  }
  working.push(
    `${DOWNTIME_STAGE_LABELS[3]}: from ${formatLondon(stage3At)} (${DOWNTIME_WORKING_DAYS} working days after ${formatLongDate(local.date)}, same clock time)`,
  );
  working.push(`Skipped: ${describeSkipped(added.skipped)}.`);

  return {
    kind: 'stage',
    stage,
    label: DOWNTIME_STAGE_LABELS[stage],
    stageStartedAt,
    nextStageAt,
    nextStage: stage === 1 ? 2 : stage === 2 ? 3 : null,
    stage2At,
    stage3At,
    working,
    skipped: added.skipped,
    section: DOWNTIME_SECTION,
  };
}

export type DowntimeWindow =
  | {
      kind: 'window';
      start: Date;
      now: Date;
      /** False when the start had a date but no time: the start of that day was assumed. */
      startTimeKnown: boolean;
      /** True when the words said "over"/"more than"/"at least" a duration. */
      atLeast: boolean;
    }
  | { kind: 'missing-start'; now: Date }
  | { kind: 'error'; message: string };

/**
 * Reads when e-RS went down, and the current time if the words give one, from a message such as
 * "went down Friday 6 November 2026 at 4pm; it is now Monday 9 November 2026 at 9am",
 * "down since yesterday 3pm", "down for 30 hours" or "down for over 5 working days".
 * A stated current time without a clock time keeps the real clock time of `now`.
 */
export function readDowntimeWindow(text: string, now: Date): DowntimeWindow {
  const parsed = parseDateText(text, now);
  const firstInvalid = parsed.invalid[0];
  if (firstInvalid !== undefined) return { kind: 'error', message: firstInvalid.message };

  let current = now;
  if (parsed.now !== undefined) {
    current = fromLondon(parsed.now.date, parsed.now.time ?? toLondon(now).time);
  }
  const events = parsed.dates.filter((d) => d.role === 'event');
  const event = events[0];
  if (event !== undefined) {
    const start = fromLondon(event.date, event.time ?? { hour: 0, minute: 0 });
    // "down since 8:30 on Wed 23 December, what's the position on Tue 29 December at 10am?": a later
    // date asked about, with no now of its own, is the now.
    // The same day again without a time ("since 8am yesterday (Sun 29th)") only names the start's day.
    const later =
      parsed.now === undefined
        ? events.slice(1).find((d) => d.date > event.date || (d.date === event.date && d.time !== undefined))
        : undefined;
    if (later !== undefined) {
      const at = fromLondon(later.date, later.time ?? toLondon(now).time);
      if (at.getTime() > start.getTime())
        return { kind: 'window', start, now: at, startTimeKnown: event.time !== undefined, atLeast: false };
    }
    return { kind: 'window', start, now: current, startTimeKnown: event.time !== undefined, atLeast: false };
  }
  const duration = parsed.durations[0];
  if (duration === undefined) return { kind: 'missing-start', now: current };
  if (duration.kind === 'elapsed') {
    const start = new Date(current.getTime() - duration.hours * HOUR_MS);
    return { kind: 'window', start, now: current, startTimeKnown: true, atLeast: duration.atLeast };
  }
  // N working days back from today, at the same clock time: the inverse of the stage 3 count.
  const local = toLondon(current);
  const back = subtractWorkingDays(local.date, Math.ceil(duration.days));
  if (!back.ok) return { kind: 'error', message: back.error };
  const date = back.date;
  return {
    kind: 'window',
    start: fromLondon(date, local.time),
    now: current,
    startTimeKnown: true,
    atLeast: duration.atLeast,
  };
}
