import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { readUsage, recordUse, USAGE_KEY, UsageRecorder } from '../../bot/usage.js';
import { entryIdFromUrl, previewText, searchGuidance } from '../../dialogs/message-extension.js';
import { commonTopics, mostUsed } from '../../dialogs/most-used.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { testKnowledge } from '../helpers/knowledge.js';
import { setup, silentLogger } from '../helpers/setup.js';

const { kb } = testKnowledge();
const BROMLEY_RA_EMAIL = 'bhc.ithelpdesk@nhs.net';
const TEAMS_INVOKE_LIMIT_MS = 5000;

interface MeAttachment {
  contentType: string;
  content: { body: unknown[]; actions?: Array<{ type: string; title: string; url?: string }> };
  preview?: { contentType: string; content: { title: string; text?: string } };
}
interface MeResponse {
  composeExtension: { type: string; attachmentLayout?: string; attachments?: MeAttachment[]; text?: string };
}

function invokeActivity(bot: HttpBot, name: string, value: unknown) {
  return { ...bot.wire.message(undefined, { serviceUrl: bot.connector.url }), type: 'invoke', name, value };
}

async function query(bot: HttpBot, text: string | undefined, queryOptions = { skip: 0, count: 10 }) {
  const parameters = text === undefined ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: text }];
  const started = performance.now();
  const res = await bot.wire.post(
    bot.url,
    invokeActivity(bot, 'composeExtension/query', { commandId: 'searchGuidance', parameters, queryOptions }),
  );
  const ms = performance.now() - started;
  return { status: res.status, ms, body: JSON.parse(res.body) as MeResponse };
}

async function queryLink(bot: HttpBot, url: string) {
  const res = await bot.wire.post(bot.url, invokeActivity(bot, 'composeExtension/queryLink', { url }));
  return { status: res.status, body: JSON.parse(res.body) as MeResponse };
}

function cardText(attachment: MeAttachment | undefined): string {
  return JSON.stringify(attachment?.content ?? null);
}

function entryIdOf(attachment: MeAttachment | undefined): string | undefined {
  const open = attachment?.content.actions?.find((a) => a.title === 'Open in browser');
  return open?.url ? entryIdFromUrl(loadConfig({ PORT: '0' }), open.url) : undefined;
}

/** MemoryStorage whose writes to the usage counter fail, as a storage outage would. */
class UsageWriteFails extends MemoryStorage {
  override async write(changes: StoreItems): Promise<void> {
    if (USAGE_KEY in changes) throw new Error('storage unavailable');
    return super.write(changes);
  }
}

