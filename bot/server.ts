import type { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import restify from 'restify';
import { createLiveRenderer } from '../dialogs/downtime-cards.js';
import { downtimeBanner } from '../dialogs/downtime-live.js';
import type { BotAdapter } from './adapter.js';
import { registerAnnouncementRoutes } from './announcements/api.js';
import type { BotApp } from './app.js';
import type { Config } from './config.js';
import type { AppDeps } from './deps.js';
import { downtimeLookup } from './downtime/lookup.js';
import { registerGuidanceRoutes } from './guidance/routes.js';
import {
  checkActivity,
  correlationId,
  createLogThrottle,
  DEFAULT_RATE_LIMITS,
  installHttpGuards,
  messagesErrorStatus,
  type RateLimits,
  stackFrames,
  unhandledInvoke,
} from './http-guards.js';
import { registerInsightsRoutes } from './insights/routes.js';

export const MAX_BODY_BYTES = 256 * 1024;

/** How long /healthz waits for the storage check before calling it a failure. */
const HEALTH_CHECK_MS = 3000;

/**
 * Why the storage is unusable (a deleted database, a read-only remount, a full disk, an unreachable
 * blob container), or undefined when it works. Storages without a check (memory) always work.
 */
async function storageProblem(storage: unknown): Promise<string | undefined> {
  const check = (storage as { checkHealth?: () => Promise<void> }).checkHealth;
  if (typeof check !== 'function') return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.call(storage),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the storage did not answer in time')), HEALTH_CHECK_MS);
      }),
    ]);
    return undefined;
  } catch (err: unknown) {
    return err instanceof Error ? err.message : 'unknown';
  } finally {
    clearTimeout(timer);
  }
}

