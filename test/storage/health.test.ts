import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createAdapter } from '../../bot/adapter.js';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { type BotServer, createServer } from '../../bot/server.js';
import { createStorage } from '../../bot/storage/create-storage.js';
import { DATABASE_FILE, type SqliteStorage } from '../../bot/storage/sqlite-storage.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { testDeps } from '../helpers/knowledge.js';
import { captureLogs, DEFAULT_NOW } from '../helpers/setup.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'ers-health-'));
  const storage = (await createStorage({ kind: 'sqlite', dataDir: dir })) as SqliteStorage;
  const logs = captureLogs('warn');
  const config = loadConfig({ PORT: '0' });
  const deps = testDeps({ storage, clock: fixedClock(DEFAULT_NOW), logger: logs.logger });
  const adapter = createAdapter(config);
  const server: BotServer = createServer(config, deps, { app: createApp(config, { ...deps, adapter }), adapter });
  const base = await server.listen(0, '127.0.0.1');
  cleanups.push(async () => {
    await server.close();
    storage.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, base, logs };
}

// Security review M2: storage faults left /healthz saying ok; L5: HEAD /healthz was 405.
describe('the health check tells the truth about storage', () => {
  test('answers 200 ok, to GET and HEAD, while the database works', async () => {
    const { base } = await setup();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  test('answers 503 with the reason, and logs it, once the database file is deleted', async () => {
    const { dir, base, logs } = await setup();
    await unlink(join(dir, DATABASE_FILE));
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; storage: string };
    expect(body.status).toBe('error');
    expect(body.storage).toMatch(/database file is missing/);
    expect(body.storage).not.toContain(dir);
    expect(logs.raw()).toContain('health.storage');
  });
});

describe('the guidance index', () => {
  test('answers HEAD like GET', async () => {
    const { base } = await setup();
    expect((await fetch(`${base}/guidance`, { method: 'HEAD' })).status).toBe(200);
  });
});
