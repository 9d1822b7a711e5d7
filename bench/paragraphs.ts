import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../knowledge/project-root.js';

export const SEED_FILES = Object.freeze(['ers-information-pack-v4.1.txt', 'bulk-service-update.txt']);

/** The seeds' raw paragraphs (split on blank lines), as the obvious first version would index them. */
export function seedParagraphs(seedDir = path.resolve(projectRoot(), 'knowledge', 'source')): string[] {
  return SEED_FILES.flatMap((file) =>
    readFileSync(path.join(seedDir, file), 'utf8')
      .split(/\r?\n\s*\r?\n/)
      .map((paragraph) => paragraph.trim())
      .filter((paragraph) => paragraph.length > 0),
  );
}

/** The obvious fuse.js set-up over plain strings; ignoreLocation so words late in a paragraph still match. */
export const BASELINE_FUSE_OPTIONS = Object.freeze({ includeScore: true, ignoreLocation: true });
