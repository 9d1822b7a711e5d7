import type { Application } from '@microsoft/teams-ai';
import { type Activity, TurnContext as BotTurnContext, type TurnContext } from 'botbuilder';
import { type AnnouncementInput, buildAnnouncement, parseAnnouncementInput } from '../knowledge/announcements/input.js';
import { ANNOUNCEMENT_KINDS, type Announcement, newId, type Reminder } from '../knowledge/announcements/model.js';
import { reminderDueAt, resolveTargets } from '../knowledge/announcements/planning.js';
import { cleanInput } from '../knowledge/safety/input-limits.js';
import { detectPii } from '../knowledge/safety/pii.js';
import { formatLongDate, isIsoDate } from '../knowledge/time/calendar-date.js';
import { londonDate } from '../knowledge/time/london-time.js';
import { nextWorkingDayOnOrAfter } from '../knowledge/time/working-days.js';
import { announcementBody, londonWhen } from './announcement-cards.js';
import { COMMANDS } from './announcement-commands.js';
import { ANN_TEXT, KIND_LABELS, REMINDER_TEXT } from './announcements-text.js';
import { replacePressedCard, takeCardPress } from './card-update.js';
import { actionSet, adaptiveCard, heading, submit, text } from './cards/card.js';
import { answerBehindReminder, deadlineAnswerCard } from './deadlines.js';
import { downtimeFormFields, downtimeFormInput, stagePreview } from './downtime-cards.js';
import type { FeatureConfig, FeatureDeps } from './feature-deps.js';
import { insightOf } from './router.js';
import type { AppTurnState } from './state.js';

const {
  announce: ANNOUNCE,
  list: LIST,
  cancel: CANCEL,
  myReminders: MY_REMINDERS,
  cancelReminder: CANCEL_REMINDER,
  subscribe: SUBSCRIBE,
} = COMMANDS;
const MAX_REMINDERS_PER_USER = 50;

/** Whether the sender is on ANNOUNCERS (Azure AD object ids, compared without case). */
export function isAnnouncer(config: FeatureConfig, activity: Partial<Activity>): boolean {
  const id = activity.from?.aadObjectId?.toLowerCase();
  return id !== undefined && config.announce.announcers.some((a) => a.toLowerCase() === id);
}

function userIdOf(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? '';
}

