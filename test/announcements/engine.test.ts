import { type Activity, MemoryStorage, type Storage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { applyRefChange, listConversationRefs, refChangeFor } from '../../bot/announcements/conversation-refs.js';
import { createDeliveryRunner, type EngineOptions, type SendTarget } from '../../bot/announcements/runner.js';
import { classifySendError, retryDelayMs, SendRateLimiter } from '../../bot/announcements/send-policy.js';
import { deliveryKey, getAnnouncement, saveAnnouncement, saveReminder } from '../../bot/announcements/store.js';
import { claim, complete } from '../../bot/storage/claims.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { createRenderer } from '../../dialogs/announcement-cards.js';
import type { Announcement, Reminder } from '../../knowledge/announcements/model.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { silentLogger } from '../helpers/setup.js';

const NOW = '2026-11-09T10:00:00Z'; // Monday
const kb = loadKnowledge();

function install(id: string, conversationType = 'channel'): Partial<Activity> {
  return {
    type: 'installationUpdate',
    action: 'add',
    serviceUrl: 'http://connector.invalid/',
    channelId: 'msteams',
    conversation: { id, conversationType, tenantId: 't', isGroup: conversationType !== 'personal', name: id },
    recipient: { id: '28:bot', name: 'bot' },
    from: { id: '29:u', name: 'u' },
    channelData:
      conversationType === 'channel' ? { team: { id, name: id }, tenant: { id: 't' } } : { tenant: { id: 't' } },
  };
}

async function installAll(storage: Storage, ids: string[], type = 'channel') {
  for (const id of ids) await applyRefChange(storage, refChangeFor(install(id, type), new Date(NOW)));
}

function announcement(over: Partial<Announcement> = {}): Announcement {
  return {
    id: over.id ?? 'annaaaaa',
    kind: 'general',
    title: 'Test announcement',
    message: 'Hello practices',
    sendAt: NOW,
    targets: 'all',
    createdBy: { via: 'api' },
    createdAt: NOW,
    status: 'scheduled',
    ...over,
  };
}

interface Sent {
  to: string;
  at: number;
  activity: Partial<Activity>;
}

/** A runner on virtual time: sleeping moves the clock, so no test waits for real. */
function harness(
  options: {
    storage?: Storage;
    owner?: string;
    fail?: (target: SendTarget, attempt: number) => unknown;
    engine?: Partial<EngineOptions>;
    now?: string;
  } = {},
) {
  const storage = options.storage ?? new ListableMemoryStorage();
  const clock = fixedClock(options.now ?? NOW);
  const sent: Sent[] = [];
  const attempts = new Map<string, number[]>();
  const runner = createDeliveryRunner({
    storage,
    clock,
    logger: silentLogger(),
    owner: options.owner ?? 'instance-1',
    render: createRenderer(kb),
    random: () => 0.5,
    sleep: async (ms) => {
      clock.set(new Date(clock.now().getTime() + ms));
    },
    every: () => () => undefined,
    options: options.engine,
    sender: async (target, activity) => {
      const list = attempts.get(target.conversationId) ?? [];
      list.push(clock.now().getTime());
      attempts.set(target.conversationId, list);
      const failure = options.fail?.(target, list.length);
      if (failure) throw failure;
      sent.push({ to: target.conversationId, at: clock.now().getTime(), activity });
    },
  });
  return { storage, clock, sent, attempts, runner };
}

function restError(statusCode: number, code: string, retryAfter?: string) {
  return Object.assign(new Error(JSON.stringify({ error: { code } })), {
    name: 'RestError',
    statusCode,
    code,
    response: { headers: { get: (h: string) => (h === 'retry-after' ? retryAfter : undefined) } },
  });
}

function maxInWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && (sorted[j] ?? 0) < (sorted[i] ?? 0) + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe('an ICB announcement sent to the practices where the bot is installed', () => {
  test('goes once to each team and group chat, not to 1:1 chats, and a second pass sends nothing', async () => {
    const h = harness();
    await installAll(h.storage, ['team-a', 'team-b']);
    await installAll(h.storage, ['group-1'], 'groupChat');
    await installAll(h.storage, ['personal-1'], 'personal');
    await saveAnnouncement(h.storage, announcement());
    await h.runner.tick();
    await h.runner.tick();
    expect(h.sent.map((s) => s.to).sort()).toEqual(['group-1', 'team-a', 'team-b']);
    const saved = await getAnnouncement(h.storage, 'annaaaaa');
    expect(saved?.status).toBe('sent');
    expect(saved?.summary).toEqual({ delivered: 3, failed: 0, inactive: 0, pending: 0 });
  });

  test('is not sent before its send time, and is sent on the first pass after it', async () => {
    const h = harness();
    await installAll(h.storage, ['team-a']);
    await saveAnnouncement(h.storage, announcement({ sendAt: '2026-11-09T10:05:00Z' }));
    await h.runner.tick();
    expect(h.sent).toHaveLength(0);
    h.clock.set('2026-11-09T10:05:01Z');
    await h.runner.tick();
    expect(h.sent).toHaveLength(1);
  });

  test('a cancelled one is never sent, and a planned downtime already over when the bot starts is expired', async () => {
    const h = harness();
    await installAll(h.storage, ['team-a']);
    await saveAnnouncement(h.storage, announcement({ id: 'cancelld', status: 'cancelled' }));
    await saveAnnouncement(
      h.storage,
      announcement({
        id: 'expiredd',
        kind: 'planned-downtime',
        sendAt: '2026-11-08T09:00:00Z',
        startsAt: '2026-11-08T18:00:00Z',
        endsAt: '2026-11-08T20:00:00Z',
      }),
    );
    await h.runner.tick();
    expect(h.sent).toHaveLength(0);
    expect((await getAnnouncement(h.storage, 'expiredd'))?.status).toBe('expired');
  });

  test('keeps to 50 sends a second in all and 7 a second per conversation', async () => {
    const h = harness();
    const teams = Array.from({ length: 130 }, (_, i) => `team-${String(i).padStart(3, '0')}`);
    await installAll(h.storage, teams);
    await saveAnnouncement(h.storage, announcement());
    // Ten announcements to one conversation at once: the per-conversation limit applies.
    for (let i = 0; i < 10; i++) {
      await saveAnnouncement(h.storage, announcement({ id: `onechat${i}`, targets: ['team-000'] }));
    }
    await h.runner.tick();
    expect(h.sent).toHaveLength(140);
    expect(maxInWindow(h.sent.map((s) => s.at))).toBeLessThanOrEqual(50);
    expect(maxInWindow(h.sent.filter((s) => s.to === 'team-000').map((s) => s.at))).toBeLessThanOrEqual(7);
    const span = Math.max(...h.sent.map((s) => s.at)) - Math.min(...h.sent.map((s) => s.at));
    expect(span).toBeGreaterThanOrEqual(2000);
  });
});

describe('when Teams refuses a send', () => {
  test('a 429 is retried no sooner than its Retry-After, then delivered once', async () => {
    const h = harness({
      fail: (t, n) => (t.conversationId === 'team-a' && n <= 2 ? restError(429, 'TooManyRequests', '5') : undefined),
    });
    await installAll(h.storage, ['team-a', 'team-b']);
    await saveAnnouncement(h.storage, announcement());
    await h.runner.tick();
    const times = h.attempts.get('team-a') ?? [];
    expect(times).toHaveLength(3);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(5000);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(5000);
    expect(h.sent.filter((s) => s.to === 'team-a')).toHaveLength(1);
  });

  test('502, 504 and 412 are retried with growing backoff; a 400 is not retried', async () => {
    const codes = [502, 504, 412];
    const h = harness({
      fail: (t, n) => {
        if (t.conversationId === 'team-a' && n <= 3) return restError(codes[n - 1] ?? 500, 'Transient');
        if (t.conversationId === 'team-b') return restError(400, 'BadArgument');
        return undefined;
      },
    });
    await installAll(h.storage, ['team-a', 'team-b']);
    await saveAnnouncement(h.storage, announcement());
    await h.runner.tick();
    const times = h.attempts.get('team-a') ?? [];
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
    expect(gaps[2]).toBeGreaterThan(gaps[1] ?? 0);
    expect(h.attempts.get('team-b')).toHaveLength(1);
    expect((await getAnnouncement(h.storage, 'annaaaaa'))?.summary).toEqual({
      delivered: 1,
      failed: 1,
      inactive: 0,
      pending: 0,
    });
  });

  test('gives up after the attempt limit and reports the target as failed', async () => {
    const h = harness({ fail: () => restError(503, 'ServiceUnavailable'), engine: { maxAttempts: 3 } });
    await installAll(h.storage, ['team-a']);
    await saveAnnouncement(h.storage, announcement());
    await h.runner.tick();
    expect(h.attempts.get('team-a')).toHaveLength(3);
    expect((await getAnnouncement(h.storage, 'annaaaaa'))?.summary?.failed).toBe(1);
  });

  test('a 403 MessageWritesBlocked or 404 marks the conversation inactive, and later announcements skip it', async () => {
    const h = harness({
      fail: (t) =>
        t.conversationId === 'team-a'
          ? restError(403, 'MessageWritesBlocked')
          : t.conversationId === 'team-b'
            ? restError(404, 'ConversationNotFound')
            : undefined,
    });
    await installAll(h.storage, ['team-a', 'team-b', 'team-c']);
    await saveAnnouncement(h.storage, announcement());
    await h.runner.tick();
    expect(h.attempts.get('team-a')).toHaveLength(1);
    expect((await getAnnouncement(h.storage, 'annaaaaa'))?.summary).toEqual({
      delivered: 1,
      failed: 0,
      inactive: 2,
      pending: 0,
    });
    const refs = await listConversationRefs(h.storage);
    expect(refs.filter((r) => !r.active).map((r) => r.conversationId)).toEqual(['team-a', 'team-b']);
    await saveAnnouncement(h.storage, announcement({ id: 'secondaa' }));
    await h.runner.tick();
    expect(h.attempts.get('team-a')).toHaveLength(1);
    expect(h.sent.filter((s) => s.to === 'team-c')).toHaveLength(2);
  });

  test('an explicit target the bot is not installed in is reported inactive without a send', async () => {
    const h = harness();
    await installAll(h.storage, ['team-a']);
    await saveAnnouncement(h.storage, announcement({ targets: ['team-a', 'nowhere'] }));
    await h.runner.tick();
    expect(h.sent.map((s) => s.to)).toEqual(['team-a']);
    expect((await getAnnouncement(h.storage, 'annaaaaa'))?.summary?.inactive).toBe(1);
  });
});

describe('after a crash mid-delivery', () => {
  test('delivered targets are not sent again, and one claimed by the dead instance is sent once its lease expires', async () => {
    const storage = new MemoryStorage();
    const dead = harness({ storage, owner: 'dead' });
    await installAll(storage, ['team-a', 'team-b', 'team-c']);
    await saveAnnouncement(
      storage,
      announcement({ status: 'sending', resolvedTargets: ['team-a', 'team-b', 'team-c'] }),
    );
    // The dead instance delivered team-a, and had claimed team-b when it died.
    const t0 = new Date(NOW);
    expect(await claim(storage, deliveryKey('annaaaaa', 'team-a'), 'dead', t0, 10_000)).toBe(true);
    expect(
      await complete(storage, deliveryKey('annaaaaa', 'team-a'), 'dead', { outcome: 'delivered', attempts: 1 }, t0),
    ).toBe(true);
    expect(await claim(storage, deliveryKey('annaaaaa', 'team-b'), 'dead', t0, 10_000)).toBe(true);
    expect(dead.sent).toHaveLength(0);

    const restarted = harness({ storage, owner: 'restarted' });
    await restarted.runner.tick();
    expect(restarted.sent.map((s) => s.to)).toEqual(['team-c']);
    expect((await getAnnouncement(storage, 'annaaaaa'))?.status).toBe('sending');

    restarted.clock.set(new Date(t0.getTime() + 10_001));
    await restarted.runner.tick();
    await restarted.runner.tick();
    expect(restarted.sent.map((s) => s.to).sort()).toEqual(['team-b', 'team-c']);
    const saved = await getAnnouncement(storage, 'annaaaaa');
    expect(saved?.status).toBe('sent');
    expect(saved?.summary).toEqual({ delivered: 3, failed: 0, inactive: 0, pending: 0 });
  });

  test('a storage failure mid-pass stops new sends at once; the next pass sends the rest, each once', async () => {
    const storage = new ListableMemoryStorage();
    const teams = Array.from({ length: 6 }, (_, i) => `team-${i}`);
    const deliveryKeys = new Set(teams.map((t) => deliveryKey('annaaaaa', t)));
    let failNext = false;
    const write = storage.write.bind(storage);
    storage.write = async (changes) => {
      if (failNext && Object.keys(changes).some((key) => deliveryKeys.has(key))) {
        failNext = false;
        throw new Error('disk full');
      }
      return write(changes);
    };
    const h = harness({ storage, engine: { concurrency: 2 } });
    await installAll(storage, teams);
    await saveAnnouncement(storage, announcement());
    failNext = true;
    await expect(h.runner.tick()).rejects.toThrow('disk full');
    // Lets anything the failed pass left running settle: it may finish the one send in flight, no more.
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    expect(h.sent.length).toBeLessThanOrEqual(1);
    await h.runner.tick();
    expect(h.sent.map((s) => s.to).sort()).toEqual(teams);
  });

  test('two instances ticking at once deliver each target once in all', async () => {
    const storage = new MemoryStorage();
    const a = harness({ storage, owner: 'a' });
    const b = harness({ storage, owner: 'b' });
    await installAll(
      storage,
      Array.from({ length: 20 }, (_, i) => `team-${i}`),
    );
    await saveAnnouncement(storage, announcement());
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    const all = [...a.sent, ...b.sent].map((s) => s.to).sort();
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
  });
});

describe('reminders', () => {
  const reminder = (over: Partial<Reminder> = {}): Reminder => ({
    id: 'remaaaaa',
    userId: 'u-1',
    label: '2WW deferral, check booked',
    date: '2026-11-10',
    dueAt: '2026-11-10T09:00:00Z',
    createdAt: NOW,
    status: 'scheduled',
    reference: { conversation: { id: 'personal-u1', conversationType: 'personal', isGroup: false, name: '' } },
    user: { id: '29:u' },
    ...over,
  });

  test('a reminder fires once at 9:00 on its day, even with two instances', async () => {
    const storage = new MemoryStorage();
    const a = harness({ storage, owner: 'a' });
    const b = harness({ storage, owner: 'b' });
    await saveReminder(storage, reminder());
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    expect(a.sent.length + b.sent.length).toBe(0);
    a.clock.set('2026-11-10T09:00:00Z');
    b.clock.set('2026-11-10T09:00:00Z');
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    const sent = [...a.sent, ...b.sent];
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.activity)).toContain('2WW deferral, check booked');
  });

  test('a channel subscribed to worklist reminders gets one at 9:00 on a working day, none at the weekend', async () => {
    const h = harness({ now: '2026-11-14T09:00:00Z' }); // Saturday
    await installAll(h.storage, ['team-a', 'team-b']);
    const refs = await listConversationRefs(h.storage);
    await applyRefChange(h.storage, {
      kind: 'add',
      record: { ...(refs[0] as (typeof refs)[number]), worklistReminders: true },
    });
    await h.runner.tick();
    expect(h.sent).toHaveLength(0);
    h.clock.set('2026-11-16T08:59:00Z'); // Monday, before 9
    await h.runner.tick();
    expect(h.sent).toHaveLength(0);
    h.clock.set('2026-11-16T09:00:05Z');
    await h.runner.tick();
    h.clock.set('2026-11-16T09:30:00Z');
    await h.runner.tick();
    expect(h.sent.map((s) => s.to)).toEqual(['team-a']);
    expect(JSON.stringify(h.sent[0]?.activity)).toContain('Referrals pending external action');
  });
});

