import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { testNow } from '../test-clock.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, ROOT_KEY, startServer } from './harness.js';

describe('STS through @aws-sdk/client-sts', () => {
  let server: BursarServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it('GetCallerIdentity answers for the root user', async () => {
    const sts = new STSClient(clientConfig(server));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, ACCOUNT_ID);
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`);
    assert.equal(identity.UserId, ACCOUNT_ID);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const sts = new STSClient(
      clientConfig(server, { ...ROOT_KEY, secretAccessKey: 'not-the-secret-xxxxxxxxxxxxxxxxxxxxxxxxxx' }),
    );
    await assert.rejects(
      sts.send(new GetCallerIdentityCommand({})),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'SignatureDoesNotMatch');
        assert.equal(error.$metadata?.httpStatusCode, 403);
        return true;
      },
    );
  });

  it('GetSessionToken issues temporary credentials that act as the same principal', async () => {
    const sts = new STSClient(clientConfig(server));
    const { Credentials } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    assert.match(Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(Credentials!.Expiration instanceof Date);
    const temporary = new STSClient(
      clientConfig(server, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      }),
    );
    const identity = await temporary.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`);
  });

  describe('AssumeRole', () => {
    const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/Auditor`;
    let assumer: { accessKeyId: string; secretAccessKey: string };
    let stranger: { accessKeyId: string; secretAccessKey: string };

    before(async () => {
      const iam = new IAMClient(clientConfig(server));
      const keyOf = async (userName: string) => {
        await iam.send(new CreateUserCommand({ UserName: userName }));
        const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
        return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      };
      assumer = await keyOf('Assumer');
      stranger = await keyOf('Stranger');
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'Auditor',
          MaxSessionDuration: 7200,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/Assumer` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'Auditor',
          PolicyName: 'read-users',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }],
          }),
        }),
      );
    });

    const sessionClient = (credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) =>
      clientConfig(server, {
        accessKeyId: credentials.AccessKeyId!,
        secretAccessKey: credentials.SecretAccessKey!,
        sessionToken: credentials.SessionToken!,
      });

    it('issues role credentials to a principal the trust policy names', async () => {
      const sts = new STSClient(clientConfig(server, assumer));
      const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit-1' }));
      assert.equal(result.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Auditor/audit-1`);
      assert.match(result.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:audit-1$/);
      assert.match(result.Credentials!.AccessKeyId!, /^ASIA/);
      const identity = await new STSClient(sessionClient(result.Credentials!)).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Auditor/audit-1`);
      const iam = new IAMClient(sessionClient(result.Credentials!));
      assert.ok((await iam.send(new ListUsersCommand({}))).Users!.length >= 2);
      await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'Nope' })), (error: Error) => {
        assert.equal(error.name, 'AccessDenied');
        assert.equal(
          error.message,
          `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/Auditor/audit-1 is not authorized to perform: iam:CreateUser ` +
            `on resource: arn:aws:iam::${ACCOUNT_ID}:user/Nope because no identity-based policy allows the iam:CreateUser action`,
        );
        return true;
      });
    });

    it('refuses a principal the trust policy does not name', async () => {
      const sts = new STSClient(clientConfig(server, stranger));
      await assert.rejects(
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'stranger-session' })),
        (error: Error) => {
          assert.equal(error.name, 'AccessDenied');
          assert.match(
            error.message,
            /^User: arn:aws:iam::111122223333:user\/Stranger is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/Auditor/,
          );
          return true;
        },
      );
    });

    it('refuses a role that does not exist, even to root, naming the role and nothing else', async () => {
      const missing = `arn:aws:iam::${ACCOUNT_ID}:role/Nobody`;
      await assert.rejects(
        new STSClient(clientConfig(server)).send(
          new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'session' }),
        ),
        (error: Error) => {
          assert.equal(error.name, 'AccessDenied');
          assert.equal(
            error.message,
            `User: arn:aws:iam::${ACCOUNT_ID}:root is not authorized to perform: sts:AssumeRole on resource: ${missing}`,
          );
          return true;
        },
      );
    });

    it('intersects a session policy with the role policy', async () => {
      const sts = new STSClient(clientConfig(server, assumer));
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'narrow',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
          }),
        }),
      );
      const iam = new IAMClient(sessionClient(Credentials!));
      assert.equal((await iam.send(new GetUserCommand({ UserName: 'Assumer' }))).User!.UserName, 'Assumer');
      await assert.rejects(iam.send(new ListUsersCommand({})), { name: 'AccessDenied' });
    });

    it('keeps DurationSeconds within the role maximum and the role-chaining hour', async () => {
      const sts = new STSClient(clientConfig(server, assumer));
      await assert.rejects(
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'long', DurationSeconds: 7201 })),
        {
          name: 'ValidationError',
          message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        },
      );
      const ok = await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'two-hours', DurationSeconds: 7200 }),
      );
      assert.ok(ok.Credentials!.Expiration!.getTime() - testNow().getTime() > 7100 * 1000);
    });
  });
  describe('AssumeRole with managed session policies (PolicyArns)', () => {
    const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/Finance`;
    const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
    const document = (effect: 'Allow' | 'Deny', actions: string[]) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: actions, Resource: '*' }] });
    const billingRead = ['aws-portal:ViewBilling', 'ce:GetCostAndUsage'];
    let iam: IAMClient;
    let assumer: STSClient;

    before(async () => {
      iam = new IAMClient(clientConfig(server));
      await iam.send(new CreateUserCommand({ UserName: 'FinanceAssumer' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'FinanceAssumer' }));
      assumer = new STSClient(
        clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'Finance',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/FinanceAssumer` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      // The role may do everything in billing, Cost Explorer and IAM — not Budgets.
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'Finance',
          PolicyName: 'finance',
          PolicyDocument: document('Allow', ['aws-portal:*', 'ce:*', 'iam:*']),
        }),
      );
      for (const [name, effect, actions] of [
        ['BillingRead', 'Allow', billingRead],
        ['IamAll', 'Allow', ['iam:*']],
        ['NoCreateUser', 'Deny', ['iam:CreateUser']],
        ['Evolving', 'Allow', ['ce:GetCostAndUsage']],
      ] as const) {
        await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document(effect, [...actions]) }));
      }
    });

    const session = async (input: { PolicyArns?: string[]; Policy?: string }, name = 'finance') => {
      const answer = await assumer.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: name,
          ...(input.Policy === undefined ? {} : { Policy: input.Policy }),
          ...(input.PolicyArns === undefined ? {} : { PolicyArns: input.PolicyArns.map((arn) => ({ arn })) }),
        }),
      );
      const c = answer.Credentials!;
      const config = clientConfig(server, {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      });
      return {
        answer,
        arn: answer.AssumedRoleUser!.Arn!,
        iam: new IAMClient(config),
        ce: new CostExplorerClient(config),
        budgets: new BudgetsClient(config),
      };
    };
    const costs = (ce: CostExplorerClient) =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      );
    const refusal = (arn: string, action: string, resource: string, why: string) =>
      new RegExp(
        `^User: ${arn} is not authorized to perform: ${action} on resource: ${resource} ${why}$`.replace(
          /[/.]/g,
          '\\$&',
        ),
      );

    it('limits the session to the managed session policy: a billing read allowed, iam:CreateUser refused', async () => {
      // Without a session policy the role's permissions are whole: it may create a user.
      const full = await session({}, 'full');
      await full.iam.send(new CreateUserCommand({ UserName: 'MadeByFullSession' }));
      await iam.send(new DeleteUserCommand({ UserName: 'MadeByFullSession' }));

      const narrow = await session({ PolicyArns: [policyArn('BillingRead')] });
      assert.ok(narrow.answer.PackedPolicySize! > 0 && narrow.answer.PackedPolicySize! <= 100);
      assert.ok(Array.isArray((await costs(narrow.ce)).ResultsByTime));
      await rejectsWith(
        narrow.iam.send(new CreateUserCommand({ UserName: 'Nope' })),
        'AccessDenied',
        403,
        refusal(
          narrow.arn,
          'iam:CreateUser',
          `arn:aws:iam::${ACCOUNT_ID}:user/Nope`,
          'because no session policy allows the iam:CreateUser action',
        ),
      );
      await rejectsWith(narrow.iam.send(new ListUsersCommand({})), 'AccessDenied', 403);
    });

    it('takes the inline Policy and PolicyArns together as one session policy, within the role', async () => {
      const both = await session({
        PolicyArns: [policyArn('BillingRead')],
        Policy: document('Allow', ['iam:ListUsers', 'budgets:ViewBudget']),
      });
      assert.ok(Array.isArray((await costs(both.ce)).ResultsByTime));
      assert.ok((await both.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      await rejectsWith(
        both.iam.send(new CreateUserCommand({ UserName: 'Nope' })),
        'AccessDenied',
        403,
        /because no session policy allows the iam:CreateUser action$/,
      );
      // budgets:ViewBudget is in the session policy but not the role's: the session never exceeds the role.
      await rejectsWith(
        both.budgets.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID })),
        'AccessDeniedException',
        403,
        /because no identity-based policy allows the budgets:ViewBudget action$/,
      );
    });

    it('denies what a managed session policy denies, and the decoded denial names the policy', async () => {
      const denied = await session({ PolicyArns: [policyArn('IamAll'), policyArn('NoCreateUser')] });
      assert.ok((await denied.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      let encoded: string | undefined;
      await assert.rejects(
        denied.iam.send(new CreateUserCommand({ UserName: 'Nope' })),
        (error: Error & { $response?: { headers: Record<string, string> } }) => {
          assert.equal(error.name, 'AccessDenied');
          assert.match(error.message, /with an explicit deny in a session policy$/);
          encoded = error.$response?.headers['x-bursar-encoded-authorization-message'];
          return true;
        },
      );
      const decoded = JSON.parse(
        (
          await new STSClient(clientConfig(server)).send(
            new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }),
          )
        ).DecodedMessage!,
      ) as { explicitDeny: boolean; matchedStatements: { items: Array<{ policyType: string; policyId: string }> } };
      assert.equal(decoded.explicitDeny, true);
      assert.deepEqual(
        decoded.matchedStatements.items.map((s) => [s.policyType, s.policyId]),
        [['session', policyArn('NoCreateUser')]],
      );
    });

    it("refuses at AssumeRole an ARN that is not a policy the role's account has, and takes an AWS managed one", async () => {
      for (const arn of [policyArn('Missing'), 'arn:aws:iam::999999999999:policy/BillingRead']) {
        await rejectsWith(
          assumer.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bad', PolicyArns: [{ arn }] })),
          'MalformedPolicyDocumentException',
          400,
          new RegExp(`^Policy ${arn.replace(/[/.]/g, '\\$&')} does not exist or is not attachable\\.$`),
        );
      }
      const readOnly = await session({ PolicyArns: ['arn:aws:iam::aws:policy/IAMReadOnlyAccess'] });
      assert.ok((await readOnly.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      await rejectsWith(readOnly.iam.send(new CreateUserCommand({ UserName: 'Nope' })), 'AccessDenied', 403);
      await rejectsWith(costs(readOnly.ce), 'AccessDeniedException', 403);
    });

    it('keeps the decisions of two sessions of one role with different PolicyArns apart', async () => {
      const billing = await session({ PolicyArns: [policyArn('BillingRead')] }, 'billing');
      const admin = await session({ PolicyArns: [policyArn('IamAll')] }, 'admin');
      // Asked in turn, so that a decision cached for one session would answer the other.
      assert.ok((await admin.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      await rejectsWith(billing.iam.send(new ListUsersCommand({})), 'AccessDenied', 403);
      assert.ok((await admin.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      assert.ok(Array.isArray((await costs(billing.ce)).ResultsByTime));
      await rejectsWith(costs(admin.ce), 'AccessDeniedException', 403);
      assert.ok(Array.isArray((await costs(billing.ce)).ResultsByTime));
    });

    it("applies a managed session policy's new default version to the sessions already issued", async () => {
      const evolving = await session({ PolicyArns: [policyArn('Evolving')] });
      await rejectsWith(evolving.iam.send(new ListUsersCommand({})), 'AccessDenied', 403);
      await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: policyArn('Evolving'),
          PolicyDocument: document('Allow', ['ce:GetCostAndUsage', 'iam:ListUsers']),
          SetAsDefault: true,
        }),
      );
      assert.ok((await evolving.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
    });
  });
  describe('AssumeRole session tags (Tags, TransitiveTagKeys)', () => {
    const arn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
    let iam: IAMClient;
    let assumer: STSClient;
    const trust = (principal: string, tagSession: boolean) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' },
          ...(tagSession
            ? [
                {
                  Effect: 'Allow',
                  Principal: { AWS: principal },
                  Action: 'sts:TagSession',
                  Condition: { StringEquals: { 'aws:RequestTag/team': ['billing', 'platform'] } },
                },
              ]
            : []),
        ],
      });
    // iam:ListUsers for the billing team, iam:GetUser for whoever carries the role's cost tag.
    const byTags = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:ListUsers',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'billing' } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:GetUser',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/cost': 'role' } },
        },
        { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: arn('Next') },
      ],
    });

    before(async () => {
      iam = new IAMClient(clientConfig(server));
      await iam.send(new CreateUserCommand({ UserName: 'TagAssumer' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'TagAssumer' }));
      assumer = new STSClient(
        clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
      );
      const user = `arn:aws:iam::${ACCOUNT_ID}:user/TagAssumer`;
      for (const [name, principal, tagSession] of [
        ['Tagged', user, true],
        ['Untaggable', user, false],
        ['Next', arn('Tagged'), true],
      ] as const) {
        await iam.send(
          new CreateRoleCommand({
            RoleName: name,
            AssumeRolePolicyDocument: trust(principal, tagSession),
            Tags: [
              { Key: 'Team', Value: 'platform' },
              { Key: 'cost', Value: 'role' },
            ],
          }),
        );
        await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'by-tags', PolicyDocument: byTags }));
      }
    });

    const clientsOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) => {
      const config = clientConfig(server, {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      });
      return { iam: new IAMClient(config), sts: new STSClient(config) };
    };

    it("makes session tags the session's principal tags, above the role's tags of the same key", async () => {
      const plain = clientsOf(
        (await assumer.send(new AssumeRoleCommand({ RoleArn: arn('Tagged'), RoleSessionName: 'plain' }))).Credentials!,
      );
      // The role's own tags: Team=platform (no ListUsers), cost=role (GetUser).
      await rejectsWith(plain.iam.send(new ListUsersCommand({})), 'AccessDenied', 403);
      assert.equal((await plain.iam.send(new GetUserCommand({ UserName: 'TagAssumer' }))).User!.UserName, 'TagAssumer');

      const answer = await assumer.send(
        new AssumeRoleCommand({
          RoleArn: arn('Tagged'),
          RoleSessionName: 'billing',
          Tags: [{ Key: 'team', Value: 'billing' }],
        }),
      );
      assert.ok(answer.PackedPolicySize! > 0);
      const tagged = clientsOf(answer.Credentials!);
      assert.ok((await tagged.iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      assert.equal(
        (await tagged.iam.send(new GetUserCommand({ UserName: 'TagAssumer' }))).User!.UserName,
        'TagAssumer',
      );
    });

    it('needs sts:TagSession in the trust policy, with its conditions on the tags passed', async () => {
      await rejectsWith(
        assumer.send(
          new AssumeRoleCommand({
            RoleArn: arn('Tagged'),
            RoleSessionName: 'other',
            Tags: [{ Key: 'team', Value: 'other' }],
          }),
        ),
        'AccessDenied',
        403,
        new RegExp(`^User: arn:aws:iam::${ACCOUNT_ID}:user/TagAssumer is not authorized to perform: sts:TagSession`),
      );
      await rejectsWith(
        assumer.send(
          new AssumeRoleCommand({
            RoleArn: arn('Untaggable'),
            RoleSessionName: 'tagged',
            Tags: [{ Key: 'team', Value: 'billing' }],
          }),
        ),
        'AccessDenied',
        403,
        /sts:TagSession/,
      );
      const untagged = await assumer.send(
        new AssumeRoleCommand({ RoleArn: arn('Untaggable'), RoleSessionName: 'untagged' }),
      );
      assert.match(untagged.Credentials!.AccessKeyId!, /^ASIA/);
    });

    it('passes transitive tags on along a role chain, and only those', async () => {
      const chainFrom = async (transitive: boolean) => {
        const first = await assumer.send(
          new AssumeRoleCommand({
            RoleArn: arn('Tagged'),
            RoleSessionName: transitive ? 'first-transitive' : 'first',
            Tags: [{ Key: 'team', Value: 'billing' }],
            ...(transitive ? { TransitiveTagKeys: ['team'] } : {}),
          }),
        );
        const next = await clientsOf(first.Credentials!).sts.send(
          new AssumeRoleCommand({ RoleArn: arn('Next'), RoleSessionName: 'second' }),
        );
        return clientsOf(next.Credentials!);
      };
      assert.ok((await (await chainFrom(true)).iam.send(new ListUsersCommand({}))).Users!.length >= 1);
      await rejectsWith((await chainFrom(false)).iam.send(new ListUsersCommand({})), 'AccessDenied', 403);
    });

    it('refuses keys that differ only in case, and another value for a transitive tag down the chain', async () => {
      await rejectsWith(
        assumer.send(
          new AssumeRoleCommand({
            RoleArn: arn('Tagged'),
            RoleSessionName: 'twice',
            Tags: [
              { Key: 'team', Value: 'billing' },
              { Key: 'TEAM', Value: 'platform' },
            ],
          }),
        ),
        'ValidationError',
        400,
        /^Duplicate tag keys found/,
      );
      const first = await assumer.send(
        new AssumeRoleCommand({
          RoleArn: arn('Tagged'),
          RoleSessionName: 'chain-start',
          Tags: [{ Key: 'team', Value: 'billing' }],
          TransitiveTagKeys: ['team'],
        }),
      );
      const chained = clientsOf(first.Credentials!).sts;
      await rejectsWith(
        chained.send(
          new AssumeRoleCommand({
            RoleArn: arn('Next'),
            RoleSessionName: 'override',
            Tags: [{ Key: 'Team', Value: 'platform' }],
          }),
        ),
        'ValidationError',
        400,
        /transitive tag/,
      );
      // The same value is no change.
      await chained.send(
        new AssumeRoleCommand({
          RoleArn: arn('Next'),
          RoleSessionName: 'same',
          Tags: [{ Key: 'team', Value: 'billing' }],
        }),
      );
    });
  });
});
