import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Config } from './config.js';

/**
 * TeamsAdapter with the request handling opened up, so the HTTP seam can map auth failures to a
 * plain 401 and log through our logger instead of botbuilder's console.error of the whole error.
 */
export class BotAdapter extends TeamsAdapter {
  handleActivity(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/**
 * How long one call to the Bot Framework connector (a reply, a proactive message) may take in all,
 * its own retries and Retry-After waits included. Teams gives up on a turn after about 15 s, and a
 * turn may send a reply and then an apology, so each gets 5 s.
 */
export const OUTBOUND_BUDGET_MS = 5000;

export interface AdapterOptions {
  /** Overrides OUTBOUND_BUDGET_MS (tests use a short one). */
  outboundBudgetMs?: number;
  /** Overrides CLIENT_CACHE_SIZE (tests use a small one). */
  clientCacheSize?: number;
}

// The parts of @azure/core-rest-pipeline's request and pipeline used here.
interface PipelineRequestLike {
  timeout: number;
  abortSignal?: AbortSignal;
}
interface PipelinePolicyLike {
  name: string;
  sendRequest(request: PipelineRequestLike, next: (request: PipelineRequestLike) => Promise<unknown>): Promise<unknown>;
}
interface ConnectorClientLike {
  client?: { pipeline?: { addPolicy(policy: PipelinePolicyLike, options?: { afterPhase?: 'Retry' }): void } };
}
interface PipelineResponseLike {
  status?: number;
  headers?: { get?(name: string): string | undefined };
}

/**
 * A connector call cut off by the budget while Teams was throttling it (429 or 503, waiting out
 * Retry-After). Shaped like the connector's RestError, so it is classified as throttled, not as a
 * failure: the reply can be sent later (bot/announcements/pending-replies.ts).
 */
export class ThrottledError extends Error {
  readonly statusCode: number;
  readonly code = 'Throttled';
  readonly retryAfter: string | undefined;

  constructor(statusCode: number, retryAfter: string | undefined) {
    super(`The connector was still throttling (${statusCode}) when the outbound budget ran out`);
    this.name = 'ThrottledError';
    this.statusCode = statusCode;
    this.retryAfter = retryAfter;
  }
}

const THROTTLED = new Set([429, 503]);

function hasStatus(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { statusCode?: unknown }).statusCode === 'number';
}
interface ConnectorFactoryLike {
  create(serviceUrl: string, audience?: string): Promise<ConnectorClientLike>;
}
/** The fields of botframework-connector's ConnectorFactoryImpl that decide which credentials its clients use. */
interface ConnectorFactoryFields {
  appId?: unknown;
  toChannelFromBotOAuthScope?: unknown;
  loginEndpoint?: unknown;
  validateAuthority?: unknown;
  credentialFactory?: unknown;
}
interface ClaimsIdentityLike {
  getClaimValue?(claim: string): string | null;
}
interface AuthenticationLike {
  createConnectorFactory(identity: unknown): ConnectorFactoryLike;
  authenticateRequest(...args: unknown[]): Promise<{ connectorFactory?: ConnectorFactoryLike }>;
  createUserTokenClient(identity: unknown): Promise<unknown>;
}

/**
 * How many connector clients (one per service URL and credentials) and user token clients (one per
 * app id) an adapter keeps. Teams sends from a handful of regional service URLs, so this is never
 * reached in practice; the bound is there so a caller inventing service URLs cannot grow it.
 */
export const CLIENT_CACHE_SIZE = 32;

/** A map that forgets its least recently used entry past `max` entries. */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-inserted so that Map's insertion order is least recently used first.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * A pipeline policy that bounds one connector call: the socket is cut after the budget (a connector
 * that never answers), and the client's own retries stop when it runs out (three tries of a 429 with
 * Retry-After: 30 would be 90 s). It sits before the retry policy, so the budget covers every try.
 */
export function outboundBudgetPolicy(
  budgetMs: number,
  lastThrottle: WeakMap<object, ThrottleSeen> = new WeakMap(),
): PipelinePolicyLike {
  return {
    name: 'ersOutboundBudget',
    async sendRequest(request, next) {
      request.timeout = request.timeout > 0 ? Math.min(request.timeout, budgetMs) : budgetMs;
      const budget = AbortSignal.timeout(budgetMs);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, budget]) : budget;
      try {
        return await next(request);
      } catch (err: unknown) {
        // Cut off during a Retry-After wait: say it was throttled, not that the request was aborted.
        const seen = lastThrottle.get(request);
        if (seen && !hasStatus(err)) throw new ThrottledError(seen.status, seen.retryAfter);
        throw err;
      } finally {
        lastThrottle.delete(request);
      }
    },
  };
}

export interface ThrottleSeen {
  status: number;
  retryAfter: string | undefined;
}

/**
 * Runs on every try (after the retry policy): remembers whether the last answer was a 429 or 503, so
 * the budget policy can tell "cut off while throttled" from any other abort.
 */
