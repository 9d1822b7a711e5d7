import type { Attachment } from 'botbuilder';
import type { Config } from '../bot/config.js';
import type { Entry } from '../knowledge/schema.js';
import { citation } from '../knowledge/sources.js';
import { adaptiveCard, type CardAction, type CardElement, heading, openUrl, steps, text } from './cards/card.js';

/** "Source: eRS Information Pack v4.1, October 2025: <section>", the line every answer ends with. */
export function sourceLine(entry: Pick<Entry, 'source' | 'section'>): string {
  return citation(entry.source, entry.section);
}

export function guidanceUrl(config: Config, entryId: string): string {
  return `${config.publicBaseUrl}/guidance/${encodeURIComponent(entryId)}`;
}

export interface AnswerCardParts {
  title: string;
  body: CardElement[];
  source: string;
  actions?: CardAction[];
  pageUrl?: string;
}

/** The common frame of an answer: title, body, source line, then actions and "Open in browser". */
export function answerCard(parts: AnswerCardParts): Attachment {
  const actions = [...(parts.actions ?? [])];
  if (parts.pageUrl) actions.push(openUrl('Open in browser', parts.pageUrl));
  return adaptiveCard(
    [heading(parts.title), ...parts.body, text(parts.source, { isSubtle: true, size: 'Small' })],
    actions,
  );
}

/** An entry's answer and steps as card elements. */
export function entryBody(entry: Entry): CardElement[] {
  const body: CardElement[] = [text(entry.answer)];
  if (entry.steps.length > 0) body.push(steps(entry.steps));
  return body;
}
