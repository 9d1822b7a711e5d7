import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { type CapturedLogs, captureLogs } from '../helpers/setup.js';

/** Thousands of generated requests; FUZZ_SEED reproduces a failing run, FUZZ_RUNS makes it longer. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261109);
const CONCURRENCY = 8;

interface Payload {
  kind: string;
  body: string;
  contentType?: string;
}

const REMOVE = Symbol('remove');

const wrongTyped: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** Mostly the right thing, sometimes missing, sometimes the wrong type. */
function field<T>(good: fc.Arbitrary<T>): fc.Arbitrary<T | typeof REMOVE | unknown> {
  return fc.oneof(
    { arbitrary: good, weight: 40 },
    { arbitrary: fc.constant(REMOVE), weight: 1 },
    { arbitrary: wrongTyped, weight: 1 },
  );
}

const NASTY = [
  '\u202E',
  '\u202D',
  '\u2066',
  '\u0000',
  '\u0007',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u200D',
  '🤷‍♀️',
  '👍🏽',
  '<at>e-RS Helper</at>',
  '<script>',
  '&amp;',
  '&#0;',
  'ｈｅｌｐ',
  '﷽',
  'e\u0301',
  '401 023 2137',
  '%s%d%j',
  '$' + '{x}',
  '\r\n',
  ' ',
  'help',
  'smartcard',
  'Bromley',
  '2WW',
  '3 April',
];

const text: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 120 }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'help',
      'cancel',
      'smartcard blocked Bromley',
      'e-RS is down',
      'who to contact',
      '2WW deferred on 3 April, contact-by date',
      'tips for finding a service',
      '1',
      'yes',
    ),
    weight: 3,
  },
  { arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 30 }).map((parts) => parts.join('')), weight: 3 },
  // Up to ~300 KB: some fit under the body limit and are truncated, some get 413.
  { arbitrary: fc.integer({ min: 300, max: 33_000 }).map((n) => 'referral '.repeat(n)), weight: 1 },
);

const INVOKE_NAMES = [
  'adaptiveCard/action',
  'composeExtension/query',
  'composeExtension/selectItem',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
  'composeExtension/queryLink',
  'composeExtension/onCardButtonClicked',
  'task/fetch',
  'task/submit',
  'config/fetch',
  'signin/verifyState',
  'signin/tokenExchange',
  'fileConsent/invoke',
  'actionableMessage/executeAction',
  'healthCheck',
];
const invokeName = fc.oneof(fc.constantFrom(...INVOKE_NAMES), fc.string({ maxLength: 40 }));

const verb = fc.oneof(fc.constantFrom('deadline-calc', 'feedback', 'nope', ''), wrongTyped);
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      verb,
      date: fc.anything({ maxDepth: 1 }),
      kind: fc.anything({ maxDepth: 1 }),
      entryId: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
  fc.record({ action: fc.record({ type: fc.constant('Action.Execute'), verb, data: fc.anything({ maxDepth: 2 }) }) }),
  fc.record({
    commandId: fc.string({ maxLength: 20 }),
    parameters: fc.oneof(fc.array(fc.record({ name: fc.string(), value: fc.anything({ maxDepth: 1 }) })), wrongTyped),
    queryOptions: fc.anything({ maxDepth: 2 }),
  }),
);

const ACTIVITY_TYPES = [
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'event',
  'typing',
  'endOfConversation',
];

