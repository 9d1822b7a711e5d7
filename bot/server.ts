import type { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import restify from 'restify';
import type { BotAdapter } from './adapter.js';
import type { BotApp } from './app.js';
import type { Config } from './config.js';
import type { AppDeps } from './deps.js';

export const MAX_BODY_BYTES = 256 * 1024;

export interface BotServer {
  server: restify.Server;
  /** Resolves with the bound address, e.g. http://127.0.0.1:3978 */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

function isActivityLike(body: unknown): body is { type: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { type?: unknown }).type === 'string'
  );
}

/**
 * HTTP hosting only: the bot's logic lives in the app. Kept apart so tests can drive the app in
 * process and the end-to-end tests can drive this server over real HTTP.
 */
export function createServer(config: Config, deps: AppDeps, bot: { app: BotApp; adapter: BotAdapter }): BotServer {
  const server = restify.createServer({ name: 'ers-helper', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  server.get('/healthz', async (_req, res) => {
    res.json(200, {
      status: 'ok',
      version: config.version,
      pack: { title: config.pack.title, version: config.pack.version, date: config.pack.date },
      mode: config.mode,
    });
  });

  server.post('/api/messages', async (req, res) => {
    if (!isActivityLike(req.body)) {
      res.json(400, { error: 'The body must be a Bot Framework activity: a JSON object with a "type".' });
      return;
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      // botbuilder's CloudAdapter.process does this too, but reports failures on console.error with
      // the whole error; here they go through the logger, and auth failures are a plain 401.
      const invoke = await bot.adapter.handleActivity(authorization, req.body as Activity, (context) =>
        bot.app.run(context).then(() => undefined),
      );
      if (invoke) res.json(invoke.status, invoke.body ?? {});
      else {
        res.status(200);
        res.end();
      }
    } catch (err: unknown) {
      if (err instanceof AuthenticationError) {
        deps.logger.warn({ event: 'http.messages.unauthorised' }, 'request without a valid Bot Framework token');
        res.json(401, { error: 'Unauthorized' });
        return;
      }
      deps.logger.error(
        { event: 'http.messages.error', err: err instanceof Error ? err.name : 'unknown' },
        'activity failed',
      );
      if (!res.headersSent) res.json(400, { error: 'The activity could not be processed.' });
    }
  });

  return {
    server,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(`http://${host}:${address.port}`);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
