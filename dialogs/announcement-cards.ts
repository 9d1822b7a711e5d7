import type { Activity } from 'botbuilder';
import type { Announcement, DeliverySummary, Reminder, Renderer } from '../knowledge/announcements/model.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { plainLinks } from '../knowledge/safety/plain-links.js';
import { formatLongDate } from '../knowledge/time/calendar-date.js';
import { formatLondon, formatTime, toLondon } from '../knowledge/time/london-time.js';
import { ANN_TEXT, ANNOUNCE_SOURCE, KIND_LABELS, REMINDER_TEXT, WORKLIST_SOURCE } from './announcements-text.js';
import { actionSet, adaptiveCard, type CardElement, facts, heading, submit, text } from './cards/card.js';
import { downtimeAdvice, situationAdvice, stageActions } from './downtime.js';

/** "Monday 9 November 2026 at 10:00", London time. */
export function londonWhen(iso: string | Date): string {
  return formatLondon(new Date(iso));
}

/** "3 hours 30 minutes". */
export function durationText(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (hours > 0) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (mins > 0 || parts.length === 0) parts.push(`${mins} minute${mins === 1 ? '' : 's'}`);
  return parts.join(' ');
}

function bullets(lines: readonly string[]): CardElement {
  return text(lines.map((l) => `- ${l}`).join('\n'));
}

/** The stage advice for an unplanned downtime that started at `startsAt`, as the advisor gives it now. */
export function unplannedLines(kb: KnowledgeBase, startsAt: string | undefined, now: Date): string[] {
  if (!startsAt || Date.parse(startsAt) > now.getTime()) return [ANN_TEXT.unplannedNoStart, ...stageActions(kb, 1)];
  const { date, time } = toLondon(new Date(startsAt));
  // The advisor reads the start from words; these are the words it is built to read.
  const words = `e-RS went down on ${formatLongDate(date)} at ${formatTime(time)}`;
  const advice = downtimeAdvice(kb, { text: words, now, situation: 'national', sites: [] });
  return advice.lines;
}

/** The card for one announcement; every kind shows its title and message, then its own part. */
export function announcementBody(kb: KnowledgeBase, a: Announcement, now: Date): CardElement[] {
  const body: CardElement[] = [
    text(KIND_LABELS[a.kind], { isSubtle: true, size: 'Small' }),
    heading(plainLinks(a.title)),
  ];
  // Announcements stored before links were written out as text are shown the same way.
  if (a.message) body.push(text(plainLinks(a.message)));
  switch (a.kind) {
    case 'planned-downtime': {
      const rows: { title: string; value: string }[] = [];
      if (a.startsAt) rows.push({ title: ANN_TEXT.when, value: londonWhen(a.startsAt) });
      if (a.endsAt) rows.push({ title: ANN_TEXT.until, value: londonWhen(a.endsAt) });
      if (a.startsAt && a.endsAt) rows.push({ title: ANN_TEXT.howLong, value: durationText(a.startsAt, a.endsAt) });
      if (rows.length > 0) body.push(facts(rows));
      body.push(text(`**${ANN_TEXT.beforeHeading}**`), bullets(stageActions(kb, 1).slice(0, 2)));
      break;
    }
    case 'unplanned-downtime': {
      if (a.startsAt) body.push(facts([{ title: ANN_TEXT.starts, value: londonWhen(a.startsAt) }]));
      const [headline, ...rest] = unplannedLines(kb, a.startsAt, now);
      body.push(text(`**${headline ?? ''}**`), bullets(rest));
      break;
    }
    case 'restored':
      body.push(text(`**${ANN_TEXT.restoredHeading}**`), bullets(situationAdvice(kb, 'restored')));
      break;
    case 'general':
      break;
  }
  if (a.kind !== 'general') body.push(text(ANNOUNCE_SOURCE, { isSubtle: true, size: 'Small' }));
  return body;
}

export function summaryText(a: Announcement, s: DeliverySummary): string {
  return ANN_TEXT.summary(a.title, s);
}

export function reminderActivity(r: Reminder): Partial<Activity> {
  return {
    type: 'message',
    attachments: [
      adaptiveCard([
        heading(REMINDER_TEXT.fired),
        text(REMINDER_TEXT.firedBody(formatLongDate(r.date), r.label)),
        text(REMINDER_TEXT.firedHint, { isSubtle: true }),
      ]),
    ],
  };
}

/** The daily worklist reminder: the pack's six worklists (knowledge/data/worklists.json). */
export function worklistActivity(kb: KnowledgeBase, date: string): Partial<Activity> {
  return {
    type: 'message',
    attachments: [
      adaptiveCard([
        heading(`${REMINDER_TEXT.worklistTitle}: ${formatLongDate(date)}`),
        text(
          [REMINDER_TEXT.worklistGreeting, kb.worklistsDailyReview.text, REMINDER_TEXT.worklistListIntro]
            .filter((part) => part !== '')
            .join(' '),
        ),
        text(kb.worklists.map((w, i) => `${i + 1}. ${w.text}`).join('\n')),
        text(WORKLIST_SOURCE, { isSubtle: true, size: 'Small' }),
      ]),
    ],
  };
}

/** What the delivery engine posts, for the given pack. */
export function createRenderer(kb: KnowledgeBase): Renderer {
  return {
    announcement: (a, now) => ({ type: 'message', attachments: [adaptiveCard(announcementBody(kb, a, now))] }),
    summary: (a, s) => ({ type: 'message', text: summaryText(a, s) }),
    reminder: reminderActivity,
    worklist: (date) => worklistActivity(kb, date),
  };
}

/**
 * The "Remind me on that date" part of a deadline answer: a label box, the warning, the button. The
 * button also carries what the answer was worked out from, so the card can be drawn again, saying
 * the reminder is set, once it has been pressed.
 */
export function reminderOffer(date: string, from: Record<string, unknown> = {}): CardElement[] {
  return [
    {
      type: 'Input.Text',
      id: 'label',
      label: REMINDER_TEXT.labelLabel,
      maxLength: 100,
      placeholder: REMINDER_TEXT.defaultLabel,
    },
    text(REMINDER_TEXT.labelWarning, { isSubtle: true, size: 'Small' }),
    actionSet([submit(REMINDER_TEXT.offer, 'reminder-create', { ...from, date })]),
  ];
}
