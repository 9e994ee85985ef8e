/**
 * The web identity verifier over a stubbed network: ES256 and RS256 tokens, key rotation (an unknown kid
 * refetches the key set, at most once a minute), a token without kid against a one-key set, `azp` as the
 * audience, `nbf` in the future, the https rule for discovery and jwks_uri, and what each refusal says.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import type { OidcProvider } from '../oidc-providers.js';
import { WebIdentityVerifier, type FetchJson } from './web-identity.js';

const ISSUER = 'https://idp.example/tenant';
const NOW = new Date('2026-06-01T12:00:00Z');
const SECONDS = NOW.getTime() / 1000;
const provider: OidcProvider = {
  arn: 'arn:aws:iam::111122223333:oidc-provider/idp.example/tenant',
  accountId: '111122223333',
  issuer: ISSUER,
  url: 'idp.example/tenant',
  clientIds: ['app'],
  thumbprints: [],
  createdAt: NOW,
};
const providers = {
  findByIssuer: async (accountId: string, issuer: string) =>
    accountId === provider.accountId && issuer === ISSUER ? provider : undefined,
};

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part(header)}.${part({ iss: ISSUER, sub: 'alice', aud: 'app', exp: SECONDS + 60, ...claims })}`;
  const es = header.alg === 'ES256';
  const signature = sign('sha256', Buffer.from(signed), es ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${signed}.${signature.toString('base64url')}`;
}

/** A network serving the issuer's discovery document and the given key sets in turn, counting fetches. */
function network(...sets: Array<Array<Record<string, unknown>>>) {
  const calls: string[] = [];
  let served = 0;
  const fetchJson: FetchJson = async (url) => {
    calls.push(url);
    if (url === `${ISSUER}/.well-known/openid-configuration`) return { issuer: ISSUER, jwks_uri: `${ISSUER}/keys` };
    if (url === `${ISSUER}/keys`) return { keys: sets[Math.min(served++, sets.length - 1)] };
    throw new Error(`unreachable ${url}`);
  };
  return { calls, fetchJson };
}

const jwk = (key: KeyObject, kid?: string) => ({ ...key.export({ format: 'jwk' }), ...(kid ? { kid } : {}) });

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  assert.fail('expected a refusal');
}

