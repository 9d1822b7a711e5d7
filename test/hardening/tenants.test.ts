import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { type CapturedLogs, captureLogs } from '../helpers/setup.js';

describe('with ALLOWED_TENANTS set', () => {
  let bot: HttpBot;
  let logs: CapturedLogs;
  let n = 0;

  beforeAll(async () => {
    logs = captureLogs('info');
    bot = await startHttpBot({ env: { ALLOWED_TENANTS: 'tenant-allowed,tenant-also' }, logger: logs.logger });
  });
  afterAll(async () => {
    await bot.stop();
  });

  function fromTenant(tenant: string, text: string) {
    const conversationId = `tenant-${++n}`;
    const activity = bot.wire.message(text, { serviceUrl: bot.connector.url, conversationId });
    return {
      conversationId,
      activity: {
        ...activity,
        conversation: { ...activity.conversation, tenantId: tenant },
        channelData: { tenant: { id: tenant } },
      },
    };
  }

  test('a message from another tenant gets no reply at the connector, and the refusal is logged', async () => {
    const { conversationId, activity } = fromTenant('tenant-intruder', 'who do I contact about smartcards');
    const res = await bot.wire.post(bot.url, activity);
    expect(res.status).toBeLessThan(300);
    expect(await bot.wire.settle(bot.connector, conversationId, 80)).toEqual([]);

    const refusal = logs.lines().find((l) => l.event === 'tenant.refused');
    expect(refusal).toMatchObject({ level: 40, tenant: 'tenant-intruder', type: 'message' });
    expect(logs.raw()).not.toContain('smartcards');
  });

  test('an invoke from another tenant is refused without a reply or a 5xx', async () => {
    const { conversationId, activity } = fromTenant('tenant-intruder', 'x');
    const res = await bot.wire.post(bot.url, { ...activity, type: 'invoke', name: 'adaptiveCard/action', value: {} });
    expect(res.status).toBeLessThan(500);
    expect(await bot.wire.settle(bot.connector, conversationId, 50)).toEqual([]);
  });

  test('a message with no tenant at all is refused', async () => {
    const { conversationId, activity } = fromTenant('tenant-allowed', 'help');
    const { channelData: _c, ...rest } = activity;
    const res = await bot.wire.post(bot.url, {
      ...rest,
      conversation: { id: conversationId, conversationType: 'personal' },
    });
    expect(res.status).toBeLessThan(300);
    expect(await bot.wire.settle(bot.connector, conversationId, 50)).toEqual([]);
    expect(logs.lines().some((l) => l.event === 'tenant.refused' && l.tenant === 'none')).toBe(true);
  });

  test.each([['tenant-allowed'], ['tenant-also']])('a message from %s is answered', async (tenant) => {
    const { conversationId, activity } = fromTenant(tenant, 'help');
    const res = await bot.wire.post(bot.url, activity);
    expect(res.status).toBe(200);
    expect(bot.wire.readable(await bot.wire.settle(bot.connector, conversationId, 60))).toContain(
      'Troubleshoot a problem',
    );
  });
});
