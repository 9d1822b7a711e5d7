import type { Storage } from 'botbuilder';
import type { Config } from './config.js';
import { createStorage, SafeBlobsStorage } from './storage/create-storage.js';

/** The configured storage; a blob container is checked at start-up so a bad connection fails fast. */
export async function createStorageFromConfig(config: Config): Promise<Storage> {
  const storage = createStorage({
    kind: config.storage.kind,
    dataDir: config.storage.dataDir,
    blobConnectionString: config.storage.blobConnectionString,
    blobContainer: config.storage.blobContainer,
  });
  if (storage instanceof SafeBlobsStorage) await storage.init();
  return storage;
}
