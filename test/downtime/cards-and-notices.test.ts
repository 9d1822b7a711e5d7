import { type Activity, MemoryStorage, type Storage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { applyRefChange, refChangeFor } from '../../bot/announcements/conversation-refs.js';
import { createDeliveryRunner } from '../../bot/announcements/runner.js';
import { createAnnouncement } from '../../bot/announcements/store.js';
import { createLiveRenderer, REFRESH_VERB } from '../../dialogs/downtime-cards.js';
import type { Announcement } from '../../knowledge/announcements/model.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { fromLondon } from '../../knowledge/time/london-time.js';
import { readable, setup, silentLogger } from '../helpers/setup.js';

const kb = loadKnowledge();
/** Monday 9 November 2026 10:00 London. */
const NOW = fromLondon('2026-11-09', { hour: 10, minute: 0 });
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

function refreshInvoke(announcementId: string, trigger: 'automatic' | 'manual' = 'automatic'): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    conversation: { id: '19:practice-team@thread.tacv2', conversationType: 'channel', isGroup: true, name: 'x' },
    value: { action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { announcementId } }, trigger },
  };
}

interface InvokeReply {
  status: number;
  body: { statusCode: number; type: string; value: unknown };
}

async function refresh(bot: ReturnType<typeof setup>, announcementId: string): Promise<InvokeReply> {
  let reply: Partial<Activity> | undefined;
  await bot.adapter
    .send(refreshInvoke(announcementId))
    .assertReply((a) => {
      reply = a;
    })
    .startTest();
  expect(reply?.type).toBe('invokeResponse');
  return reply?.value as InvokeReply;
}

async function unplanned(storage: Storage, startsAt: Date, extra: Record<string, unknown> = {}): Promise<Announcement> {
  return createAnnouncement(
    storage,
    { kind: 'unplanned-downtime', title: 'e-RS is down', startsAt: startsAt.toISOString(), targets: 'all', ...extra },
    { via: 'api' },
    startsAt,
  );
}

