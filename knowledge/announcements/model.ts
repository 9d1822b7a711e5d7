import { randomBytes } from 'node:crypto';
import type { Activity, ConversationReference } from 'botbuilder';
import type { TrustId } from '../schema.js';
import type { DowntimeNow } from './current-downtime.js';

/**
 * What the ICB announces and what staff ask to be reminded of, as the host keeps them
 * (bot/announcements/store.ts) and the features show them (dialogs/announcements.ts). Shapes only:
 * nothing here reads or writes storage.
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

/** What asking to cancel an announcement did. */
export type CancelOutcome = 'cancelled' | 'not-found' | 'already-sent' | 'already-cancelled';

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

/** Where the bot may post: one conversation it is installed in (bot/announcements/conversation-refs.ts). */
export type ConversationScope = 'team' | 'groupChat' | 'personal';

export interface ConversationRefRecord {
  conversationId: string;
  scope: ConversationScope;
  reference: Partial<ConversationReference>;
  teamId?: string;
  teamName?: string;
  channelId?: string;
  tenantId?: string;
  addedAt: string;
  /** False once a send was refused for good (uninstalled, blocked): skipped until installed again. */
  active: boolean;
  inactiveReason?: string;
  /** Subscribed to the daily 9:00 worklist reminder (working days). */
  worklistReminders?: boolean;
}

/** The cards the delivery runner sends; the features make them (dialogs/announcement-cards.ts). */
export interface Renderer {
  announcement(announcement: Announcement, now: Date): Partial<Activity>;
  summary(announcement: Announcement, summary: DeliverySummary): Partial<Activity>;
  reminder(reminder: Reminder): Partial<Activity>;
  worklist(date: string): Partial<Activity>;
  /** "Stage N starts now" for a downtime whose announcement asked for stage notices; none: not sent. */
  stageNotice?(downtime: DowntimeNow, now: Date): Partial<Activity>;
}

/** Short ids that a person can type back ("cancel announcement k3f9q2xd"); letters first so never masked as numbers. */
export function newId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(8);
  let id = alphabet[(bytes[0] ?? 0) % 23] ?? 'a';
  for (let i = 1; i < 8; i++) id += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return id;
}
