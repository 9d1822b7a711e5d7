import { describe, test } from 'vitest';
import { setup } from '../helpers/setup.js';
import { all, inOrder, says, saysNot } from './transcript.js';

const NOW = '2026-12-24T10:00:00Z';
const SEL = 'ICTServiceDesk@selondonics.nhs.uk';
const BROMLEY = 'bhc.ithelpdesk@nhs.net';
const MENU = says('Troubleshooting: what is the problem?', '5. My smartcard has stopped working or is blocked');
const SOLVED = says('Did that solve it?', 'Yes, solved', 'No, still stuck');

describe('a user opens the troubleshooting menu', () => {
  test('"troubleshoot" shows all eight problems', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(
        inOrder(
          "1. A temporary patient (with an NHS number) won't refer",
          "2. The patient doesn't have an NHS number",
          '3. Patient not synced with the Spine (red PDS icon)',
          "4. Patient marked as 'sensitive' on the Spine",
          '5. My smartcard has stopped working or is blocked',
          "6. The patient hasn't booked their appointment",
          "7. Still on 'Referrals pending external action' waiting for the provider",
          "8. My A&G request hasn't been actioned",
        ),
      );
  });

  test('"I have an e-RS problem" shows the menu too', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter.send('I have an e-RS problem').assertReply(MENU);
  });

  test('picks a problem by typing its number', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('1')
      .assertReply(says('Issue 1:', 'https://ers.nhs.uk/main', 'UBRN'));
  });

  test('picks a problem by pressing its button ("issue 5")', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('issue 5')
      .assertReply(says('Issue 5:', 'Registration Authority (RA)'));
  });

  test('picks a problem by describing it in words', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('the patient is marked sensitive')
      .assertReply(says('Issue 4:'));
  });
});

describe('each issue gives its resolution', () => {
  test('issue 1: a temporary patient is referred on the web version and the UBRN noted by hand', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('1')
      .assertReply(
        all(
          inOrder('web-based version: [https://ers.nhs.uk/main](https://ers.nhs.uk/main)', 'manual note of the UBRN'),
          SOLVED,
        ),
      );
  });

  test('issue 2: no NHS number gives the EXCEPTION subject line', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('2')
      .assertReply(all(inOrder('explore registering the patient', '"EXCEPTION: Patient without NHS number"'), SOLVED));
  });

  test("issue 3: the five PDS steps come in the pack's order, with its EXCEPTION subject line", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('3')
      .assertReply(
        all(
          inOrder(
            '1. Log on with a smartcard.',
            '2. Click the red PDS icon to open the PDS patient differences screen.',
            '3. Check each field carefully and confirm which details are correct or edit if needed.',
            '4. If sure the details are correct, update Optum (previously EMIS) and PDS by clicking OK.',
            '5. The PDS icon should turn blue once synchronisation is complete.',
          ),
          says('"EXCEPTION: Spine reporting that the patient is not registered with a practice"'),
          SOLVED,
        ),
      );
  });

  test('issue 4: a sensitive patient goes by the downtime email with its EXCEPTION subject line', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('4')
      .assertReply(
        all(
          says('downtime protocol', '"EXCEPTION: emailing referral as patient marked as sensitive on the spine"'),
          SOLVED,
        ),
      );
  });

  test("issue 5 with a borough named: only that borough's RA", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('my smartcard is blocked, we are in Bromley')
      .assertReply(all(says('Issue 5:', BROMLEY, '0208 315 8702'), saysNot(SEL)));
  });

  test('issue 5 with no borough: both RA contacts', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('5')
      .assertReply(says(BROMLEY, SEL, '020 8176 5400'));
  });

  test('issue 6: remind the patient to book', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('6')
      .assertReply(all(says('remind them to book'), SOLVED));
  });

  test('issue 7: do not cancel or duplicate, then the providers', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('7')
      .assertReply(
        all(says('Do not cancel or duplicate the referral', 'd.leech@nhs.net', 'Lh.appointments@nhs.net'), SOLVED),
      );
  });

  test('issue 8 at a named trust: who to contact there', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("our A&G to King's Denmark Hill hasn't been actioned")
      .assertReply(all(says('kch-tr.adviceguidance@nhs.net'), saysNot('lg.e-referrals@nhs.net')));
  });

  test('"PDS icon is red" goes straight to issue 3 without the menu', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('PDS icon is red')
      .assertReply(all(says('Issue 3:', 'turn blue'), saysNot('Troubleshooting: what is the problem?')));
  });
});

describe('"Did that solve it?"', () => {
  test('"yes" is glad and ends the dialog', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('1')
      .assertReply(SOLVED)
      .send('yes')
      .assertReply(says('glad'))
      .send('1')
      .assertReply(saysNot('Issue 1:'));
  });

  test('issue 5 "no" asks the borough, then gives the RA for Lambeth only', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('5')
      .assertReply(SOLVED)
      .send('no')
      .assertReply(says('Which borough'))
      .send('Lambeth')
      .assertReply(all(says(SEL, '020 8176 5400'), saysNot(BROMLEY)));
  });

  test('issue 5 "no" when the borough was already named gives its RA at once', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('smart card stopped working in Bromley')
      .assertReply(SOLVED)
      .send('no, still stuck')
      .assertReply(all(says(BROMLEY, '0208 315 8702'), saysNot(SEL, 'Which borough')));
  });

  test('issue 7 "no" asks the trust, then gives the PRUH contact', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('7')
      .assertReply(SOLVED)
      .send('no')
      .assertReply(says('Which hospital trust or site'))
      .send('PRUH')
      .assertReply(all(says('d.leech@nhs.net', 'Do not cancel or duplicate'), saysNot('Lh.appointments@nhs.net')));
  });

  test('issue 8 "no" asks the trust, then gives King\'s A&G mailbox', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('8')
      .assertReply(SOLVED)
      .send('no')
      .assertReply(says('Which hospital trust or site'))
      .send("King's Denmark Hill")
      .assertReply(all(says('kch-tr.adviceguidance@nhs.net'), saysNot('d.leech@nhs.net')));
  });

  test('issue 4 "no" asks the trust, then gives its downtime addresses and the EXCEPTION line', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('4')
      .assertReply(SOLVED)
      .send('no')
      .assertReply(says('Which hospital trust or site'))
      .send('QEH')
      .assertReply(
        all(
          says(
            'LG.2WWLGT@nhs.net',
            'lg.qereferrals@nhs.net',
            'EXCEPTION: emailing referral as patient marked as sensitive',
          ),
          saysNot('lg.lewishamreferrals@nhs.net'),
        ),
      );
  });

  test('issue 6 "no" repeats the pack\'s advice and invents no contact', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('6')
      .assertReply(SOLVED)
      .send('no')
      .assertReply(all(says('gives no contact'), says('remind them to book'), saysNot('@')));
  });

  test('issue 3 "no" asks the trust, then gives its downtime addresses for an EXCEPTION email', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('red PDS icon')
      .assertReply(SOLVED)
      .send('no')
      .assertReply(says('Which hospital trust'))
      .send('PRUH')
      .assertReply(all(says('kch-tr.br-2weekwait@nhs.net'), says('kch-tr.br-referrals@nhs.net'), says('EXCEPTION')));
  });
});
