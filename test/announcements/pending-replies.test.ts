import type { Activity, Storage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { listPendingReplies, type PendingReply, updatePendingReply } from '../../bot/announcements/pending-replies.js';
import { createDeliveryRunner, type SendTarget } from '../../bot/announcements/runner.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { createRenderer } from '../../dialogs/announcement-cards.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { captureLogs } from '../helpers/setup.js';

const NOW = '2026-11-09T10:00:00Z';
const kb = loadKnowledge();

function throttled(retryAfter: string) {
  return Object.assign(new Error('throttled'), {
    name: 'RestError',
    statusCode: 429,
    code: 'TooManyRequests',
    response: { headers: { get: (h: string) => (h === 'retry-after' ? retryAfter : undefined) } },
  });
}

function pending(over: Partial<PendingReply> = {}): PendingReply {
  const at = Date.parse(NOW);
  return {
    id: 'pendaaaa',
    conversationId: 'conv-1',
    reference: { conversation: { id: 'conv-1', conversationType: 'personal', isGroup: false, name: '' } },
    activities: [{ type: 'message', text: 'The answer to the question' }],
    sent: 0,
    attempts: 1,
    queuedAt: NOW,
    notBefore: new Date(at + 30_000).toISOString(),
    expiresAt: new Date(at + 3_600_000).toISOString(),
    ...over,
  };
}

/** A runner on a clock moved by hand; `fail` decides each send (undefined: it goes through). */
function runner(
  storage: Storage,
  clock: ReturnType<typeof fixedClock>,
  owner: string,
  sent: { text?: string; owner: string }[],
  fail: (n: number) => unknown = () => undefined,
  logger = captureLogs('debug').logger,
) {
  let n = 0;
  return createDeliveryRunner({
    storage,
    clock,
    logger,
    owner,
    render: createRenderer(kb),
    random: () => 0.5,
    sleep: async (ms) => {
      clock.set(new Date(clock.now().getTime() + ms));
    },
    every: () => () => undefined,
    sender: async (_target: SendTarget, activity: Partial<Activity>) => {
      n += 1;
      const failure = fail(n);
      if (failure) throw failure;
      sent.push({ text: activity.text, owner });
    },
  });
}

const later = (clock: ReturnType<typeof fixedClock>, ms: number) => clock.set(new Date(Date.parse(NOW) + ms));

describe('a reply kept because Teams throttled it', () => {
  test('is not sent before its Retry-After, then sent once, and forgotten', async () => {
    const storage = new ListableMemoryStorage();
    const clock = fixedClock(NOW);
    const sent: { text?: string; owner: string }[] = [];
    const r = runner(storage, clock, 'a', sent);
    await updatePendingReply(storage, 'pendaaaa', () => pending());
    await r.tick();
    later(clock, 29_000);
    await r.tick();
    expect(sent).toHaveLength(0);
    later(clock, 30_000);
    await r.tick();
    await r.tick();
    expect(sent.map((s) => s.text)).toEqual(['The answer to the question']);
    expect(await listPendingReplies(storage)).toEqual([]);
  });

  test('two instances sharing the storage send it once', async () => {
    const storage = new ListableMemoryStorage();
    const clock = fixedClock(NOW);
    const sent: { text?: string; owner: string }[] = [];
    await updatePendingReply(storage, 'pendaaaa', () => pending());
    later(clock, 31_000);
    const a = runner(storage, clock, 'a', sent);
    const b = runner(storage, clock, 'b', sent);
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    await Promise.all([a.tick(), b.tick()]);
    expect(sent).toHaveLength(1);
  });

  test('throttled again, it waits out the new Retry-After before the next try', async () => {
    const storage = new ListableMemoryStorage();
    const clock = fixedClock(NOW);
    const sent: { text?: string; owner: string }[] = [];
    const r = runner(storage, clock, 'a', sent, (n) => (n === 1 ? throttled('120') : undefined));
    await updatePendingReply(storage, 'pendaaaa', () => pending());
    later(clock, 30_000);
    await r.tick();
    const [waiting] = await listPendingReplies(storage);
    expect(waiting?.notBefore).toBe(new Date(Date.parse(NOW) + 150_000).toISOString());
    expect(waiting?.attempts).toBe(2);
    later(clock, 149_000);
    await r.tick();
    expect(sent).toHaveLength(0);
    later(clock, 150_000);
    await r.tick();
    expect(sent).toHaveLength(1);
  });

  test('of several activities, one throttled halfway: those sent are not sent again', async () => {
    const storage = new ListableMemoryStorage();
    const clock = fixedClock(NOW);
    const sent: { text?: string; owner: string }[] = [];
    const r = runner(storage, clock, 'a', sent, (n) => (n === 2 ? throttled('5') : undefined));
    await updatePendingReply(storage, 'pendaaaa', () =>
      pending({
        activities: [
          { type: 'message', text: 'warning' },
          { type: 'message', text: 'answer' },
        ],
      }),
    );
    later(clock, 30_000);
    await r.tick();
    expect(sent.map((s) => s.text)).toEqual(['warning']);
    later(clock, 60_000);
    await r.tick();
    await r.tick();
    expect(sent.map((s) => s.text)).toEqual(['warning', 'answer']);
  });

  test('still unsent after an hour, it is dropped with a log line naming only the kind', async () => {
    const storage = new ListableMemoryStorage();
    const clock = fixedClock(NOW);
    const sent: { text?: string; owner: string }[] = [];
    const logs = captureLogs('debug');
    const r = runner(storage, clock, 'a', sent, () => throttled('30'), logs.logger);
    await updatePendingReply(storage, 'pendaaaa', () => pending());
    for (let t = 30_000; t <= 3_600_000; t += 60_000) {
      later(clock, t);
      await r.tick();
    }
    later(clock, 3_600_000);
    await r.tick();
    expect(sent).toHaveLength(0);
    expect(await listPendingReplies(storage)).toEqual([]);
    const dropped = logs.lines().filter((l) => l.event === 'reply.pending.dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.reason).toBe('expired');
    expect(logs.raw()).not.toContain('The answer to the question');
    expect(logs.raw()).not.toContain('conv-1');
  });
});
