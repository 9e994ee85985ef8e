/** A blob store in a local directory: one file per key. DuckDB reads the blobs in place. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { BlobLease, BlobStore } from './blob-store.js';

export class LocalBlobStore implements BlobStore {
  readonly description: string;

  constructor(private readonly directory: string) {
    this.description = `dir:${directory}`;
  }

  private path(key: string): string {
    if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw new Error(`invalid blob key: ${key}`);
    }
    return join(this.directory, ...key.split('/'));
  }

  async put(key: string, file: string): Promise<void> {
    const target = this.path(key);
    mkdirSync(dirname(target), { recursive: true });
    // Written beside the target and renamed: a reader never sees half a blob.
    const partial = `${target}.partial`;
    try {
      renameSync(file, partial);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(file, partial);
      unlinkSync(file);
    }
    renameSync(partial, target);
  }

  /** The blobs themselves: a directory's files need no holding. */
  async lease(keys: readonly string[]): Promise<BlobLease> {
    return { files: keys.map((key) => this.path(key)), release: () => undefined };
  }

  async has(key: string): Promise<boolean> {
    return existsSync(this.path(key));
  }

  async delete(key: string): Promise<void> {
    rmSync(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const base = join(this.directory, ...prefix.split('/').filter((s) => s !== ''));
    if (!existsSync(base)) return [];
    return readdirSync(base, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.partial'))
      .map((entry) => relative(this.directory, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }

  async close(): Promise<void> {}
}
