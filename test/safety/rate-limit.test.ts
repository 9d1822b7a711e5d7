import { describe, expect, test } from 'vitest';
import { createRateLimiter } from '../../bot/safety/rate-limit.js';

function setup(overrides: Partial<Parameters<typeof createRateLimiter>[0]> = {}) {
  return createRateLimiter({ capacity: 3, refillPerSecond: 1, maxKeys: 100, ...overrides });
}

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

describe('a client sends a burst of requests', () => {
  test('is allowed up to the capacity, then refused with a retry time', () => {
    const limiter = setup();
    const results = [1, 2, 3, 4].map(() => limiter.take('10.0.0.1', T0));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[0]?.retryAfterSeconds).toBe(0);
    expect(results[3]?.retryAfterSeconds).toBe(1);
  });

  test('gets one more request after a second, and only one', () => {
    const limiter = setup();
    for (let i = 0; i < 3; i++) limiter.take('10.0.0.1', T0);
    expect(limiter.take('10.0.0.1', T0 + 999).allowed).toBe(false);
    expect(limiter.take('10.0.0.1', T0 + 1000).allowed).toBe(true);
    expect(limiter.take('10.0.0.1', T0 + 1000).allowed).toBe(false);
  });

  test('never builds up more than the capacity, however long it waits', () => {
    const limiter = setup();
    limiter.take('10.0.0.1', T0);
    const later = T0 + 60 * 60 * 1000;
    const allowed = [1, 2, 3, 4, 5].map(() => limiter.take('10.0.0.1', later).allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
  });

  test('is told to wait longer when the refill is slow', () => {
    const limiter = setup({ capacity: 1, refillPerSecond: 0.1 });
    expect(limiter.take('a', T0).allowed).toBe(true);
    expect(limiter.take('a', T0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('a', T0 + 4000)).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(limiter.take('a', T0 + 10_000).allowed).toBe(true);
  });
});

describe('two clients at once', () => {
  test('one client being limited does not limit the other', () => {
    const limiter = setup({ capacity: 1 });
    expect(limiter.take('10.0.0.1', T0).allowed).toBe(true);
    expect(limiter.take('10.0.0.1', T0).allowed).toBe(false);
    expect(limiter.take('10.0.0.2', T0).allowed).toBe(true);
  });
});

describe('many different addresses', () => {
  test('memory stays bounded at maxKeys', () => {
    const limiter = setup({ maxKeys: 10 });
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, T0 + i);
    expect(limiter.size).toBe(10);
  });

  test('the least recently used address is forgotten first', () => {
    const limiter = setup({ capacity: 1, maxKeys: 2 });
    limiter.take('a', T0);
    limiter.take('b', T0);
    // Touch "a" so "b" becomes the least recently used.
    expect(limiter.take('a', T0).allowed).toBe(false);
    limiter.take('c', T0);
    // "a" is still remembered (still limited); "b" was evicted and starts with a full bucket.
    expect(limiter.take('a', T0).allowed).toBe(false);
    expect(limiter.take('b', T0).allowed).toBe(true);
  });
});

describe('the clock misbehaves', () => {
  test('a clock stepping backwards neither adds nor removes tokens', () => {
    const limiter = setup({ capacity: 2 });
    limiter.take('a', T0);
    limiter.take('a', T0);
    expect(limiter.take('a', T0 - 60_000).allowed).toBe(false);
    // Time must pass beyond the latest moment seen before a token returns.
    expect(limiter.take('a', T0 + 999).allowed).toBe(false);
    expect(limiter.take('a', T0 + 1000).allowed).toBe(true);
  });
});

describe('setting up the limiter', () => {
  test.each([
    [{ capacity: 0, refillPerSecond: 1, maxKeys: 1 }],
    [{ capacity: 1, refillPerSecond: 0, maxKeys: 1 }],
    [{ capacity: 1, refillPerSecond: Number.NaN, maxKeys: 1 }],
    [{ capacity: 1, refillPerSecond: 1, maxKeys: 0 }],
    [{ capacity: 1, refillPerSecond: 1, maxKeys: 1.5 }],
  ])('rejects nonsense options %j', (options) => {
    expect(() => createRateLimiter(options)).toThrow(RangeError);
  });
});
