/**
 * SigV4 verification of an incoming request. The signature is recomputed from the request as it arrived
 * with the AWS SDK's own signer (`@smithy/signature-v4`, hashing with Node's crypto) where canonicalisation
 * has subtleties — the canonical path and query, and the whole presigned form — so it matches what clients
 * do; the header form's canonical request is assembled here in the signer's exact layout (it is the hot
 * path), and the result is compared in constant time.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { createScope, getCanonicalQuery, getSigningKey, SHA256_HEADER, SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import { accessDenied, ServiceError } from '../core/errors.js';
import { NodeSha256 } from './node-sha256.js';
import { BoundedCache } from '../platform/bounded-cache.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

/** A request as received: the path and query string exactly as on the wire, headers as name/value pairs. */
export interface IncomingSignedRequest {
  method: string;
  /** The path without the query string, percent-encoded as it arrived. */
  path: string;
  /** The raw query string without `?` (empty when none). */
  query: string;
  /** Header pairs in arrival order (Node's `rawHeaders` pairs); repeated names are joined with `,`. */
  headers: Array<[string, string]>;
  body?: Uint8Array | string;
}

/** What the verifier needs to know about a key; the store's richer record may be passed through. */
export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  active: boolean;
  /** Temporary credentials carry a session token and an expiry. */
  sessionToken?: string;
  expiration?: Date;
}

/** The parts of a signature, read before verification so the server can route by the credential scope. */
export interface SignatureParts {
  form: 'header' | 'query';
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** `X-Amz-Date` as sent (`20150830T123600Z`). */
  amzDate: string;
  signedAt: Date;
  securityToken?: string;
  /** Presigned form only: seconds the URL stays valid. */
  expiresIn?: number;
}

export interface Verified<K extends SigningKey> {
  key: K;
  parts: SignatureParts;
}

const incompleteSignature = (message: string) => new ServiceError('IncompleteSignature', message);
export const invalidClientTokenId = () =>
  new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.');
export const signatureDoesNotMatch = () =>
  new ServiceError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. ' +
      'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
export const missingAuthenticationToken = () =>
  new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token');

/** Header values by lower-case name; repeated headers joined with `,` as SigV4 canonicalisation wants. */
export function headerMap(pairs: Array<[string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const existing = map.get(key);
    map.set(key, existing === undefined ? value : `${existing},${value}`);
  }
  return map;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The query string decoded into the signer's shape (repeated keys become arrays; `+` stays a plus). */
export function parseQueryForSigning(query: string): QueryParameterBag {
  // No prototype: a parameter named `__proto__` or `constructor` is a parameter like any other.
  const bag: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (query === '') return bag;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    const existing = bag[key];
    if (existing === undefined) bag[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else bag[key] = [existing, value];
  }
  return bag;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  // Built from its fields, not parsed from ISO text (several times faster), with the ranges the ISO parser
  // accepts: 24:00:00 and a day past the month's end roll over as they did there.
  if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 59) return undefined;
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0))) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function parseCredential(credential: string): Pick<SignatureParts, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts.some((p) => p === '')) {
    throw incompleteSignature(
      `Credential should be scoped to a valid region. Credential should be scoped correctly with the ` +
        `format AKID/YYYYMMDD/region/service/aws4_request.`,
    );
  }
  return { accessKeyId: parts[0]!, scopeDate: parts[1]!, region: parts[2]!, service: parts[3]! };
}

/**
 * The signed header names. AWS requires `host` among them (a signature must bind the endpoint it was made
 * for); order and duplicates are checked against the canonical request, where they make the signature fail.
 */
