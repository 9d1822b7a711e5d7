import type { Activity } from 'botbuilder';

/** The field of a card button's submit data that holds the words the button stands for. */
export const CHOICE_FIELD = 'choice';

/**
 * Reads a card button press that stands for a typed reply (`Action.Submit` with data
 * `{ choice: "issue 3" }`, see dialogs/cards/card.ts `choice`) as those words typed: the message's
 * text becomes the choice, so routing, dialogs and the safety checks treat it exactly like the typed
 * reply. Only a message with no text of its own, whose value has a string `choice` and no `verb`
 * (a `verb` submit belongs to a card-action route), is changed. Returns whether it was.
 */
export function readChoiceSubmit(activity: Partial<Activity>): boolean {
  if (activity.type !== 'message') return false;
  if (typeof activity.text === 'string' && activity.text.trim() !== '') return false;
  const value: unknown = activity.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const data = value as Record<string, unknown>;
  const words = data[CHOICE_FIELD];
  if (typeof words !== 'string' || words.trim() === '' || 'verb' in data) return false;
  activity.text = words;
  return true;
}
