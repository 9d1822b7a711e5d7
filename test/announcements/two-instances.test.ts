import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveReminder } from '../../bot/announcements/store.js';
import { createStorage } from '../../bot/storage/create-storage.js';
import { startAzurite } from '../helpers/azurite.js';
import { type Connector, botwire as wire } from '../helpers/botwire.js';
import { type BotProcess, spawnBot, until } from './bot-process.js';

const API_KEY = 'two-instance-key-0123456789abcdef';
const CONTAINER = 'ers-two-instances';

interface Shared {
  name: string;
  /** Starts the shared store; returns the bot settings and a way to open it from the test. */
  start(cleanups: (() => Promise<void>)[]): Promise<{ env: Record<string, string>; open(): Promise<Storage> }>;
}

const SHARED: Shared[] = [
  {
    name: 'one blob container (several hosts)',
    async start(cleanups) {
      const azurite = await startAzurite();
      cleanups.push(() => azurite.stop());
      const options = {
        kind: 'blob' as const,
        blobConnectionString: azurite.connectionString,
        blobContainer: CONTAINER,
      };
      return {
        env: { STORAGE_KIND: 'blob', BLOB_CONNECTION_STRING: azurite.connectionString, BLOB_CONTAINER: CONTAINER },
        open: () => createStorage(options),
      };
    },
  },
  {
    name: 'one SQLite file (two processes on one host)',
    async start(cleanups) {
      const dir = await mkdtemp(join(tmpdir(), 'ers-two-sqlite-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return { env: { DATA_DIR: dir }, open: () => createStorage({ kind: 'sqlite', dataDir: dir }) };
    },
  },
];

describe.each(SHARED)('two bot instances sharing $name', (shared) => {
  const cleanups: (() => Promise<void>)[] = [];
  let c: Connector;
  let a: BotProcess;
  let b: BotProcess;
  let open: () => Promise<Storage>;

  beforeAll(async () => {
    const store = await shared.start(cleanups);
    open = store.open;
    c = await wire.startConnector();
    cleanups.push(() => c.close());
    const env = { ...store.env, ANNOUNCE_API_KEY: API_KEY };
    [a, b] = await Promise.all([spawnBot(env), spawnBot(env)]);
    cleanups.push(
      () => a.kill('SIGKILL'),
      () => b.kill('SIGKILL'),
    );
  });
  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  });

  const posts = (conversationId: string, needle: string) =>
    c
      .received(conversationId)
      .filter((r) => JSON.stringify(r.activity.attachments ?? r.activity.text ?? '').includes(needle)).length;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('a scheduled announcement is delivered once per team in all', async () => {
    const teams = ['19:one@thread.tacv2', '19:two@thread.tacv2', '19:three@thread.tacv2', '19:four@thread.tacv2'];
    // Installs land on either instance, as a load balancer would spread them.
    for (const [i, team] of teams.entries()) {
      for (const activity of wire.teamInstall(team, c.url)) await wire.post((i % 2 === 0 ? a : b).url, activity);
    }
    const res = await fetch(`${b.base}/api/announcements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({
        kind: 'general',
        title: 'Shared storage announcement',
        sendAt: new Date(Date.now() + 2000).toISOString(),
      }),
    });
    expect(res.status).toBe(201);
    await until('every team', () => teams.every((t) => posts(t, 'Shared storage announcement') > 0), 15_000);
    await pause(2_500);
    expect(teams.map((t) => posts(t, 'Shared storage announcement'))).toEqual([1, 1, 1, 1]);
  });

  test('a reminder due now fires once, not once per instance', async () => {
    const storage = await open();
    const conversationId = 'personal-reminder-user';
    await saveReminder(storage, {
      id: 'remtwoin',
      userId: 'user-1',
      label: 'Check the 2WW deferral is booked',
      date: '2026-11-10',
      dueAt: new Date(Date.now() + 1500).toISOString(),
      createdAt: new Date().toISOString(),
      status: 'scheduled',
      reference: {
        channelId: 'msteams',
        serviceUrl: c.url,
        conversation: { id: conversationId, conversationType: 'personal', isGroup: false, name: '' },
        bot: { id: '28:bot', name: 'e-RS Helper' },
        user: { id: '29:user-1', name: 'Test User' },
      },
      user: { id: '29:user-1' },
    });
    (storage as { close?: () => void }).close?.();
    await until('the reminder', () => posts(conversationId, 'Check the 2WW deferral is booked') > 0, 15_000);
    await pause(2_500);
    expect(posts(conversationId, 'Check the 2WW deferral is booked')).toBe(1);
  });

  test('a dialog started on one instance continues on the other', async () => {
    const conversationId = 'personal-dialog-across';
    await wire.post(a.url, wire.message('troubleshoot', { conversationId, serviceUrl: c.url }));
    const menu = wire.readable(await wire.settle(c, conversationId, 100));
    expect(menu).toContain('My smartcard has stopped working or is blocked');
    const before = c.received(conversationId).length;
    await wire.post(b.url, wire.message('5', { conversationId, serviceUrl: c.url }));
    const answer = wire.readable((await wire.settle(c, conversationId, 100)).slice(before));
    expect(answer.toLowerCase()).toContain('smartcard');
    // Issue 5's steps, not the menu again (which would list issue 1).
    expect(answer).not.toContain("A temporary patient (with an NHS number) won't refer");
  });
});