export interface BotServer {
  server: restify.Server;
  /** Resolves with the bound address, e.g. http://127.0.0.1:3978 */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * How long /api/messages may take before it answers without the turn. Teams gives up after about
 * 15 s; a reply that never leaves (a connector that does not answer) must not hold the request open.
 */
export const TURN_BUDGET_MS = 12_000;

async function withinBudget<T>(work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolveLate) => {
    timer = setTimeout(() => resolveLate({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ServerOptions {
  /** Overrides TURN_BUDGET_MS (tests use a short one). */
  turnBudgetMs?: number;
  /** Per-address limits for the endpoints other than /api/messages (bot/http-guards.ts). */
  rateLimits?: RateLimits;
}

/**
 * HTTP hosting only: the bot's logic lives in the app. Kept apart so tests can drive the app in
 * process and the end-to-end tests can drive this server over real HTTP.
 */
export function createServer(
  config: Config,
  deps: AppDeps,
  bot: { app: BotApp; adapter: BotAdapter },
  options: ServerOptions = {},
): BotServer {
  // No name: restify then sends no `Server` header (security review L11: it names the software).
  const server = restify.createServer({ name: '', handleUncaughtExceptions: false });
  // Browsers that reach the bot over HTTPS keep to HTTPS (App Service terminates TLS in front of it).
  server.pre((_req, res, next) => {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    return next();
  });
  const turnBudgetMs = options.turnBudgetMs ?? TURN_BUDGET_MS;
  // Failures on /api/messages can be caused by anyone (forged tokens): 20 lines a minute at most.
  const logThrottle = createLogThrottle(20, 60_000);
  // Rate limits, size and encoding checks run before routing and body parsing; restify's own errors become { error }.
  installHttpGuards(server, deps, {
    maxBodyBytes: MAX_BODY_BYTES,
    limits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
    trustProxy: config.trustProxy,
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  const health = async (_req: restify.Request, res: restify.Response) => {
    const about = {
      version: config.version,
      pack: { title: config.pack.title, version: config.pack.version, date: config.pack.date },
      mode: config.mode,
    };
    const problem = await storageProblem(deps.storage);
    if (problem !== undefined) {
      deps.logger.error({ event: 'health.storage', reason: problem }, 'storage check failed');
      res.json(503, { status: 'error', storage: problem, ...about });
      return;
    }
    res.json(200, { status: 'ok', ...about });
  };
  server.get('/healthz', health);
  // Load balancers and uptime checks often probe with HEAD.
  server.head('/healthz', health);

  server.post('/api/messages', async (req, res) => {
    if (req.contentType() !== 'application/json') {
      res.json(415, { error: 'The body must be JSON (Content-Type: application/json).' });
      return;
    }
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      // Debug: rejections happen before authentication, so anyone could fill the logs with them.
      deps.logger.debug({ event: 'http.messages.rejected', reason: checked.error }, 'activity rejected');
      res.json(400, { error: checked.error });
      return;
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      // botbuilder's CloudAdapter.process does this too, but reports failures on console.error with
      // the whole error; here they go through the logger, and auth failures are a plain 401.
      const activity: Activity = checked.activity;
      // Trace only, for local debugging: the logger redacts text, values and attachments (bot/safety/log-redaction.ts).
      deps.logger.trace({ event: 'http.activity.received', activity }, 'activity received');
      const turn = bot.adapter.handleActivity(authorization, activity, (context) =>
        bot.app.run(context).then(() => undefined),
      );
      const finished = await withinBudget(turn, turnBudgetMs);
      if (!finished.done) {
        // The turn goes on (its connector calls are bounded too), but Teams stops waiting at ~15 s.
        const id = correlationId();
        deps.logger.warn(
          { event: 'http.messages.slow', correlationId: id, type: activity.type, budgetMs: turnBudgetMs },
          'turn still running at its budget; answered without it',
        );
        turn.catch((err: unknown) =>
          deps.logger.warn(
            {
              event: 'http.messages.late-failure',
              correlationId: id,
              err: err instanceof Error ? err.name : 'unknown',
            },
            'a turn past its budget failed',
          ),
        );
        if (activity.type === 'invoke') res.json(503, { error: 'The bot took too long to answer.', correlationId: id });
        else {
          res.status(200);
          res.end();
        }
        return;
      }
      let invoke = finished.value;
      // botbuilder answers 501 when no route set an invoke response.
      if (invoke?.status === 501 && activity.type === 'invoke') invoke = unhandledInvoke(activity.name);
      deps.logger.debug(
        { event: 'http.activity', type: activity.type, status: invoke?.status ?? 200, channelId: activity.channelId },
        'activity handled',
      );
      if (invoke) res.json(invoke.status, invoke.body ?? {});
      else {
        res.status(200);
        res.end();
      }
    } catch (err: unknown) {
      const status = err instanceof AuthenticationError ? 401 : messagesErrorStatus(err);
      const id = correlationId();
      const allowed = logThrottle(deps.clock.now().getTime());
      if (allowed.log) {
        const fields = {
          event: status === 401 ? 'http.messages.unauthorised' : 'http.messages.error',
          correlationId: id,
          status,
          err: err instanceof Error ? err.name : 'unknown',
          ...(allowed.suppressed > 0 ? { suppressedSinceLastLine: allowed.suppressed } : {}),
        };
        // A bad token is the caller's problem: a warning, with no stack. Anything else is ours.
        if (status === 401) deps.logger.warn(fields, 'request without a valid Bot Framework token');
        else deps.logger.error({ ...fields, stack: stackFrames(err) }, 'activity failed');
      }
      if (res.headersSent) return;
      if (status === 401) res.json(401, { error: 'Unauthorized' });
      else if (status === 503) res.json(503, { error: 'The bot cannot check tokens right now.', correlationId: id });
      else res.json(400, { error: 'The activity could not be processed.', correlationId: id });
    }
  });

  // Other HTTP features register here, one line each (guidance pages, announcements API).
  const current = downtimeLookup(deps.storage);
  registerGuidanceRoutes(server, {
    config,
    ...deps.knowledge,
    banner: async () => downtimeBanner(await current(deps.clock.now())),
  });
  registerAnnouncementRoutes(server, {
    config,
    ...deps,
    kb: deps.knowledge.kb,
    adapter: bot.adapter,
    render: createLiveRenderer(deps.knowledge.kb),
  });
  registerInsightsRoutes(server, { config, ...deps, kb: deps.knowledge.kb });

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
