import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { verifySigV4, type IncomingSignedRequest, type SigningKey } from '../../src/auth/sigv4.js';
import { ServiceError } from '../../src/core/errors.js';

interface VectorCase {
  name: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
  authorization: string;
}

const suite = JSON.parse(readFileSync(new URL('./vectors/aws-sigv4-suite.json', import.meta.url), 'utf8')) as {
  credentials: { accessKeyId: string; secretAccessKey: string };
  signingDate: string;
  cases: VectorCase[];
};

const key: SigningKey = { ...suite.credentials, active: true };
const now = new Date(suite.signingDate);

function toRequest(vector: VectorCase, authorization = vector.authorization): IncomingSignedRequest {
  return {
    method: vector.method,
    path: vector.path,
    query: vector.query,
    headers: [...Object.entries(vector.headers), ['Authorization', authorization]],
    body: vector.body,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the verification to fail');
}

describe('SigV4 verification against the AWS test suite', () => {
  for (const vector of suite.cases) {
    // The session-token vector is signed by temporary credentials whose token is the one it carries.
    const token = vector.headers['x-amz-security-token'];
    const lookupKey = (id: string) =>
      id === key.accessKeyId ? { ...key, ...(token === undefined ? {} : { sessionToken: token }) } : undefined;

    it(`accepts ${vector.name}`, async () => {
      const verified = await verifySigV4(toRequest(vector), { now, lookupKey });
      assert.equal(verified.key.accessKeyId, 'AKIDEXAMPLE');
      assert.equal(verified.parts.service, 'service');
      assert.equal(verified.parts.region, 'us-east-1');
    });

    it(`rejects ${vector.name} with one signature digit changed`, async () => {
      const last = vector.authorization.at(-1) === '0' ? '1' : '0';
      const tampered = vector.authorization.slice(0, -1) + last;
      const error = await rejection(verifySigV4(toRequest(vector, tampered), { now, lookupKey }));
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.equal(error.status, 403);
    });
  }
});
