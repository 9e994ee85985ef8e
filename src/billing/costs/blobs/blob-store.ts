/**
 * Where the bytes of cost parts (line item and rollup Parquet files) live. The relational store says which parts
 * exist (billing_cost_part); a blob store only keeps bytes under immutable keys, so a part is never overwritten:
 * a re-import writes new keys and retires the old ones. DuckDB reads parts as local files, so `lease` hands
 * out one (the blob itself for a directory store, a cached download for an object store).
 *
 * Chosen by `BURSAR_COST_STORE`: a directory (default `<data dir>/cost-parts`), or `s3://bucket/prefix` for any
 * S3-compatible object store shared by several servers (s3-blob-store.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { tempDirPrefix } from '../../../platform/temp-dirs.js';
import type { Database } from '../../../store/schema.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

export interface BlobStore {
  /** For logs and the bench: `dir:/path` or `s3://bucket/prefix`. */
  readonly description: string;
  /** Stores the file's bytes under `key` (the file itself may be moved away). */
  put(key: string, file: string): Promise<void>;
  /**
   * Local files with these blobs' bytes, in order, kept for the holder until it releases the lease (or the blob
   * is deleted): a question reads its parts while other questions fill an object store's bounded cache.
   */
  lease(keys: readonly string[]): Promise<BlobLease>;
  /** Whether a blob exists (HeadObject). */
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every key under `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** Releases local copies. */
  close(): Promise<void>;
}

export interface BlobLease {
  readonly files: string[];
  /** Says the files are no longer read; call it once. */
  release(): void;
}

export interface BlobStoreSettings {
  /** A directory, or `s3://bucket/prefix`. */
  location: string;
  /** S3-compatible endpoint (`http://host:port`); AWS's regional endpoint when absent. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** How many downloaded parts an object store's local cache keeps. */
  cachedParts?: number;
}

export function openBlobStore(settings: BlobStoreSettings): BlobStore {
  if (settings.location.startsWith('s3://')) return new S3BlobStore(settings);
  return new LocalBlobStore(settings.location);
}

/**
 * The blob store of each open database in this process, so every Billing over one database (a second engine in
 * a test, the browser tests' helper) reads the same parts. A database nobody configured one for gets a temporary
 * directory, removed when the process exits: the ephemeral store's parts are as short-lived as its rows.
 */
const stores = new WeakMap<Kysely<Database>, BlobStore>();
const temporary = new Set<string>();
process.once('exit', () => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});

export function blobStoreOf(db: Kysely<Database>, configured?: BlobStore): BlobStore {
  if (configured !== undefined) {
    stores.set(db, configured);
    return configured;
  }
  let store = stores.get(db);
  if (store === undefined) {
    const directory = mkdtempSync(tempDirPrefix('costs'));
    temporary.add(directory);
    store = new LocalBlobStore(directory);
    stores.set(db, store);
  }
  return store;
}
