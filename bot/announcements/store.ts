import type { Storage, StoreItems } from 'botbuilder';
import { type AnnouncementInput, buildAnnouncement } from '../../knowledge/announcements/input.js';
import type {
  Announcement,
  CancelOutcome,
  Creator,
  DeliveryResult,
  DeliverySummary,
  Reminder,
} from '../../knowledge/announcements/model.js';
import { type ClaimRecord, CREATE_ONLY_ETAG, withRetryOnConflict } from '../storage/claims.js';
import { isETagConflict } from '../storage/file-storage.js';
import { isListable } from '../storage/listable.js';

/**
 * Announcements, reminders and their delivery log, kept in the bot's storage so they survive restarts
 * and are shared by every instance. Each collection is one item updated read-modify-write with its
 * eTag (a lost race re-reads and tries again); each delivery is a claim from bot/storage/claims.ts.
 */

interface Collection<T> {
  items: Record<string, T>;
}

export const ANNOUNCEMENTS_KEY = 'announcements/all';
export const REMINDERS_KEY = 'reminders/all';

export const deliveryKey = (announcementId: string, conversationId: string) =>
  `announce/${announcementId}/${conversationId}`;
/** One stage notice of a downtime announcement in one conversation ("Stage 2 starts now"). */
export const stageNoticeKey = (announcementId: string, stage: number, conversationId: string) =>
  `announce-stage/${announcementId}/${stage}/${conversationId}`;
export const summaryKey = (announcementId: string) => `announce/${announcementId}/summary`;
export const reminderKey = (reminderId: string) => `reminder/${reminderId}`;
export const worklistKey = (date: string, conversationId: string) => `worklist/${date}/${conversationId}`;

interface StoredCollection<T> {
  items: Record<string, T>;
  /** Single-item form: the collection item's eTag. */
  eTag?: string;
  /** One-item-per-key form: each item's eTag. */
  eTags?: Map<string, string>;
}

/** One member of a collection kept one item per key (`<collection key>/<id>`). */
interface Member<T> {
  id: string;
  item: T;
}

const memberKey = (key: string, id: string) => `${key}/${id}`;

function isMember<T>(value: unknown): value is Member<T> & { eTag?: string } {
  if (typeof value !== 'object' || value === null || !('item' in value)) return false;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id !== '__proto__';
}

/** Ids come from Teams and from callers: `__proto__` as a key of a plain object would set its prototype. */
function checkId(id: string): void {
  if (id === '__proto__') throw new Error('Storage: "__proto__" cannot be an id');
}

/**
 * Reads a collection. On a storage that can list (SQLite, blob, memory), each item is its own key, so
 * adding one install writes one small item whatever the number of installs; an older single item
 * under `key` (from the JSON files, or an older build) is split into per-key items on first read.
 * Storages that cannot list keep the whole collection as one item.
 */
export async function readCollection<T>(storage: Storage, key: string): Promise<StoredCollection<T>> {
  if (!isListable(storage)) {
    const item = (await storage.read([key]))[key] as (Collection<T> & { eTag?: string }) | undefined;
    if (!item) return { items: {} };
    return { items: { ...(item.items ?? {}) }, eTag: item.eTag };
  }
  const legacy = (await storage.read([key]))[key] as (Collection<T> & { eTag?: string }) | undefined;
  if (legacy) await splitLegacy(storage, key, legacy.items ?? {});
  const items: Record<string, T> = {};
  const eTags = new Map<string, string>();
  for (const value of await storage.list(`${key}/`)) {
    if (!isMember<T>(value)) continue;
    items[value.id] = value.item;
    if (typeof value.eTag === 'string') eTags.set(value.id, value.eTag);
  }
  return { items, eTags };
}

async function splitLegacy<T>(storage: Storage, key: string, items: Record<string, T>): Promise<void> {
  // Create-only writes: an item written per key since then is newer, and wins.
  for (const [id, item] of Object.entries(items)) {
    try {
      await storage.write({ [memberKey(key, id)]: { id, item, eTag: CREATE_ONLY_ETAG } });
    } catch (err: unknown) {
      if (!isETagConflict(err)) throw err;
    }
  }
  await storage.delete([key]);
}

/**
 * Applies `change` to a collection and writes back what changed, each write guarded by the eTag
 * read, retrying on a lost race. `change` may return undefined to write nothing; it must not have
 * side effects (it can run again), and must keep unchanged items as they are (same objects), so only
 * the changed ones are written.
 */
