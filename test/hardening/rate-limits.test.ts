import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_RATE_LIMITS, limitClass, type RateLimits } from '../../bot/http-guards.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { DEFAULT_NOW } from '../helpers/setup.js';

const SMALL: RateLimits = {
  health: { capacity: 5, refillPerSecond: 1, maxKeys: 100 },
  api: { capacity: 2, refillPerSecond: 0.1, maxKeys: 100 },
  pages: { capacity: 3, refillPerSecond: 1, maxKeys: 100 },
};

/** A GET from a chosen loopback address, so one test can be two clients. */
function get(
  base: string,
  path: string,
  localAddress = '127.0.0.1',
): Promise<{ status: number; retryAfter?: string; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, localAddress }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += String(chunk);
      });
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, body, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('which limit a path falls under', () => {
  test.each([
    ['/api/messages', undefined],
    ['/healthz', 'health'],
    ['/api/announcements', 'api'],
    ['/guidance/smartcard-blocked', 'pages'],
    ['/', 'pages'],
  ])('%s → %s', (path, kind) => {
    expect(limitClass(path)).toBe(kind);
  });

  test('the defaults give health probes more room than pages, and pages more than the API', () => {
    expect(DEFAULT_RATE_LIMITS.health.capacity).toBeGreaterThan(DEFAULT_RATE_LIMITS.pages.capacity);
    expect(DEFAULT_RATE_LIMITS.pages.capacity).toBeGreaterThan(DEFAULT_RATE_LIMITS.api.capacity);
  });
});

describe('one address sending too many requests', () => {
  let bot: HttpBot;
  beforeAll(async () => {
    bot = await startHttpBot({ rateLimits: SMALL });
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('pages: past the burst it gets 429 with Retry-After and a JSON reason, until time passes', async () => {
    const path = '/guidance/does-not-matter';
    const statuses = [];
    for (let i = 0; i < SMALL.pages.capacity; i++) statuses.push((await get(bot.base, path, '127.0.0.2')).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const limited = await get(bot.base, path, '127.0.0.2');
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited.body)).toEqual({ error: expect.stringContaining('Too many requests') });

    // Another address is not affected.
    expect((await get(bot.base, path, '127.0.0.3')).status).not.toBe(429);

    bot.clock.set(new Date(new Date(DEFAULT_NOW).getTime() + Number(limited.retryAfter) * 1000));
    expect((await get(bot.base, path, '127.0.0.2')).status).not.toBe(429);
    bot.clock.set(DEFAULT_NOW);
  });

  test('the announcements API has its own, stricter limit', async () => {
    const statuses = [];
    for (let i = 0; i < SMALL.api.capacity + 1; i++)
      statuses.push((await get(bot.base, '/api/announcements', '127.0.0.4')).status);
    expect(statuses.slice(0, SMALL.api.capacity).every((s) => s !== 429)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  test('health checks are limited separately from pages', async () => {
    for (let i = 0; i < SMALL.pages.capacity + 1; i++) await get(bot.base, '/page', '127.0.0.5');
    expect((await get(bot.base, '/healthz', '127.0.0.5')).status).toBe(200);
    for (let i = 0; i < SMALL.health.capacity; i++) await get(bot.base, '/healthz', '127.0.0.6');
    expect((await get(bot.base, '/healthz', '127.0.0.6')).status).toBe(429);
  });

  test('Bot Framework messages are never rate limited here', async () => {
    for (let i = 0; i < SMALL.pages.capacity + SMALL.health.capacity + 2; i++) {
      const res = await bot.wire.post(bot.url, bot.wire.message('hi', { serviceUrl: bot.connector.url }));
      expect(res.status).toBe(200);
    }
  });
});
