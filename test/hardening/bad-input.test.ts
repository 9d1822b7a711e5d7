import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_BODY_BYTES } from '../../bot/server.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';

let bot: HttpBot;
let n = 0;

beforeAll(async () => {
  bot = await startHttpBot();
});
afterAll(async () => {
  await bot.stop();
});

async function postRaw(body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(bot.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: await res.text() };
}

interface Sent {
  conversationId: string;
  body: Record<string, unknown>;
}

function activity(extra: Record<string, unknown> = {}): Sent {
  const conversationId = `bad-${++n}`;
  const base = bot.wire.message('help', { serviceUrl: bot.connector.url, conversationId });
  return { conversationId, body: { ...base, ...extra } };
}

/** Posts an activity and resolves with the HTTP answer and what a person would read of the replies. */
async function send(sent: Sent) {
  const res = await bot.wire.post(bot.url, sent.body);
  const replies = await bot.wire.settle(bot.connector, sent.conversationId, 60);
  return { status: res.status, body: res.body, text: bot.wire.readable(replies) };
}

function errorOf(body: string): string {
  const parsed: unknown = JSON.parse(body);
  expect(parsed).toEqual({ error: expect.any(String) });
  return (parsed as { error: string }).error;
}

describe('a caller sends something that is not an activity', () => {
  test('malformed JSON gets 400 with a JSON reason that does not echo the body', async () => {
    const res = await postRaw('{"type": "message", oops');
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toBe('The body is not valid JSON.');
    expect(res.body).not.toContain('oops');
  });

  test.each([['{"hello":1}'], ['[]'], ['"help"'], ['null'], ['42'], ['{"type":42}'], ['{"type":""}']])(
    'the JSON %s gets 400',
    async (body) => {
      const res = await postRaw(body);
      expect(res.status).toBe(400);
      expect(errorOf(res.body)).toMatch(/activity/);
    },
  );

  test('a body that is not JSON at all gets 415', async () => {
    const res = await postRaw('help', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(errorOf(res.body)).toContain('application/json');
  });

  test('a compressed body gets 415 before it is inflated', async () => {
    const res = await postRaw('\u001f\u008b', { 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
  });

  test('an unknown path gets a JSON 404 and a GET on the messages endpoint a JSON 405', async () => {
    const missing = await fetch(`${bot.base}/nope/%3Cscript%3E`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Not found.' });
    const get = await fetch(bot.url);
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ error: 'Method not allowed.' });
  });
});

describe('an activity with missing or wrong-typed ids', () => {
  test.each([
    ['conversation', { conversation: undefined }],
    ['conversation', { conversation: 'c-1' }],
    ['conversation', { conversation: { id: 7 } }],
    ['from', { from: undefined }],
    ['from', { from: null }],
    ['recipient', { recipient: undefined }],
    ['channelId', { channelId: undefined }],
    ['from.name', { from: { id: '29:u', name: 5 } }],
    ['conversation.conversationType', { conversation: { id: 'c', conversationType: true } }],
    ['value', { text: undefined, value: null }],
    ['entities', { entities: null }],
    ['entities', { entities: [{ type: 'mention', text: '<at>x</at>' }] }],
    ['serviceUrl', { serviceUrl: undefined }],
    ['serviceUrl', { serviceUrl: 'javascript:alert(1)' }],
    ['text', { text: 42 }],
    ['text', { text: { nested: true } }],
    ['entities', { entities: [null] }],
    ['attachments', { attachments: 'not a list' }],
    ['channelData', { channelData: 'tenant-1' }],
    ['name', { type: 'invoke', name: undefined }],
  ])('without a valid "%s" gets 400 naming it', async (field, change) => {
    const res = await send(activity(change));
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toContain(field === 'name' ? 'name' : `"${field}"`);
    expect(res.text).toBe('');
  });

  test('an activity nested 100 levels deep gets 400', async () => {
    let value: unknown = 'x';
    for (let i = 0; i < 100; i++) value = { v: value };
    const res = await send(activity({ value }));
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toContain('nested');
  });

  test('JSON nested 100,000 levels deep gets 400 and the server stays up', async () => {
    const res = await postRaw(`{"type":"message","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(res.status).toBe(400);
    expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
  });
});

describe('activity types and invokes the bot does not handle', () => {
  test('an unknown activity type is accepted with 200 and no reply', async () => {
    const res = await send(activity({ type: 'frobnicate', text: undefined }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  test('an invoke with an unknown name gets 404 with a JSON reason, not 501', async () => {
    const res = await send(activity({ type: 'invoke', name: 'made/up', value: { a: 1 } }));
    expect(res.status).toBe(404);
    expect(errorOf(res.body)).toContain('not handled');
  });

  test('a Universal Action with a verb that does not exist gets the Adaptive Card error answer', async () => {
    const res = await send(
      activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'nope' } },
      }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { message: expect.stringContaining('help') },
    });
  });

  test('a Teams notification invoke that needs no answer gets 200', async () => {
    const res = await send(activity({ type: 'invoke', name: 'composeExtension/onCardButtonClicked', value: {} }));
    expect(res.status).toBe(200);
  });

  test('a Bot Service health check invoke is answered', async () => {
    const res = await send(activity({ type: 'invoke', name: 'healthCheck' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ healthResults: { success: true } });
  });
});

describe('bodies over the 256 KB limit', () => {
  test('a 300 KB message gets a JSON 413', async () => {
    const res = await postRaw(JSON.stringify(activity({ text: 'a'.repeat(300 * 1024) }).body));
    expect(res.status).toBe(413);
    expect(errorOf(res.body)).toBe('The body is too large.');
  });

  test('a 20 MB body gets 413 before any of it is parsed', async () => {
    const res = await postRaw('x'.repeat(20 * 1024 * 1024));
    expect(res.status).toBe(413);
  });

  test('an oversized body sent in chunks, with no declared length, gets a JSON 413', async () => {
    const url = new URL(bot.url);
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += String(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const chunk = 'y'.repeat(64 * 1024);
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) req.write(chunk);
      req.end();
    });
    expect(result.status).toBe(413);
    expect(errorOf(result.body)).toBe('The body is too large.');
  });
});

describe('a person sends odd text', () => {
  test('200,000 characters of text (under the byte limit) get an answer', async () => {
    const res = await send(activity({ text: `referral rejected ${'please help '.repeat(16_000)}` }));
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(0);
  });

  test.each([
    ['a right-to-left override', '\u202Ehelp'],
    ['a NUL byte', 'he\u0000lp'],
    ['zero-width characters', 'h\u200Be\u200Dl\uFEFFp'],
    ['full-width letters', 'ｈｅｌｐ'],
  ])('help hidden behind %s still gets the help card', async (_what, text) => {
    const res = await send(activity({ text }));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Troubleshoot a problem');
  });

  test.each([
    ['emoji only', '🤷‍♀️🔥👍🏽'],
    ['lone surrogates', '\uD800 referral \uDFFF'],
    ['only control characters', '\u0001\u0002\u0003'],
    ['an empty string', ''],
    ['Arabic and Hebrew', 'مرحبا שלום'],
  ])('%s gets a polite reply', async (_what, text) => {
    const res = await send(activity({ text }));
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/error|exception|undefined|\[object/i);
  });
});

describe('card submits with unexpected values', () => {
  test.each([
    ['a verb that does not exist', { verb: 'delete-everything' }],
    ['a verb of the wrong type', { verb: { nested: 1 } }],
    ['a string value', 'just text'],
    ['a list value', [1, 2, 3]],
    ['a number value', 42],
    ['the deadline calculator with wrong-typed fields', { verb: 'deadline-calc', date: 12, kind: [1], priority: null }],
    ['feedback with wrong-typed fields', { verb: 'feedback', entryId: { a: 1 }, helpful: 'maybe' }],
  ])('%s gets a polite reply', async (_what, value) => {
    const res = await send(activity({ text: undefined, value }));
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/error|exception|undefined|\[object/i);
  });
});

test('after all of that the bot still answers help', async () => {
  const { status, text } = await bot.ask('help');
  expect(status).toBe(200);
  expect(text).toContain('Troubleshoot a problem');
});