function signedHeaderList(text: string): string[] {
  const names = text.split(';');
  if (!names.includes('host')) {
    throw incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return names;
}

/**
 * Reads the signature's parts from the Authorization header or the presigned query parameters.
 * Returns null for an unsigned request; throws `IncompleteSignature` for a malformed one.
 */
export function readSignatureParts(headers: Map<string, string>, query: QueryParameterBag): SignatureParts | null {
  const authorization = headers.get('authorization');
  if (authorization !== undefined) {
    const trimmed = authorization.trim();
    if (!trimmed.startsWith(ALGORITHM + ' ')) {
      throw incompleteSignature(
        `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' ` +
          `parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${authorization}`,
      );
    }
    let credential: string | undefined;
    let signature: string | undefined;
    let signedHeaders: string | undefined;
    for (const piece of trimmed.slice(ALGORITHM.length + 1).split(',')) {
      const eq = piece.indexOf('=');
      if (eq <= 0) continue;
      const name = piece.slice(0, eq).trim();
      if (name === 'Credential') credential = piece.slice(eq + 1).trim();
      else if (name === 'Signature') signature = piece.slice(eq + 1).trim();
      else if (name === 'SignedHeaders') signedHeaders = piece.slice(eq + 1).trim();
    }
    if (credential === undefined || signature === undefined || signedHeaders === undefined) {
      const missing = [
        ['Credential', credential],
        ['Signature', signature],
        ['SignedHeaders', signedHeaders],
      ].filter(([, value]) => value === undefined);
      throw incompleteSignature(
        missing.map(([name]) => `Authorization header requires '${name}' parameter.`).join(' ') +
          ` Authorization=${authorization}`,
      );
    }
    const amzDate = headers.get('x-amz-date');
    if (amzDate === undefined) {
      throw incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    const signedAt = parseAmzDate(amzDate.trim());
    if (signedAt === undefined) throw incompleteSignature(`Invalid X-Amz-Date: ${amzDate}`);
    return {
      form: 'header',
      ...parseCredential(credential),
      signedHeaders: signedHeaderList(signedHeaders),
      signature,
      amzDate: amzDate.trim(),
      signedAt,
      securityToken: headers.get('x-amz-security-token'),
    };
  }
  const single = (name: string): string | undefined => {
    const value = query[name];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  if (single('X-Amz-Algorithm') === undefined && single('X-Amz-Signature') === undefined) return null;
  if (single('X-Amz-Algorithm') !== ALGORITHM) {
    throw incompleteSignature(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  const required = ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
  const absent = required.filter((name) => single(name) === undefined);
  if (absent.length > 0) {
    throw incompleteSignature(absent.map((name) => `AWS query-string parameters must include '${name}'.`).join(' '));
  }
  const amzDate = single('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw incompleteSignature(`Invalid X-Amz-Date: ${amzDate}`);
  const expiresText = single('X-Amz-Expires');
  const expiresIn = expiresText === undefined ? undefined : Number(expiresText);
  if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn < 0 || expiresIn > MAX_PRESIGN_SECONDS)) {
    throw new ServiceError(
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be non-negative and less than a week (604800 seconds)',
    );
  }
  return {
    form: 'query',
    ...parseCredential(single('X-Amz-Credential')!),
    signedHeaders: signedHeaderList(single('X-Amz-SignedHeaders')!),
    signature: single('X-Amz-Signature')!,
    amzDate,
    signedAt,
    securityToken: single('X-Amz-Security-Token'),
    expiresIn,
  };
}

function checkTime(parts: SignatureParts, now: Date): void {
  // The signing key is derived from the scope's date, so a scope of another day than X-Amz-Date is refused, in
  // AWS's words, rather than verified with a key of the request's own day.
  const day = parts.amzDate.slice(0, 8);
  if (parts.scopeDate !== day) {
    throw new ServiceError(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${parts.scopeDate}' != '${day}', from '${parts.amzDate}'.`,
    );
  }
  const at = parts.signedAt.getTime();
  const current = now.getTime();
  if (parts.form === 'query' && parts.expiresIn !== undefined) {
    if (current > at + parts.expiresIn * 1000) {
      throw accessDenied('Request has expired');
    }
  } else if (current - at > MAX_SKEW_MS) {
    throw new ServiceError(
      'RequestTimeTooSkewed',
      `Signature expired: ${parts.amzDate} is now earlier than ${formatAmzDate(new Date(current - MAX_SKEW_MS))} ` +
        `(${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (at - current > MAX_SKEW_MS) {
    throw new ServiceError(
      'RequestTimeTooSkewed',
      `Signature not yet current: ${parts.amzDate} is still later than ${formatAmzDate(new Date(current + MAX_SKEW_MS))} ` +
        `(${formatAmzDate(now)} + 15 min.)`,
    );
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  // Two empty strings are equal, but nothing was proven by them: an empty secret value never matches.
  if (a.length === 0 || b.length === 0) return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of where they differ.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  return path
    .split('/')
    .map((segment) => decodeComponent(segment))
    .join('/');
}

/**
 * The SDK signer's canonical path (segment normalisation and double URI-encoding): the second line of the
 * canonical request its protected `createCanonicalRequest` writes (an encoded path holds no line break).
 */
class PathCanonicaliser extends SignatureV4 {
  constructor() {
    super({
      service: 'unused',
      region: 'unused',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: NodeSha256,
    });
  }

  canonicalPath(path: string): string {
    if (path === '/') return '/';
    const request: HttpRequest = { method: 'GET', protocol: 'https:', hostname: '', path, query: {}, headers: {} };
    return this.createCanonicalRequest(request, {}, '').split('\n')[1]!;
  }
}

const pathCanonicaliser = new PathCanonicaliser();

// A header value as the SDK canonicalises it: line breaks become spaces, runs of spaces and tabs one space,
// and one leading and one trailing space go. Most values need none of that.
const NEEDS_CANONICAL_SPACING = /[\r\n\t]| {2}|^ | $/;

function canonicalHeaderValue(value: string): string {
  if (!NEEDS_CANONICAL_SPACING.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * The canonical request of the header form, written as the SDK's signer writes it (method, canonical path
 * and query from the SDK, `name:value` lines, the signed header list, the payload hash). Undefined when it
 * cannot match: a signed header did not arrive, or the list is not in the sorted, duplicate-free order
 * signers write.
 */
function headerFormCanonicalRequest(
  method: string,
  signerPath: string,
  query: QueryParameterBag,
  headers: Map<string, string>,
  signedHeaders: string[],
  payloadHash: string,
): string | undefined {
  let lines = '';
  let previous = '';
  for (const name of signedHeaders) {
    const value = headers.get(name);
    if (value === undefined || name <= previous) return undefined;
    lines += `${name}:${canonicalHeaderValue(value)}\n`;
    previous = name;
  }
  const canonicalQuery = Object.keys(query).length === 0 ? '' : getCanonicalQuery({ query } as HttpRequest);
  return `${method.toUpperCase()}\n${pathCanonicaliser.canonicalPath(signerPath)}\n${canonicalQuery}\n${lines}\n${signedHeaders.join(';')}\n${payloadHash}`;
}

/**
 * SigV4's string to sign (algorithm, date, scope, hex SHA-256 of the canonical request), hashed natively:
 * the SDK's `createStringToSign` goes through its async hash interface and a JavaScript hex encoder.
 */
function stringToSign(longDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** Hex SHA-256 in one native call (`crypto.hash` skips the Hash object `createHash` builds). */
function sha256Hex(data: Uint8Array | string): string {
  return hash('sha256', data, 'hex');
}

const SIGNATURE_HEX = /^[0-9a-f]{64}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNING_KEY_CACHE_LIMIT = 1000;
const signingKeys = new BoundedCache<string, Uint8Array>(SIGNING_KEY_CACHE_LIMIT);

async function signingKeyFor(key: SigningKey, accessKeyId: string, shortDate: string, region: string, service: string) {
  const cacheKey = `${accessKeyId}\n${key.secretAccessKey}\n${shortDate}\n${region}\n${service}`;
  let derived = signingKeys.get(cacheKey);
  if (derived === undefined) {
    derived = await getSigningKey(
      NodeSha256,
      { accessKeyId, secretAccessKey: key.secretAccessKey },
      shortDate,
      region,
      service,
    );
    signingKeys.set(cacheKey, derived);
  }
  return derived;
}

function payloadHashOf(body: Uint8Array | string | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return sha256Hex(body);
}

async function computeSignature(
  request: IncomingSignedRequest,
  headers: Map<string, string>,
  query: QueryParameterBag,
  parts: SignatureParts,
  key: SigningKey,
  signerPath: string,
): Promise<string | undefined> {
  if (parts.form === 'header') {
    // A client may sign a declared body hash (x-amz-content-sha256) instead of hashing the body; the caller
    // has checked that a declared hex hash is the body's. `UNSIGNED-PAYLOAD` and streaming markers are S3's:
    // the services served here always sign the payload, so the body's own hash goes in and such a signature
    // fails, as it does at AWS (a body swapped after signing is never accepted).
    const declared = parts.signedHeaders.includes(SHA256_HEADER) ? headers.get(SHA256_HEADER) : undefined;
    const payloadHash = declared !== undefined && SHA256_HEX.test(declared) ? declared : payloadHashOf(request.body);
    const canonical = headerFormCanonicalRequest(
      request.method,
      signerPath,
      query,
      headers,
      parts.signedHeaders,
      payloadHash,
    );
    // No canonical request can be built (a signed header is missing, repeated or out of order): nothing to
    // compare, so the request is refused — never compared as an empty signature.
    if (canonical === undefined) return undefined;
    const shortDate = parts.amzDate.slice(0, 8);
    const signingKey = await signingKeyFor(key, parts.accessKeyId, shortDate, parts.region, parts.service);
    return createHmac('sha256', signingKey)
      .update(stringToSign(parts.amzDate, createScope(shortDate, parts.region, parts.service), canonical))
      .digest('hex');
  }
  const signed = new Set(parts.signedHeaders);
  // The signer takes a signed x-amz-content-sha256 as the payload's hash. A hex one was checked against the body;
  // `UNSIGNED-PAYLOAD` or a streaming marker would let a body be swapped after signing, as the header form
  // refuses (above): no signature can match.
  const declared = signed.has(SHA256_HEADER) ? headers.get(SHA256_HEADER) : undefined;
  if (declared !== undefined && !SHA256_HEX.test(declared)) return undefined;
  const signedHeaderBag: Record<string, string> = {};
  for (const name of signed) {
    const value = headers.get(name);
    if (value !== undefined) signedHeaderBag[name] = value;
  }
  const httpRequest: HttpRequest = {
    method: request.method.toUpperCase(),
    protocol: 'https:',
    hostname: headers.get('host') ?? '',
    path: signerPath,
    query,
    headers: signedHeaderBag,
    body: request.body === undefined || request.body.length === 0 ? undefined : request.body,
  };
  const signer = new SignatureV4({
    service: parts.service,
    region: parts.region,
    // The token travels in the query itself, so the signer must not add one.
    credentials: { accessKeyId: parts.accessKeyId, secretAccessKey: key.secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const result = await signer.presign(httpRequest, {
    signingDate: parts.signedAt,
    expiresIn: parts.expiresIn ?? 3600,
    signableHeaders: signed,
    unhoistableHeaders: signed,
    signingRegion: parts.region,
    signingService: parts.service,
  });
  const signature = result.query?.['X-Amz-Signature'];
  return typeof signature === 'string' ? signature : undefined;
}

/**
 * Verifies a signed request. `lookupKey` finds the key by id (long-term or temporary); `now` is the
 * server's clock, injected so the skew rules can be tested.
 */
export async function verifySigV4<K extends SigningKey>(
  request: IncomingSignedRequest,
  options: { now: Date; lookupKey: (accessKeyId: string) => Promise<K | undefined> | K | undefined },
  prepared?: { headers: Map<string, string>; query: QueryParameterBag; parts: SignatureParts | null },
): Promise<Verified<K>> {
  const headers = prepared?.headers ?? headerMap(request.headers);
  const query = prepared?.query ?? parseQueryForSigning(request.query);
  const parts = prepared === undefined ? readSignatureParts(headers, query) : prepared.parts;
  if (parts === null) throw missingAuthenticationToken();
  checkTime(parts, options.now);

  const key = await options.lookupKey(parts.accessKeyId);
  if (key === undefined || !key.active) throw invalidClientTokenId();
  if (key.sessionToken !== undefined) {
    if (parts.securityToken === undefined || !constantTimeEqual(parts.securityToken, key.sessionToken)) {
      throw invalidClientTokenId();
    }
  } else if (parts.securityToken !== undefined && parts.securityToken !== '') {
    throw invalidClientTokenId();
  }

  // A client may sign a declared body hash instead of the body; the declaration must then be true.
  const declaredHash = headers.get('x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && !declaredHash.startsWith('STREAMING-')) {
    const actual = sha256Hex(request.body ?? '');
    if (declaredHash.toLowerCase() !== actual) {
      throw new ServiceError(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
  }

  // A signature is 64 lower-case hex digits (HMAC-SHA256); anything else cannot match, whatever is computed.
  if (!SIGNATURE_HEX.test(parts.signature)) throw signatureDoesNotMatch();
  const decodedPath = decodePath(request.path);
  const matchesFor = async (path: string) => {
    const expected = await computeSignature(request, headers, query, parts, key, path);
    return expected !== undefined && constantTimeEqual(expected, parts.signature);
  };
  // Most SDKs sign the path already percent-encoded (so its canonical form is encoded twice); the AWS
  // test suite signs the decoded path. Accept either reading of a path that carried escapes.
  const matches = (await matchesFor(decodedPath)) || (decodedPath !== request.path && (await matchesFor(request.path)));
  if (!matches) throw signatureDoesNotMatch();

  if (key.expiration !== undefined && options.now.getTime() >= key.expiration.getTime()) {
    throw new ServiceError('ExpiredToken', 'The security token included in the request is expired');
  }
  return { key, parts };
}
