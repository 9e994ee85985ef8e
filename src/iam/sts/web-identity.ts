/**
 * Verifies an OpenID Connect ID token (a JWT) for AssumeRoleWithWebIdentity, as AWS does: the token's `iss`
 * names an OIDC provider of the role's account; the issuer's signing keys come from its discovery document
 * (`<iss>/.well-known/openid-configuration` → `jwks_uri`), fetched over HTTPS with the system's certificate
 * authorities; the signature (RS256/384/512, ES256/384/512, verified with node:crypto) must match a key of
 * that set; `exp`, `nbf` and `iat` must hold at the request's time; one of the token's audiences must be a
 * client id of the provider. The answer carries the trust policy's context keys AWS sets:
 * `<host/path>:sub`, `:aud`, `:amr` (when the token has one), `:iss`, and `aws:FederatedProvider`.
 *
 * A failing issuer is not asked again for a minute (the same refusal is answered meanwhile).
 *
 * Thumbprints are not consulted: AWS verifies the certificates of IdPs it can reach with trusted CAs and
 * keeps thumbprints only for the others; Bursar fetches every issuer with CA verification.
 *
 * An `http://` issuer is accepted only on a loopback host, and only when the provider service allows it
 * (BURSAR_OIDC_ALLOW_HTTP_LOOPBACK: test issuers such as Bursar's own, docs/federation.md).
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ServiceError } from '../../core/errors.js';
import { BoundedCache } from '../../platform/bounded-cache.js';
import type { ContextValue } from '../../policy/types.js';
import type { OidcProvider, OidcProviderService } from '../oidc-providers.js';
import { expiredToken, idpCommunicationError, invalidIdentityToken } from './errors.js';

/** Fetches a JSON document (the issuer's discovery document, its JWKS); throws when it cannot. */
export type FetchJson = (url: string) => Promise<unknown>;

export interface VerifiedWebIdentity {
  provider: OidcProvider;
  subject: string;
  /** The audience that matched one of the provider's client ids. */
  audience: string;
  /** The condition keys the role's trust policy is evaluated with. */
  context: Record<string, ContextValue>;
}

interface KeySet {
  keys: Map<string, KeyObject>;
  /** Keys without a `kid`. */
  anonymous: KeyObject[];
  fetchedAt: number;
}