export function throttleMemoPolicy(lastThrottle: WeakMap<object, ThrottleSeen>): PipelinePolicyLike {
  return {
    name: 'ersThrottleMemo',
    async sendRequest(request, next) {
      const response = (await next(request)) as PipelineResponseLike | undefined;
      const status = response?.status;
      if (typeof status === 'number' && THROTTLED.has(status)) {
        lastThrottle.set(request, { status, retryAfter: response?.headers?.get?.('retry-after') });
      } else lastThrottle.delete(request);
      return response;
    },
  };
}

/**
 * The credentials a factory's clients would use, as a cache key, or undefined for a factory whose
 * shape is not botframework-connector's ConnectorFactoryImpl (its clients are then not shared).
 */
function credentialsKey(factory: ConnectorFactoryLike, audience: string | undefined): string | undefined {
  const fields = factory as ConnectorFactoryLike & ConnectorFactoryFields;
  if (!('appId' in fields) || fields.credentialFactory === undefined) return undefined;
  return JSON.stringify([
    fields.appId ?? null,
    audience ?? fields.toChannelFromBotOAuthScope ?? null,
    fields.loginEndpoint ?? null,
    fields.validateAuthority ?? null,
  ]);
}

/**
 * botbuilder builds a ConnectorClient, with its whole HTTP pipeline and serialiser, for every turn
 * (the largest single cost of a turn in bench/README.md's profile), and a UserTokenClient with
 * another pipeline. Neither holds anything of the turn: the credentials cache their own tokens. So
 * the adapter keeps them, one connector client per service URL and credentials (app id, audience,
 * login endpoint, credential factory) and one token client per app id, in bounded caches.
 *
 * botbuilder overwrites `requestPolicyFactories` in the options it is given, so the budget policy is
 * added to each client's pipeline as the client is made (once per cached client).
 */
function reuseAndBoundClients(adapter: BotAdapter, budgetMs: number, cacheSize: number): BotAdapter {
  const auth = (adapter as unknown as { botFrameworkAuthentication: AuthenticationLike }).botFrameworkAuthentication;
  const connectors = new BoundedCache<{ credentialFactory: unknown; client: Promise<ConnectorClientLike> }>(cacheSize);
  const make = async (factory: ConnectorFactoryLike, serviceUrl: string, audience?: string) => {
    const client = await factory.create(serviceUrl, audience);
    const lastThrottle = new WeakMap<object, ThrottleSeen>();
    client.client?.pipeline?.addPolicy(outboundBudgetPolicy(budgetMs, lastThrottle));
    client.client?.pipeline?.addPolicy(throttleMemoPolicy(lastThrottle), { afterPhase: 'Retry' });
    return client;
  };
  const bound = (factory: ConnectorFactoryLike): ConnectorFactoryLike => ({
    create(serviceUrl: string, audience?: string) {
      const credentials = credentialsKey(factory, audience);
      if (credentials === undefined) return make(factory, serviceUrl, audience);
      const key = `${credentials}\n${serviceUrl}`;
      const { credentialFactory } = factory as ConnectorFactoryFields;
      const cached = connectors.get(key);
      if (cached && cached.credentialFactory === credentialFactory) return cached.client;
      // The promise is kept, so the turns that arrive together for a new service URL share one client.
      const client = make(factory, serviceUrl, audience);
      connectors.set(key, { credentialFactory, client });
      client.catch(() => {
        if (connectors.get(key)?.client === client) connectors.delete(key);
      });
      return client;
    },
  });
  // Proactive sends ask for a factory; incoming turns get one from authenticating the request.
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (identity: unknown) => bound(createFactory(identity));
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (...args: unknown[]) => {
    const result = await authenticate(...args);
    if (result.connectorFactory) result.connectorFactory = bound(result.connectorFactory);
    return result;
  };
  const tokenClients = new BoundedCache<Promise<unknown>>(cacheSize);
  const createTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = (identity: unknown) => {
    // botframework-connector takes the app id from the audience claim, else the appid claim.
    const claims = identity as ClaimsIdentityLike;
    const appId = claims.getClaimValue?.('aud') ?? claims.getClaimValue?.('appid') ?? '';
    const cached = tokenClients.get(appId);
    if (cached) return cached;
    const client = createTokenClient(identity);
    tokenClients.set(appId, client);
    client.catch(() => {
      if (tokenClients.get(appId) === client) tokenClients.delete(appId);
    });
    return client;
  };
  return adapter;
}

/**
 * Local mode passes no app id, so botbuilder skips JWT validation and outgoing auth: the bot can be
 * tried with no Azure account. With an app id, every request must carry a valid Bot Framework token.
 */
export function createAdapter(config: Config, options: AdapterOptions = {}): BotAdapter {
  const budgetMs = options.outboundBudgetMs ?? OUTBOUND_BUDGET_MS;
  const cacheSize = options.clientCacheSize ?? CLIENT_CACHE_SIZE;
  if (config.mode === 'local') return reuseAndBoundClients(new BotAdapter({}), budgetMs, cacheSize);
  const settings = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.password,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  return reuseAndBoundClients(
    new BotAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings)),
    budgetMs,
    cacheSize,
  );
}
