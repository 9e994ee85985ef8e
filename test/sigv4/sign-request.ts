/**
 * Client-side signing for tests and benchmarks: signs a request with the SDK's signer and returns it in
 * the shape the server receives (raw path, raw query, header pairs).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { IncomingSignedRequest } from '../../src/auth/sigv4.js';

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method?: string;
  host?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function toIncoming(signed: HttpRequest): IncomingSignedRequest {
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encode(k)}=${encode(String(v))}`)
    .join('&');
  return {
    method: signed.method,
    path: signed.path,
    query,
    headers: Object.entries(signed.headers).map(([k, v]) => [k, String(v)]),
    body: signed.body as string | undefined,
  };
}

function httpRequest(input: RequestToSign): HttpRequest {
  const host = input.host ?? '127.0.0.1:4566';
  return {
    method: input.method ?? 'POST',
    protocol: 'http:',
    hostname: host,
    path: input.path ?? '/',
    query: { ...(input.query ?? {}) },
    headers: { host, ...(input.headers ?? {}) },
    body: input.body,
  };
}

function signer(credentials: TestCredentials, service: string, region: string): SignatureV4 {
  return new SignatureV4({ credentials, service, region, sha256: Sha256, applyChecksum: false });
}

export async function signRequest(
  input: RequestToSign,
  credentials: TestCredentials,
  options: { service?: string; region?: string; at: Date },
): Promise<IncomingSignedRequest> {
  const signed = await signer(credentials, options.service ?? 'iam', options.region ?? 'us-east-1').sign(
    httpRequest(input),
    { signingDate: options.at },
  );
  return toIncoming(signed);
}

export async function presignRequest(
  input: RequestToSign,
  credentials: TestCredentials,
  options: { service?: string; region?: string; at: Date; expiresIn: number; unhoistableHeaders?: Set<string> },
): Promise<IncomingSignedRequest> {
  const signed = await signer(credentials, options.service ?? 'sts', options.region ?? 'us-east-1').presign(
    httpRequest(input),
    {
      signingDate: options.at,
      expiresIn: options.expiresIn,
      ...(options.unhoistableHeaders === undefined ? {} : { unhoistableHeaders: options.unhoistableHeaders }),
    },
  );
  return toIncoming(signed);
}
