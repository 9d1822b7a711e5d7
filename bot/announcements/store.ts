import { randomBytes } from 'node:crypto';
import type { ConversationReference, Storage } from 'botbuilder';
import type { TrustId } from '../../knowledge/schema.js';
import { type ClaimRecord, CREATE_ONLY_ETAG, withRetryOnConflict } from '../storage/claims.js';
import { isETagConflict } from '../storage/file-storage.js';

/**
 * Announcements, reminders and their delivery log, kept in the bot's storage so they survive restarts
 * and are shared by every instance. Each collection is one item updated read-modify-write with its
 * eTag (a lost race re-reads and tries again); each delivery is a claim from bot/storage/claims.ts.
 */

export const ANNOUNCEMENT_KINDS = ['planned-downtime', 'unplanned-downtime', 'restored', 'general'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

/** Who made an announcement: the API, or an announcer in chat (who is sent the delivery summary). */
export type Creator =
  | { via: 'api' }
  | { via: 'chat'; userId: string; name?: string; reference: Partial<ConversationReference> };

/**
 * What a downtime covers: all of e-RS, only its link from Optum (previously EMIS) and Vision (the web
 * version still works), or e-RS at the named trusts.
 */
export type DowntimeScope = { kind: 'national' } | { kind: 'optum-vision' } | { kind: 'trusts'; trusts: TrustId[] };

export type AnnouncementStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'expired';

export interface Announcement {
  id: string;
  kind: AnnouncementKind;
  title: string;
  message?: string;
  startsAt?: string;
  endsAt?: string;
  sendAt: string;
  targets: 'all' | string[];
  /** Downtime kinds only; absent means national. */
  scope?: DowntimeScope;
  /** Downtime kinds only: post "Stage N starts now" to the same conversations as each stage begins. */
  stageNotices?: boolean;
  createdBy: Creator;
  createdAt: string;
  status: AnnouncementStatus;
  /** The conversations it goes to, fixed when sending starts so a late install does not change the count. */
  resolvedTargets?: string[];
  sendingAt?: string;
  finishedAt?: string;
  summary?: DeliverySummary;
}

export interface DeliverySummary {
  delivered: number;
  failed: number;
  inactive: number;
  pending: number;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'inactive';

/** What `complete` stores for one target. */
export interface DeliveryResult {
  outcome: DeliveryOutcome;
  attempts: number;
  /** HTTP status or error code of the last failure, never the message body. */
  error?: string;
}

export interface Reminder {
  id: string;
  /** The Azure AD object id when Teams gives one, else the channel account id. */
  userId: string;
  label: string;
  /** The working day it is for (YYYY-MM-DD) and the instant it fires (09:00 London that day). */
  date: string;
  dueAt: string;
  createdAt: string;
  status: 'scheduled' | 'sent' | 'cancelled' | 'failed';
  /** The conversation the user asked in; a 1:1 chat is created from it when it is not personal. */
  reference: Partial<ConversationReference>;
  user: { id: string; name?: string };
  tenantId?: string;
}

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

/** Short ids that a person can type back ("cancel announcement k3f9q2xd"); letters first so never masked as numbers. */
export function newId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(8);
  let id = alphabet[(bytes[0] ?? 0) % 23] ?? 'a';
  for (let i = 1; i < 8; i++) id += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return id;
}

async function readCollection<T>(storage: Storage, key: string): Promise<{ items: Record<string, T>; eTag?: string }> {
  const item = (await storage.read([key]))[key] as (Collection<T> & { eTag?: string }) | undefined;
  if (!item) return { items: {} };
  return { items: { ...(item.items ?? {}) }, eTag: item.eTag };
}

/**
 * Applies `change` to a collection and writes it back guarded by the eTag read, retrying on a lost race.
 * `change` may return undefined to write nothing; it must not have side effects (it can run again).
 */
export async function updateCollection<T, R>(
  storage: Storage,
  key: string,
  change: (items: Record<string, T>) => { items: Record<string, T>; result: R } | { result: R; items?: undefined },
): Promise<R> {
  return withRetryOnConflict(async () => {
    const current = await readCollection<T>(storage, key);
    const next = change(current.items);
    if (next.items === undefined) return next.result;
    await storage.write({ [key]: { items: next.items, eTag: current.eTag ?? CREATE_ONLY_ETAG } });
    return next.result;
    // Many installs at once (an app rolled out to every practice) all write this one item: the retry
    // pauses grow with each attempt, so 25 attempts ride out a burst of a few seconds.
  }, 25);
}

export async function listAnnouncements(storage: Storage): Promise<Announcement[]> {
  const { items } = await readCollection<Announcement>(storage, ANNOUNCEMENTS_KEY);
  return Object.values(items).sort((a, b) => a.sendAt.localeCompare(b.sendAt) || a.id.localeCompare(b.id));
}

export async function getAnnouncement(storage: Storage, id: string): Promise<Announcement | undefined> {
  const { items } = await readCollection<Announcement>(storage, ANNOUNCEMENTS_KEY);
  return items[id];
}

export async function saveAnnouncement(storage: Storage, announcement: Announcement): Promise<void> {
  await updateCollection<Announcement, void>(storage, ANNOUNCEMENTS_KEY, (items) => ({
    items: { ...items, [announcement.id]: announcement },
    result: undefined,
  }));
}

/** Changes one announcement; `change` returns the new record, or undefined to leave it as it is. */
export async function updateAnnouncement(
  storage: Storage,
  id: string,
  change: (current: Announcement) => Announcement | undefined,
): Promise<Announcement | undefined> {
  return updateCollection<Announcement, Announcement | undefined>(storage, ANNOUNCEMENTS_KEY, (items) => {
    const current = items[id];
    if (!current) return { result: undefined };
    const next = change(current);
    if (!next) return { result: current };
    return { items: { ...items, [id]: next }, result: next };
  });
}

export type CancelOutcome = 'cancelled' | 'not-found' | 'already-sent' | 'already-cancelled';

/** Cancels an announcement that has not started sending; one that has is left alone (the API's 409). */
export async function cancelAnnouncement(storage: Storage, id: string, now: Date): Promise<CancelOutcome> {
  return updateCollection<Announcement, CancelOutcome>(storage, ANNOUNCEMENTS_KEY, (items) => {
    const current = items[id];
    if (!current) return { result: 'not-found' };
    if (current.status === 'cancelled') return { result: 'already-cancelled' };
    if (current.status !== 'scheduled') return { result: 'already-sent' };
    return {
      items: { ...items, [id]: { ...current, status: 'cancelled', finishedAt: now.toISOString() } },
      result: 'cancelled',
    };
  });
}

export async function listReminders(storage: Storage): Promise<Reminder[]> {
  const { items } = await readCollection<Reminder>(storage, REMINDERS_KEY);
  return Object.values(items).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
}

export async function saveReminder(storage: Storage, reminder: Reminder): Promise<void> {
  await updateCollection<Reminder, void>(storage, REMINDERS_KEY, (items) => ({
    items: { ...items, [reminder.id]: reminder },
    result: undefined,
  }));
}

export async function setReminderStatus(storage: Storage, id: string, status: Reminder['status']): Promise<void> {
  await updateCollection<Reminder, void>(storage, REMINDERS_KEY, (items) => {
    const current = items[id];
    if (!current || current.status === status) return { result: undefined };
    return { items: { ...items, [id]: { ...current, status } }, result: undefined };
  });
}

/** Cancels one of `userId`'s scheduled reminders; someone else's reminder is reported as not found. */
export async function cancelReminder(storage: Storage, id: string, userId: string): Promise<boolean> {
  return updateCollection<Reminder, boolean>(storage, REMINDERS_KEY, (items) => {
    const current = items[id];
    if (!current || current.userId !== userId || current.status !== 'scheduled') return { result: false };
    return { items: { ...items, [id]: { ...current, status: 'cancelled' } }, result: true };
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
