import { ContainerClient, RestError } from '@azure/storage-blob';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { encodeStorageKey, eTagConflictError, isETagConflict, writeEach } from './file-storage.js';
import type { ListableStorage } from './listable.js';

/** Used when `BLOB_CONTAINER` is not set. */
export const DEFAULT_BLOB_CONTAINER = 'ers-helper';

// Azure's container naming rule: 3-63 characters, lower-case letters, digits and single hyphens.
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function statusCode(err: unknown): number | undefined {
  if (err instanceof RestError) return err.statusCode;
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const code = (err as { statusCode: unknown }).statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

/**
 * botbuilder's `BlobsStorage`, made to keep the same contract as `MemoryStorage`.
 *
 * Two differences of the raw class are covered here (the contract tests show both):
 * - Keys: it drops empty `/` segments and cuts names at 1024 characters, so `a` and `a/`, or two long
 *   keys with a common start, land on the same blob. Keys are therefore encoded with
 *   `encodeStorageKey` first, which is collision-free and never contains `/`.
 * - A write carrying an eTag to a key that does not exist: MemoryStorage stores it, BlobsStorage sends
 *   `If-Match` and Azure answers 412. After such a 412 the item is created with `If-None-Match: *`,
 *   which succeeds only while the blob is still absent, so it stays a single atomic decision.
 *   `claims.ts` relies on this to create a claim exactly once.
 */
export class SafeBlobsStorage implements Storage, ListableStorage {
  private readonly blobs: BlobsStorage;
  private readonly container: ContainerClient;
  private ready: Promise<void> | undefined;
  /** Items seen by `list`, by blob name, with their eTag: reused while the blob is unchanged. */
  private readonly listed = new Map<string, StoreItem>();

  constructor(connectionString: string, containerName: string) {
    if (!connectionString.trim()) throw new Error('BLOB_CONNECTION_STRING is required for blob storage');
    if (!CONTAINER_NAME.test(containerName)) {
      throw new Error(
        'BLOB_CONTAINER must be 3-63 lower-case letters, digits or single hyphens, starting with a letter or digit',
      );
    }
    this.blobs = new BlobsStorage(connectionString, containerName);
    this.container = new ContainerClient(connectionString, containerName);
  }

  toJSON(): { name: string } {
    return { name: 'SafeBlobsStorage' };
  }

  /** Creates the container when it is missing. Call once at start-up to fail fast on bad settings. */
  init(): Promise<void> {
    if (!this.ready) {
      this.ready = this.container.createIfNotExists().then(
        () => undefined,
        (err: unknown) => {
          this.ready = undefined;
          throw err;
        },
      );
    }
    return this.ready;
  }

  /** For /healthz: the container is reachable and still there. */
  async checkHealth(): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.container.exists();
    } catch (err: unknown) {
      throw new Error(
        `the blob container cannot be reached (${statusCode(err) ?? (err instanceof Error ? err.name : 'unknown')})`,
      );
    }
    if (!exists) throw new Error('the blob container is missing');
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    await this.init();
    const names = new Map(keys.map((key) => [encodeStorageKey(key), key] as const));
    const found = await this.blobs.read([...names.keys()]);
    const items: StoreItems = {};
    for (const [name, key] of names) {
      if (found[name]) items[key] = found[name];
    }
    return items;
  }

  /**
   * Every item whose key starts with `prefix`. Works because `encodeStorageKey` keeps a short
   * lower-case prefix as the start of every name it makes (hashed names keep 80 plain characters).
   */
  async list(prefix: string): Promise<StoreItem[]> {
    const plain = encodeStorageKey(prefix);
    if (plain.includes('~') || plain.length > 80)
      throw new Error('SafeBlobsStorage.list: use a short lower-case prefix');
    await this.init();
    const listed: { name: string; etag: string | undefined }[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: encodeURIComponent(plain) })) {
      listed.push({ name: decodeURIComponent(blob.name), etag: blob.properties.etag });
    }
    // The scheduler lists announcements and reminders every 2 s: only blobs whose eTag changed since
    // the last listing are downloaded again.
    const stale = listed.filter(({ name, etag }) => etag === undefined || this.listed.get(name)?.eTag !== etag);
    const found = stale.length > 0 ? await this.blobs.read(stale.map((b) => b.name)) : {};
    const seen = new Set<string>();
    const items: StoreItem[] = [];
    for (const { name } of listed) {
      seen.add(name);
      const item = found[name] ?? this.listed.get(name);
      if (!item) continue;
      if (found[name]) this.listed.set(name, item);
      items.push(JSON.parse(JSON.stringify(item)) as StoreItem);
    }
    for (const name of this.listed.keys()) {
      if (name.startsWith(plain) && !seen.has(name)) this.listed.delete(name);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (typeof changes !== 'object' || changes === null) {
      throw new ReferenceError('Changes are required when writing.');
    }
    await this.init();
    await writeEach(changes, (key, item) => this.writeOne(key, item));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    await this.init();
    await this.blobs.delete(keys.map(encodeStorageKey));
  }

  private async writeOne(key: string, item: StoreItem): Promise<void> {
    const name = encodeStorageKey(key);
    try {
      await this.blobs.write({ [name]: item });
      return;
    } catch (err: unknown) {
      if (!isETagConflict(err)) throw err;
      if (!item.eTag || item.eTag === '*') throw eTagConflictError(key);
    }
    const { eTag: _eTag, ...rest } = item;
    const body = JSON.stringify(rest);
    try {
      // BlobsStorage names the blob encodeURIComponent(key) when the key has no '/', as ours never does.
      await this.container.getBlockBlobClient(encodeURIComponent(name)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (err: unknown) {
      const status = statusCode(err);
      if (status === 409 || status === 412) throw eTagConflictError(key);
      throw err;
    }
  }
}
