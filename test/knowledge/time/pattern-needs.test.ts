import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../../knowledge/project-root.js';
import { readDateText } from '../../../knowledge/time/parse-date.js';
import { fixtureMessages } from '../../helpers/fixture-messages.js';

// Issue 18: each of the date reader's patterns first checks, in one plain scan, for what it cannot
// match without (a digit, "ago", a month's first letters...), and is skipped when that is missing.
// Those checks must never change a reading: every message below is read with them and with every
// pattern run regardless, and the two readings must be the same. The messages come from every
// fixture (with their digits changed) and from the parser's own words, set around numbers and times
// so each pattern is tried with the words it matches on.

// Monday 30 November 2026, 12:00 in London.
const NOW = new Date('2026-11-30T12:00:00Z');
const SOURCE = readFileSync(path.join(projectRoot(), 'knowledge/time/parse-date.ts'), 'utf8');
const VOCABULARY = [...new Set(SOURCE.toLowerCase().match(/[a-z]+/g) ?? [])].sort();
/** What a pattern may need beside a word: numbers, times, dates in each written form. */
const AROUND = ['5', '12', '4pm', '9.15', '10:30', '2/3', '2026-03-02', '3rd', '2 march', 'two', 'a', 'half'];

function sameReading(text: string): void {
  const fast = readDateText(text, NOW);
  const full = readDateText(text, NOW, { everyPattern: true });
  expect(fast, text).toEqual(full);
}

describe('the date patterns skipped for want of what they need', () => {
  test('give the full reading for every fixture message, as typed and with its numbers changed', () => {
    const messages = fixtureMessages();
    expect(messages.length).toBeGreaterThan(1000);
    for (const message of messages) {
      for (const text of [
        message,
        message.toLowerCase(),
        message.replace(/\d/g, ''),
        message.replace(/\d+/g, 'two'),
        message.replace(/\d+/g, '11'),
        `${message} at 4pm on friday 2 march`,
      ]) {
        sameReading(text);
      }
    }
  });

  test('give the full reading for the examples in the parser comments', () => {
    const examples = [...SOURCE.matchAll(/"([^"\n]{2,80})"/g)].map((m) => m[1] ?? '');
    expect(examples.length).toBeGreaterThan(20);
    for (const example of examples) {
      sameReading(example);
      sameReading(example.toUpperCase());
    }
  });

  test('give the full reading for every parser word beside numbers, times and dates', () => {
    expect(VOCABULARY.length).toBeGreaterThan(200);
    for (const word of VOCABULARY) {
      for (const near of AROUND) {
        sameReading(`${near} ${word}`);
        sameReading(`${word} ${near}`);
        sameReading(`${near}${word}`);
        sameReading(`since ${word} ${near} ${word}`);
        sameReading(`${near} ${word} ${near}`);
        sameReading(`quarter ${word} six`);
      }
    }
  });

  test('give the full reading for pairs of parser words after a number (every seventh pair)', () => {
    for (const [i, first] of VOCABULARY.entries()) {
      for (const [j, second] of VOCABULARY.entries()) if ((i + j) % 7 === 0) sameReading(`3 ${first} ${second}`);
    }
  });
});
