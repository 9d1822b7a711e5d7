import type { TurnContext } from 'botbuilder';
import { cleanInput } from '../knowledge/safety/input-limits.js';

const CACHE_KEY = Symbol('ers.messageText');

/** The message's words through the one cleaner (`cleanInput`), read once per turn. */
export function messageText(context: TurnContext): string {
  const cached = context.turnState.get(CACHE_KEY) as string | undefined;
  if (cached !== undefined) return cached;
  const value = cleanInput(context.activity.text);
  context.turnState.set(CACHE_KEY, value);
  return value;
}
