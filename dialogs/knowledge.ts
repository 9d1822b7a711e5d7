import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import type { AppDeps } from '../bot/deps.js';
import type { AppTurnState } from '../bot/state.js';
import { messageText } from './message-text.js';

/** The catch-all: any message no other feature claimed is answered from the knowledge base. */
export function registerKnowledge(app: Application<AppTurnState>, deps: AppDeps): void {
  app.activity(ActivityTypes.Message, async (context) => {
    const text = messageText(context);
    deps.logger.info({ event: 'knowledge.query', chars: text.length }, 'knowledge query');
    await context.sendActivity('I could not find that in the eRS Information Pack. Type "help" to see what I can do.');
  });
}
