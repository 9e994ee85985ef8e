/**
 * A minimal S3-compatible server for the cost blob store's tests: the five calls S3BlobStore makes
 * (PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2, path-style), objects in memory, every request's
 * SigV4 signature verified with Bursar's own verifier. `@aws-sdk/client-s3` and any S3 server are not in
 * node_modules (and dependencies are not added for a test), so the tests serve the subset themselves; it answers
 * as S3 does for what it implements (404 NoSuchKey/NoSuchBucket, 403 for a bad signature, ListObjectsV2's
 * MaxKeys pages with continuation tokens) and 501 for anything else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4 } from '../../src/auth/sigv4.js';

export interface TestS3 {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** bucket → key → bytes. */
  objects: Map<string, Map<string, Buffer>>;
  /** How many requests each operation received. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function startTestS3(buckets: string[], pageSize = 1000): Promise<TestS3> {
  const credentials = { accessKeyId: 'AKIATESTS3BLOBSTORE0', secretAccessKey: 'test-s3-secret-key-for-the-blob-store' };
  const objects = new Map(buckets.map((b) => [b, new Map<string, Buffer>()]));
  const calls = new Map<string, number>();
  const count = (operation: string) => calls.set(operation, (calls.get(operation) ?? 0) + 1);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const [rawPath = '/', rawQuery = ''] = (request.url ?? '/').split('?');
        const reply = (status: number, code?: string, text = '') => {
          if (code !== undefined) {
            text = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`;
          }
          response.writeHead(status, { 'content-type': 'application/xml' }).end(request.method === 'HEAD' ? '' : text);
        };
        const pairs: Array<[string, string]> = [];
        try {
          for (let i = 0; i < request.rawHeaders.length; i += 2) {
            pairs.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
          }
          await verifySigV4(
            { method: request.method!, path: rawPath, query: rawQuery, headers: pairs, body },
            {
              now: new Date(),
              lookupKey: (id) => (id === credentials.accessKeyId ? { ...credentials, active: true } : undefined),
            },
          );
        } catch {
          return reply(403, 'SignatureDoesNotMatch');
        }
        const [, bucketName = '', ...keyParts] = rawPath.split('/');
        const bucket = objects.get(decodeURIComponent(bucketName));
        if (bucket === undefined) return reply(404, 'NoSuchBucket');
        const key = keyParts.map(decodeURIComponent).join('/');
        const query = new URLSearchParams(rawQuery);
        if (key === '' && request.method === 'GET' && query.get('list-type') === '2') {
          count('ListObjectsV2');
          const prefix = query.get('prefix') ?? '';
          const after = query.get('continuation-token') ?? '';
          const matching = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
          const page = matching.slice(0, pageSize);
          const truncated = matching.length > page.length;
          return reply(
            200,
            undefined,
            `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xml(bucketName)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${page.map((k) => `<Contents><Key>${xml(k)}</Key><Size>${bucket.get(k)!.length}</Size></Contents>`).join('')}${truncated ? `<NextContinuationToken>${xml(page.at(-1)!)}</NextContinuationToken>` : ''}</ListBucketResult>`,
          );
        }
        if (key === '') return reply(501, 'NotImplemented');
        const object = bucket.get(key);
        switch (request.method) {
          case 'PUT':
            count('PutObject');
            bucket.set(key, body);
            return reply(200);
          case 'GET':
            count('GetObject');
            if (object === undefined) return reply(404, 'NoSuchKey');
            response.writeHead(200, { 'content-length': object.length }).end(object);
            return;
          case 'HEAD':
            count('HeadObject');
            if (object === undefined) return reply(404);
            response.writeHead(200, { 'content-length': object.length }).end();
            return;
          case 'DELETE':
            count('DeleteObject');
            bucket.delete(key);
            response.writeHead(204).end();
            return;
          default:
            return reply(501, 'NotImplemented');
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    objects,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
