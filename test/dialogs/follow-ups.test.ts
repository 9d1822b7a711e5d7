import { describe, test } from 'vitest';
import { setup } from '../helpers/setup.js';
import { all, says, saysNot } from './transcript.js';

/**
 * Staff talk in conversations: the next message often only refines the answer before it. One
 * transcript per kind of follow-up, each with a message that would mean nothing on its own.
 */

/** Monday 30 November 2026, 12:00 in London. */
const NOW = '2026-11-30T12:00:00Z';

describe('a follow-up that names only a place', () => {
  test("the borough after a smartcard answer gives that borough's RA team alone", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("locum's smartcard from her old practice won't open e-RS at ours")
      .assertReply(says('RA'))
      .send('our surgery is in Lambeth')
      .assertReply(all(says('020 8176 5400'), saysNot('0208 315 8702', 'bhc.ithelpdesk@nhs.net')));
  });

  test("the site after an A&G chaser gives that site's contact, and a correction replaces it", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("A&G to King's still not answered after three weeks")
      .assertReply(says('kch-tr.adviceguidance@nhs.net', 'd.leech@nhs.net'))
      .send('sorry, it was the PRUH not Denmark Hill')
      .assertReply(all(says('d.leech@nhs.net'), saysNot('kch-tr.adviceguidance@nhs.net')));
  });

  test('the trust after "no NHS number" gives that trust\'s downtime address for the priority', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("new patient has no NHS number yet and e-RS won't let me refer")
      .assertReply(says('Issue 2'))
      .send('routine ENT to the PRUH')
      .assertReply(
        all(
          says('kch-tr.br-referrals@nhs.net', 'EXCEPTION'),
          saysNot('kch-tr.kchreferrals@nhs.net', 'kch-tr.br-2weekwait@nhs.net'),
        ),
      );
  });

  test("the trust after a stage 3 downtime answer gives that trust's instruction only", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('e-RS has been off for a fortnight, do routine referrals go by email now?')
      .assertReply(says('Stage 3 of 3'))
      .send('they go to Queen Elizabeth mostly')
      .assertReply(
        all(says('lg.qereferrals@nhs.net'), saysNot('lg.lewishamreferrals@nhs.net', 'kch-tr.kchreferrals@nhs.net')),
      );
  });
});

describe('an answer that holds for some boroughs only', () => {
  test("a practice's borough picks its own referral forms, and the other boroughs' are not offered", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('where do practices in lewisham find referral templates?')
      .assertReply(all(says('DXS'), saysNot('F12')))
      .send("actually it's bromley, we're a branch site in penge")
      .assertReply(all(says('ROP', 'F12'), saysNot('DXS')));
  });
});

describe('a follow-up that names only a priority', () => {
  test('"and routine?" after the urgent deferral rule gives the routine line alone', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('how many working days does the trust get to contact an urgent patient we deferred?')
      .assertReply(all(says('20 working days'), saysNot('40 working days')))
      .send('and routine?')
      .assertReply(all(says('40 working days'), saysNot('20 working days')));
  });
});

describe('a priority after a downtime stage', () => {
  test('"and 2ww ones?" after the urgent and routine stage gives the 2WW addresses for the trust named', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('down over a week, routine to st thomas - where?')
      .assertReply(says('specialty pages'))
      .send('and 2ww ones?')
      .assertReply(all(says('gstt.2wwgstt@nhs.net'), saysNot('kch-tr.2weekwaitopacdh@nhs.net')));
  });
});