describe('the pure parts', () => {
  test('classifies connector errors', () => {
    const now = new Date(NOW);
    expect(classifySendError(restError(429, 'TooManyRequests', '2'), now)).toEqual({
      kind: 'retry',
      retryAfterMs: 2000,
      code: '429 TooManyRequests',
    });
    expect(classifySendError(restError(403, 'MessageWritesBlocked'), now).kind).toBe('inactive');
    expect(classifySendError(restError(403, 'Forbidden'), now).kind).toBe('failed');
    expect(classifySendError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), now).kind).toBe('retry');
  });

  test('backoff grows, is capped, and never undercuts Retry-After', () => {
    expect(retryDelayMs(1, undefined, 0)).toBe(500);
    expect(retryDelayMs(3, undefined, 1)).toBe(4000);
    expect(retryDelayMs(20, undefined, 1)).toBe(30_000);
    expect(retryDelayMs(1, 7000, 0.5)).toBe(7000);
  });

  test('the limiter says how long to wait', () => {
    const limiter = new SendRateLimiter(2, 3);
    limiter.record('a', 0);
    limiter.record('a', 100);
    expect(limiter.waitMs('a', 200)).toBe(800);
    expect(limiter.waitMs('b', 200)).toBe(0);
    limiter.record('b', 200);
    expect(limiter.waitMs('c', 300)).toBe(700);
    expect(limiter.waitMs('c', 1000)).toBe(0);
  });
});
