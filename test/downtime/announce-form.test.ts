import type { Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { listAnnouncements } from '../../bot/announcements/store.js';
import { readable, setup } from '../helpers/setup.js';

const ANNOUNCER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const icb = { id: '29:icb', name: 'ICB lead', aadObjectId: ANNOUNCER };

async function say(bot: ReturnType<typeof setup>, activity: Partial<Activity>): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [];
  await bot.adapter
    .send({ type: 'message', from: icb, ...activity })
    .assertReply((a) => {
      replies.push(a);
    })
    .startTest();
  return replies;
}

describe('an ICB announcer uses the announce form for a downtime', () => {
  const form = {
    kind: 'unplanned-downtime',
    title: 'e-RS is down at King’s and Lewisham and Greenwich',
    startsDate: '2026-11-06',
    startsTime: '16:00',
    scope: 'trusts',
    trusts: 'kch,lgt',
    stageNotices: 'true',
  };

  test('the form asks what is down and whether to post stage notices', async () => {
    const bot = setup({ env: { ANNOUNCERS: ANNOUNCER } });
    const [reply] = await say(bot, { text: 'announce' });
    const card = JSON.stringify(reply?.attachments?.[0]?.content);
    for (const id of ['"id":"scope"', '"id":"trusts"', '"id":"stageNotices"']) expect(card).toContain(id);
  });

  test('the preview shows the stage, the next stage time, the trusts and the notices; confirming keeps them', async () => {
    const bot = setup({ env: { ANNOUNCERS: ANNOUNCER } });
    const [preview] = await say(bot, { value: { verb: 'announce-preview', ...form } });
    const text = readable(preview);
    expect(text).toContain('Stage preview');
    expect(text).toContain('If sent now\nStage 2 of 3: After 24 hours.');
    expect(text).toContain('Next stage\nAfter 5 working days: Friday 13 November 2026 at 16:00');
    expect(text).toContain('KCH, LGT');
    expect(text).toContain('On: posted once to each conversation as each stage begins');

    const confirmCard = preview?.attachments?.[1]?.content as { actions?: { data: Record<string, unknown> }[] };
    const confirm = confirmCard?.actions?.[0];
    expect(confirm?.data.verb).toBe('announce-create');
    await say(bot, { value: confirm?.data });
    const [made] = await listAnnouncements(bot.storage);
    expect(made).toMatchObject({
      kind: 'unplanned-downtime',
      scope: { kind: 'trusts', trusts: ['kch', 'lgt'] },
      stageNotices: true,
    });
  });

  test('"only at the trusts below" with no trust ticked is refused with the field named', async () => {
    const bot = setup({ env: { ANNOUNCERS: ANNOUNCER } });
    const [reply] = await say(bot, { value: { verb: 'announce-preview', ...form, trusts: '' } });
    expect(readable(reply)).toContain('I could not make that announcement: scope.trusts');
  });
});
