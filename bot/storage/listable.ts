import { MemoryStorage, type Storage, type StoreItem } from 'botbuilder';

/**
 * A storage that can also list the items under a key prefix, so a growing collection (installs,
 * announcements, reminders) is kept one item per key instead of one item rewritten on every change.
 */
export interface ListableStorage extends Storage {
  /** Every item whose key starts with `prefix`, each with its eTag (keys are not returned). */
  list(prefix: string): Promise<StoreItem[]>;
}

export function isListable(storage: Storage): storage is ListableStorage {
  return typeof (storage as Partial<ListableStorage>).list === 'function';
}

/** botbuilder's MemoryStorage with `list`, for tests and STORAGE_KIND=memory. */
export class ListableMemoryStorage extends MemoryStorage implements ListableStorage {
  async list(prefix: string): Promise<StoreItem[]> {
    const keys = Object.keys(this.memory)
      .filter((key) => key.startsWith(prefix))
      .sort();
    const found = await this.read(keys);
    return keys.flatMap((key) => (found[key] ? [found[key]] : []));
  }
}
