import { type Attachment, CardFactory } from 'botbuilder';
import { CHOICE_FIELD } from './card-choice.js';

/**
 * Small builders for the Adaptive Cards the bot sends. A button that stands for a typed reply is a
 * plain `Action.Submit` whose data is `{ choice: "<the words>" }`: the one form Teams (desktop, web,
 * mobile), the Agents Playground and Bot Framework Web Chat all send (the Playground cannot send
 * `msteams: { type: 'choice' }`). The bot reads it as those words typed (dialogs/cards/card-choice.ts), so
 * every button also works typed and no route needs to know about buttons.
 */

export type CardElement = Record<string, unknown>;
export type CardAction = Record<string, unknown>;

// A web address standing on its own: not already the target or label of a markdown link.
const BARE_URL = /(^|\s)(https?:\/\/[^\s<>()[\]]*[^\s<>()[\].,;:!?'"])/g;

/**
 * Bare web addresses as markdown links: some clients (the Agents Playground, Web Chat) show a bare
 * address in a TextBlock as plain text that cannot be clicked.
 */
export function linkUrls(value: string): string {
  return value.replace(BARE_URL, (_match, before: string, url: string) => `${before}[${url}](${url})`);
}

export function text(
  raw: string,
  options: Partial<{
    weight: 'Bolder';
    size: 'Small' | 'Medium' | 'Large';
    isSubtle: boolean;
    color: 'Attention' | 'Good' | 'Accent' | 'Warning';
    spacing: 'None' | 'Small' | 'Medium';
  }> = {},
): CardElement {
  // One line with no web address (most titles and lines): what the steps below would give it.
  if (!raw.includes('\n') && !raw.includes('http')) return { type: 'TextBlock', text: raw, wrap: true, ...options };
  const value = linkUrls(raw);
  const blocks = paragraphs(value);
  if (blocks.length <= 1) return { type: 'TextBlock', text: value, wrap: true, ...options };
  const { spacing, ...style } = options;
  return {
    type: 'Container',
    ...(spacing ? { spacing } : {}),
    items: blocks.map((block, i) => ({
      type: 'TextBlock',
      text: block,
      wrap: true,
      ...style,
      ...(i > 0 ? { spacing: 'Small' } : {}),
    })),
  };
}

const LIST_LINE = /^(?:[-*•]|\d+[.)])\s/;

/**
 * Card markdown keeps a single line break only inside a list: other lines run together into one
 * paragraph in some clients (the Agents Playground, Outlook). So each line becomes its own block,
 * and a run of list lines stays together as one markdown list.
 */
export function paragraphs(value: string): string[] {
  const out: string[] = [];
  // The line kept last, so a list's next line is checked against it, not by splitting the list again.
  let lastLine: string | undefined;
  for (const line of value.split('\n')) {
    if (line.trim() === '') continue;
    if (lastLine !== undefined && LIST_LINE.test(line) && LIST_LINE.test(lastLine))
      out[out.length - 1] = `${out[out.length - 1]}\n${line}`;
    else out.push(line);
    lastLine = line;
  }
  return out;
}

export function heading(value: string): CardElement {
  return text(value, { weight: 'Bolder', size: 'Medium' });
}

export function facts(items: readonly { title: string; value: string }[]): CardElement {
  return { type: 'FactSet', facts: items.map((f) => ({ title: f.title, value: f.value })) };
}

/** Numbered steps as one text block so they read in order in every client. */
export function steps(items: readonly string[]): CardElement {
  return text(items.map((s, i) => `${i + 1}. ${s}`).join('\n'));
}

export function container(items: CardElement[], options: Record<string, unknown> = {}): CardElement {
  return { type: 'Container', items, ...options };
}

/** A button that the bot reads as `says` typed into the chat. */
export function choice(title: string, says: string = title): CardAction {
  return { type: 'Action.Submit', title, data: { [CHOICE_FIELD]: says } };
}

/**
 * A list of choices as full-width rows that wrap: every choice stays visible and readable on a
 * phone-width card, where an ActionSet cuts long labels off and hides all but the first few behind
 * an overflow "...". Each row is one tap target (a Container's selectAction).
 */
export function choiceList(items: readonly { title: string; says: string; detail?: string }[]): CardElement {
  return {
    type: 'Container',
    spacing: 'Medium',
    items: items.map((item) => ({
      type: 'Container',
      style: 'emphasis',
      spacing: 'Small',
      selectAction: choice(item.title, item.says),
      items: [
        { type: 'TextBlock', text: item.title, wrap: true, weight: 'Bolder', color: 'Accent' },
        ...(item.detail ? [{ type: 'TextBlock', text: item.detail, wrap: true, isSubtle: true, spacing: 'None' }] : []),
      ],
    })),
  };
}

/** A button handled by a card-action route (`verb`), for things that are not chat commands. */
export function submit(title: string, verb: string, data: Record<string, unknown> = {}): CardAction {
  return { type: 'Action.Submit', title, data: { verb, ...data } };
}

export function openUrl(title: string, url: string): CardAction {
  return { type: 'Action.OpenUrl', title, url };
}

export function actionSet(actions: CardAction[]): CardElement {
  return { type: 'ActionSet', actions };
}

/** A required drop-down (Adaptive Card Input.ChoiceSet) with a preselected value. */
export function choiceSet(
  id: string,
  label: string,
  value: string,
  choices: readonly { title: string; value: string }[],
): CardElement {
  return { type: 'Input.ChoiceSet', id, label, isRequired: true, value, choices };
}

/**
 * Freezes a card part drawn once and shared by every reply that shows it (see answer-card.ts
 * entryBody): a reply changing a shared part would be a bug, and this makes it throw instead.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 ? { actions } : {}),
  });
}

/** Markdown links for contacts: Teams renders `[x](mailto:x)` in TextBlocks. */
export function mailto(email: string): string {
  return `[${email}](mailto:${email})`;
}

export function tel(phone: string): string {
  return `[${phone}](tel:${phone.replace(/\s+/g, '')})`;
}
