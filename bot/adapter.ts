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
 * Local mode passes no app id, so botbuilder skips JWT validation and outgoing auth: the bot can be
 * tried with no Azure account. With an app id, every request must carry a valid Bot Framework token.
 */
export function createAdapter(config: Config): BotAdapter {
  if (config.mode === 'local') return new BotAdapter({});
  const settings = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.password,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  return new BotAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings));
}
