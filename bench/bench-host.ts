import type { Activity, TurnContext } from 'botbuilder';
import restify from 'restify';
import { type BotAdapter, createAdapter } from '../bot/adapter.js';
import { loadConfig } from '../bot/config.js';
import { MAX_BODY_BYTES } from '../bot/server.js';

/**
 * Hosts a comparison bot the way bot/server.ts hosts ours: restify with the same body parser
 * limits, the same TeamsAdapter subclass, POST /api/messages and GET /healthz. Only the turn logic
 * differs, so the difference in the figures is the bot, not the hosting.
 */
export async function hostBot(
  makeLogic: (adapter: BotAdapter) => (context: TurnContext) => Promise<void>,
): Promise<void> {
  const config = loadConfig(process.env);
  const adapter = createAdapter(config);
  const logic = makeLogic(adapter);
  const server = restify.createServer({ name: 'bench-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));
  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });
  server.post('/api/messages', async (req, res) => {
    try {
      const invoke = await adapter.handleActivity('', req.body as Activity, logic);
      if (invoke) res.json(invoke.status, invoke.body ?? {});
      else {
        res.status(200);
        res.end();
      }
    } catch (err: unknown) {
      if (!res.headersSent) res.json(500, { error: err instanceof Error ? err.name : 'unknown' });
    }
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, () => resolve()));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}
