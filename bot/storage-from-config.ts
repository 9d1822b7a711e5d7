import { MemoryStorage, type Storage } from 'botbuilder';
import type { Config } from './config.js';

export async function createStorageFromConfig(_config: Config): Promise<Storage> {
  return new MemoryStorage();
}