describe('a follow-up that gives only a date or a time', () => {
  test('the deferral date after the rule gives the contact-by date for the priority said before', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('how long has the hospital got to contact a routine patient after we defer?')
      .assertReply(says('40'))
      .send('we deferred it on Tuesday 19 May 2026')
      .assertReply(says('15 July 2026'));
  });

  test('when it went down, after asking when 2WWs move to email, gives the stage 2 start', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('at what point in an e-RS outage do cancer referrals start going by email?')
      .assertReply(says('24 hours'))
      .send('it went down at 2:15pm on Wednesday 9 June 2027')
      .assertReply(says('Thursday 10 June 2027 at 14:15'));
  });

  test('the current time alone, after the start was given, moves the stage on', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('e-RS went down at 9am on Monday 30 November 2026')
      .assertReply(says('Stage 1 of 3'))
      .send("it's now 10am on Tuesday 1 December 2026")
      .assertReply(says('Stage 2 of 3'));
  });

  test("the person's stated now holds for the next message of the thread", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("e-RS down since Monday 7 December 2026 and it's now Tuesday 15 December, do we email routine referrals?")
      .assertReply(says('Stage 3 of 3'))
      .send("they're for the PRUH")
      .assertReply(all(says('Stage 3 of 3', 'kch-tr.br-referrals@nhs.net'), saysNot('kch-tr.kchreferrals@nhs.net')));
  });

  test('a later time asked about, after the start was given, is the now asked about, not a new start', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('e-RS went down at 10am today')
      .assertReply(says('Stage 1 of 3'))
      .send('what about tomorrow at 11am?')
      .assertReply(all(says('Stage 2 of 3', 'Monday 7 December 2026 at 10:00')));
  });

  test('a second, later date in the same message is the now asked about', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("e-RS out since 8:30 on Wed 23 December, what's the position on Tues 29 December at 10am?")
      .assertReply(all(says('Stage 2 of 3', 'Monday 4 January 2027 at 08:30')));
  });

  test('a weekday named alone, after the start was given, is the one after the start', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('e-RS has been down since Monday 8am')
      .assertReply(says('Stage 1 of 3'))
      .send("it's Friday now")
      .assertReply(all(says('Stage 2 of 3', 'Monday 7 December 2026 at 08:00')));
  });

  test('"and routine?" after the 2WW downtime mailbox gives the urgent and routine mailbox', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("e-RS is down, where do we email 2WW referrals for King's?")
      .assertReply(says('kch-tr.2weekwaitopacdh@nhs.net'))
      .send('and routine?')
      .assertReply(all(says('kch-tr.kchreferrals@nhs.net'), saysNot('kch-tr.2weekwaitopacdh@nhs.net')));
  });
});

describe('a short reply to "Did you mean" that names no choice', () => {
  // Needs a message whose two best answers are level on different topics (a real tie): if the search
  // changes so that it no longer ties, pick another such message.
  test('"the deferral one" picks the offered answer those words fit', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('when we send a ref on, where do i see it?')
      .assertReply(says('Did you mean'))
      .send('the deferral one')
      .assertReply(all(says('Monitoring a deferred referral', "'Referrals pending external action' worklist")));
  });
});

describe('a follow-up that reports how it went', () => {
  test('"did that, still red" after the PDS steps leads to the contact, asking the trust first', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('red PDS icon on the referral')
      .assertReply(says('Issue 3'))
      .send('did all that, still red')
      .assertReply(says('Which hospital trust or site'))
      .send('we are in Bromley')
      .assertReply(says('Which hospital trust or site'))
      .send('the PRUH')
      .assertReply(all(says('EXCEPTION', 'kch-tr.br-2weekwait@nhs.net'), saysNot('LG.2WWLGT@nhs.net')));
  });

  test('"tried both, still nothing" after the first tip gives the next tip, with the card as before', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("can't find a children's cardiology clinic on e-RS")
      .assertReply(says('Children and Adolescent Services'))
      .send('tried under both, still nothing')
      .assertReply(says('Next, step 2 of 4', 'Not Otherwise Specified'))
      .send('nope, same')
      .assertReply(says('Next, step 3 of 4'));
  });

  test('"tried the tips, still nothing" after the search tips gives the trust\'s contact', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("can't find a gynae clinic at QEH on e-RS, what should I try?")
      .assertReply(says("'Maximum distance'"))
      .send('tried every one of those tips, still nothing')
      .assertReply(all(says('lg.e-referrals@nhs.net'), saysNot('d.leech@nhs.net', 'kch-tr.e-ReferralService@nhs.net')));
  });
});

