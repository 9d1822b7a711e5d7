import { MemoryStorage, type Storage } from 'botbuilder';
import type { Logger } from 'pino';
import { DEFAULT_DATA_DIR, FileStorage, isETagConflict } from './file-storage.js';
import { ListableMemoryStorage } from './listable.js';

export { isETagConflict };

export type StorageKind = 'sqlite' | 'file' | 'memory' | 'blob';

export interface CreateStorageOptions {
  kind: StorageKind;
  /** Directory for `sqlite` and `file` storage; `./data` when omitted. */
  dataDir?: string;
  /** Required for `blob` storage. */
  blobConnectionString?: string;
  /** Container for `blob` storage; created when missing. */
  blobContainer?: string;
}

/**
 * The bot's storage, the one factory for every kind (config.storage fits `options`):
 * - `sqlite` (default): one SQLite file in DATA_DIR, for one host (any number of processes on it).
 *   Opened, migrated and proved writable here, so a DATA_DIR that is a file, read-only or full stops
 *   the start with the path and the reason. JSON files from an older build are imported on first start.
 * - `blob`: Azure Blob Storage, for several hosts. The Azure packages are loaded only for it (about
 *   0.3 s of start-up, bench/README.md), and the container is created or checked here.
 * - `file`: the older one-JSON-file-per-key storage, kept for reading old data in tests.
 * - `memory`: for tests; lost on restart.
 *
 * @example const storage = await createStorage(config.storage, logger)
 */
export async function createStorage(options: CreateStorageOptions, logger?: Logger): Promise<Storage> {
  switch (options.kind) {
    case 'memory':
      return new ListableMemoryStorage();
    case 'file':
      logger?.warn(
        { event: 'storage.file-kind' },
        'STORAGE_KIND=file uses lock files that a crash can leave behind; use sqlite (the default)',
      );
      return new FileStorage(options.dataDir ?? DEFAULT_DATA_DIR);
    case 'sqlite': {
      const { SqliteStorage } = await import('./sqlite-storage.js');
      const { importJsonFiles } = await import('./migrate-json.js');
      const dir = options.dataDir ?? DEFAULT_DATA_DIR;
      const storage = SqliteStorage.open(dir);
      const imported = importJsonFiles(storage, dir);
      if (imported)
        logger?.info({ event: 'storage.json-imported', ...imported }, 'imported the JSON files from DATA_DIR');
      return storage;
    }
    case 'blob': {
      if (!options.blobConnectionString) {
        throw new Error('BLOB_CONNECTION_STRING is required when STORAGE_KIND is blob');
      }
      const { DEFAULT_BLOB_CONTAINER, SafeBlobsStorage } = await import('./blob-storage.js');
      const storage = new SafeBlobsStorage(
        options.blobConnectionString,
        options.blobContainer ?? DEFAULT_BLOB_CONTAINER,
      );
      await storage.init();
      return storage;
    }
    default: {
      const unknownKind: never = options.kind;
      throw new Error(`Unknown storage kind: ${String(unknownKind)}`);
    }
  }
}

/** Whether `storage` is botbuilder's MemoryStorage (state is lost on restart: worth a warning). */
export function isMemoryStorage(storage: Storage): boolean {
  return storage instanceof MemoryStorage;
}
