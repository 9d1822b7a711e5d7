import { describe, expect, test } from 'vitest';
import { renderDeadlineReply } from '../../../dialogs/deadlines-text.js';
import { loadKnowledge } from '../../../knowledge/load.js';
import {
  answerDeadline,
  computeDeadline,
  type DeadlineReply,
  type DeadlineRule,
  type Priority,
} from '../../../knowledge/rules/deadlines.js';

// Wednesday 18 February 2026, 10:00 in London.
const NOW = new Date('2026-02-18T10:00:00Z');
// The pack's advice lines the replies end with (knowledge/data/deadline-advice.json).
const ADVICE = loadKnowledge().deadlineAdvice;

function resultOf(reply: DeadlineReply): string {
  if (reply.kind !== 'answer') throw new Error(`expected an answer, got ${JSON.stringify(reply)}`);
  return reply.result.time === undefined
    ? reply.result.date
    : `${reply.result.date} ${String(reply.result.time.hour).padStart(2, '0')}:${String(reply.result.time.minute).padStart(2, '0')}`;
}

describe('the rules across the 2025-2028 holidays', () => {
  const cases: [string, DeadlineRule, Priority, string, string][] = [
    // Deferral to provider: 2 / 20 / 40 working days.
    ['2WW deferred on Christmas Eve 2025', 'deferral', '2ww', '2025-12-24', '2025-12-30'],
    ["2WW deferred on New Year's Eve 2025", 'deferral', '2ww', '2025-12-31', '2026-01-05'],
    ['2WW deferred the day before Good Friday 2025', 'deferral', '2ww', '2025-04-17', '2025-04-23'],
    ['2WW deferred the day before Good Friday 2027', 'deferral', '2ww', '2027-03-25', '2027-03-31'],
    ['2WW deferred the day before Good Friday 2028', 'deferral', '2ww', '2028-04-13', '2028-04-19'],
    ['2WW deferred before the early May holiday 2025', 'deferral', '2ww', '2025-05-02', '2025-05-07'],
    ['2WW deferred before the August holiday 2026', 'deferral', '2ww', '2026-08-28', '2026-09-02'],
    ['2WW deferred on Christmas Eve 2027 (two substitute days)', 'deferral', '2ww', '2027-12-24', '2027-12-30'],
    ['2WW deferred before Christmas 2028', 'deferral', '2ww', '2028-12-22', '2028-12-28'],
    ['2WW deferred on a Saturday before the May holiday', 'deferral', '2ww', '2026-05-02', '2026-05-06'],
    ['2WW deferred on the Sunday before the spring holiday 2027', 'deferral', '2ww', '2027-05-30', '2027-06-02'],
    ['2WW deferred on the August bank holiday 2025', 'deferral', '2ww', '2025-08-25', '2025-08-27'],
    ['urgent deferred 14 December 2026', 'deferral', 'urgent', '2026-12-14', '2027-01-14'],
    ['urgent deferred 1 December 2025', 'deferral', 'urgent', '2025-12-01', '2025-12-31'],
    ['urgent deferred 1 December 2027', 'deferral', 'urgent', '2027-12-01', '2027-12-31'],
    ['urgent deferred across Easter 2028', 'deferral', 'urgent', '2028-03-20', '2028-04-19'],
    ['urgent deferred across the August holiday 2025', 'deferral', 'urgent', '2025-08-01', '2025-09-01'],
    ['routine deferred 2 March 2026', 'deferral', 'routine', '2026-03-02', '2026-04-29'],
    ['routine deferred 3 November 2025', 'deferral', 'routine', '2025-11-03', '2025-12-31'],
    ['routine deferred across both May holidays 2027', 'deferral', 'routine', '2027-04-01', '2027-05-28'],
    ['routine deferred across the August holiday 2028', 'deferral', 'routine', '2028-07-03', '2028-08-29'],
    ['routine deferred on the spring bank holiday 2026', 'deferral', 'routine', '2026-05-25', '2026-07-20'],
    // Referral letters: routine 3 working days.
    ["routine letter from New Year's Eve 2026", 'letter', 'routine', '2026-12-31', '2027-01-06'],
    ['routine letter from 23 December 2025', 'letter', 'routine', '2025-12-23', '2025-12-30'],
    ['routine letter from 23 December 2027', 'letter', 'routine', '2027-12-23', '2027-12-30'],
    ['routine letter from 29 December 2028', 'letter', 'routine', '2028-12-29', '2029-01-04'],
    ['routine letter from the day before Good Friday 2026', 'letter', 'routine', '2026-04-02', '2026-04-09'],
    ['routine letter before the spring holiday 2028', 'letter', 'routine', '2028-05-26', '2028-06-01'],
    ['routine letter from a Saturday before the August holiday 2027', 'letter', 'routine', '2027-08-28', '2027-09-02'],
    // 2WW and urgent letters: 24 hours, calendar time.
    ['2WW letter from Christmas Eve 2025', 'letter', '2ww', '2025-12-24', '2025-12-25'],
    ['urgent letter from Good Friday 2027', 'letter', 'urgent', '2027-03-26', '2027-03-27'],
    // 2WW availability: 28 calendar days.
    ['2WW availability over Christmas 2025', 'availability', '2ww', '2025-12-10', '2026-01-07'],
    ['2WW availability over Easter 2026', 'availability', '2ww', '2026-03-31', '2026-04-28'],
    ['2WW availability in leap February 2028', 'availability', '2ww', '2028-02-01', '2028-02-29'],
    // Rejection letter: 21 calendar days.
    ['rejection over Christmas 2025', 'rejection-letter', 'routine', '2025-12-15', '2026-01-05'],
    ['rejection on Good Friday 2027', 'rejection-letter', 'routine', '2027-03-26', '2027-04-16'],
    ['rejection on the August holiday 2026', 'rejection-letter', 'routine', '2026-08-31', '2026-09-21'],
  ];

  test.each(cases)('%s', (_name, rule, priority, start, expected) => {
    const reply = computeDeadline(rule, priority, { date: start });
    expect(resultOf(reply)).toBe(expected);
  });

  test('keeps the clock time for a 24-hour letter deadline, across the spring clock change', () => {
    expect(resultOf(computeDeadline('letter', 'urgent', { date: '2027-03-27', time: { hour: 16, minute: 0 } }))).toBe(
      '2027-03-28 16:00',
    );
  });

  test('refuses the availability rule for routine and the rejection letter for 2WW', () => {
    expect(computeDeadline('availability', 'routine', { date: '2026-03-02' }).kind).toBe('error');
    expect(computeDeadline('rejection-letter', '2ww', { date: '2026-03-02' }).kind).toBe('error');
  });
});

