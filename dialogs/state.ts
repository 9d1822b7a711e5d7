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

export class AppTurnState extends TurnState<ConversationScope, UserScope, DefaultTempState> {}
