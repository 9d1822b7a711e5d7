import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import { createAdapter } from '../../bot/adapter.js';
import { createApp } from '../../bot/app.js';
import { type Config, loadConfig } from '../../bot/config.js';
import type { RateLimits } from '../../bot/http-guards.js';
import { createInsightsRecorder } from '../../bot/insights/recorder.js';
import { type BotServer, createServer } from '../../bot/server.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { type Clock, fixedClock } from '../../knowledge/time/clock.js';
import { type Botwire, botwire, type Connector } from './botwire.js';
import { testDeps } from './knowledge.js';
import { DEFAULT_NOW, silentLogger } from './setup.js';

export interface HttpBot {
  wire: Botwire;
  connector: Connector;
  base: string;
  url: string;
  config: Config;
  clock: Clock & { set(to: Date | string): void };
  server: BotServer;
  /** Sends a message in a conversation and resolves with what a person would read of the replies. */
  ask(
    text: string,
    options?: { conversationId?: string; conversationType?: string },
  ): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

/** The real restify server and adapter on 127.0.0.1 (a free port), with a local Bot Framework connector. */
export async function startHttpBot(
  options: {
    env?: Record<string, string>;
    storage?: Storage;
    now?: string;
    /** Defaults to a silent logger; pass `createLogger('debug', stream)` to read the log lines. */
    logger?: Logger;
    rateLimits?: RateLimits;
    /** Count usage for the insights page, as bot/index.ts does. */
    insights?: boolean;
  } = {},
): Promise<HttpBot> {
  const wire = botwire;
  const connector = await wire.startConnector();
  const config = loadConfig({ PORT: '0', ...options.env });
  const clock = fixedClock(options.now ?? DEFAULT_NOW);
  const storage = options.storage ?? new ListableMemoryStorage();
  const logger = options.logger ?? silentLogger();
  const deps = testDeps({
    storage,
    clock,
    logger,
    ...(options.insights ? { insights: createInsightsRecorder(storage, logger) } : {}),
  });
  const adapter = createAdapter(config);
  const server = createServer(
    config,
    deps,
    { app: createApp(config, { ...deps, adapter }), adapter },
    options.rateLimits ? { rateLimits: options.rateLimits } : {},
  );
  const base = await server.listen(0, '127.0.0.1');
  const url = `${base}/api/messages`;
  let n = 0;
  return {
    wire,
    connector,
    base,
    url,
    config,
    clock,
    server,
    async ask(text, opts = {}) {
      const conversationId = opts.conversationId ?? `test-${Date.now()}-${++n}`;
      const before = connector.received(conversationId).length;
      const res = await wire.post(
        url,
        wire.message(text, { conversationId, serviceUrl: connector.url, conversationType: opts.conversationType }),
      );
      const replies = (await wire.settle(connector, conversationId, 60)).slice(before);
      return { status: res.status, text: wire.readable(replies) };
    },
    async stop() {
      await server.close();
      await connector.close();
    },
  };
}
