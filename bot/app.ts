import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { registerHelp } from '../dialogs/help.js';
import { registerKnowledge } from '../dialogs/knowledge.js';
import { createAdapter } from './adapter.js';
import type { Config } from './config.js';
import type { AppDeps } from './deps.js';
import { AppTurnState } from './state.js';

export type BotApp = Application<AppTurnState>;

/**
 * Builds a fresh bot: its routes, storage, clock and logger are all passed in, so tests make one
 * per test with MemoryStorage and a fixed clock, and nothing here binds a port.
 * Routes are matched in registration order; the knowledge search is the catch-all, so it goes last.
 */
export function createApp(config: Config, deps: AppDeps & { adapter?: TeamsAdapter }): BotApp {
  const adapter = deps.adapter ?? createAdapter(config);
  const app = new Application<AppTurnState>({
    adapter,
    storage: deps.storage,
    botAppId: config.bot.appId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new AppTurnState(),
  });

  registerHelp(app);
  registerKnowledge(app, deps);
  return app;
}
