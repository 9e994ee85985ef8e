/**
 * Two server instances over one PostgreSQL schema: every resource-scoped decision one instance makes must
 * follow what the other just wrote — entity paths in resource ARNs, principal tags, a policy's default
 * version, group membership — even when the deciding instance has the caller's policies cached.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Caller } from '../../src/core/operation.js';
import type { World } from '../../src/server/world.js';
import { openSharedPostgres, testDatabases } from '../../src/store/test-databases.js';
import { buildTestWorld, facts, policyDocument, rootCaller, userCaller } from './helpers.js';

const postgres = (await testDatabases()).find((d) => d.label === 'postgres')!;

describe('two instances over one PostgreSQL store decide on each other’s writes', { skip: postgres.skip }, () => {
  let a: World;
  let b: World;
  let close: () => Promise<void>;
  let acct: string;

  const asRoot = (world: World, operation: string, input: Record<string, unknown>) =>
    world.invoke(rootCaller(acct), facts(), 'iam', operation, input);
  const as = (world: World, caller: Caller, operation: string, input: Record<string, unknown>) =>
    world.invoke(caller, facts(), 'iam', operation, input);

  /** A user with the given inline policies, as a caller. */
  async function principal(name: string, policies: Record<string, string>, path = '/'): Promise<Caller> {
    const { User } = (await asRoot(a, 'CreateUser', { UserName: name, Path: path })) as {
      User: { UserName: string; UserId: string; Arn: string };
    };
    for (const [policyName, document] of Object.entries(policies))
      await asRoot(a, 'PutUserPolicy', { UserName: name, PolicyName: policyName, PolicyDocument: document });
    return userCaller(acct, User);
  }

  before(async () => {
    const shared = await openSharedPostgres(2);
    a = await buildTestWorld(shared.stores[0]!);
    b = await buildTestWorld(shared.stores[1]!);
    close = shared.close;
    acct = (await a.accounts.signUp({ email: 'twins@example.com', password: 'Passw0rd!', accountName: 'Twins' }))
      .accountId;
  });
  after(async () => close?.());

  test('a Deny on user/protected/* holds on B for a user A just created under /protected/', async () => {
    const pq = await principal('pq', {
      allow: policyDocument('Allow', ['iam:GetUser', 'iam:DeleteUser']),
      deny: policyDocument('Deny', ['iam:GetUser', 'iam:DeleteUser'], `arn:aws:iam::*:user/protected/*`),
    });
    // B has pq's policies cached, and knows the name only as a user at `/` (it does not exist yet).
    await assert.rejects(as(b, pq, 'GetUser', { UserName: 'vault' }), { code: 'NoSuchEntity' });
    await asRoot(a, 'CreateUser', { UserName: 'vault', Path: '/protected/' });
    await assert.rejects(as(b, pq, 'GetUser', { UserName: 'vault' }), { code: 'AccessDenied' });
    await assert.rejects(as(b, pq, 'DeleteUser', { UserName: 'vault' }), { code: 'AccessDenied' });
    // Moved out of /protected/ by A: B allows again.
    await asRoot(a, 'UpdateUser', { UserName: 'vault', NewPath: '/open/' });
    assert.equal(
      ((await as(b, pq, 'GetUser', { UserName: 'vault' })) as { User: { Path: string } }).User.Path,
      '/open/',
    );
  });

  test('an Allow only on user/division/* holds on B for a user A just created under /division/', async () => {
    const scoped = await principal('scoped', {
      allow: policyDocument('Allow', 'iam:GetUser', 'arn:aws:iam::*:user/division/*'),
    });
    await assert.rejects(as(b, scoped, 'GetUser', { UserName: 'member' }), { code: 'AccessDenied' });
    await asRoot(a, 'CreateUser', { UserName: 'member', Path: '/division/' });
    const got = (await as(b, scoped, 'GetUser', { UserName: 'member' })) as { User: { Arn: string } };
    assert.equal(got.User.Arn, `arn:aws:iam::${acct}:user/division/member`);
  });

  test('a principal tag A removes stops granting on B', async () => {
    const tagged = await principal('tagged', {
      allow: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iam:ListUsers',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalTag/team': 'finance' } },
          },
        ],
      }),
    });
    await asRoot(a, 'TagUser', { UserName: 'tagged', Tags: [{ Key: 'team', Value: 'finance' }] });
    await as(b, tagged, 'ListUsers', {});
    await asRoot(a, 'UntagUser', { UserName: 'tagged', TagKeys: ['team'] });
    await assert.rejects(as(b, tagged, 'ListUsers', {}), { code: 'AccessDenied' });
  });

  test('a Deny version A makes the default applies on B at once, and so does going back', async () => {
    const versioned = await principal('versioned', { allow: policyDocument('Allow', 'iam:ListGroups') });
    const { Policy } = (await asRoot(a, 'CreatePolicy', {
      PolicyName: 'flip',
      PolicyDocument: policyDocument('Allow', 'iam:ListRoles'),
    })) as { Policy: { Arn: string } };
    await asRoot(a, 'AttachUserPolicy', { UserName: 'versioned', PolicyArn: Policy.Arn });
    await as(b, versioned, 'ListGroups', {});
    await asRoot(a, 'CreatePolicyVersion', {
      PolicyArn: Policy.Arn,
      PolicyDocument: policyDocument('Deny', 'iam:ListGroups'),
      SetAsDefault: true,
    });
    await assert.rejects(as(b, versioned, 'ListGroups', {}), { code: 'AccessDenied' });
    await asRoot(a, 'SetDefaultPolicyVersion', { PolicyArn: Policy.Arn, VersionId: 'v1' });
    await as(b, versioned, 'ListGroups', {});
  });

  test('removing a user from a group on A takes the group’s permissions away on B', async () => {
    const member = await principal('grouped', {});
    await asRoot(a, 'CreateGroup', { GroupName: 'readers' });
    await asRoot(a, 'PutGroupPolicy', {
      GroupName: 'readers',
      PolicyName: 'read',
      PolicyDocument: policyDocument('Allow', 'iam:ListPolicies'),
    });
    await asRoot(a, 'AddUserToGroup', { GroupName: 'readers', UserName: 'grouped' });
    await as(b, member, 'ListPolicies', {});
    await asRoot(a, 'RemoveUserFromGroup', { GroupName: 'readers', UserName: 'grouped' });
    await assert.rejects(as(b, member, 'ListPolicies', {}), { code: 'AccessDenied' });
  });
});
