import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../knowledge/project-root.js';
import { detectIssue, detectPurpose, detectPurposes } from '../../dialogs/understand.js';
import { fixtureMessages } from '../helpers/fixture-messages.js';

// Issue 18: each problem and purpose signal first looks for a word all its patterns need (its
// `needs`), so most messages skip the longer patterns. That must never change what is read: every
// message below is read with the checks and with every signal's test run regardless. The messages
// are every fixture message, and the words of understand.ts itself set in pairs and in sentences
// that name problems and purposes, so each signal is tried with the words it matches on.

const SOURCE = readFileSync(path.join(projectRoot(), 'dialogs/understand.ts'), 'utf8');
const VOCABULARY = [...new Set(SOURCE.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [])].sort();
const FRAMES = [
  (w: string) => w,
  (w: string) => `the patient ${w} booked`,
  (w: string) => `${w} not booked yet`,
  (w: string) => `the hospital has not ${w} booked it`,
  (w: string) => `can't find ${w} clinic`,
  (w: string) => `can't find ${w}`,
  (w: string) => `clinics ${w} not showing`,
  (w: string) => `a&g ${w} not actioned`,
  (w: string) => `deferred ${w} not contacted`,
  (w: string) => `${w} spine sync error`,
  (w: string) => `red ${w} bar`,
  (w: string) => `no nhs ${w} number`,
  (w: string) => `temp ${w} resident`,
  (w: string) => `smartcard ${w} locked`,
  (w: string) => `train ${w} staff`,
  (w: string) => `show ${w} how`,
];

function sameReading(text: string): void {
  const every = { everyPattern: true };
  expect(detectIssue(text), text).toBe(detectIssue(text, every));
  expect(detectPurpose(text), text).toBe(detectPurpose(text, every));
  expect(detectPurposes(text), text).toEqual(detectPurposes(text, every));
}

describe('the problem and purpose signals read with their word checks first', () => {
  test('read every fixture message as they do without them', () => {
    const messages = fixtureMessages();
    expect(messages.length).toBeGreaterThan(1000);
    let found = 0;
    for (const message of messages) {
      const lower = message.toLowerCase();
      sameReading(lower);
      if (detectIssue(lower) !== undefined || detectPurpose(lower) !== undefined) found++;
    }
    // Plenty of fixture messages name a problem or purpose, so the checks are exercised.
    expect(found).toBeGreaterThan(300);
  });

  test('read the words of understand.ts in every frame, and in pairs, as they do without them', () => {
    expect(VOCABULARY.length).toBeGreaterThan(300);
    for (const word of VOCABULARY) for (const frame of FRAMES) sameReading(frame(word));
    for (const [i, first] of VOCABULARY.entries()) {
      for (const [j, second] of VOCABULARY.entries()) if ((i + j) % 5 === 0) sameReading(`${first} ${second}`);
    }
  });
});
