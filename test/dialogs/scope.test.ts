import { describe, test } from 'vitest';
import { setup } from '../helpers/setup.js';
import { all, says, saysNot } from './transcript.js';

const SEL_ADDRESSES = [
  'kch-tr.adviceguidance@nhs.net',
  'd.leech@nhs.net',
  'lg.e-referrals@nhs.net',
  'PrimaryCareFacilitators@selondonics.nhs.uk',
];

describe("questions that are not the pack's to answer", () => {
  test.each([
    "our GP asked Kingston Hospital's rheumatology team for advice through e-RS two weeks ago, what's their contact?",
    'do you cover practices in Hertfordshire? we need e-RS training for reception',
    'who handles smartcards for a practice in Croydon?',
    'croydon university hospital - where do routine refs go in a long e-RS outage?',
    "addenbrooke's haven't answered our A&G, who do I chase?",
  ])('another area: %s', async (text) => {
    const { adapter } = setup();
    await adapter.send(text).assertReply(all(says('only covers South East London'), saysNot(...SEL_ADDRESSES)));
  });

  test.each([
    'should I refer chest pain as 2ww?',
    'does a breast lump count as a 2ww referral on e-RS?',
    'while she waits for the urology referral what abx shd we give for her recurrent UTIs?',
  ])('a clinical decision dressed as a referral question: %s', async (text) => {
    const { adapter } = setup();
    await adapter.send(text).assertReply(says("can't help with clinical questions"));
  });

  test.each(["phone number for PALS at St Thomas's?", "what's the email for Dr Okafor?"])(
    'a contact the pack does not have is said to be missing, not swapped for another: %s',
    async (text) => {
      const { adapter } = setup();
      await adapter
        .send(text)
        .assertReply(all(says('has no contact by that name'), saysNot('0345 60 88 88 8', ...SEL_ADDRESSES)));
    },
  );

  test('an SEL question that names a place elsewhere in passing is still answered', async () => {
    const { adapter } = setup();
    await adapter
      .send('patient has moved to Kent but wants her 2ww at the PRUH, e-RS has been down 30 hours - which address?')
      .assertReply(says('kch-tr.br-2weekwait@nhs.net'));
  });
});
