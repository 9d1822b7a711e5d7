import { describe, expect, test } from 'vitest';
import { extractEntities, extractPriorities, extractPriority } from '../../knowledge/entities.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { foldForSearch } from '../../knowledge/normalise.js';
import {
  CONFIDENCE_THRESHOLDS,
  classifyOutOfScope,
  createSearch,
  damerauLevenshtein,
  FUSE_OPTIONS,
  isOutOfScope,
} from '../../knowledge/search.js';

function setup() {
  const kb = loadKnowledge();
  return { kb, engine: createSearch(kb) };
}

describe('normalising what staff type', () => {
  const { tokens, normaliseQuery } = loadKnowledge().normaliser;

  test('strips a Teams mention, HTML, entities and curly quotes', () => {
    expect(foldForSearch('<at>e-RS Helper</at> <p>King’s&nbsp;A&amp;G &lt;help&gt;</p>')).toBe('kings a & g help');
  });

  test('decodes numeric entities before folding, and leaves a reference that is no character', () => {
    expect(foldForSearch('Caf&#233; &#x2019;PRUH&#8217;s&#x2019; &#99999999;')).toBe('cafe pruhs & 99999999');
  });

  test('turns abbreviations and names into one canonical term', () => {
    for (const text of ['2WW', 'two week wait', '2 week wait', 'USC', 'urgent suspected cancer']) {
      expect(tokens(text), text).toEqual(['2ww']);
    }
    for (const text of ['A&G', 'advice & guidance', 'Advice and Guidance', 'a and g']) {
      expect(tokens(text), text).toEqual(['adviceguidance']);
    }
    expect(tokens("King's")).toEqual(['kch']);
    expect(tokens('Denmark Hill')).toEqual(['kch']);
    expect(tokens('Princess Royal')).toEqual(['pruh']);
    expect(tokens("Guy's and St Thomas'")).toEqual(['gstt']);
    expect(tokens('Lewisham and Greenwich')).toEqual(['lgt']);
    expect(tokens('smart card')).toEqual(['smartcard']);
    expect(tokens('Directory of Services')).toEqual(['dos']);
    expect(tokens('did not attend')).toEqual(['dna']);
    expect(tokens('Manage Your Referral')).toEqual(['myr']);
    expect(tokens('e-RS')).toEqual(['ers']);
    expect(tokens('Optum')).toEqual(['emis']);
  });

  test('drops filler words, stems, and keeps word order', () => {
    expect(normaliseQuery('My smartcard is BLOCKED at the practice!!')).toBe(
      'smartcard blocked practice'.replace('blocked', 'block'),
    );
  });

  test('keeps the synonym table frozen', () => {
    expect(Object.isFrozen(loadKnowledge().vocabulary.synonyms)).toBe(true);
    expect(Object.isFrozen(FUSE_OPTIONS)).toBe(true);
    expect(Object.isFrozen(CONFIDENCE_THRESHOLDS)).toBe(true);
  });
});

