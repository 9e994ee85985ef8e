/**
 * A blob store in an S3-compatible object store (`s3://bucket/prefix`), for several servers sharing one set of
 * parts. Five calls of S3's REST API (PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2), path-style
 * and SigV4-signed with the SDK's own signer: `@aws-sdk/client-s3` is not a dependency, and these five calls are
 * all the engine needs. DuckDB reads local files, so a part is downloaded once into a local cache that keeps the
 * most recently used `cachedParts` (keys are immutable, so a cached copy is never stale). A question leases the
 * files it reads: a part the cache forgets while leased keeps its file until the last lease of it is released.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../../auth/node-sha256.js';
import { BoundedCache } from '../../../platform/bounded-cache.js';
import { tempDirPrefix } from '../../../platform/temp-dirs.js';
import type { BlobLease, BlobStore, BlobStoreSettings } from './blob-store.js';

export class S3BlobStore implements BlobStore {
  readonly description: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;
  private cacheDirectory: string | undefined;
  /** key → its downloaded local file. */
  private readonly cache: BoundedCache<string, Promise<string>>;
  /** key → how many leases hold it now. */
  private readonly leases = new Map<string, number>();
  /** Files the cache forgot while leased, removed when their last lease ends (or kept if read again). */
  private readonly forgotten = new Map<string, Promise<string>>();
  private sequence = 0;

  constructor(settings: BlobStoreSettings) {
    const url = new URL(settings.location);
    this.bucket = url.hostname;
    this.prefix = url.pathname.replace(/^\/+/, '').replace(/\/*$/, '/').replace(/^\/$/, '');
    this.description = `s3://${this.bucket}/${this.prefix}`;
    const region = settings.region ?? 'us-east-1';
    this.endpoint = new URL(settings.endpoint ?? `https://s3.${region}.amazonaws.com`);
    if (settings.credentials === undefined) {
      throw new Error('an s3:// cost store needs credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)');
    }
    this.signer = new SignatureV4({ service: 's3', region, sha256: NodeSha256, credentials: settings.credentials });
    this.cache = new BoundedCache(settings.cachedParts ?? 64, (key, file) => {
      if (this.leases.has(key)) this.forgotten.set(key, file);
      else removeDownload(file);
    });
  }

  private async request(
    method: string,
    key: string | undefined,
    query: Record<string, string> = {},
    body?: Buffer,
  ): Promise<Response> {
    const path = `${this.endpoint.pathname.replace(/\/$/, '')}/${this.bucket}${key === undefined ? '' : `/${key.split('/').map(encodeURIComponent).join('/')}`}`;
    // The payload's hash is signed (x-amz-content-sha256): hashing tens of MB natively takes milliseconds, and
    // S3-compatible servers that refuse UNSIGNED-PAYLOAD accept it.
    const signed = await this.signer.sign({
      method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port !== '' ? { port: Number(this.endpoint.port) } : {}),
      path,
      query,
      headers: {
        host: this.endpoint.host,
        'x-amz-content-sha256': createHash('sha256')
          .update(body ?? '')
          .digest('hex'),
        ...(body === undefined ? {} : { 'content-length': String(body.length) }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const search = new URLSearchParams(query).toString();
    return fetch(new URL(`${path}${search === '' ? '' : `?${search}`}`, this.endpoint), {
      method,
      headers: signed.headers as Record<string, string>,
      ...(body === undefined ? {} : { body }),
    });
  }

  private async expect(response: Response, what: string, ok: (status: number) => boolean = (s) => s < 300) {
    if (!ok(response.status)) {
      const text = await response.text().catch(() => '');
      throw new Error(`${what}: S3 answered ${response.status} ${text.slice(0, 300)}`);
    }
    return response;
  }

  async put(key: string, file: string): Promise<void> {
    const body = readFileSync(file);
    await this.expect(await this.request('PUT', this.prefix + key, {}, body), `PutObject ${key}`);
    unlinkSync(file);
  }

  async lease(keys: readonly string[]): Promise<BlobLease> {
    // Held before the downloads start: the cache may forget a key while its neighbours download.
    for (const key of keys) this.leases.set(key, (this.leases.get(key) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const key of keys) {
        const held = (this.leases.get(key) ?? 1) - 1;
        if (held > 0) {
          this.leases.set(key, held);
          continue;
        }
        this.leases.delete(key);
        const file = this.forgotten.get(key);
        this.forgotten.delete(key);
        if (file !== undefined) removeDownload(file);
      }
    };
    try {
      return { files: await Promise.all(keys.map((key) => this.local(key))), release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The key's local file: cached, or forgotten but still leased (then cached again), or downloaded now. */
  private local(key: string): Promise<string> {
    const file = this.cache.get(key) ?? this.forgotten.get(key) ?? this.download(key);
    this.forgotten.delete(key);
    // Read again counts as the newest: the cache keeps the most recently used parts.
    this.cache.set(key, file);
    file.catch(() => this.cache.delete(key));
    return file;
  }

  private async download(key: string): Promise<string> {
    const response = await this.expect(await this.request('GET', this.prefix + key), `GetObject ${key}`);
    this.cacheDirectory ??= mkdtempSync(tempDirPrefix('costs'));
    this.sequence += 1;
    const file = join(this.cacheDirectory, `${this.sequence}.parquet`);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return file;
  }

  async has(key: string): Promise<boolean> {
    const response = await this.expect(
      await this.request('HEAD', this.prefix + key),
      `HeadObject ${key}`,
      (s) => s < 300 || s === 404,
    );
    return response.status !== 404;
  }

  async delete(key: string): Promise<void> {
    await this.expect(await this.request('DELETE', this.prefix + key), `DeleteObject ${key}`);
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2', prefix: this.prefix + prefix };
      if (token !== undefined) query['continuation-token'] = token;
      const response = await this.expect(await this.request('GET', undefined, query), `ListObjectsV2 ${prefix}`);
      const xml = await response.text();
      for (const [, key] of xml.matchAll(/<Key>([^<]*)<\/Key>/g))
        keys.push(unescapeXml(key!).slice(this.prefix.length));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? unescapeXml(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '')
        : undefined;
    } while (token !== undefined && token !== '');
    return keys;
  }

  async close(): Promise<void> {
    this.cache.clear();
    this.forgotten.clear();
    if (this.cacheDirectory !== undefined) rmSync(this.cacheDirectory, { recursive: true, force: true });
    this.cacheDirectory = undefined;
  }
}

function removeDownload(file: Promise<string>): void {
  void file.then((path) => rmSync(path, { force: true })).catch(() => undefined);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
