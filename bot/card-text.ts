import { CHOICE_FIELD } from '../dialogs/cards/card-choice.js';

/**
 * Renders the bot's replies (text and Adaptive Cards) as plain text, for the terminal chat and for
 * anywhere a card cannot be shown. Buttons come out numbered so they can be picked by number.
 */

export interface Button {
  title: string;
  /** What pressing it does: the words it stands for (a choice), the data it submits, or the URL it opens. */
  sends?: string;
  submits?: Record<string, unknown>;
  opens?: string;
}

export interface Rendered {
  text: string;
  buttons: Button[];
  /** The card's input fields and their preset values: what a submit button sends if nothing is changed. */
  inputs: Record<string, string>;
}

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function button(action: Node): Button {
  const title = String(action.title ?? 'Button');
  if (action.type === 'Action.OpenUrl') return { title, opens: String(action.url ?? '') };
  const data = isNode(action.data) ? action.data : {};
  if (typeof data[CHOICE_FIELD] === 'string' && data.verb === undefined) return { title, sends: data[CHOICE_FIELD] };
  const msteams = isNode(data.msteams) ? data.msteams : undefined;
  if (msteams?.type === 'imBack' && typeof msteams.value === 'string') return { title, sends: msteams.value };
  if (msteams?.type === 'messageBack' && typeof msteams.text === 'string') return { title, sends: msteams.text };
  return { title, submits: data };
}

function walk(node: unknown, lines: string[], buttons: Button[], inputs: Record<string, string> = {}): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, lines, buttons, inputs);
    return;
  }
  if (!isNode(node)) return;
  switch (node.type) {
    case 'TextBlock':
      if (typeof node.text === 'string') lines.push(node.weight === 'Bolder' ? node.text.toUpperCase() : node.text);
      return;
    case 'FactSet':
      for (const f of Array.isArray(node.facts) ? node.facts : [])
        if (isNode(f)) lines.push(`  ${String(f.title)}: ${String(f.value)}`);
      return;
    case 'ActionSet':
      for (const a of Array.isArray(node.actions) ? node.actions : []) if (isNode(a)) buttons.push(button(a));
      return;
    case 'Input.Text':
    case 'Input.Date':
    case 'Input.ChoiceSet': {
      const value = typeof node.value === 'string' ? node.value : '';
      if (typeof node.id === 'string') inputs[node.id] = value;
      lines.push(
        `  [${node.type === 'Input.Date' ? 'date' : 'field'}: ${String(node.label ?? node.id ?? '')}${value ? ` = ${value}` : ''}]`,
      );
      return;
    }
    default:
      // A tappable row (a choice list's item) is a button; its text is the button's title.
      if (isNode(node.selectAction)) {
        buttons.push(button(node.selectAction));
        return;
      }
      walk(node.body, lines, buttons, inputs);
      walk(node.items, lines, buttons, inputs);
      walk(node.columns, lines, buttons, inputs);
      if (node.type === 'AdaptiveCard' && Array.isArray(node.actions)) {
        for (const a of node.actions) if (isNode(a)) buttons.push(button(a));
      }
  }
}

/** Turns markdown links `[label](mailto:x)` into `x` so contact details read cleanly in a terminal. */
function plainLinks(s: string): string {
  return s
    .replace(/\[([^\]]+)\]\((?:mailto:|tel:)[^)]+\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, label: string, url: string) =>
      label === url ? url : `${label} <${url}>`,
    );
}

export function renderActivity(activity: {
  text?: string;
  attachments?: { contentType?: string; content?: unknown }[];
  suggestedActions?: { actions?: unknown[] };
}): Rendered {
  const lines: string[] = [];
  const buttons: Button[] = [];
  const inputs: Record<string, string> = {};
  if (activity.text) lines.push(activity.text);
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive')
      walk(attachment.content, lines, buttons, inputs);
    else if (isNode(attachment.content)) {
      const c = attachment.content;
      for (const k of ['title', 'subtitle', 'text']) if (typeof c[k] === 'string') lines.push(String(c[k]));
    }
  }
  for (const a of activity.suggestedActions?.actions ?? []) {
    if (isNode(a)) buttons.push({ title: String(a.title ?? a.value), sends: String(a.value ?? a.title) });
  }
  return { text: plainLinks(lines.join('\n')), buttons, inputs };
}
