import type { KnowledgeBase } from '../load.js';
import { html, type SafeHtml } from '../safety/html.js';
import type { SourceId } from '../schema.js';
import type { Comparison, RevisionChange, WordPart } from './compare.js';
import { type Impact, impactOf, type LostContact, touchedParagraphs } from './impact.js';

/**
 * The review report `kb:revise` writes, as data first (tests read it) and then as Markdown and
 * HTML for the people who own the guidance.
 */

export interface ReviewItem {
  change: RevisionChange;
  impact: Impact;
}

export interface ReviewReport {
  source: SourceId;
  currentFile: string;
  newFile: string;
  version: Comparison['version'];
  items: ReviewItem[];
  lostContacts: LostContact[];
}

export function buildReport(
  comparison: Comparison,
  kb: KnowledgeBase,
  source: SourceId,
  lostContacts: LostContact[],
  files: { currentFile: string; newFile: string },
): ReviewReport {
  return {
    source,
    ...files,
    version: comparison.version,
    items: comparison.changes.map((change) => ({ change, impact: impactOf(touchedParagraphs(change), kb, source) })),
    lostContacts,
  };
}

const KIND_LABEL: Readonly<Record<RevisionChange['kind'], string>> = Object.freeze({
  'section-added': 'Section added',
  'section-removed': 'Section removed',
  'paragraph-added': 'Paragraph added',
  'paragraph-removed': 'Paragraph removed',
  'paragraph-changed': 'Paragraph changed',
});

export function counts(report: ReviewReport): Record<RevisionChange['kind'], number> {
  const out = {
    'section-added': 0,
    'section-removed': 0,
    'paragraph-added': 0,
    'paragraph-removed': 0,
    'paragraph-changed': 0,
  };
  for (const item of report.items) out[item.change.kind] += 1;
  return out;
}

function summaryLines(report: ReviewReport): string[] {
  const c = counts(report);
  return [
    `${c['section-added']} section(s) added, ${c['section-removed']} removed`,
    `${c['paragraph-added']} paragraph(s) added, ${c['paragraph-removed']} removed, ${c['paragraph-changed']} changed`,
    `${report.lostContacts.length} contact detail(s) the bot gives are no longer in the new text word for word`,
  ];
}

function versionLines(report: ReviewReport): string[] {
  const { before, after, changed } = report.version;
  if (!changed) return [`The version line is unchanged (${before.version ?? 'none'}, ${before.date ?? 'no date'}).`];
  return [
    `Version: ${before.version ?? '(none)'} → ${after.version ?? '(none)'}; date: ${before.date ?? '(none)'} → ${after.date ?? '(none)'}.`,
    `Update \`SOURCE_DOCUMENTS['${report.source}']\` in knowledge/schema.ts (every citation and page footer reads it).`,
    'Save the new text in knowledge/source/ under its new name, point `SOURCE_FILES` in knowledge/passages.ts at it, and update the table in knowledge/source/README.md.',
  ];
}

const NEXT_STEPS = [
  'Read each change below and edit the entries it lists: their answer, and their `passages` (the source lines they rest on) to the new wording.',
  'For each contact detail no longer in the text, find its new value in the pack and change it in knowledge/data/contacts.json and in the answers listed.',
  'For each rule listed, change the constant named in the code and its passage in knowledge/revise/rules.ts.',
  'Write entries for added sections; `npm run kb:passages` fills their passages for you to check.',
  'Run `npm run kb:check` (it fails while any passage or rule line is not in the new text) and `npm test`.',
];

function wordsMarkdown(words: readonly WordPart[]): string {
  return words.map((w) => (w.added ? `{+${w.value}+}` : w.removed ? `[-${w.value}-]` : w.value)).join('');
}

