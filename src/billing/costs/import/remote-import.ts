/**
 * The client side of `bursar import --endpoint`: a JSON 1.1 call to `BursarService.<Operation>`, signed with
 * SigV4 (service `bursar`) from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN and
 * AWS_REGION / AWS_DEFAULT_REGION. `bursar scenario` also calls the Billing endpoint's operations no AWS SDK
 * has (`AWSBilling.*`, JSON 1.0, service `billing`; `AWSPortal.*`, JSON 1.1, service `aws-portal`) through it.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RemoteResponse {
  status: number;
  body: string;
}

/** Which JSON API a call goes to: its SigV4 signing name, X-Amz-Target prefix and JSON version. */
export interface JsonApi {
  signingName: string;
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
}
export const BURSAR_API: JsonApi = { signingName: 'bursar', targetPrefix: 'BursarService', jsonVersion: '1.1' };
export const BILLING_API: JsonApi = { signingName: 'billing', targetPrefix: 'AWSBilling', jsonVersion: '1.0' };
export const AWS_PORTAL_API: JsonApi = { signingName: 'aws-portal', targetPrefix: 'AWSPortal', jsonVersion: '1.1' };

export async function signedJsonRequest(
  endpoint: string,
  operation: string,
  input: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  api: JsonApi = BURSAR_API,
): Promise<RemoteResponse> {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to sign requests to --endpoint');
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({
    service: api.signingName,
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port !== '' ? { port: Number(url.port) } : {}),
    path: url.pathname === '' ? '/' : url.pathname,
    headers: {
      host: url.host,
      'content-type': `application/x-amz-json-${api.jsonVersion}`,
      'x-amz-target': `${api.targetPrefix}.${operation}`,
    },
    body,
  });
  const response = await fetch(new URL(url.pathname || '/', url), {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** A cost file as ImportCostData carries it: plain CSV gzipped (the importer recognises gzip by content). */
export async function uploadOf(file: string): Promise<{ FileName: string; Content: string }> {
  const raw = await readFile(file);
  const compressed = raw[0] === 0x1f && raw[1] === 0x8b ? true : raw.subarray(0, 4).toString('latin1') === 'PAR1';
  return { FileName: basename(file), Content: (compressed ? raw : gzipSync(raw)).toString('base64') };
}

/**
 * Cost files sent as one `bursar:ImportCostData` call, one import: a single file as `FileName`/`Content`, several
 * (the parts of one export) as `Files`, so that the billing periods they share are replaced by all of them
 * together.
 */
export async function importFilesRemote(
  endpoint: string,
  uploads: ReadonlyArray<{ FileName: string; Content: string }>,
  account: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RemoteResponse> {
  const input = uploads.length === 1 ? { ...uploads[0]! } : { Files: [...uploads] };
  return signedJsonRequest(endpoint, 'ImportCostData', { AccountId: account, ...input }, env);
}
