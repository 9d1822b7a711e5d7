import { describe, expect, test } from 'vitest';
import { safeEqual } from '../../bot/safety/secure-compare.js';

describe('comparing a shared secret', () => {
  test('equal strings match', () => {
    expect(safeEqual('s3cret-token', 's3cret-token')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
  });

  test('different strings of the same length do not match', () => {
    expect(safeEqual('s3cret-token', 's3cret-tokeN')).toBe(false);
  });

  test('strings of different lengths do not match and do not throw', () => {
    expect(safeEqual('short', 'a much longer secret value')).toBe(false);
    expect(safeEqual('abc', '')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  test('compares characters, not their normalised forms', () => {
    expect(safeEqual('caf\u00e9', 'cafe\u0301')).toBe(false);
    expect(safeEqual('\u{1F600}', '\u{1F600}')).toBe(true);
  });
});
