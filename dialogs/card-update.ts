import type { Attachment, TurnContext } from 'botbuilder';
import type { FeatureDeps } from './feature-deps.js';

/** How long a press is held while its work runs; a crash mid-way frees the card after this. */
const PRESS_LEASE_MS = 60_000;

export interface CardPress {
  /** The work is done: pressing this card's button again does nothing. */
  done(): Promise<void>;
  /** The work failed: the button may be pressed again. */
  undo(): Promise<void>;
}

/**
 * Takes a card button's press (`verb`) for this one card, so the work runs once however often it is
 * pressed, from however many clients. The card is the activity the submit answers (`replyToId`,
 * which Teams and the Agents Playground send); without it, `fallback` names what the press is about
 * (e.g. the entry rated). Resolves undefined when the press was already taken: do nothing new.
 */
export async function takeCardPress(
  deps: Pick<FeatureDeps, 'claims' | 'clock'>,
  context: TurnContext,
  verb: string,
  fallback: string,
): Promise<CardPress | undefined> {
  const { activity } = context;
  const card = activity.replyToId || `about-${fallback}`;
  const key = `card-press/${activity.conversation?.id ?? 'none'}/${card}/${verb}`;
  const owner = activity.id || `press-${deps.clock.now().getTime()}`;
  if (!(await deps.claims.claim(key, owner, deps.clock.now(), PRESS_LEASE_MS))) return undefined;
  return {
    done: async () => {
      await deps.claims.complete(key, owner, deps.clock.now());
    },
    undo: async () => {
      await deps.claims.release(key, owner);
    },
  };
}

/**
 * Replaces the card whose button was pressed with `card` (it says what was done). Resolves false
 * when there is no card to replace or the client cannot update messages (e.g. Web Chat over Direct
 * Line): the caller then says it in a message instead.
 */
export async function replacePressedCard(
  deps: Pick<FeatureDeps, 'logger'>,
  context: TurnContext,
  card: Attachment,
): Promise<boolean> {
  const id = context.activity.replyToId;
  if (!id) return false;
  try {
    await context.updateActivity({ type: 'message', id, attachments: [card] });
    return true;
  } catch (err: unknown) {
    deps.logger.warn(
      { event: 'card.update-failed', err: err instanceof Error ? err.name : 'unknown' },
      'could not update the pressed card; saying it in a message',
    );
    return false;
  }
}
