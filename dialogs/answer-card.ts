import type { Attachment } from 'botbuilder';
import { extractPriorities } from '../knowledge/entities.js';
import type { Entry, Priority } from '../knowledge/schema.js';
import { citation } from '../knowledge/sources.js';
import {
  adaptiveCard,
  type CardAction,
  type CardElement,
  deepFreeze,
  heading,
  openUrl,
  steps,
  text,
} from './cards/card.js';
import type { FeatureConfig } from './feature-deps.js';

/** "Source: eRS Information Pack v4.1, October 2025: <section>", the line every answer ends with. */
export function sourceLine(entry: Pick<Entry, 'source' | 'section'>): string {
  return citation(entry.source, entry.section);
}

export function guidanceUrl(config: FeatureConfig, entryId: string): string {
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

const LIST_ITEM = /^\s*(?:[-•*]|\d+[.)])\s/;

/**
 * The answer, focused on one priority when the question named one and the answer lists a line
 * per priority ("2 working days for 2WW, 20 for urgent, 40 for routine"): one fact asked, one given.
 * Lines for no priority in particular stay.
 */
export function focusOnPriority(answer: string, priority: Priority | undefined): string {
  if (!priority) return answer;
  const lines = answer.split('\n');
  const itemPriorities = lines.map((line) => (LIST_ITEM.test(line) ? extractPriorities(line) : []));
  if (new Set(itemPriorities.flat()).size < 2) return answer;
  return lines
    .filter((_, i) => {
      const named = itemPriorities[i] ?? [];
      return named.length === 0 || named.includes(priority);
    })
    .join('\n');
}

/**
 * Each entry's body elements by priority, drawn once per knowledge base rather than on every answer
 * (they depend on nothing else). Keyed by the entry object, so a knowledge base loaded afresh (a test,
 * a restart) gets its own. Frozen: one card changing an element it shares with the next would be a
 * bug, and this makes it throw instead of changing later answers.
 */
const ENTRY_BODIES = new WeakMap<Entry, Map<Priority | undefined, readonly CardElement[]>>();

/** An entry's answer and steps as card elements, focused on the priority asked about (a new array: callers add to it). */
export function entryBody(entry: Entry, priority?: Priority): CardElement[] {
  let byPriority = ENTRY_BODIES.get(entry);
  if (byPriority === undefined) {
    byPriority = new Map();
    ENTRY_BODIES.set(entry, byPriority);
  }
  let body = byPriority.get(priority);
  if (body === undefined) {
    const drawn: CardElement[] = [text(focusOnPriority(entry.answer, priority))];
    if (entry.steps.length > 0) drawn.push(steps(entry.steps));
    body = deepFreeze(drawn);
    byPriority.set(priority, body);
  }
  return [...body];
}
