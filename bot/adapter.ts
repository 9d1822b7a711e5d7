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
  client?: { pipeline?: { addPolicy(policy: PipelinePolicyLike): void } };
}
interface ConnectorFactoryLike {
  create(serviceUrl: string, audience?: string): Promise<ConnectorClientLike>;
}
interface AuthenticationLike {
  createConnectorFactory(identity: unknown): ConnectorFactoryLike;
  authenticateRequest(...args: unknown[]): Promise<{ connectorFactory?: ConnectorFactoryLike }>;
}

/**
 * A pipeline policy that bounds one connector call: the socket is cut after the budget (a connector
 * that never answers), and the client's own retries stop when it runs out (three tries of a 429 with
 * Retry-After: 30 would be 90 s). It sits before the retry policy, so the budget covers every try.
 */
export function outboundBudgetPolicy(budgetMs: number): PipelinePolicyLike {
  return {
    name: 'ersOutboundBudget',
    sendRequest(request, next) {
      request.timeout = request.timeout > 0 ? Math.min(request.timeout, budgetMs) : budgetMs;
      const budget = AbortSignal.timeout(budgetMs);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, budget]) : budget;
      return next(request);
    },
  };
}

/**
 * botbuilder builds a ConnectorClient per turn and overwrites `requestPolicyFactories` in the options
 * it is given, so the policy is added to each client's pipeline as the client is made.
 */
function boundConnectorCalls(adapter: BotAdapter, budgetMs: number): BotAdapter {
  const auth = (adapter as unknown as { botFrameworkAuthentication: AuthenticationLike }).botFrameworkAuthentication;
  const bound = (factory: ConnectorFactoryLike): ConnectorFactoryLike => ({
    async create(serviceUrl: string, audience?: string) {
      const client = await factory.create(serviceUrl, audience);
      client.client?.pipeline?.addPolicy(outboundBudgetPolicy(budgetMs));
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
  return adapter;
}

/**
 * Local mode passes no app id, so botbuilder skips JWT validation and outgoing auth: the bot can be
 * tried with no Azure account. With an app id, every request must carry a valid Bot Framework token.
 */
export function createAdapter(config: Config, options: AdapterOptions = {}): BotAdapter {
  const budgetMs = options.outboundBudgetMs ?? OUTBOUND_BUDGET_MS;
  if (config.mode === 'local') return boundConnectorCalls(new BotAdapter({}), budgetMs);
  const settings = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.password,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  return boundConnectorCalls(
    new BotAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings)),
    budgetMs,
  );
}
