import { html, type SafeHtml } from '../../knowledge/safety/html.js';

/** The pack's answer text as HTML: its plain lines as paragraphs and lists, its web addresses as links. */

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** Text with its web addresses as links (trailing punctuation stays text). */
export function linkify(value: string): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of value.matchAll(URL_IN_TEXT)) {
    const start = match.index ?? 0;
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    parts.push(html`${value.slice(last, start)}<a class="url" href="${url}">${url}</a>`);
    last = start + url.length;
  }
  parts.push(html`${value.slice(last)}`);
  return html`${parts}`;
}

export type Block = { kind: 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[] };

/** The pack's answers use plain lines: "- " starts a bullet, "1. " a numbered item, else a paragraph. */
export function answerBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  for (const line of answer.split('\n').map((l) => l.trim())) {
    if (line === '') continue;
    const bullet = /^[-•]\s+(.*)$/.exec(line);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
    const kind = bullet ? 'ul' : numbered ? 'ol' : 'p';
    const content = bullet?.[1] ?? numbered?.[1] ?? line;
    const previous = blocks.at(-1);
    if (kind !== 'p' && previous && previous.kind === kind) previous.items.push(content);
    else if (kind === 'p') blocks.push({ kind, text: content });
    else blocks.push({ kind, items: [content] });
  }
  return blocks;
}

export function renderBlocks(answer: string): SafeHtml {
  return html`${answerBlocks(answer).map((block) => {
    if (block.kind === 'p') return html`<p>${linkify(block.text)}</p>\n`;
    const items = block.items.map((item) => html`<li>${linkify(item)}</li>`);
    return block.kind === 'ul' ? html`<ul>${items}</ul>\n` : html`<ol>${items}</ol>\n`;
  })}`;
}
