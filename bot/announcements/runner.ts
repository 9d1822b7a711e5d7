import type { Activity, ConversationReference, Storage } from 'botbuilder';
import pMap from 'p-map';
import type { Logger } from 'pino';
import type {
  Announcement,
  ConversationRefRecord,
  DeliveryOutcome,
  DeliveryResult,
  Reminder,
  Renderer,
} from '../../knowledge/announcements/model.js';
import {
  dueReminders,
  planAnnouncements,
  resolveTargets,
  stageNoticeDue,
  worklistDateDue,
} from '../../knowledge/announcements/planning.js';
import type { Clock } from '../../knowledge/time/clock.js';
import { claim, complete, readClaim, release } from '../storage/claims.js';
import { listConversationRefs, markInactive } from './conversation-refs.js';
import { listPendingReplies, type PendingReply, pendingReplyKey, updatePendingReply } from './pending-replies.js';
import { classifySendError, DEFAULT_BACKOFF, retryDelayMs, SendRateLimiter } from './send-policy.js';
import {
  deliveryKey,
  deliveryResult,
  listAnnouncements,
  listReminders,
  readDeliveries,
  reminderKey,
  renewClaim,
  setReminderStatus,
  stageNoticeKey,
  summarise,
  summaryKey,
  updateAnnouncement,
  worklistKey,
} from './store.js';

/**
 * Delivery of announcements and reminders: the runner that sends what the planning
 * (knowledge/announcements/planning.ts) says is due, paced and retried as send-policy.ts says; a small runner whose clock, sleep and sender are injected, so tests drive it without timers.
 *
 * Each target is sent at most once in the normal course: the delivery is claimed (a lease) in storage
 * before the send and completed right after it, so a second instance, or this one after a restart,
 * skips it. The one window left is at-least-once: if the process dies after the connector accepted the
 * post but before `complete` is written, the claim's lease runs out and the target is sent again. That
 * window is one storage write long; the lease is kept alive by a heartbeat while a send is in progress.
 */

export interface EngineOptions {
  perConversationPerSecond: number;
  globalPerSecond: number;
  /** Sends to one target, counting the first. */
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long a claim is held without a heartbeat: how soon a crashed instance's deliveries are retried. */
  leaseMs: number;
  concurrency: number;
  /** The worklist reminder time (London) and the last hour it is still sent after a late start. */
  worklistHour: number;
  worklistLastHour: number;
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  perConversationPerSecond: 7,
  globalPerSecond: 50,
  maxAttempts: 6,
  ...DEFAULT_BACKOFF,
  leaseMs: 10_000,
  concurrency: 8,
  worklistHour: 9,
  worklistLastHour: 12,
});

/** Where one message goes. With `createPersonalFor`, a 1:1 chat with that user is opened first. */
export interface SendTarget {
  conversationId: string;
  reference: Partial<ConversationReference>;
  createPersonalFor?: { user: { id: string; name?: string }; tenantId?: string };
}

/** Posts one activity; throws the connector's error (with `statusCode`) when the post is refused. */
export type Sender = (target: SendTarget, activity: Partial<Activity>) => Promise<void>;

export interface EngineDeps {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** This instance's name in the claims (unique per process). */
  owner: string;
  sender: Sender;
  render: Renderer;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Runs `fn` every `ms` until the returned stop is called; the lease heartbeat. */
  every?: (ms: number, fn: () => void) => () => void;
  options?: Partial<EngineOptions>;
}

export interface TickReport {
  sent: number;
  skipped: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));
const defaultEvery = (ms: number, fn: () => void) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export interface DeliveryRunner {
  /** One pass: starts due announcements, delivers what is outstanding, fires due reminders. */
  tick(): Promise<TickReport>;
  options: Readonly<EngineOptions>;
}

