import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifySigV4, type IncomingSignedRequest, type SigningKey } from '../../src/auth/sigv4.js';
import { ServiceError } from '../../src/core/errors.js';
import { presignRequest, signRequest } from './sign-request.js';

const at = new Date('2026-11-27T12:00:00Z');
const longTerm: SigningKey = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  active: true,
};
const temporary: SigningKey = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  active: true,
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN',
  expiration: new Date('2026-11-27T13:00:00Z'),
};
const keys = new Map([longTerm, temporary].map((k) => [k.accessKeyId, k]));
const lookupKey = (id: string) => keys.get(id);

const listUsers = {
  body: 'Action=ListUsers&Version=2010-05-08',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
};

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the verification to fail');
}

const withHeader = (request: IncomingSignedRequest, name: string, value: string): IncomingSignedRequest => ({
  ...request,
  headers: [...request.headers.filter(([n]) => n.toLowerCase() !== name), [name, value]],
});

describe('SigV4 verification: what it refuses', () => {
  it('accepts a correctly signed Query request', async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const verified = await verifySigV4(request, { now: at, lookupKey });
    assert.equal(verified.parts.service, 'iam');
    assert.equal(verified.parts.form, 'header');
  });

  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    const error = await rejection(
      verifySigV4(
        { method: 'POST', path: '/', query: '', headers: [['host', 'x']], body: listUsers.body },
        {
          now: at,
          lookupKey,
        },
      ),
    );
    assert.deepEqual(
      [error.code, error.status, error.message],
      ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
    );
  });

  it("refuses a credential scope dated another day than X-Amz-Date, in AWS's words", async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const redated = {
      ...request,
      headers: request.headers.map(([name, value]): [string, string] =>
        name.toLowerCase() === 'authorization' ? [name, value.replace('/20261127/', '/19990101/')] : [name, value],
      ),
    };
    const error = await rejection(verifySigV4(redated, { now: at, lookupKey }));
    assert.deepEqual(
      [error.code, error.message],
      [
        'SignatureDoesNotMatch',
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '19990101' != '20261127', from '20261127T120000Z'.",
      ],
    );
  });

  it('refuses an unknown access key with InvalidClientTokenId', async () => {
    const request = await signRequest(listUsers, { ...longTerm, accessKeyId: 'AKIANOTAREALKEY00000' }, { at });
    const error = await rejection(verifySigV4(request, { now: at, lookupKey }));
    assert.deepEqual(
      [error.code, error.status, error.message],
      ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    );
  });

  it('refuses an inactive access key with InvalidClientTokenId', async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const error = await rejection(verifySigV4(request, { now: at, lookupKey: () => ({ ...longTerm, active: false }) }));
    assert.equal(error.code, 'InvalidClientTokenId');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const request = await signRequest(listUsers, { ...longTerm, secretAccessKey: 'x'.repeat(40) }, { at });
    const error = await rejection(verifySigV4(request, { now: at, lookupKey }));
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.match(error.message, /^The request signature we calculated does not match the signature you provided\./);
  });

  it('refuses a body changed after signing', async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const error = await rejection(
      verifySigV4({ ...request, body: 'Action=DeleteUser&Version=2010-05-08&UserName=Bob' }, { now: at, lookupKey }),
    );
    assert.equal(error.code, 'SignatureDoesNotMatch');
  });

  it('refuses a body that does not match its signed x-amz-content-sha256', async () => {
    const declared = {
      ...listUsers,
      headers: {
        ...listUsers.headers,
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
    };
    const request = await signRequest(declared, longTerm, { at });
    const error = await rejection(verifySigV4(request, { now: at, lookupKey }));
    assert.equal(error.code, 'XAmzContentSHA256Mismatch');
  });

  it('refuses a signed header changed after signing', async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const changed = withHeader(request, 'content-type', 'application/json');
    const error = await rejection(verifySigV4(changed, { now: at, lookupKey }));
    assert.equal(error.code, 'SignatureDoesNotMatch');
  });

  it('accepts a clock 14 minutes off either way, refuses 16 with RequestTimeTooSkewed', async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const minutes = (m: number) => new Date(at.getTime() + m * 60_000);
    await verifySigV4(request, { now: minutes(14), lookupKey });
    await verifySigV4(request, { now: minutes(-14), lookupKey });
    const late = await rejection(verifySigV4(request, { now: minutes(16), lookupKey }));
    assert.equal(late.code, 'RequestTimeTooSkewed');
    assert.equal(
      late.message,
      'Signature expired: 20261127T120000Z is now earlier than 20261127T120100Z (20261127T121600Z - 15 min.)',
    );
    const early = await rejection(verifySigV4(request, { now: minutes(-16), lookupKey }));
    assert.equal(early.code, 'RequestTimeTooSkewed');
    assert.match(early.message, /^Signature not yet current: 20261127T120000Z is still later than/);
  });

  it('refuses a malformed Authorization header with IncompleteSignature', async () => {
    const request = await signRequest(listUsers, longTerm, { at });
    const broken = withHeader(request, 'authorization', 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127');
    const error = await rejection(verifySigV4(broken, { now: at, lookupKey }));
    assert.equal(error.code, 'IncompleteSignature');
    assert.equal(error.status, 400);
  });

  it('accepts temporary credentials with their session token', async () => {
    const request = await signRequest(listUsers, temporary, { at });
    const verified = await verifySigV4(request, { now: at, lookupKey });
    assert.equal(verified.key.accessKeyId, temporary.accessKeyId);
  });

  it('refuses temporary credentials without or with a wrong session token', async () => {
    const { sessionToken: _omitted, ...withoutToken } = temporary;
    const bare = await signRequest(listUsers, withoutToken, { at });
    assert.equal((await rejection(verifySigV4(bare, { now: at, lookupKey }))).code, 'InvalidClientTokenId');
    const wrong = await signRequest(listUsers, { ...temporary, sessionToken: 'IQoJb3JpZ2luX2VjWRONG' }, { at });
    assert.equal((await rejection(verifySigV4(wrong, { now: at, lookupKey }))).code, 'InvalidClientTokenId');
  });

  it('refuses expired temporary credentials with ExpiredToken', async () => {
    const later = new Date('2026-11-27T13:05:00Z');
    const request = await signRequest(listUsers, temporary, { at: later });
    const error = await rejection(verifySigV4(request, { now: later, lookupKey }));
    assert.deepEqual(
      [error.code, error.message],
      ['ExpiredToken', 'The security token included in the request is expired'],
    );
  });

  it('accepts a presigned request and refuses it once expired or tampered with', async () => {
    const request = await presignRequest(
      { method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } },
      longTerm,
      { at, expiresIn: 60 },
    );
    const verified = await verifySigV4(request, { now: at, lookupKey });
    assert.equal(verified.parts.form, 'query');
    assert.equal(verified.parts.service, 'sts');
    const expired = await rejection(verifySigV4(request, { now: new Date(at.getTime() + 61_000), lookupKey }));
    assert.equal(expired.code, 'AccessDenied');
    const tampered = { ...request, query: request.query.replace('GetCallerIdentity', 'GetSessionToken') };
    assert.equal((await rejection(verifySigV4(tampered, { now: at, lookupKey }))).code, 'SignatureDoesNotMatch');
  });
});

