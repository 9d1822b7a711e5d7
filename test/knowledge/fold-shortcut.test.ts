import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { foldForSearch, foldFully } from '../../knowledge/normalise.js';

// foldForSearch skips the steps that cannot change plain ASCII text; it must fold every text as foldFully does.
const PIECES = [
  'a',
  'B',
  'z',
  'Q',
  's',
  'S',
  'x',
  '0',
  '7',
  '_',
  ' ',
  '  ',
  '\t',
  '\n',
  "'",
  '`',
  '&',
  ';',
  '<',
  '>',
  '#',
  '-',
  '.',
  ',',
  '?',
  '!',
  '/',
  '(',
  ')',
  '\u00e9',
  '\u2019',
  '\u2018',
  '\u201c',
  '\u00a0',
  '\ufb01',
  '\u0301',
  '\u00b4',
  '&amp;',
  '&nbsp;',
  '&#39;',
  '&#x2019;',
  '&bogus;',
  '<at>Bot</at>',
  '<p>',
  "King's",
  "kings'",
  'A&G',
  'a & g',
  "can't",
  "s's'",
  'e-RS',
  '2WW',
];

/** A fixed-seed generator, so a failure names the same text every run. */
function texts(count: number, pieces: readonly string[]): string[] {
  let seed = 0x2f6b;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 8;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = next() % 12;
    for (let k = 0; k < length; k++) text += pieces[next() % pieces.length];
    out.push(text);
  }
  return out;
}

function fixtureMessages(): string[] {
  const dir = path.join(import.meta.dirname, '..', 'fixtures');
  const messages: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.jsonl'))) {
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(/"(?:send|q)": ?("(?:[^"\\]|\\.)*")/g)) {
      messages.push(JSON.parse(match[1] as string) as string);
    }
  }
  return messages;
}

describe('folding a message for search', () => {
  test('folds generated texts (markup, entities, apostrophes, accents, ampersands) as every step would', () => {
    const differing = texts(20_000, PIECES).filter((text) => foldForSearch(text) !== foldFully(text));
    expect(differing).toEqual([]);
  });

  test('folds generated plain ASCII texts (the shortcut) as every step would', () => {
    const ascii = PIECES.filter((piece) => !/[\u0080-\uffff]/.test(piece));
    const differing = texts(20_000, [...ascii, "'s", "s'"]).filter((text) => foldForSearch(text) !== foldFully(text));
    expect(differing).toEqual([]);
  });

  test('folds every fixture message as every step would', () => {
    const messages = fixtureMessages();
    expect(messages.length).toBeGreaterThan(1000);
    expect(messages.filter((text) => foldForSearch(text) !== foldFully(text))).toEqual([]);
  });

  test.each([
    ["Can't find the King's  worklist!", 'cant find the kings worklist'],
    ['A&G for 2WW;', 'a & g for 2ww'],
    ['A&amp;G', 'a & g'],
    ['Caf\u00e9 \u2018PRUH\u2019', 'cafe pruh'],
    ["a'b'c and the doctors' list", 'ab c and the doctors list'],
    // The second rule ("s'" loses its apostrophe) shows only where the first consumed the letter before it.
    ["a's'b", 'asb'],
  ])('%s → %s', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});
