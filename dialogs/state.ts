import { type DefaultTempState, TurnState } from '@microsoft/teams-ai';

/** A guided conversation in progress; kept in conversation state so it survives restarts. */
export interface DialogState {
  name: string;
  step: string;
  data: Record<string, unknown>;
  /** ISO time of the last step; a dialog left silent past the timeout is dropped. */
  updatedAt: string;
}

/** Numbered options the bot offered last ("Did you mean", menus), so a typed "2" picks one. */
export interface OfferedChoices {
  options: { label: string; value: string }[];
  at: string;
}

export interface ConversationData {
  dialog?: DialogState;
  choices?: OfferedChoices;
  /** The knowledge entry answered last, so a typed "helpful" / "not helpful" is recorded against it. */
  lastAnswer?: { entryId: string; at: string };
  /** What was answered last and for which details, so a follow-up can refine it (dialogs/turn/topic.ts). */
  topic?: unknown;
}

// teams-ai's TurnState requires index-signature-compatible scopes.
export type ConversationScope = ConversationData & Record<string, unknown>;
export type UserScope = Record<string, unknown>;

/**
 * When a conversation's state was last touched, to whole seconds. These times only decide expiry
 * (DIALOG_TIMEOUT_MINUTES, at most a second early now), and a turn that changes nothing else then
 * leaves the state as it loaded it, so teams-ai does not write it again (it compares the JSON).
 */
export function stateTime(now: Date): string {
  return new Date(now.getTime() - (((now.getTime() % 1000) + 1000) % 1000)).toISOString();
}

export class AppTurnState extends TurnState<ConversationScope, UserScope, DefaultTempState> {}