export async function updateCollection<T, R>(
  storage: Storage,
  key: string,
  change: (items: Record<string, T>) => { items: Record<string, T>; result: R } | { result: R; items?: undefined },
): Promise<R> {
  return withRetryOnConflict(async () => {
    const current = await readCollection<T>(storage, key);
    const next = change({ ...current.items });
    if (next.items === undefined) return next.result;
    if (current.eTags === undefined) {
      await storage.write({ [key]: { items: next.items, eTag: current.eTag ?? CREATE_ONLY_ETAG } });
      return next.result;
    }
    const eTags = current.eTags;
    const writes: StoreItems = {};
    for (const [id, item] of Object.entries(next.items)) {
      if (current.items[id] === item) continue;
      writes[memberKey(key, id)] = { id, item, eTag: eTags.get(id) ?? CREATE_ONLY_ETAG };
    }
    const removed = Object.keys(current.items).filter((id) => !(id in next.items));
    if (Object.keys(writes).length > 0) await storage.write(writes);
    if (removed.length > 0) await storage.delete(removed.map((id) => memberKey(key, id)));
    return next.result;
    // On a storage that cannot list, many installs at once all write one item: the retry pauses grow
    // with each attempt, so 25 attempts ride out a burst of a few seconds.
  }, 25);
}

/** What `updateMember`'s change decides: a new item, `null` to delete it, or no `item` to leave it. */
export type MemberChange<T, R> = { item?: T | null; result: R };

/**
 * Changes one item of a collection, reading and writing only that item where the storage keeps one
 * item per key (so it costs the same however large the collection is), guarded by its eTag.
 */
export async function updateMember<T, R>(
  storage: Storage,
  key: string,
  id: string,
  change: (current: T | undefined) => MemberChange<T, R>,
): Promise<R> {
  checkId(id);
  if (!isListable(storage)) {
    return updateCollection<T, R>(storage, key, (items) => {
      const decided = change(items[id]);
      if (decided.item === undefined) return { result: decided.result };
      const next = { ...items };
      if (decided.item === null) delete next[id];
      else next[id] = decided.item;
      return { items: next, result: decided.result };
    });
  }
  return withRetryOnConflict(async () => {
    const legacy = (await storage.read([key]))[key] as Collection<T> | undefined;
    if (legacy) await splitLegacy(storage, key, legacy.items ?? {});
    const itemKey = memberKey(key, id);
    const stored = (await storage.read([itemKey]))[itemKey];
    const current = isMember<T>(stored) ? stored : undefined;
    const decided = change(current?.item);
    if (decided.item === null) {
      if (current) await storage.delete([itemKey]);
    } else if (decided.item !== undefined) {
      await storage.write({ [itemKey]: { id, item: decided.item, eTag: current?.eTag ?? CREATE_ONLY_ETAG } });
    }
    return decided.result;
  }, 25);
}

/** One item of a collection, read on its own where the storage allows. */
export async function readMember<T>(storage: Storage, key: string, id: string): Promise<T | undefined> {
  if (!isListable(storage)) return (await readCollection<T>(storage, key)).items[id];
  return updateMember<T, T | undefined>(storage, key, id, (current) => ({ result: current }));
}

export async function listAnnouncements(storage: Storage): Promise<Announcement[]> {
  const { items } = await readCollection<Announcement>(storage, ANNOUNCEMENTS_KEY);
  return Object.values(items).sort((a, b) => a.sendAt.localeCompare(b.sendAt) || a.id.localeCompare(b.id));
}

export async function getAnnouncement(storage: Storage, id: string): Promise<Announcement | undefined> {
  // Ids come from URLs and chat: '__proto__' or 'toString' must not find an inherited property.
  if (!/^[a-z0-9]{1,32}$/.test(id)) return undefined;
  return readMember<Announcement>(storage, ANNOUNCEMENTS_KEY, id);
}

export async function saveAnnouncement(storage: Storage, announcement: Announcement): Promise<void> {
  await updateMember<Announcement, void>(storage, ANNOUNCEMENTS_KEY, announcement.id, () => ({
    item: announcement,
    result: undefined,
  }));
}

/** Changes one announcement; `change` returns the new record, or undefined to leave it as it is. */
export async function updateAnnouncement(
  storage: Storage,
  id: string,
  change: (current: Announcement) => Announcement | undefined,
): Promise<Announcement | undefined> {
  if (!/^[a-z0-9]{1,32}$/.test(id)) return undefined;
  return updateMember<Announcement, Announcement | undefined>(storage, ANNOUNCEMENTS_KEY, id, (current) => {
    if (!current) return { result: undefined };
    const next = change(current);
    if (!next) return { result: current };
    return { item: next, result: next };
  });
}

