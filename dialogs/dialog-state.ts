import { z } from 'zod';
import type { DeadlineKnown } from '../knowledge/rules/deadlines.js';
import { boroughId, priority, purpose, siteId } from '../knowledge/schema.js';
import { type ConversationData, type DialogState, stateTime } from './state.js';
import { compileCheck } from './state-check.js';

export type DialogName = 'troubleshoot' | 'downtime' | 'contact' | 'deadline' | 'choices';

const places = { sites: z.array(siteId).optional(), boroughs: z.array(boroughId).optional() };
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const deadlineKnown = z
  .object({
    rule: z.enum(['deferral', 'letter', 'availability', 'rejection-letter']).optional(),
    priority: priority.optional(),
    start: z
      .object({
        date: isoDate,
        time: z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) }).optional(),
      })
      .optional(),
  })
  .strict();

/**
 * What each dialog keeps between turns. Saved state outlives a deploy: state written by an older
 * version that no longer fits is dropped (the user starts again) rather than read as the new shape.
 */
export const DIALOG_DATA: Readonly<Record<DialogName, z.ZodType>> = Object.freeze({
  troubleshoot: z.object({ issue: z.number().int().min(1).max(8).optional(), ...places }),
  downtime: z.object({ ...places, priority: priority.optional() }),
  contact: z.object({ purpose: purpose.optional(), ...places }),
  deadline: z.object({ known: deadlineKnown }),
  choices: z.object({}).passthrough(),
});

export const dialogSchema = z.object({
  name: z.enum(['troubleshoot', 'downtime', 'contact', 'deadline', 'choices']),
  step: z.string().max(40),
  data: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});

// The same checks as plain code (see state-check.ts): every turn reads the dialog.
const checkDialog = compileCheck(dialogSchema);
const CHECK_DIALOG_DATA = Object.freeze(
  Object.fromEntries(Object.entries(DIALOG_DATA).map(([name, schema]) => [name, compileCheck(schema)])),
) as Readonly<Record<DialogName, ReturnType<typeof compileCheck>>>;
const checkDeadlineKnown = compileCheck(deadlineKnown);

function isValidDialog(dialog: unknown): dialog is DialogState {
  const parsed = checkDialog(dialog);
  return parsed.success && CHECK_DIALOG_DATA[parsed.data.name](parsed.data.data).success;
}

/** The deadline dialog's facts so far (validated when the dialog was resumed). */
export function deadlineKnownOf(dialog: DialogState | undefined): DeadlineKnown {
  const parsed = checkDeadlineKnown(dialog?.name === 'deadline' ? dialog.data.known : undefined);
  return parsed.success ? parsed.data : {};
}

/** The dialog in progress, unless it has been silent longer than the timeout (then it is dropped). */
export function activeDialog(
  conversation: ConversationData,
  now: Date,
  timeoutMinutes: number,
): DialogState | undefined {
  const dialog = conversation.dialog;
  if (!dialog) return undefined;
  if (!isValidDialog(dialog)) {
    delete conversation.dialog;
    return undefined;
  }
  const age = now.getTime() - Date.parse(dialog.updatedAt);
  if (!(age >= 0 && age <= timeoutMinutes * 60_000)) {
    delete conversation.dialog;
    return undefined;
  }
  return dialog;
}

export function setDialog(
  conversation: ConversationData,
  name: DialogName,
  step: string,
  data: Record<string, unknown>,
  now: Date,
): void {
  conversation.dialog = { name, step, data, updatedAt: stateTime(now) };
}

export function endDialog(conversation: ConversationData): void {
  delete conversation.dialog;
}
