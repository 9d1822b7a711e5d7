import type { TurnContext } from 'botbuilder';
import { contactAccepts } from '../dialogs/contacts.js';
import { deadlineAccepts, isDeadlineQuestion } from '../dialogs/deadlines.js';
import { activeDialog, deadlineKnownOf } from '../dialogs/dialog-state.js';
import { downtimeAccepts } from '../dialogs/downtime.js';
import type { FeatureDeps } from '../dialogs/feature-deps.js';
import { cleanText } from '../dialogs/message-text.js';
import { setInsight, type TurnInsight } from '../dialogs/router.js';
import { troubleshootAccepts } from '../dialogs/troubleshooting.js';
import { understand } from '../dialogs/understand.js';
import type { Entities } from '../knowledge/entities.js';
import { cleanInput } from './safety/input-limits.js';
import { detectPii, maskPii } from './safety/pii.js';
import type { AppTurnState, DialogState } from './state.js';
import { answerDeadline } from './time/deadlines.js';
import { parseDateText } from './time/parse-date.js';

/** A reply to a question the bot asked is short; a long message is a new question even mid-dialog. */
const MAX_ANSWER_WORDS = 8;

function carriesDate(lower: string, now: Date): boolean {
  const parsed = parseDateText(lower, now);
  return parsed.dates.length > 0 || parsed.durations.length > 0;
}

function accepts(dialog: DialogState, lower: string, entities: Entities, now: Date): boolean {
  switch (dialog.name) {
    case 'troubleshoot':
      return troubleshootAccepts(dialog.step, lower, entities);
    case 'contact':
      return contactAccepts(dialog.step, lower, entities);
    case 'downtime':
      return downtimeAccepts(dialog.step, lower, now);
    case 'deadline':
      return deadlineAccepts(lower, now, deadlineKnownOf(dialog));
    default:
      return false;
  }
}

/**
 * Reads the message once, before routing: cleans it, masks patient identifiers (the masked text
 * replaces the original, so no later step can log or store them), searches the pack, and decides
 * whether it answers the dialog in progress or starts something new.
 */
export function computeInsight(context: TurnContext, state: AppTurnState, deps: FeatureDeps): TurnInsight {
  const cleaned = cleanInput(cleanText(context.activity.text));
  const pii = detectPii(cleaned);
  const text = pii.found ? maskPii(cleaned) : cleaned;
  context.activity.text = text;
  const lower = text.toLowerCase();
  const now = deps.clock.now();
  const search = deps.search.search(text);
  const deadline = answerDeadline(text, now);
  const intent = understand({ text: lower, search, isDeadlineQuestion: isDeadlineQuestion(deadline, lower, now) });
  const dialog = activeDialog(state.conversation, now, deps.config.dialogTimeoutMinutes);
  // A reply to the bot's question is short, or (for the date dialogs) carries the date asked for;
  // anything else is a new question, answered rather than trapped in the dialog.
  const short = lower.split(/\s+/).length <= MAX_ANSWER_WORDS;
  const datedAnswer = (dialog?.name === 'deadline' || dialog?.name === 'downtime') && carriesDate(lower, now);
  const continues =
    dialog && (short || datedAnswer) && accepts(dialog, lower, search.entities, now) ? dialog.name : undefined;
  const insight: TurnInsight = { text, lower, search, deadline, intent, dialog, continues, piiFound: pii.found };
  setInsight(context, insight);
  return insight;
}
