/**
 * IAM SAML providers through @aws-sdk/client-iam: a provider's life (metadata with its validUntil, update,
 * tags), the refusals AWS answers (metadata that is not SAML metadata or has no signing certificate, a
 * duplicate name, a missing provider), and the action and provider ARN a caller is authorized against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

/** A self-signed certificate of a test IdP (CN=idp.example), as an IdP's metadata carries it. */
const CERTIFICATE =
  'MIIDDzCCAfegAwIBAgIUFjee7BLqevZnoVuvFRupO63POaowDQYJKoZIhvcNAQELBQAwFjEUMBIGA1UEAwwLaWRwLmV4YW1wbGUwIBcNMjYxMjA3MDgwNTU5WhgPMjEyNjExMTMwODA1NTlaMBYxFDASBgNVBAMMC2lkcC5leGFtcGxlMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtviZNr6ZNcXBnmEYBGacjPvrWEm5y/fSXZuqiAZCYhp/oPtp7NBDhOXovjrUK5lsHxgm/HvmVRkmWgfQR/bYBI8TQWcwcVQHVGdb71BvEF4UeGfQOc3gcd2eJ98fmmIupvpF+fP2uwO33eREEyw8PpB9zOgz1SxqSDPEV8GvuMvXzVc3ffWko1KDCeowUaMNgUGCxL+gFydqiu9YuxNrrea+nw8R1S9HDzZa3Nfy6eps265yWliwP2/hKkzBWDc9wfzDbpEuaYBKjxYuVpq9LYGjFFPB5qMI9vQz7WZ3QdWtYOjr67UOW9tCWOrQ0aAjy+ihzchXUtiSbCNSaUVL0QIDAQABo1MwUTAdBgNVHQ4EFgQU7ioWbkqgHG1ArLfSgwhWW6jnPAcwHwYDVR0jBBgwFoAU7ioWbkqgHG1ArLfSgwhWW6jnPAcwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAZdAWs0ZZFImu6qKlKbJCfuEe85Vmv+qXEUVinq8A28MMtYLXvCADeck9jiaICDiCo/8kqDRJQTaQp3cqTUSVq3WIAA3botNITa5d5JrAy1JxQv3L+yAKId3Md5WTHA2f+o6hfLHZhsygzCYenWAviFLBOCnEweORqDUOYJTvdraVTfjry+vnWiqCD9BnQkLYJZjGhg+m69xeaGTnYJX+Rx32IISsxJ8rNX4tqAGpDrNFJ2d0+CQmQ4J1n09Gv1gHNxfaO3H7yJ93LztEeGj7Bj/gmwNJM19a7cl8uQgdPYxqwsph7IuqwPLKp6tcjAJzqi6QDKPO6RUyFOoa6fJO7A==';

