/**
 * Verifies a SAML 2.0 response for AssumeRoleWithSAML, as AWS does: the base64 `SAMLResponse` holds one
 * `Assertion`; an XML signature over that assertion (or over the response holding it) must verify with a
 * certificate of the SAML provider's metadata (`PrincipalArn`, in the role's account); the signed element
 * must be the signature's own parent, and the assertion is read from the signed bytes xml-crypto verified,
 * never from the document around them, so a wrapped (XSW) assertion cannot lend its claims. Then: the
 * assertion's time window (NotBefore / NotOnOrAfter, five minutes of skew) against the request's clock, the
 * recipient and audience (AWS's sign-in endpoint), the `Role` attribute naming this role with this provider,
 * and a `RoleSessionName` attribute. The answer carries the trust policy's `saml:` condition keys.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { SignedXml } from 'xml-crypto';
import type { ContextValue } from '../../policy/types.js';
import { signingCertificates, type SamlProvider } from '../saml-providers.js';
import { expiredToken, idpRejectedClaim, invalidIdentityToken } from './errors.js';

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
const SESSION_NAME_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';
const SESSION_DURATION_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SessionDuration';
const SOURCE_IDENTITY_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SourceIdentity';
/** AWS's sign-in endpoint, global or regional: the recipient (and `saml:aud`) an assertion must name. */
const RECIPIENT = /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/saml$/;
/** The audiences AWS accepts for itself. */
const AUDIENCES = new Set(['https://signin.aws.amazon.com/saml', 'urn:amazon:webservices']);
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const SKEW_MS = 5 * 60 * 1000;
const NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** The attributes AWS exposes as `saml:` condition keys (by their OID or claim names), lowercased as AWS does. */
const ATTRIBUTE_KEYS: Record<string, string> = {
  'urn:oid:2.5.4.3': 'saml:commonName',
  'urn:oid:2.5.4.42': 'saml:givenName',
  'urn:oid:2.5.4.4': 'saml:surname',
  'urn:oid:2.5.4.45': 'saml:x500UniqueIdentifier',
  'urn:oid:0.9.2342.19200300.100.1.1': 'saml:uid',
  'urn:oid:0.9.2342.19200300.100.1.3': 'saml:mail',
  'urn:oid:0.9.2342.19200300.100.1.45': 'saml:organizationStatus',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'saml:edupersonaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.2': 'saml:edupersonnickname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.3': 'saml:edupersonorgdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.4': 'saml:edupersonorgunitdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.5': 'saml:edupersonprimaryaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'saml:edupersonprincipalname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'saml:edupersonentitlement',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.8': 'saml:edupersonprimaryorgunitdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': 'saml:edupersonscopedaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.10': 'saml:edupersontargetedid',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.11': 'saml:edupersonassurance',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.2': 'saml:eduorghomepageuri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.3': 'saml:eduorgidentityauthnpolicyuri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.4': 'saml:eduorglegalname',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.5': 'saml:eduorgsuperioruri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.6': 'saml:eduorgwhitepagesuri',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid': 'saml:primaryGroupSID',
};

export interface VerifiedSamlAssertion {
  provider: SamlProvider;
  subject: string;
  /** `persistent`, `transient`, or the NameID's whole Format URI. */
  subjectType: string;
  issuer: string;
  /** The recipient the assertion was presented to (`saml:aud`). */
  audience: string;
  nameQualifier: string;
  sessionName: string;
  /** The SessionDuration attribute, when the assertion has one. */
  sessionDuration?: number;
  /** The end of the session the IdP allows (AuthnStatement SessionNotOnOrAfter), when it says. */
  sessionNotOnOrAfter?: Date;
  sourceIdentity?: string;
  /** The condition keys the role's trust policy is evaluated with. */
  context: Record<string, ContextValue>;
}

export interface SamlProviderLookup {
  find(accountId: string, arn: string): Promise<SamlProvider | undefined>;
}

/** The little of xmldom's DOM read here (xml-crypto parses with the same library). */
interface Element {
  nodeType: number;
  namespaceURI: string | null;
  localName: string | null;
  textContent: string | null;
  parentNode: Element | null;
  childNodes: ArrayLike<Element>;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<Element>;
}
interface Document {
  documentElement: Element | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<Element>;
}
interface DomParser {
  parseFromString(source: string, mimeType: string): Document;
}

/*
 * Loaded without its type declarations: they pull the DOM library into the whole program, whose fetch and
 * Response types then clash with Node's.
 */
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: (level: string, message: string) => void }) => DomParser;
};

const invalid = (message: string) => invalidIdentityToken(message);

/** The document, or undefined when it is not well-formed XML (any warning or error counts). */
function parseXml(text: string): Document | undefined {
  let failed = false;
  const errorHandler = () => {
    failed = true;
  };
  let document: Document;
  try {
    document = new DOMParser({ errorHandler }).parseFromString(text, 'text/xml');
  } catch {
    return undefined;
  }
  return failed || document.documentElement === null ? undefined : document;
}