describe('a member of staff asks a deadline question', () => {
  describe('worked examples', () => {
    test.each([
      [
        'routine referral deferred on 2 March 2026 - when should the patient hear from the provider?',
        '2026-04-29',
        'Wednesday 29 April 2026',
      ],
      ['2WW deferred on Friday 3 April 2026 - contact-by date', '2026-04-08', 'Wednesday 8 April 2026'],
      ['urgent referral deferred on 14 December 2026, contact by when', '2027-01-14', 'Thursday 14 January 2027'],
      // Deferral in staff's words: the booking handed over to the trust.
      [
        'Thursday 17 December 2026 we handed an urgent booking to the trust. latest they can ring her?',
        '2027-01-19',
        'Tuesday 19 January 2027',
      ],
      [
        'routine referral created on Thursday 31 December 2026, last day to attach the letter',
        '2027-01-06',
        'Wednesday 6 January 2027',
      ],
    ])('%s', (question, iso, long) => {
      const reply = answerDeadline(question, NOW);
      expect(resultOf(reply)).toBe(iso);
      const text = renderDeadlineReply(reply, ADVICE);
      expect(text.split('\n')[0]).toContain(long);
    });
  });

  test.each([
    [
      'When should a patient hear back if I deferred their urgent referral on 5 Jan 2026?',
      'deferral',
      'urgent',
      '2026-02-02',
    ],
    [
      'Deferred a 2 week wait yesterday - by what date should the trust have been in touch?',
      'deferral',
      '2ww',
      '2026-02-19',
    ],
    ["two week wait deferred to provider on 24/12/25, when's the contact by date", 'deferral', '2ww', '2025-12-30'],
    [
      'Patient not been contacted by the provider. Routine, deferred 1st December. When should they have heard?',
      'deferral',
      'routine',
      '2026-01-29',
    ],
    ['USC referral - used defer to provider on 2026-05-22. Contact by?', 'deferral', '2ww', '2026-05-27'],
    [
      'I made a routine referral today, how long do I have to upload the referral letter?',
      'letter',
      'routine',
      '2026-02-23',
    ],
    [
      'urgent referral made at 09:30 on 19/02/2026 - when does the clinical letter need attaching by?',
      'letter',
      'urgent',
      '2026-02-20 09:30',
    ],
    ['Suspected cancer referral sent last Friday, letter still not attached: deadline?', 'letter', '2ww', '2026-02-14'],
    [
      'Routine referral created 24th December 2026, when must the attachment be added?',
      'letter',
      'routine',
      '2026-12-31',
    ],
    [
      'urgent referral sent on 28 December 2026 at 4pm - when is the referral letter due?',
      'letter',
      'urgent',
      '2026-12-29 16:00',
    ],
    [
      '2WW referral today, patient is going away - how long do they need to be available?',
      'availability',
      '2ww',
      '2026-03-18',
    ],
    ['Cancer referral made on 10 March 2026 - availability until when?', 'availability', '2ww', '2026-04-07'],
    [
      "Routine appointment was cancelled because the provider rejected it on 3 Feb 2026. When will the patient get a letter if we don't call?",
      'rejection-letter',
      'routine',
      '2026-02-24',
    ],
    [
      'provider rejected the referral and cancelled the appointment on 16/02/2026 - when does the 21 day letter go out?',
      'rejection-letter',
      'routine',
      '2026-03-09',
    ],
    ['Non-urgent referral deferred on 2 March 2026 - when will they hear?', 'deferral', 'routine', '2026-04-29'],
    ['fast track referral deferred Good Friday 3 April 2026; contact-by?', 'deferral', '2ww', '2026-04-08'],
    ['URGENT REFERRAL DEFERRED 14/12/2026 CONTACT BY?', 'deferral', 'urgent', '2027-01-14'],
    [
      "The 2ww I deferred on Friday hasn't been contacted, when should they have been?",
      'deferral',
      '2ww',
      '2026-02-17',
    ],
    [
      'routine referral deferred on the bank holiday Monday 25 May 2026, when should they hear',
      'deferral',
      'routine',
      '2026-07-20',
    ],
    [
      'deferred an urgent one 3 days ago - when is the provider due to contact the patient?',
      'deferral',
      'urgent',
      '2026-03-13',
    ],
  ])('%s', (question, rule, priority, expected) => {
    const reply = answerDeadline(question, NOW);
    expect(reply).toMatchObject({ kind: 'answer', rule, priority });
    expect(resultOf(reply)).toBe(expected);
  });

  describe('when something is missing', () => {
    test('asks for the priority and keeps what it already knows', () => {
      const reply = answerDeadline('deferred on 2 March 2026, when should the provider contact them?', NOW);
      expect(reply).toEqual({
        kind: 'ask',
        missing: ['priority'],
        known: { rule: 'deferral', start: { date: '2026-03-02' } },
      });
      expect(renderDeadlineReply(reply, ADVICE)).toContain('2WW, urgent or routine');
    });

    test('asks for the date', () => {
      expect(answerDeadline('urgent referral deferred, when is the contact by date?', NOW)).toEqual({
        kind: 'ask',
        missing: ['date'],
        known: { rule: 'deferral', priority: 'urgent' },
      });
    });

    test('asks for both', () => {
      expect(answerDeadline('when should a deferred referral be picked up by the provider?', NOW)).toMatchObject({
        kind: 'ask',
        missing: ['priority', 'date'],
      });
    });

    test('asks which date is wanted when only the priority and date are given', () => {
      expect(answerDeadline('routine referral 2 March 2026 - when?', NOW)).toMatchObject({
        kind: 'ask',
        missing: ['rule'],
      });
    });

    test('asks for the priority when more than one is named', () => {
      expect(
        answerDeadline('routine referral deferred 2 March 2026 and an urgent one on 3 March, dates?', NOW),
      ).toMatchObject({
        kind: 'ask',
        missing: ['priority'],
      });
    });

    test('completes the question from a follow-up reply', () => {
      const first = answerDeadline('deferred on 2 March 2026, when should the provider contact them?', NOW);
      if (first.kind !== 'ask') throw new Error('expected ask');
      const second = answerDeadline('routine', NOW, first.known);
      expect(resultOf(second)).toBe('2026-04-29');
    });
  });

  describe('when it cannot answer', () => {
    test('says an impossible date is not real', () => {
      expect(answerDeadline('urgent referral deferred on 30/02/2026', NOW)).toEqual({
        kind: 'error',
        message: '30 February 2026 is not a real date.',
      });
    });

    test('refuses a year outside the table', () => {
      expect(answerDeadline('routine referral deferred on 5 June 2036, contact by?', NOW)).toEqual({
        kind: 'error',
        message: 'I can only count working days for 2020 to 2035.',
      });
    });

    test('points out a weekday that does not fit the date', () => {
      const reply = answerDeadline('Deferred a routine referral on Monday 3 March 2026', NOW);
      expect(reply).toMatchObject({ kind: 'error' });
      expect(renderDeadlineReply(reply, ADVICE)).toContain('Tuesday');
    });

    test.each([
      "what's the phone number for the e-RS team?",
      'how do I find the missing referral letters worklist',
      'how do I attach a letter to a 2WW referral',
      'can I defer to provider for an urgent referral',
      'e-RS has been down since 9am',
      'thanks!',
    ])('leaves "%s" to other features', (text) => {
      expect(answerDeadline(text, NOW)).toEqual({ kind: 'none' });
    });
  });
});

