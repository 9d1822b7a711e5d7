import type { Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { listConversationRefs } from '../../bot/announcements/conversation-refs.js';
import { listReminders } from '../../bot/announcements/store.js';
import { readable, setup } from '../helpers/setup.js';

const ANNOUNCER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const env = { ANNOUNCERS: ANNOUNCER };
const icb = { id: '29:icb', name: 'ICB lead', aadObjectId: ANNOUNCER };
const staff = { id: '29:staff', name: 'Practice staff', aadObjectId: '00000000-0000-4000-8000-000000000009' };

async function say(bot: ReturnType<typeof setup>, activity: Partial<Activity>): Promise<string> {
  const replies: string[] = [];
  await bot.adapter
    .send({ type: 'message', ...activity })
    .assertReply((a) => {
      replies.push(readable(a));
    })
    .startTest();
  return replies.join('\n');
}

describe('announce commands in chat', () => {
  test('a member of practice staff who types "announce" or "announcements" is politely refused', async () => {
    const bot = setup({ env });
    expect(await say(bot, { text: 'announce', from: staff })).toContain('only ICB announcers');
    expect(await say(bot, { text: 'announcements', from: staff })).toContain('only ICB announcers');
    expect(await say(bot, { text: 'cancel announcement abcdefgh', from: staff })).toContain('only ICB announcers');
    expect(await say(bot, { value: { verb: 'announce-create', kind: 'general', title: 'x' }, from: staff })).toContain(
      'only ICB announcers',
    );
  });

  test('an announcer previews an unplanned downtime and sees the current stage of the protocol', async () => {
    const bot = setup({ env });
    expect(await say(bot, { text: 'announce', from: icb })).toContain('New announcement');
    const preview = await say(bot, {
      from: icb,
      value: {
        verb: 'announce-preview',
        kind: 'unplanned-downtime',
        title: 'e-RS is down nationally',
        startsDate: '2026-11-06',
        startsTime: '16:00',
      },
    });
    expect(preview).toContain('e-RS is down nationally');
    // Friday 16:00 to Monday 10:00: more than 24 hours, so stage 2.
    expect(preview).toContain('Stage 2 of 3: After 24 hours.');
    expect(preview).toContain('Source: eRS Information Pack v4.1, October 2025: e-RS Downtime Protocol');
    expect(preview).toContain('Send it?');
  });

  test('an announcer schedules one, lists it and cancels it', async () => {
    const bot = setup({ env });
    const made = await say(bot, {
      from: icb,
      value: {
        verb: 'announce-create',
        kind: 'general',
        title: 'Training next week',
        sendDate: '2026-11-12',
        sendTime: '09:30',
      },
    });
    const id = /Announcement ([a-z0-9]{8}) is scheduled for Thursday 12 November 2026 at 09:30/.exec(made)?.[1];
    expect(id).toBeDefined();
    expect(await say(bot, { text: 'announcements', from: icb })).toContain(`**${id}** Training next week: scheduled`);
    expect(await say(bot, { text: `cancel announcement ${id}`, from: icb })).toContain('is cancelled');
  });
});

describe('reminders', () => {
  test('a deadline answer keeps its text and offers "Remind me on that date"', async () => {
    const bot = setup();
    const answer = await say(bot, { text: 'routine deferred on 2 December 2026, contact-by date?' });
    expect(answer).toContain('Contact-by date');
    expect(answer).toContain('Remind me on that date');
    expect(answer).toContain('Do not put anything in the label that could identify the patient');
  });

  test('a label that identifies the patient is refused; a plain one is set, listed and cancelled', async () => {
    const bot = setup();
    const refused = await say(bot, {
      from: staff,
      value: { verb: 'reminder-create', date: '2026-12-16', label: 'Mrs Jane Smith DOB 01/02/1960' },
    });
    expect(refused).toContain('I have not set that reminder');
    expect(await listReminders(bot.storage)).toHaveLength(0);

    const set = await say(bot, {
      from: staff,
      value: { verb: 'reminder-create', date: '2026-12-16', label: '2WW deferral' },
    });
    expect(set).toContain('set for Wednesday 16 December 2026 at 09:00: "2WW deferral"');
    const [reminder] = await listReminders(bot.storage);
    expect(reminder?.dueAt).toBe('2026-12-16T09:00:00.000Z');
    expect(await say(bot, { text: 'my reminders', from: staff })).toContain('2WW deferral');
    expect(await say(bot, { text: `cancel reminder ${reminder?.id}`, from: staff })).toContain('is cancelled');
    expect(await say(bot, { text: 'my reminders', from: staff })).toContain('no reminders');
  });

  test('a date already past is refused', async () => {
    const bot = setup();
    expect(await say(bot, { value: { verb: 'reminder-create', date: '2026-11-02', label: '' } })).toContain(
      'already passed',
    );
  });

  test('a practice channel subscribes to and unsubscribes from the worklist reminder', async () => {
    const bot = setup({ conversationType: 'channel' });
    expect(await say(bot, { text: 'subscribe worklist reminders' })).toContain('9:00 on working days');
    expect((await listConversationRefs(bot.storage))[0]?.worklistReminders).toBe(true);
    expect(await say(bot, { text: 'unsubscribe worklist reminders' })).toContain('is off');
    expect((await listConversationRefs(bot.storage))[0]?.worklistReminders).toBe(false);
  });
});
