import type { Application, TurnState } from '@microsoft/teams-ai';
import { type Activity, type Storage, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ConversationRefRecord, ConversationScope } from '../../knowledge/announcements/model.js';
import type { Clock } from '../../knowledge/time/clock.js';
import { readCollection, updateCollection, updateMember } from './store.js';

/**
 * Where the bot may post: one record per conversation it is installed in (team channel, group chat,
 * personal chat), added on install and dropped on uninstall, so proactive announcements know their
 * targets after a restart and on every instance. Each record is its own storage item, so an install
 * costs the same with 10 or 10,000 installs (store.ts, readCollection).
 */

export const CONVERSATION_REFS_KEY = 'conversation-refs/all';

interface TeamsChannelData {
  eventType?: string;
  team?: { id?: string; name?: string };
  channel?: { id?: string };
  tenant?: { id?: string };
}

function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  const data = activity.channelData;
  return typeof data === 'object' && data !== null ? (data as TeamsChannelData) : {};
}

function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  if (type === 'personal') return 'personal';
  if (type === 'channel' || channelDataOf(activity).team?.id) return 'team';
  return 'groupChat';
}

/** What an install or uninstall activity means for the stored references. */
export type RefChange =
  | { kind: 'add'; record: ConversationRefRecord }
  | { kind: 'remove'; conversationId: string }
  | { kind: 'remove-team'; teamId: string }
  | { kind: 'none' };

/** Reads an activity as an install, an uninstall, or neither. Pure. */
export function refChangeFor(activity: Partial<Activity>, now: Date): RefChange {
  const conversationId = activity.conversation?.id;
  if (!conversationId) return { kind: 'none' };
  const channelData = channelDataOf(activity);
  const botId = activity.recipient?.id;
  const botAdded = (activity.membersAdded ?? []).some((m) => m.id === botId);
  const botRemoved = (activity.membersRemoved ?? []).some((m) => m.id === botId);
  const action = typeof activity.action === 'string' ? activity.action.toLowerCase() : '';

  if (activity.type === 'conversationUpdate' && channelData.eventType === 'teamDeleted' && channelData.team?.id) {
    return { kind: 'remove-team', teamId: channelData.team.id };
  }
  const removed =
    (activity.type === 'installationUpdate' && action.startsWith('remove')) ||
    (activity.type === 'conversationUpdate' && botRemoved);
  if (removed) {
    // Uninstalling from a team removes the bot from every channel of it.
    return scopeOf(activity) === 'team' && channelData.team?.id
      ? { kind: 'remove-team', teamId: channelData.team.id }
      : { kind: 'remove', conversationId };
  }
  const added =
    (activity.type === 'installationUpdate' && action.startsWith('add')) ||
    (activity.type === 'conversationUpdate' && botAdded);
  if (!added) return { kind: 'none' };
  const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId;
  const record: ConversationRefRecord = {
    conversationId,
    scope: scopeOf(activity),
    reference: TurnContext.getConversationReference(activity),
    addedAt: now.toISOString(),
    active: true,
    ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
    ...(channelData.team?.name ? { teamName: channelData.team.name } : {}),
    ...(channelData.channel?.id ? { channelId: channelData.channel.id } : {}),
    ...(tenantId ? { tenantId } : {}),
  };
  return { kind: 'add', record };
}

export async function listConversationRefs(storage: Storage): Promise<ConversationRefRecord[]> {
  const { items } = await readCollection<ConversationRefRecord>(storage, CONVERSATION_REFS_KEY);
  return Object.values(items).sort((a, b) => a.conversationId.localeCompare(b.conversationId));
}

/** Stores or drops references as `change` says. Returns whether anything was written. */
export async function applyRefChange(storage: Storage, change: RefChange): Promise<boolean> {
  if (change.kind === 'none') return false;
  if (change.kind === 'add') {
    const { record } = change;
    return updateMember<ConversationRefRecord, boolean>(
      storage,
      CONVERSATION_REFS_KEY,
      record.conversationId,
      (previous) => ({
        // Installation and membersAdded both arrive for one install: keep the subscription and first time.
        item: {
          ...record,
          addedAt: previous?.active ? previous.addedAt : record.addedAt,
          ...(previous?.worklistReminders ? { worklistReminders: true } : {}),
        },
        result: true,
      }),
    );
  }
  if (change.kind === 'remove') {
    return updateMember<ConversationRefRecord, boolean>(
      storage,
      CONVERSATION_REFS_KEY,
      change.conversationId,
      (current) => (current ? { item: null, result: true } : { result: false }),
    );
  }
  return updateCollection<ConversationRefRecord, boolean>(storage, CONVERSATION_REFS_KEY, (items) => {
    const drop = Object.values(items).filter((r) => r.teamId === change.teamId);
    if (drop.length === 0) return { result: false };
    const next = { ...items };
    for (const r of drop) delete next[r.conversationId];
    return { items: next, result: true };
  });
}

export async function markInactive(storage: Storage, conversationId: string, reason: string): Promise<void> {
  await updateMember<ConversationRefRecord, void>(storage, CONVERSATION_REFS_KEY, conversationId, (current) => {
    if (!current?.active) return { result: undefined };
    return { item: { ...current, active: false, inactiveReason: reason }, result: undefined };
  });
}

/**
 * Turns the worklist reminder on or off for a conversation, storing its reference if the bot had
 * none (installed before references were kept). Returns the previous setting.
 */
export async function setWorklistSubscription(
  storage: Storage,
  activity: Partial<Activity>,
  on: boolean,
  now: Date,
): Promise<boolean> {
  const conversationId = activity.conversation?.id;
  if (!conversationId) return false;
  return updateMember<ConversationRefRecord, boolean>(storage, CONVERSATION_REFS_KEY, conversationId, (current) => {
    const was = current?.worklistReminders === true;
    if (was === on && current?.active) return { result: was };
    const base: ConversationRefRecord =
      current ??
      ({
        conversationId,
        scope: scopeOf(activity),
        reference: TurnContext.getConversationReference(activity),
        addedAt: now.toISOString(),
        active: true,
      } satisfies ConversationRefRecord);
    const record: ConversationRefRecord = { ...base, active: true, worklistReminders: on };
    delete record.inactiveReason;
    return { item: record, result: was };
  });
}

/**
 * Keeps references up to date on every install and uninstall. A `beforeTurn` step that always lets
 * the turn go on, because teams-ai routes are first-match-wins and the welcome card (dialogs/help.ts)
 * is already the route for membersAdded: both must happen.
 */
export function registerConversationRefs<State extends TurnState>(
  app: Application<State>,
  deps: { storage: Storage; clock: Clock; logger: Logger },
): void {
  app.turn('beforeTurn', async (context) => {
    const type = context.activity.type;
    if (type !== 'installationUpdate' && type !== 'conversationUpdate') return true;
    const change = refChangeFor(context.activity, deps.clock.now());
    try {
      if (await applyRefChange(deps.storage, change)) {
        deps.logger.info({ event: `conversation-ref.${change.kind}` }, 'conversation reference updated');
      }
    } catch (err: unknown) {
      // Losing a reference must not cost the user their welcome card.
      deps.logger.error(
        { event: 'conversation-ref.failed', err: err instanceof Error ? err.message : 'unknown' },
        'could not update conversation references',
      );
    }
    return true;
  });
}
