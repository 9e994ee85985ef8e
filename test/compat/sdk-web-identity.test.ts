/**
 * STS AssumeRoleWithWebIdentity through @aws-sdk/client-sts, as a GitHub Actions job uses it: an OIDC provider
 * for Bursar's TEST issuer (/_bursar/test-oidc, served because the test enables it), a role trusting the
 * provider with `:aud` and `:sub` conditions, a token minted by the issuer. The SDK sends the call unsigned, as
 * to AWS. A matching token's credentials call GetCallerIdentity; a wrong sub, a wrong audience, an expired
 * token, a bad signature, an unknown issuer and an unreachable one are refused with AWS's codes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from './harness.js';

const AWS_CLI = '/usr/bin/aws';
const SUB = 'repo:example/app:ref:refs/heads/main';
const AUDIENCE = 'sts.amazonaws.com';

describe('STS AssumeRoleWithWebIdentity with an OIDC provider', () => {
  let server: BursarServer;
  let iam: I.IAMClient;
  let anonymous: S.STSClient;
  let issuer: string;
  let host: string;
  const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/ci/github-deploy`;

  async function mint(body: Record<string, unknown>): Promise<string> {
    const response = await fetch(`${server.url}/_bursar/test-oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: SUB, aud: AUDIENCE, ...body }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { token: string }).token;
  }

  const assume = (WebIdentityToken: string, RoleSessionName = 'gha-run') =>
    anonymous.send(new S.AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName, WebIdentityToken }));

  before(async () => {
    server = await startServer({ server: { testOidcIssuer: true, allowHttpLoopbackIssuers: true } });
    iam = new I.IAMClient(clientConfig(server));
    // No credentials at all: the call is unsigned, as the SDK sends it to AWS.
    const { credentials: _none, ...config } = clientConfig(server);
    anonymous = new S.STSClient(config);
    issuer = `${server.url}/_bursar/test-oidc`;
    host = issuer.replace(/^http:\/\//, '');
    const { OpenIDConnectProviderArn } = await iam.send(
      new I.CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: [AUDIENCE], ThumbprintList: [] }),
    );
    await iam.send(
      new I.CreateRoleCommand({
        RoleName: 'github-deploy',
        Path: '/ci/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: OpenIDConnectProviderArn },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { [`${host}:aud`]: AUDIENCE },
                StringLike: { [`${host}:sub`]: 'repo:example/app:ref:refs/heads/*' },
              },
            },
          ],
        }),
      }),
    );
  });
  after(async () => server?.close());

  it('gives a matching token credentials that call GetCallerIdentity as the role session', async () => {
    const answer = await assume(await mint({}));
    assert.equal(answer.SubjectFromWebIdentityToken, SUB);
    assert.equal(answer.Audience, AUDIENCE);
    assert.equal(answer.Provider, `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${host}`);
    const sessionArn = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/github-deploy/gha-run`;
    assert.equal(answer.AssumedRoleUser!.Arn, sessionArn);
    assert.match(answer.Credentials!.AccessKeyId!, /^ASIA/);

    const session = new S.STSClient(
      clientConfig(server, {
        accessKeyId: answer.Credentials!.AccessKeyId!,
        secretAccessKey: answer.Credentials!.SecretAccessKey!,
        sessionToken: answer.Credentials!.SessionToken!,
      }),
    );
    const identity = await session.send(new S.GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, sessionArn);
    assert.equal(identity.Account, ACCOUNT_ID);
  });

  it('limits the session to its managed session policies (PolicyArns), and refuses one that does not exist', async () => {
    await iam.send(
      new I.PutRolePolicyCommand({
        RoleName: 'github-deploy',
        PolicyName: 'iam',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
        }),
      }),
    );
    const arns = (...names: string[]) => names.map((name) => ({ arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${name}` }));
    await rejectsWith(
      anonymous.send(
        new S.AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn,
          RoleSessionName: 'gha-missing',
          WebIdentityToken: await mint({}),
          PolicyArns: arns('NotThere'),
        }),
      ),
      'MalformedPolicyDocumentException',
      400,
      /does not exist or is not attachable\.$/,
    );
    const answer = await anonymous.send(
      new S.AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'gha-narrow',
        WebIdentityToken: await mint({}),
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }],
      }),
    );
    const narrow = new I.IAMClient(
      clientConfig(server, {
        accessKeyId: answer.Credentials!.AccessKeyId!,
        secretAccessKey: answer.Credentials!.SecretAccessKey!,
        sessionToken: answer.Credentials!.SessionToken!,
      }),
    );
    assert.ok(Array.isArray((await narrow.send(new I.ListUsersCommand({}))).Users));
    await rejectsWith(
      narrow.send(new I.CreateUserCommand({ UserName: 'FromCi' })),
      'AccessDenied',
      403,
      /because no session policy allows the iam:CreateUser action$/,
    );
    await iam.send(new I.DeleteRolePolicyCommand({ RoleName: 'github-deploy', PolicyName: 'iam' }));
  });

  it('records the calls in the role account as the web identity, without the token', async () => {
    const { events } = await server
      .world()
      .audit.lookup(ACCOUNT_ID, { attribute: { key: 'EventName', value: 'AssumeRoleWithWebIdentity' } });
    const allowed = events.find((e) => e.event.errorCode === undefined);
    assert.ok(allowed, "the allowed call is in the role account's trail");
    assert.equal(allowed.event.userIdentity.type, 'WebIdentityUser');
    assert.equal(allowed.event.userIdentity.arn, `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${host}`);
    assert.equal(allowed.event.requestParameters!.webIdentityToken, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal(allowed.event.requestParameters!.roleArn, roleArn);
  });

  it('refuses a sub the trust policy does not allow, and a role that does not exist', async () => {
    const wrongBranch = await mint({ sub: 'repo:example/app:pull_request' });
    await rejectsWith(
      assume(wrongBranch),
      'AccessDenied',
      403,
      /^Not authorized to perform sts:AssumeRoleWithWebIdentity$/,
    );
    const { events } = await server
      .world()
      .audit.lookup(ACCOUNT_ID, { attribute: { key: 'EventName', value: 'AssumeRoleWithWebIdentity' } });
    assert.ok(events.some((e) => e.event.errorCode === 'AccessDenied' && e.event.decision === 'ImplicitlyDenied'));
    await rejectsWith(
      anonymous.send(
        new S.AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/nobody`,
          RoleSessionName: 'gha-run',
          WebIdentityToken: await mint({}),
        }),
      ),
      'AccessDenied',
      403,
    );
  });

  it('refuses a wrong audience, an expired token, a bad signature, an unknown and an unreachable issuer', async () => {
    await rejectsWith(
      assume(await mint({ aud: 'someone-else' })),
      'InvalidIdentityTokenException',
      400,
      /^Incorrect token audience$/,
    );
    await rejectsWith(assume(await mint({ ttlSeconds: -60 })), 'ExpiredTokenException', 400, /^Token expired: /);

    const [head, payload, signature] = (await mint({})).split('.') as [string, string, string];
    const forged = Buffer.from(payload, 'base64url')
      .toString('utf8')
      .replace(SUB, 'repo:example/app:ref:refs/heads/evil');
    await rejectsWith(
      assume(`${head}.${Buffer.from(forged).toString('base64url')}.${signature}`),
      'InvalidIdentityTokenException',
      400,
      /^The signature of the ID Token is invalid\.$/,
    );
    await rejectsWith(assume('not-a-jwt'), 'InvalidIdentityTokenException', 400, /not a valid JWT/);

    await rejectsWith(
      assume(await mint({ claims: { iss: 'https://unknown.example' } })),
      'InvalidIdentityTokenException',
      400,
      /^No OpenIDConnect provider found in your account for https:\/\/unknown\.example$/,
    );
    // A provider whose issuer cannot be reached: its keys cannot be fetched.
    await iam.send(
      new I.CreateOpenIDConnectProviderCommand({
        Url: 'http://127.0.0.1:9/gone',
        ClientIDList: [AUDIENCE],
        ThumbprintList: [],
      }),
    );
    await rejectsWith(
      assume(await mint({ claims: { iss: 'http://127.0.0.1:9/gone' } })),
      'IDPCommunicationErrorException',
      400,
    );
  });

  it(
    'works from the AWS CLI without credentials, as the README recipe runs it',
    {
      skip: existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed`,
    },
    async () => {
      const { stdout } = await promisify(execFile)(
        AWS_CLI,
        [
          '--endpoint-url',
          server.url,
          '--output',
          'json',
          'sts',
          'assume-role-with-web-identity',
          '--role-arn',
          roleArn,
          '--role-session-name',
          'gha-cli',
          '--web-identity-token',
          await mint({}),
        ],
        {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: process.env.HOME ?? '/tmp',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
        },
      );
      const answer = JSON.parse(stdout) as {
        Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      };
      const session = new S.STSClient(
        clientConfig(server, {
          accessKeyId: answer.Credentials.AccessKeyId,
          secretAccessKey: answer.Credentials.SecretAccessKey,
          sessionToken: answer.Credentials.SessionToken,
        }),
      );
      assert.equal(
        (await session.send(new S.GetCallerIdentityCommand({}))).Arn,
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/github-deploy/gha-cli`,
      );
    },
  );

  it('answers an unsigned call only for the operations AWS answers unsigned', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });
});
