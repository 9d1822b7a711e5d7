import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../knowledge/project-root.js';
import { detectAllPii, detectPii, PII_MARKERS } from '../../knowledge/safety/pii.js';
import { fixtureMessages } from '../helpers/fixture-messages.js';

// Issue 18: detectPii skips the full detection when a message has no digit, no "[" and nothing
// outside ASCII, since every identifier it flags needs one of those. The full detection must agree
// on every message: fixtures as sent and without their digits, and made-up text full of names,
// titles, markers and street words (the detector's own words, read from its source).

const SOURCE = readFileSync(path.join(projectRoot(), 'knowledge/safety/pii.ts'), 'utf8');
const WORDS = [...new Set(SOURCE.match(/[A-Za-z]+/g) ?? [])];

/** The pre-check and each scan's own check (NEEDS_ in pii.ts) against every scan run regardless. */
function agrees(text: string): void {
  const full = detectAllPii(text, { everyPattern: true });
  expect(detectPii(text), text).toEqual(full);
  expect(detectAllPii(text), text).toEqual(full);
}

describe('the pre-check before looking for patient details', () => {
  test('gives the full detection for every fixture message, as sent and without digits', () => {
    const messages = fixtureMessages();
    expect(messages.length).toBeGreaterThan(1000);
    for (const message of messages) {
      agrees(message);
      agrees(message.replace(/[0-9]/g, ''));
      agrees(message.replace(/[0-9]/g, '').replace(/\b([a-z])/g, (c) => c.toUpperCase()));
      agrees(message.replace(/\b([a-z])/g, (c) => c.toUpperCase()));
    }
  });

  test('still finds identifiers written without ASCII digits, and names beside masked ones', () => {
    const cases = [
      'NHS no ٤٠١ ٠٢٣ ٢١٣٧ deferred',
      'NHS no ４０１ ０２３ ２１３７ deferred',
      `Jane Smith ${PII_MARKERS['date-of-birth']} referral rejected`,
      `Mrs Jane Smith ${PII_MARKERS['nhs-number']}`,
    ];
    for (const text of cases) {
      agrees(text);
      expect(detectPii(text).found, text).toBe(true);
    }
  });

  test('gives the full detection for made-up text of names, titles, markers and street words', () => {
    const word = fc.oneof(
      fc.constantFrom(...WORDS),
      fc.constantFrom('Jane', 'Smith', 'Patel', "O'Brien", 'Mrs', 'Dr', 'DOB', 'born', 'lives at', 'Acacia'),
      fc.constantFrom(...Object.values(PII_MARKERS)),
      fc.constantFrom('401 023 2137', '07700 900123', 'SE1 7EH', '12/03/1954', '12 Acacia Avenue', '٣', 'é'),
      fc.constantFrom(
        '12 March 1954',
        'March 12th, 1954',
        '3rd of mar 50',
        'Mx',
        'MASTER',
        'dr.',
        'Flat 2, 4 High Street',
      ),
    );
    const separator = fc.constantFrom(' ', ', ', ': ', ' (', ') ', '\n', '-');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 8 }), (parts) => {
        agrees(parts.map(([w, s]) => `${w}${s}`).join(''));
      }),
      { numRuns: 5_000, seed: 18 },
    );
  });
});
