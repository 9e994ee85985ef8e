/**
 * The store contract: the IAM domain's persistence rules, run unchanged against SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HOTP, Secret } from 'otpauth';
import { createIamServices, type IamServices } from '../iam/index.js';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { evaluate } from '../policy/index.js';
import type { Caller } from '../core/operation.js';
import type { OpenedDatabase } from './database.js';
import { testDatabases } from './test-databases.js';

const START = '2026-11-27T12:00:00.000Z';

function doc(action: string | string[], effect: 'Allow' | 'Deny' = 'Allow'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
}

async function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message ?? '', message);
    return true;
  });
}

for (const target of await testDatabases()) {
  describe(`store contract: IAM on ${target.label}`, { skip: target.skip }, () => {
    let opened: OpenedDatabase;
    let iam: IamServices;
    let clock: FixedClock;
    let acct: string;
    let other: string;

    before(async () => {
      opened = await target.open();
      clock = new FixedClock(START);
      iam = await createIamServices({
        db: opened.db,
        clock,
        ids: seededIdSource(`contract-${target.label}`),
        passwordHashCost: 1024,
        sharedStore: opened.dialect === 'postgres',
      });
      acct = (await iam.accounts.signUp({ email: 'owner@example.com', password: 'Sup3r-secret', accountName: 'Main' }))
        .accountId;
      other = (
        await iam.accounts.signUp({
          email: 'other@example.com',
          password: 'Sup3r-secret',
          accountName: 'Other',
          accountId: '222222222222',
        })
      ).accountId;
    });
    after(async () => opened?.close());

    test('migrations ran and report what they applied', () => {
      assert.ok(opened.migrations.applied.includes('0001-iam'));
      assert.equal(opened.migrations.alreadyApplied, 0);
    });

    test('sign-up: 12-digit account id, unique email, root password verified', async () => {
      assert.match(acct, /^\d{12}$/);
      await rejectsWith(
        iam.accounts.signUp({ email: 'OWNER@example.com', password: 'Sup3r-secret', accountName: 'Dup' }),
        'EntityAlreadyExists',
      );
      assert.equal((await iam.accounts.verifyRootPassword('owner@example.com', 'Sup3r-secret'))?.accountId, acct);
      assert.equal(await iam.accounts.verifyRootPassword('owner@example.com', 'wrong-Passw0rd'), undefined);
    });

    test('users: create, read, rename, list by path, names unique without regard to case', async () => {
      const user = await iam.users.create(acct, { UserName: 'Alice', Path: '/finance/' });
      assert.match(user.UserId, /^AIDA[A-Z2-7]{17}$/);
      assert.equal(user.Arn, `arn:aws:iam::${acct}:user/finance/Alice`);
      await rejectsWith(
        iam.users.create(acct, { UserName: 'alice' }),
        'EntityAlreadyExists',
        'User with name alice already exists.',
      );
      await iam.users.create(other, { UserName: 'Alice' });
      assert.equal((await iam.users.get(acct, 'ALICE')).UserName, 'Alice');
      await iam.users.create(acct, { UserName: 'Bob' });
      assert.deepEqual(
        (await iam.users.list(acct, '/finance/', { limit: 100 })).items.map((u) => u.UserName),
        ['Alice'],
      );
      // Pages are read in SQL: name order without regard to case, continuing after the last key.
      await iam.users.create(acct, { UserName: 'carol', Path: '/finance/' });
      const first = await iam.users.list(acct, undefined, { limit: 2 });
      assert.deepEqual(
        first.items.map((u) => u.UserName),
        ['Alice', 'Bob'],
      );
      assert.equal(first.nextAfter, 'bob');
      const rest = await iam.users.list(acct, undefined, { limit: 2, after: first.nextAfter! });
      assert.deepEqual(
        rest.items.map((u) => u.UserName),
        ['carol'],
      );
      assert.equal(rest.nextAfter, undefined);
      await iam.users.delete(acct, 'carol');
      await iam.users.update(acct, 'Bob', { NewUserName: 'Robert' });
      await rejectsWith(iam.users.get(acct, 'Bob'), 'NoSuchEntity', 'The user with name Bob cannot be found.');
      await iam.users.delete(acct, 'Robert');
    });

    test('groups and memberships, at most 10 groups per user', async () => {
      await iam.users.create(acct, { UserName: 'Grace' });
      for (let i = 0; i < 10; i++) {
        await iam.groups.create(acct, { GroupName: `G${i}` });
        await iam.groups.addUser(acct, `G${i}`, 'Grace');
      }
      await iam.groups.create(acct, { GroupName: 'G10' });
      await rejectsWith(
        iam.groups.addUser(acct, 'G10', 'Grace'),
        'LimitExceeded',
        'Cannot exceed quota for GroupsPerUser: 10',
      );
      assert.equal((await iam.groups.listForUser(acct, 'grace')).length, 10);
      assert.deepEqual(
        (await iam.groups.get(acct, 'G0')).Users.map((u) => u.UserName),
        ['Grace'],
      );
      await rejectsWith(iam.groups.delete(acct, 'G0'), 'DeleteConflict');
      await rejectsWith(iam.users.delete(acct, 'Grace'), 'DeleteConflict');
      for (let i = 0; i < 10; i++) await iam.groups.removeUser(acct, `G${i}`, 'Grace');
      await iam.users.delete(acct, 'Grace');
      await iam.groups.delete(acct, 'G0');
      await rejectsWith(iam.groups.get(acct, 'G0'), 'NoSuchEntity', 'The group with name G0 cannot be found.');
    });

    test('managed policies: versions up to five, default version, delete rules', async () => {
      const policy = await iam.policies.create(acct, {
        PolicyName: 'Billing-View',
        PolicyDocument: doc('aws-portal:ViewBilling'),
      });
      assert.match(policy.PolicyId, /^ANPA[A-Z2-7]{17}$/);
      assert.equal(policy.DefaultVersionId, 'v1');
      await rejectsWith(
        iam.policies.create(acct, { PolicyName: 'billing-view', PolicyDocument: doc('s3:*') }),
        'EntityAlreadyExists',
      );
      for (let i = 2; i <= 5; i++) {
        const { PolicyVersion } = await iam.policies.createVersion(acct, {
          PolicyArn: policy.Arn,
          PolicyDocument: doc(`aws-portal:View${i}`),
        });
        assert.equal(PolicyVersion.VersionId, `v${i}`);
      }
      await rejectsWith(
        iam.policies.createVersion(acct, { PolicyArn: policy.Arn, PolicyDocument: doc('s3:*') }),
        'LimitExceeded',
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      );
      await rejectsWith(
        iam.policies.deleteVersion(acct, policy.Arn, 'v1'),
        'DeleteConflict',
        'Cannot delete the default version of a policy.',
      );
      await iam.policies.setDefaultVersion(acct, policy.Arn, 'v3');
      await iam.policies.deleteVersion(acct, policy.Arn, 'v1');
      const { PolicyVersion } = await iam.policies.createVersion(acct, {
        PolicyArn: policy.Arn,
        PolicyDocument: doc('s3:*'),
        SetAsDefault: true,
      });
      assert.equal(PolicyVersion.VersionId, 'v6');
      assert.equal((await iam.policies.get(acct, policy.Arn)).DefaultVersionId, 'v6');
      assert.deepEqual(
        (await iam.policies.listVersions(acct, policy.Arn)).map((v) => v.VersionId),
        ['v6', 'v5', 'v4', 'v3', 'v2'],
      );
      assert.equal((await iam.policies.getVersion(acct, policy.Arn, 'v6')).PolicyVersion.Document, doc('s3:*'));
      await rejectsWith(iam.policies.delete(acct, policy.Arn), 'DeleteConflict');
      for (const v of ['v2', 'v3', 'v4', 'v5']) await iam.policies.deleteVersion(acct, policy.Arn, v);
      await iam.policies.delete(acct, policy.Arn);
      await rejectsWith(iam.policies.get(acct, policy.Arn), 'NoSuchEntity', `Policy ${policy.Arn} was not found.`);
      await rejectsWith(
        iam.policies.create(acct, { PolicyName: 'Broken', PolicyDocument: '{"Statement": [' }),
        'MalformedPolicyDocument',
      );
    });

    test('AWS managed policies are seeded with their ARNs and paths', async () => {
      const billing = await iam.policies.get(acct, 'arn:aws:iam::aws:policy/job-function/Billing');
      assert.equal(billing.Path, '/job-function/');
      assert.equal(billing.DefaultVersionId, 'v30');
      const names = (await iam.policies.list(acct, { Scope: 'AWS' })).map((p) => p.PolicyName);
      for (const expected of [
        'AdministratorAccess',
        'PowerUserAccess',
        'ReadOnlyAccess',
        'ViewOnlyAccess',
        'IAMFullAccess',
        'IAMReadOnlyAccess',
        'IAMUserChangePassword',
        'Billing',
        'AWSBillingReadOnlyAccess',
      ]) {
        assert.ok(names.includes(expected), expected);
      }
      // That nobody can change them is the engine's service rule: test/iam/service-rules.test.ts.
    });

    test('attachments: at most 10 managed policies per entity; entities for a policy; counts', async () => {
      await iam.users.create(acct, { UserName: 'Attached' });
      const arns = [];
      for (let i = 0; i < 11; i++)
        arns.push((await iam.policies.create(acct, { PolicyName: `P${i}`, PolicyDocument: doc(`s3:Get${i}`) })).Arn);
      for (const a of arns.slice(0, 10)) await iam.entityPolicies.attach(acct, 'user', 'Attached', a);
      await rejectsWith(
        iam.entityPolicies.attach(acct, 'user', 'Attached', arns[10]!),
        'LimitExceeded',
        'Cannot exceed quota for PoliciesPerUser: 10',
      );
      assert.equal((await iam.entityPolicies.listAttached(acct, 'user', 'Attached')).length, 10);
      assert.deepEqual(
        (await iam.entityPolicies.entitiesFor(acct, arns[0]!)).PolicyUsers.map((u) => u.UserName),
        ['Attached'],
      );
      assert.equal((await iam.policies.get(acct, arns[0]!)).AttachmentCount, 1);
      await rejectsWith(
        iam.policies.delete(acct, arns[0]!),
        'DeleteConflict',
        'Cannot delete a policy attached to entities.',
      );
      await rejectsWith(iam.entityPolicies.detach(acct, 'user', 'Attached', arns[10]!), 'NoSuchEntity');
      await rejectsWith(
        iam.entityPolicies.attach(acct, 'user', 'Attached', `arn:aws:iam::${other}:policy/Nope`),
        'NoSuchEntity',
      );
      for (const a of arns.slice(0, 10)) await iam.entityPolicies.detach(acct, 'user', 'Attached', a);
      await iam.users.delete(acct, 'Attached');
    });

    test('inline policies and permission boundaries', async () => {
      await iam.roles.create(acct, {
        RoleName: 'Auditor',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole' }],
        }),
      });
      await iam.entityPolicies.putInline(acct, 'role', 'Auditor', 'Read', doc('s3:Get*'));
      await iam.entityPolicies.putInline(acct, 'role', 'Auditor', 'Read', doc('s3:List*'));
      assert.deepEqual(await iam.entityPolicies.listInline(acct, 'role', 'Auditor'), ['Read']);
      assert.equal(
        (await iam.entityPolicies.getInline(acct, 'role', 'Auditor', 'Read')).PolicyDocument,
        doc('s3:List*'),
      );
      await rejectsWith(
        iam.entityPolicies.getInline(acct, 'role', 'Auditor', 'Nope'),
        'NoSuchEntity',
        'The role policy with name Nope cannot be found.',
      );
      await iam.entityPolicies.putBoundary(acct, 'role', 'Auditor', 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      assert.equal(
        (await iam.roles.get(acct, 'Auditor')).PermissionsBoundary?.PermissionsBoundaryArn,
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      );
      await rejectsWith(iam.roles.delete(acct, 'Auditor'), 'DeleteConflict');
      await iam.entityPolicies.deleteInline(acct, 'role', 'Auditor', 'Read');
      await iam.entityPolicies.deleteBoundary(acct, 'role', 'Auditor');
      await iam.roles.delete(acct, 'Auditor');
      await rejectsWith(
        iam.roles.create(acct, { RoleName: 'NoTrust', AssumeRolePolicyDocument: doc('s3:*') }),
        'MalformedPolicyDocument',
      );
      const used = await iam.roles.create(acct, {
        RoleName: 'Used',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole' }],
        }),
      });
      const session: Caller = {
        kind: 'assumed-role',
        accountId: acct,
        arn: `arn:aws:sts::${acct}:assumed-role/Used/s1`,
        userId: `${used.RoleId}:s1`,
        roleArn: used.Arn,
        sessionName: 's1',
        accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
      };
      await iam.recordCallerUse(session, 'iam', 'eu-west-1', clock.now());
      assert.deepEqual((await iam.roles.get(acct, 'Used')).RoleLastUsed, {
        LastUsedDate: clock.now(),
        Region: 'eu-west-1',
      });
      await iam.roles.delete(acct, 'Used');
    });

    test('access keys: at most two per user, status, lookup for SigV4, root keys', async () => {
      await iam.users.create(acct, { UserName: 'Keys' });
      const first = await iam.accessKeys.create(acct, 'Keys');
      assert.match(first.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(first.SecretAccessKey.length, 40);
      await iam.accessKeys.create(acct, 'Keys');
      await rejectsWith(
        iam.accessKeys.create(acct, 'Keys'),
        'LimitExceeded',
        'Cannot exceed quota for AccessKeysPerUser: 2',
      );
      await iam.accessKeys.updateStatus(acct, first.AccessKeyId, 'Inactive', 'Keys');
      const found = await iam.findAccessKey(first.AccessKeyId);
      assert.equal(found?.status, 'Inactive');
      assert.equal(found?.secretAccessKey, first.SecretAccessKey);
      assert.equal(found?.caller.arn, `arn:aws:iam::${acct}:user/Keys`);
      await iam.recordCallerUse(found!.caller, 'iam', 'us-east-1', clock.now());
      assert.deepEqual((await iam.accessKeys.lastUsed(acct, first.AccessKeyId)).AccessKeyLastUsed, {
        LastUsedDate: clock.now(),
        ServiceName: 'iam',
        Region: 'us-east-1',
      });
      await rejectsWith(
        iam.users.delete(acct, 'Keys'),
        'DeleteConflict',
        'Cannot delete entity, must delete access keys first.',
      );
      for (const k of await iam.accessKeys.list(acct, 'Keys')) await iam.accessKeys.delete(acct, k.AccessKeyId, 'Keys');
      await iam.users.delete(acct, 'Keys');
      const root = await iam.accessKeys.create(acct);
      assert.equal((await iam.findAccessKey(root.AccessKeyId))?.caller.kind, 'root');
      assert.equal(await iam.findAccessKey('AKIAAAAAAAAAAAAAAAAA'), undefined);
    });

    test('login profiles: password policy enforced, verify, reset required', async () => {
      await iam.users.create(acct, { UserName: 'Console' });
      await rejectsWith(
        iam.loginProfiles.create(acct, { UserName: 'Console', Password: 'short' }),
        'PasswordPolicyViolation',
      );
      await iam.accounts.updatePasswordPolicy(acct, {
        MinimumPasswordLength: 12,
        RequireNumbers: true,
        AllowUsersToChangePassword: true,
      });
      await rejectsWith(
        iam.loginProfiles.create(acct, { UserName: 'Console', Password: 'NoNumbersHereAtAll' }),
        'PasswordPolicyViolation',
        'Password should have at least one number',
      );
      const { LoginProfile } = await iam.loginProfiles.create(acct, {
        UserName: 'Console',
        Password: 'Long-enough-1',
        PasswordResetRequired: true,
      });
      assert.equal(LoginProfile.PasswordResetRequired, true);
      await rejectsWith(
        iam.loginProfiles.create(acct, { UserName: 'Console', Password: 'Long-enough-2' }),
        'EntityAlreadyExists',
      );
      assert.equal((await iam.loginProfiles.verify(acct, 'console', 'Long-enough-1'))?.passwordResetRequired, true);
      assert.equal(await iam.loginProfiles.verify(acct, 'Console', 'Long-enough-2'), undefined);
      await iam.loginProfiles.changeOwnPassword(acct, 'Console', 'Long-enough-1', 'Long-enough-3');
      assert.equal((await iam.loginProfiles.verify(acct, 'Console', 'Long-enough-3'))?.passwordResetRequired, false);
      await iam.loginProfiles.delete(acct, 'Console');
      await rejectsWith(
        iam.loginProfiles.get(acct, 'Console'),
        'NoSuchEntity',
        'Login Profile for User Console cannot be found.',
      );
      await iam.accounts.deletePasswordPolicy(acct);
      await rejectsWith(iam.accounts.requirePasswordPolicy(acct), 'NoSuchEntity');
    });

    test('virtual MFA: enable with two consecutive codes, verify once per time step, deactivate, delete', async () => {
      await iam.users.create(acct, { UserName: 'Mfa' });
      const created = await iam.mfa.createVirtual(acct, { VirtualMFADeviceName: 'Mfa' });
      assert.equal(created.VirtualMFADevice.SerialNumber, `arn:aws:iam::${acct}:mfa/Mfa`);
      assert.match(created.otpauthUri, /^otpauth:\/\/totp\//);
      const secret = Secret.fromBase32(created.seedBase32);
      const step = Math.floor(clock.now().getTime() / 30000);
      const code = (counter: number) => HOTP.generate({ secret, counter });
      await rejectsWith(
        iam.mfa.enable(acct, 'Mfa', created.VirtualMFADevice.SerialNumber, code(step), code(step + 5)),
        'InvalidAuthenticationCode',
      );
      await iam.mfa.enable(acct, 'Mfa', created.VirtualMFADevice.SerialNumber, code(step - 1), code(step));
      assert.equal((await iam.mfa.listForUser(acct, 'Mfa')).length, 1);
      const user = await iam.users.get(acct, 'Mfa');
      const caller: Caller = { kind: 'user', accountId: acct, arn: user.Arn, userId: user.UserId, name: 'Mfa' };
      clock.advance(30_000);
      assert.equal(await iam.mfa.verify(caller, undefined, code(step + 1), clock.now()), true);
      assert.equal(
        await iam.mfa.verify(caller, undefined, code(step + 1), clock.now()),
        false,
        'a code is accepted once',
      );
      await rejectsWith(iam.mfa.deleteVirtual(acct, created.VirtualMFADevice.SerialNumber), 'DeleteConflict');
      await iam.mfa.deactivate(acct, 'Mfa', created.VirtualMFADevice.SerialNumber);
      await iam.mfa.deleteVirtual(acct, created.VirtualMFADevice.SerialNumber);
      assert.equal((await iam.mfa.listVirtual(acct)).length, 0);
    });

    test('account aliases: one per account, unique across accounts', async () => {
      await iam.accounts.createAlias(acct, 'acme-main');
      await rejectsWith(iam.accounts.createAlias(other, 'acme-main'), 'EntityAlreadyExists');
      await rejectsWith(iam.accounts.createAlias(acct, 'acme-second'), 'LimitExceeded');
      assert.deepEqual(await iam.accounts.listAliases(acct), ['acme-main']);
      assert.equal((await iam.accounts.findBySignInName('acme-main'))?.accountId, acct);
      await iam.accounts.deleteAlias(acct, 'acme-main');
      await iam.accounts.createAlias(other, 'acme-main');
      await iam.accounts.deleteAlias(other, 'acme-main');
    });

    test('tags on users and policies', async () => {
      await iam.users.create(acct, { UserName: 'Tagged', Tags: [{ Key: 'team', Value: 'finance' }] });
      const id = (await iam.users.get(acct, 'Tagged')).UserId;
      await iam.context.write(acct, (trx) =>
        iam.tags.tag(trx, 'user', id, [
          { Key: 'TEAM', Value: 'billing' },
          { Key: 'cost', Value: '42' },
        ]),
      );
      assert.deepEqual(await iam.tags.list('user', id), [
        { Key: 'TEAM', Value: 'billing' },
        { Key: 'cost', Value: '42' },
      ]);
      // GetUser reads the user and its tags in one joined query: same tags, same order, same fields.
      const got = await iam.users.get(acct, 'tagged');
      assert.deepEqual(got.Tags, await iam.tags.list('user', id));
      assert.equal(got.UserName, 'Tagged');
      assert.equal(got.Arn, `arn:aws:iam::${acct}:user/Tagged`);
      assert.equal('tag_key' in got, false);
      await iam.context.write(acct, (trx) => iam.tags.untag(trx, 'user', id, ['team']));
      assert.deepEqual(await iam.tags.list('user', id), [{ Key: 'cost', Value: '42' }]);
      await iam.context.write(acct, (trx) => iam.tags.untag(trx, 'user', id, ['cost']));
      assert.equal((await iam.users.get(acct, 'Tagged')).Tags, undefined);
      await iam.users.delete(acct, 'Tagged');
    });

    test('a failed write leaves nothing behind', async () => {
      await assert.rejects(
        iam.context.write(acct, async (trx) => {
          await trx
            .insertInto('iam_users')
            .values({
              user_id: 'AIDAROLLBACK000000000',
              account_id: acct,
              name: 'Ghost',
              name_key: 'ghost',
              path: '/',
              arn: `arn:aws:iam::${acct}:user/Ghost`,
              created_at: START,
              password_last_used: null,
              permissions_boundary_arn: null,
            })
            .execute();
          // Same ARN again: the unique constraint fails mid-transaction.
          await trx
            .insertInto('iam_users')
            .values({
              user_id: 'AIDAROLLBACK000000001',
              account_id: acct,
              name: 'Ghost2',
              name_key: 'ghost2',
              path: '/',
              arn: `arn:aws:iam::${acct}:user/Ghost`,
              created_at: START,
              password_last_used: null,
              permissions_boundary_arn: null,
            })
            .execute();
        }),
      );
      await rejectsWith(iam.users.get(acct, 'Ghost'), 'NoSuchEntity');
      // A domain call that fails validation after its lookups writes nothing either.
      await rejectsWith(
        iam.users.create(acct, { UserName: 'Bounded', PermissionsBoundary: `arn:aws:iam::${acct}:policy/Missing` }),
        'NoSuchEntity',
      );
      await rejectsWith(iam.users.get(acct, 'Bounded'), 'NoSuchEntity');
    });

    test('principal resolution follows every change at once', async () => {
      const user = await iam.users.create(acct, { UserName: 'Resolved' });
      await iam.groups.create(acct, { GroupName: 'Readers' });
      const caller: Caller = { kind: 'user', accountId: acct, arn: user.Arn, userId: user.UserId, name: 'Resolved' };
      const decide = async (action: string) =>
        evaluate({ principal: user.Arn, action, resource: '*' }, (await iam.resolver.resolve(caller)).set).decision;
      assert.equal(await decide('iam:GetUser'), 'ImplicitlyDenied');
      await iam.groups.addUser(acct, 'Readers', 'Resolved');
      await iam.entityPolicies.attach(acct, 'group', 'Readers', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
      assert.equal(await decide('iam:GetUser'), 'Allowed');
      await iam.entityPolicies.detach(acct, 'group', 'Readers', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
      assert.equal(await decide('iam:GetUser'), 'ImplicitlyDenied', 'detach takes effect on the next resolution');
      const own = await iam.policies.create(acct, { PolicyName: 'Own', PolicyDocument: doc('iam:GetUser') });
      await iam.entityPolicies.attach(acct, 'user', 'Resolved', own.Arn);
      assert.equal(await decide('iam:GetUser'), 'Allowed');
      await iam.policies.createVersion(acct, {
        PolicyArn: own.Arn,
        PolicyDocument: doc('iam:ListUsers'),
        SetAsDefault: true,
      });
      assert.equal(await decide('iam:GetUser'), 'ImplicitlyDenied', 'a new default version takes effect');
      await iam.entityPolicies.putInline(acct, 'group', 'Readers', 'Inline', doc('iam:GetUser'));
      assert.equal(await decide('iam:GetUser'), 'Allowed');
      await iam.entityPolicies.putBoundary(acct, 'user', 'Resolved', own.Arn);
      assert.equal(await decide('iam:GetUser'), 'ImplicitlyDenied', 'the boundary intersects');
      await iam.entityPolicies.deleteBoundary(acct, 'user', 'Resolved');
      await iam.groups.removeUser(acct, 'Readers', 'Resolved');
      assert.equal(await decide('iam:GetUser'), 'ImplicitlyDenied', 'leaving the group drops its policies');
    });

    test("a role session's managed session policies: read at each resolution, never shared between sessions", async () => {
      const role = await iam.roles.create(acct, {
        RoleName: 'Sessions',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole' }],
        }),
      });
      await iam.entityPolicies.putInline(acct, 'role', 'Sessions', 'All', doc(['aws-portal:*', 'iam:*']));
      const billing = await iam.policies.create(acct, {
        PolicyName: 'SessionBilling',
        PolicyDocument: doc('aws-portal:ViewBilling'),
      });
      const foreign = await iam.policies.create(other, { PolicyName: 'Foreign', PolicyDocument: doc('iam:*') });
      const caller: Caller = {
        kind: 'assumed-role',
        accountId: acct,
        arn: `arn:aws:sts::${acct}:assumed-role/Sessions/s`,
        userId: `${role.RoleId}:s`,
        roleArn: role.Arn,
        sessionName: 's',
      };
      const decide = async (action: string, options: { sessionPolicy?: string; sessionPolicyArns?: string[] }) =>
        evaluate({ principal: caller.arn, action, resource: '*' }, (await iam.resolver.resolve(caller, options)).set)
          .decision;
      const narrow = { sessionPolicyArns: [billing.Arn] };
      // The same role, asked in turn with and without the managed session policy: each answer its own.
      assert.equal(await decide('iam:CreateUser', {}), 'Allowed');
      assert.equal(await decide('iam:CreateUser', narrow), 'ImplicitlyDenied');
      assert.equal(await decide('aws-portal:ViewBilling', narrow), 'Allowed');
      assert.equal(await decide('iam:CreateUser', {}), 'Allowed');
      assert.equal(await decide('iam:GetUser', { ...narrow, sessionPolicy: doc('iam:GetUser') }), 'Allowed');
      assert.equal(
        await decide('iam:CreateUser', { ...narrow, sessionPolicy: doc('iam:GetUser') }),
        'ImplicitlyDenied',
      );
      // A new default version applies to the sessions already issued, as the role's own managed policies do.
      await iam.policies.createVersion(acct, {
        PolicyArn: billing.Arn,
        PolicyDocument: doc(['aws-portal:ViewBilling', 'iam:CreateUser']),
        SetAsDefault: true,
      });
      assert.equal(await decide('iam:CreateUser', narrow), 'Allowed');
      // Another account's policy, and one deleted since, allow nothing.
      assert.equal(await decide('iam:CreateUser', { sessionPolicyArns: [foreign.Arn] }), 'ImplicitlyDenied');
      await iam.policies.deleteVersion(acct, billing.Arn, 'v1');
      await iam.policies.delete(acct, billing.Arn);
      assert.equal(await decide('aws-portal:ViewBilling', narrow), 'ImplicitlyDenied');
      await iam.entityPolicies.deleteInline(acct, 'role', 'Sessions', 'All');
      await iam.roles.delete(acct, 'Sessions');
      await iam.policies.delete(other, foreign.Arn);
    });

    test('another instance sharing the store sees a change through the stored generation', async () => {
      // A second services object over the same database stands for a second server process.
      const peer = await createIamServices({
        db: opened.db,
        clock,
        ids: seededIdSource(`peer-${target.label}`),
        passwordHashCost: 1024,
        sharedStore: true,
      });
      const user = await iam.users.create(acct, { UserName: 'Shared' });
      const caller: Caller = { kind: 'user', accountId: acct, arn: user.Arn, userId: user.UserId, name: 'Shared' };
      const decide = async () =>
        evaluate(
          { principal: user.Arn, action: 'iam:ListUsers', resource: '*' },
          (await peer.resolver.resolve(caller)).set,
        ).decision;
      assert.equal(await decide(), 'ImplicitlyDenied');
      await iam.entityPolicies.putInline(acct, 'user', 'Shared', 'List', doc('iam:ListUsers'));
      assert.equal(await decide(), 'Allowed');
      await iam.entityPolicies.deleteInline(acct, 'user', 'Shared', 'List');
      assert.equal(await decide(), 'ImplicitlyDenied');
    });
  });
}
