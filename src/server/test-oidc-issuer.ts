/**
 * A TEST OpenID Connect issuer, served only when the server is started with it (BURSAR_TEST_OIDC_ISSUER=1):
 * it lets a CI job or a test mint ID tokens for AssumeRoleWithWebIdentity without a real identity provider.
 * Anyone who can reach the server can mint any token with it, so it must never be enabled where the
 * roles trusting it matter (docs/federation.md).
 *
 * - `GET  /_bursar/test-oidc/.well-known/openid-configuration`: the discovery document (issuer, jwks_uri);
 * - `GET  /_bursar/test-oidc/jwks`: the public key set (one RSA key, made when the server starts);
 * - `POST /_bursar/test-oidc/token` with `{"sub": "...", "aud": "...", "ttlSeconds": 300, "claims": {...}}`:
 *   `{"token": "<RS256 JWT>"}` with `iss`, `iat`, `nbf` and `exp` from the server's clock; `claims` are
 *   added last (and may override any of them).
 *
 * The issuer is `<scheme>://<Host header>/_bursar/test-oidc`; registering it as an OIDC provider over plain
 * http needs BURSAR_OIDC_ALLOW_HTTP_LOOPBACK=1 and a loopback host.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../platform/clock.js';

export const TEST_OIDC_PATH = '/_bursar/test-oidc';
const KEY_ID = 'bursar-test-oidc';
const DEFAULT_TTL_SECONDS = 300;

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function registerTestOidcIssuer(app: FastifyInstance, clock: Clock): void {
  const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const issuerOf = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? ''}${TEST_OIDC_PATH}`;

  app.get(`${TEST_OIDC_PATH}/.well-known/openid-configuration`, async (request) => {
    const issuer = issuerOf(request);
    return {
      issuer,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  });

  app.get(`${TEST_OIDC_PATH}/jwks`, async () => ({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KEY_ID, use: 'sig', alg: 'RS256' }],
  }));

  app.post(`${TEST_OIDC_PATH}/token`, async (request, reply) => {
    const body = (request.body ?? {}) as { sub?: unknown; aud?: unknown; ttlSeconds?: unknown; claims?: unknown };
    if (typeof body.sub !== 'string' || (typeof body.aud !== 'string' && !Array.isArray(body.aud))) {
      return reply.code(400).send({ code: 'InvalidRequest', message: 'sub (a string) and aud are required.' });
    }
    const ttl = typeof body.ttlSeconds === 'number' ? body.ttlSeconds : DEFAULT_TTL_SECONDS;
    const now = Math.floor(clock.now().getTime() / 1000);
    const extra = typeof body.claims === 'object' && body.claims !== null ? body.claims : {};
    const claims = {
      iss: issuerOf(request),
      sub: body.sub,
      aud: body.aud,
      iat: now,
      nbf: now,
      exp: now + ttl,
      ...extra,
    };
    const signed = `${base64UrlJson({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })}.${base64UrlJson(claims)}`;
    return { token: `${signed}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}` };
  });
}
