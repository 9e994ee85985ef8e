/**
 * STS GetFederationToken through @aws-sdk/client-sts: the federated user's ARN and id, its session policies
 * (inline and managed, the managed ones read at each request) intersected with the calling user's policies by
 * the engine on later calls, no permissions without a session policy, session tags as principal tags, the
 * refusals for temporary credentials and bad policies, and the root user's one-hour limit. A federated user
 * cannot call IAM at all (AWS: "You cannot call any IAM operations using the AWS CLI or the AWS API"), so its
 * permissions are shown on Budgets and Cost Explorer calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as B from '@aws-sdk/client-budgets';
import * as CE from '@aws-sdk/client-cost-explorer';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const policy = (actions: string[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

type Credentials = { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
const keys = (c: Credentials) => ({
  accessKeyId: c.AccessKeyId!,
  secretAccessKey: c.SecretAccessKey!,
  sessionToken: c.SessionToken!,
});

/** The three calls whose permissions the tests vary: listing budgets, reading cost data, creating a budget. */
const LIST = 'budgets:ViewBudget';
const READ = 'ce:GetDimensionValues';
const CREATE = 'budgets:ModifyBudget';

/** A federated user's (or any caller's) Budgets and Cost Explorer calls. */
function caller(server: BursarServer, credentials: Credentials) {
  const budgets = new B.BudgetsClient(clientConfig(server, keys(credentials)));
  const ce = new CE.CostExplorerClient(clientConfig(server, keys(credentials)));
  return {
    list: async () =>
      ((await budgets.send(new B.DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }))).Budgets ?? []).map(
        (b) => b.BudgetName,
      ),
    read: () =>
      ce.send(
        new CE.GetDimensionValuesCommand({
          TimePeriod: { Start: '2026-01-01', End: '2026-02-01' },
          Dimension: 'SERVICE',
        }),
      ),
    create: (name: string) =>
      budgets.send(
        new B.CreateBudgetCommand({
          AccountId: ACCOUNT_ID,
          Budget: {
            BudgetName: name,
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: '10', Unit: 'USD' },
          },
        }),
      ),
    iam: new I.IAMClient(clientConfig(server, keys(credentials))),
  };
}

