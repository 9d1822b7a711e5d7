import { describe, expect, test } from 'vitest';
import { entitiesOfFolded, extractEntities } from '../../knowledge/entities.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { foldForSearch } from '../../knowledge/normalise.js';

// Search folds a message once and hands the folded text on; each reader must read it as it reads the raw message.
describe('readers of a message folded once', () => {
  const kb = loadKnowledge();
  const messages = [
    '<at>e-RS Helper</at> Smart card blocked at King’s!',
    '2WW email for kings PRUH, not Denmark Hill?',
    'our practice is in Orpington &amp; we use Lewisham hospital',
    'what is advice and guidance for',
    'urgent, not cancer - routine rather than urgent',
    '',
  ];

  test.each(messages)('tokens: %s', (message) => {
    expect(kb.normaliser.tokensOfFolded(foldForSearch(message))).toEqual(kb.normaliser.tokens(message));
  });

  test.each(messages)('entities: %s', (message) => {
    expect(entitiesOfFolded(foldForSearch(message), kb)).toEqual(extractEntities(message, kb));
  });

  test.each(messages)('words split once and handed on, left as they were: %s', (message) => {
    const folded = foldForSearch(message);
    const words = Object.freeze(folded.split(' ').filter(Boolean));
    expect(kb.normaliser.tokensOfFolded(folded, words)).toEqual(kb.normaliser.tokens(message));
    expect(entitiesOfFolded(folded, kb, words)).toEqual(extractEntities(message, kb));
    expect(words).toEqual(folded.split(' ').filter(Boolean));
  });

  test('the folded readers still find what the message names', () => {
    const folded = foldForSearch('2WW email for kings PRUH?');
    expect(kb.normaliser.tokensOfFolded(folded)).toContain('2ww');
    expect(entitiesOfFolded(folded, kb)).toMatchObject({ sites: ['kch-pruh'], priority: '2ww' });
  });
});
