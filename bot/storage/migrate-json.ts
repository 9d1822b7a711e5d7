import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteStorage } from './sqlite-storage.js';

/** Where the old JSON files are moved once imported, inside DATA_DIR. Kept as a backup; safe to delete. */
export const IMPORTED_DIR = 'imported-json-files';

const IMPORT_DONE = 'json-import';

export interface JsonImport {
  imported: number;
  /** Files that were not valid FileStorage records: moved aside with the rest, never read again. */
  unreadable: number;
  /** Left-over `.lock` and `.tmp` files from the old storage, moved aside. */
  leftovers: number;
}

interface FileRecord {
  key: string;
  eTag: string;
  item: Record<string, unknown>;
}

function asRecord(value: unknown): FileRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.key !== 'string' || typeof r.eTag !== 'string') return undefined;
  if (typeof r.item !== 'object' || r.item === null || Array.isArray(r.item)) return undefined;
  return r as unknown as FileRecord;
}

/**
 * Imports the one-file-per-key JSON storage an older build kept in DATA_DIR (`k_*.json`), once: the
 * first process to start after an upgrade imports every file in one transaction, with its eTag, and
 * records that in the database; the files (and any `.lock`/`.tmp` left by a crash) are then moved to
 * DATA_DIR/imported-json-files/. A file that is not valid JSON is moved too and counted, not imported.
 * Returns undefined when there was nothing to do.
 */
export function importJsonFiles(storage: SqliteStorage, dir: string): JsonImport | undefined {
  if (storage.getMeta(IMPORT_DONE) !== undefined) return undefined;
  const names = readdirSync(dir).filter((name) => name.startsWith('k_'));
  const data = names.filter((name) => name.endsWith('.json'));
  const result: JsonImport = { imported: 0, unreadable: 0, leftovers: names.length - data.length };
  storage.transaction(() => {
    // Re-checked inside the write transaction: another process may have imported meanwhile.
    if (storage.getMeta(IMPORT_DONE) !== undefined) return;
    for (const name of data) {
      let record: FileRecord | undefined;
      try {
        record = asRecord(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      } catch {
        record = undefined;
      }
      if (record) {
        storage.importItem(record.key, record.eTag, record.item);
        result.imported += 1;
      } else result.unreadable += 1;
    }
    storage.setMeta(IMPORT_DONE, new Date().toISOString());
  });
  if (names.length === 0) return undefined;
  const aside = join(dir, IMPORTED_DIR);
  mkdirSync(aside, { recursive: true });
  for (const name of names) {
    try {
      renameSync(join(dir, name), join(aside, name));
    } catch {
      // Another process moved it first.
    }
  }
  return result;
}
