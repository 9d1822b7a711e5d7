import { describe, test } from 'vitest';
import { setup } from '../helpers/setup.js';
import { all, inOrder, says, saysNot } from './transcript.js';

const SEL = 'ICTServiceDesk@selondonics.nhs.uk';
const BROMLEY = 'bhc.ithelpdesk@nhs.net';
const MENU = says(
  'Who to contact',
  "1. Can't find a suitable clinic",
  '7. Urgent and routine referrals during e-RS downtime',
);

describe('a user asks who to contact', () => {
  test('"who to contact" with nothing else opens the purpose menu', async () => {
    const { adapter } = setup();
    await adapter
      .send('who to contact')
      .assertReply(
        inOrder(
          "1. Can't find a suitable clinic",
          '2. Deferred referral not booked by the date',
          '3. A&G request not actioned',
          '4. Smartcards (Registration Authority)',
          '5. e-RS training',
          '6. 2WW referrals during e-RS downtime',
          '7. Urgent and routine referrals during e-RS downtime',
        ),
      );
  });

  test('typing a menu number picks that purpose', async () => {
    const { adapter } = setup();
    await adapter
      .send('who to contact')
      .assertReply(MENU)
      .send('5')
      .assertReply(says('PrimaryCareFacilitators@selondonics.nhs.uk'));
  });

  test("can't find a clinic at King's Denmark Hill: the KCH e-RS mailbox", async () => {
    const { adapter } = setup();
    await adapter
      .send("who do I contact, I can't find a clinic at King's Denmark Hill")
      .assertReply(all(says('kch-tr.e-ReferralService@nhs.net'), saysNot('lg.e-referrals@nhs.net')));
  });

  test('a deferred referral not booked at the PRUH: Dee Leech, not the whole table', async () => {
    const { adapter } = setup();
    await adapter
      .send('deferred to provider at PRUH, patient not contacted by the date')
      .assertReply(
        all(
          says('d.leech@nhs.net', 'Do not cancel or duplicate'),
          saysNot('Lh.appointments@nhs.net', 'kch-tr.e-ReferralService@nhs.net'),
        ),
      );
  });

  test('a deferred referral not booked at LGT: the central booking team', async () => {
    const { adapter } = setup();
    await adapter
      .send("referral deferred to Queen Elizabeth and the patient hasn't been contacted")
      .assertReply(all(says('Lh.appointments@nhs.net'), saysNot('d.leech@nhs.net')));
  });

  test("A&G not actioned at Lewisham and Greenwich: LGT's e-Referrals mailbox", async () => {
    const { adapter } = setup();
    await adapter
      .send("Lewisham and Greenwich haven't actioned our advice and guidance request")
      .assertReply(all(says('lg.e-referrals@nhs.net'), saysNot('kch-tr.adviceguidance@nhs.net')));
  });

  test('a smartcard in Bromley: the Bromley RA, not the ICT service desk', async () => {
    const { adapter } = setup();
    await adapter
      .send('how do I order a smartcard in Bromley')
      .assertReply(all(says(BROMLEY, '0208 315 8702'), saysNot(SEL)));
  });

  for (const borough of ['Bexley', 'Greenwich', 'Lambeth', 'Lewisham', 'Southwark']) {
    test(`a smartcard in ${borough}: the ICT service desk, not Bromley`, async () => {
      const { adapter } = setup();
      await adapter
        .send(`who do I contact to order a smartcard in ${borough}`)
        .assertReply(all(says(SEL, '020 8176 5400'), saysNot(BROMLEY)));
    });
  }

  test('training: the Primary Care Facilitators', async () => {
    const { adapter } = setup();
    await adapter.send('who runs e-RS training').assertReply(says('PrimaryCareFacilitators@selondonics.nhs.uk'));
  });

  test('2WW during downtime asks the trust, then gives its 2WW mailbox', async () => {
    const { adapter } = setup();
    await adapter
      .send('who do I email 2WW referrals to during e-RS downtime')
      .assertReply(says('Which hospital trust or site'))
      .send('Darent Valley')
      .assertReply(
        all(
          says('Dgn-tr.cancerreferral-dvh@nhs.net', 'Kelly.loftman@nhs.net'),
          saysNot('dgn-tr.bcpersreferral@nhs.net'),
        ),
      );
  });

  test('urgent and routine during downtime, picked from the menu, asks the trust, then gives its mailbox', async () => {
    const { adapter } = setup();
    await adapter
      .send('who to contact')
      .assertReply(MENU)
      .send('7')
      .assertReply(says('Which hospital trust or site'))
      .send('Lewisham hospital')
      .assertReply(all(says('lg.lewishamreferrals@nhs.net'), saysNot('lg.qereferrals@nhs.net')));
  });

  test('the appointment line: its phone number', async () => {
    const { adapter } = setup();
    await adapter.send('phone number for the appointment line').assertReply(says('0345 60 88 88 8'));
  });
});

describe('a user asks for search tips', () => {
  test('the four tips in order, then it asks for the trust, whose contact comes next', async () => {
    const { adapter } = setup();
    await adapter
      .send('search tips')
      .assertReply(
        all(
          inOrder(
            "'Children and Adolescent Services'",
            'Not Otherwise Specified',
            'age criteria',
            "'Maximum distance'",
            'Tell me the trust or site',
          ),
          saysNot('kch-tr.e-ReferralService@nhs.net', 'd.leech@nhs.net', 'lg.e-referrals@nhs.net'),
        ),
      )
      .send("it's for the PRUH")
      .assertReply(all(says('d.leech@nhs.net'), saysNot('kch-tr.e-ReferralService@nhs.net', 'lg.e-referrals@nhs.net')));
  });

  test("tips for a named trust end with that trust's contact only", async () => {
    const { adapter } = setup();
    await adapter
      .send("can't find the right clinic for QEH, any search tips?")
      .assertReply(all(says("'Maximum distance'", 'lg.e-referrals@nhs.net'), saysNot('d.leech@nhs.net')));
  });

  test('"clinic not showing in search" gets the tips, not a contact menu', async () => {
    const { adapter } = setup();
    await adapter.send('clinic not showing in search results').assertReply(says("'Maximum distance'"));
  });
});
