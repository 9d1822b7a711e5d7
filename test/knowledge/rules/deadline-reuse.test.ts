import { describe, expect, test } from 'vitest';
import { answerDeadline, type DeadlineKnown } from '../../../knowledge/rules/deadlines.js';
import { parseDateText } from '../../../knowledge/time/parse-date.js';
import { fixtureMessages } from '../../helpers/fixture-messages.js';

// Issue 18: the route asks the deadline reader twice a turn (plainly, then with the topic's facts)
// and hands it the first reply, which it returns again instead of counting the working days anew
// when the rule, priority and start come out the same. That must never change a reply.

// Monday 30 November 2026, 12:00 in London.
const NOW = new Date('2026-11-30T12:00:00Z');
const KNOWN: DeadlineKnown[] = [
  {},
  { rule: 'deferral' },
  { rule: 'letter' },
  { priority: 'routine' },
  { priority: '2ww' },
  { rule: 'deferral', priority: 'urgent' },
  { rule: 'deferral', priority: 'routine', start: { date: '2026-03-02' } },
  { rule: 'letter', priority: 'urgent', start: { date: '2026-11-27', time: { hour: 16, minute: 0 } } },
  { rule: 'availability', start: { date: '2026-11-02' } },
];

describe('the deadline reader given the reply it already worked out for the message', () => {
  test('replies as it does without it, for every fixture message and every known fact', () => {
    let reused = 0;
    for (const message of fixtureMessages()) {
      const lower = message.toLowerCase();
      const dates = parseDateText(lower, NOW);
      const plain = answerDeadline(lower, NOW, {}, { dates });
      for (const known of KNOWN) {
        for (const asksTime of [false, true]) {
          const full = answerDeadline(lower, NOW, known, { asksTime, dates });
          const fast = answerDeadline(lower, NOW, known, { asksTime, dates, computed: plain });
          expect(fast, `${message} ${JSON.stringify(known)}`).toEqual(full);
          if (fast === plain && plain.kind === 'answer') reused++;
        }
      }
    }
    // The shortcut must actually be taken for some of them.
    expect(reused).toBeGreaterThan(100);
  });

  test('works the answer out anew when the topic changes the rule, priority or start', () => {
    const lower = 'routine referral deferred on 2 march 2026 - contact-by date';
    const plain = answerDeadline(lower, NOW, {});
    expect(plain.kind).toBe('answer');
    const letter = answerDeadline('routine letter on 2 march 2026 - when?', NOW, {}, { computed: plain });
    expect(letter).toEqual(answerDeadline('routine letter on 2 march 2026 - when?', NOW, {}));
    expect(letter).not.toBe(plain);
    const at = answerDeadline(
      'deferred on 2 march 2026 at 4pm - when?',
      NOW,
      { priority: 'routine' },
      { computed: plain },
    );
    expect(at).toEqual(answerDeadline('deferred on 2 march 2026 at 4pm - when?', NOW, { priority: 'routine' }));
    expect(at).not.toBe(plain);
  });
});
