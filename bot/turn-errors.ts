/**
 * What happens when a turn throws: the failure is logged under a short correlation id, and the user
 * gets an apology quoting it. Policy for shared conversations: in a channel or group chat the bot
 * apologises at most once per conversation (a channel counts as one, whatever the thread) every
 * five minutes, so a fault that hits every message does not flood the channel; in a 1:1 chat it
 * always apologises. Invokes get an invoke answer in the shape Teams expects instead of a message.
 */
import { type Activity, ActivityTypes, INVOKE_RESPONSE_KEY, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Clock } from '../knowledge/time/clock.js';
import type { BotApp } from './app.js';
import { correlationId, stackFrames } from './http-guards.js';

export const APOLOGY_INTERVAL_MS = 5 * 60_000;
const MAX_REMEMBERED = 5_000;

export function apologyText(id: string): string {
  return `Sorry, something went wrong on my side and I could not answer that. Please try again, or type "help". If it keeps happening, quote reference ${id} when you report it.`;
}

/** Remembers when each shared conversation last got an apology; bounded, oldest forgotten first. */
export function createApologyGate(intervalMs: number = APOLOGY_INTERVAL_MS, maxRemembered: number = MAX_REMEMBERED) {
  const last = new Map<string, number>();
  return {
    allow(activity: Pick<Activity, 'conversation'>, nowMs: number): boolean {
      const conversation = activity.conversation as Partial<Activity['conversation']> | undefined;
      const type = conversation?.conversationType;
      if (type !== 'channel' && type !== 'groupChat') return true;
      const key = String(conversation?.id ?? '').split(';')[0] ?? '';
      const previous = last.get(key);
      if (previous !== undefined && nowMs - previous < intervalMs && nowMs >= previous) return false;
      last.delete(key);
      last.set(key, nowMs);
      while (last.size > maxRemembered) {
        const oldest = last.keys().next();
        if (oldest.done === true) break;
        last.delete(oldest.value);
      }
      return true;
    },
  };
}

/** An invoke's answer when its handler failed: a polite message where Teams can show one. */
export function failedInvoke(name: string | undefined, id: string): InvokeResponse {
  const message = apologyText(id);
  if (name === 'adaptiveCard/action') {
    return {
      status: 200,
      body: { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message } },
    };
  }
  if (name?.startsWith('composeExtension/'))
    return { status: 200, body: { composeExtension: { type: 'message', text: message } } };
  if (name?.startsWith('task/')) return { status: 200, body: { task: { type: 'message', value: message } } };
  return { status: 200, body: { error: message, correlationId: id } };
}

/**
 * Wires `app.error` (teams-ai sets the adapter's onTurnError; the app must have been built with the
 * adapter that serves HTTP). The HTTP answer for a failed turn is then 200, not a 500.
 */
export function registerTurnErrors(app: BotApp, deps: { logger: Logger; clock: Clock }): void {
  const gate = createApologyGate();
  app.error(async (context: TurnContext, err: unknown) => {
    const id = correlationId();
    const activity = context.activity;
    deps.logger.error(
      {
        event: 'turn.error',
        correlationId: id,
        activityType: activity.type,
        invoke: activity.type === ActivityTypes.Invoke ? String(activity.name).slice(0, 64) : undefined,
        conversationType: activity.conversation?.conversationType,
        err: err instanceof Error ? err.name : typeof err,
        stack: stackFrames(err),
      },
      'turn failed',
    );
    try {
      if (activity.type === ActivityTypes.Invoke) {
        context.turnState.set(INVOKE_RESPONSE_KEY, { type: 'invokeResponse', value: failedInvoke(activity.name, id) });
        return;
      }
      // Only a person's message expects an answer; a failed install or update is logged, not announced.
      if (activity.type !== ActivityTypes.Message) return;
      if (!gate.allow(activity, deps.clock.now().getTime())) return;
      await context.sendActivity(apologyText(id));
    } catch (replyErr: unknown) {
      deps.logger.warn(
        {
          event: 'turn.error.reply_failed',
          correlationId: id,
          err: replyErr instanceof Error ? replyErr.name : 'unknown',
        },
        'could not send the apology',
      );
    }
  });
}
