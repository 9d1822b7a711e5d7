import { describe, expect, test } from 'vitest';
import { detectRule } from '../../../knowledge/rules/deadlines.js';
import { fixtureMessages } from '../../helpers/fixture-messages.js';

// Issue 18: the availability rule is looked for only when the message holds one of its words, so
// most messages skip its two replacements and scan. That must never change which rule is read.

const AVAILABILITY_TALK = [
  'the patient is away',
  'pt on holiday',
  'over the bank holiday',
  'over the bank holidays weekend',
  'no slots available',
  'appointments unavailable',
  'no availability',
  'she is available from monday',
  'travelling abroad',
  'flies out friday',
  'flying to spain',
  'out of the country',
  'on vacation',
  'a trip',
  'any available',
  'Patient AWAY',
];

function sameRule(text: string): void {
  expect(detectRule(text), text).toBe(detectRule(text, { everyPattern: true }));
}

describe('the deadline rule read with the availability check first', () => {
  test('is the rule read without it, for every fixture message and with availability talk added', () => {
    const messages = fixtureMessages();
    expect(messages.length).toBeGreaterThan(1000);
    let availability = 0;
    for (const message of messages) {
      sameRule(message);
      for (const talk of AVAILABILITY_TALK) {
        const text = `${message} ${talk}`;
        sameRule(text);
        if (detectRule(text) === 'availability') availability++;
      }
    }
    // The added words must reach the availability rule for many messages, so the check is exercised.
    expect(availability).toBeGreaterThan(1000);
  });

  test('is the rule read without it for the availability words alone', () => {
    for (const talk of AVAILABILITY_TALK) sameRule(talk);
    expect(detectRule('the patient is away until march')).toBe('availability');
    expect(detectRule('no slots available over the bank holiday')).toBeUndefined();
  });
});
