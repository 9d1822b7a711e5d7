/**
 * What the HTTP seam checks before an activity reaches the adapter, and how it answers when it
 * cannot: a clear 4xx with a JSON `{ error }` body, never a 500 for something the caller sent.
 */
import { randomUUID } from 'node:crypto';
import type { Activity, InvokeResponse } from 'botbuilder';
import type { Logger } from 'pino';
import type restify from 'restify';
import type { Clock } from '../knowledge/time/clock.js';
import { createRateLimiter, type RateLimiterOptions } from './safety/rate-limit.js';

/** Deeper than any activity Teams sends (an Adaptive Card in an attachment is about 12 levels). */
export const MAX_JSON_DEPTH = 64;

const ACTIVITY_TYPE = /^[A-Za-z][A-Za-z0-9/_.-]{0,63}$/;
const MAX_INVOKE_NAME = 256;

export type ActivityCheck = { ok: true; activity: Activity } | { ok: false; error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasStringId(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && value.id.length > 0;
}

/** Account and conversation fields botbuilder serialises on every reply; a wrong type fails the reply. */
const ACCOUNT_STRINGS = ['name', 'aadObjectId', 'role', 'conversationType', 'tenantId'];

function wrongTypedAccountField(account: Record<string, unknown>): string | undefined {
  return ACCOUNT_STRINGS.find(
    (key) => account[key] !== undefined && account[key] !== null && typeof account[key] !== 'string',
  );
}

function isMentionOk(entity: Record<string, unknown>): boolean {
  return (
    entity.type !== 'mention' ||
    (hasStringId(entity.mentioned) && (entity.text === undefined || typeof entity.text === 'string'))
  );
}

/** Depth of nested objects and arrays, walked without recursion so a hostile body cannot blow the stack. */
export function jsonDepth(root: unknown, limit: number = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined) break;
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const OPTIONAL_STRINGS = ['id', 'text', 'locale', 'timestamp', 'localTimestamp', 'replyToId', 'deliveryMode'];
const OPTIONAL_OBJECT_ARRAYS = ['attachments', 'membersAdded', 'membersRemoved', 'reactionsAdded', 'reactionsRemoved'];

/**
 * Accepts what the Bot Framework Connector sends and rejects, with a reason, what would make
 * botbuilder or teams-ai throw before our code runs: a missing conversation, sender, bot or
 * serviceUrl, fields of the wrong type, or JSON nested absurdly deep. Field *values* (card submits,
 * channel data contents) are left to the features, which answer them politely.
 */
export function checkActivity(body: unknown): ActivityCheck {
  if (!isObject(body) || typeof body.type !== 'string') {
    return { ok: false, error: 'The body must be a Bot Framework activity: a JSON object with a "type".' };
  }
  if (!ACTIVITY_TYPE.test(body.type)) return { ok: false, error: 'The activity "type" is not valid.' };
  if (jsonDepth(body) > MAX_JSON_DEPTH) return { ok: false, error: 'The activity is nested too deeply.' };
  if (
    typeof body.serviceUrl !== 'string' ||
    !/^https?:\/\/[^\s]+$/i.test(body.serviceUrl) ||
    !URL.canParse(body.serviceUrl)
  ) {
    return { ok: false, error: 'The activity needs an http(s) "serviceUrl".' };
  }
  if (typeof body.channelId !== 'string' || body.channelId.length === 0) {
    return { ok: false, error: 'The activity needs a "channelId".' };
  }
  for (const field of ['conversation', 'from', 'recipient'] as const) {
    const account = body[field];
    if (!isObject(account) || !hasStringId(account)) {
      return { ok: false, error: `The activity needs a "${field}" with an "id".` };
    }
    const wrong = wrongTypedAccountField(account);
    if (wrong) return { ok: false, error: `The activity field "${field}.${wrong}" must be a string.` };
  }
  if (body.value === null) return { ok: false, error: 'The activity field "value" must not be null.' };
  for (const field of OPTIONAL_STRINGS) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return { ok: false, error: `The activity field "${field}" must be a string.` };
    }
  }
  for (const field of OPTIONAL_OBJECT_ARRAYS) {
    const value = body[field];
    if (value !== undefined && !(Array.isArray(value) && value.every(isObject))) {
      return { ok: false, error: `The activity field "${field}" must be a list of objects.` };
    }
  }
  const entities = body.entities;
  if (
    entities !== undefined &&
    !(Array.isArray(entities) && entities.every((e) => isObject(e) && typeof e.type === 'string' && isMentionOk(e)))
  ) {
    return {
      ok: false,
      error: 'The activity field "entities" must be a list of objects with a "type" (a mention needs "mentioned.id").',
    };
  }
  // botbuilder strips the bot's mention from the text, and throws when there is no text to strip it from.
  if (
    Array.isArray(entities) &&
    entities.some((e) => isObject(e) && e.type === 'mention') &&
    typeof body.text !== 'string'
  ) {
    return { ok: false, error: 'An activity with a mention needs a "text".' };
  }
  if (body.channelData !== undefined && body.channelData !== null && !isObject(body.channelData)) {
    return { ok: false, error: 'The activity field "channelData" must be an object.' };
  }
  if (body.type === 'invoke' && (typeof body.name !== 'string' || body.name.length === 0)) {
    return { ok: false, error: 'An invoke activity needs a "name".' };
  }
  if (
    body.name !== undefined &&
    body.name !== null &&
    (typeof body.name !== 'string' || body.name.length > MAX_INVOKE_NAME)
  ) {
    return { ok: false, error: 'The activity field "name" must be a short string.' };
  }
  // teams-ai reads a compose-box query's parameters as a list of { name, value } and throws otherwise.
  if (typeof body.name === 'string' && body.name.startsWith('composeExtension/') && isObject(body.value)) {
    const parameters = body.value.parameters;
    if (parameters !== undefined && !(Array.isArray(parameters) && parameters.every(isObject))) {
      return { ok: false, error: 'The query field "value.parameters" must be a list of { name, value } objects.' };
    }
  }
  return { ok: true, activity: body as Partial<Activity> as Activity };
}

