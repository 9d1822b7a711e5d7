import { describe, expect, test } from 'vitest';
import { extractEntities } from '../../knowledge/entities.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { createSearch } from '../../knowledge/search.js';

const kb = loadKnowledge();
const search = createSearch(kb);
const find = (text: string, minWords?: number) =>
  search.findContacts(text, extractEntities(text, kb), minWords).map((r) => r.id);

describe('finding a contact by the words staff use for it', () => {
  test.each([
    ["the generic e-RS mailbox at King's Denmark Hill", ['find-clinic-kch-dh']],
    ['the systems manager at the PRUH', ['find-clinic-kch-pruh']],
    ['the Halo portal link', ['smartcard-ra-sel']],
    ['email for the primary care facilitators', ['training-primary-care-facilitators']],
    ['what is the number for the appointment line', ['appointment-line-tal']],
    ['the central booking team at Lewisham', ['deferred-not-booked-lgt']],
  ])('%s', (text, ids) => {
    expect(find(text)).toEqual(ids);
  });

  test('every contact in the directory is findable by its own name and place', () => {
    for (const route of kb.contacts.routes) {
      const place = route.sites?.[0] ? (kb.organisations.find((o) => o.id === route.sites?.[0])?.aliases[0] ?? '') : '';
      const found = find(`${route.who} ${place}`);
      const same = found.map((id) => kb.routesById.get(id)?.who);
      expect(same, route.id).toContain(route.who);
    }
  });

  test('words that only say what kind of contact, or where, name no one', () => {
    for (const text of [
      'email for kings',
      'who do i call',
      'the bulk service update team address',
      'mailbox for the hospital',
    ])
      expect(find(text), text).toEqual([]);
  });

  test('"who is allowed to run a bulk service update" names no one by two words', () => {
    expect(find('who is allowed to run a bulk service update', 2)).toEqual([]);
  });
});
