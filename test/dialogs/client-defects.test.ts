import { type Activity, MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listReminders } from '../../bot/announcements/store.js';
import { readRecords } from '../../bot/storage/records.js';
import { shareCard } from '../../dialogs/message-extension.js';
import { type Received, readable as readAll } from '../helpers/botwire.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { testKnowledge } from '../helpers/knowledge.js';
import { readable, setup } from '../helpers/setup.js';

/** What a user saw in a real client and should not (issue 14 §3), each pinned down. */

const { kb } = testKnowledge();

async function say(adapter: ReturnType<typeof setup>['adapter'], activity: string | Partial<Activity>) {
  await adapter.receiveActivity(typeof activity === 'string' ? { type: 'message', text: activity } : activity);
  return (adapter.activeQueue.splice(0) as Partial<Activity>[]).map(readable).join('\n');
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('a card or link shared into the chat is not a question', () => {
  const entry = kb.entries.find((e) => e.id.startsWith('ts-5-'));
  if (!entry) throw new Error('ts-5 entry missing');
  const { config } = setup();
  const card = shareCard({ config, kb }, entry, { sites: [], trusts: [], boroughs: [] });
  const link = `${config.publicBaseUrl}/guidance/${entry.id}`;

  test.each([
    ['a card from the message extension, no words', { text: '', attachments: [card] }],
    ['a card from the message extension, no text at all', { attachments: [card] }],
    ['an unfurled guidance link', { text: link, attachments: [card] }],
    ['a pasted link in Teams markup', { text: `<a href="${link}">${link}</a>` }],
  ])('%s gets a short acknowledgement, not a refusal', async (_what, message) => {
    const { adapter } = setup();
    const reply = await say(adapter, { type: 'message', ...message });
    expect(reply).toMatch(/^Thanks for sharing that\./);
    expect(reply).not.toMatch(/I only help|Please type|couldn't find/);
  });

  test('a question that comes with a link is still answered', async () => {
    const { adapter } = setup();
    const reply = await say(adapter, { type: 'message', text: `my smartcard is blocked ${link}` });
    expect(reply).not.toMatch(/Thanks for sharing/);
    expect(reply).toMatch(/smartcard/i);
  });
});

describe('downtime answers read as the pack says', () => {
  test('stage 3: the GSTT urgent and routine line says what to do (the specialty pages), not just a name', async () => {
    const { adapter } = setup();
    const reply = await say(adapter, 'e-RS has been down more than 5 working days');
    const gstt = kb.contacts.routes.find((r) => r.purpose === 'downtime-urgent-routine' && r.sites?.includes('gstt'));
    expect(gstt?.emails).toEqual([]);
    // The pack: "For GSTT, please use email addresses provided on specialty pages on GSTT and Evelina websites."
    expect(gstt?.how).toMatch(/email addresses provided on the specialty pages on the GSTT and Evelina websites/);
    expect(reply).toContain(gstt?.how);
  });

  test.each([
    ['the button after "e-RS is down"', ['e-RS is down', 'Only our practice is affected']],
    ['typed', ["e-RS isn't working for our practice only"]],
  ])('"only our practice is affected" (%s) gives the facilitator advice once', async (_how, messages) => {
    const { adapter } = setup();
    let reply = '';
    for (const message of messages) reply = await say(adapter, message);
    expect(count(reply, /notify (?:your|their) local Primary Care IT Facilitator/gi)).toBe(1);
    expect(count(reply, /gives no email address or phone number/gi)).toBe(1);
  });

  test('the web version on the Optum/Vision card is a link', async () => {
    const { adapter } = setup();
    const reply = await say(adapter, "e-RS won't open from Optum");
    expect(reply).toContain('[https://ers.nhs.uk/main](https://ers.nhs.uk/main)');
    expect(reply.replaceAll('[https://ers.nhs.uk/main](https://ers.nhs.uk/main)', '')).not.toContain('ers.nhs.uk');
  });
});

describe('the deadline form with the date cleared', () => {
  test('the form does not block the submit, and the bot says the date is missing', async () => {
    const { adapter } = setup();
    await adapter.receiveActivity({ type: 'message', text: 'work out a date' });
    const [form] = adapter.activeQueue.splice(0) as Partial<Activity>[];
    const date = JSON.stringify(form?.attachments?.[0]?.content).match(/\{"type":"Input\.Date"[^}]*\}/)?.[0] ?? '';
    expect(date).toContain('"id":"date"');
    expect(date).not.toContain('isRequired');
    const reply = await say(adapter, {
      type: 'message',
      value: { verb: 'deadline-calc', rule: 'deferral', priority: 'routine', date: '' },
    });
    expect(reply).toMatch(/missing the date \(deferral, referral or cancellation\)/);
  });
});

describe('a card button pressed again does nothing new, and the card says what was done', () => {
  let bot: HttpBot;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    bot = await startHttpBot({ storage });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  /** Sends in one conversation and returns what the connector received for that turn. */
  async function turn(
    conversationId: string,
    text: string | undefined,
    extra: { value?: unknown; replyToId?: string } = {},
  ) {
    const before = bot.connector.received(conversationId).length;
    const activity = bot.wire.message(text, { conversationId, serviceUrl: bot.connector.url, ...extra });
    expect((await bot.wire.post(bot.url, activity)).status).toBe(200);
    await bot.wire.settle(bot.connector, conversationId, 80);
    return bot.connector.received(conversationId).slice(before);
  }

  /** The data of the card's button with this verb, as the client would send it back. */
  const submitOf = (received: Received, verb: string): Record<string, unknown> => {
    const found: Record<string, unknown>[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const data = (node as { data?: { verb?: unknown } }).data;
        if (data?.verb === verb) found.push(data as Record<string, unknown>);
        Object.values(node).forEach(walk);
      }
    };
    walk(received.activity);
    if (!found[0]) throw new Error(`no ${verb} button on the card`);
    return found[0];
  };

  test('Helpful, then Not helpful, then Helpful: one record, the card updated once, no extra replies', async () => {
    const conv = `feedback-${Date.now()}`;
    const entry = kb.byId.get('dummy-appointment-letter');
    if (!entry) throw new Error('entry missing');
    const [answer] = await turn(conv, entry.title);
    if (!answer) throw new Error('no answer');
    const helpful = submitOf(answer, 'feedback');
    const before = (await readRecords(storage, 'feedback')).length;

    const first = await turn(conv, undefined, { value: { ...helpful, helpful: true }, replyToId: answer.id });
    expect(first.map((r) => r.method)).toEqual(['PUT']);
    expect(first[0]?.id).toBe(answer.id);
    const updated = readAll([first[0]?.activity ?? {}]);
    expect(updated).toContain('You marked this answer helpful');
    expect(updated).toContain(readAll([answer.activity]).split('\n')[0]);
    expect(JSON.stringify(first[0]?.activity)).not.toContain('"verb":"feedback"');

    for (const again of [false, true]) {
      expect(await turn(conv, undefined, { value: { ...helpful, helpful: again }, replyToId: answer.id })).toEqual([]);
    }
    const records = await readRecords(storage, 'feedback');
    expect(records.length - before).toBe(1);
  });

  test('"Remind me on that date" twice: one reminder with its label, the card says it is set', async () => {
    const conv = `remind-${Date.now()}`;
    const [answer] = await turn(conv, 'routine referral deferred on 2 December 2026, when is the contact-by date?');
    if (!answer) throw new Error('no answer');
    const button = submitOf(answer, 'reminder-create');
    const press = { ...button, label: 'check booked' };
    const mine = async () => (await listReminders(storage)).filter((r) => r.reference.conversation?.id === conv);

    const first = await turn(conv, undefined, { value: press, replyToId: answer.id });
    expect(first.map((r) => r.method)).toEqual(['PUT']);
    const updated = readAll([first[0]?.activity ?? {}]);
    expect(updated).toMatch(/Reminder \w+ set for .* at 09:00: "check booked"/);
    expect(updated).not.toContain('Remind me on that date');

    expect(await turn(conv, undefined, { value: { ...button, label: '' }, replyToId: answer.id })).toEqual([]);
    const reminders = await mine();
    expect(reminders.map((r) => r.label)).toEqual(['check booked']);
  });
});
