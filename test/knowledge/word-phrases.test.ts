import { describe, expect, test } from 'vitest';
import { foldForSearch, WordPhrases } from '../../knowledge/normalise.js';

/** What WordPhrases stands in for: one `includes` per padded phrase. */
function byIncludes(padded: readonly string[], text: string): number[] {
  return padded.flatMap((phrase, index) => (text.includes(phrase) ? [index] : []));
}

describe('whole-word phrases found by their first word', () => {
  const phrases = [
    'orpington',
    'st mary cray',
    'mary',
    'practice in dartford',
    'practice is in dartford',
    'orpington',
    'kings lynn',
    'cray',
  ];
  // Padded as callers pad them, plus forms `includes` treats oddly: a leading double space, no
  // trailing space, an empty phrase.
  const padded = [...phrases.map((phrase) => ` ${phrase} `), '  cray ', ' cray', '  '];
  const finder = new WordPhrases(padded);
  const messages = [
    'our practice in dartford is in st mary cray',
    'orpington and st mary cray and orpington again',
    'mary cray',
    'the queen elizabeth in kings lynn',
    'crayford is not cray',
    'practice is in dartford',
    'nothing here',
    'orpingtonish st maryx cray',
    '',
  ];

  test.each(messages)('finds what includes finds, in phrase order: %s', (message) => {
    const folded = foldForSearch(message);
    const text = ` ${folded} `;
    const words = folded === '' ? [] : folded.split(' ');
    const expected = byIncludes(padded, text);
    expect(finder.found(text, words)).toEqual(expected);
    expect(finder.some(text, words)).toBe(expected.length > 0);
  });

  test('lists each phrase once however often its first word appears', () => {
    const text = ' orpington orpington orpington ';
    expect(finder.found(text, ['orpington', 'orpington', 'orpington'])).toEqual([0, 5]);
  });

  test('finds nothing among no phrases', () => {
    const none = new WordPhrases([]);
    expect(none.found(' orpington ', ['orpington'])).toEqual([]);
    expect(none.some(' orpington ', ['orpington'])).toBe(false);
  });
});
