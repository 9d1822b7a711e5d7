import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { paragraphs } from '../../dialogs/cards/card.js';

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
