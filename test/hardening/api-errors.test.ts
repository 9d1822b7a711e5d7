import type { Storage, StoreItems } from 'botbuilder';
import { afterEach, describe, expect, test } from 'vitest';
import { createAdapter } from '../../bot/adapter.js';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { createLogThrottle, messagesErrorStatus } from '../../bot/http-guards.js';
import { routeConsoleToLogger } from '../../bot/logger.js';
import { createServer } from '../../bot/server.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { testDeps } from '../helpers/knowledge.js';
import { captureLogs, DEFAULT_NOW } from '../helpers/setup.js';

const KEY = 'KKKKKKKKKKKKKKKKKKKKKKKKKKKKKK';
const PATH = '/srv/ers/data/k_announcements%2fall.json.lock';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A storage failing the way a read-only DATA_DIR did in the review, with the path in the message. */
const failing: Storage = {
  read: async (_keys: string[]): Promise<StoreItems> => {
    throw Object.assign(new Error(`EROFS: read-only file system, open '${PATH}'`), { code: 'EROFS' });
  },
  write: async () => {
    throw Object.assign(new Error(`ENOSPC: no space left on device, open '${PATH}'`), { code: 'ENOSPC' });
  },
  delete: async () => undefined,
};

async function server() {
  const logs = captureLogs('warn');
  const config = loadConfig({ PORT: '0', ANNOUNCE_API_KEY: KEY });
  const deps = testDeps({ storage: failing, clock: fixedClock(DEFAULT_NOW), logger: logs.logger });
  const adapter = createAdapter(config);
  const http = createServer(config, deps, { app: createApp(config, { ...deps, adapter }), adapter });
  const base = await http.listen(0, '127.0.0.1');
  cleanups.push(() => http.close());
  return { base, logs };
}

// Security review M3: 500s carried the error message and absolute paths, and nothing was logged.
describe('the announcements and records API when storage fails', () => {
  test.each([
    ['GET', '/api/records/feedback', undefined],
    ['GET', '/api/announcements/k3f9q2xd', undefined],
    ['DELETE', '/api/announcements/k3f9q2xd', undefined],
    ['POST', '/api/announcements', { kind: 'general', title: 'Training next week' }],
  ])('%s %s answers 500 with a correlation id only, and logs the failure', async (method, path, body) => {
    const { base, logs } = await server();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'Something went wrong.', correlationId: expect.any(String) });
    expect(text).not.toMatch(/EROFS|ENOSPC|srv|\.lock/);
    const line = logs.lines().find((l) => l.event === 'http.error');
    expect(line).toMatchObject({ level: 50, correlationId: JSON.parse(text).correlationId });
    expect(line?.code).toMatch(/EROFS|ENOSPC/);
  });
});

// Security review M4: forged tokens got 400 and a stack at error level, each time.
describe('errors from authenticating an incoming activity', () => {
  test.each([
    ['a forged or wrongly signed token', Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' })],
    ['alg none', Object.assign(new Error('jwt signature is required'), { name: 'JsonWebTokenError' })],
    ['an expired token', Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' })],
    ['botbuilder refusing the token', new Error('Unauthorized. Invalid AppId passed on token')],
  ])('%s is 401', (_label, err) => {
    expect(messagesErrorStatus(err)).toBe(401);
  });

  test('signing keys that cannot be fetched are 503, not the caller’s fault', () => {
    expect(messagesErrorStatus(Object.assign(new Error('request failed'), { name: 'FetchError' }))).toBe(503);
    expect(messagesErrorStatus(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(503);
  });

  test('anything else is 400', () => {
    expect(messagesErrorStatus(new TypeError('x is undefined'))).toBe(400);
    expect(messagesErrorStatus('a string')).toBe(400);
  });
});

describe('the log throttle for /api/messages failures', () => {
  test('lets 20 lines a minute through and reports how many it held back', () => {
    const allow = createLogThrottle(20, 60_000);
    const decisions = Array.from({ length: 1000 }, (_, i) => allow(i));
    expect(decisions.filter((d) => d.log)).toHaveLength(20);
    expect(allow(60_000)).toEqual({ log: true, suppressed: 980 });
  });
});

describe('what libraries print on the console', () => {
  test('becomes one JSON warning line each, 20 a minute at most, with the first line only', () => {
    const logs = captureLogs('warn');
    const printed: unknown[] = [];
    const target = {
      error: (...a: unknown[]) => void printed.push(a),
      warn: (...a: unknown[]) => void printed.push(a),
      log: (...a: unknown[]) => void printed.push(a),
      info: (...a: unknown[]) => void printed.push(a),
    };
    let clock = 0;
    const restore = routeConsoleToLogger(logs.logger, target, 20, () => clock);
    for (let i = 0; i < 50; i++)
      target.error('Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----\nMIIB');
    expect(printed).toEqual([]);
    expect(logs.lines()).toHaveLength(20);
    expect(logs.lines()[0]).toMatchObject({ event: 'library.console', method: 'error', level: 40 });
    expect(logs.raw()).not.toContain('MIIB');
    clock = 60_000;
    target.warn('again');
    expect(logs.lines().at(-1)).toMatchObject({ suppressedSinceLastLine: 30 });
    restore();
    target.log('direct');
    expect(printed).toEqual([['direct']]);
  });
});