/** Teams invokes that are notifications: Teams wants a 200 and reads no body. */
const NO_ANSWER_INVOKES = new Set([
  'composeExtension/onCardButtonClicked',
  'fileConsent/invoke',
  'handoff/action',
  'actionableMessage/executeAction',
  'message/submitAction',
]);

export const UNKNOWN_CARD_ACTION = 'This button is not recognised. Type "help" to see what I can do.';

/**
 * The answer to an invoke no route handled, in place of botbuilder's bare 501: the shape Teams
 * expects where there is one, otherwise a 404 with a JSON reason.
 */
export function unhandledInvoke(name: string | undefined): InvokeResponse {
  if (name === 'adaptiveCard/action') {
    return {
      status: 200,
      body: {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: UNKNOWN_CARD_ACTION },
      },
    };
  }
  if (name === 'healthCheck') return { status: 200, body: { healthResults: { success: true } } };
  if (name !== undefined && NO_ANSWER_INVOKES.has(name)) return { status: 200 };
  return { status: 404, body: { error: 'This invoke is not handled by e-RS Helper.' } };
}

export interface RateLimits {
  /** GET /healthz: probes from the platform, generous. */
  health: RateLimiterOptions;
  /** /api/* other than /api/messages (announcements): writes, strict. */
  api: RateLimiterOptions;
  /** Everything else: guidance pages, their assets, unknown paths. */
  pages: RateLimiterOptions;
}

export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  health: { capacity: 600, refillPerSecond: 10, maxKeys: 10_000 },
  api: { capacity: 30, refillPerSecond: 0.5, maxKeys: 10_000 },
  pages: { capacity: 300, refillPerSecond: 3, maxKeys: 10_000 },
});

/**
 * Which limit a path falls under. /api/messages has none here: the Bot Framework Connector sends
 * every Teams user's messages from a few addresses, and production requests are authenticated.
 */
export function limitClass(path: string): keyof RateLimits | undefined {
  if (path === '/api/messages' || path === '/api/messages/') return undefined;
  if (path === '/healthz' || path === '/healthz/') return 'health';
  if (path === '/api' || path.startsWith('/api/')) return 'api';
  return 'pages';
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://local').pathname;
  } catch (_err: unknown) {
    return '/';
  }
}

