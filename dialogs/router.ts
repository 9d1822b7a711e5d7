import type { TurnContext } from 'botbuilder';
import type { Entities } from '../knowledge/entities.js';
import type { DeadlineReply } from '../knowledge/rules/deadlines.js';
import type { SearchResult } from '../knowledge/search.js';
import type { DialogState } from './state.js';
import type { Accepted, Reading } from './turn/route.js';
import type { Topic } from './turn/topic.js';
import type { Intent } from './understand.js';

/**
 * What this turn is: computed once, before any route is chosen (see `app.ts`), and read by every
 * feature's route selector. `continues` names the dialog that accepted the message as its answer;
 * otherwise `intent` says which feature the new question belongs to.
 */
export interface TurnInsight {
  /** The message, cleaned (mentions, markup, control characters removed; identifiers masked). */
  text: string;
  lower: string;
  search: SearchResult;
  deadline: DeadlineReply;
  intent: Intent;
  dialog?: DialogState;
  continues?: DialogState['name'];
  /** The answer to the dialog's question, as read once (see dialogs/turn/route.ts). */
  accepted?: Accepted;
  piiFound: boolean;
  reading: Reading;
  /** The topic answered last, when this message follows it up (or continues its thread). */
  refines?: Topic;
  /** The topic answered last, if still current, whether or not this message follows it up. */
  topic?: Topic;
  /** Places and priority: the message's own, else the topic's when it follows the topic up. */
  entities: Entities;
}

const KEY = Symbol('ers.insight');

export function setInsight(context: TurnContext, insight: TurnInsight): void {
  context.turnState.set(KEY, insight);
}

export function insightOf(context: TurnContext): TurnInsight | undefined {
  return context.turnState.get(KEY) as TurnInsight | undefined;
}

/** A route selector: this feature's dialog continues, or a new question of this kind starts. */
export function routeTo(feature: DialogState['name'] | Intent['kind'], ...kinds: Intent['kind'][]) {
  return async (context: TurnContext): Promise<boolean> => {
    const insight = insightOf(context);
    if (!insight || context.activity.type !== 'message') return false;
    if (insight.continues !== undefined) return insight.continues === feature;
    return insight.intent.kind === feature || kinds.includes(insight.intent.kind);
  };
}