/**
 * The authentication bypass of issue 9: a signature that proves nothing (empty, short, not hex) or a
 * canonical request that cannot be built (a signed header not sent, repeated, out of order) must never be
 * compared as equal to an empty computed signature. Every variant, in the header and the presigned form,
 * with the key's real id and no secret.
 */
describe('SigV4 verification: signatures that prove nothing are refused', () => {
  const day = '20261127';
  const amzDate = '20261127T120000Z';
  const credential = `${longTerm.accessKeyId}/${day}/us-east-1/iam/aws4_request`;
  const forged = (signedHeaders: string, signature: string, extra: Array<[string, string]> = []) =>
    ({
      method: 'POST',
      path: '/',
      query: '',
      headers: [
        ['host', '127.0.0.1:4566'],
        ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'],
        ['x-amz-date', amzDate],
        ...extra,
        [
          'authorization',
          `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
        ],
      ],
      body: listUsers.body,
    }) satisfies IncomingSignedRequest;

  const variants: Array<[string, string, string, string]> = [
    ['an empty signature over an unsent header', 'host;x-not-sent', '', 'SignatureDoesNotMatch'],
    ['an empty signature over a repeated header', 'host;host', '', 'SignatureDoesNotMatch'],
    ['an empty signature over headers out of order', 'x-amz-date;host', '', 'SignatureDoesNotMatch'],
    ['an empty signature over valid headers', 'host;x-amz-date', '', 'SignatureDoesNotMatch'],
    ['a short signature', 'host;x-amz-date', 'abc', 'SignatureDoesNotMatch'],
    ['a signature one digit short', 'host;x-amz-date', 'a'.repeat(63), 'SignatureDoesNotMatch'],
    ['a signature one digit long', 'host;x-amz-date', 'a'.repeat(65), 'SignatureDoesNotMatch'],
    ['a 64-character signature that is not hex', 'host;x-amz-date', 'z'.repeat(64), 'SignatureDoesNotMatch'],
    ['64 zeros over an unsent header', 'host;x-not-sent', '0'.repeat(64), 'SignatureDoesNotMatch'],
    ['an empty signature without host signed', 'x-amz-date', '', 'IncompleteSignature'],
    ['an empty signature with nothing signed', '', '', 'IncompleteSignature'],
  ];
  for (const [name, signedHeaders, signature, code] of variants) {
    it(`refuses ${name} (header form) with ${code}`, async () => {
      const error = await rejection(verifySigV4(forged(signedHeaders, signature), { now: at, lookupKey }));
      assert.equal(error.code, code);
    });
  }

  it('refuses a correct signature whose signed headers leave out host', async () => {
    // Signed with host, then presented as if host had not been signed.
    const request = await signRequest(listUsers, longTerm, { at });
    const authorization = request.headers.find(([n]) => n.toLowerCase() === 'authorization')![1];
    const withoutHost = authorization.replace(
      /SignedHeaders=([^,]*)/,
      (_m, list: string) =>
        `SignedHeaders=${list
          .split(';')
          .filter((h) => h !== 'host')
          .join(';')}`,
    );
    const error = await rejection(
      verifySigV4(withHeader(request, 'authorization', withoutHost), { now: at, lookupKey }),
    );
    assert.equal(error.code, 'IncompleteSignature');
    assert.match(error.message, /'Host' or ':authority' must be a 'SignedHeader'/);
  });

  it('refuses UNSIGNED-PAYLOAD in the header form, so a body cannot be swapped after signing', async () => {
    const unsigned = { ...listUsers, headers: { ...listUsers.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
    const request = await signRequest(unsigned, longTerm, { at });
    const swapped = { ...request, body: 'Action=DeleteUser&Version=2010-05-08&UserName=Bob' };
    assert.equal((await rejection(verifySigV4(swapped, { now: at, lookupKey }))).code, 'SignatureDoesNotMatch');
    assert.equal((await rejection(verifySigV4(request, { now: at, lookupKey }))).code, 'SignatureDoesNotMatch');
  });

  it('refuses UNSIGNED-PAYLOAD in the presigned form too, and accepts a presigned body whose hash it signed', async () => {
    const presignPost = (hash: string) =>
      presignRequest(
        { method: 'POST', ...listUsers, headers: { ...listUsers.headers, 'x-amz-content-sha256': hash } },
        longTerm,
        { service: 'iam', at, expiresIn: 60, unhoistableHeaders: new Set(['x-amz-content-sha256']) },
      );
    const unsigned = await presignPost('UNSIGNED-PAYLOAD');
    assert.match(unsigned.query, /X-Amz-SignedHeaders=[^&]*x-amz-content-sha256/);
    const swapped = { ...unsigned, body: 'Action=CreateUser&UserName=swapped&Version=2010-05-08' };
    assert.equal((await rejection(verifySigV4(swapped, { now: at, lookupKey }))).code, 'SignatureDoesNotMatch');
    assert.equal((await rejection(verifySigV4(unsigned, { now: at, lookupKey }))).code, 'SignatureDoesNotMatch');
    const hashed = await presignPost(createHash('sha256').update(listUsers.body).digest('hex'));
    assert.equal((await verifySigV4(hashed, { now: at, lookupKey })).parts.form, 'query');
    const hashedSwapped = { ...hashed, body: 'Action=CreateUser&UserName=swapped&Version=2010-05-08' };
    assert.equal(
      (await rejection(verifySigV4(hashedSwapped, { now: at, lookupKey }))).code,
      'XAmzContentSHA256Mismatch',
    );
  });

  const presigned = (signedHeaders: string, signature: string) => {
    const query = new URLSearchParams({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${longTerm.accessKeyId}/${day}/us-east-1/sts/aws4_request`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': '300',
      'X-Amz-SignedHeaders': signedHeaders,
      'X-Amz-Signature': signature,
    });
    return {
      method: 'GET',
      path: '/',
      query: query.toString(),
      headers: [['host', '127.0.0.1:4566']],
    } satisfies IncomingSignedRequest;
  };
  const presignedVariants: Array<[string, string, string, string]> = [
    ['an empty signature', 'host', '', 'SignatureDoesNotMatch'],
    ['an empty signature over an unsent header', 'host;x-not-sent', '', 'SignatureDoesNotMatch'],
    ['an empty signature over a repeated header', 'host;host', '', 'SignatureDoesNotMatch'],
    ['a short signature', 'host', 'abc', 'SignatureDoesNotMatch'],
    ['a wrong-length signature', 'host', 'a'.repeat(65), 'SignatureDoesNotMatch'],
    ['64 zeros', 'host', '0'.repeat(64), 'SignatureDoesNotMatch'],
    ['an empty signature without host signed', 'x-amz-date', '', 'IncompleteSignature'],
  ];
  for (const [name, signedHeaders, signature, code] of presignedVariants) {
    it(`refuses ${name} (presigned form) with ${code}`, async () => {
      const error = await rejection(verifySigV4(presigned(signedHeaders, signature), { now: at, lookupKey }));
      assert.equal(error.code, code);
    });
  }
});
