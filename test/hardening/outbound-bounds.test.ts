import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createAdapter } from '../../bot/adapter.js';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { createServer } from '../../bot/server.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { fixedClock } from '../../knowledge/time/clock.js';
import { testDeps } from '../helpers/knowledge.js';
import { captureLogs, DEFAULT_NOW } from '../helpers/setup.js';

// Security review M1: a connector that never answers held /api/messages open for over 200 s, and a
// 429 with Retry-After: 30 held it 180 s. Teams gives up after about 15 s.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface FakeConnector {
  url: string;
  requests: () => number;
  openSockets: () => number;
}

async function connector(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeConnector> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createHttpServer((req, res) => {
    requests += 1;
    req.resume();
    handler(req, res);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => server.close(r));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    openSockets: () => sockets.size,
  };
}

async function bot(options: { outboundBudgetMs: number; turnBudgetMs?: number }) {
  const logs = captureLogs('debug');
  const config = loadConfig({ PORT: '0' });
  const deps = testDeps({ storage: new ListableMemoryStorage(), clock: fixedClock(DEFAULT_NOW), logger: logs.logger });
  const adapter = createAdapter(config, { outboundBudgetMs: options.outboundBudgetMs });
  const server = createServer(
    config,
    deps,
    { app: createApp(config, { ...deps, adapter }), adapter },
    options.turnBudgetMs ? { turnBudgetMs: options.turnBudgetMs } : {},
  );
  const base = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close());
  return { base, logs };
}

function message(serviceUrl: string, text: string) {
  return JSON.stringify({
    type: 'message',
    id: 'm1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user', aadObjectId: '00000000-0000-4000-8000-000000000001' },
    recipient: { id: '28:bot' },
    conversation: { id: `bounds-${Math.random()}`, conversationType: 'personal' },
    text,
  });
}

async function post(base: string, body: string): Promise<number> {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

async function settled(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe('a connector that accepts the connection and never answers', () => {
  test('the reply and the apology are cut off, the socket closed, and the request answered', async () => {
    const silent = await connector(() => undefined);
    const { base, logs } = await bot({ outboundBudgetMs: 300 });
    expect(await post(base, message(silent.url, 'help'))).toBe(200);
    expect(silent.requests()).toBeGreaterThanOrEqual(1);
    expect(await settled(() => silent.openSockets() === 0)).toBe(true);
    expect(logs.raw()).toContain('turn.error');
  }, 20_000);
});

describe('a connector that answers 429 with Retry-After: 30', () => {
  test('the client stops retrying at the budget rather than waiting out three Retry-After periods', async () => {
    const throttled = await connector((_req, res) => {
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      res.end('{"error":{"code":"Throttled"}}');
    });
    const { base } = await bot({ outboundBudgetMs: 300 });
    expect(await post(base, message(throttled.url, 'help'))).toBe(200);
    // One try each for the reply and the apology: the 30 s waits between retries were cut short.
    expect(throttled.requests()).toBeLessThanOrEqual(2);
  }, 20_000);
});

describe('a turn still running at its budget', () => {
  test('is answered 200 without it, and logged', async () => {
    const silent = await connector(() => undefined);
    const { base, logs } = await bot({ outboundBudgetMs: 60_000, turnBudgetMs: 300 });
    expect(await post(base, message(silent.url, 'help'))).toBe(200);
    expect(logs.raw()).toContain('http.messages.slow');
  }, 20_000);
});
