import { describe, expect, test } from 'vitest';
import { loadKnowledge } from '../../knowledge/load.js';
import { evaluate, MIN_TOP1, readLabelledQuestions } from '../../knowledge/scripts/kb-eval.js';

function setup() {
  const kb = loadKnowledge();
  const questions = readLabelledQuestions();
  return { kb, questions, report: evaluate(kb, questions) };
}

describe('staff questions from the labelled set', () => {
  const { kb, questions, report } = setup();

  test('the set is big enough and covers every entry', () => {
    expect(questions.length).toBeGreaterThanOrEqual(170);
    expect(questions.filter((q) => q.expect === 'none').length).toBeGreaterThanOrEqual(20);
    const labelled = new Set(questions.flatMap((q) => (Array.isArray(q.expect) ? q.expect : [q.expect])));
    const uncovered = kb.entries.map((e) => e.id).filter((id) => !labelled.has(id));
    expect(uncovered).toEqual([]);
    expect(report.unknownIds).toEqual([]);
  });

  test(`the right entry comes first for at least ${100 * MIN_TOP1}% of them`, () => {
    const misses = report.misses.map((m) => `${m.q} → ${m.expect.join('/')} got ${m.got[0] ?? '-'}`);
    expect(report.top1 / report.inScope, misses.join('\n')).toBeGreaterThanOrEqual(MIN_TOP1);
    expect(report.top3 / report.inScope).toBeGreaterThanOrEqual(0.97);
  });

  test('every out-of-scope question gets no answer', () => {
    expect(report.oosMisses).toEqual([]);
    expect(report.outOfScopeCorrect).toBe(report.outOfScope);
  });

  test('a search takes well under a millisecond', () => {
    expect(report.p99Ms).toBeLessThan(1);
  });

  test('a confident answer is almost never wrong', () => {
    const { right, wrong } = report.confidence.confident;
    expect(wrong / Math.max(1, right + wrong)).toBeLessThanOrEqual(0.02);
  });
});