describe('a GP IT facilitator searches the guidance from the compose box', () => {
  let bot: HttpBot;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    bot = await startHttpBot({ storage });
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('typing "smartcard blocked bromley" lists guidance cards with Bromley\'s RA email and the source line, in time', async () => {
    const { status, ms, body } = await query(bot, 'smartcard blocked bromley');
    expect(status).toBe(200);
    expect(ms).toBeLessThan(TEAMS_INVOKE_LIMIT_MS);
    const result = body.composeExtension;
    expect(result.type).toBe('result');
    expect(result.attachmentLayout).toBe('list');
    const attachments = result.attachments ?? [];
    expect(attachments.length).toBeGreaterThan(0);
    expect(attachments.length).toBeLessThanOrEqual(10);
    for (const a of attachments) {
      expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(a.preview?.content.title.length).toBeGreaterThan(0);
      expect(a.preview?.content.text?.length).toBeGreaterThan(0);
    }
    const top = attachments[0];
    expect(entryIdOf(top)).toMatch(/^ts-5-/);
    const card = cardText(top);
    expect(card).toContain(`mailto:${BROMLEY_RA_EMAIL}`);
    expect(card).toContain('Source: eRS Information Pack v4.1, October 2025: e-RS Trouble Shooting Guide > Issue 5');
    // The borough narrowed the contacts: the other boroughs' service desk is not in Bromley's card.
    expect(card).not.toContain('ICTServiceDesk@selondonics.nhs.uk');
    expect(top?.content.actions).toContainEqual(
      expect.objectContaining({ type: 'Action.OpenUrl', title: 'Open in browser' }),
    );
    // Nothing in a shared card posts back into a chat that may not have the bot.
    expect(card).not.toContain('Action.Submit');
    expect(top?.preview?.content.title).toBe(kb.entries.find((e) => e.id.startsWith('ts-5-'))?.title);
  });

  test('the preview shows the title and the first line of the answer', async () => {
    const { body } = await query(bot, 'red PDS icon spine');
    const top = body.composeExtension.attachments?.[0];
    const entry = kb.byId.get(entryIdOf(top) ?? '');
    expect(entry?.id).toMatch(/^ts-3-/);
    expect(top?.preview?.content.title).toBe(entry?.title);
    expect(top?.preview?.content.text).toBe(entry ? previewText(entry) : 'no entry');
    expect(entry?.answer.startsWith((top?.preview?.content.text ?? 'x').replace(/…$/, ''))).toBe(true);
  });

  test('opening the extension with an empty box shows the common topics before anything has been used', async () => {
    for (const text of [undefined, '', '   ']) {
      const { status, body } = await query(bot, text);
      expect(status).toBe(200);
      expect(body.composeExtension.type).toBe('result');
      const ids = (body.composeExtension.attachments ?? []).map(entryIdOf);
      expect(ids).toEqual(commonTopics(kb, 10).map((e) => e.id));
      expect(ids.slice(0, 3)).toEqual([
        expect.stringMatching(/^ts-5-/),
        expect.stringMatching(/^ts-3-/),
        'downtime-overview',
      ]);
    }
  });

  test('after topics are used, the empty box lists the most used first', async () => {
    await recordUse(storage, 'appointment-types', new Date('2026-11-09T10:00:00Z'));
    await recordUse(storage, 'appointment-types', new Date('2026-11-09T10:01:00Z'));
    await recordUse(storage, 'worklists-overview', new Date('2026-11-09T10:02:00Z'));
    const { body } = await query(bot, '');
    const ids = (body.composeExtension.attachments ?? []).map(entryIdOf);
    expect(ids.slice(0, 2)).toEqual(['appointment-types', 'worklists-overview']);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  });

  test('scrolling past the first ten results gets no more', async () => {
    const { body } = await query(bot, 'referral', { skip: 10, count: 10 });
    expect(body.composeExtension).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
  });

  test('a clinical question gets a plain message, not guesses', async () => {
    const { status, body } = await query(bot, 'what dose of amoxicillin');
    expect(status).toBe(200);
    expect(body.composeExtension.type).toBe('message');
    expect(body.composeExtension.text).toContain('e-RS processes only');
  });

  test("pasting a guidance page link unfurls it into that entry's card", async () => {
    const entry = kb.entries.find((e) => e.id.startsWith('ts-5-'));
    const { status, body } = await queryLink(bot, `${bot.config.publicBaseUrl}/guidance/${entry?.id}`);
    expect(status).toBe(200);
    expect(body.composeExtension.type).toBe('result');
    const attachments = body.composeExtension.attachments ?? [];
    expect(attachments).toHaveLength(1);
    expect(entryIdOf(attachments[0])).toBe(entry?.id);
    const card = cardText(attachments[0]);
    expect(card).toContain(entry?.title);
    expect(card).toContain(`mailto:${BROMLEY_RA_EMAIL}`);
    expect(card).toContain('Source: eRS Information Pack v4.1, October 2025');
  });

  test('a link to an unknown entry, another page or another host unfurls to nothing, without an error', async () => {
    for (const url of [
      `${bot.config.publicBaseUrl}/guidance/no-such-entry`,
      `${bot.config.publicBaseUrl}/guidance`,
      `${bot.config.publicBaseUrl}/guidance/about`,
      'https://example.org/guidance/ts-5-smartcard-blocked',
      'not a url',
    ]) {
      const { status, body } = await queryLink(bot, url);
      expect(status).toBe(200);
      expect(body.composeExtension).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    }
  });
});