function impactMarkdown(impact: Impact): string[] {
  const lines: string[] = [];
  if (impact.entries.length > 0) {
    lines.push('- Entries:');
    for (const { entry, why } of impact.entries) lines.push(`  - \`${entry.id}\` (${entry.title}): ${why}`);
  }
  if (impact.routes.length > 0) {
    lines.push('- Contact routes (knowledge/data/contacts.json):');
    for (const r of impact.routes) {
      const scope = [r.sites?.join(', '), r.boroughs?.join(', ')].filter(Boolean).join('; ');
      lines.push(`  - \`${r.id}\` (${r.purpose}${scope ? `; ${scope}` : ''})`);
    }
  }
  if (impact.organisations.length > 0) {
    lines.push(`- Organisations named: ${impact.organisations.map((o) => `\`${o.id}\``).join(', ')}`);
  }
  if (impact.rules.length > 0) {
    lines.push('- Rules in the code:');
    for (const r of impact.rules) lines.push(`  - ${r.name} ${r.value}: ${r.where}`);
  }
  if (impact.packLines.length > 0) {
    lines.push('- Pack lines said outside entries (knowledge/data):');
    for (const line of impact.packLines) lines.push(`  - ${line.where}: "${line.text}"`);
  }
  if (lines.length === 0) lines.push('- Nothing in the knowledge rests on it.');
  return lines;
}

function quote(text: string): string {
  return `> ${text}`;
}

function itemMarkdown(item: ReviewItem, n: number): string[] {
  const { change } = item;
  const out = [`### ${n}. ${KIND_LABEL[change.kind]}: ${change.section}`, ''];
  switch (change.kind) {
    case 'section-added':
    case 'section-removed':
      out.push(`${change.paragraphs.length} paragraph(s):`, '');
      for (const p of change.paragraphs) out.push(quote(p.text), '>');
      if (change.paragraphs.length > 0) out.pop();
      break;
    case 'paragraph-added':
    case 'paragraph-removed':
      out.push(quote(change.paragraph.text));
      break;
    case 'paragraph-changed':
      out.push('Before:', '', quote(change.before.text), '', 'After:', '', quote(change.after.text), '');
      out.push('Words ([-removed-] {+added+}):', '', quote(wordsMarkdown(change.words)));
      break;
  }
  out.push('', change.kind === 'section-added' || change.kind === 'paragraph-added' ? 'New text:' : 'Rests on it:');
  out.push(
    ...(change.kind === 'section-added' || change.kind === 'paragraph-added'
      ? ['- Nothing yet: new text. Decide whether an entry should answer from it.']
      : impactMarkdown(item.impact)),
  );
  return [...out, ''];
}

