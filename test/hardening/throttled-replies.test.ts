import { afterEach, describe, expect, test } from 'vitest';
import { createAdapter } from '../../bot/adapter.js';
import type { DeliveryKick } from '../../bot/announcements/kick.js';
import { listPendingReplies } from '../../bot/announcements/pending-replies.js';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { createServer } from '../../bot/server.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { apologyText } from '../../bot/turn-errors.js';
import { PII_WARNING } from '../../knowledge/safety/pii.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { type Connector, message, post, readable, settle, startConnector } from '../helpers/botwire.js';
import { testDeps } from '../helpers/knowledge.js';
import { captureLogs, DEFAULT_NOW } from '../helpers/setup.js';

// Security review L2: with 4 × 429 in a row for one conversation, the answer was dropped and only
// the apology was attempted. The reply is now kept and sent later, once, after Retry-After.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function throttledBot() {
  const logs = captureLogs('debug');
  const connector = await startConnector();
  cleanups.push(() => connector.close());
  const config = loadConfig({ PORT: '0' });
  const storage = new ListableMemoryStorage();
  const clock = fixedClock(DEFAULT_NOW);
  const deps = testDeps({ storage, clock, logger: logs.logger });
  // A short budget: each connector call is cut off during its first 1 s Retry-After wait.
  const adapter = createAdapter(config, { outboundBudgetMs: 300 });
  const server = createServer(config, deps, { app: createApp(config, { ...deps, adapter }), adapter });
  const base = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close());
  return { url: `${base}/api/messages`, connector, storage, clock, logs, delivery: deps.delivery };
}

/** Moves the bot's clock on a minute and wakes its delivery runner, until `conv` has `n` replies. */
async function deliverLater(
  bot: { connector: Connector; delivery: DeliveryKick; clock: ReturnType<typeof fixedClock> },
  conv: string,
  n: number,
) {
  for (let i = 0; i < 20 && bot.connector.received(conv).length < n; i++) {
    bot.clock.set(new Date(bot.clock.now().getTime() + 60_000));
    bot.delivery.kick();
    await settle(bot.connector, conv, 100, 1_000);
  }
  // Any further pass must not send it again.
  bot.clock.set(new Date(bot.clock.now().getTime() + 60_000));
  bot.delivery.kick();
  return settle(bot.connector, conv, 300, 2_000);
}

describe('a reply Teams throttles past the outbound budget (L2)', () => {
  test('is kept, sent once after the throttling ends, and no apology is sent', async () => {
    const bot = await throttledBot();
    const conv = 'l2-throttled';
    // The turn's try, then two more tries by the runner, all 429; the fourth try goes through.
    bot.connector.failNext(conv, 4);
    const res = await post(
      bot.url,
      message('how do I defer a referral', { conversationId: conv, serviceUrl: bot.connector.url }),
    );
    expect(res.status).toBe(200);
    expect(bot.connector.received(conv)).toHaveLength(0);
    expect(await listPendingReplies(bot.storage)).toHaveLength(1);

    const replies = await deliverLater(bot, conv, 1);
    expect(replies).toHaveLength(1);
    const text = readable(replies);
    expect(text).toMatch(/defer/i);
    expect(text).not.toContain('Sorry, something went wrong');
    expect(await listPendingReplies(bot.storage)).toHaveLength(0);
    // Cut off by the budget while waiting out Retry-After: still seen as throttled (bot/adapter.ts).
    expect(bot.logs.raw()).toContain('"event":"reply.throttled.queued","code":"429 Throttled"');
    expect(bot.logs.raw()).not.toContain('turn.error');
  }, 30_000);

  test('the same question unthrottled gets the same answer (the kept reply is the reply)', async () => {
    const bot = await throttledBot();
    const conv = 'l2-plain';
    await post(bot.url, message('how do I defer a referral', { conversationId: conv, serviceUrl: bot.connector.url }));
    const direct = await settle(bot.connector, conv, 150, 3_000);
    const throttledConv = 'l2-compare';
    bot.connector.failNext(throttledConv, 2);
    await post(
      bot.url,
      message('how do I defer a referral', { conversationId: throttledConv, serviceUrl: bot.connector.url }),
    );
    const later = await deliverLater(bot, throttledConv, direct.length);
    expect(later.map((a) => ({ text: a.text, attachments: a.attachments }))).toEqual(
      direct.map((a) => ({ text: a.text, attachments: a.attachments })),
    );
  }, 30_000);

  test('what is stored holds the reply and the conversation reference, not the patient identifier', async () => {
    const bot = await throttledBot();
    const conv = 'l2-pii';
    bot.connector.failNext(conv, 1);
    await post(
      bot.url,
      message('NHS no 401 023 2137 how do I defer a referral', { conversationId: conv, serviceUrl: bot.connector.url }),
    );
    const [pending] = await listPendingReplies(bot.storage);
    expect(pending).toBeDefined();
    const stored = JSON.stringify(pending);
    expect(stored).not.toMatch(/401\s*023\s*2137/);
    expect(stored).not.toContain('4010232137');
    // The warning and the answer, in order, and only the fields a person sees.
    expect(pending?.activities[0]?.text).toBe(PII_WARNING);
    for (const activity of pending?.activities ?? []) {
      expect(
        Object.keys(activity).every((k) =>
          ['type', 'text', 'textFormat', 'attachments', 'attachmentLayout', 'suggestedActions', 'inputHint'].includes(
            k,
          ),
        ),
      ).toBe(true);
    }
    const replies = await deliverLater(bot, conv, pending?.activities.length ?? 0);
    expect(replies.map((a) => a.text)[0]).toBe(PII_WARNING);
    expect(replies).toHaveLength(pending?.activities.length ?? 0);
    expect(readable(replies)).not.toContain(apologyText('').slice(0, 30));
  }, 30_000);
});