describe('a downtime card in a channel stays true', () => {
  test('is sent with a refresh action and a Refresh button (Action.Execute), no user list', () => {
    const a: Announcement = {
      id: 'cardtest',
      kind: 'unplanned-downtime',
      title: 'e-RS is down',
      startsAt: NOW.toISOString(),
      sendAt: NOW.toISOString(),
      targets: 'all',
      createdBy: { via: 'api' },
      createdAt: NOW.toISOString(),
      status: 'sending',
    };
    const card = createLiveRenderer(kb).announcement(a, NOW).attachments?.[0]?.content as Record<string, unknown>;
    const action = { type: 'Action.Execute', verb: REFRESH_VERB, data: { announcementId: 'cardtest' } };
    expect(card.refresh).toEqual({ action });
    expect(card.actions).toEqual([{ ...action, title: 'Refresh' }]);
    expect(card.version).toBe('1.5');
  });

  test('a refresh invoke returns the stage at that moment, then restored', async () => {
    const bot = setup({ now: NOW.toISOString() });
    const a = await unplanned(bot.storage, at(-1));

    const first = await refresh(bot, a.id);
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const firstText = readable({ attachments: [{ contentType: 'x', content: first.body.value }] });
    expect(firstText).toContain('As at Monday 9 November 2026 at 10:00:');
    expect(firstText).toContain('Now: stage 1 of 3, First 24 hours.');
    expect(firstText).toContain('"After 24 hours" starts Tuesday 10 November 2026 at 09:00.');
    expect((first.body.value as { refresh?: unknown }).refresh).toBeDefined();

    bot.clock.set(at(24));
    const second = await refresh(bot, a.id);
    const secondText = readable({ attachments: [{ contentType: 'x', content: second.body.value }] });
    expect(secondText).toContain('As at Tuesday 10 November 2026 at 10:00:');
    expect(secondText).toContain('Now: stage 2 of 3, After 24 hours.');
    // Stage 3: 5 working days after Monday 9th, at 09:00.
    expect(secondText).toContain('"After 5 working days" starts Monday 16 November 2026 at 09:00.');

    await createAnnouncement(
      bot.storage,
      { kind: 'restored', title: 'e-RS is back', targets: 'all' },
      { via: 'api' },
      at(24.5),
    );
    bot.clock.set(at(25));
    const third = await refresh(bot, a.id);
    const thirdText = readable({ attachments: [{ contentType: 'x', content: third.body.value }] });
    expect(thirdText).toContain('Now: e-RS is restored (since Tuesday 10 November 2026 at 10:30).');
    expect(thirdText).toContain('Make the referrals you held and logged on e-RS.');
    expect(thirdText).not.toContain('stage 2 of 3');
  });

  test('a refresh for an announcement that is gone answers with a message', async () => {
    const bot = setup({ now: NOW.toISOString() });
    const reply = await refresh(bot, 'nothere2');
    expect(reply.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(reply.body.value).toBe('This announcement is no longer available.');
  });
});

async function installChannels(storage: Storage, ids: readonly string[]) {
  for (const id of ids) {
    await applyRefChange(
      storage,
      refChangeFor(
        {
          type: 'installationUpdate',
          action: 'add',
          serviceUrl: 'http://connector.invalid/',
          channelId: 'msteams',
          conversation: { id, conversationType: 'channel', tenantId: 't', isGroup: true, name: id },
          recipient: { id: '28:bot', name: 'bot' },
          from: { id: '29:u', name: 'u' },
          channelData: { team: { id, name: id }, tenant: { id: 't' } },
        },
        NOW,
      ),
    );
  }
}

function deliveryHarness(storage: Storage, owner: string, clock: ReturnType<typeof fixedClock>) {
  const sent: { to: string; text: string }[] = [];
  const runner = createDeliveryRunner({
    storage,
    clock,
    logger: silentLogger(),
    owner,
    render: createLiveRenderer(kb),
    random: () => 0.5,
    sleep: async (ms) => {
      clock.set(new Date(clock.now().getTime() + ms));
    },
    every: () => () => undefined,
    sender: async (target, activity) => {
      sent.push({ to: target.conversationId, text: readable(activity) });
    },
  });
  return { runner, sent };
}

describe('crossing a stage boundary', () => {
  const channels = ['19:alpha@thread.tacv2', '19:bravo@thread.tacv2'];
  const notices = (sent: { to: string; text: string }[]) => sent.filter((s) => s.text.includes('starts now'));

  test('posts "Stage 2 starts now" with the 2WW mailboxes once to each channel, when the ICB asked for it', async () => {
    const storage = new MemoryStorage();
    const clock = fixedClock(NOW);
    await installChannels(storage, channels);
    const one = deliveryHarness(storage, 'instance-1', clock);
    const two = deliveryHarness(storage, 'instance-2', clock);
    await unplanned(storage, NOW, { stageNotices: true });

    await one.runner.tick();
    expect(one.sent.map((s) => s.to).sort()).toEqual(channels);
    expect(notices(one.sent)).toHaveLength(0);

    clock.set(at(23.9));
    await one.runner.tick();
    expect(notices(one.sent)).toHaveLength(0);

    clock.set(at(24.1));
    await Promise.all([one.runner.tick(), two.runner.tick()]);
    await one.runner.tick();
    await two.runner.tick();
    const posted = [...notices(one.sent), ...notices(two.sent)];
    expect(posted.map((s) => s.to).sort()).toEqual(channels);
    for (const notice of posted) {
      expect(notice.text).toContain('Stage 2 starts now: After 24 hours');
      expect(notice.text).toContain('2WW referrals now go by email to the addresses below.');
      expect(notice.text).toContain('gstt.2wwgstt@nhs.net');
      expect(notice.text).toContain('kch-tr.2weekwaitopacdh@nhs.net');
      expect(notice.text).not.toContain('kch-tr.kchreferrals@nhs.net');
    }
  });

  test('posts nothing when the announcement did not ask, and nothing after restored', async () => {
    const storage = new MemoryStorage();
    const clock = fixedClock(NOW);
    await installChannels(storage, channels);
    const { runner, sent } = deliveryHarness(storage, 'instance-1', clock);
    await unplanned(storage, NOW);
    await runner.tick();
    clock.set(at(25));
    await runner.tick();
    expect(notices(sent)).toHaveLength(0);

    const asked = new MemoryStorage();
    await installChannels(asked, channels);
    const other = deliveryHarness(asked, 'instance-1', clock);
    clock.set(NOW);
    await unplanned(asked, NOW, { stageNotices: true });
    await other.runner.tick();
    await createAnnouncement(
      asked,
      { kind: 'restored', title: 'e-RS is back', targets: 'all' },
      { via: 'api' },
      at(20),
    );
    clock.set(at(20));
    await other.runner.tick();
    clock.set(at(25));
    await other.runner.tick();
    expect(notices(other.sent)).toHaveLength(0);
  });

  test('a planned downtime with notices gets "Stage 1 starts now" at its start, once', async () => {
    const storage = new MemoryStorage();
    const clock = fixedClock(NOW);
    await installChannels(storage, channels);
    const { runner, sent } = deliveryHarness(storage, 'instance-1', clock);
    await createAnnouncement(
      storage,
      {
        kind: 'planned-downtime',
        title: 'e-RS maintenance',
        startsAt: at(8).toISOString(),
        endsAt: at(11).toISOString(),
        targets: 'all',
        stageNotices: true,
      },
      { via: 'api' },
      NOW,
    );
    await runner.tick();
    clock.set(at(7.9));
    await runner.tick();
    expect(notices(sent)).toHaveLength(0);
    clock.set(at(8));
    await runner.tick();
    await runner.tick();
    const posted = notices(sent);
    expect(posted.map((s) => s.to).sort()).toEqual(channels);
    expect(posted[0]?.text).toContain('Stage 1 starts now: First 24 hours');
    expect(posted[0]?.text).toContain(
      'Planned e-RS downtime since Monday 9 November 2026 at 18:00, due to end Monday 9 November 2026 at 21:00',
    );
  });
});
