import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  cleanInput,
  DEFAULT_MAX_CHARS,
  normaliseUnicode,
  stripControlChars,
  truncateText,
} from '../../../knowledge/safety/input-limits.js';
import { stripMarkup } from '../../../knowledge/normalise.js';
import { detectPii } from '../../../knowledge/safety/pii.js';

/** True when no lone surrogate is left (String.prototype.isWellFormed is not in the ES2023 lib). */
function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

describe('a user pastes a very long message', () => {
  test('is cut to 2000 characters by default', () => {
    const text = 'a'.repeat(5000);
    expect(DEFAULT_MAX_CHARS).toBe(2000);
    expect(truncateText(text)).toHaveLength(2000);
  });

  test('a message within the limit is returned unchanged', () => {
    expect(truncateText('how do I defer?', 20)).toBe('how do I defer?');
    expect(truncateText('exactly', 7)).toBe('exactly');
  });

  test('an emoji across the limit is dropped whole, not split into half a surrogate pair', () => {
    const text = `${'a'.repeat(9)}\u{1F600}b`;
    const cut = truncateText(text, 10);
    expect(cut).toBe('a'.repeat(9));
    expect(isWellFormed(cut)).toBe(true);
  });

  test('a letter with a combining accent is not separated from its accent', () => {
    expect(truncateText('cafe\u0301 au lait', 4)).toBe('caf');
    expect(truncateText('cafe\u0301 au lait', 5)).toBe('cafe\u0301');
  });

  test('a family emoji joined with zero-width joiners is kept whole or dropped whole', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(truncateText(`hi ${family}`, 6)).toBe('hi ');
    expect(truncateText(`hi ${family}!`, 3 + family.length)).toBe(`hi ${family}`);
  });

  test('a pathological run of combining marks is still cut to the limit', () => {
    const text = `a${'\u0301'.repeat(500)}`;
    const cut = truncateText(text, 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut.length).toBeGreaterThan(0);
  });

  test('never returns more than the limit nor a broken surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 0, max: 300 }), (text, max) => {
        const cut = truncateText(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(text.startsWith(cut)).toBe(true);
        expect(isWellFormed(cut)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('rejects a negative or fractional limit', () => {
    expect(() => truncateText('abc', -1)).toThrow(RangeError);
    expect(() => truncateText('abc', 1.5)).toThrow(RangeError);
  });
});

describe('a message with hidden characters', () => {
  test('keeps newlines and tabs, and turns Windows line endings into newlines', () => {
    expect(stripControlChars('line one\r\nline two\tend\rthree')).toBe('line one\nline two\tend\nthree');
  });

  test('removes other C0 and C1 controls and DEL', () => {
    expect(stripControlChars('a\u0000b\u0007c\u001Bd\u007Fe\u009Bf')).toBe('abcdef');
  });

  test('treats the C1 next-line and Unicode line separators as newlines', () => {
    expect(stripControlChars('a\u0085b\u2028c\u2029d')).toBe('a\nb\nc\nd');
  });

  test('removes bidi overrides and isolates that could disguise text', () => {
    expect(stripControlChars('abc\u202Efed\u202C and \u2066x\u2069 \u202A\u202B\u202D')).toBe('abcfed and x ');
  });

  test('removes zero-width characters used to split an NHS number', () => {
    const hidden = '401\u200B023\u200D2137 and 4\u2060010\uFEFF232137 and 401\u00AD023\u200C2137';
    const cleaned = stripControlChars(hidden);
    expect(cleaned).toBe('4010232137 and 4010232137 and 4010232137');
    expect(detectPii(cleaned).spans.filter((s) => s.kind === 'nhs-number')).toHaveLength(3);
  });

  test('keeps the zero-width joiner inside an emoji sequence', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const technologist = '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}';
    expect(stripControlChars(`${family} ${technologist}`)).toBe(`${family} ${technologist}`);
    expect(stripControlChars('a\u200D\u200D\u{1F600}')).toBe('a\u{1F600}');
  });
});

describe('a message typed with full-width or compatibility characters', () => {
  test('full-width digits become ASCII so an NHS number is recognised', () => {
    const text = normaliseUnicode('NHS \uFF14\uFF10\uFF11 \uFF10\uFF12\uFF13 \uFF12\uFF11\uFF13\uFF17');
    expect(text).toBe('NHS 401 023 2137');
    expect(detectPii(text).kinds).toEqual(['nhs-number']);
  });

  test('ligatures become letters', () => {
    expect(normaliseUnicode('\uFB01rst referral')).toBe('first referral');
  });
});

describe('the whole clean-up for an incoming message', () => {
  test('normalises, strips and truncates in that order', () => {
    const text = `\uFF14010232137\u200B ${'x'.repeat(50)}`;
    const cleaned = cleanInput(text, 20);
    expect(cleaned).toBe(`4010232137 ${'x'.repeat(9)}`);
    expect(cleaned).toHaveLength(20);
  });

  test('undoes Teams markup: mentions and tags go, entities are decoded, quotes straightened', () => {
    expect(cleanInput('<at>e-RS Helper</at> <p>King\u2019s&nbsp;A&amp;G &lt;help&gt; &#39;2WW&#x27;</p>')).toBe(
      "King's A&G <help> '2WW'",
    );
    expect(cleanInput('\u201cPDS red\u201d')).toBe('"PDS red"');
  });

  test('a character reference that is no character is left as typed, not thrown on', () => {
    expect(cleanInput('smartcard &#99999999; blocked &#x110000;')).toBe('smartcard &#99999999; blocked &#x110000;');
  });

  test('a decoded entity cannot smuggle in a control or bidi character', () => {
    expect(cleanInput('PDS&#8238;red&#0;icon')).toBe('PDSredicon');
  });

  test('folds white space, line breaks included, to single spaces', () => {
    expect(cleanInput('  smartcard\r\n\tblocked \u2028 Bromley  ')).toBe('smartcard blocked Bromley');
  });

  test('nothing sent is an empty string', () => {
    expect(cleanInput(undefined)).toBe('');
    expect(cleanInput('')).toBe('');
    expect(cleanInput('<at>e-RS Helper</at>')).toBe('');
  });

  test('markup does not count towards the limit; a pasted essay is cut without splitting an emoji', () => {
    expect(cleanInput(`<p><b>${'a'.repeat(10)}</b></p>`, 10)).toBe('a'.repeat(10));
    const essay = `${'x'.repeat(19)}\u{1F600}${'y'.repeat(5000)}`;
    const cleaned = cleanInput(essay, 20);
    expect(cleaned).toBe('x'.repeat(19));
  });
});

describe('plain ASCII messages (issue 18: the clean-up skips the Unicode steps for them)', () => {
  /** Every step, always: what cleanInput did before it skipped the steps that leave ASCII as it is. */
  const everyStep = (raw: string) =>
    raw
      ? truncateText(
          stripControlChars(normaliseUnicode(stripMarkup(truncateText(raw, DEFAULT_MAX_CHARS * 2))))
            .replace(/\s+/g, ' ')
            .trim(),
          DEFAULT_MAX_CHARS,
        ).trimEnd()
      : '';

  test('are cleaned exactly as by every step, markup, entities and line endings included', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
      fc.constantFrom(
        '&amp;',
        '&#8217;',
        '&#x202E;',
        '&nbsp;',
        '<at>Bot</at>',
        '<b>x</b>',
        '\r\n',
        '\t',
        'é',
        '\u2028',
        '٣',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const raw = pieces.join('');
        expect(cleanInput(raw)).toBe(everyStep(raw));
      }),
      { numRuns: 5_000, seed: 18 },
    );
  });
});
