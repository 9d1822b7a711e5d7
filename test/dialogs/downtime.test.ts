import { describe, test } from 'vitest';
import { setup } from '../helpers/setup.js';
import { all, says, saysNot } from './transcript.js';

const CHRISTMAS_EVE = 'e-RS went down on Thursday 24 December 2026 at 10am';

describe('e-RS went down on Christmas Eve (Thursday 24 December 2026, 10:00)', () => {
  test('that evening it is stage 1: hold referrals, keep a log, stage 2 from Christmas Day 10:00', async () => {
    const { adapter } = setup({ now: '2026-12-24T18:00:00Z' });
    await adapter
      .send(CHRISTMAS_EVE)
      .assertReply(
        all(
          says('Stage 1 of 3: First 24 hours', 'Hold all referrals', 'Keep a log', 'Friday 25 December 2026 at 10:00'),
          saysNot('@nhs.net'),
        ),
      );
  });

  test('on Tuesday 29 December it is stage 2; stage 3 waits for Christmas, Boxing Day (28th) and New Year to pass', async () => {
    const { adapter } = setup({ now: '2026-12-29T10:00:00Z' });
    await adapter
      .send(`${CHRISTMAS_EVE}, 2WW referral to the PRUH`)
      .assertReply(
        all(
          says(
            'Stage 2 of 3: After 24 hours',
            '2WW',
            'Continue to hold urgent and routine referrals',
            'kch-tr.br-2weekwait@nhs.net',
            'Tuesday 5 January 2027 at 10:00',
            '25 December 2026 (Christmas Day)',
            '28 December 2026 (Boxing Day (substitute day))',
            "1 January 2027 (New Year's Day)",
          ),
          saysNot('kch-tr.2weekwaitopacdh@nhs.net', 'kch-tr.br-referrals@nhs.net'),
        ),
      );
  });

  test('at stage 2 with no provider named, the whole 2WW table and no urgent/routine addresses', async () => {
    const { adapter } = setup({ now: '2026-12-29T10:00:00Z' });
    await adapter
      .send(CHRISTMAS_EVE)
      .assertReply(
        all(
          says('gstt.2wwgstt@nhs.net', 'kch-tr.2weekwaitopacdh@nhs.net', 'LG.2WWLGT@nhs.net', 'Kelly.loftman@nhs.net'),
          saysNot('kch-tr.kchreferrals@nhs.net', 'lg.qereferrals@nhs.net'),
        ),
      );
  });

  test('on Monday 4 January 2027 an urgent referral is still held', async () => {
    const { adapter } = setup({ now: '2027-01-04T10:00:00Z' });
    await adapter
      .send(`${CHRISTMAS_EVE}, urgent referral to QEH`)
      .assertReply(all(says('Stage 2 of 3', 'Hold urgent and routine referrals'), saysNot('lg.qereferrals@nhs.net')));
  });

  test('on Tuesday 5 January 2027 at 10:00 it is stage 3: urgent and routine addresses', async () => {
    const { adapter } = setup({ now: '2027-01-05T10:00:00Z' });
    await adapter
      .send(`${CHRISTMAS_EVE}, routine referral to QEH`)
      .assertReply(
        all(
          says('Stage 3 of 3: After 5 working days', 'lg.qereferrals@nhs.net'),
          saysNot('lg.lewishamreferrals@nhs.net'),
        ),
      );
  });

  test('the clock moves on in one conversation: the same question answers stage 1, then 2, then 3', async () => {
    const { adapter, clock } = setup({ now: '2026-12-24T11:00:00Z' });
    await adapter.send(CHRISTMAS_EVE).assertReply(says('Stage 1 of 3'));
    clock.set('2026-12-31T09:00:00Z');
    await adapter.send(CHRISTMAS_EVE).assertReply(says('Stage 2 of 3'));
    clock.set('2027-01-06T09:00:00Z');
    await adapter.send(CHRISTMAS_EVE).assertReply(says('Stage 3 of 3'));
  });
});

describe('a weekend between', () => {
  test('down Friday 6 November 4pm, now Monday 9 November 9am: stage 2, not 3', async () => {
    const { adapter } = setup({ now: '2026-11-09T09:00:00Z' });
    await adapter
      .send(
        'e-RS went down Friday 6 November 2026 at 4pm; it is now Monday 9 November 2026 at 9am. Which stage are we in?',
      )
      .assertReply(
        all(
          says('Stage 2 of 3: After 24 hours', 'Friday 13 November 2026 at 16:00'),
          saysNot('kch-tr.kchreferrals@nhs.net'),
        ),
      );
  });
});

describe('other downtime situations', () => {
  test('e-RS will not open from Optum or Vision: use the web version and record the UBRN by hand', async () => {
    const { adapter } = setup();
    await adapter
      .send("e-RS won't open from EMIS but the website works")
      .assertReply(all(says('web-based version', 'https://ers.nhs.uk/main', 'UBRN'), saysNot('Stage')));
  });

  test('only our practice is affected: tell the Primary Care IT Facilitator', async () => {
    const { adapter } = setup();
    await adapter.send("e-RS isn't working for our practice only").assertReply(says('Primary Care IT Facilitator'));
  });

  test('e-RS is back: stop emailing and re-refer via e-RS', async () => {
    const { adapter } = setup();
    await adapter.send('e-RS is back up').assertReply(says('Stop emailing referrals', 're-refer via e-RS'));
  });

  test('a cyber attack: the business continuity plans', async () => {
    const { adapter } = setup();
    await adapter.send('cyber attack, e-RS is down').assertReply(says('business continuity plan'));
  });

  test('a power cut: the business continuity plans', async () => {
    const { adapter } = setup();
    await adapter.send('power cut at the surgery, no e-RS').assertReply(says('business continuity plan'));
  });
});

describe('"e-RS is down" with no time', () => {
  test('asks when, then answers "since yesterday 3pm"', async () => {
    const { adapter } = setup({ now: '2026-12-24T10:00:00Z' });
    await adapter
      .send('e-RS is down')
      .assertReply(says('When did e-RS go down?', 'e-RS went down less than 24 hours ago'))
      .send('since yesterday 3pm')
      .assertReply(says('Stage 1 of 3', 'Wednesday 23 December 2026 at 15:00', 'Thursday 24 December 2026 at 15:00'));
  });

  test('keeps the provider named in the first message for the answer', async () => {
    const { adapter } = setup({ now: '2026-12-24T10:00:00Z' });
    await adapter
      .send('e-RS is down, 2WW referral to Darent Valley')
      .assertReply(says('When did e-RS go down?'))
      .send('for 30 hours')
      .assertReply(all(says('Stage 2 of 3', 'Dgn-tr.cancerreferral-dvh@nhs.net'), saysNot('LG.2WWLGT@nhs.net')));
  });
});