describe('the chat reply', () => {
  test('gives the answer first, then the working and the source', () => {
    const text = renderDeadlineReply(
      answerDeadline('urgent referral deferred on 14 December 2026, contact by when', NOW),
      ADVICE,
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'Contact-by date: Thursday 14 January 2027. The patient should have heard from the provider by then.',
    );
    expect(text).toContain('Deferred on: Monday 14 December 2026');
    expect(text).toContain('Rule: Deferral to provider, urgent: 20 working days');
    expect(text).toContain('25 December 2026 (Christmas Day)');
    expect(text).toContain('28 December 2026 (Boxing Day (substitute day))');
    expect(text).toContain('4 weekends');
    expect(lines.at(-1)).toBe(
      "Source: eRS Information Pack v4.1, October 2025: Appointment slot issues > Using the 'defer to provider' option",
    );
  });

  test("ends with the pack's advice from deadline-advice.json, after the working, before the source", () => {
    const deferral = computeDeadline('deferral', '2ww', { date: '2026-05-22' });
    if (deferral.kind !== 'answer') throw new Error('expected an answer');
    expect(deferral.advice).toEqual(['deferral-escalate', 'deferral-2ww']);
    expect(deferral.headline).toBe('Contact-by date: Wednesday 27 May 2026.');
    expect(deferral.headlineAdvice).toBe('deferral-heard-by');
    const lines = renderDeadlineReply(deferral, ADVICE).split('\n');
    expect(lines[0]).toBe(
      'Contact-by date: Wednesday 27 May 2026. The patient should have heard from the provider by then.',
    );
    expect(lines.slice(-3, -1)).toEqual([
      "If the provider hasn't contacted the patient by this date, escalate to the provider. Do not cancel or duplicate the referral.",
      "For 2WW the pack says avoid 'defer to provider': discuss alternative providers with the patient first.",
    ]);
    // The rule's own result says no pack sentence: it has no knowledge base.
    expect(deferral.working.join('\n')).not.toMatch(/escalate|defer to provider/);
    const ends = (rule: DeadlineRule, priority: Priority) =>
      renderDeadlineReply(computeDeadline(rule, priority, { date: '2026-05-22' }), ADVICE)
        .split('\n')
        .at(-2);
    expect(ends('deferral', 'routine')).toMatch(/^If the provider hasn't contacted the patient by this date/);
    expect(ends('letter', 'urgent')).toBe(
      'The provider cannot see the referral on their worklist until the letter has been attached.',
    );
    expect(ends('letter', 'routine')).toBe(
      'The provider cannot see the referral on their worklist until the letter has been attached.',
    );
    expect(ends('rejection-letter', 'routine')).toBe(
      'The letter explains that the appointment was cancelled and advises the patient to contact their GP practice.',
    );
    expect(ends('availability', '2ww')).toMatch(/^Rule: 2WW: patient available throughout/);
  });

  test('explains a start on a bank holiday', () => {
    const text = renderDeadlineReply(
      answerDeadline('2WW deferred on Friday 3 April 2026 - contact-by date', NOW),
      ADVICE,
    );
    expect(text).toContain('not a working day (a bank holiday: Good Friday)');
    expect(text).toContain('Day 1 is Tuesday 7 April 2026');
  });

  test('states a 24-hour letter deadline with its time', () => {
    const text = renderDeadlineReply(
      answerDeadline('2WW referral made 19/02/2026 at 4pm, when must the letter be attached?', NOW),
      ADVICE,
    );
    expect(text.split('\n')[0]).toBe(
      'Attach the referral letter within 24 hours: by Friday 20 February 2026 at 16:00.',
    );
    expect(text).toContain('Source: eRS Information Pack v4.1, October 2025: Attaching referral letters');
  });

  test('stays under 900 characters for every rule and priority, even over Christmas', () => {
    const rules: [DeadlineRule, Priority][] = [
      ['deferral', '2ww'],
      ['deferral', 'urgent'],
      ['deferral', 'routine'],
      ['letter', '2ww'],
      ['letter', 'routine'],
      ['availability', '2ww'],
      ['rejection-letter', 'routine'],
    ];
    for (const [rule, priority] of rules) {
      for (const date of ['2027-11-20', '2027-12-24', '2028-03-25']) {
        const text = renderDeadlineReply(computeDeadline(rule, priority, { date }), ADVICE);
        expect(text.length).toBeLessThan(900);
        expect(text).toMatch(/^.*\d{4}/);
      }
    }
  });

  test('renders nothing for a message that is not a deadline question', () => {
    expect(renderDeadlineReply({ kind: 'none' }, ADVICE)).toBe('');
  });
});
