import { describe, expect, test } from 'vitest';
import { downtimeAdvice } from '../../dialogs/downtime.js';
import { type ConversationContext, readMessage, route } from '../../dialogs/turn/route.js';
import type { Topic } from '../../dialogs/turn/topic.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { createSearch } from '../../knowledge/search.js';

/**
 * `route` is pure: a message, read once, and the conversation's context in; which feature answers,
 * with which details, out. These tables drive it without an adapter.
 */
const kb = loadKnowledge();
const search = createSearch(kb);
const NOW = new Date('2026-11-30T12:00:00Z');
const at = NOW.toISOString();

function routed(text: string, conversation: ConversationContext = {}) {
  return route(readMessage(text, NOW, { search }), conversation, kb);
}

const topics: Record<string, Topic> = {
  agKings: { feature: 'contact', purpose: 'ag-not-actioned', sites: ['kch-dh', 'kch-pruh'], boroughs: [], at },
  deferralRule: {
    feature: 'knowledge',
    entryId: 'deferral-contact-date',
    sites: [],
    boroughs: [],
    priority: 'urgent',
    at,
  },
  downtimeEntry: { feature: 'knowledge', entryId: 'downtime-after-24-hours', sites: [], boroughs: [], at },
  pds: { feature: 'troubleshoot', issue: 3, sites: [], boroughs: [], at },
  downtime: {
    feature: 'downtime',
    sites: [],
    boroughs: [],
    downSince: '2026-11-30T09:00:00.000Z',
    at,
  },
};

describe('a message with no context starts what it asks', () => {
  test.each([
    ['my smartcard is blocked', 'troubleshoot'],
    ['e-RS has been down since 8am', 'downtime'],
    ['routine referral deferred on 2 December 2026, when should they hear?', 'deadline'],
    ['who do I email about training?', 'contact'],
    ['what is a RAS?', 'knowledge'],
    ['should I refer chest pain as 2ww?', 'knowledge'],
    // A provider telling the appointment line about its planned outage is the bulk service update guidance.
    ['how do we tell the appointment line about a planned outage?', 'knowledge'],
    // A command is the announcements feature's, whatever entry its words happen to match.
    ['cancel reminder ab12cd34', 'command'],
  ])('%s → %s', (text, kind) => {
    const r = routed(text);
    expect(r.intent.kind).toBe(kind);
    expect(r.refines).toBeUndefined();
  });

  test.each([
    ['ers is broken on two of our PCs, everyone else in the building is fine', 'local'],
    ['the ers button in emis has done nothing all morning', 'link'],
  ] as const)('%s → downtime, %s', (text, situation) => {
    expect(routed(text).intent).toEqual({ kind: 'downtime', situation });
  });

  test('a contact asked for by role is that contact alone', () => {
    const r = routed('who is the systems manager at the PRUH?');
    expect(r.intent).toMatchObject({ kind: 'contact', routeIds: ['find-clinic-kch-pruh'] });
  });
});