const children = (parent: Element, ns: string, name: string): Element[] =>
  Array.from(parent.childNodes).filter(
    (node) => node.nodeType === 1 && node.namespaceURI === ns && node.localName === name,
  );
const child = (parent: Element, ns: string, name: string): Element | undefined => children(parent, ns, name)[0];
const text = (element: Element | undefined): string | undefined => element?.textContent?.trim() || undefined;

/** Whether `signature` verifies with one of `certificates`; the signed bytes when it does. */
function verifiedBytes(xml: string, signature: Element, certificates: readonly string[]): string | undefined {
  for (const publicCert of certificates) {
    // The certificate comes from the provider's metadata only, never from the signature's own KeyInfo.
    const signed = new SignedXml({ publicCert, getCertFromKeyInfo: () => null });
    try {
      signed.loadSignature(signature);
      if (!signed.checkSignature(xml)) continue;
    } catch {
      continue;
    }
    const references = signed.getSignedReferences();
    if (references.length === 1) return references[0];
  }
  return undefined;
}

/** The one element a signature signs, which must be the signature's own parent (no detached references). */
function signsItsParent(signature: Element): boolean {
  const parent = signature.parentNode;
  const id = parent?.getAttribute('ID');
  const references = signature.getElementsByTagNameNS(DSIG, 'Reference');
  return (
    id !== undefined &&
    id !== null &&
    id !== '' &&
    references.length === 1 &&
    references[0]!.getAttribute('URI') === `#${id}`
  );
}

/** The signed assertion, read again from the bytes the signature covers. */
function signedAssertion(xml: string, document: Document, certificates: readonly string[]): Element {
  const response = document.documentElement!;
  if (response.namespaceURI !== PROTOCOL || response.localName !== 'Response')
    throw invalid('Invalid SAML response: the document is not a SAML 2.0 Response.');
  // A response that reports a failed sign-in is the identity provider's refusal.
  const status = child(response, PROTOCOL, 'Status');
  const code = status === undefined ? undefined : child(status, PROTOCOL, 'StatusCode')?.getAttribute('Value');
  if (code !== undefined && code !== null && code !== SUCCESS)
    throw idpRejectedClaim(`The identity provider reported that authentication failed (${code}).`);
  if (document.getElementsByTagNameNS(ASSERTION, 'EncryptedAssertion').length > 0)
    throw invalid('Encrypted assertions are not supported.');
  // Exactly one assertion in the whole document, directly under the response: a second one anywhere is
  // the shape of a signature-wrapping attack.
  const assertions = document.getElementsByTagNameNS(ASSERTION, 'Assertion');
  const assertion = child(response, ASSERTION, 'Assertion');
  if (assertions.length !== 1 || assertion === undefined)
    throw invalid('Invalid SAML response: it must hold exactly one Assertion.');

  const candidates = [child(assertion, DSIG, 'Signature'), child(response, DSIG, 'Signature')].filter(
    (s): s is Element => s !== undefined,
  );
  if (candidates.length === 0) throw invalid('Response signature invalid');
  for (const signature of candidates) {
    if (!signsItsParent(signature)) continue;
    const bytes = verifiedBytes(xml, signature, certificates);
    if (bytes === undefined) continue;
    const signed = parseXml(bytes)?.documentElement;
    if (signed === undefined || signed === null) continue;
    const found =
      signed.namespaceURI === ASSERTION && signed.localName === 'Assertion'
        ? signed
        : signed.namespaceURI === PROTOCOL && signed.localName === 'Response'
          ? child(signed, ASSERTION, 'Assertion')
          : undefined;
    if (found !== undefined) return found;
  }
  throw invalid('Response signature invalid');
}