describe('STS GetFederationToken', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  let broker: S.STSClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
    await root.send(new I.CreateUserCommand({ UserName: 'Broker' }));
    // The broker may federate, list budgets and read cost data, and nothing else.
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Broker',
        PolicyName: 'broker',
        PolicyDocument: policy(['sts:GetFederationToken', LIST, READ]),
      }),
    );
    await caller(server, {
      AccessKeyId: clientConfig(server).credentials.accessKeyId,
      SecretAccessKey: clientConfig(server).credentials.secretAccessKey,
    }).create('Team');
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Broker' }));
    broker = new S.STSClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
  });
  after(async () => server?.close());

  it('issues a federated user whose permissions are the user’s and the session policy’s intersection', async () => {
    const answer = await broker.send(
      new S.GetFederationTokenCommand({
        Name: 'alice@example',
        // Listing is allowed by both; creating only by the session policy; reading costs only by the user's.
        Policy: policy([LIST, CREATE, 'iam:ListUsers']),
        DurationSeconds: 900,
      }),
    );
    assert.equal(answer.FederatedUser!.Arn, `arn:aws:sts::${ACCOUNT_ID}:federated-user/alice@example`);
    assert.equal(answer.FederatedUser!.FederatedUserId, `${ACCOUNT_ID}:alice@example`);
    assert.match(answer.Credentials!.AccessKeyId!, /^ASIA/);
    assert.ok(answer.PackedPolicySize! > 0 && answer.PackedPolicySize! <= 100);

    const federatedSts = new S.STSClient(clientConfig(server, keys(answer.Credentials!)));
    const identity = await federatedSts.send(new S.GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, answer.FederatedUser!.Arn);
    assert.equal(identity.UserId, `${ACCOUNT_ID}:alice@example`);
    assert.equal(identity.Account, ACCOUNT_ID);

    const federated = caller(server, answer.Credentials!);
    assert.deepEqual(await federated.list(), ['Team']);
    await rejectsWith(
      federated.read(),
      'AccessDeniedException',
      403,
      new RegExp(
        `^User: arn:aws:sts::${ACCOUNT_ID}:federated-user/alice@example is not authorized to perform: ${READ}`,
      ),
    );
    await rejectsWith(federated.create('Mallory'), 'AccessDeniedException', 403);
    // IAM is closed to federated credentials, whatever both policies allow.
    await rejectsWith(federated.iam.send(new I.ListUsersCommand({})), 'InvalidClientTokenId', 403);
    // Federated users cannot federate again.
    await rejectsWith(
      federatedSts.send(new S.GetFederationTokenCommand({ Name: 'again', Policy: policy(['*']) })),
      'AccessDenied',
      403,
    );
  });

  it('grants nothing without a session policy, and the union of managed session policies with one', async () => {
    const bare = await broker.send(new S.GetFederationTokenCommand({ Name: 'nobody' }));
    assert.equal(bare.PackedPolicySize, undefined);
    await rejectsWith(caller(server, bare.Credentials!).list(), 'AccessDeniedException', 403);
    // GetCallerIdentity needs no permission.
    const who = await new S.STSClient(clientConfig(server, keys(bare.Credentials!))).send(
      new S.GetCallerIdentityCommand({}),
    );
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT_ID}:federated-user/nobody`);

    const { Policy } = await root.send(
      new I.CreatePolicyCommand({ PolicyName: 'read-one', PolicyDocument: policy([READ]) }),
    );
    const managed = await broker.send(
      new S.GetFederationTokenCommand({
        Name: 'reader',
        PolicyArns: [{ arn: Policy!.Arn! }],
        Policy: policy([LIST]),
      }),
    );
    const reader = caller(server, managed.Credentials!);
    await reader.read();
    assert.deepEqual(await reader.list(), ['Team']);
  });

  it('reads the managed session policies at each request: a Deny in one denies, a new default version applies', async () => {
    const { Policy: reading } = await root.send(
      new I.CreatePolicyCommand({ PolicyName: 'federated-reading', PolicyDocument: policy([READ]) }),
    );
    const { Policy: denying } = await root.send(
      new I.CreatePolicyCommand({
        PolicyName: 'federated-no-list',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: LIST, Resource: '*' }],
        }),
      }),
    );
    const answer = await broker.send(
      new S.GetFederationTokenCommand({ Name: 'carol', PolicyArns: [{ arn: reading!.Arn! }] }),
    );
    assert.ok(answer.PackedPolicySize! > 0);
    const carol = caller(server, answer.Credentials!);
    await carol.read();
    await rejectsWith(
      carol.list(),
      'AccessDeniedException',
      403,
      /because no session policy allows the budgets:ViewBudget action$/,
    );
    // The broker's own policies allow listing; once the session policy does too, the session issued before may.
    await root.send(
      new I.CreatePolicyVersionCommand({
        PolicyArn: reading!.Arn!,
        PolicyDocument: policy([READ, LIST]),
        SetAsDefault: true,
      }),
    );
    assert.deepEqual(await carol.list(), ['Team']);

    const denied = await broker.send(
      new S.GetFederationTokenCommand({ Name: 'dave', PolicyArns: [{ arn: reading!.Arn! }, { arn: denying!.Arn! }] }),
    );
    const dave = caller(server, denied.Credentials!);
    await dave.read();
    await rejectsWith(dave.list(), 'AccessDeniedException', 403, /with an explicit deny in a session policy$/);
  });

  it("makes session tags the federated user's principal tags, when the user may sts:TagSession", async () => {
    const taggedPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: LIST,
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'billing' } },
        },
        {
          Effect: 'Allow',
          Action: READ,
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/cost': 'broker' } },
        },
      ],
    });
    // The broker's own tags: a federated user carries them, below its session tags.
    await root.send(
      new I.TagUserCommand({
        UserName: 'Broker',
        Tags: [
          { Key: 'Team', Value: 'platform' },
          { Key: 'cost', Value: 'broker' },
        ],
      }),
    );
    const ask = (Name: string, team: string) =>
      broker.send(
        new S.GetFederationTokenCommand({ Name, Policy: taggedPolicy, Tags: [{ Key: 'team', Value: team }] }),
      );
    await rejectsWith(ask('erin', 'billing'), 'AccessDenied', 403, /sts:TagSession/);
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Broker',
        PolicyName: 'tagging',
        PolicyDocument: policy(['sts:TagSession']),
      }),
    );
    const billing = caller(server, (await ask('erin', 'billing')).Credentials!);
    assert.deepEqual(await billing.list(), ['Team']);
    await billing.read();
    const other = caller(server, (await ask('frank', 'other')).Credentials!);
    await rejectsWith(other.list(), 'AccessDeniedException', 403);
    await root.send(new I.DeleteUserPolicyCommand({ UserName: 'Broker', PolicyName: 'tagging' }));
    await root.send(new I.UntagUserCommand({ UserName: 'Broker', TagKeys: ['Team', 'cost'] }));
  });

  it('refuses temporary credentials, callers without sts:GetFederationToken, and bad session policies', async () => {
    const session = await broker.send(new S.GetSessionTokenCommand({ DurationSeconds: 900 }));
    await rejectsWith(
      new S.STSClient(clientConfig(server, keys(session.Credentials!))).send(
        new S.GetFederationTokenCommand({ Name: 'fromsession' }),
      ),
      'AccessDenied',
      403,
      /^Cannot call GetFederationToken with session credentials$/,
    );

    await root.send(new I.CreateUserCommand({ UserName: 'Plain' }));
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Plain' }));
    const plain = new S.STSClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await rejectsWith(
      plain.send(new S.GetFederationTokenCommand({ Name: 'bob' })),
      'AccessDenied',
      403,
      new RegExp(
        `^User: arn:aws:iam::${ACCOUNT_ID}:user/Plain is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${ACCOUNT_ID}:federated-user/bob`,
      ),
    );

    await rejectsWith(
      broker.send(new S.GetFederationTokenCommand({ Name: 'bad', Policy: '{"Version":' })),
      'MalformedPolicyDocumentException',
      400,
      /^The policy is not in the valid JSON format\.$/,
    );
    await rejectsWith(
      broker.send(
        new S.GetFederationTokenCommand({ Name: 'bad', Policy: JSON.stringify({ Statement: [{ Effect: 'Maybe' }] }) }),
      ),
      'MalformedPolicyDocumentException',
      400,
    );
    await rejectsWith(
      broker.send(
        new S.GetFederationTokenCommand({
          Name: 'bad',
          PolicyArns: [{ arn: `arn:aws:iam::${ACCOUNT_ID}:policy/missing` }],
        }),
      ),
      'MalformedPolicyDocumentException',
      400,
    );
    await rejectsWith(
      broker.send(new S.GetFederationTokenCommand({ Name: 'bad', DurationSeconds: 899 })),
      'ValidationError',
      400,
    );
    await rejectsWith(broker.send(new S.GetFederationTokenCommand({ Name: 'x' })), 'ValidationError', 400);
  });

  it('lets the root user federate for at most an hour', async () => {
    const rootSts = new S.STSClient(clientConfig(server));
    const before = Date.now();
    const answer = await rootSts.send(
      new S.GetFederationTokenCommand({ Name: 'rootfed', DurationSeconds: 7200, Policy: policy([LIST]) }),
    );
    const lifetime = answer.Credentials!.Expiration!.getTime() - before;
    // The server's clock may differ from this process's; the session lasts an hour, not two.
    const offset = clientConfig(server).systemClockOffset;
    assert.ok(Math.abs(lifetime - offset - 3600_000) < 60_000, `lifetime ${lifetime - offset} ms`);
    const federated = caller(server, answer.Credentials!);
    assert.deepEqual(await federated.list(), ['Team']);
    await rejectsWith(federated.create('Nope'), 'AccessDeniedException', 403);
  });
});