describe('usage counts behind the most used topics', () => {
  test('answering a topic in chat counts it once', async () => {
    const { adapter, storage, deps } = setup();
    await adapter.send('Appointment types on e-RS').assertReply((a) => {
      expect(JSON.stringify(a.attachments)).toContain('Appointment types on e-RS');
    });
    await deps.usage.flushed();
    expect((await readUsage(storage)).counts).toEqual({ 'appointment-types': 1 });
  });

  test('a storage failure while counting does not cost the user their answer', async () => {
    const { adapter } = setup({ storage: new UsageWriteFails() });
    let answered = '';
    await adapter.send('Appointment types on e-RS').assertReply((a) => {
      answered = JSON.stringify(a.attachments);
    });
    expect(answered).toContain('Appointment types on e-RS');
  });

  test('when the usage counts cannot be read, the empty box still shows the common topics', async () => {
    class UsageReadFails extends MemoryStorage {
      override async read(keys: string[]): Promise<StoreItems> {
        if (keys.includes(USAGE_KEY)) throw new Error('storage unavailable');
        return super.read(keys);
      }
    }
    const { search } = testKnowledge();
    const storage = new UsageReadFails();
    const deps = {
      config: loadConfig({ PORT: '0' }),
      usage: new UsageRecorder(storage, () => undefined),
      clock: fixedClock('2026-11-09T10:00:00Z'),
      logger: silentLogger(),
      kb,
      search,
    };
    // As it would go over the wire.
    const result = JSON.parse(JSON.stringify(await searchGuidance(deps, ''))) as MeResponse['composeExtension'];
    expect(result.attachments?.map(entryIdOf)).toEqual(commonTopics(kb, 10).map((e) => e.id));
  });

  test('concurrent answers on several instances lose no counts (eTag-guarded, retried)', async () => {
    const storage: Storage = new MemoryStorage();
    const now = new Date('2026-11-09T10:00:00Z');
    await Promise.all(Array.from({ length: 8 }, () => recordUse(storage, 'ts-5-smartcard-blocked', now)));
    await Promise.all(Array.from({ length: 3 }, () => recordUse(storage, 'downtime-overview', now)));
    expect((await readUsage(storage)).counts).toEqual({ 'ts-5-smartcard-blocked': 8, 'downtime-overview': 3 });
    expect((await readUsage(storage)).updatedAt).toBe(now.toISOString());
  });

  test('most used ranks by count, skips ids no longer in the pack and tops up with common topics', async () => {
    const storage = new MemoryStorage();
    await storage.write({
      [USAGE_KEY]: { counts: { 'gone-entry': 50, 'worklists-overview': 2, 'appointment-types': 5 } },
    });
    const top = mostUsed((await readUsage(storage)).counts, kb, 4).map((e) => e.id);
    expect(top.slice(0, 2)).toEqual(['appointment-types', 'worklists-overview']);
    expect(top).toHaveLength(4);
    expect(top[2]).toMatch(/^ts-5-/);
    expect(top).not.toContain('gone-entry');
  });

  test('an unreadable usage item is treated as no usage', async () => {
    const storage = new MemoryStorage();
    await storage.write({ [USAGE_KEY]: { counts: 'nonsense' } });
    expect(mostUsed((await readUsage(storage)).counts, kb, 3).map((e) => e.id)).toEqual(
      commonTopics(kb, 3).map((e) => e.id),
    );
    await recordUse(storage, 'appointment-types', new Date('2026-11-09T10:00:00Z'));
    expect((await readUsage(storage)).counts).toEqual({ 'appointment-types': 1 });
  });
});

describe('guidance links', () => {
  const config = { publicBaseUrl: 'https://ers-helper.example.nhs.uk' };
  test.each([
    ['https://ers-helper.example.nhs.uk/guidance/ts-5-smartcard-blocked', 'ts-5-smartcard-blocked'],
    ['http://ERS-HELPER.example.nhs.uk/guidance/downtime-overview/', 'downtime-overview'],
    ['https://ers-helper.example.nhs.uk/guidance/defer-to-provider?from=teams#steps', 'defer-to-provider'],
    ['https://ers-helper.example.nhs.uk/guidance', undefined],
    ['https://ers-helper.example.nhs.uk/guidance/a/b', undefined],
    ['https://ers-helper.example.nhs.uk.evil.example/guidance/ts-1', undefined],
    ['https://other.nhs.uk/guidance/ts-1', undefined],
    ['https://ers-helper.example.nhs.uk/guidance/%E0%A4%A', undefined],
  ])('%s is read as entry %s', (url, id) => {
    expect(entryIdFromUrl(config, url)).toBe(id);
  });
});