function activityArb(serviceUrl: string, forceType?: string): fc.Arbitrary<Payload> {
  return fc
    .record({
      type: forceType ? fc.constant(forceType) : field(fc.oneof(fc.constantFrom(...ACTIVITY_TYPES), fc.string())),
      id: field(fc.string({ maxLength: 20 })),
      serviceUrl: fc.oneof({ arbitrary: fc.constant(serviceUrl), weight: 12 }, { arbitrary: wrongTyped, weight: 1 }),
      channelId: field(fc.constantFrom('msteams', 'webchat', 'emulator')),
      from: field(
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 20 }),
          name: field(fc.string()),
          aadObjectId: field(fc.uuid()),
        }),
      ),
      recipient: field(fc.record({ id: fc.constantFrom('28:bot', 'other'), name: field(fc.string()) })),
      conversation: field(
        fc.record({
          id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 60 })),
          conversationType: field(fc.constantFrom('personal', 'channel', 'groupChat')),
          tenantId: field(fc.constant('tenant-1')),
        }),
      ),
      text: field(text),
      value: fc.option(value),
      name: field(invokeName),
      locale: field(fc.constantFrom('en-GB', 'cy', 'xx-INVALID')),
      entities: field(
        fc.array(
          fc.record({
            type: fc.constantFrom('mention', 'clientInfo', 'x'),
            text: field(fc.string()),
            mentioned: field(fc.record({ id: fc.string() })),
          }),
          { maxLength: 3 },
        ),
      ),
      attachments: field(
        fc.array(fc.record({ contentType: fc.string(), content: fc.anything({ maxDepth: 3 }) }), { maxLength: 2 }),
      ),
      membersAdded: field(fc.array(fc.record({ id: fc.constantFrom('28:bot', '29:user') }), { maxLength: 2 })),
      channelData: field(
        fc.record({
          tenant: field(fc.record({ id: fc.constant('tenant-1') })),
          team: field(fc.anything({ maxDepth: 2 })),
        }),
      ),
      deliveryMode: field(fc.constantFrom('normal', 'expectReplies')),
      action: field(fc.constantFrom('add', 'remove')),
    })
    .map((fields) => {
      const activity = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== REMOVE));
      return { kind: forceType ?? 'activity', body: JSON.stringify(activity) };
    });
}

function nested(depth: number, open: string, close: string, leaf: string): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

function payloads(serviceUrl: string): fc.Arbitrary<Payload> {
  return fc.oneof(
    { arbitrary: activityArb(serviceUrl), weight: 10 },
    { arbitrary: activityArb(serviceUrl, 'message'), weight: 6 },
    { arbitrary: activityArb(serviceUrl, 'invoke'), weight: 4 },
    { arbitrary: fc.json().map((body) => ({ kind: 'json', body })), weight: 2 },
    { arbitrary: fc.jsonValue().map((v) => ({ kind: 'json-value', body: JSON.stringify(v) ?? 'null' })), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ kind: 'string', body })), weight: 2 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom<[string, string]>(['[', ']'], ['{"a":', '}']))
        .map(([depth, [open, close]]) => ({ kind: 'nested', body: nested(depth, open, close, '1') })),
      weight: 1,
    },
    {
      arbitrary: fc.integer({ min: 10, max: 5_000 }).map((depth) => ({
        kind: 'nested-activity',
        body: `{"type":"message","serviceUrl":"${serviceUrl}","conversation":{"id":"n"},"from":{"id":"u"},"recipient":{"id":"b"},"value":${nested(depth, '{"v":', '}', '0')}}`,
      })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(
          fc.string({ maxLength: 30 }),
          fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', ''),
        )
        .map(([body, contentType]) => ({ kind: 'content-type', body, contentType })),
      weight: 1,
    },
  );
}

async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await run(item);
      }
    }),
  );
}

describe('the real server under thousands of generated requests', () => {
  let bot: HttpBot;
  let logs: CapturedLogs;
  beforeAll(async () => {
    logs = captureLogs('info');
    bot = await startHttpBot({ logger: logs.logger });
  });
  afterAll(async () => {
    await bot.stop();
  });

  test(`answers every one of ${RUNS} generated payloads below 500 and is still answering help afterwards`, async () => {
    const samples = fc.sample(payloads(bot.connector.url), { numRuns: RUNS, seed: SEED });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = performance.now();

    await inPool(samples, CONCURRENCY, async (payload) => {
      try {
        const res = await fetch(bot.url, {
          method: 'POST',
          headers: { 'content-type': payload.contentType ?? 'application/json' },
          body: payload.body,
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${res.status} ${payload.kind}: ${payload.body.slice(0, 300)}`);
      } catch (err: unknown) {
        failures.push(`no answer (${String(err)}) ${payload.kind}: ${payload.body.slice(0, 300)}`);
      }
    });

    const seconds = (performance.now() - started) / 1000;
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(Math.min(RUNS, 2000));
    // Enough of the payloads got past validation into a turn for the run to mean something.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 8);
    // Bad input is refused at the HTTP seam, so no generated payload should make a turn fail.
    const turnErrors = logs.lines().filter((l) => l.event === 'turn.error' || l.event === 'http.messages.error');
    expect(turnErrors.map((l) => `${String(l.err)}: ${String(l.reason)}`)).toEqual([]);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(seconds).toBeLessThan(60);

    expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
    const help = await bot.ask('help');
    expect(help.status).toBe(200);
    expect(help.text).toContain('Troubleshoot a problem');
  }, 90_000);
});
