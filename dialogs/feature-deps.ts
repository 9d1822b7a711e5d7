import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { CurrentDowntime } from '../knowledge/announcements/current-downtime.js';
import type { AnnouncementInput } from '../knowledge/announcements/input.js';
import type {
  Announcement,
  CancelOutcome,
  ConversationRefRecord,
  Creator,
  Reminder,
} from '../knowledge/announcements/model.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { KnowledgeSearch } from '../knowledge/search.js';
import type { Clock } from '../knowledge/time/clock.js';

/**
 * What every feature's registration function is given. The features never import the host (bot/):
 * what they need from it (counts, records, claims, the announcement store, delivery) arrives here,
 * as the ports below, which bot/app.ts fills; no feature reads or writes storage itself. The host's Config has every setting of FeatureConfig.
 */
export interface FeatureDeps {
  config: FeatureConfig;
  clock: Clock;
  logger: Logger;
  kb: KnowledgeBase;
  search: KnowledgeSearch;
  /** The downtime the ICB has announced, at a given time; absent: downtime answers ask as before. */
  currentDowntime?: (now: Date) => Promise<CurrentDowntime>;
  /** Usage counts for the content owners (bot/insights/recorder.ts); absent in most tests. */
  insights?: TopicCounts;
  usage: UsageCounts;
  records: FeatureRecords;
  claims: Claims;
  /** Wakes the host's delivery runner: something is due now (bot/announcements/kick.ts). */
  delivery: { kick(): void };
  announcements: AnnouncementStore;
}

/** The settings features read (bot/config.ts parses them). */
export interface FeatureConfig {
  /** Where the guidance pages are served, without a trailing slash. */
  publicBaseUrl: string;
  announce: Readonly<{ announcers: readonly string[] }>;
  allowedTenants: readonly string[];
  retentionDays: number;
  dialogTimeoutMinutes: number;
}

/** Topics answered, counted for the insights page. */
export interface TopicCounts {
  countTopic(entryId: string, now: Date): void;
}

/** Answers per entry (bot/usage.ts), which order the message extension's opening list. */
export interface UsageCounts {
  /** Counted off the turn's path; a storage failure is logged by the host, never thrown. */
  record(entryId: string, now: Date): void;
  counts(): Promise<Readonly<Record<string, number>>>;
}

/** A "was this helpful?" answer: no text, only the entry rated. */
export interface FeedbackRecord {
  /** ISO 8601 time. */
  at: string;
  entryId: string;
  helpful: boolean;
  conversationType?: string;
}

/** A question the pack did not answer. */
export interface UnansweredRecord {
  /** ISO 8601 time. */
  at: string;
  /**
   * Only the pack's own words the question contained, never the question as typed: staff paste
   * patient details that no detector catches in full (names, phone numbers, addresses).
   */
  words: string[];
  confidence: 'close' | 'none';
  suggestions: string[];
}

/** Records kept for the content owners for the retention window (bot/storage/records.ts). */
export interface FeatureRecords {
  append(kind: 'feedback', record: FeedbackRecord, now: Date): Promise<void>;
  append(kind: 'unanswered', record: UnansweredRecord, now: Date): Promise<void>;
}

/** Work done once across instances: a lease-bound claim on a key (bot/storage/claims.ts). */
export interface Claims {
  /** Resolves false when someone else holds the key, or the work is done. */
  claim(key: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  complete(key: string, owner: string, now: Date): Promise<boolean>;
  release(key: string, owner: string): Promise<boolean>;
}

/** Announcements, reminders and the conversations the bot is in (bot/announcements/feature-store.ts). */
export interface AnnouncementStore {
  list(): Promise<Announcement[]>;
  get(id: string): Promise<Announcement | undefined>;
  /** Saves a new announcement; one due already wakes the delivery runner. */
  create(input: AnnouncementInput, createdBy: Creator, now: Date): Promise<Announcement>;
  cancel(id: string, now: Date): Promise<CancelOutcome>;
  /** Every conversation the bot is installed in: where "all" goes. */
  conversations(): Promise<ConversationRefRecord[]>;
  /** Turns the daily worklist reminder on or off for the activity's conversation; resolves whether it was on. */
  subscribeWorklist(activity: Partial<Activity>, on: boolean, now: Date): Promise<boolean>;
  reminders(): Promise<Reminder[]>;
  saveReminder(reminder: Reminder): Promise<void>;
  /** Resolves false when there is no such reminder of this user's to cancel. */
  cancelReminder(id: string, userId: string): Promise<boolean>;
}