describe('a follow-up refines the topic answered last', () => {
  test.each([
    ['its the pruh', 'agKings', 'contact', { sites: ['kch-pruh'] }],
    ['and routine?', 'deferralRule', 'knowledge', { priority: 'routine' }],
    ['we deferred it on 19 May 2026', 'deferralRule', 'deadline', { priority: 'urgent' }],
    ['it went down at 3pm yesterday', 'downtimeEntry', 'downtime', {}],
    ['done that, still red', 'pds', 'troubleshoot', {}],
    ["it's 4pm now", 'downtime', 'downtime', {}],
    // A short yes/no question straight after an answer is about that answer.
    ['do we need to tell patients?', 'downtime', 'downtime', {}],
    ['can she do that herself?', 'pds', 'troubleshoot', {}],
  ])('"%s" after %s → %s', (text, topic, kind, entities) => {
    const t = topics[topic] as Topic;
    const r = routed(text, { topic: t });
    expect(r.intent.kind).toBe(kind);
    expect(r.refines).toEqual(t);
    expect(r.entities).toMatchObject(entities);
  });

  test.each([
    ['and routine?', 'downtime-2ww', 'downtime-urgent-routine'],
    ['what about urgent ones', 'downtime-2ww', 'downtime-urgent-routine'],
    ['and for a 2ww?', 'downtime-urgent-routine', 'downtime-2ww'],
    ['its the pruh', 'downtime-2ww', 'downtime-2ww'],
  ] as const)('"%s" after the %s mailbox asks for the %s one', (text, from, to) => {
    const topic: Topic = { feature: 'contact', purpose: from, sites: ['kch-dh'], boroughs: [], at };
    expect(routed(text, { topic }).intent).toEqual({ kind: 'contact', purpose: to });
  });

  test('"how long should that take?" after a stuck deferral asks the rule: every priority\'s line, or the one known', () => {
    const stuck: Topic = { feature: 'troubleshoot', issue: 7, sites: [], boroughs: [], at };
    const r = routed('how long should that take', { topic: stuck });
    expect(r.intent.kind).toBe('knowledge');
    expect(r.refines).toMatchObject({ feature: 'knowledge', entryId: 'deferral-contact-date' });
    const urgent = routed('how long should that take', { topic: { ...stuck, priority: 'urgent' } });
    expect(urgent.intent.kind).toBe('deadline');
    expect(urgent.deadline).toMatchObject({ kind: 'ask', known: { rule: 'deferral', priority: 'urgent' } });
  });

  test('"done that, still red" after the pack\'s own troubleshooting entry is that issue\'s next step', () => {
    const entry: Topic = { feature: 'knowledge', entryId: 'ts-3-pds-spine-sync', sites: [], boroughs: [], at };
    const r = routed('done that, still red', { topic: entry });
    expect(r.intent).toEqual({ kind: 'troubleshoot', issue: 3 });
    expect(r.refines).toMatchObject({ feature: 'troubleshoot', issue: 3 });
  });

  test('"by when?" after a deferral date asks for that date again', () => {
    const dated: Topic = {
      feature: 'deadline',
      rule: 'deferral',
      priority: '2ww',
      start: { date: '2026-11-27' },
      sites: [],
      boroughs: [],
      at,
    };
    for (const text of ['by when?', 'when should they have called by']) {
      const r = routed(text, { topic: dated });
      expect(r.intent.kind).toBe('deadline');
      expect(r.deadline.kind === 'answer' ? r.deadline.result.date : r.deadline.kind).toBe('2026-12-01');
    }
  });

  test('a deferral date after the rule is answered with the priority from before', () => {
    const r = routed('we deferred it on Tuesday 19 May 2026', { topic: topics.deferralRule as Topic });
    expect(r.deadline.kind === 'answer' ? r.deadline.result.date : r.deadline.kind).toBe('2026-06-17');
  });
});

describe('a new question is not a follow-up', () => {
  test.each([
    ['how do I order a smartcard for a new receptionist in Bexley?', 'agKings'],
    ['where do I find the missing referral letters worklist in Optum?', 'deferralRule'],
    ['should I refer chest pain as 2ww?', 'deferralRule'],
  ])('"%s" after %s', (text, topic) => {
    expect(routed(text, { topic: topics[topic] as Topic }).refines).toBeUndefined();
  });
});

describe('a downtime that has not started yet gets its timetable', () => {
  test('if e-RS goes down at 5pm on Friday 11 December: each stage and when it starts', () => {
    const advice = downtimeAdvice(kb, {
      text: 'if e-rs goes down at 5pm on friday 11 december, when do we start emailing 2wws?',
      now: NOW,
      sites: [],
      priority: '2ww',
    });
    const lines = advice.lines.join('\n');
    expect(lines).toContain('Stage 2, "After 24 hours": from Saturday 12 December 2026 at 17:00');
    expect(lines).toContain('Stage 3, "After 5 working days": from Friday 18 December 2026 at 17:00');
    expect(lines).not.toContain('before the time e-RS went down');
  });

  test('a planned outage over Christmas skips the bank holidays', () => {
    const advice = downtimeAdvice(kb, {
      text: 'planned outage from 18:00 thursday 24 december, when does stage 3 start?',
      now: NOW,
      sites: [],
    });
    expect(advice.lines.join('\n')).toContain('Stage 3, "After 5 working days": from Tuesday 5 January 2027 at 18:00');
  });
});
