/**
 * STS AssumeRoleWithSAML through @aws-sdk/client-sts, unsigned as the SDK sends it: a test IdP (a key pair
 * and self-signed certificate made with openssl) signs SAML responses with xml-crypto; Bursar verifies them
 * against the SAML provider's metadata, then the role's trust policy with the `saml:` keys. Each refusal AWS
 * answers is asserted: unsigned, wrongly signed, tampered, wrapped, expired, wrong recipient or audience, a
 * role the assertion does not name, a failed sign-in, no session name, a trust policy that does not match.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import { SignedXml } from 'xml-crypto';
import type { BursarServer } from '../../src/server/create-server.js';
import { testNow } from '../test-clock.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const ISSUER = 'https://idp.example/saml';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/SamlFinance`;
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/ExampleIdP`;
const AWS_SIGNIN = 'https://signin.aws.amazon.com/saml';

interface Idp {
  key: string;
  cert: string;
}

/** A key pair and a self-signed certificate, as an identity provider has. */
function makeIdp(dir: string, name: string): Idp {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '3650',
      '-subj',
      `/CN=${name}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

const certBody = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

function metadata(idp: Idp): string {
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${ISSUER}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(idp.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

interface AssertionOptions {
  id?: string;
  roles?: string[];
  sessionName?: string | null;
  sessionDuration?: string;
  notOnOrAfter?: Date;
  recipient?: string;
  audience?: string;
  orgDn?: string;
  status?: string;
}

function iso(date: Date): string {
  return date.toISOString();
}

function assertionXml(o: AssertionOptions = {}): string {
  const now = testNow();
  const until = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const attribute = (name: string, values: string[]) =>
    `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
  const sessionName = o.sessionName === undefined ? 'alice@example.com' : o.sessionName;
  return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.id ?? '_a1'}" Version="2.0" IssueInstant="${iso(now)}"><saml:Issuer>${ISSUER}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(until)}" Recipient="${o.recipient ?? AWS_SIGNIN}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${o.audience ?? AWS_SIGNIN}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>${attribute('https://aws.amazon.com/SAML/Attributes/Role', o.roles ?? [`${ROLE_ARN},${PROVIDER_ARN}`])}${sessionName === null ? '' : attribute('https://aws.amazon.com/SAML/Attributes/RoleSessionName', [sessionName])}${o.sessionDuration === undefined ? '' : attribute('https://aws.amazon.com/SAML/Attributes/SessionDuration', [o.sessionDuration])}${attribute('https://aws.amazon.com/SAML/Attributes/SourceIdentity', ['alice'])}${attribute('urn:oid:1.3.6.1.4.1.5923.1.1.1.3', [o.orgDn ?? 'o=Example'])}</saml:AttributeStatement></saml:Assertion>`;
}

