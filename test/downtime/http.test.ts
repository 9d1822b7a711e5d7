import { MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAdapter } from '../../bot/adapter.js';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import type { DowntimeReport } from '../../bot/downtime/report.js';
import { type BotServer, createServer } from '../../bot/server.js';
import { REFRESH_VERB } from '../../dialogs/downtime-cards.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { fromLondon } from '../../knowledge/time/london-time.js';
import { testDeps } from '../helpers/knowledge.js';
import { readable, silentLogger } from '../helpers/setup.js';

const API_KEY = 'test-announce-key-0123456789abcdef';
/** Monday 9 November 2026 10:00 London. */
const NOW = fromLondon('2026-11-09', { hour: 10, minute: 0 });
const HOUR = 3_600_000;

describe('the real server: GET /api/downtime and the card refresh invoke', () => {
  const clock = fixedClock(NOW);
  let server: BotServer;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', ANNOUNCE_API_KEY: API_KEY });
    const deps = testDeps({ storage: new MemoryStorage(), clock, logger: silentLogger() });
    const adapter = createAdapter(config);
    server = createServer(config, deps, { app: createApp(config, { ...deps, adapter }), adapter });
    base = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
  });

  const report = async (): Promise<DowntimeReport> => {
    const res = await fetch(`${base}/api/downtime`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return (await res.json()) as DowntimeReport;
  };

  const announce = async (body: Record<string, unknown>) =>
    fetch(`${base}/api/announcements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ targets: ['19:nobody@thread.tacv2'], ...body }),
    });

  const refresh = async (announcementId: string) => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: 'invoke-1',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/',
        from: { id: '29:staff', name: 'Practice staff' },
        recipient: { id: '28:bot', name: 'e-RS Helper' },
        conversation: { id: '19:practice@thread.tacv2', conversationType: 'channel', isGroup: true },
        replyToId: 'card-1',
        value: { action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { announcementId } }, trigger: 'manual' },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return readable({ attachments: [{ contentType: body.type, content: body.value }] });
  };

  const page = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    return { html: await res.text(), cache: res.headers.get('cache-control') };
  };

  test('nothing is current at first, and the guidance pages show no banner', async () => {
    expect(await report()).toEqual({ status: 'none', asAt: NOW.toISOString() });
    const index = await page('/guidance');
    expect(index.html).not.toContain('class="downtime-banner"');
    expect(index.cache).toBe('public, max-age=300');
  });

  test('an unplanned downtime announced through the API is reported with its stage and next stage time', async () => {
    const res = await announce({
      kind: 'unplanned-downtime',
      title: 'e-RS is down',
      startsAt: '2026-11-08T04:00',
      scope: { trusts: ['kch'] },
      stageNotices: true,
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await report()).toEqual({
      status: 'down',
      asAt: NOW.toISOString(),
      announcementId: id,
      title: 'e-RS is down',
      planned: false,
      scope: { trusts: ['kch'] },
      startedAt: '2026-11-08T04:00:00.000Z',
      announcedAt: NOW.toISOString(),
      stage: { number: 2, label: 'After 24 hours', startedAt: '2026-11-09T04:00:00.000Z' },
      nextStage: { number: 3, label: 'After 5 working days', startsAt: '2026-11-13T04:00:00.000Z' },
    });
    expect(await refresh(id)).toContain('Now: stage 2 of 3, After 24 hours.');
    const entry = await page('/guidance/ts-5-smartcard-blocked');
    expect(entry.cache).toBe('no-store');
    expect(entry.html).toContain(
      '<div class="downtime-banner" role="status">\n<div class="wrap">\n<p><strong>e-RS downtime:</strong> Now: stage 2 of 3, After 24 hours. &quot;After 5 working days&quot; starts Friday 13 November 2026 at 04:00. As announced by the ICB on Monday 9 November 2026 at 10:00. <a href="/guidance/downtime-after-24-hours">What to do now</a></p>',
    );

    clock.set(new Date(NOW.getTime() + 5 * 24 * HOUR));
    expect((await report()).stage).toMatchObject({ number: 3 });
    expect(await refresh(id)).toContain('Now: stage 3 of 3, After 5 working days.');

    expect((await announce({ kind: 'restored', title: 'e-RS is back' })).status).toBe(201);
    expect(await report()).toMatchObject({
      status: 'restored',
      restoredBy: 'announced',
      startedAt: '2026-11-08T04:00:00.000Z',
    });
    expect(await refresh(id)).toContain('Now: e-RS is restored (since Saturday 14 November 2026 at 10:00).');
    expect((await page('/guidance')).html).not.toContain('class="downtime-banner"');
  });

  test('scope and stage notices are refused on an announcement that is not a downtime', async () => {
    const res = await announce({ kind: 'general', title: 'Training', stageNotices: true, scope: 'national' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fields: { field: string; message: string }[] };
    expect(body.fields).toEqual([
      { field: 'scope', message: 'is only for a planned or unplanned downtime' },
      { field: 'stageNotices', message: 'is only for a planned or unplanned downtime' },
    ]);
  });
});