describe('working through an answer with numbered steps', () => {
  test('"got there, what next?" is step 2; a step named as done is the one after it', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('how do I do a bulk service update?')
      .assertReply(says('Steps to bulk update a provider system'))
      .send('got it open, what next?')
      .assertReply(says('Next, step 2 of 8', 'directly bookable search filter'))
      .send('ok enable box ticked, then?')
      .assertReply(says('Next, step 5 of 8', 'system identifier'));
  });

  test('a failed step of the checks is the step after it (escalate)', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('what should we check once the bulk update is done?')
      .assertReply(says('manual slot poll'))
      .send('the cancellation did not work')
      .assertReply(says('Next, step 3 of 3', 'Escalate'));
  });

  test('words that no step has are read against the thread, not given a step', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('how do I do a bulk service update?')
      .assertReply(says('Steps to bulk update a provider system'))
      .send('done, what about checks afterwards?')
      .assertReply(all(says('Checks after a bulk service update'), saysNot('Next, step')));
  });
});

describe('a bare question after an answer', () => {
  test('"who do I tell?" after a fault at one practice is the IT facilitator', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send("e-RS won't load for us but the surgery next door is fine")
      .assertReply(says('IT Facilitator'))
      .send('who do i tell?')
      .assertReply(says('IT Facilitator'));
  });

  test("telling the bot a deferral was made gives that priority's time with how to defer", async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('no appointments for an urgent ENT so I have deferred it to the provider')
      .assertReply(says('20 working days'));
  });
});

describe('a follow-up about the answer itself', () => {
  test('"why though?" is answered by the answer just given', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('do we have to shortlist other hospitals if the gp wants one in particular?')
      .assertReply(says('Shortlist'))
      .send('why though?')
      .assertReply(says('Shortlisting services for the patient'));
  });

  test('"and if they don\'t?" after a deferral date is who to chase', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('urgent referral deferred to provider on Monday 16 November 2026, when should they contact the patient?')
      .assertReply(says('20 working days'))
      .send("and if they don't?")
      .assertReply(says('Do not cancel or duplicate'));
  });

  test('a bare "letter" in a deferral thread is the instructions letter, not the letter to attach', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('we deferred a routine referral to the provider, no slots')
      .assertReply(says('defer'))
      .send('done on Wednesday 9 December 2026, what date goes on the patient letter?')
      .assertReply(all(says('8 February 2027'), saysNot('Attach the referral letter')));
  });

  test('a short question with no topic of its own is read against the last answer', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('patient lost the sheet with her booking details, can we look up her password?')
      .assertReply(says('two random words'))
      .send("she'd rather have a brand new one")
      .assertReply(says('generate a new code'));
  });
});

describe('a new question in the same conversation starts afresh', () => {
  test('a full question on another topic is not answered as the last one', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('A&G to the PRUH not answered, who do I chase?')
      .assertReply(says('d.leech@nhs.net'))
      .send('how do I order a smartcard for a new receptionist in Bexley?')
      .assertReply(all(says('ICTServiceDesk@selondonics.nhs.uk'), saysNot('d.leech@nhs.net')));
  });

  test('"cancel" forgets the topic: a time next is not read as its answer', async () => {
    const { adapter } = setup({ now: NOW });
    await adapter
      .send('e-RS went down at 9am today')
      .assertReply(says('Stage 1 of 3'))
      .send('cancel')
      .assertReply(says('stopped'))
      .send("it's 3pm now")
      .assertReply(saysNot('Stage 1 of 3'));
  });

  test('the topic is forgotten after the dialog timeout', async () => {
    const bot = setup({ now: NOW });
    await bot.adapter.send('how many working days for an urgent deferral?').assertReply(says('20 working days'));
    bot.clock.set('2026-11-30T14:00:00Z');
    await bot.adapter.send('and routine?').assertReply(saysNot('When a deferred patient should hear'));
  });
});
