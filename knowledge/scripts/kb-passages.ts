import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir, loadKnowledge } from '../load.js';
import { readSourceTexts } from '../passages.js';
import { parseDocument } from '../revise/document.js';
import { bestPassages, candidateParagraphs, entryText } from '../revise/match.js';
import type { ContactRoute, SourceId } from '../schema.js';

/**
 * `npm run kb:passages [-- --all]`: fills in `passages` for entries that have none (or, with
 * --all, for every entry) with the source lines that best match the entry, for a person to check.
 * Entries keep their key order, with `passages` after `section`.
 */
function main(argv: readonly string[]): number {
  const all = argv.includes('--all');
  const kb = loadKnowledge();
  const sources = readSourceTexts();
  const docs = {
    'ers-pack': parseDocument(sources['ers-pack']),
    'bulk-service-update': parseDocument(sources['bulk-service-update']),
  } satisfies Record<SourceId, unknown>;
  const dir = path.join(defaultDataDir(), 'entries');
  let filled = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const file = path.join(dir, name);
    const data = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
    const before = filled;
    const out = data.map((raw) => {
      const entry = kb.byId.get(String(raw.id));
      if (!entry || (!all && Array.isArray(raw.passages) && raw.passages.length > 0)) return raw;
      const routes = entry.contacts
        .map((id) => kb.routesById.get(id))
        .filter((r): r is ContactRoute => r !== undefined);
      const passages = bestPassages(entryText(entry, routes), candidateParagraphs(docs[entry.source], entry.section));
      filled += 1;
      const next: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (k === 'passages') continue;
        next[k] = v;
        if (k === 'section') next.passages = passages;
      }
      return next;
    });
    // A file with nothing filled is left as it is: rewriting it would only undo its formatting.
    if (filled > before) writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  }
  process.stdout.write(
    `kb:passages: filled passages for ${filled} entries; read them, and run npx biome format --write knowledge/data, before committing\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
