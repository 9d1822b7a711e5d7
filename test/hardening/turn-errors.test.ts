import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APOLOGY_INTERVAL_MS, apologyText, createApologyGate } from '../../bot/turn-errors.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { type CapturedLogs, captureLogs, DEFAULT_NOW } from '../helpers/setup.js';

const NHS_NUMBER = '401 023 2137';

/** MemoryStorage that can be made to fail, with an error message carrying a patient identifier. */
class FlakyStorage implements Storage {
  readonly inner = new MemoryStorage();
  failing = false;
  read(keys: string[]): Promise<StoreItems> {
    if (this.failing) return Promise.reject(new Error(`storage read failed for patient ${NHS_NUMBER}`));
    return this.inner.read(keys);
  }
  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }
  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

const REFERENCE = /reference ([0-9a-f]{8})/;

describe('a turn that fails inside the bot', () => {
  let bot: HttpBot;
  let logs: CapturedLogs;
  const storage = new FlakyStorage();
  let n = 0;

  beforeAll(async () => {
    logs = captureLogs('debug');
    bot = await startHttpBot({ storage, logger: logs.logger });
  });
  afterAll(async () => {
    await bot.stop();
  });

  async function sendFailing(text: string, options: { conversationId: string; conversationType?: string }) {
    storage.failing = true;
    try {
      return await bot.ask(text, options);
    } finally {
      storage.failing = false;
    }
  }

  test('in a 1:1 chat the user gets an apology quoting the reference that is in the log', async () => {
    const { status, text } = await sendFailing('smartcard blocked', { conversationId: `err-${++n}` });
    expect(status).toBe(200);
    expect(text).toContain('Sorry, something went wrong');
    const id = REFERENCE.exec(text)?.[1];
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    const line = logs.lines().find((l) => l.event === 'turn.error' && l.correlationId === id);
    expect(line).toMatchObject({ level: 50, activityType: 'message', conversationType: 'personal', err: 'Error' });
  });

  test('the error is logged by its kind and correlation id, never its message (which can carry patient details)', async () => {
    await sendFailing('help', { conversationId: `err-${++n}` });
    const raw = logs.raw();
    expect(raw).toContain('"event":"turn.error"');
    expect(raw).toMatch(/"correlationId":"[0-9a-f]{8}"/);
    expect(raw).not.toContain('storage read failed');
    expect(raw).not.toContain(NHS_NUMBER);
    expect(raw).not.toContain(NHS_NUMBER.replace(/ /g, ''));
  });

  test('in a channel the bot apologises once per five minutes, however many threads fail', async () => {
    const channel = `19:err-chan-${++n}@thread.tacv2`;
    const first = await sendFailing('<at>e-RS Helper</at> help', {
      conversationId: `${channel};messageid=1`,
      conversationType: 'channel',
    });
    const second = await sendFailing('<at>e-RS Helper</at> help', {
      conversationId: `${channel};messageid=2`,
      conversationType: 'channel',
    });
    expect(first.status).toBe(200);
    expect(first.text).toContain('Sorry, something went wrong');
    expect(second.status).toBe(200);
    expect(second.text).toBe('');

    bot.clock.set(new Date(new Date(DEFAULT_NOW).getTime() + APOLOGY_INTERVAL_MS + 1000));
    const later = await sendFailing('<at>e-RS Helper</at> help', {
      conversationId: `${channel};messageid=3`,
      conversationType: 'channel',
    });
    bot.clock.set(DEFAULT_NOW);
    expect(later.text).toContain('Sorry, something went wrong');
    const errors = logs.lines().filter((l) => l.event === 'turn.error' && l.conversationType === 'channel');
    expect(errors).toHaveLength(3);
  });

  test('a failed card action invoke gets the Adaptive Card error answer with the reference, not a 500', async () => {
    storage.failing = true;
    const activity = {
      ...bot.wire.message(undefined, { serviceUrl: bot.connector.url, conversationId: `err-${++n}` }),
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'anything' } },
    };
    const res = await bot.wire.post(bot.url, activity).finally(() => {
      storage.failing = false;
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      statusCode: 500,
      type: 'application/vnd.microsoft.error',
      value: { message: expect.stringMatching(REFERENCE) },
    });
  });

  test('a failed install is logged but not announced', async () => {
    storage.failing = true;
    const teamId = `19:err-team-${++n}@thread.tacv2`;
    try {
      for (const activity of bot.wire.teamInstall(teamId, bot.connector.url)) {
        expect((await bot.wire.post(bot.url, activity)).status).toBe(200);
      }
    } finally {
      storage.failing = false;
    }
    expect(await bot.wire.settle(bot.connector, teamId, 60)).toEqual([]);
    expect(logs.lines().some((l) => l.event === 'turn.error' && l.activityType === 'installationUpdate')).toBe(true);
  });

  test('when the apology itself cannot be delivered the request still succeeds and both are logged', async () => {
    // A connector that refuses every reply (400 is not retried, so the test stays quick).
    const refusing = http.createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
    storage.failing = true;
    const activity = bot.wire.message('help', { serviceUrl, conversationId: `err-${++n}` });
    const res = await bot.wire.post(bot.url, activity).finally(() => {
      storage.failing = false;
      refusing.close();
    });
    expect(res.status).toBe(200);
    expect(logs.lines().some((l) => l.event === 'turn.error.reply_failed')).toBe(true);
  });

  test('once storage recovers the bot answers normally', async () => {
    const { text } = await bot.ask('help');
    expect(text).toContain('Troubleshoot a problem');
  });
});

describe('the apology gate', () => {
  const personal = { conversation: { id: 'a', conversationType: 'personal' } } as const;
  const channel = (thread: number) =>
    ({ conversation: { id: `19:c@thread.tacv2;messageid=${thread}`, conversationType: 'channel' } }) as const;

  test('always lets a 1:1 chat through', () => {
    const gate = createApologyGate(1000);
    expect([gate.allow(personal as never, 0), gate.allow(personal as never, 1)]).toEqual([true, true]);
  });

  test('lets one apology per channel through per interval, counting all threads as one', () => {
    const gate = createApologyGate(1000);
    expect(gate.allow(channel(1) as never, 0)).toBe(true);
    expect(gate.allow(channel(2) as never, 999)).toBe(false);
    expect(gate.allow(channel(3) as never, 1000)).toBe(true);
  });

  test('forgets the oldest conversation past its size bound', () => {
    const gate = createApologyGate(1000, 2);
    const group = (id: string) => ({ conversation: { id, conversationType: 'groupChat' } }) as never;
    gate.allow(group('a'), 0);
    gate.allow(group('b'), 0);
    gate.allow(group('c'), 0);
    expect(gate.allow(group('a'), 1)).toBe(true);
    expect(gate.allow(group('c'), 1)).toBe(false);
  });

  test('the apology quotes the reference', () => {
    expect(apologyText('ab12cd34')).toContain('reference ab12cd34');
  });
});