export function createDeliveryRunner(deps: EngineDeps): DeliveryRunner {
  const options: EngineOptions = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const every = deps.every ?? defaultEvery;
  const limiter = new SendRateLimiter(options.perConversationPerSecond, options.globalPerSecond);
  // p-map stops starting sends once one throws (a storage failure), so a failed pass leaves nothing running.
  const poolSize = Math.max(1, options.concurrency);
  const { storage, clock, logger, owner } = deps;

  async function acquireSlot(conversationId: string): Promise<void> {
    for (;;) {
      const now = clock.now().getTime();
      const wait = limiter.waitMs(conversationId, now);
      if (wait <= 0) {
        limiter.record(conversationId, now);
        return;
      }
      await sleep(wait);
    }
  }

  /**
   * Claim, send (with retries), complete. Resolves undefined when the delivery was not ours to make
   * (done already, or another instance holds it).
   */
  async function deliverOnce(
    key: string,
    target: SendTarget | undefined,
    activity: Partial<Activity>,
    conversationId: string,
  ): Promise<DeliveryResult | undefined> {
    if (!(await claim(storage, key, owner, clock.now(), options.leaseMs))) return undefined;
    let result: DeliveryResult;
    if (!target) {
      result = { outcome: 'inactive', attempts: 0, error: 'not installed' };
    } else {
      const renew = () => {
        renewClaim(storage, key, owner, new Date(clock.now().getTime() + options.leaseMs)).catch(() => undefined);
      };
      const stop = every(Math.max(1, Math.floor(options.leaseMs / 3)), renew);
      try {
        result = await sendWithRetries(target, activity, conversationId, renew);
      } finally {
        stop();
      }
    }
    if (!(await complete(storage, key, owner, result, clock.now()))) {
      logger.warn(
        { event: 'delivery.lease-lost', key },
        'a delivery outlived its lease: the target may get two copies',
      );
    }
    if (result.outcome === 'inactive') await markInactive(storage, conversationId, result.error ?? 'refused');
    return result;
  }

  async function sendWithRetries(
    target: SendTarget,
    activity: Partial<Activity>,
    conversationId: string,
    renew: () => void,
  ): Promise<DeliveryResult> {
    for (let attempt = 1; ; attempt++) {
      await acquireSlot(conversationId);
      try {
        await deps.sender(target, activity);
        return { outcome: 'delivered', attempts: attempt };
      } catch (err: unknown) {
        const why = classifySendError(err, clock.now());
        if (why.kind === 'inactive') return { outcome: 'inactive', attempts: attempt, error: why.code };
        if (why.kind === 'failed' || attempt >= options.maxAttempts) {
          logger.warn({ event: 'delivery.failed', code: why.code, attempt }, 'a delivery failed');
          return { outcome: 'failed', attempts: attempt, error: why.code };
        }
        const wait = retryDelayMs(attempt, why.retryAfterMs, random(), options);
        logger.info({ event: 'delivery.retry', code: why.code, attempt, waitMs: wait }, 'retrying a delivery');
        renew();
        await sleep(wait);
      }
    }
  }

  function targetFor(ref: ConversationRefRecord | undefined): SendTarget | undefined {
    if (!ref?.active) return undefined;
    return { conversationId: ref.conversationId, reference: ref.reference };
  }

  async function startAnnouncement(id: string, refs: readonly ConversationRefRecord[]): Promise<void> {
    const now = clock.now();
    await updateAnnouncement(storage, id, (a) =>
      a.status === 'scheduled'
        ? { ...a, status: 'sending', sendingAt: now.toISOString(), resolvedTargets: resolveTargets(a, refs) }
        : undefined,
    );
  }

  async function deliverAnnouncement(
    announcement: Announcement,
    refs: ReadonlyMap<string, ConversationRefRecord>,
    report: TickReport,
  ): Promise<void> {
    const targets = announcement.resolvedTargets ?? [];
    const before = await readDeliveries(storage, announcement.id, targets);
    const outstanding = targets.filter((t) => before.get(t)?.state !== 'done');
    const activity = deps.render.announcement(announcement, clock.now());
    await pMap(
      outstanding,
      async (conversationId) => {
        const result = await deliverOnce(
          deliveryKey(announcement.id, conversationId),
          targetFor(refs.get(conversationId)),
          activity,
          conversationId,
        );
        if (result) report.sent++;
        else report.skipped++;
      },
      { concurrency: poolSize },
    );
    const after = await readDeliveries(storage, announcement.id, targets);
    const summary = summarise(after, targets);
    if (summary.pending > 0) return;
    const finished = await updateAnnouncement(storage, announcement.id, (a) =>
      a.status === 'sending' ? { ...a, status: 'sent', finishedAt: clock.now().toISOString(), summary } : undefined,
    );
    const creator = finished?.createdBy;
    if (creator?.via !== 'chat' || !finished) return;
    await deliverOnce(
      summaryKey(announcement.id),
      { conversationId: creator.reference.conversation?.id ?? '', reference: creator.reference },
      deps.render.summary(finished, summary),
      creator.reference.conversation?.id ?? 'summary',
    );
  }

  async function fireReminder(reminder: Reminder, report: TickReport): Promise<void> {
    const key = reminderKey(reminder.id);
    const conversationId = reminder.reference.conversation?.id ?? reminder.id;
    const personal = reminder.reference.conversation?.conversationType === 'personal';
    const target: SendTarget = {
      conversationId,
      reference: reminder.reference,
      ...(personal ? {} : { createPersonalFor: { user: reminder.user, tenantId: reminder.tenantId } }),
    };
    const result = await deliverOnce(key, target, deps.render.reminder(reminder), conversationId);
    if (result) report.sent++;
    else report.skipped++;
    // Also settles a reminder whose claim was completed by an instance that stopped before this write.
    const outcome = result?.outcome ?? deliveryResult(await readClaim(storage, key))?.outcome;
    if (outcome) await setReminderStatus(storage, reminder.id, outcome === 'delivered' ? 'sent' : 'failed');
  }

  async function sendWorklist(date: string, refs: readonly ConversationRefRecord[], report: TickReport) {
    const subscribed = refs.filter(
      (r) => r.active && r.worklistReminders && !worklistDone.has(worklistKey(date, r.conversationId)),
    );
    if (subscribed.length === 0) return;
    const activity = deps.render.worklist(date);
    await pMap(
      subscribed,
      async (ref) => {
        const key = worklistKey(date, ref.conversationId);
        const result = await deliverOnce(key, targetFor(ref), activity, ref.conversationId);
        if (result) report.sent++;
        // Done here or by another instance: either way not worth another storage read today.
        if (result || (await readClaim(storage, key))?.state === 'done') worklistDone.add(key);
      },
      { concurrency: poolSize },
    );
  }

  async function sendStageNotices(report: TickReport): Promise<void> {
    const render = deps.render.stageNotice;
    if (!render) return;
    const due = stageNoticeDue(await listAnnouncements(storage), clock.now());
    if (!due) return;
    const { announcement, stage } = due;
    const pending = (announcement.resolvedTargets ?? []).filter(
      (c) => !noticesDone.has(stageNoticeKey(announcement.id, stage, c)),
    );
    if (pending.length === 0) return;
    const refs = new Map((await listConversationRefs(storage)).map((r) => [r.conversationId, r]));
    const activity = render(due.downtime, clock.now());
    await pMap(
      pending,
      async (conversationId) => {
        const key = stageNoticeKey(announcement.id, stage, conversationId);
        const result = await deliverOnce(key, targetFor(refs.get(conversationId)), activity, conversationId);
        if (result) report.sent++;
        else report.skipped++;
        if (result || (await readClaim(storage, key))?.state === 'done') noticesDone.add(key);
      },
      { concurrency: poolSize },
    );
  }

  /**
   * Replies Teams throttled during their turn (pending-replies.ts): each is claimed, so it is sent
   * once however many instances run; one try per pass, so a long Retry-After holds up nothing else;
   * dropped, with a log line, once it is older than its expiry.
   */
  async function sendPendingReplies(report: TickReport): Promise<void> {
    for (const pending of await listPendingReplies(storage)) {
      const now = clock.now();
      if (Date.parse(pending.expiresAt) <= now.getTime()) {
        await updatePendingReply(storage, pending.id, () => null);
        // The kind only: the reply itself is not logged.
        logger.warn(
          { event: 'reply.pending.dropped', reason: 'expired', attempts: pending.attempts },
          'a throttled reply was dropped: it could not be sent in time',
        );
        continue;
      }
      if (Date.parse(pending.notBefore) > now.getTime()) continue;
      const key = pendingReplyKey(pending.id);
      if (!(await claim(storage, key, owner, now, options.leaseMs))) continue;
      const outcome = await sendPendingReply(pending);
      if (outcome.kind === 'retry') {
        await release(storage, key, owner);
        report.skipped++;
        continue;
      }
      const attempts = pending.attempts + 1;
      const result: DeliveryResult =
        outcome.kind === 'delivered'
          ? { outcome: 'delivered', attempts }
          : { outcome: outcome.kind, attempts, error: outcome.code };
      await complete(storage, key, owner, result, clock.now());
      await updatePendingReply(storage, pending.id, () => null);
      if (outcome.kind === 'delivered') report.sent++;
      else {
        logger.warn({ event: 'reply.pending.failed', code: outcome.code }, 'a throttled reply could not be sent');
        if (outcome.kind === 'inactive') await markInactive(storage, pending.conversationId, outcome.code);
      }
    }
  }

  /** Sends what is left of one pending reply, recording each activity as it goes. */
  async function sendPendingReply(
    pending: PendingReply,
  ): Promise<{ kind: 'delivered' } | { kind: 'retry' | 'inactive' | 'failed'; code: string }> {
    const target: SendTarget = { conversationId: pending.conversationId, reference: pending.reference };
    for (let sent = pending.sent; sent < pending.activities.length; sent++) {
      await acquireSlot(pending.conversationId);
      try {
        await deps.sender(target, pending.activities[sent] as Partial<Activity>);
      } catch (err: unknown) {
        const why = classifySendError(err, clock.now());
        if (why.kind !== 'retry') return why;
        const attempts = pending.attempts + 1;
        const wait = retryDelayMs(attempts, why.retryAfterMs, random(), options);
        await updatePendingReply(storage, pending.id, (current) =>
          current
            ? { ...current, sent, attempts, notBefore: new Date(clock.now().getTime() + wait).toISOString() }
            : undefined,
        );
        logger.info(
          { event: 'reply.pending.retry', code: why.code, attempts, waitMs: wait },
          'a throttled reply waits',
        );
        return why;
      }
      if (sent + 1 < pending.activities.length) {
        const done = sent + 1;
        await updatePendingReply(storage, pending.id, (current) => (current ? { ...current, sent: done } : undefined));
      }
    }
    return { kind: 'delivered' };
  }

  let running: Promise<TickReport> | undefined;
  let again = false;
  const worklistDone = new Set<string>();
  const noticesDone = new Set<string>();

  async function tickOnce(): Promise<TickReport> {
    const report: TickReport = { sent: 0, skipped: 0 };
    const now = clock.now();
    let refs = await listConversationRefs(storage);
    const steps = planAnnouncements(await listAnnouncements(storage), now);
    for (const step of steps) {
      if (step.kind === 'start') await startAnnouncement(step.id, refs);
      if (step.kind === 'expire') {
        await updateAnnouncement(storage, step.id, (a) =>
          a.status === 'scheduled' ? { ...a, status: 'expired', finishedAt: now.toISOString() } : undefined,
        );
      }
    }
    if (steps.some((s) => s.kind !== 'expire')) {
      for (const a of await listAnnouncements(storage)) {
        if (a.status !== 'sending') continue;
        refs = await listConversationRefs(storage);
        await deliverAnnouncement(a, new Map(refs.map((r) => [r.conversationId, r])), report);
      }
    }
    await sendStageNotices(report);
    await sendPendingReplies(report);
    for (const reminder of dueReminders(await listReminders(storage), clock.now())) {
      await fireReminder(reminder, report);
    }
    const date = worklistDateDue(clock.now(), options);
    if (date) await sendWorklist(date, await listConversationRefs(storage), report);
    return report;
  }

  return {
    options,
    tick() {
      // One pass at a time keeps the limiter honest; a tick asked for during a pass runs right after it,
      // so an announcement saved mid-pass is not left for the next timer.
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let report: TickReport;
        do {
          again = false;
          report = await tickOnce();
        } while (again);
        return report;
      })().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

export type { DeliveryOutcome };