export function toMarkdown(report: ReviewReport): string {
  const out = [
    `# Pack revision review: ${report.newFile}`,
    '',
    `Compared with the current source ${report.currentFile}, section by section.`,
    '',
    '## Summary',
    '',
    ...summaryLines(report).map((l) => `- ${l}`),
    '',
    '## Version and date to update',
    '',
    ...versionLines(report).map((l) => `- ${l}`),
    '',
    '## Contact details no longer in the new text',
    '',
  ];
  if (report.lostContacts.length === 0)
    out.push('Every email, phone number and web address the bot gives is still there.', '');
  else {
    out.push('| detail | contact routes | entries |', '|---|---|---|');
    for (const l of report.lostContacts) {
      out.push(
        `| ${l.detail} | ${l.routes.map((r) => `\`${r.id}\``).join(', ') || '-'} | ${l.entries.map((e) => `\`${e.id}\``).join(', ') || '-'} |`,
      );
    }
    out.push('');
  }
  out.push('## Changes, section by section', '');
  if (report.items.length === 0) out.push('No section or paragraph changed.', '');
  report.items.forEach((item, i) => {
    out.push(...itemMarkdown(item, i + 1));
  });
  out.push('## What to do next', '', ...NEXT_STEPS.map((s, i) => `${i + 1}. ${s}`), '');
  return out.join('\n');
}

const REPORT_CSS = `body{font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#212b32;max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem}h2{margin-top:2rem;border-bottom:2px solid #005eb8}h3{margin-top:1.5rem}
blockquote{margin:.5rem 0;padding:.25rem 1rem;border-left:4px solid #d8dde0;background:#f0f4f5}
ins{background:#cce5d6;text-decoration:underline}del{background:#f6d5d5;text-decoration:line-through}
table{border-collapse:collapse}th,td{border:1px solid #d8dde0;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{font-size:.95em}`;

function code(text: string): SafeHtml {
  return html`<code>${text}</code>`;
}

/** Markdown `code` spans in the fixed sentences become <code>; everything else is escaped. */
function prose(text: string): SafeHtml {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? code(part) : part))}`;
}

function impactHtml(impact: Impact): SafeHtml {
  const parts: SafeHtml[] = [];
  if (impact.entries.length > 0) {
    parts.push(
      html`<li>Entries:<ul>${impact.entries.map(({ entry, why }) => html`<li>${code(entry.id)} (${entry.title}): ${why}</li>`)}</ul></li>`,
    );
  }
  if (impact.routes.length > 0) {
    parts.push(
      html`<li>Contact routes (knowledge/data/contacts.json):<ul>${impact.routes.map((r) => html`<li>${code(r.id)} (${r.purpose}${r.sites ? `; ${r.sites.join(', ')}` : ''}${r.boroughs ? `; ${r.boroughs.join(', ')}` : ''})</li>`)}</ul></li>`,
    );
  }
  if (impact.organisations.length > 0) {
    parts.push(
      html`<li>Organisations named: ${impact.organisations.map((o, i) => html`${i > 0 ? ', ' : ''}${code(o.id)}`)}</li>`,
    );
  }
  if (impact.rules.length > 0) {
    parts.push(
      html`<li>Rules in the code:<ul>${impact.rules.map((r) => html`<li>${r.name} ${r.value}: ${r.where}</li>`)}</ul></li>`,
    );
  }
  if (impact.packLines.length > 0) {
    parts.push(
      html`<li>Pack lines said outside entries (knowledge/data):<ul>${impact.packLines.map((line) => html`<li>${line.where}: “${line.text}”</li>`)}</ul></li>`,
    );
  }
  if (parts.length === 0) parts.push(html`<li>Nothing in the knowledge rests on it.</li>`);
  return html`<ul>${parts}</ul>`;
}

function itemHtml(item: ReviewItem, n: number): SafeHtml {
  const { change } = item;
  let body: SafeHtml;
  switch (change.kind) {
    case 'section-added':
    case 'section-removed':
      body = html`<p>${change.paragraphs.length} paragraph(s):</p><blockquote>${change.paragraphs.map((p) => html`<p>${p.text}</p>`)}</blockquote>`;
      break;
    case 'paragraph-added':
    case 'paragraph-removed':
      body = html`<blockquote><p>${change.paragraph.text}</p></blockquote>`;
      break;
    case 'paragraph-changed':
      body = html`<p>Before:</p><blockquote><p>${change.before.text}</p></blockquote>
<p>After:</p><blockquote><p>${change.after.text}</p></blockquote>
<p>Words (removed struck through, added underlined):</p><blockquote><p>${change.words.map((w) =>
        w.added ? html`<ins>${w.value}</ins>` : w.removed ? html`<del>${w.value}</del>` : html`${w.value}`,
      )}</p></blockquote>`;
      break;
  }
  const isNew = change.kind === 'section-added' || change.kind === 'paragraph-added';
  return html`<section aria-labelledby="c${n}"><h3 id="c${n}">${n}. ${KIND_LABEL[change.kind]}: ${change.section}</h3>
${body}
<p>${isNew ? 'New text:' : 'Rests on it:'}</p>
${isNew ? html`<ul><li>Nothing yet: new text. Decide whether an entry should answer from it.</li></ul>` : impactHtml(item.impact)}
</section>
`;
}

export function toHtml(report: ReviewReport): string {
  const lost =
    report.lostContacts.length === 0
      ? html`<p>Every email, phone number and web address the bot gives is still there.</p>`
      : html`<table><caption>Contact details no longer in the new text word for word</caption>
<thead><tr><th scope="col">Detail</th><th scope="col">Contact routes</th><th scope="col">Entries</th></tr></thead>
<tbody>${report.lostContacts.map(
          (l) =>
            html`<tr><td>${l.detail}</td><td>${l.routes.map((r) => r.id).join(', ') || '-'}</td><td>${l.entries.map((e) => e.id).join(', ') || '-'}</td></tr>`,
        )}</tbody></table>`;
  const doc = html`<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pack revision review: ${report.newFile}</title>
<style>${REPORT_CSS}</style></head>
<body><main>
<h1>Pack revision review: ${report.newFile}</h1>
<p>Compared with the current source ${report.currentFile}, section by section.</p>
<h2>Summary</h2>
<ul>${summaryLines(report).map((l) => html`<li>${l}</li>`)}</ul>
<h2>Version and date to update</h2>
<ul>${versionLines(report).map((l) => html`<li>${prose(l)}</li>`)}</ul>
<h2>Contact details no longer in the new text</h2>
${lost}
<h2>Changes, section by section</h2>
${report.items.length === 0 ? html`<p>No section or paragraph changed.</p>` : report.items.map((item, i) => itemHtml(item, i + 1))}
<h2>What to do next</h2>
<ol>${NEXT_STEPS.map((s) => html`<li>${prose(s)}</li>`)}</ol>
</main></body></html>
`;
  return doc.value;
}
