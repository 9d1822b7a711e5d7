import { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { registerAnnouncements } from '../dialogs/announcements.js';
import { readChoiceSubmit } from '../dialogs/cards/card-choice.js';
import { registerContacts } from '../dialogs/contacts.js';
import { registerDeadlines } from '../dialogs/deadlines.js';
import { registerDowntime } from '../dialogs/downtime.js';
import type { FeatureDeps } from '../dialogs/feature-deps.js';
import { registerHelp } from '../dialogs/help.js';
import { registerKnowledge } from '../dialogs/knowledge.js';
import { registerLiveDowntime } from '../dialogs/live-downtime.js';
import { registerMessageExtension } from '../dialogs/message-extension.js';
import { registerPiiWarning, registerSafety } from '../dialogs/safety.js';
import { registerSearchTips } from '../dialogs/search-tips.js';
import { AppTurnState } from '../dialogs/state.js';
import { registerTroubleshooting } from '../dialogs/troubleshooting.js';
import { computeInsight } from '../dialogs/turn/route.js';
import type { BotAdapter } from './adapter.js';
import { createAdapter } from './adapter.js';
import { registerConversationRefs } from './announcements/conversation-refs.js';
import { announcementStore } from './announcements/feature-store.js';
import { holdThrottledReplies } from './announcements/pending-replies.js';
import type { Config } from './config.js';
import type { AppDeps } from './deps.js';
import { downtimeLookup } from './downtime/lookup.js';
import { storageClaims } from './storage/claims.js';
import { storedRecords } from './storage/records.js';
import { registerTurnErrors } from './turn-errors.js';

export type BotApp = Application<AppTurnState>;

/**
 * teams-ai 1.7.4's `run` starts its typing timer on every message even when `startTypingTimer` is
 * false, and keeps the timer in one field shared by every turn in flight, so at any concurrency one
 * turn's reply stops another's timer and a slow turn can send "typing" after a reply. The option is
 * honoured here: no timer, no extra send handler and no `setTimeout` per message.
 */
class ErsApplication extends Application<AppTurnState> {
  override startTypingTimer(context: TurnContext): void {
    if (this.options.startTypingTimer !== false) super.startTypingTimer(context);
  }
}

/**
 * Builds a fresh bot: its routes, storage, clock and logger are all passed in, so tests make one
 * per test with MemoryStorage and a fixed clock, and nothing here binds a port.
 *
 * Routes are matched in registration order, first match wins. Every message is read once before
 * routing (`computeInsight`): which dialog it continues or which feature it starts. Commands come
 * first, then the features, and the knowledge search is the catch-all, so it goes last.
 */
/** What the features get from the host: the pack, the clock and logger, and ports onto storage. */
export function featureDeps(config: Config, deps: AppDeps): FeatureDeps {
  const { kb, search } = deps.knowledge;
  return {
    config,
    clock: deps.clock,
    logger: deps.logger,
    kb,
    search,
    currentDowntime: downtimeLookup(deps.storage),
    insights: deps.insights,
    usage: deps.usage,
    records: storedRecords(deps.storage, config.retentionDays),
    claims: storageClaims(deps.storage),
    delivery: deps.delivery,
    announcements: announcementStore(deps.storage, deps.delivery),
  };
}

export function createApp(config: Config, deps: AppDeps & { adapter?: BotAdapter }): BotApp {
  const adapter = deps.adapter ?? createAdapter(config);
  const app = new ErsApplication({
    adapter,
    storage: deps.storage,
    botAppId: config.bot.appId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new AppTurnState(),
  });
  // A failed turn: logged with a correlation id, apology to the user (bot/turn-errors.ts).
  registerTurnErrors(app, deps);
  const features = featureDeps(config, deps);

  // First, so every reply of the turn (the warning included) is kept when Teams throttles it (review L2).
  app.turn('beforeTurn', async (context) => {
    holdThrottledReplies(context, deps);
    return true;
  });
  registerSafety(app, features);
  app.turn('beforeTurn', async (context: TurnContext, state) => {
    // A button that stands for a typed reply is read as that reply, before anything else reads the text.
    readChoiceSubmit(context.activity);
    if (context.activity.type === ActivityTypes.Message && typeof context.activity.text === 'string') {
      const insight = computeInsight(context, state, features);
      // Counts only (feature, places named), for the content owners' insights page.
      deps.insights?.countQuestion(insight, deps.clock.now());
    }
    return true;
  });
  registerPiiWarning(app);

  registerHelp(app);
  registerTroubleshooting(app, features);
  registerLiveDowntime(app, features);
  registerDowntime(app, features);
  registerDeadlines(app, features);
  registerContacts(app, features);
  registerSearchTips(app, features);
  registerMessageExtension(app, features);
  // Install and uninstall keep the delivery targets; before the announcement routes, as always.
  registerConversationRefs(app, deps);
  registerAnnouncements(app, features);
  registerKnowledge(app, features);
  return app;
}