function dateAttribute(element: Element | undefined, name: string): Date | undefined {
  const value = element?.getAttribute(name);
  if (value === undefined || value === null || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalid(`Invalid SAML assertion: ${name} is not a date.`);
  return new Date(time);
}

function attributes(assertion: Element): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const statement of children(assertion, ASSERTION, 'AttributeStatement'))
    for (const attribute of children(statement, ASSERTION, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      const list = values.get(name) ?? [];
      for (const value of children(attribute, ASSERTION, 'AttributeValue')) {
        const content = text(value);
        if (content !== undefined) list.push(content);
      }
      values.set(name, list);
    }
  return values;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class SamlVerifier {
  constructor(private readonly providers: SamlProviderLookup) {}

  /**
   * Verifies `samlResponse` (base64) for `roleArn` through the provider `providerArn` of `accountId` at `now`;
   * throws STS's errors for a response AWS would refuse.
   */
  async verify(
    samlResponse: string,
    providerArn: string,
    roleArn: string,
    accountId: string,
    now: Date,
  ): Promise<VerifiedSamlAssertion> {
    const provider = await this.providers.find(accountId, providerArn);
    if (provider === undefined) throw invalid(`SAML provider ${providerArn} does not exist in the role's account.`);
    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    const document = /^[A-Za-z0-9+/=\s]+$/.test(samlResponse) ? parseXml(xml) : undefined;
    if (document === undefined)
      throw invalid('Invalid base64 SAMLResponse (check that you are not urlencoding the response)');
    const assertion = signedAssertion(xml, document, signingCertificates(provider.metadata));

    const at = now.getTime();
    const conditions = child(assertion, ASSERTION, 'Conditions');
    const subject = child(assertion, ASSERTION, 'Subject');
    const confirmation = subject === undefined ? undefined : child(subject, ASSERTION, 'SubjectConfirmation');
    const confirmationData =
      confirmation === undefined ? undefined : child(confirmation, ASSERTION, 'SubjectConfirmationData');
    const notBefore = dateAttribute(conditions, 'NotBefore');
    if (notBefore !== undefined && at + SKEW_MS < notBefore.getTime())
      throw invalid(`Assertion is not yet valid: current time ${iso(now)} is before NotBefore ${iso(notBefore)}.`);
    for (const until of [dateAttribute(conditions, 'NotOnOrAfter'), dateAttribute(confirmationData, 'NotOnOrAfter')])
      if (until !== undefined && at - SKEW_MS >= until.getTime())
        throw expiredToken(`Token expired: current date/time ${iso(now)} must be before NotOnOrAfter ${iso(until)}.`);

    const recipient = confirmationData?.getAttribute('Recipient') ?? '';
    if (!RECIPIENT.test(recipient))
      throw invalid(`Invalid SAML assertion: the Recipient ${recipient || '(none)'} is not AWS's sign-in endpoint.`);
    const restrictions = conditions === undefined ? [] : children(conditions, ASSERTION, 'AudienceRestriction');
    const audiences = restrictions.flatMap((r) => children(r, ASSERTION, 'Audience').map((a) => text(a) ?? ''));
    if (!audiences.some((audience) => AUDIENCES.has(audience)))
      throw invalid(
        'Invalid SAML assertion: its audience restriction does not name https://signin.aws.amazon.com/saml.',
      );

    const claims = attributes(assertion);
    // Each Role value pairs a role ARN with a provider ARN, in either order.
    const roles = (claims.get(ROLE_ATTRIBUTE) ?? []).map((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .sort(),
    );
    const wanted = [roleArn, providerArn].sort();
    if (!roles.some((pair) => pair.length === 2 && pair[0] === wanted[0] && pair[1] === wanted[1]))
      throw invalid(`Invalid SAML assertion: the Role attribute does not name ${roleArn} with ${providerArn}.`);
    const sessionName = claims.get(SESSION_NAME_ATTRIBUTE)?.[0];
    if (sessionName === undefined) throw invalid('RoleSessionName is required in AuthnResponse');
    if (!SESSION_NAME.test(sessionName))
      throw invalid('RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
    const durationText = claims.get(SESSION_DURATION_ATTRIBUTE)?.[0];
    const sessionDuration = durationText === undefined ? undefined : Number(durationText);
    if (
      sessionDuration !== undefined &&
      !(Number.isInteger(sessionDuration) && sessionDuration >= 900 && sessionDuration <= 43200)
    )
      throw invalid('SessionDuration in AuthnResponse must be an integer from 900 to 43200.');
    const sourceIdentity = claims.get(SOURCE_IDENTITY_ATTRIBUTE)?.[0];

    const nameId = subject === undefined ? undefined : child(subject, ASSERTION, 'NameID');
    const subjectName = text(nameId);
    if (subjectName === undefined) throw invalid('Invalid SAML assertion: it has no Subject NameID.');
    const format = nameId?.getAttribute('Format') ?? `${NAME_ID_FORMAT}unspecified`;
    const subjectType =
      format.startsWith(NAME_ID_FORMAT) && /(persistent|transient)$/.test(format)
        ? format.slice(NAME_ID_FORMAT.length)
        : format;
    const issuer = text(child(assertion, ASSERTION, 'Issuer')) ?? '';
    const providerName = provider.arn.split('/').at(-1)!;
    // AWS's documented NameQualifier: base64 of SHA-1 over issuer, account id and the provider's name.
    const nameQualifier = createHash('sha1').update(`${issuer}${accountId}/${providerName}`).digest('base64');
    const authn = child(assertion, ASSERTION, 'AuthnStatement');
    const sessionNotOnOrAfter = dateAttribute(authn, 'SessionNotOnOrAfter');

    const context: Record<string, ContextValue> = {
      'saml:aud': recipient,
      'saml:iss': issuer,
      'saml:sub': subjectName,
      'saml:sub_type': subjectType,
      'saml:namequalifier': nameQualifier,
      'saml:doc': `${accountId}/${providerName}`,
    };
    for (const [name, values] of claims) {
      const key = ATTRIBUTE_KEYS[name];
      if (key !== undefined && values.length > 0) context[key] = values.length === 1 ? values[0]! : values;
    }
    return {
      provider,
      subject: subjectName,
      subjectType,
      issuer,
      audience: recipient,
      nameQualifier,
      sessionName,
      ...(sessionDuration === undefined ? {} : { sessionDuration }),
      ...(sessionNotOnOrAfter === undefined ? {} : { sessionNotOnOrAfter }),
      ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
      context,
    };
  }
}