function submitted(context: TurnContext): Record<string, unknown> {
  const v = context.activity.value;
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function lowerText(context: TurnContext): string {
  return insightOf(context)?.lower ?? (context.activity.text ?? '').trim().toLowerCase();
}

export function announceFormCard() {
  const dateTime = (id: string, label: string) => [
    { type: 'Input.Date', id: `${id}Date`, label },
    { type: 'Input.Time', id: `${id}Time` },
  ];
  return adaptiveCard(
    [
      heading(ANN_TEXT.formTitle),
      text(ANN_TEXT.formHint, { isSubtle: true, size: 'Small' }),
      {
        type: 'Input.ChoiceSet',
        id: 'kind',
        label: ANN_TEXT.kindLabel,
        isRequired: true,
        value: 'planned-downtime',
        choices: ANNOUNCEMENT_KINDS.map((k) => ({ title: KIND_LABELS[k], value: k })),
      },
      { type: 'Input.Text', id: 'title', label: ANN_TEXT.titleLabel, isRequired: true, maxLength: 200 },
      { type: 'Input.Text', id: 'message', label: ANN_TEXT.messageLabel, isMultiline: true, maxLength: 4000 },
      ...dateTime('starts', ANN_TEXT.startsLabel),
      ...dateTime('ends', ANN_TEXT.endsLabel),
      ...dateTime('send', ANN_TEXT.sendLabel),
      ...downtimeFormFields(),
    ],
    [submit(ANN_TEXT.preview, 'announce-preview'), submit(ANN_TEXT.confirmButton, 'announce-create')],
  );
}

/**
 * The form's values as API-shaped input: a date and a time become London wall-clock ISO text. The
 * preview's confirm button carries the input it previewed, under `input`, so it is used as it is.
 */
export function formInput(value: Record<string, unknown>, now: Date): Record<string, unknown> {
  if (typeof value.input === 'object' && value.input !== null) return value.input as Record<string, unknown>;
  const join = (id: string) => {
    const date = str(value[`${id}Date`]);
    const time = str(value[`${id}Time`]);
    if (!date && !time) return undefined;
    return `${date ?? londonDate(now)}T${(time ?? '00:00').slice(0, 5)}`;
  };
  const input: Record<string, unknown> = { kind: value.kind, title: value.title ?? '', ...downtimeFormInput(value) };
  for (const [field, id] of [
    ['message', undefined],
    ['startsAt', 'starts'],
    ['endsAt', 'ends'],
    ['sendAt', 'send'],
  ] as const) {
    const v = id ? join(id) : str(value.message);
    if (v !== undefined) input[field] = v;
  }
  return input;
}

function whenText(a: Pick<Announcement, 'sendAt'>, now: Date): string {
  return Date.parse(a.sendAt) <= now.getTime() ? ANN_TEXT.sendNow : ANN_TEXT.sendAtWhen(londonWhen(a.sendAt));
}

function listCard(announcements: readonly Announcement[]) {
  const recent = [...announcements].sort((a, b) => b.sendAt.localeCompare(a.sendAt)).slice(0, 10);
  if (recent.length === 0) return adaptiveCard([heading(ANN_TEXT.listTitle), text(ANN_TEXT.listEmpty)]);
  const cancellable = recent.filter((a) => a.status === 'scheduled');
  return adaptiveCard([
    heading(ANN_TEXT.listTitle),
    text(recent.map((a) => ANN_TEXT.listLine(a.id, a.title, a.status, londonWhen(a.sendAt))).join('\n\n')),
    ...(cancellable.length > 0
      ? [
          actionSet(
            cancellable.slice(0, 5).map((a) => submit(ANN_TEXT.cancelButton(a.id), 'announce-cancel', { id: a.id })),
          ),
        ]
      : []),
  ]);
}

function remindersCard(reminders: readonly Reminder[]) {
  if (reminders.length === 0) return adaptiveCard([heading(REMINDER_TEXT.listTitle), text(REMINDER_TEXT.listEmpty)]);
  return adaptiveCard([
    heading(REMINDER_TEXT.listTitle),
    text(reminders.map((r) => REMINDER_TEXT.listLine(r.id, londonWhen(r.dueAt), r.label)).join('\n\n')),
    actionSet(
      reminders.slice(0, 5).map((r) => submit(REMINDER_TEXT.cancelButton(r.id), 'reminder-cancel', { id: r.id })),
    ),
  ]);
}

export type ReminderRequest = { ok: true; date: string; dueAt: Date; label: string } | { ok: false; message: string };

/** Checks a "Remind me on that date" request: a real future working day and a label with no patient details. */
export function readReminderRequest(value: Record<string, unknown>, now: Date): ReminderRequest {
  const raw = str(value.date);
  if (!raw || !isIsoDate(raw)) return { ok: false, message: REMINDER_TEXT.badDate };
  let date: string;
  try {
    date = nextWorkingDayOnOrAfter(raw);
  } catch {
    return { ok: false, message: REMINDER_TEXT.badDate };
  }
  const dueAt = reminderDueAt(date);
  if (dueAt.getTime() <= now.getTime()) return { ok: false, message: REMINDER_TEXT.past };
  const label = cleanInput(str(value.label) ?? '')
    .slice(0, 100)
    .trim();
  if (label && detectPii(label).found) return { ok: false, message: REMINDER_TEXT.piiRefused };
  return { ok: true, date, dueAt, label: label || REMINDER_TEXT.defaultLabel };
}

/** The announcement form's input, or undefined after telling the sender which fields are wrong. */
async function readForm(context: TurnContext, now: Date): Promise<AnnouncementInput | undefined> {
  const input = parseAnnouncementInput(formInput(submitted(context), now));
  if (input.ok) return input.value;
  await context.sendActivity(ANN_TEXT.invalid(input.fields.map((f) => `${f.field} ${f.message}`).join('; ')));
  return undefined;
}

/**
 * Announcements (announcers only: form, preview, list, cancel) and reminders (a deadline date, the
 * daily worklist check). Delivery is done by the scheduler started with the HTTP server
 * (bot/announcements/api.ts); this only records what to send.
 */
export function registerAnnouncements(app: Application<AppTurnState>, deps: FeatureDeps): void {
  const { config, clock, logger, announcements } = deps;

  const refuse = async (context: TurnContext): Promise<boolean> => {
    if (isAnnouncer(config, context.activity)) return false;
    logger.info({ event: 'announcements.refused' }, 'announce command from someone not on ANNOUNCERS');
    await context.sendActivity(ANN_TEXT.notAllowed);
    return true;
  };

  app.message(
    async (context) => ANNOUNCE.test(lowerText(context)),
    async (context) => {
      if (await refuse(context)) return;
      await context.sendActivity({ attachments: [announceFormCard()] });
    },
  );

  app.message(
    async (context) => LIST.test(lowerText(context)),
    async (context) => {
      if (await refuse(context)) return;
      await context.sendActivity({ attachments: [listCard(await announcements.list())] });
    },
  );

  const cancel = async (context: TurnContext, id: string) => {
    if (await refuse(context)) return;
    const outcome = await announcements.cancel(id, clock.now());
    if (outcome === 'cancelled' || outcome === 'already-cancelled') await context.sendActivity(ANN_TEXT.cancelled(id));
    else if (outcome === 'already-sent') await context.sendActivity(ANN_TEXT.cannotCancelSent(id));
    else await context.sendActivity(ANN_TEXT.notFound(id));
  };

  app.message(
    async (context) => CANCEL.test(lowerText(context)),
    async (context) => cancel(context, CANCEL.exec(lowerText(context))?.[1] ?? ''),
  );
  app.adaptiveCards.actionSubmit('announce-cancel', async (context) =>
    cancel(context, str(submitted(context).id) ?? ''),
  );

  app.adaptiveCards.actionSubmit('announce-preview', async (context) => {
    if (await refuse(context)) return;
    const now = clock.now();
    const input = await readForm(context, now);
    if (!input) return;
    const draft = buildAnnouncement(input, { via: 'api' }, now);
    const count = resolveTargets(draft, await announcements.conversations()).length;
    await context.sendActivity({
      attachments: [
        adaptiveCard([...announcementBody(deps.kb, draft, now), ...stagePreview(draft, now)]),
        adaptiveCard(
          [text(ANN_TEXT.confirm(whenText(draft, now), count))],
          [submit(ANN_TEXT.confirmButton, 'announce-create', { input })],
        ),
      ],
    });
  });

  app.adaptiveCards.actionSubmit('announce-create', async (context) => {
    if (await refuse(context)) return;
    const now = clock.now();
    const input = await readForm(context, now);
    if (!input) return;
    const announcement = await announcements.create(
      input,
      {
        via: 'chat',
        userId: userIdOf(context.activity),
        ...(context.activity.from?.name ? { name: context.activity.from.name } : {}),
        reference: BotTurnContext.getConversationReference(context.activity),
      },
      now,
    );
    logger.info({ event: 'announcements.created', id: announcement.id, via: 'chat' }, 'announcement created');
    await context.sendActivity(
      Date.parse(announcement.sendAt) <= now.getTime()
        ? ANN_TEXT.sendingNow(announcement.id)
        : ANN_TEXT.scheduled(announcement.id, londonWhen(announcement.sendAt)),
    );
  });

  // Reminders: anyone may set their own.
  app.adaptiveCards.actionSubmit('reminder-create', async (context) => {
    const now = clock.now();
    const request = readReminderRequest(submitted(context), now);
    if (!request.ok) {
      await context.sendActivity(request.message);
      return;
    }
    const userId = userIdOf(context.activity);
    const waiting = (await announcements.reminders()).filter((r) => r.userId === userId && r.status === 'scheduled');
    if (waiting.length >= MAX_REMINDERS_PER_USER) {
      await context.sendActivity(REMINDER_TEXT.tooMany);
      return;
    }
    // One reminder per card, however often its button is pressed.
    const press = await takeCardPress(deps, context, 'reminder', request.date);
    if (!press) return;
    const channelData = context.activity.channelData as { tenant?: { id?: string } } | undefined;
    const tenantId = channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
    const reminder: Reminder = {
      id: newId(),
      userId,
      label: request.label,
      date: request.date,
      dueAt: request.dueAt.toISOString(),
      createdAt: now.toISOString(),
      status: 'scheduled',
      reference: BotTurnContext.getConversationReference(context.activity),
      user: {
        id: context.activity.from?.id ?? '',
        ...(context.activity.from?.name ? { name: context.activity.from.name } : {}),
      },
      ...(tenantId ? { tenantId } : {}),
    };
    try {
      await announcements.saveReminder(reminder);
    } catch (err: unknown) {
      await press.undo();
      throw err;
    }
    await press.done();
    deps.delivery.kick();
    const said = REMINDER_TEXT.set(`${formatLongDate(request.date)} at 09:00`, request.label, reminder.id);
    const answer = answerBehindReminder(context.activity.value, request.date);
    if (!answer || !(await replacePressedCard(deps, context, deadlineAnswerCard(deps.kb, answer, said))))
      await context.sendActivity(said);
  });

  const myReminders = async (userId: string) =>
    (await announcements.reminders()).filter((r) => r.userId === userId && r.status === 'scheduled');

  app.message(
    async (context) => MY_REMINDERS.test(lowerText(context)),
    async (context) => {
      await context.sendActivity({ attachments: [remindersCard(await myReminders(userIdOf(context.activity)))] });
    },
  );

  const cancelMine = async (context: TurnContext, id: string) => {
    const done = await announcements.cancelReminder(id, userIdOf(context.activity));
    await context.sendActivity(done ? REMINDER_TEXT.cancelled(id) : REMINDER_TEXT.notFound(id));
  };
  app.message(
    async (context) => CANCEL_REMINDER.test(lowerText(context)),
    async (context) => cancelMine(context, CANCEL_REMINDER.exec(lowerText(context))?.[1] ?? ''),
  );
  app.adaptiveCards.actionSubmit('reminder-cancel', async (context) =>
    cancelMine(context, str(submitted(context).id) ?? ''),
  );

  app.message(
    async (context) => SUBSCRIBE.test(lowerText(context)),
    async (context) => {
      const on = SUBSCRIBE.exec(lowerText(context))?.[1] === undefined;
      const was = await announcements.subscribeWorklist(context.activity, on, clock.now());
      if (on) await context.sendActivity(was ? REMINDER_TEXT.alreadySubscribed : REMINDER_TEXT.subscribed);
      else await context.sendActivity(was ? REMINDER_TEXT.unsubscribed : REMINDER_TEXT.notSubscribed);
    },
  );
}
