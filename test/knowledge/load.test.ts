import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  KnowledgeError,
  loadKnowledge,
  loadKnowledgeFromObjects,
  TROUBLESHOOTING_PREFIXES,
} from '../../knowledge/load.js';
import { projectRoot } from '../../knowledge/project-root.js';

const root = projectRoot();
const dataDir = path.join(root, 'knowledge', 'data');
const seedsDir = path.join(root, 'knowledge', 'source');

function setup() {
  const seeds = readdirSync(seedsDir)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => readFileSync(path.join(seedsDir, name), 'utf8'))
    .join('\n');
  const rawContacts = readFileSync(path.join(dataDir, 'contacts.json'), 'utf8');
  const rawEntries = readdirSync(path.join(dataDir, 'entries'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => readFileSync(path.join(dataDir, 'entries', name), 'utf8'));
  return { seeds, rawContacts, rawEntries };
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// UK numbers as the pack writes them: 0208 315 8702, 020 8176 5400, 0345 60 88 88 8.
const PHONE = /\b0\d{2,4}(?:[ -]?\d{1,4}){2,5}\b/g;

function minimalContacts() {
  return {
    organisations: [{ id: 'kch-dh', trust: 'kch', name: "King's Denmark Hill", aliases: ['denmark hill'] }],
    routes: [
      {
        id: 'find-clinic-kch-dh',
        purpose: 'find-clinic',
        sites: ['kch-dh'],
        how: 'Email the e-RS team via the generic mailbox.',
        emails: ['kch-tr.e-ReferralService@nhs.net'],
        source: 'ers-pack',
        section: 'Finding the right service on e-RS',
      },
    ],
  };
}

function entry(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    title: `Entry ${id}`,
    source: 'ers-pack',
    section: 'Some section',
    answer: 'An answer that is long enough for the schema.',
    questions: ['one question', 'two question', 'three question'],
    keywords: ['word'],
    ...extra,
  };
}

describe('the real knowledge data', () => {
  test('validates, with entries, routes and organisations', () => {
    const kb = loadKnowledge();
    expect(kb.entries.length).toBeGreaterThan(20);
    expect(kb.byId.size).toBe(kb.entries.length);
    expect(kb.routesById.size).toBe(kb.contacts.routes.length);
    expect(Object.isFrozen(kb)).toBe(true);
    expect(Object.isFrozen(kb.entries[0])).toBe(true);
  });

  test('has each troubleshooting issue exactly once, including ts-1 and ts-8 by their fixed ids', () => {
    const kb = loadKnowledge();
    for (const prefix of TROUBLESHOOTING_PREFIXES) {
      expect(
        kb.entries.filter((e) => e.id.startsWith(prefix)),
        prefix,
      ).toHaveLength(1);
    }
    expect(kb.byId.has('ts-1-temporary-patient')).toBe(true);
    expect(kb.byId.has('ts-8-ag-not-actioned')).toBe(true);
  });

  test('never states an email address or phone number that is not in the seed documents', () => {
    const { seeds, rawContacts, rawEntries } = setup();
    const texts = [rawContacts, ...rawEntries];
    const emails = texts.flatMap((text) => text.match(EMAIL) ?? []);
    const phones = texts.flatMap((text) => text.match(PHONE) ?? []);
    expect(emails.length).toBeGreaterThan(10);
    expect(phones).toEqual(expect.arrayContaining(['0208 315 8702', '020 8176 5400', '0345 60 88 88 8']));
    const invented = [...emails, ...phones].filter((value) => !seeds.includes(value));
    expect(invented).toEqual([]);
  });
});

