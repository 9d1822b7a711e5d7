import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toLondon } from '../../knowledge/time/london-time.js';
import { type Activity, type Connector, botwire as wire } from '../helpers/botwire.js';
import { type BotProcess, spawnBot, until } from './bot-process.js';

const API_KEY = 'test-announce-key-0123456789abcdef';
const ANNOUNCER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const ICB = { id: '29:icb-lead', name: 'ICB e-RS lead', aadObjectId: ANNOUNCER };

const timings: Record<string, number> = {};
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ers-announce-'));
  cleanups.push(() => (process.env.KEEP_ANN ? Promise.resolve() : rm(dir, { recursive: true, force: true })));
  return dir;
}

async function connector(options?: { fail429?: number }): Promise<Connector> {
  const c = await wire.startConnector(options);
  cleanups.push(() => c.close());
  return c;
}

async function bot(env: Record<string, string>): Promise<BotProcess> {
  const b = await spawnBot({ ANNOUNCE_API_KEY: API_KEY, ANNOUNCERS: ANNOUNCER, ...env });
  cleanups.push(() => b.kill('SIGKILL'));
  return b;
}

function api(b: BotProcess, method: string, path: string, body?: unknown, key: string | null = API_KEY) {
  return fetch(`${b.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function installTeams(b: BotProcess, c: Connector, ids: readonly string[], parallel = 1): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] ?? '';
      for (const activity of wire.teamInstall(id, c.url)) {
        const res = await wire.post(b.url, activity);
        expect(res.status).toBe(200);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

const cardsWith = (c: Connector, conversationId: string, title: string): Activity[] =>
  c
    .received(conversationId)
    .map((r) => r.activity)
    .filter((a) => JSON.stringify(a.attachments ?? a.text ?? '').includes(title));

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
/** London wall-clock text (no offset) for a time of day `days` from now, as the ICB would write it. */
const londonLocal = (days: number, hhmm: string) =>
  `${toLondon(new Date(Date.now() + days * 86_400_000)).date}T${hhmm}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an ICB announcement scheduled through the API, delivered by the real server', () => {
  const teams = ['19:alpha@thread.tacv2', '19:bravo@thread.tacv2', '19:charlie@thread.tacv2'];
  let c: Connector;
  let b: BotProcess;

  beforeAll(async () => {
    c = await connector();
    b = await bot({ DATA_DIR: await tempDir() });
    await installTeams(b, c, teams);
  });

  test('each of three teams gets the welcome card and then exactly one announcement card', async () => {
    for (const team of teams) expect(wire.readable(c.received(team).map((r) => r.activity))).toContain('e-RS');
    const res = await api(b, 'POST', '/api/announcements', {
      kind: 'planned-downtime',
      title: 'e-RS maintenance this evening',
      message: 'NHS England is upgrading e-RS.',
      startsAt: londonLocal(1, '18:00'),
      endsAt: londonLocal(1, '21:30'),
      sendAt: inSeconds(2),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(cardsWith(c, teams[0] ?? '', 'e-RS maintenance this evening')).toHaveLength(0);
    await until(
      'a card in every team',
      () => teams.every((t) => cardsWith(c, t, 'e-RS maintenance this evening').length > 0),
      15_000,
    );
    await pause(2_500);
    for (const team of teams) {
      const cards = cardsWith(c, team, 'e-RS maintenance this evening');
      expect(cards).toHaveLength(1);
      const text = wire.readable(cards);
      expect(text).toContain('Hold all referrals until e-RS is restored.');
      expect(text).toContain('3 hours 30 minutes');
      expect(text).toContain('Source: eRS Information Pack v4.1, October 2025: e-RS Downtime Protocol');
    }
    const status = (await (await api(b, 'GET', `/api/announcements/${id}`)).json()) as {
      status: string;
      summary: unknown;
      deliveries: { status: string }[];
    };
    expect(status.status).toBe('sent');
    expect(status.summary).toEqual({ delivered: 3, failed: 0, inactive: 0, pending: 0 });
    expect(status.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect((await api(b, 'DELETE', `/api/announcements/${id}`)).status).toBe(409);
  });

  test('with 429s from Teams, beyond what the connector client retries itself, still exactly one card each', async () => {
    // Five 429s outlast botbuilder's three built-in retries, so the engine's own Retry-After retry runs too.
    c.failNext(teams[0] ?? '', 5);
    c.failNext(teams[1] ?? '', 2);
    const res = await api(b, 'POST', '/api/announcements', { kind: 'restored', title: 'e-RS is back' });
    expect(res.status).toBe(201);
    await until('a card in every team', () => teams.every((t) => cardsWith(c, t, 'e-RS is back').length > 0), 20_000);
    await pause(1_500);
    for (const team of teams) expect(cardsWith(c, team, 'e-RS is back')).toHaveLength(1);
    expect(wire.readable(cardsWith(c, teams[2] ?? '', 'e-RS is back'))).toContain('Stop emailing referrals.');
  });

  test('refuses API calls with no key or a wrong key, and names the bad fields', async () => {
    const body = { kind: 'general', title: 'x' };
    expect((await api(b, 'POST', '/api/announcements', body, null)).status).toBe(401);
    expect((await api(b, 'POST', '/api/announcements', body, 'wrong-key-wrong-key-wrong-key')).status).toBe(401);
    expect((await api(b, 'GET', '/api/announcements/abcdefgh', undefined, null)).status).toBe(401);
    expect((await api(b, 'DELETE', '/api/announcements/abcdefgh', undefined, 'nope')).status).toBe(401);
    const bad = await api(b, 'POST', '/api/announcements', { kind: 'party', title: '', sendAt: 'tomorrow' });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { fields: { field: string }[] }).fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['kind', 'title', 'sendAt']));
  });

  test('a scheduled announcement can be cancelled and is then never sent', async () => {
    const res = await api(b, 'POST', '/api/announcements', {
      kind: 'general',
      title: 'Never sent',
      sendAt: inSeconds(3),
    });
    const { id } = (await res.json()) as { id: string };
    expect((await api(b, 'DELETE', `/api/announcements/${id}`)).status).toBe(200);
    await pause(4_000);
    for (const team of teams) expect(cardsWith(c, team, 'Never sent')).toHaveLength(0);
  });

  test('staff who are not announcers are refused in chat; an announcer gets the form and a delivery summary', async () => {
    const conversationId = 'personal-staff';
    await wire.post(b.url, wire.message('announce', { conversationId, serviceUrl: c.url }));
    expect(wire.readable(await wire.settle(c, conversationId, 100))).toContain('only ICB announcers');

    const icbChat = 'personal-icb';
    await wire.post(b.url, wire.message('announce', { conversationId: icbChat, serviceUrl: c.url, from: ICB }));
    expect(wire.readable(await wire.settle(c, icbChat, 100))).toContain('New announcement');
    await wire.post(
      b.url,
      wire.message(undefined, {
        conversationId: icbChat,
        serviceUrl: c.url,
        from: ICB,
        value: { verb: 'announce-create', kind: 'general', title: 'Made in chat', message: 'Hello from the ICB' },
      }),
    );
    await until(
      'the summary',
      () => wire.readable(c.received(icbChat).map((r) => r.activity)).includes('delivered to 3'),
      10_000,
    );
    for (const team of teams) expect(cardsWith(c, team, 'Made in chat')).toHaveLength(1);
  });
});

