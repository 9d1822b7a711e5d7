import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runHousekeeping } from '../../bot/housekeeping.js';
import { checkActivity } from '../../bot/http-guards.js';
import { createStorage } from '../../bot/storage/create-storage.js';
import type { SqliteStorage } from '../../bot/storage/sqlite-storage.js';
import { parseAnnouncementInput } from '../../knowledge/announcements/input.js';
import { plainLinks } from '../../knowledge/safety/plain-links.js';
import { startHttpBot } from '../helpers/http-bot.js';

// The low findings of the security review that became code changes.

describe('L6: markdown links in an announcement', () => {
  test('are written out as text with their address, images too', () => {
    expect(plainLinks('[Reset your smartcard PIN here](https://evil.example/phish)')).toBe(
      'Reset your smartcard PIN here (https://evil.example/phish)',
    );
    expect(plainLinks('![t](https://evil.example/pixel.png)')).toBe('t (https://evil.example/pixel.png)');
    expect(plainLinks('see [x]( <https://a.example> "title")')).toBe('see x (https://a.example)');
    expect(plainLinks('No links [here], or (here).')).toBe('No links [here], or (here).');
  });

  test('are stored written out, and a right-to-left override is removed', () => {
    const parsed = parseAnnouncementInput({
      kind: 'general',
      title: 'PIN \u202Eereh\u202C',
      message: '[Reset your smartcard PIN here](https://evil.example/phish)',
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.title).toBe('PIN ereh');
      expect(parsed.value.message).toBe('Reset your smartcard PIN here (https://evil.example/phish)');
    }
  });
});

describe('L7: odd years in announcement times', () => {
  test.each(['0099-06-01T10:00', '1999-06-01T10:00', '9999-12-31T23:59', '2100-01-01T00:00'])(
    '%s is refused',
    (sendAt) => {
      const parsed = parseAnnouncementInput({ kind: 'general', title: 'Training', sendAt });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.fields).toEqual([{ field: 'sendAt', message: 'must be a date between 2000 and 2099' }]);
    },
  );

  test('a normal date is still accepted', () => {
    expect(parseAnnouncementInput({ kind: 'general', title: 'Training', sendAt: '2026-12-01T10:00' }).ok).toBe(true);
  });
});

describe('L9: a compose-box query with malformed parameters', () => {
  const query = (parameters: unknown) => ({
    type: 'invoke',
    name: 'composeExtension/query',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:1',
    from: { id: '29:u' },
    recipient: { id: '28:bot' },
    conversation: { id: 'c1' },
    value: { commandId: 'searchGuidance', parameters },
  });

  test.each([[{}], [[null]], ['text'], [[1, 2]]])('is refused with a 400 message, not thrown: %j', (parameters) => {
    const checked = checkActivity(query(parameters));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toMatch(/value\.parameters/);
  });

  test('a well-formed one passes', () => {
    expect(checkActivity(query([{ name: 'searchQuery', value: 'smartcard' }])).ok).toBe(true);
  });
});

describe('L1: delivery claims and conversation state that are never touched again', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  test('are removed by housekeeping once untouched for the retention period, and nothing else is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ers-prune-'));
    dirs.push(dir);
    const storage = (await createStorage({ kind: 'sqlite', dataDir: dir })) as SqliteStorage;
    await storage.write({
      'announce/k3f9q2xd/19:team': { state: 'done' },
      'worklist/2026-11-09/19:team': { state: 'done' },
      'msteams/28:bot/conversations/a:1': { dialog: 'x' },
      'msteams/28:bot/users/29:1': { x: 1 },
      'announcements/all/k3f9q2xd': { id: 'k3f9q2xd', item: {} },
      'reminders/all/remabcde': { id: 'remabcde', item: {} },
      'usage/entries': { counts: {} },
    });
    // Retention of 1 day from a "now" two days ahead: everything written above is older than that.
    const now = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
    const outcome = await runHousekeeping(storage, now, 1);
    expect(outcome.stale).toBe(4);
    const left = await storage.read([
      'announce/k3f9q2xd/19:team',
      'msteams/28:bot/conversations/a:1',
      'announcements/all/k3f9q2xd',
      'reminders/all/remabcde',
      'usage/entries',
    ]);
    expect(Object.keys(left).sort()).toEqual(['announcements/all/k3f9q2xd', 'reminders/all/remabcde', 'usage/entries']);
    // Within the retention period nothing goes.
    await storage.write({ 'announce/new/19:team': { state: 'done' } });
    expect((await runHousekeeping(storage, new Date(), 90)).stale).toBe(0);
    storage.close();
  });
});

describe('L11: what every response tells a browser', () => {
  test('no Server header naming the software, and HSTS', async () => {
    const bot = await startHttpBot();
    try {
      for (const path of ['/healthz', '/guidance']) {
        const res = await fetch(`${bot.base}${path}`);
        expect(res.headers.get('server'), path).toBeNull();
        expect(res.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      }
    } finally {
      await bot.stop();
    }
  });
});