describe('WebIdentityVerifier', () => {
  it('verifies an ES256 and an RS256 token and gives the trust policy its condition keys', async () => {
    const { fetchJson, calls } = network([jwk(ec.publicKey, 'e1'), jwk(rsa.publicKey, 'r1')]);
    const verifier = new WebIdentityVerifier(providers, fetchJson);
    const es = await verifier.verify(
      jwt({ alg: 'ES256', kid: 'e1' }, { amr: ['pwd'] }, ec.privateKey),
      '111122223333',
      NOW,
    );
    assert.equal(es.subject, 'alice');
    assert.deepEqual(es.context, {
      'idp.example/tenant:sub': 'alice',
      'idp.example/tenant:aud': 'app',
      'idp.example/tenant:iss': ISSUER,
      'idp.example/tenant:amr': ['pwd'],
      'aws:FederatedProvider': provider.arn,
    });
    const rs = await verifier.verify(jwt({ alg: 'RS256', kid: 'r1' }, {}, rsa.privateKey), '111122223333', NOW);
    assert.equal(rs.audience, 'app');
    assert.equal(calls.length, 2, 'the key set is fetched once and cached');
    // A key of the other type under the token's kid is refused.
    assert.match(
      await refusal(verifier.verify(jwt({ alg: 'ES256', kid: 'r1' }, {}, ec.privateKey), '111122223333', NOW)),
      /^InvalidIdentityToken: Unable to find a key/,
    );
  });

  it('refetches the key set for an unknown kid once a minute has passed (key rotation)', async () => {
    const { fetchJson, calls } = network([jwk(rsa.publicKey, 'old')], [jwk(ec.publicKey, 'new')]);
    const verifier = new WebIdentityVerifier(providers, fetchJson);
    await verifier.verify(jwt({ alg: 'RS256', kid: 'old' }, {}, rsa.privateKey), '111122223333', NOW);
    const rotated = jwt({ alg: 'ES256', kid: 'new' }, { exp: SECONDS + 600 }, ec.privateKey);
    assert.match(await refusal(verifier.verify(rotated, '111122223333', NOW)), /Unable to find a key/);
    assert.equal(calls.length, 2, 'no refetch within the minute');
    const later = new Date(NOW.getTime() + 61_000);
    assert.equal((await verifier.verify(rotated, '111122223333', later)).subject, 'alice');
    assert.equal(calls.length, 4);
  });

  it('takes a one-key set for a token without kid, and azp as the audience', async () => {
    const { fetchJson } = network([jwk(rsa.publicKey)]);
    const verifier = new WebIdentityVerifier(providers, fetchJson);
    const identity = await verifier.verify(
      jwt({ alg: 'RS256' }, { aud: 'someone', azp: 'app' }, rsa.privateKey),
      '111122223333',
      NOW,
    );
    assert.equal(identity.audience, 'app');
  });

  it('refuses what AWS refuses, with its codes', async () => {
    const { fetchJson } = network([jwk(rsa.publicKey, 'k')]);
    const verifier = new WebIdentityVerifier(providers, fetchJson);
    const token = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'k' }) =>
      verifier.verify(jwt(header, claims, rsa.privateKey), '111122223333', NOW);
    assert.match(await refusal(token({ nbf: SECONDS + 3600 })), /^InvalidIdentityToken: Token is not yet valid/);
    assert.match(await refusal(token({ exp: SECONDS })), /^ExpiredTokenException: Token expired/);
    assert.match(await refusal(token({ exp: undefined })), /^InvalidIdentityToken: Missing a required claim: exp$/);
    assert.match(await refusal(token({ sub: undefined })), /^InvalidIdentityToken: Missing a required claim: sub$/);
    assert.match(await refusal(token({ aud: ['x', 'y'] })), /^InvalidIdentityToken: Incorrect token audience$/);
    assert.match(await refusal(token({}, { alg: 'HS256', kid: 'k' })), /^InvalidIdentityToken: Unsupported/);
    assert.match(await refusal(token({}, { alg: 'none' })), /^InvalidIdentityToken: Unsupported/);
    // The provider is looked for in the role's account only.
    assert.match(
      await refusal(verifier.verify(jwt({ alg: 'RS256', kid: 'k' }, {}, rsa.privateKey), '999999999999', NOW)),
      /^InvalidIdentityToken: No OpenIDConnect provider found in your account for https:\/\/idp\.example\/tenant$/,
    );
  });

  it('does not ask a failing issuer again within a minute', async () => {
    let fetches = 0;
    const down: FetchJson = async () => {
      fetches++;
      throw new Error('connection refused');
    };
    const verifier = new WebIdentityVerifier(providers, down);
    const token = jwt({ alg: 'RS256', kid: 'k' }, { exp: SECONDS + 600 }, rsa.privateKey);
    for (const at of [NOW, new Date(NOW.getTime() + 30_000)]) {
      assert.match(await refusal(verifier.verify(token, '111122223333', at)), /^IDPCommunicationError: /);
    }
    assert.equal(fetches, 1);
    await refusal(verifier.verify(token, '111122223333', new Date(NOW.getTime() + 61_000)));
    assert.equal(fetches, 2);
  });

  it('fetches only over https, unless loopback http is allowed', async () => {
    const local = { ...provider, issuer: 'http://127.0.0.1:8080/idp', url: '127.0.0.1:8080/idp' };
    const localProviders = { findByIssuer: async () => local };
    const fetched: string[] = [];
    const fetchJson: FetchJson = async (url) => {
      fetched.push(url);
      return url.endsWith('openid-configuration')
        ? { jwks_uri: 'http://127.0.0.1:8080/idp/keys' }
        : { keys: [jwk(rsa.publicKey, 'k')] };
    };
    const token = jwt({ alg: 'RS256', kid: 'k' }, { iss: local.issuer }, rsa.privateKey);
    assert.match(
      await refusal(new WebIdentityVerifier(localProviders, fetchJson).verify(token, '111122223333', NOW)),
      /^IDPCommunicationError: /,
    );
    assert.deepEqual(fetched, [], 'nothing fetched over http without the setting');
    const allowed = new WebIdentityVerifier(localProviders, fetchJson, true);
    assert.equal((await allowed.verify(token, '111122223333', NOW)).subject, 'alice');

    // An https issuer whose discovery document points its keys at plain http is refused.
    const downgrade: FetchJson = async () => ({ jwks_uri: 'http://idp.example/keys' });
    assert.match(
      await refusal(
        new WebIdentityVerifier(providers, downgrade, true).verify(
          jwt({ alg: 'RS256', kid: 'k' }, {}, rsa.privateKey),
          '111122223333',
          NOW,
        ),
      ),
      /^IDPCommunicationError: The identity provider's URL http:\/\/idp\.example\/keys is not an https URL\.$/,
    );
  });
});