function responseXml(assertion: string, status = 'urn:oasis:names:tc:SAML:2.0:status:Success'): string {
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="${iso(testNow())}" Destination="${AWS_SIGNIN}"><saml:Issuer>${ISSUER}</saml:Issuer><samlp:Status><samlp:StatusCode Value="${status}"/></samlp:Status>${assertion}</samlp:Response>`;
}

/** Signs the response's assertion (enveloped, exclusive C14N, RSA-SHA256), as IdPs do. */
function signAssertion(xml: string, idp: Idp): string {
  const signer = new SignedXml({
    privateKey: idp.key,
    publicCert: idp.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signer.computeSignature(xml, {
    location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
  });
  return signer.getSignedXml();
}

const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

describe('STS AssumeRoleWithSAML', () => {
  let server: BursarServer;
  let dir: string;
  let idp: Idp;
  let stranger: Idp;
  let anonymous: S.STSClient;
  const signed = (o: AssertionOptions = {}, status?: string) =>
    encode(signAssertion(responseXml(assertionXml(o), status), idp));
  const assume = (SAMLAssertion: string, extra: Partial<S.AssumeRoleWithSAMLCommandInput> = {}) =>
    anonymous.send(
      new S.AssumeRoleWithSAMLCommand({ RoleArn: ROLE_ARN, PrincipalArn: PROVIDER_ARN, SAMLAssertion, ...extra }),
    );
  const invalidToken = (call: Promise<unknown>, message?: RegExp) =>
    rejectsWith(call, 'InvalidIdentityTokenException', 400, message);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bursar-saml-'));
    idp = makeIdp(dir, 'idp.example');
    stranger = makeIdp(dir, 'stranger.example');
    server = await startServer();
    const iam = new I.IAMClient(clientConfig(server));
    await iam.send(new I.CreateSAMLProviderCommand({ Name: 'ExampleIdP', SAMLMetadataDocument: metadata(idp) }));
    await iam.send(
      new I.CreateRoleCommand({
        RoleName: 'SamlFinance',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRoleWithSAML',
              Principal: { Federated: PROVIDER_ARN },
              Condition: {
                StringEquals: {
                  'SAML:aud': AWS_SIGNIN,
                  'saml:edupersonorgdn': 'o=Example',
                  'saml:sub_type': 'persistent',
                },
              },
            },
          ],
        }),
      }),
    );
    const { credentials: _none, ...config } = clientConfig(server);
    anonymous = new S.STSClient(config);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a signed assertion with the role session and the assertion’s members', async () => {
    const answer = await assume(signed());
    assert.equal(answer.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/SamlFinance/alice@example.com`);
    assert.match(answer.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]+:alice@example\.com$/);
    assert.equal(answer.Subject, 'alice');
    assert.equal(answer.SubjectType, 'persistent');
    assert.equal(answer.Issuer, ISSUER);
    assert.equal(answer.Audience, AWS_SIGNIN);
    assert.equal(answer.SourceIdentity, 'alice');
    assert.equal(answer.NameQualifier, createHash('sha1').update(`${ISSUER}${ACCOUNT_ID}/ExampleIdP`).digest('base64'));
    const session = new S.STSClient(
      clientConfig(server, {
        accessKeyId: answer.Credentials!.AccessKeyId!,
        secretAccessKey: answer.Credentials!.SecretAccessKey!,
        sessionToken: answer.Credentials!.SessionToken!,
      }),
    );
    assert.equal((await session.send(new S.GetCallerIdentityCommand({}))).Arn, answer.AssumedRoleUser!.Arn);
  });

  it('refuses unsigned, wrongly signed and tampered responses', async () => {
    await invalidToken(assume(encode(responseXml(assertionXml()))), /^Response signature invalid$/);
    await invalidToken(
      assume(encode(signAssertion(responseXml(assertionXml()), stranger))),
      /^Response signature invalid$/,
    );
    const tampered = signAssertion(responseXml(assertionXml()), idp).replace('o=Example', 'o=Example ');
    await invalidToken(assume(encode(tampered)), /^Response signature invalid$/);
    await invalidToken(assume('not base64 at all!'), /^Invalid base64 SAMLResponse/);
    await invalidToken(assume(encode('<samlp:Response')));
  });

  it('refuses a wrapped assertion: the signed one moved aside, an unsigned one in its place', async () => {
    const good = signAssertion(responseXml(assertionXml()), idp);
    const signedAssertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(good)![0];
    const evil = assertionXml({ id: '_evil', roles: [`arn:aws:iam::${ACCOUNT_ID}:role/Other,${PROVIDER_ARN}`] });
    const wrapped = good.replace(signedAssertion, `<samlp:Extensions>${signedAssertion}</samlp:Extensions>${evil}`);
    await invalidToken(assume(encode(wrapped), { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/Other` }));
    // The signed assertion nested, the evil one signed by nobody but carrying the signature's reference.
    const swapped = good.replace(signedAssertion, `${evil.replace('ID="_evil"', 'ID="_a1"')}`);
    await invalidToken(assume(encode(swapped)), /^Response signature invalid$/);
  });

  it('refuses an expired assertion, a wrong recipient or audience, and a failed sign-in', async () => {
    await rejectsWith(
      assume(signed({ notOnOrAfter: new Date(testNow().getTime() - 60 * 60_000) })),
      'ExpiredTokenException',
      400,
      /^Token expired/,
    );
    await invalidToken(assume(signed({ recipient: 'https://evil.example/saml' })), /Recipient/);
    await invalidToken(assume(signed({ audience: 'https://other.example' })), /audience/);
    await rejectsWith(
      assume(signed({}, 'urn:oasis:names:tc:SAML:2.0:status:Responder')),
      'IDPRejectedClaimException',
      403,
    );
  });

  it('refuses a role the assertion does not name, a missing or bad session name, and an unknown provider', async () => {
    await invalidToken(
      assume(signed({ roles: [`arn:aws:iam::${ACCOUNT_ID}:role/Other,${PROVIDER_ARN}`] })),
      /Role attribute does not name/,
    );
    await invalidToken(assume(signed({ sessionName: null })), /^RoleSessionName is required in AuthnResponse$/);
    await invalidToken(
      assume(signed({ sessionName: 'a b' })),
      /^RoleSessionName in AuthnResponse must match \[a-zA-Z_0-9\+=,\.@-\]\{2,64\}$/,
    );
    await invalidToken(
      assume(signed(), { PrincipalArn: `arn:aws:iam::${ACCOUNT_ID}:saml-provider/Nobody` }),
      /does not exist/,
    );
  });

  it('decides by the trust policy’s saml: keys, the role’s session limit and the session policy', async () => {
    await rejectsWith(
      assume(signed({ orgDn: 'o=Elsewhere' })),
      'AccessDenied',
      403,
      /^Not authorized to perform sts:AssumeRoleWithSAML$/,
    );
    // SessionDuration beyond the role's one-hour maximum.
    await rejectsWith(assume(signed({ sessionDuration: '7200' })), 'ValidationError', 400, /MaxSessionDuration/);
    await rejectsWith(assume(signed(), { Policy: '{"Statement":' }), 'MalformedPolicyDocumentException', 400);
    const limited = await assume(signed({ sessionDuration: '1800' }), {
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }],
      }),
    });
    assert.ok(limited.PackedPolicySize! > 0);
  });
});