describe('an author makes several mistakes in the data', () => {
  test('every cross-reference problem is reported in one error', () => {
    const contacts = minimalContacts();
    const [route] = contacts.routes;
    contacts.routes.push({ ...(route as (typeof contacts.routes)[number]), sites: ['lgt-qeh'] });
    const entries = [
      { file: 'entries/a.json', data: [entry('alpha', { related: ['missing-entry'], contacts: ['no-such-route'] })] },
      { file: 'entries/b.json', data: [entry('alpha'), entry('beta', { related: ['beta'] })] },
    ];
    expect.assertions(8);
    try {
      loadKnowledgeFromObjects({ file: 'contacts.json', data: contacts }, entries, { requiredPrefixes: ['ts-1-'] });
    } catch (err: unknown) {
      expect(err).toBeInstanceOf(KnowledgeError);
      const problems = (err as KnowledgeError).problems.join('\n');
      expect(problems).toMatch(/duplicate entry id "alpha" \(in entries\/a\.json, entries\/b\.json\)/);
      expect(problems).toMatch(/duplicate route id "find-clinic-kch-dh"/);
      expect(problems).toMatch(/unknown related id "missing-entry"/);
      expect(problems).toMatch(/entry "beta" lists itself as related/);
      expect(problems).toMatch(/unknown contact route "no-such-route"/);
      expect(problems).toMatch(/route "find-clinic-kch-dh" uses site "lgt-qeh" with no organisation/);
      expect(problems).toMatch(/exactly one entry with id "ts-1-…", found 0/);
    }
  });

  test('schema problems name the file and the field', () => {
    expect(() =>
      loadKnowledgeFromObjects(minimalContacts(), [
        { file: 'entries/bad.json', data: [entry('Bad Id', { answer: 'x' })] },
      ]),
    ).toThrow(/entries\/bad\.json: 0\.id: ids are kebab-case[\s\S]*entries\/bad\.json: 0\.answer/);
  });

  test('a missing troubleshooting issue is reported', () => {
    expect(() =>
      loadKnowledgeFromObjects(minimalContacts(), [[entry('ts-1-temporary-patient')]], {
        requiredPrefixes: ['ts-1-', 'ts-2-'],
      }),
    ).toThrow(/exactly one entry with id "ts-2-…", found 0/);
  });

  test('synonyms and stop words are checked: a phrase under two tokens, a bad token, a dropped token', () => {
    const load = (synonyms: unknown, stopWords: unknown) =>
      loadKnowledgeFromObjects(minimalContacts(), [[entry('alpha')]], {
        synonyms: { file: 'synonyms.json', data: synonyms },
        stopWords: { file: 'stop-words.json', data: stopWords },
      });
    expect(() =>
      load({ synonyms: { kch: ["King's", 'denmark hill'], pruh: ['Kings'] } }, { stopWords: ['the'] }),
    ).toThrow(/synonyms\.json: "Kings" is listed under both "kch" and "pruh"/);
    expect(() => load({ synonyms: { 'Two Week': ['2ww'] } }, { stopWords: ['the'] })).toThrow(
      /synonyms\.json: synonyms\.Two Week: canonical tokens are one lower-case word/,
    );
    expect(() => load({ synonyms: { kch: ['kings'] } }, { stopWords: ['the', 'kch', 'the'] })).toThrow(
      /stop-words\.json: "the" is listed twice[\s\S]*stop-words\.json: "kch" is a canonical token/,
    );
    expect(() => load({ synonyms: { kch: ['kings'] } }, { stopWords: ['two words'] })).toThrow(
      /stop-words\.json: stopWords\.0: stop words are one cleaned word/,
    );
  });

  test('the loaded vocabulary is what search reads with, and is frozen', () => {
    const kb = loadKnowledgeFromObjects(minimalContacts(), [[entry('alpha')]], {
      synonyms: { file: 'synonyms.json', data: { synonyms: { kch: ['kings', 'denmark hill'] } } },
      stopWords: { file: 'stop-words.json', data: { stopWords: ['at', 'the'] } },
    });
    expect(kb.normaliser.tokens("Blocked at the King's Denmark Hill")).toEqual(['block', 'kch']);
    expect(Object.isFrozen(kb.vocabulary.synonyms.kch)).toBe(true);
    // Without the files (tests), nothing is a synonym or a stop word.
    const bare = loadKnowledgeFromObjects(minimalContacts(), [[entry('alpha')]]);
    expect(bare.normaliser.tokens("Blocked at the King's")).toEqual(['block', 'at', 'the', 'king']);
  });

  test('valid objects load into a frozen knowledge base', () => {
    const kb = loadKnowledgeFromObjects(minimalContacts(), [[entry('alpha', { contacts: ['find-clinic-kch-dh'] })]]);
    expect(kb.byId.get('alpha')?.contacts).toEqual(['find-clinic-kch-dh']);
    expect(kb.routesById.get('find-clinic-kch-dh')?.emails).toEqual(['kch-tr.e-ReferralService@nhs.net']);
  });
});
