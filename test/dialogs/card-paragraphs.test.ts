import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { entryBody, focusOnPriority } from '../../dialogs/answer-card.js';
import { linkUrls, paragraphs, steps, text } from '../../dialogs/cards/card.js';
import { loadKnowledge } from '../../knowledge/load.js';

// Issue 18: paragraphs() keeps the last line it placed instead of splitting the growing list block again
// for every new line. It must split exactly as the first version did.
const LIST_LINE = /^(?:[-*•]|\d+[.)])\s/;
function firstVersion(value: string): string[] {
  const out: string[] = [];
  for (const line of value.split('\n')) {
    if (line.trim() === '') continue;
    const last = out.at(-1);
    if (last !== undefined && LIST_LINE.test(line) && LIST_LINE.test(last.split('\n').at(-1) ?? ''))
      out[out.length - 1] = `${last}\n${line}`;
    else out.push(line);
  }
  return out;
}

describe('card paragraphs', () => {
  test('a run of list lines stays one block; other lines are blocks of their own', () => {
    expect(paragraphs('Intro\n1. one\n2. two\n\nAfter\n- a\n- b')).toEqual([
      'Intro',
      '1. one\n2. two',
      'After',
      '- a\n- b',
    ]);
  });

  test('splits any text as the first version did', () => {
    const line = fc.oneof(
      fc.constantFrom('', ' ', 'Text', '- item', '* item', '• item', '1. step', '2) step', '3.no space', '-nospace'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const value = lines.join('\n');
        expect(paragraphs(value)).toEqual(firstVersion(value));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a card text block (issue 18: one line with no web address skips the link and paragraph steps)', () => {
  /** text() as it was: every line through linkUrls and paragraphs. */
  function everyStep(raw: string, options: Record<string, unknown>) {
    const value = linkUrls(raw);
    const blocks = paragraphs(value);
    if (blocks.length <= 1) return { type: 'TextBlock', text: value, wrap: true, ...options };
    const { spacing, ...style } = options;
    return {
      type: 'Container',
      ...(spacing ? { spacing } : {}),
      items: blocks.map((block, i) => ({
        type: 'TextBlock',
        text: block,
        wrap: true,
        ...style,
        ...(i > 0 ? { spacing: 'Small' } : {}),
      })),
    };
  }

  test('is the same element as before, for lines, lists, blanks and addresses', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        '\n',
        ' ',
        '- ',
        '1. ',
        'http',
        'https://e-rs.nhs.uk/x',
        ' http://a.b',
        '[a](https://b.c)',
        'HTTP',
      ),
    );
    const options = fc.constantFrom<Record<string, unknown>>(
      {},
      { isSubtle: true },
      { spacing: 'Small', weight: 'Bolder' },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), options, (pieces, opts) => {
        const raw = pieces.join('');
        const drawn = text(raw, opts);
        expect(JSON.stringify(drawn)).toBe(JSON.stringify(everyStep(raw, opts)));
      }),
      { numRuns: 5_000, seed: 18 },
    );
  });
});

describe("an entry's answer and steps (issue 18: drawn once per knowledge base)", () => {
  test('are what drawing them afresh gives, for every entry and priority, in a new array each time', () => {
    const kb = loadKnowledge();
    for (const entry of kb.entries) {
      for (const priority of [undefined, '2ww', 'urgent', 'routine'] as const) {
        const afresh = [text(focusOnPriority(entry.answer, priority))];
        if (entry.steps.length > 0) afresh.push(steps(entry.steps));
        const first = entryBody(entry, priority);
        const second = entryBody(entry, priority);
        expect(second).toEqual(afresh);
        expect(second).not.toBe(first);
        // Callers add their own parts to the array they get: that must not reach the next answer.
        first.push(text('added by one card'));
        expect(entryBody(entry, priority)).toHaveLength(afresh.length);
        expect(Object.isFrozen(second[0])).toBe(true);
      }
    }
  });
});
