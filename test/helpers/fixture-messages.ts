import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../knowledge/project-root.js';

/**
 * Every user message in test/fixtures/*.jsonl (the search questions and every conversation turn),
 * in file order: the corpus the fast-path tests compare a shortcut against its full reading over.
 */
export function fixtureMessages(): string[] {
  const dir = path.join(projectRoot(), 'test/fixtures');
  const messages: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { q?: unknown; turns?: { send?: unknown }[] };
      if (typeof row.q === 'string') messages.push(row.q);
      for (const turn of row.turns ?? []) if (typeof turn.send === 'string') messages.push(turn.send);
    }
  }
  return messages;
}