function metadata(options: { validUntil?: string; certificate?: string; entityId?: string } = {}): string {
  const until = options.validUntil === undefined ? '' : ` validUntil="${options.validUntil}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${options.entityId ?? 'https://idp.example/saml'}"${until}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${options.certificate ?? CERTIFICATE}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

describe('IAM SAML providers', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
  });
  after(async () => server?.close());

  const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:saml-provider/${name}`;

  it('creates a provider, updates its metadata and tags, lists and deletes it', async () => {
    const created = await root.send(
      new I.CreateSAMLProviderCommand({
        Name: 'Okta',
        SAMLMetadataDocument: metadata({ validUntil: '2099-01-01T00:00:00Z' }),
        Tags: [{ Key: 'team', Value: 'it' }],
      }),
    );
    assert.equal(created.SAMLProviderArn, arnOf('Okta'));
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'it' }]);
    const arn = { SAMLProviderArn: arnOf('Okta') };
    let got = await root.send(new I.GetSAMLProviderCommand(arn));
    assert.equal(got.SAMLMetadataDocument, metadata({ validUntil: '2099-01-01T00:00:00Z' }));
    assert.equal(got.ValidUntil!.toISOString(), '2099-01-01T00:00:00.000Z');
    assert.ok(got.CreateDate instanceof Date);

    const updated = await root.send(
      new I.UpdateSAMLProviderCommand({
        ...arn,
        SAMLMetadataDocument: metadata({ entityId: 'https://idp.example/v2' }),
      }),
    );
    assert.equal(updated.SAMLProviderArn, arnOf('Okta'));
    got = await root.send(new I.GetSAMLProviderCommand(arn));
    assert.match(got.SAMLMetadataDocument!, /idp\.example\/v2/);
    assert.equal(got.ValidUntil, undefined);

    await root.send(new I.TagSAMLProviderCommand({ ...arn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await root.send(new I.UntagSAMLProviderCommand({ ...arn, TagKeys: ['team'] }));
    assert.deepEqual((await root.send(new I.ListSAMLProviderTagsCommand(arn))).Tags, [{ Key: 'env', Value: 'prod' }]);

    await root.send(new I.CreateSAMLProviderCommand({ Name: 'Azure', SAMLMetadataDocument: metadata() }));
    const list = await root.send(new I.ListSAMLProvidersCommand({}));
    assert.deepEqual(
      list.SAMLProviderList!.map((p) => p.Arn),
      [arnOf('Azure'), arnOf('Okta')],
    );
    const { SummaryMap } = await root.send(new I.GetAccountSummaryCommand({}));
    assert.equal(SummaryMap!.Providers, 2);

    await root.send(new I.DeleteSAMLProviderCommand(arn));
    await rejectsWith(
      root.send(new I.GetSAMLProviderCommand(arn)),
      'NoSuchEntityException',
      404,
      new RegExp(`^Manifest not found for arn ${arnOf('Okta')}$`),
    );
  });

  it('refuses metadata that is not SAML metadata, a duplicate name and a missing provider', async () => {
    const notXml = 'x'.repeat(1200);
    const noIdp = `<EntityDescriptor entityID="x"><SPSSODescriptor/>${'<!-- padding -->'.repeat(80)}</EntityDescriptor>`;
    for (const SAMLMetadataDocument of [notXml, noIdp]) {
      await rejectsWith(
        root.send(new I.CreateSAMLProviderCommand({ Name: 'Bad', SAMLMetadataDocument })),
        'InvalidInputException',
        400,
        /^Could not parse metadata$/,
      );
    }
    await rejectsWith(
      root.send(
        new I.CreateSAMLProviderCommand({
          Name: 'Bad',
          SAMLMetadataDocument: metadata({ certificate: 'Tk9U'.repeat(300) }),
        }),
      ),
      'InvalidInputException',
      400,
      /X\.509 signing certificate/,
    );
    await rejectsWith(
      root.send(new I.CreateSAMLProviderCommand({ Name: 'Short', SAMLMetadataDocument: '<x/>' })),
      'ValidationError',
      400,
    );
    await root.send(new I.CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: metadata() }));
    await rejectsWith(
      root.send(new I.CreateSAMLProviderCommand({ Name: 'CORP', SAMLMetadataDocument: metadata() })),
      'EntityAlreadyExistsException',
      409,
    );
    for (const call of [
      root.send(new I.DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('Nobody') })),
      root.send(
        new I.UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf('Nobody'), SAMLMetadataDocument: metadata() }),
      ),
      root.send(new I.ListSAMLProviderTagsCommand({ SAMLProviderArn: arnOf('Nobody') })),
    ]) {
      await rejectsWith(call, 'NoSuchEntityException', 404, /^Manifest not found for arn /);
    }
  });

  it('authorizes each call against the provider ARN with its iam: action', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'saml-reader' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'saml-reader',
        PolicyName: 'read-corp',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetSAMLProvider', Resource: arnOf('Corp') }],
        }),
      }),
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'saml-reader' }));
    const reader = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    assert.ok((await reader.send(new I.GetSAMLProviderCommand({ SAMLProviderArn: arnOf('Corp') }))).CreateDate);
    await rejectsWith(
      reader.send(new I.DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('Corp') })),
      'AccessDenied',
      403,
      new RegExp(`not authorized to perform: iam:DeleteSAMLProvider on resource: ${arnOf('Corp')}`),
    );
    await rejectsWith(
      reader.send(new I.CreateSAMLProviderCommand({ Name: 'New', SAMLMetadataDocument: metadata() })),
      'AccessDenied',
      403,
      new RegExp(`iam:CreateSAMLProvider on resource: ${arnOf('New')}`),
    );
    await rejectsWith(reader.send(new I.ListSAMLProvidersCommand({})), 'AccessDenied', 403, /on resource: \*/);
  });
});