export function correlationId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Messages for the errors restify raises itself, some of which echo the request (the path, the JSON
 * parser's complaint); errors a route raises keep their own message. Either way the body is `{ error }`.
 */
const RESTIFY_ERRORS: Record<string, string> = {
  InvalidContentError: 'The body is not valid JSON.',
  PayloadTooLargeError: 'The body is too large.',
  RequestEntityTooLargeError: 'The body is too large.',
  UnsupportedMediaTypeError: 'The body must be JSON, not compressed.',
  ResourceNotFoundError: 'Not found.',
  MethodNotAllowedError: 'Method not allowed.',
  BadRequestError: 'Bad request.',
};

export interface GuardOptions {
  maxBodyBytes: number;
  limits: RateLimits;
  /**
   * Behind a reverse proxy (Azure App Service's front end) every request comes from the proxy, so
   * the client is the last address the proxy appended to X-Forwarded-For. Off by default: without a
   * proxy the header is whatever the caller wants it to be.
   */
  trustProxy?: boolean;
}

/** The address rate limits are counted against. */
export function clientAddress(
  req: { socket: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> },
  trustProxy: boolean,
): string {
  const forwarded = req.headers['x-forwarded-for'];
  const value = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  if (trustProxy && value) {
    const last = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    // App Service appends "address:port"; the port changes per connection, so it is dropped.
    if (last) return last.replace(/^\[?([^\]]+?)\]?(?::\d+)?$/, '$1');
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Installs, ahead of routing: per-address rate limits (429 with Retry-After), an early 413 when the
 * declared length is over the limit, a 415 for compressed bodies (restify counts the limit on the
 * compressed bytes), and one JSON error shape for everything restify itself rejects.
 */
export function installHttpGuards(
  server: restify.Server,
  deps: { clock: Clock; logger: Logger },
  options: GuardOptions,
): void {
  const limiters = {
    health: createRateLimiter(options.limits.health),
    api: createRateLimiter(options.limits.api),
    pages: createRateLimiter(options.limits.pages),
  };

  server.pre((req, res, next) => {
    const kind = limitClass(pathOf(req.url));
    if (kind !== undefined) {
      const client = clientAddress(req, options.trustProxy === true);
      const decision = limiters[kind].take(client, deps.clock.now().getTime());
      if (!decision.allowed) {
        deps.logger.warn({ event: 'http.rate_limited', limit: kind }, 'too many requests from one address');
        res.setHeader('Retry-After', String(decision.retryAfterSeconds));
        res.json(429, { error: 'Too many requests. Try again later.' });
        return next(false);
      }
    }
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      res.json(415, { error: 'The body must be JSON, not compressed.' });
      return next(false);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
      // Answered before parsing; Node then discards the rest of the body. Closing the connection
      // instead would reset it under a client still sending, which may never see the 413.
      res.json(413, { error: 'The body is too large.' });
      return next(false);
    }
    return next();
  });

  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 500) {
      const id = correlationId();
      deps.logger.error(
        { event: 'http.error', correlationId: id, status, err: err.name, stack: stackFrames(err) },
        'request failed',
      );
      Object.assign(err, { toJSON: () => ({ error: 'Something went wrong.', correlationId: id }) });
    } else {
      const message = RESTIFY_ERRORS[err.name] ?? err.message;
      Object.assign(err, { toJSON: () => ({ error: message }) });
    }
    return callback();
  });
}

/** The stack without its first line: the message can carry what a user typed; the frames cannot. */
export function stackFrames(err: unknown): string | undefined {
  if (!(err instanceof Error) || typeof err.stack !== 'string') return undefined;
  return err.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .join('\n');
}

/**
 * Wraps an async route handler: a thrown error becomes a logged 500 whose body carries only a
 * correlation id (restify's own async-rejection path answers with the error message, which can hold
 * file paths, and logs nothing).
 */
export function guarded(
  logger: Logger,
  handler: (req: restify.Request, res: restify.Response) => Promise<void>,
): (req: restify.Request, res: restify.Response) => Promise<void> {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err: unknown) {
      const id = correlationId();
      logger.error(
        {
          event: 'http.error',
          correlationId: id,
          route: pathOf(req.url),
          err: err instanceof Error ? err.name : 'unknown',
          code: errorCode(err),
          stack: stackFrames(err),
        },
        'request failed',
      );
      if (!res.headersSent) res.json(500, { error: 'Something went wrong.', correlationId: id });
    }
  };
}

function errorCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

// jsonwebtoken's errors for a bad signature, algorithm, audience or expiry: the caller's fault.
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError', 'AuthenticationError']);
// Fetching the OpenID metadata or signing keys failed: our side (or Microsoft's), not the caller's.
const UPSTREAM_ERRORS = new Set(['FetchError', 'AbortError', 'TimeoutError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/**
 * The status for an error thrown while authenticating or running an incoming activity: 401 for a
 * token that does not verify (forged, expired, wrong audience), 503 when the keys to check it
 * could not be fetched, 400 otherwise.
 */
export function messagesErrorStatus(err: unknown): 400 | 401 | 503 {
  if (!(err instanceof Error)) return 400;
  if (TOKEN_ERRORS.has(err.name) || /^Unauthorized/i.test(err.message)) return 401;
  const code = errorCode(err);
  if (UPSTREAM_ERRORS.has(err.name) || (code !== undefined && NETWORK_CODES.has(code))) return 503;
  return 400;
}

/**
 * Lets through at most `limit` log lines per `windowMs` for one kind of event, and says how many
 * were held back, so anyone on the internet cannot fill the logs by sending forged tokens.
 */
export function createLogThrottle(limit: number, windowMs: number) {
  let windowStart = Number.NEGATIVE_INFINITY;
  let count = 0;
  let suppressed = 0;
  return (nowMs: number): { log: boolean; suppressed: number } => {
    if (nowMs - windowStart >= windowMs) {
      const held = suppressed;
      windowStart = nowMs;
      count = 1;
      suppressed = 0;
      return { log: true, suppressed: held };
    }
    if (count < limit) {
      count += 1;
      return { log: true, suppressed: 0 };
    }
    suppressed += 1;
    return { log: false, suppressed: 0 };
  };
}
