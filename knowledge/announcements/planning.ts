import { fromLondon, toLondon } from '../time/london-time.js';
import { isWorkingDay } from '../time/working-days.js';
import { currentDowntime, type DowntimeNow } from './current-downtime.js';
import type { Announcement, ConversationRefRecord, Reminder } from './model.js';

/**
 * What is due now, and to whom: pure planning for the delivery runner (bot/announcements/runner.ts),
 * which does the sending. Nothing here reads storage or the clock; `now` is passed in.
 */

/** Where an announcement goes: "all" means every active team channel and group chat (not 1:1 chats). */
export function resolveTargets(announcement: Announcement, refs: readonly ConversationRefRecord[]): string[] {
  if (announcement.targets === 'all') {
    return refs.filter((r) => r.active && r.scope !== 'personal').map((r) => r.conversationId);
  }
  return [...new Set(announcement.targets)];
}

export type AnnouncementStep =
  | { kind: 'start'; id: string }
  | { kind: 'expire'; id: string }
  | { kind: 'deliver'; id: string };

/** What the runner should do with each announcement now. Pure. */
export function planAnnouncements(announcements: readonly Announcement[], now: Date): AnnouncementStep[] {
  const steps: AnnouncementStep[] = [];
  for (const a of announcements) {
    if (a.status === 'sending') steps.push({ kind: 'deliver', id: a.id });
    else if (a.status === 'scheduled' && Date.parse(a.sendAt) <= now.getTime()) {
      // A planned downtime missed while the bot was down is not announced after it is over.
      const over = a.kind === 'planned-downtime' && a.endsAt !== undefined && Date.parse(a.endsAt) <= now.getTime();
      steps.push({ kind: over ? 'expire' : 'start', id: a.id });
    }
  }
  return steps;
}

/**
 * The stage notice due now, if any: the current downtime asked for notices, its announcement has been
 * delivered, and the stage it is in began after the announcement went out (a stage already begun
 * when it was sent is in the announcement itself). Only the current stage: after a long outage of
 * the bot, a stage that has passed is not announced late.
 */
export function stageNoticeDue(
  announcements: readonly Announcement[],
  now: Date,
): { downtime: DowntimeNow; announcement: Announcement; stage: number } | undefined {
  const current = currentDowntime(announcements, now);
  if (current.kind !== 'down' || !current.stageNotices || !current.stage) return undefined;
  const announcement = announcements.find((a) => a.id === current.announcementId);
  if (announcement?.status !== 'sent' || !announcement.resolvedTargets) return undefined;
  if (current.stage.stageStartedAt.getTime() <= Date.parse(announcement.sendAt)) return undefined;
  return { downtime: current, announcement, stage: current.stage.stage };
}

export function dueReminders(reminders: readonly Reminder[], now: Date): Reminder[] {
  return reminders.filter((r) => r.status === 'scheduled' && Date.parse(r.dueAt) <= now.getTime());
}

/** The London date whose worklist reminder is due now, if any: working days, from 9:00 until the cut-off. */
export function worklistDateDue(
  now: Date,
  options: { worklistHour: number; worklistLastHour: number },
): string | undefined {
  const { date, time } = toLondon(now);
  if (time.hour < options.worklistHour || time.hour >= options.worklistLastHour) return undefined;
  try {
    return isWorkingDay(date) ? date : undefined;
  } catch {
    return undefined;
  }
}

/** 9:00 London on `date`: when a reminder for that day fires. */
export function reminderDueAt(date: string, hour = 9): Date {
  return fromLondon(date, { hour, minute: 0 });
}
