// Uploaded documents as content-addressed blobs: the key is the SHA-256 of the bytes, so the same
// document uploaded twice is stored once and a stored blob can be checked against its name.
// Where the bytes live (local disk or an S3-compatible bucket) is configuration (Config.storage).
import { createHash } from 'node:crypto';
import type { Config, StorageConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { localBackend } from './storage.local.ts';
import { localPacks, type Packs } from './storage.packs.ts';
import { s3Backend } from './storage.s3.ts';

export interface BlobStore {
  /** Stores bytes under their SHA-256 (hex); storing the same bytes twice is a no-op. Durable when it resolves. */
  put(bytes: Buffer): Promise<{ sha256: string; size: number }>;
  /** AppError('blob_not_found', 404) if absent. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /**
   * Many small blobs with one sync, their locations kept by the caller (storage.inline.ts): local
   * disk only. Undefined for a bucket, where small blobs stay in PostgreSQL with their rows instead.
   */
  packs?: Packs;
}

/** What a storage backend implements; keys reach it already validated, so it never checks them. */
export interface BlobBackend {
  /** Makes the blob durable under its key; a no-op if it is already there. */
  write(sha256: string, bytes: Buffer): Promise<void>;
  /** undefined when there is no such blob. */
  read(sha256: string): Promise<Buffer | undefined>;
  exists(sha256: string): Promise<boolean>;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

// Keys become file paths and URLs: anything but 64 lowercase hex digits (e.g. "../") stops here.
function checkKey(sha256: string): void {
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
    throw new AppError('invalid_blob_id', 400, 'A document id is 64 lowercase hexadecimal digits');
  }
}

function storeOver(backend: BlobBackend): BlobStore {
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      await backend.write(sha256, bytes);
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      checkKey(sha256);
      const bytes = await backend.read(sha256);
      if (!bytes) throw new AppError('blob_not_found', 404, `Document ${sha256} not found`);
      // Content addressing makes corruption (disk, bucket, proxy) detectable; never serve it.
      if (sha256Hex(bytes) !== sha256)
        throw new AppError('blob_corrupt', 500, `Document ${sha256} is corrupt`);
      return bytes;
    },
    async has(sha256) {
      checkKey(sha256);
      return backend.exists(sha256);
    },
  };
}

const stores = new WeakMap<StorageConfig, BlobStore>();

/** The store for this configuration, made once per config.storage object so routes may call it per request. */
export function blobStore(config: Pick<Config, 'storage'>): BlobStore {
  let store = stores.get(config.storage);
  if (!store) {
    const storage = config.storage;
    store =
      storage.kind === 'local'
        ? { ...storeOver(localBackend(storage.dir)), packs: localPacks(storage.dir) }
        : storeOver(s3Backend(storage));
    stores.set(storage, store);
  }
  return store;
}
