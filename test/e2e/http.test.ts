import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';

describe('the bot over the real Bot Framework protocol', () => {
  let bot: HttpBot;
  beforeAll(async () => {
    bot = await startHttpBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('GET /healthz answers 200 with status, version and pack version', async () => {
    const res = await fetch(`${bot.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', version: expect.any(String), pack: { version: 'v4.1' } });
  });

  test('installing the app in a team posts one welcome card to its General channel', async () => {
    const teamId = `19:team-${Date.now()}@thread.tacv2`;
    for (const activity of bot.wire.teamInstall(teamId, bot.connector.url)) {
      const res = await bot.wire.post(bot.url, activity);
      expect(res.status).toBeLessThan(300);
    }
    const replies = await bot.wire.settle(bot.connector, teamId, 100);
    const welcomes = replies.filter((a) => bot.wire.readable([a]).includes('Welcome to e-RS Helper'));
    expect(welcomes).toHaveLength(1);
    expect(bot.wire.readable(replies)).toContain('Mention me');
  });

  test('help in a 1:1 chat lists the features', async () => {
    const { status, text } = await bot.ask('help');
    expect(status).toBe(200);
    expect(text).toContain('Troubleshoot a problem');
    expect(text).toContain('Who to contact');
  });

  test('an @mention in a channel is stripped before matching', async () => {
    const { text } = await bot.ask('<at>e-RS Helper</at> help', {
      conversationType: 'channel',
      conversationId: `19:chan-${Date.now()}@thread.tacv2;messageid=1`,
    });
    expect(text).toContain('Troubleshoot a problem');
  });

  test("a card button's value typed as text works like pressing it", async () => {
    const conversationId = `typed-${Date.now()}`;
    const menu = await bot.ask('troubleshoot', { conversationId });
    expect(menu.text).toContain('5. My smartcard has stopped working or is blocked');
    const typed = await bot.ask('issue 5', { conversationId });
    expect(typed.text).toContain('Issue 5: My smartcard has stopped working or is blocked');
    const byNumber = await bot.ask('troubleshoot', { conversationId });
    expect(byNumber.text).toContain('Troubleshooting: what is the problem?');
    expect((await bot.ask('3', { conversationId })).text).toContain('turn blue');
  });

  test('a body that is not an activity gets 400, not 500', async () => {
    expect((await bot.wire.post(bot.url, '{"hello":1}')).status).toBe(400);
    expect((await bot.wire.post(bot.url, '{not json')).status).toBe(400);
  });
});

describe('with a bot id configured (production mode)', () => {
  let bot: HttpBot;
  beforeAll(async () => {
    bot = await startHttpBot({
      env: { MicrosoftAppId: '6f1c2a3b-1111-4222-8333-944455556666', MicrosoftAppPassword: 'not-a-real-secret' },
    });
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('a request without a valid Bot Framework token gets 401', async () => {
    const res = await bot.wire.post(bot.url, bot.wire.message('help', { serviceUrl: bot.connector.url }));
    expect(res.status).toBe(401);
    const forged = await bot.wire.post(bot.url, bot.wire.message('help', { serviceUrl: bot.connector.url }), {
      authorization: 'Bearer abc.def.ghi',
    });
    expect(forged.status).toBe(401);
  });
});
