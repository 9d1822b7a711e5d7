import type { Activity, ConversationReference, ResourceResponse, Storage, TurnContext } from 'botbuilder';
import { ActivityTypes, TurnContext as Turn } from 'botbuilder';
import type { Logger } from 'pino';
import { newId } from '../../knowledge/announcements/model.js';
import type { Clock } from '../../knowledge/time/clock.js';
import type { DeliveryKick } from './kick.js';
import { classifySendError } from './send-policy.js';
import { readCollection, updateMember } from './store.js';

/**
 * Replies Teams throttled past the outbound budget (security review L2). Without this, a reply that
 * met 429s for longer than the 5 s budget was dropped and the user got an apology instead. Now the
 * reply is kept, keyed to the conversation, and the delivery runner (engine.ts) sends it later,
 * once, after Retry-After; one still unsent after PENDING_REPLY_MAX_AGE_MS is dropped.
 *
 * What is kept is the reply as the bot built it (its text, cards and buttons) and the conversation
 * reference, nothing of the person's message: features answer from the masked text
 * (dialogs/turn/route.ts), so no patient identifier is in a reply.
 */

export const PENDING_REPLIES_KEY = 'pending-replies/all';
export const pendingReplyKey = (id: string) => `pending-reply/${id}`;
/** How long a throttled reply is still worth sending: after an hour the question has moved on. */
export const PENDING_REPLY_MAX_AGE_MS = 60 * 60_000;

export interface PendingReply {
  id: string;
  conversationId: string;
  reference: Partial<ConversationReference>;
  /** In the order the turn sent them. */
  activities: Partial<Activity>[];
  /** How many of `activities` have been delivered (a later one may be throttled again). */
  sent: number;
  /** Delivery attempts so far. */
  attempts: number;
  queuedAt: string;
  /** Not sent before this (Retry-After, then backoff). */
  notBefore: string;
  expiresAt: string;
}

/** The parts of a reply a person sees; the addressing comes from the stored reference instead. */
const KEPT_FIELDS = [
  'type',
  'text',
  'textFormat',
  'attachments',
  'attachmentLayout',
  'suggestedActions',
  'inputHint',
] as const;

export function keptReply(activity: Partial<Activity>): Partial<Activity> {
  const out: Record<string, unknown> = {};
  for (const name of KEPT_FIELDS) {
    const value = activity[name];
    if (value !== undefined) out[name] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return out as Partial<Activity>;
}

export async function listPendingReplies(storage: Storage): Promise<PendingReply[]> {
  const { items } = await readCollection<PendingReply>(storage, PENDING_REPLIES_KEY);
  return Object.values(items).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id));
}

/** Changes one pending reply (undefined from `change`: leave it; null: remove it). */
export async function updatePendingReply(
  storage: Storage,
  id: string,
  change: (current: PendingReply | undefined) => PendingReply | null | undefined,
): Promise<void> {
  await updateMember<PendingReply, void>(storage, PENDING_REPLIES_KEY, id, (current) => ({
    item: change(current),
    result: undefined,
  }));
}

/** True for a send refused because Teams is throttling: 429 or 503 (bot/adapter.ts's ThrottledError too). */
export function isThrottled(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return status === 429 || status === 503;
}

export interface HoldDeps {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Wakes the delivery runner, which sends what was kept. */
  delivery: DeliveryKick;
  maxAgeMs?: number;
}

/**
 * Watches one turn's replies. When one is refused as throttled, it and every later reply of the turn
 * (so they keep their order) are stored for the delivery runner, and the turn goes on as if they had
 * been sent: no error, so no apology. Only message activities are kept (typing and delays mean
 * nothing later).
 */
export function holdThrottledReplies(context: TurnContext, deps: HoldDeps): void {
  let held: string | undefined;
  const maxAgeMs = deps.maxAgeMs ?? PENDING_REPLY_MAX_AGE_MS;

  const keep = async (activities: Partial<Activity>[], err?: unknown): Promise<void> => {
    const messages = activities.filter((a) => (a.type ?? ActivityTypes.Message) === ActivityTypes.Message);
    if (messages.length === 0) return;
    const now = deps.clock.now();
    if (held) {
      const id = held;
      await updatePendingReply(deps.storage, id, (current) =>
        current ? { ...current, activities: [...current.activities, ...messages.map(keptReply)] } : undefined,
      );
      return;
    }
    const reference = Turn.getConversationReference(context.activity);
    const conversationId = reference.conversation?.id ?? '';
    const why = classifySendError(err, now);
    const waitMs = why.kind === 'retry' ? (why.retryAfterMs ?? 1_000) : 1_000;
    const id = newId();
    await updatePendingReply(deps.storage, id, () => ({
      id,
      conversationId,
      reference,
      activities: messages.map(keptReply),
      sent: 0,
      attempts: 1,
      queuedAt: now.toISOString(),
      notBefore: new Date(now.getTime() + waitMs).toISOString(),
      expiresAt: new Date(now.getTime() + maxAgeMs).toISOString(),
    }));
    held = id;
    deps.logger.warn(
      { event: 'reply.throttled.queued', code: why.code, waitMs },
      'a reply Teams throttled past the budget is kept to send later',
    );
  };

  context.onSendActivities(async (_ctx, activities, next) => {
    const placeholders = (): ResourceResponse[] => activities.map(() => ({ id: '' }));
    if (held) {
      await keep(activities);
      return placeholders();
    }
    // One at a time (botbuilder's `next` sends the array it was given, read when called), so that
    // after a throttled one only it and those after it are kept.
    const all = activities.slice();
    const responses: ResourceResponse[] = [];
    for (let i = 0; i < all.length; i++) {
      activities.splice(0, activities.length, all[i] as Partial<Activity>);
      try {
        responses.push(...((await next()) ?? []));
      } catch (err: unknown) {
        if (!isThrottled(err)) {
          activities.splice(0, activities.length, ...all);
          throw err;
        }
        await keep(all.slice(i), err);
        deps.delivery.kick();
        activities.splice(0, activities.length, ...all);
        return [...responses, ...all.slice(i).map(() => ({ id: '' }))];
      }
    }
    activities.splice(0, activities.length, ...all);
    return responses;
  });
}