describe('reading places and priority from a message', () => {
  const { kb } = setup();

  test('"Lewisham" next to "practice" or "smartcard" is the borough', () => {
    expect(extractEntities('smartcard blocked, lewisham practice', kb)).toMatchObject({
      boroughs: ['lewisham'],
      sites: [],
    });
  });

  test('"Lewisham hospital" is the UHL site of LGT, not the borough', () => {
    expect(extractEntities('2ww email for lewisham hospital', kb)).toMatchObject({
      sites: ['lgt-uhl'],
      trusts: ['lgt'],
      boroughs: [],
      priority: '2ww',
    });
  });

  test('"Lewisham" with no context gives both readings', () => {
    expect(extractEntities('downtime email lewisham', kb)).toMatchObject({
      sites: ['lgt-uhl'],
      boroughs: ['lewisham'],
    });
  });

  test('"Lewisham and Greenwich" is the trust with both sites and neither borough', () => {
    expect(extractEntities('lewisham and greenwich referrals email', kb)).toEqual({
      sites: ['lgt-qeh', 'lgt-uhl'],
      trusts: ['lgt'],
      boroughs: [],
    });
  });

  test('"Bromley" is the borough unless a hospital word is next to it; PRUH is the site', () => {
    expect(extractEntities('smartcard blocked bromley', kb)).toMatchObject({ boroughs: ['bromley'], sites: [] });
    expect(extractEntities('bromley hospital 2ww', kb)).toMatchObject({ sites: ['kch-pruh'], boroughs: [] });
    expect(extractEntities('pruh urgent referrals', kb)).toMatchObject({
      sites: ['kch-pruh'],
      trusts: ['kch'],
      priority: 'urgent',
    });
  });

  test('"Greenwich" is the borough; with "hospital" it is QEH', () => {
    expect(extractEntities('order a smartcard in greenwich', kb)).toMatchObject({ boroughs: ['greenwich'], sites: [] });
    expect(extractEntities('greenwich hospital routine', kb)).toMatchObject({
      sites: ['lgt-qeh'],
      priority: 'routine',
    });
  });

  test('a trust-level name gives every site unless a site is named too', () => {
    expect(extractEntities("King's", kb)).toMatchObject({ trusts: ['kch'], sites: ['kch-dh', 'kch-pruh'] });
    expect(extractEntities("King's PRUH", kb)).toMatchObject({ trusts: ['kch'], sites: ['kch-pruh'] });
    expect(extractEntities('LGT', kb)).toMatchObject({ trusts: ['lgt'], sites: ['lgt-qeh', 'lgt-uhl'] });
    expect(extractEntities('QEH', kb)).toMatchObject({ trusts: ['lgt'], sites: ['lgt-qeh'] });
  });

  test('priority: urgent suspected cancer is 2WW, "non urgent" is routine', () => {
    expect(extractPriority('urgent suspected cancer')).toBe('2ww');
    expect(extractPriority('USC referral')).toBe('2ww');
    expect(extractPriority('it is urgent')).toBe('urgent');
    expect(extractPriority('non urgent referral')).toBe('routine');
    expect(extractPriority('routine')).toBe('routine');
    expect(extractPriority('smartcard')).toBeUndefined();
    // Staff count them: "urgents", "routines", "2wws".
    expect(extractPriority('do urgents go by email yet?')).toBe('urgent');
    expect(extractPriority('what about the routines')).toBe('routine');
    expect(extractPriority('any 2wws waiting')).toBe('2ww');
  });

  test('a priority corrected away is not named: "it went as a 2ww not routine"', () => {
    expect(extractPriorities('sorry, it went as a 2ww not routine')).toEqual(['2ww']);
    expect(extractPriorities('urgent rather than routine')).toEqual(['urgent']);
    expect(extractPriorities('routine, not urgent')).toEqual(['routine']);
    expect(extractPriorities('2WW and urgent referrals')).toEqual(['2ww', 'urgent']);
  });
});

