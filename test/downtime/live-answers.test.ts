import type { Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { createAnnouncement } from '../../bot/announcements/store.js';
import { fromLondon } from '../../knowledge/time/london-time.js';
import { readable, setup } from '../helpers/setup.js';

/** Monday 9 November 2026 10:00 London: the bot's fixed clock. */
const NOW = fromLondon('2026-11-09', { hour: 10, minute: 0 });
const HOUR = 3_600_000;

type Bot = ReturnType<typeof setup>;

async function ask(bot: Bot, text: string): Promise<{ text: string; activity: Partial<Activity> | undefined }> {
  let reply: Partial<Activity> | undefined;
  await bot.adapter
    .send(text)
    .assertReply((a) => {
      reply = a;
    })
    .startTest();
  return { text: readable(reply), activity: reply };
}

/** The ICB announces, through the API's own path, that e-RS went down `hoursAgo` hours before now. */
async function announceDown(bot: Bot, hoursAgo: number, extra: Record<string, unknown> = {}) {
  const at = new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
  return createAnnouncement(
    bot.storage,
    { kind: 'unplanned-downtime', title: 'e-RS is down', startsAt: at, sendAt: at, targets: 'all', ...extra },
    { via: 'api' },
    new Date(at),
  );
}

const TWO_WEEK_WAIT_MAILBOXES = [
  'gstt.2wwgstt@nhs.net',
  'gstt.2wwoffice@nhs.net',
  'kch-tr.2weekwaitopacdh@nhs.net',
  'kch-tr.br-2weekwait@nhs.net',
  'LG.2WWLGT@nhs.net',
  'Dgn-tr.cancerreferral-dvh@nhs.net',
];

describe('the ICB announced unplanned downtime 30 hours ago', () => {
  test('"is e-RS down?" answers stage 2 with the 2WW mailboxes, the announcement time and no question', async () => {
    const bot = setup({ now: NOW.toISOString() });
    await announceDown(bot, 30);
    const { text, activity } = await ask(bot, 'is e-RS down?');
    expect(text).toContain('Stage 2 of 3: After 24 hours.');
    expect(text).toContain(
      'e-RS has been down since Sunday 8 November 2026 at 04:00, as announced by the ICB on Sunday 8 November 2026 at 04:00.',
    );
    // Sunday start: the 5 working days are Monday 9th to Friday 13th.
    expect(text).toContain('"After 5 working days" starts Friday 13 November 2026 at 04:00.');
    for (const mailbox of TWO_WEEK_WAIT_MAILBOXES) expect(text).toContain(mailbox);
    // Urgent and routine referrals are still held at stage 2: their mailboxes are not given.
    expect(text).not.toContain('kch-tr.kchreferrals@nhs.net');
    expect(text).not.toContain('When did e-RS go down?');
    const card = activity?.attachments?.[0]?.content as { actions?: unknown[] };
    expect(card.actions ?? []).toHaveLength(0);
  });

  test('"what stage are we at?" gets the same stage', async () => {
    const bot = setup({ now: NOW.toISOString() });
    await announceDown(bot, 30);
    const { text } = await ask(bot, 'what stage of e-RS downtime are we at?');
    expect(text).toContain('Stage 2 of 3: After 24 hours.');
    expect(text).not.toContain('When did e-RS go down?');
  });

  test('"what stage are we at?" and "where do 2WWs go?", with no downtime word, answer from it too', async () => {
    const bot = setup({ now: NOW.toISOString() });
    await announceDown(bot, 30);
    const stage = await ask(bot, 'what stage are we at?');
    expect(stage.text).toContain('Stage 2 of 3: After 24 hours.');
    const twoWeek = await ask(bot, 'where do 2WWs go?');
    expect(twoWeek.text).toContain('Stage 2 of 3: After 24 hours.');
    for (const mailbox of TWO_WEEK_WAIT_MAILBOXES) expect(twoWeek.text).toContain(mailbox);
    const contact = await ask(bot, 'who do I email 2WW referrals to during downtime?');
    expect(contact.text).toContain('Stage 2 of 3: After 24 hours.');
    expect(contact.text).toContain('kch-tr.br-2weekwait@nhs.net');
    const routine = await ask(bot, 'where do routine referrals go?');
    expect(routine.text).toContain(
      'Hold urgent and routine referrals: they are emailed only from Friday 13 November 2026',
    );
    expect(routine.text).not.toContain('kch-tr.kchreferrals@nhs.net');
  });

  test('a person who says their own start time gets the stage from it', async () => {
    const bot = setup({ now: NOW.toISOString() });
    await announceDown(bot, 30);
    const { text } = await ask(bot, 'e-RS went down 3 hours ago at our practice');
    expect(text).not.toContain('Stage 2 of 3');
    expect(text).not.toContain('as announced by the ICB');
  });

  test('a downtime limited to KCH gives only the KCH mailboxes', async () => {
    const bot = setup({ now: NOW.toISOString() });
    await announceDown(bot, 30, { scope: { trusts: ['kch'] } });
    const { text } = await ask(bot, 'is e-RS down?');
    expect(text).toContain('The ICB says this downtime affects e-RS at KCH only.');
    expect(text).toContain('kch-tr.2weekwaitopacdh@nhs.net');
    expect(text).toContain('kch-tr.br-2weekwait@nhs.net');
    expect(text).not.toContain('gstt.2wwgstt@nhs.net');
  });
});

describe('no downtime announced', () => {
  test('"is e-RS down?" says so and offers the advisor as before', async () => {
    const bot = setup({ now: NOW.toISOString() });
    const { text } = await ask(bot, 'is e-RS down?');
    expect(text).toContain('The ICB has not announced an e-RS downtime that is going on now.');
    expect(text).toContain('When did e-RS go down?');
  });

  test('"where do 2WWs go?" is not taken for a downtime question', async () => {
    const bot = setup({ now: NOW.toISOString() });
    const { text } = await ask(bot, 'where do 2WWs go?');
    expect(text).not.toContain('Stage');
    expect(text).not.toContain('ICB has not announced');
  });
});

describe('after the ICB announces e-RS is restored', () => {
  test('"is e-RS down?" says restored since when, and what to do with held referrals and the log', async () => {
    const bot = setup({ now: NOW.toISOString() });
    await announceDown(bot, 30);
    const restoredAt = new Date(NOW.getTime() - 2 * HOUR).toISOString();
    await createAnnouncement(
      bot.storage,
      { kind: 'restored', title: 'e-RS is back', sendAt: restoredAt, targets: 'all' },
      { via: 'api' },
      new Date(restoredAt),
    );
    const { text } = await ask(bot, 'is e-RS down?');
    expect(text).toContain('e-RS is restored: the ICB announced on Monday 9 November 2026 at 08:00');
    expect(text).toContain('It had been down since Sunday 8 November 2026 at 04:00.');
    expect(text).toContain('Make the referrals you held and logged on e-RS.');
    expect(text).not.toContain('Stage 2 of 3');
  });
});
