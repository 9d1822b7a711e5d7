import type { Application } from '@microsoft/teams-ai';
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { cleanInput } from '../knowledge/safety/input-limits.js';
import { adaptiveCard, choiceList, heading, text } from './cards/card.js';
import {
  ACKNOWLEDGED,
  CANCELLED,
  GREETING,
  HELP,
  MENU,
  NOTHING_TO_CANCEL,
  SHARED,
  THANKS,
  WELCOME,
} from './help-text.js';
import { messageText } from './message-text.js';
import { insightOf } from './router.js';
import type { AppTurnState } from './state.js';

const HELP_WORDS =
  /^(help|help me|help please|please help|can you help( me)?\??|i need (some )?help|menu|main menu|options|commands|what can you do\??|what do you do\??|how do(es)? (this|it|you) work\??|\?|start|get started)$/;
const CANCEL_WORDS = /^(cancel|stop|start again|start over|restart|reset|exit|quit|never mind|nevermind)$/;
const GREETING_WORDS =
  /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|morning|afternoon)( there)?( e-?rs helper)?[!. ]*$/;
const THANKS_WORDS =
  /^(thanks|thank you|thank u|thx|ta|cheers|great|perfect|brilliant|lovely)(,? ?(so much|very much|a lot|again|mate|all|that helped|that helps|that's (great|helpful|brilliant|perfect|sorted)|that was (helpful|useful|great)|sorted|all sorted|that's it|got it)[!.]*)*[!. ]*$/;

/** "ok", "yes", "got it" after an answer that asked nothing: an acknowledgement, not a question. */
const ACK_WORDS =
  /^(?:ok|okay|ok then|yes|yep|yeah|right|sure|got it|fine|cool|great stuff|will do|noted|understood)[!. ]*$/;

/** An acknowledgement when no question of the bot's is waiting (a dialog takes "yes" as its answer). */
function acknowledging() {
  const words = saying(ACK_WORDS);
  return async (context: TurnContext) => (await words(context)) && insightOf(context)?.continues === undefined;
}

/** A message whose words match: teams-ai applies function selectors to every activity type. */
function saying(words: RegExp) {
  return async (context: TurnContext) =>
    context.activity.type === ActivityTypes.Message && words.test(messageText(context).toLowerCase());
}

export function helpCard() {
  return adaptiveCard([
    heading(HELP.title),
    text(HELP.intro),
    choiceList(MENU.map((m) => ({ title: m.label, says: m.command, detail: m.hint }))),
    text(HELP.typed, { isSubtle: true, size: 'Small' }),
    text(HELP.privacy, { isSubtle: true, size: 'Small' }),
  ]);
}

export function welcomeCard(scope: 'personal' | 'channel') {
  return adaptiveCard([
    heading(WELCOME.title),
    text(scope === 'personal' ? WELCOME.personal : WELCOME.channel),
    choiceList(MENU.map((m) => ({ title: m.label, says: m.command, detail: m.hint }))),
    text(HELP.privacy, { isSubtle: true, size: 'Small' }),
  ]);
}

function isBotAdded(context: TurnContext): boolean {
  const botId = context.activity.recipient?.id;
  return (context.activity.membersAdded ?? []).some((m) => m.id === botId);
}

/** Welcome on install (personal, group chat, team), help, greetings, thanks and leaving a dialog. */
export function registerHelp(app: Application<AppTurnState>): void {
  app.conversationUpdate('membersAdded', async (context) => {
    if (!isBotAdded(context)) return;
    const scope = context.activity.conversation?.conversationType === 'personal' ? 'personal' : 'channel';
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [welcomeCard(scope)] });
  });

  // Help and cancel leave whatever was going on: the question asked and the topic answered last.
  app.message(saying(HELP_WORDS), async (context, state) => {
    delete state.conversation.dialog;
    delete state.conversation.topic;
    await context.sendActivity({ attachments: [helpCard()] });
  });

  app.message(saying(CANCEL_WORDS), async (context, state) => {
    const had = state.conversation.dialog !== undefined || state.conversation.topic !== undefined;
    delete state.conversation.dialog;
    delete state.conversation.choices;
    delete state.conversation.topic;
    await context.sendActivity(had ? CANCELLED : NOTHING_TO_CANCEL);
  });

  app.message(saying(GREETING_WORDS), async (context) => {
    await context.sendActivity({ text: GREETING, attachments: [helpCard()] });
  });

  app.message(saying(THANKS_WORDS), async (context) => {
    await context.sendActivity(THANKS);
  });

  app.message(acknowledging(), async (context) => {
    await context.sendActivity(ACKNOWLEDGED);
  });

  app.message(
    async (context) => isSharedContent(context.activity),
    async (context) => {
      await context.sendActivity(SHARED);
    },
  );
}

const CARD_TYPE = /^application\/vnd\.microsoft\.(?:card|teams\.card)\./;
const LINKS_ONLY = /^(?:https?:\/\/\S+\s*)+$/i;

/**
 * A card or link put into the chat, not a question: a card shared from the message extension (no
 * words of its own), or a pasted or unfurled link with nothing else. A submit (it has a value) and
 * a message with words besides a link are not.
 */
export function isSharedContent(activity: Partial<Activity>): boolean {
  if (activity.type !== ActivityTypes.Message || activity.value !== undefined) return false;
  const words = cleanInput(activity.text);
  if (words === '') return (activity.attachments ?? []).some((a) => CARD_TYPE.test(a.contentType ?? ''));
  return LINKS_ONLY.test(words);
}