describe('searching the knowledge base', () => {
  test('a worklist status named as the screen shows it points at that status', () => {
    // "Rejected" is both a status and a worklist's name: said as a status, the status's entry leads.
    const top = engine.search('one of our refs has come back marked Rejected, what do we do with it?').results[0];
    expect(top?.entry.id).toBe('worklist-status-rejected');
  });

  test('a word that is also a place elsewhere is not that place ("card reader isnt reading")', () => {
    expect(engine.search('card reader isnt reading my smartcard').outOfScope).toBeUndefined();
  });

  test('a status named outranks the statuses not named; a worklist named is not its status', () => {
    const dna = engine.search('one on our list now says did not attend, what do we do with it');
    expect(dna.results[0]?.entry.id).toBe('worklist-status-did-not-attend');
    // "the assessment results list" is the worklist; the status said is "cancelled referral".
    const cancelled = engine.search('two showing cancelled referral on the assessment results list, anything to do?');
    expect(cancelled.results[0]?.entry.id).toBe('worklist-status-cancelled-referral');
  });

  test("a practice's booking question is not answered from the providers' bulk update guidance", () => {
    const practice = engine.search('how do i book a patient into a clinic on ers');
    expect(practice.results[0]?.entry.source).toBe('ers-pack');
    const provider = engine.search('what should we check after the bulk update');
    expect(provider.results[0]?.entry.id).toBe('bsu-checks-after-update');
  });

  const { kb, engine } = setup();

  test('a misspelt smartcard question still finds the smartcard issue', () => {
    const result = engine.search('smartcrd not wrking');
    expect(result.results[0]?.entry.id).toBe('ts-5-smartcard-blocked');
    expect(result.confidence).not.toBe('none');
  });

  test('a clear question is answered confidently, with the normalised query returned', () => {
    const result = engine.search('PDS red');
    expect(result.query).toBe('pds red');
    expect(result.results[0]?.entry.id).toBe('ts-3-pds-spine-sync');
    expect(result.confidence).toBe('confident');
    expect(result.results[0]?.score).toBeLessThanOrEqual(CONFIDENCE_THRESHOLDS.confident);
  });

  test('scores run from 0 (best) to 1 and are sorted', () => {
    const { results } = engine.search('2ww email kings when ers down', { limit: 4 });
    expect(results).toHaveLength(4);
    const scores = results.map((r) => r.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
  });

  test('the entities of the query come back with the results', () => {
    const result = engine.search('2ww email kings when ers down');
    expect(result.entities).toMatchObject({ trusts: ['kch'], priority: '2ww' });
    expect(result.results[0]?.entry.id).toBe('downtime-after-24-hours');
  });

  test('a question with no e-RS words gets no answer', () => {
    for (const q of ['where is the stationery cupboard', 'annual leave request form', 'xyzzy plugh']) {
      expect(engine.search(q).confidence, q).toBe('none');
    }
  });

  test('clinical questions and small talk are out of scope', () => {
    expect(engine.search('what dose of amoxicillin')).toMatchObject({
      confidence: 'none',
      outOfScope: 'clinical',
      results: [],
    });
    expect(engine.search('is this rash cancer').outOfScope).toBe('clinical');
    // Which priority a presentation warrants is a clinical decision, even asked as a referral question.
    for (const q of [
      'should I refer chest pain as 2ww?',
      'is this rash cancer, should I refer on 2ww via ers',
      'does a breast lump count as a 2ww?',
      'would weight loss and anaemia meet the 2ww criteria for ers',
    ]) {
      expect(classifyOutOfScope(q, kb.normaliser), q).toBe('clinical');
    }
    for (const q of ['hi', 'thanks', 'tell me a joke', 'recommend a good pizza place']) {
      expect(classifyOutOfScope(q, kb.normaliser), q).toBe('small-talk');
      expect(engine.search(q).confidence, q).toBe('none');
    }
  });

  test('an e-RS question that mentions cancer or a drug stays in scope', () => {
    const { normaliser } = setup().kb;
    expect(isOutOfScope('how do I send a 2ww for a breast lump via ers', normaliser)).toBe(false);
    expect(isOutOfScope('should I refer as 2ww if the patient is away for a month', normaliser)).toBe(false);
    expect(isOutOfScope('2ww tips patient going on holiday for a month', normaliser)).toBe(false);
    expect(isOutOfScope('thanks, where do I attach the referral letter', normaliser)).toBe(false);
  });

  test('the fuse.js reference engine ranks the same obvious question first', () => {
    const { kb } = setup();
    const fuse = createSearch(kb, { engine: 'fuse' });
    expect(fuse.search('pds red').results[0]?.entry.id).toBe('ts-3-pds-spine-sync');
  });
});

describe('edit distance for typos', () => {
  test('counts a swap of neighbours as one edit and gives up past the limit', () => {
    expect(damerauLevenshtein('smartcard', 'smartcrad', 2)).toBe(1);
    expect(damerauLevenshtein('wrk', 'work', 1)).toBe(1);
    expect(damerauLevenshtein('pizza', 'referral', 2)).toBe(3);
  });
});
