import { MemoryStorage, type Storage } from 'botbuilder';
import type { Config } from './config.js';
import { FileStorage } from './storage/file-storage.js';

/**
 * The configured storage. The Azure packages are loaded only for blob storage: they add about
 * 0.3 s to start-up (bench/README.md) that local mode does not need. A blob container is checked at
 * start-up so a bad connection string fails fast.
 */
export async function createStorageFromConfig(config: Config): Promise<Storage> {
  switch (config.storage.kind) {
    case 'memory':
      return new MemoryStorage();
    case 'file':
      return new FileStorage(config.storage.dataDir);
    case 'blob': {
      const { createStorage, SafeBlobsStorage } = await import('./storage/create-storage.js');
      const storage = createStorage({
        kind: 'blob',
        blobConnectionString: config.storage.blobConnectionString,
        blobContainer: config.storage.blobContainer,
      });
      if (storage instanceof SafeBlobsStorage) await storage.init();
      return storage;
    }
  }
}