/** The JWS algorithms accepted: the hash, and the key type (with its curve, as node:crypto names it). */
const ALGORITHMS: Record<string, { hash: string; keyType: 'rsa' | 'ec'; curve?: string }> = {
  RS256: { hash: 'sha256', keyType: 'rsa' },
  RS384: { hash: 'sha384', keyType: 'rsa' },
  RS512: { hash: 'sha512', keyType: 'rsa' },
  ES256: { hash: 'sha256', keyType: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', keyType: 'ec', curve: 'secp384r1' },
  ES512: { hash: 'sha512', keyType: 'ec', curve: 'secp521r1' },
};

/** How long a fetched key set is trusted; a token naming an unknown `kid` refetches sooner (key rotation). */
const KEY_SET_TTL_MS = 60 * 60 * 1000;
const REFETCH_AFTER_MS = 60 * 1000;
/** Clock skew allowed on `nbf` and `iat`, as identity providers' clocks drift. */
const SKEW_SECONDS = 300;
const KEY_SET_CACHE_LIMIT = 100;
const FETCH_TIMEOUT_MS = 5000;
const DOCUMENT_LIMIT_BYTES = 1024 * 1024;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/** The default fetcher: GET with a timeout and a size bound, JSON only. */
export const fetchJsonOverHttp: FetchJson = async (url) => {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    headers: { accept: 'application/json' },
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const text = await response.text();
  if (text.length > DOCUMENT_LIMIT_BYTES) throw new Error(`${url} is larger than ${DOCUMENT_LIMIT_BYTES} bytes`);
  return JSON.parse(text) as unknown;
};

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const notJwt = () =>
  invalidIdentityToken(
    'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
  );

function numericClaim(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidIdentityToken(`Invalid ${name} claim.`);
  return value;
}

export class WebIdentityVerifier {
  private readonly keySets = new BoundedCache<string, KeySet>(KEY_SET_CACHE_LIMIT);
  private readonly failures = new BoundedCache<string, { at: number; error: ServiceError }>(KEY_SET_CACHE_LIMIT);

  constructor(
    private readonly providers: Pick<OidcProviderService, 'findByIssuer'>,
    private readonly fetchJson: FetchJson = fetchJsonOverHttp,
    private readonly allowHttpLoopback = false,
  ) {}

  /** Verifies `token` for a role of `accountId` at `now`; throws STS's errors for a token AWS would refuse. */
  async verify(token: string, accountId: string, now: Date): Promise<VerifiedWebIdentity> {
    const parts = token.split('.');
    if (parts.length !== 3) throw notJwt();
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = base64UrlJson(headerPart);
    const claims = base64UrlJson(payloadPart);
    if (header === undefined || claims === undefined) throw notJwt();

    const issuer = claims.iss;
    if (typeof issuer !== 'string' || issuer === '') throw invalidIdentityToken('Missing a required claim: iss');
    const provider = await this.providers.findByIssuer(accountId, issuer);
    if (provider === undefined)
      throw invalidIdentityToken(`No OpenIDConnect provider found in your account for ${issuer}`);

    const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (algorithm === undefined)
      throw invalidIdentityToken(`Unsupported token signing algorithm ${String(header.alg)}.`);
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const key = await this.signingKey(provider, kid, now);
    if (
      key === undefined ||
      key.asymmetricKeyType !== algorithm.keyType ||
      (algorithm.curve !== undefined && key.asymmetricKeyDetails?.namedCurve !== algorithm.curve)
    )
      throw invalidIdentityToken('Unable to find a key in the JWKS of the issuer that matches the token.');
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, 'base64url');
    let valid = false;
    try {
      valid = verifySignature(
        algorithm.hash,
        signed,
        algorithm.keyType === 'ec' ? { key, dsaEncoding: 'ieee-p1363' } : key,
        signature,
      );
    } catch {
      valid = false;
    }
    if (!valid) throw invalidIdentityToken('The signature of the ID Token is invalid.');

    const seconds = Math.floor(now.getTime() / 1000);
    const exp = numericClaim(claims, 'exp');
    if (exp === undefined) throw invalidIdentityToken('Missing a required claim: exp');
    if (seconds >= exp)
      throw expiredToken(
        `Token expired: current date/time ${seconds} must be before the expiration date/time ${Math.floor(exp)}`,
      );
    const nbf = numericClaim(claims, 'nbf');
    if (nbf !== undefined && seconds + SKEW_SECONDS < nbf) throw invalidIdentityToken('Token is not yet valid (nbf).');
    const iat = numericClaim(claims, 'iat');
    if (iat !== undefined && seconds + SKEW_SECONDS < iat)
      throw invalidIdentityToken('Token issued in the future (iat).');

    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') throw invalidIdentityToken('Missing a required claim: sub');
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    // An authorized party, when present, is the client the token was issued to (Google's tokens): AWS checks it.
    const candidates = typeof claims.azp === 'string' ? [claims.azp, ...audiences] : audiences;
    const audience = candidates.find((a): a is string => typeof a === 'string' && provider.clientIds.includes(a));
    if (audience === undefined) throw invalidIdentityToken('Incorrect token audience');

    const prefix = provider.url;
    const context: Record<string, ContextValue> = {
      [`${prefix}:sub`]: subject,
      [`${prefix}:aud`]: audience,
      [`${prefix}:iss`]: issuer,
      'aws:FederatedProvider': provider.arn,
    };
    const amr = claims.amr;
    if (typeof amr === 'string') context[`${prefix}:amr`] = amr;
    else if (Array.isArray(amr)) context[`${prefix}:amr`] = amr.filter((v): v is string => typeof v === 'string');
    return { provider, subject, audience, context };
  }

  private async signingKey(provider: OidcProvider, kid: string | undefined, now: Date): Promise<KeyObject | undefined> {
    const cached = this.keySets.get(provider.issuer);
    const age = cached === undefined ? Infinity : now.getTime() - cached.fetchedAt;
    // A token without a kid is checked against the set's one key (a set of several must name theirs).
    const only = (set: KeySet) =>
      set.anonymous.length + set.keys.size === 1 ? [...set.anonymous, ...set.keys.values()][0] : undefined;
    const pick = (set: KeySet) => (kid === undefined ? only(set) : set.keys.get(kid));
    if (cached !== undefined && age < KEY_SET_TTL_MS) {
      const key = pick(cached);
      // A kid the set lacks may be a rotated-in key: look again, at most once a minute per issuer.
      if (key !== undefined || age < REFETCH_AFTER_MS) return key;
    }
    // An issuer that just failed is not asked again for a minute: unsigned calls must not turn Bursar into a
    // stream of requests at an identity provider that is down.
    const failed = this.failures.get(provider.issuer);
    if (failed !== undefined && now.getTime() - failed.at < REFETCH_AFTER_MS) throw failed.error;
    let set: KeySet;
    try {
      set = await this.fetchKeySet(provider.issuer, now);
    } catch (error) {
      if (error instanceof ServiceError) this.failures.set(provider.issuer, { at: now.getTime(), error });
      throw error;
    }
    this.failures.delete(provider.issuer);
    this.keySets.set(provider.issuer, set);
    return pick(set);
  }

  private checkUrl(url: string): void {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    const ok =
      parsed !== undefined &&
      (parsed.protocol === 'https:' ||
        (this.allowHttpLoopback && parsed.protocol === 'http:' && LOOPBACK.test(parsed.host)));
    if (!ok) throw idpCommunicationError(`The identity provider's URL ${url} is not an https URL.`);
  }

  private async fetchKeySet(issuer: string, now: Date): Promise<KeySet> {
    const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    this.checkUrl(discoveryUrl);
    const unreachable = () =>
      idpCommunicationError(
        'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached.',
      );
    let jwks: unknown;
    try {
      const discovery = (await this.fetchJson(discoveryUrl)) as { jwks_uri?: unknown } | null;
      const jwksUri = discovery?.jwks_uri;
      if (typeof jwksUri !== 'string') throw new Error('no jwks_uri');
      this.checkUrl(jwksUri);
      jwks = await this.fetchJson(jwksUri);
    } catch (error) {
      throw error instanceof ServiceError ? error : unreachable();
    }
    const list = (jwks as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw unreachable();
    const set: KeySet = { keys: new Map(), anonymous: [], fetchedAt: now.getTime() };
    for (const jwk of list as JsonWebKey[]) {
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      let key: KeyObject;
      try {
        key = createPublicKey({ key: jwk, format: 'jwk' });
      } catch {
        continue;
      }
      if (typeof jwk.kid === 'string') set.keys.set(jwk.kid, key);
      else set.anonymous.push(key);
    }
    return set;
  }
}
