import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadKnowledge } from '../load.js';
import { defaultSourceDir, readSourceTexts, SOURCE_FILES } from '../passages.js';
import { projectRoot } from '../project-root.js';
import { compareDocuments } from '../revise/compare.js';
import { parseDocument, readDocumentText } from '../revise/document.js';
import { lostContacts } from '../revise/impact.js';
import { buildReport, counts, toHtml, toMarkdown } from '../revise/report.js';
import { type SourceId, sourceId } from '../schema.js';

const USAGE = `Usage: npm run kb:revise -- <new pack (.txt or .docx)> [--source ers-pack|bulk-service-update] [--out <folder>]
Compares the new version with the current source in knowledge/source/ and writes a review report
(Markdown and HTML) to the folder (default: kb-revise/).`;

interface Args {
  file: string;
  source: SourceId;
  out: string;
}

function parseArgs(argv: readonly string[]): Args | string {
  let file: string | undefined;
  let source: SourceId = 'ers-pack';
  let out = path.join(projectRoot(), 'kb-revise');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--source') {
      const parsed = sourceId.safeParse(argv[++i]);
      if (!parsed.success) return `--source must be one of: ${sourceId.options.join(', ')}`;
      source = parsed.data;
    } else if (arg === '--out') {
      const dir = argv[++i];
      if (!dir) return '--out needs a folder';
      out = path.resolve(dir);
    } else if (arg === '--help' || arg === '-h') return '';
    else if (file === undefined) file = arg;
    else return `Unexpected argument: ${arg}`;
  }
  if (file === undefined) return 'Give the new pack file.';
  if (!existsSync(file)) return `No such file: ${file}`;
  return { file: path.resolve(file), source, out };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args ? `${args}\n\n` : ''}${USAGE}\n`);
    return args ? 2 : 0;
  }
  let newText: string;
  try {
    newText = await readDocumentText(args.file);
  } catch (err: unknown) {
    process.stderr.write(
      `Could not read ${args.file}: ${err instanceof Error ? err.message : String(err)}\n(A Word file must be .docx; save an older .doc as .docx first.)\n`,
    );
    return 1;
  }
  const kb = loadKnowledge();
  const current = readSourceTexts()[args.source];
  const comparison = compareDocuments(parseDocument(current), parseDocument(newText));
  const report = buildReport(comparison, kb, args.source, lostContacts(kb, args.source, newText), {
    currentFile: path.relative(projectRoot(), path.join(defaultSourceDir(), SOURCE_FILES[args.source])),
    newFile: path.basename(args.file),
  });
  mkdirSync(args.out, { recursive: true });
  const base = path.join(args.out, `review-${path.basename(args.file).replace(/\.[^.]+$/, '')}`);
  writeFileSync(`${base}.md`, toMarkdown(report));
  writeFileSync(`${base}.html`, toHtml(report));
  const c = counts(report);
  process.stdout.write(
    `kb:revise: ${c['section-added']} section(s) added, ${c['section-removed']} removed; ${c['paragraph-added']} paragraph(s) added, ${c['paragraph-removed']} removed, ${c['paragraph-changed']} changed; ${report.lostContacts.length} contact detail(s) gone\n` +
      `${report.version.changed ? `version ${report.version.before.version} (${report.version.before.date}) -> ${report.version.after.version} (${report.version.after.date})\n` : ''}` +
      `report: ${base}.md and ${base}.html\n`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