describe('a bot killed mid-delivery and restarted on the same data', () => {
  test('every channel still gets exactly one card, none lost', async () => {
    const c = await connector();
    const dataDir = await tempDir();
    const teams = Array.from({ length: 150 }, (_, i) => `19:team-${String(i).padStart(3, '0')}@thread.tacv2`);
    const first = await bot({ DATA_DIR: dataDir });
    const t0 = Date.now();
    await installTeams(first, c, teams, 10);
    timings.install150 = Date.now() - t0;
    const title = 'Crash test announcement';
    const count = () => teams.filter((t) => cardsWith(c, t, title).length > 0).length;
    let lastPostAt = Date.now();
    c.onPost(() => {
      lastPostAt = Date.now();
    });
    expect((await api(first, 'POST', '/api/announcements', { kind: 'general', title })).status).toBe(201);
    // 50 sends a second in all: after the first second's batch the bot waits on the limiter, holding
    // claims on the next targets. Killing it then leaves claimed-but-unsent targets, the case to recover.
    await until('the first batch', () => count() >= 40 && Date.now() - lastPostAt > 120, 15_000, 10);
    await first.kill('SIGKILL');
    const atKill = count();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(teams.length);

    const t1 = Date.now();
    const second = await bot({ DATA_DIR: dataDir });
    await until('every team', () => count() === teams.length, 30_000, 100).catch((err: unknown) => {
      const missing = teams.filter((t) => cardsWith(c, t, title).length === 0);
      throw new Error(
        `${String(err)}: ${count()} of ${teams.length}, ${atKill} at kill, install ${timings.install150} ms, missing ${missing.join(' ')} in ${dataDir} ${readdirSync(
          dataDir,
        )
          .filter((f) => f.endsWith('.lock'))
          .join(' ')}`,
      );
    });
    timings.recovered = Date.now() - t1;
    timings.atKill = atKill;
    await pause(1_500);
    const perTeam = teams.map((t) => cardsWith(c, t, title).length);
    expect(perTeam.filter((n) => n !== 1)).toEqual([]);
    await second.kill('SIGTERM');
  }, 60_000);
});
