import { describe, expect, test } from 'vitest';
import { expansionAsked, expansionsOf } from '../../knowledge/glossary.js';
import type { Entry } from '../../knowledge/schema.js';
import { testKnowledge } from '../helpers/knowledge.js';

function entry(id: string, answer: string): Entry {
  return { id, title: id, answer, steps: [], passages: [] } as unknown as Entry;
}

describe('the acronyms the pack spells out', () => {
  test('read either way round, capitalised spellings first', () => {
    const found = expansionsOf([
      entry('a', 'advice and guidance (A&G) is a two-way channel'),
      entry(
        'b',
        'Requests are shown as Advice & Guidance (A&G) on the worklist. A DBS (Directly Bookable Service) books.',
      ),
      entry('c', 'Use the Directory of Services (DoS) and tell the appointment line (TAL).'),
    ]);
    expect(found.get('a&g')).toEqual({ acronym: 'A&G', expansion: 'Advice & Guidance', entryId: 'b' });
    expect(found.get('dbs')?.expansion).toBe('Directly Bookable Service');
    expect(found.get('dos')?.expansion).toBe('Directory of Services');
    expect(found.get('tal')?.expansion).toBe('the appointment line');
  });

  test('words whose initials do not spell the acronym are not an expansion', () => {
    const found = expansionsOf([entry('a', 'urgent suspected cancer (2WW) and some other text (XYZ)')]);
    expect(found.size).toBe(0);
  });

  test('the pack itself spells out UBRN, PDS and RA', () => {
    const found = expansionsOf(testKnowledge().kb.entries);
    expect(found.get('ubrn')?.expansion).toBe('Unique Booking Reference Number');
    expect(found.get('pds')?.expansion).toBe('Personal Demographics Service');
    expect(found.get('ra')?.expansion).toBe('Registration Authority');
  });

  test('"what does ... stand for?" asked in staff words', () => {
    const found = expansionsOf(testKnowledge().kb.entries);
    for (const q of [
      'sorry silly q but what does ubrn actually stand for',
      'whats ubrn short for?',
      'ubrn stands for what',
    ])
      expect(expansionAsked(q, found)?.acronym).toBe('UBRN');
    expect(expansionAsked('what does it mean for the patient', found)).toBeUndefined();
  });
});
