import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { type BotAdapter, BoundedCache, createAdapter } from '../../bot/adapter.js';
import { loadConfig } from '../../bot/config.js';

// Issue 18: botbuilder built a connector client (HTTP pipeline, serialiser) and a user token client
// for every turn. The adapter now keeps them per service URL and credentials. These turns send
// nothing, so no connector is needed: each only records the clients its context was given.

interface PolicyList {
  getOrderedPolicies(): Array<{ name: string }>;
}
interface ClientWithPipeline {
  client?: { pipeline?: PolicyList };
}

function adapter(clientCacheSize?: number): BotAdapter {
  return createAdapter(loadConfig({ PORT: '0' }), clientCacheSize ? { clientCacheSize } : {});
}

function message(serviceUrl: string, conversationId = 'c1'): Activity {
  return {
    type: 'message',
    id: 'm1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user', name: 'u' },
    recipient: { id: '28:bot', name: 'bot' },
    conversation: { id: conversationId, conversationType: 'personal', isGroup: false, name: '' },
    text: 'help',
  } as Activity;
}

/** The connector client and user token client an incoming turn's context was given. */
async function incomingClients(bot: BotAdapter, serviceUrl: string, conversationId?: string) {
  let seen: { connector: unknown; tokens: unknown } | undefined;
  await bot.handleActivity('', message(serviceUrl, conversationId), async (context: TurnContext) => {
    seen = {
      connector: context.turnState.get(bot.ConnectorClientKey),
      tokens: context.turnState.get(bot.UserTokenClientKey),
    };
  });
  if (!seen?.connector) throw new Error('the turn had no connector client');
  return seen;
}

/** The connector client a proactive turn for `botAppId` (its credentials) was given. */
async function proactiveClient(bot: BotAdapter, botAppId: string, serviceUrl: string): Promise<unknown> {
  const reference: Partial<ConversationReference> = {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: 'c1', conversationType: 'personal', isGroup: false, name: '' },
    bot: { id: '28:bot', name: 'bot' },
    user: { id: '29:user', name: 'u' },
  };
  let client: unknown;
  await bot.continueConversationAsync(botAppId, reference, async (context: TurnContext) => {
    client = context.turnState.get(bot.ConnectorClientKey);
  });
  if (!client) throw new Error('the turn had no connector client');
  return client;
}

function budgetPolicies(client: unknown): number {
  const pipeline = (client as ClientWithPipeline).client?.pipeline;
  if (!pipeline) throw new Error('the client has no pipeline');
  return pipeline.getOrderedPolicies().filter((p) => p.name === 'ersOutboundBudget').length;
}

describe('connector clients are reused across turns', () => {
  test('turns from the same service URL share one connector client and one token client', async () => {
    const bot = adapter();
    const first = await incomingClients(bot, 'https://smba.example/emea/', 'c1');
    const second = await incomingClients(bot, 'https://smba.example/emea/', 'c2');
    expect(second.connector).toBe(first.connector);
    expect(second.tokens).toBe(first.tokens);
  });

  test('the outbound budget policy is on a reused client once, not once per turn', async () => {
    const bot = adapter();
    let client: unknown;
    for (let i = 0; i < 3; i++) client = (await incomingClients(bot, 'https://smba.example/emea/')).connector;
    expect(budgetPolicies(client)).toBe(1);
  });

  test('a different service URL gets its own client', async () => {
    const bot = adapter();
    const emea = await incomingClients(bot, 'https://smba.example/emea/');
    const amer = await incomingClients(bot, 'https://smba.example/amer/');
    expect(amer.connector).not.toBe(emea.connector);
    expect(budgetPolicies(amer.connector)).toBe(1);
  });

  test('the same service URL with different credentials (app ids) does not share a client', async () => {
    const bot = adapter();
    const url = 'https://smba.example/emea/';
    const a1 = await proactiveClient(bot, 'app-a', url);
    const b = await proactiveClient(bot, 'app-b', url);
    const a2 = await proactiveClient(bot, 'app-a', url);
    expect(b).not.toBe(a1);
    expect(a2).toBe(a1);
  });

  test('the cache is bounded: past its size the least recently used client is made afresh', async () => {
    const bot = adapter(2);
    const one = (await incomingClients(bot, 'https://one.example/')).connector;
    await incomingClients(bot, 'https://two.example/');
    await incomingClients(bot, 'https://three.example/');
    expect((await incomingClients(bot, 'https://one.example/')).connector).not.toBe(one);
  });

  test('two adapters do not share clients', async () => {
    const a = await incomingClients(adapter(), 'https://smba.example/emea/');
    const b = await incomingClients(adapter(), 'https://smba.example/emea/');
    expect(b.connector).not.toBe(a.connector);
  });
});

describe('BoundedCache', () => {
  test('keeps at most its size, forgetting the least recently used', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });
});
