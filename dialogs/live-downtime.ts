import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { CurrentDowntime } from '../knowledge/announcements/current-downtime.js';
import { endDialog } from './dialog-state.js';
import { downtimeCard } from './downtime.js';
import { liveAnnouncementCard, REFRESH_VERB } from './downtime-cards.js';
import { announcedAdvice, statesOwnTime } from './downtime-live.js';
import { LIVE_TEXT } from './downtime-live-text.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf } from './router.js';
import type { AppTurnState } from './state.js';

/**
 * Questions that only make sense while a downtime is on ("what stage are we at?", "where do 2WWs
 * go?"). They carry no downtime word, so the message routing does not send them to the downtime
 * advisor; while the ICB has announced a downtime (or restored e-RS in the last week) they are
 * answered from it. With none, they go on to the other features as before.
 */
const LIVE_QUESTIONS: readonly RegExp[] = [
  /\b(?:what|which) stage\b/,
  /\bwhere (?:do|does|should|can|must) (?:i |we )?(?:send |email )?(?:the |our |a )?(?:2 ?wws?|two week waits?|2 ?week waits?|urgent suspected cancers?|usc|cancer|urgent|routine)\b/,
  /\bwho (?:do|should|can|must) (?:i|we) (?:email|send)\b.*\b(?:2 ?wws?|two week waits?|2 ?week waits?|cancer|urgent|routine)\b/,
];

const CURRENT_KEY = 'liveDowntime.current';

/**
 * The refresh of announcement cards (Adaptive Card Universal Actions) and the live downtime
 * questions. Register before the downtime advisor and the contacts dialog.
 */
export function registerLiveDowntime(app: Application<AppTurnState>, deps: FeatureDeps): void {
  const lookup = deps.currentDowntime;
  if (!lookup) return;

  app.message(
    async (context) => {
      const insight = insightOf(context);
      if (!insight || insight.continues !== undefined) return false;
      if (!LIVE_QUESTIONS.some((q) => q.test(insight.lower))) return false;
      const now = deps.clock.now();
      if (statesOwnTime(insight.lower, now)) return false;
      const current = await lookup(now);
      context.turnState.set(CURRENT_KEY, current);
      return current.kind !== 'none';
    },
    async (context, state) => {
      const insight = insightOf(context);
      const current = context.turnState.get(CURRENT_KEY) as CurrentDowntime | undefined;
      if (!insight || !current) return;
      const advice = announcedAdvice(
        deps.kb,
        {
          text: insight.lower,
          now: deps.clock.now(),
          sites: insight.search.entities.sites,
          priority: insight.search.entities.priority,
        },
        current,
      );
      if (!advice) return;
      endDialog(state.conversation);
      await context.sendActivity({ attachments: [downtimeCard(advice)] });
    },
  );

  // Teams asks for the card as it is now: on opening the conversation (refresh) or on Refresh.
  app.adaptiveCards.actionExecute<{ announcementId?: unknown }>(
    REFRESH_VERB,
    async (context: TurnContext, _state, data) => {
      const id = typeof data.announcementId === 'string' ? data.announcementId : '';
      const announcement = id ? await deps.announcements.get(id) : undefined;
      if (!announcement) return LIVE_TEXT.gone;
      const now = deps.clock.now();
      const card = liveAnnouncementCard(deps.kb, announcement, now, await lookup(now));
      // Answered here, so that teams-ai does not turn a card with `refresh` into an update of the
      // message for everyone (one connector call per person opening the channel): each viewer gets it.
      const response = {
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
      };
      await context.sendActivity(response);
      // CloudAdapter records the response itself; other adapters (the test adapter) do not, and then
      // teams-ai would answer a second time.
      context.turnState.set(INVOKE_RESPONSE_KEY, response);
      return card;
    },
  );
}
