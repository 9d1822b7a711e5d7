import { type Attachment, CardFactory } from 'botbuilder';

/**
 * Small builders for the Adaptive Cards the bot sends. Buttons that stand for a typed command are
 * `imBack` submits: Teams posts the button's text into the chat as if the user typed it, so every
 * button also works typed (Teams mobile, screen readers) and the transcript reads naturally.
 */

export type CardElement = Record<string, unknown>;
export type CardAction = Record<string, unknown>;

export function text(
  value: string,
  options: Partial<{
    weight: 'Bolder';
    size: 'Small' | 'Medium' | 'Large';
    isSubtle: boolean;
    color: 'Attention' | 'Good' | 'Accent' | 'Warning';
    spacing: 'None' | 'Small' | 'Medium';
  }> = {},
): CardElement {
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
  for (const line of value.split('\n')) {
    if (line.trim() === '') continue;
    const last = out.at(-1);
    if (last !== undefined && LIST_LINE.test(line) && LIST_LINE.test(last.split('\n').at(-1) ?? ''))
      out[out.length - 1] = `${last}\n${line}`;
    else out.push(line);
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

/** A button that sends `value` as a chat message, exactly as if typed. */
export function imBack(title: string, value: string = title): CardAction {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'imBack', value } } };
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
