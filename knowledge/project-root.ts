import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding package.json. Code runs both from source (tsx) and from `dist/` (tsc), at
 * different depths, so data files are found from the project root rather than relative paths.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above knowledge/project-root');
    dir = parent;
  }
  cached = dir;
  return dir;
}
