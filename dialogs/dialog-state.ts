import type { ConversationData, DialogState } from '../bot/state.js';

export type DialogName = 'troubleshoot' | 'downtime' | 'contact' | 'deadline' | 'choices';

/** The dialog in progress, unless it has been silent longer than the timeout (then it is dropped). */
export function activeDialog(
  conversation: ConversationData,
  now: Date,
  timeoutMinutes: number,
): DialogState | undefined {
  const dialog = conversation.dialog;
  if (!dialog) return undefined;
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
  conversation.dialog = { name, step, data, updatedAt: now.toISOString() };
}

export function endDialog(conversation: ConversationData): void {
  delete conversation.dialog;
}
