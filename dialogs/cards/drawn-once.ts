import type { Attachment } from 'botbuilder';
import { deepFreeze } from './card.js';

/** Cards drawn once, by the object they were drawn from (a knowledge base) and a key for the rest. */
export type DrawnCards<Owner extends object> = WeakMap<Owner, Map<string, Attachment>>;

/** Enough for every answer at the few places and priorities people name; past it the cards are drawn afresh. */
const MAX_DRAWN_CARDS = 512;

/**
 * The card drawn for `owner` and `key`, drawing it the first time. `key` must hold everything the
 * card depends on besides `owner`. Its content is frozen and shared (a reply changing it would throw
 * rather than change later replies); the attachment around it is new on every call. Keyed by the
 * owner object, so a knowledge base loaded afresh (a test, a restart) gets its own cards.
 */
export function drawnOnce<Owner extends object>(
  cards: DrawnCards<Owner>,
  owner: Owner,
  key: string,
  draw: () => Attachment,
): Attachment {
  let drawn = cards.get(owner);
  if (drawn === undefined) {
    drawn = new Map();
    cards.set(owner, drawn);
  }
  let card = drawn.get(key);
  if (card === undefined) {
    if (drawn.size >= MAX_DRAWN_CARDS) drawn.clear();
    card = deepFreeze(draw());
    drawn.set(key, card);
  }
  return { ...card };
}
