/**
 * IAM OpenID Connect providers through @aws-sdk/client-iam: a provider's life (client ids, thumbprints,
 * tags), each refusal AWS answers with its code and status, GetAccountSummary's count, and the action and
 * provider ARN a caller is authorized against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const GITHUB = 'https://token.actions.githubusercontent.com';
const GITHUB_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
const PRINT_A = '6938fd4d98bab03faadb97b34396831e3780aea1';
const PRINT_B = '1c58a3a8518e8759bf075b76b750d4f2df264fcd';

describe('IAM OpenID Connect providers', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
  });
  after(async () => server?.close());

  it('creates a provider, changes its client ids, thumbprints and tags, lists and deletes it', async () => {
    const created = await root.send(
      new I.CreateOpenIDConnectProviderCommand({
        Url: GITHUB,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: [PRINT_A],
        Tags: [{ Key: 'team', Value: 'ci' }],
      }),
    );
    assert.equal(created.OpenIDConnectProviderArn, GITHUB_ARN);
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'ci' }]);

    const arn = { OpenIDConnectProviderArn: GITHUB_ARN };
    let got = await root.send(new I.GetOpenIDConnectProviderCommand(arn));
    // AWS answers the url without its scheme.
    assert.equal(got.Url, 'token.actions.githubusercontent.com');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
    assert.deepEqual(got.ThumbprintList, [PRINT_A]);
    assert.ok(got.CreateDate instanceof Date);

    // Adding a client id twice and removing one that is absent are no errors, as in AWS.
    await root.send(new I.AddClientIDToOpenIDConnectProviderCommand({ ...arn, ClientID: 'my-app' }));
    await root.send(new I.AddClientIDToOpenIDConnectProviderCommand({ ...arn, ClientID: 'my-app' }));
    await root.send(new I.RemoveClientIDFromOpenIDConnectProviderCommand({ ...arn, ClientID: 'sts.amazonaws.com' }));
    await root.send(new I.RemoveClientIDFromOpenIDConnectProviderCommand({ ...arn, ClientID: 'nobody' }));
    await root.send(new I.UpdateOpenIDConnectProviderThumbprintCommand({ ...arn, ThumbprintList: [PRINT_B, PRINT_A] }));
    got = await root.send(new I.GetOpenIDConnectProviderCommand(arn));
    assert.deepEqual(got.ClientIDList, ['my-app']);
    assert.deepEqual(got.ThumbprintList, [PRINT_B, PRINT_A]);

    await root.send(new I.TagOpenIDConnectProviderCommand({ ...arn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await root.send(new I.UntagOpenIDConnectProviderCommand({ ...arn, TagKeys: ['team'] }));
    assert.deepEqual((await root.send(new I.ListOpenIDConnectProviderTagsCommand(arn))).Tags, [
      { Key: 'env', Value: 'prod' },
    ]);

    await root.send(
      new I.CreateOpenIDConnectProviderCommand({ Url: 'https://accounts.google.com/', ThumbprintList: [] }),
    );
    const list = await root.send(new I.ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(
      list.OpenIDConnectProviderList!.map((p) => p.Arn),
      [`arn:aws:iam::${ACCOUNT_ID}:oidc-provider/accounts.google.com`, GITHUB_ARN],
    );
    const { SummaryMap } = await root.send(new I.GetAccountSummaryCommand({}));
    assert.equal(SummaryMap!.Providers, 2);

    await root.send(new I.DeleteOpenIDConnectProviderCommand(arn));
    await rejectsWith(
      root.send(new I.GetOpenIDConnectProviderCommand(arn)),
      'NoSuchEntityException',
      404,
      new RegExp(`^OpenIDConnect Provider not found for arn ${GITHUB_ARN}$`),
    );
    // Created again, the provider starts without the old one's tags.
    await root.send(new I.CreateOpenIDConnectProviderCommand({ Url: GITHUB, ThumbprintList: [PRINT_A] }));
    assert.deepEqual((await root.send(new I.ListOpenIDConnectProviderTagsCommand(arn))).Tags, []);
  });

  it('refuses a duplicate url, a url that is not https, bad thumbprints, too many thumbprints and a missing provider', async () => {
    await root.send(
      new I.CreateOpenIDConnectProviderCommand({ Url: 'https://issuer.example/tenant', ThumbprintList: [] }),
    );
    await rejectsWith(
      root.send(
        new I.CreateOpenIDConnectProviderCommand({ Url: 'https://ISSUER.example/tenant/', ThumbprintList: [] }),
      ),
      'EntityAlreadyExistsException',
      409,
      /^Provider with url https:\/\/issuer\.example\/tenant already exists\.$/,
    );
    for (const Url of [
      'http://issuer.example',
      'ftp://issuer.example',
      'https://issuer.example/?q=1',
      'issuer.example',
    ]) {
      await rejectsWith(
        root.send(new I.CreateOpenIDConnectProviderCommand({ Url, ThumbprintList: [] })),
        'InvalidInputException',
        400,
      );
    }
    // Without the loopback setting, a local http issuer is refused like any other http one.
    await rejectsWith(
      root.send(new I.CreateOpenIDConnectProviderCommand({ Url: 'http://127.0.0.1:9/issuer', ThumbprintList: [] })),
      'InvalidInputException',
      400,
    );
    await rejectsWith(
      root.send(
        new I.CreateOpenIDConnectProviderCommand({ Url: 'https://a.example', ThumbprintList: ['x'.repeat(40)] }),
      ),
      'InvalidInputException',
      400,
      /^Thumbprint x{40} is invalid\.$/,
    );
    await rejectsWith(
      root.send(new I.CreateOpenIDConnectProviderCommand({ Url: 'https://a.example', ThumbprintList: ['ab12'] })),
      'ValidationError',
      400,
    );
    const six = Array.from({ length: 6 }, (_, n) => String(n).repeat(40));
    await rejectsWith(
      root.send(new I.CreateOpenIDConnectProviderCommand({ Url: 'https://a.example', ThumbprintList: six })),
      'LimitExceededException',
      409,
    );
    const missing = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/nowhere.example`;
    for (const call of [
      root.send(new I.DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing })),
      root.send(new I.AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, ClientID: 'a' })),
      root.send(
        new I.UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: missing, ThumbprintList: [] }),
      ),
      root.send(new I.ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: missing })),
    ]) {
      await rejectsWith(call, 'NoSuchEntityException', 404, /^OpenIDConnect Provider not found for arn /);
    }
  });

  it('authorizes each call against the provider ARN with its iam: action', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'oidc-reader' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'oidc-reader',
        PolicyName: 'read-github',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:GetOpenIDConnectProvider', Resource: GITHUB_ARN },
            { Effect: 'Allow', Action: 'iam:ListOpenIDConnectProviders', Resource: '*' },
          ],
        }),
      }),
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'oidc-reader' }));
    const reader = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    assert.equal(
      (await reader.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB_ARN }))).Url,
      'token.actions.githubusercontent.com',
    );
    assert.ok((await reader.send(new I.ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.length >= 1);
    const other = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/issuer.example/tenant`;
    await rejectsWith(
      reader.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: other })),
      'AccessDenied',
      403,
      new RegExp(`not authorized to perform: iam:GetOpenIDConnectProvider on resource: ${other}`),
    );
    await rejectsWith(
      reader.send(new I.CreateOpenIDConnectProviderCommand({ Url: 'https://new.example/x', ThumbprintList: [] })),
      'AccessDenied',
      403,
      new RegExp(
        `not authorized to perform: iam:CreateOpenIDConnectProvider on resource: arn:aws:iam::${ACCOUNT_ID}:oidc-provider/new\\.example/x`,
      ),
    );
    await rejectsWith(
      reader.send(new I.DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB_ARN })),
      'AccessDenied',
      403,
    );
  });
});
