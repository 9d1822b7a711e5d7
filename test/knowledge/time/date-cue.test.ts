import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../../knowledge/project-root.js';
import { mayHoldDate, parseDateText, readDateText } from '../../../knowledge/time/parse-date.js';
import { fixtureMessages } from '../../helpers/fixture-messages.js';

// Issue 18: parseDateText skips its ~25 scans when a message has no digit and none of the words the
// patterns match on without one (mayHoldDate). That pre-check must never skip a message the full
// reading finds something in. The messages below come from every fixture and from the parser's own
// words (every word in its source, so a word a new pattern adds is tried without a hand list here).

// Monday 30 November 2026, 12:00 in London.
const NOW = new Date('2026-11-30T12:00:00Z');
const SOURCE = readFileSync(path.join(projectRoot(), 'knowledge/time/parse-date.ts'), 'utf8');
const VOCABULARY = [...new Set(SOURCE.toLowerCase().match(/[a-z]+/g) ?? [])].sort();
/** The number words a duration starts with ("a", "an", "couple"): glued to a unit they still read ("ah"). */
const NUMBER_WORDS = ['a', 'an', 'one', 'two', 'eight', 'ten', 'twenty', 'couple of', 'half an', 'half a'];

/** Quoted examples in the parser's comments ("down since Monday 9am"), as staff type them. */
function commentExamples(): string[] {
  return [...SOURCE.matchAll(/"([^"\n]{2,80})"/g)].map((m) => m[1] ?? '');
}

/**
 * True when the pre-check skips `text`; fails the test when the full reading finds something there.
 * (When it does not skip, parseDateText is the full reading itself.)
 */
function sameReading(text: string): boolean {
  if (mayHoldDate(text)) return false;
  const full = readDateText(text, NOW, { everyPattern: true });
  if (full.mentions.length > 0 || full.durations.length > 0 || full.now !== undefined) {
    expect.fail(`skipped ${JSON.stringify(text)}, which reads as ${JSON.stringify(full)}`);
  }
  return true;
}

describe('the pre-check before reading dates', () => {
  test('gives the full reading for every fixture message, with and without its digits', () => {
    const messages = fixtureMessages();
    expect(messages.length).toBeGreaterThan(1000);
    let skipped = 0;
    for (const message of messages) {
      for (const text of [message, message.replace(/\d/g, ''), message.replace(/\d+/g, 'two')]) {
        if (sameReading(text)) skipped++;
      }
    }
    // Most fixture messages hold no date: the pre-check must actually spare some of them.
    expect(skipped).toBeGreaterThan(messages.length / 4);
  });

  test('gives the full reading for the examples in the parser comments, without their digits', () => {
    for (const example of commentExamples()) {
      sameReading(example);
      sameReading(example.replace(/\d/g, ''));
    }
  });

  test('gives the full reading for every pair of the parser words, and number words glued to each', () => {
    let skipped = 0;
    for (const first of VOCABULARY) {
      for (const second of VOCABULARY) if (sameReading(`${first} ${second}`)) skipped++;
      for (const n of NUMBER_WORDS) {
        if (sameReading(`${n}${first}`)) skipped++;
        if (sameReading(`${n} ${first}`)) skipped++;
        if (sameReading(`${n} whole ${first}`)) skipped++;
      }
    }
    expect(skipped).toBeGreaterThan(0);
  });

  test('gives the full reading for runs of the parser words with any separators', () => {
    const word = fc.constantFrom(...VOCABULARY, ...NUMBER_WORDS);
    const separator = fc.constantFrom(' ', '', ', ', "'", '-', '/', ' (', ') ', '. ', '\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 6 }), (parts) => {
        sameReading(parts.map(([w, s]) => `${w}${s}`).join(''));
      }),
      { numRuns: 20_000, seed: 18 },
    );
  });

  test('skips a question with no date in it', () => {
    expect(mayHoldDate('list the e-rs worklists')).toBe(false);
    expect(parseDateText('list the e-rs worklists', NOW)).toEqual({
      mentions: [],
      dates: [],
      invalid: [],
      durations: [],
    });
  });
});
