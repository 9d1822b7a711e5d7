import { describe, expect, test } from 'vitest';
import { stateTime } from '../../dialogs/state.js';

/** What stateTime gave before it kept its last answer. */
function drawn(now: Date): string {
  return new Date(now.getTime() - (((now.getTime() % 1000) + 1000) % 1000)).toISOString();
}

describe('the time a conversation state is stamped with', () => {
  test('is the whole second, the same text however times come in order, repeat or go back', () => {
    const base = Date.parse('2026-11-09T10:00:00Z');
    const times = [
      0,
      999,
      1000,
      1001,
      1000,
      -1,
      -1000,
      -1001,
      59_999,
      60_000,
      3_600_000 * 24 * 400 + 5,
      -base - 1,
      -base,
      -base + 999,
    ].map((offset) => new Date(base + offset));
    // Every order and repetition of them, so a stale remembered second would show.
    for (const now of [...times, ...times.reverse(), ...times.map((_, i) => times[(i * 7) % times.length])]) {
      if (!now) continue;
      expect(stateTime(now)).toBe(drawn(now));
    }
    expect(stateTime(new Date('2026-11-09T10:00:00.999Z'))).toBe('2026-11-09T10:00:00.000Z');
    expect(stateTime(new Date('1969-12-31T23:59:59.500Z'))).toBe('1969-12-31T23:59:59.000Z');
  });

  test('still throws for a date that is not one, as before, and then goes on as before', () => {
    expect(() => stateTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => stateTime(new Date(Number.NaN))).toThrow(RangeError);
    const now = new Date('2026-11-09T10:00:01.250Z');
    expect(stateTime(now)).toBe('2026-11-09T10:00:01.000Z');
  });
});