/** Cancels an announcement that has not started sending; one that has is left alone (the API's 409). */
export async function cancelAnnouncement(storage: Storage, id: string, now: Date): Promise<CancelOutcome> {
  if (!/^[a-z0-9]{1,32}$/.test(id)) return 'not-found';
  return updateMember<Announcement, CancelOutcome>(storage, ANNOUNCEMENTS_KEY, id, (current) => {
    if (!current) return { result: 'not-found' };
    if (current.status === 'cancelled') return { result: 'already-cancelled' };
    if (current.status !== 'scheduled') return { result: 'already-sent' };
    return { item: { ...current, status: 'cancelled', finishedAt: now.toISOString() }, result: 'cancelled' };
  });
}

export async function listReminders(storage: Storage): Promise<Reminder[]> {
  const { items } = await readCollection<Reminder>(storage, REMINDERS_KEY);
  return Object.values(items).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
}

export async function saveReminder(storage: Storage, reminder: Reminder): Promise<void> {
  await updateMember<Reminder, void>(storage, REMINDERS_KEY, reminder.id, () => ({
    item: reminder,
    result: undefined,
  }));
}

export async function setReminderStatus(storage: Storage, id: string, status: Reminder['status']): Promise<void> {
  await updateMember<Reminder, void>(storage, REMINDERS_KEY, id, (current) => {
    if (!current || current.status === status) return { result: undefined };
    return { item: { ...current, status }, result: undefined };
  });
}

/** Cancels one of `userId`'s scheduled reminders; someone else's reminder is reported as not found. */
export async function cancelReminder(storage: Storage, id: string, userId: string): Promise<boolean> {
  if (!/^[a-z0-9]{1,32}$/.test(id)) return false;
  return updateMember<Reminder, boolean>(storage, REMINDERS_KEY, id, (current) => {
    if (!current || current.userId !== userId || current.status !== 'scheduled') return { result: false };
    return { item: { ...current, status: 'cancelled' }, result: true };
  });
}

/** The delivery log of an announcement: each target's claim, when there is one. */
export async function readDeliveries(
  storage: Storage,
  announcementId: string,
  conversationIds: readonly string[],
): Promise<Map<string, ClaimRecord>> {
  const keys = conversationIds.map((c) => deliveryKey(announcementId, c));
  const found = keys.length > 0 ? await storage.read(keys) : {};
  const out = new Map<string, ClaimRecord>();
  conversationIds.forEach((c, i) => {
    const item = found[keys[i] ?? ''] as (ClaimRecord & { eTag?: string }) | undefined;
    if (item && (item.state === 'claimed' || item.state === 'done')) out.set(c, item);
  });
  return out;
}

/** The outcome stored with a finished delivery, when it is one of ours. */
export function deliveryResult(record: ClaimRecord | undefined): DeliveryResult | undefined {
  const result = record?.state === 'done' ? record.result : undefined;
  if (typeof result !== 'object' || result === null) return undefined;
  const outcome = (result as { outcome?: unknown }).outcome;
  if (outcome !== 'delivered' && outcome !== 'failed' && outcome !== 'inactive') return undefined;
  return result as DeliveryResult;
}

export function summarise(deliveries: ReadonlyMap<string, ClaimRecord>, targets: readonly string[]): DeliverySummary {
  const summary: DeliverySummary = { delivered: 0, failed: 0, inactive: 0, pending: 0 };
  for (const target of targets) {
    const result = deliveryResult(deliveries.get(target));
    if (result) summary[result.outcome]++;
    else summary.pending++;
  }
  return summary;
}

/**
 * Moves the lease of a claim `owner` still holds to `leaseUntil`, so a slow send (backoff, a long
 * Retry-After) is not taken over while this process is alive. False when the claim is no longer ours.
 */
export async function renewClaim(storage: Storage, key: string, owner: string, leaseUntil: Date): Promise<boolean> {
  try {
    const item = (await storage.read([key]))[key] as (ClaimRecord & { eTag?: string }) | undefined;
    if (!item || item.owner !== owner || item.state !== 'claimed' || !item.eTag) return false;
    const { eTag, ...record } = item;
    await storage.write({ [key]: { ...record, leaseUntil: leaseUntil.toISOString(), eTag } });
    return true;
  } catch (err: unknown) {
    if (isETagConflict(err)) return false;
    throw err;
  }
}

/** Saves a new announcement and, when it is due already, wakes the host's delivery runner with `kick`. */
export async function createAnnouncement(
  storage: Storage,
  input: AnnouncementInput,
  createdBy: Creator,
  now: Date,
  kick?: () => void,
): Promise<Announcement> {
  const announcement = buildAnnouncement(input, createdBy, now);
  await saveAnnouncement(storage, announcement);
  if (Date.parse(announcement.sendAt) <= now.getTime()) kick?.();
  return announcement;
}
