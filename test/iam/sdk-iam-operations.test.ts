/**
 * Breadth: every IAM operation family answers through @aws-sdk/client-iam (request encoding, response
 * decoding, timestamps, lists, blobs), in the order a person would use them. Deeper rules are in
 * sdk-iam.test.ts and the store contract suite.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';

let server: BursarServer;
before(async () => {
  server = await startServer();
});
after(async () => server?.close());

test('each IAM operation round-trips through the SDK', async () => {
  const iam = new I.IAMClient(clientConfig(server));
  const A = ACCOUNT_ID;
  const doc = (a: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: a, Resource: '*' }] });
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }],
  });
  const steps: [string, () => Promise<unknown>][] = [
    ['CreateUser', () => iam.send(new I.CreateUserCommand({ UserName: 'U1' }))],
    ['UpdateUser', () => iam.send(new I.UpdateUserCommand({ UserName: 'U1', NewPath: '/p/' }))],
    ['CreateGroup', () => iam.send(new I.CreateGroupCommand({ GroupName: 'G1' }))],
    ['AddUserToGroup', () => iam.send(new I.AddUserToGroupCommand({ GroupName: 'G1', UserName: 'U1' }))],
    ['GetGroup', () => iam.send(new I.GetGroupCommand({ GroupName: 'G1' }))],
    ['ListGroupsForUser', () => iam.send(new I.ListGroupsForUserCommand({ UserName: 'U1' }))],
    ['UpdateGroup', () => iam.send(new I.UpdateGroupCommand({ GroupName: 'G1', NewPath: '/g/' }))],
    ['ListGroups', () => iam.send(new I.ListGroupsCommand({}))],
    [
      'CreateRole',
      () =>
        iam.send(
          new I.CreateRoleCommand({
            RoleName: 'R1',
            AssumeRolePolicyDocument: trust,
            Description: 'd',
            Tags: [{ Key: 'k', Value: 'v' }],
          }),
        ),
    ],
    ['UpdateRole', () => iam.send(new I.UpdateRoleCommand({ RoleName: 'R1', MaxSessionDuration: 7200 }))],
    ['UpdateRoleDescription', () => iam.send(new I.UpdateRoleDescriptionCommand({ RoleName: 'R1', Description: 'x' }))],
    [
      'UpdateAssumeRolePolicy',
      () => iam.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'R1', PolicyDocument: trust })),
    ],
    ['ListRoles', () => iam.send(new I.ListRolesCommand({}))],
    ['TagRole', () => iam.send(new I.TagRoleCommand({ RoleName: 'R1', Tags: [{ Key: 'a', Value: 'b' }] }))],
    ['ListRoleTags', () => iam.send(new I.ListRoleTagsCommand({ RoleName: 'R1' }))],
    ['UntagRole', () => iam.send(new I.UntagRoleCommand({ RoleName: 'R1', TagKeys: ['a'] }))],
    [
      'PutRolePolicy',
      () => iam.send(new I.PutRolePolicyCommand({ RoleName: 'R1', PolicyName: 'in', PolicyDocument: doc('s3:*') })),
    ],
    ['GetRolePolicy', () => iam.send(new I.GetRolePolicyCommand({ RoleName: 'R1', PolicyName: 'in' }))],
    ['ListRolePolicies', () => iam.send(new I.ListRolePoliciesCommand({ RoleName: 'R1' }))],
    ['DeleteRolePolicy', () => iam.send(new I.DeleteRolePolicyCommand({ RoleName: 'R1', PolicyName: 'in' }))],
    [
      'PutRolePermissionsBoundary',
      () =>
        iam.send(
          new I.PutRolePermissionsBoundaryCommand({
            RoleName: 'R1',
            PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
          }),
        ),
    ],
    ['GetRole', () => iam.send(new I.GetRoleCommand({ RoleName: 'R1' }))],
    ['DeleteRolePermissionsBoundary', () => iam.send(new I.DeleteRolePermissionsBoundaryCommand({ RoleName: 'R1' }))],
    [
      'AttachRolePolicy',
      () =>
        iam.send(
          new I.AttachRolePolicyCommand({ RoleName: 'R1', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
        ),
    ],
    ['ListAttachedRolePolicies', () => iam.send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'R1' }))],
    [
      'ListEntitiesForPolicy',
      () => iam.send(new I.ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
    ],
    [
      'DetachRolePolicy',
      () =>
        iam.send(
          new I.DetachRolePolicyCommand({ RoleName: 'R1', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
        ),
    ],
    ['DeleteRole', () => iam.send(new I.DeleteRoleCommand({ RoleName: 'R1' }))],
    [
      'CreatePolicy',
      () =>
        iam.send(
          new I.CreatePolicyCommand({
            PolicyName: 'P1',
            PolicyDocument: doc('s3:*'),
            Description: 'desc',
            Tags: [{ Key: 't', Value: '1' }],
          }),
        ),
    ],
    ['GetPolicy', () => iam.send(new I.GetPolicyCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1` }))],
    [
      'CreatePolicyVersion',
      () =>
        iam.send(
          new I.CreatePolicyVersionCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1`, PolicyDocument: doc('ec2:*') }),
        ),
    ],
    [
      'ListPolicyVersions',
      () => iam.send(new I.ListPolicyVersionsCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1` })),
    ],
    [
      'SetDefaultPolicyVersion',
      () =>
        iam.send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1`, VersionId: 'v2' })),
    ],
    [
      'DeletePolicyVersion',
      () => iam.send(new I.DeletePolicyVersionCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1`, VersionId: 'v1' })),
    ],
    [
      'TagPolicy',
      () =>
        iam.send(
          new I.TagPolicyCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1`, Tags: [{ Key: 'x', Value: 'y' }] }),
        ),
    ],
    ['ListPolicyTags', () => iam.send(new I.ListPolicyTagsCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1` }))],
    [
      'UntagPolicy',
      () => iam.send(new I.UntagPolicyCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1`, TagKeys: ['x'] })),
    ],
    [
      'AttachUserPolicy',
      () => iam.send(new I.AttachUserPolicyCommand({ UserName: 'U1', PolicyArn: `arn:aws:iam::${A}:policy/P1` })),
    ],
    ['ListAttachedUserPolicies', () => iam.send(new I.ListAttachedUserPoliciesCommand({ UserName: 'U1' }))],
    ['ListPolicies', () => iam.send(new I.ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }))],
    [
      'DetachUserPolicy',
      () => iam.send(new I.DetachUserPolicyCommand({ UserName: 'U1', PolicyArn: `arn:aws:iam::${A}:policy/P1` })),
    ],
    [
      'AttachGroupPolicy',
      () => iam.send(new I.AttachGroupPolicyCommand({ GroupName: 'G1', PolicyArn: `arn:aws:iam::${A}:policy/P1` })),
    ],
    ['ListAttachedGroupPolicies', () => iam.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'G1' }))],
    [
      'DetachGroupPolicy',
      () => iam.send(new I.DetachGroupPolicyCommand({ GroupName: 'G1', PolicyArn: `arn:aws:iam::${A}:policy/P1` })),
    ],
    ['DeletePolicy', () => iam.send(new I.DeletePolicyCommand({ PolicyArn: `arn:aws:iam::${A}:policy/P1` }))],
    [
      'PutUserPolicy',
      () => iam.send(new I.PutUserPolicyCommand({ UserName: 'U1', PolicyName: 'up', PolicyDocument: doc('s3:*') })),
    ],
    ['GetUserPolicy', () => iam.send(new I.GetUserPolicyCommand({ UserName: 'U1', PolicyName: 'up' }))],
    ['ListUserPolicies', () => iam.send(new I.ListUserPoliciesCommand({ UserName: 'U1' }))],
    ['DeleteUserPolicy', () => iam.send(new I.DeleteUserPolicyCommand({ UserName: 'U1', PolicyName: 'up' }))],
    [
      'PutGroupPolicy',
      () => iam.send(new I.PutGroupPolicyCommand({ GroupName: 'G1', PolicyName: 'gp', PolicyDocument: doc('s3:*') })),
    ],
    ['GetGroupPolicy', () => iam.send(new I.GetGroupPolicyCommand({ GroupName: 'G1', PolicyName: 'gp' }))],
    ['ListGroupPolicies', () => iam.send(new I.ListGroupPoliciesCommand({ GroupName: 'G1' }))],
    ['DeleteGroupPolicy', () => iam.send(new I.DeleteGroupPolicyCommand({ GroupName: 'G1', PolicyName: 'gp' }))],
    [
      'PutUserPermissionsBoundary',
      () =>
        iam.send(
          new I.PutUserPermissionsBoundaryCommand({
            UserName: 'U1',
            PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
          }),
        ),
    ],
    ['GetUser', () => iam.send(new I.GetUserCommand({ UserName: 'U1' }))],
    ['DeleteUserPermissionsBoundary', () => iam.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: 'U1' }))],
    ['TagUser', () => iam.send(new I.TagUserCommand({ UserName: 'U1', Tags: [{ Key: 'a', Value: 'b' }] }))],
    ['ListUserTags', () => iam.send(new I.ListUserTagsCommand({ UserName: 'U1' }))],
    ['UntagUser', () => iam.send(new I.UntagUserCommand({ UserName: 'U1', TagKeys: ['a'] }))],
    [
      'CreateLoginProfile',
      () => iam.send(new I.CreateLoginProfileCommand({ UserName: 'U1', Password: 'Abcdef-12345' })),
    ],
    ['GetLoginProfile', () => iam.send(new I.GetLoginProfileCommand({ UserName: 'U1' }))],
    [
      'UpdateLoginProfile',
      () => iam.send(new I.UpdateLoginProfileCommand({ UserName: 'U1', PasswordResetRequired: true })),
    ],
    ['DeleteLoginProfile', () => iam.send(new I.DeleteLoginProfileCommand({ UserName: 'U1' }))],
    ['CreateAccessKey', () => iam.send(new I.CreateAccessKeyCommand({ UserName: 'U1' }))],
    ['ListAccessKeys', () => iam.send(new I.ListAccessKeysCommand({ UserName: 'U1' }))],
    ['ListAccessKeys(root)', () => iam.send(new I.ListAccessKeysCommand({}))],
    [
      'CreateVirtualMFADevice',
      () =>
        iam.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'd1', Tags: [{ Key: 'm', Value: 'n' }] })),
    ],
    ['ListVirtualMFADevices', () => iam.send(new I.ListVirtualMFADevicesCommand({ AssignmentStatus: 'Any' }))],
    ['ListMFADeviceTags', () => iam.send(new I.ListMFADeviceTagsCommand({ SerialNumber: `arn:aws:iam::${A}:mfa/d1` }))],
    [
      'DeleteVirtualMFADevice',
      () => iam.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: `arn:aws:iam::${A}:mfa/d1` })),
    ],
    ['ListMFADevices(root)', () => iam.send(new I.ListMFADevicesCommand({}))],
    ['CreateAccountAlias', () => iam.send(new I.CreateAccountAliasCommand({ AccountAlias: 'smoke-test' }))],
    ['ListAccountAliases', () => iam.send(new I.ListAccountAliasesCommand({}))],
    ['DeleteAccountAlias', () => iam.send(new I.DeleteAccountAliasCommand({ AccountAlias: 'smoke-test' }))],
    [
      'UpdateAccountPasswordPolicy',
      () => iam.send(new I.UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 10, RequireNumbers: true })),
    ],
    ['GetAccountPasswordPolicy', () => iam.send(new I.GetAccountPasswordPolicyCommand({}))],
    ['DeleteAccountPasswordPolicy', () => iam.send(new I.DeleteAccountPasswordPolicyCommand({}))],
    [
      'SimulateCustomPolicy',
      () =>
        iam.send(
          new I.SimulateCustomPolicyCommand({
            PolicyInputList: [doc('s3:*')],
            ActionNames: ['s3:GetObject'],
            ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['1.2.3.4'], ContextKeyType: 'ip' }],
          }),
        ),
    ],
    ['RemoveUserFromGroup', () => iam.send(new I.RemoveUserFromGroupCommand({ GroupName: 'G1', UserName: 'U1' }))],
    ['DeleteGroup', () => iam.send(new I.DeleteGroupCommand({ GroupName: 'G1' }))],
  ];

  const failures: string[] = [];
  for (const [name, run] of steps) {
    await run().catch((error: Error) => failures.push(`${name}: ${error.name} ${error.message}`));
  }
  const keys = await iam.send(new I.ListAccessKeysCommand({ UserName: 'U1' }));
  const id = keys.AccessKeyMetadata![0]!.AccessKeyId!;
  await iam.send(new I.UpdateAccessKeyCommand({ UserName: 'U1', AccessKeyId: id, Status: 'Inactive' }));
  const lastUsed = await iam.send(new I.GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
  assert.equal(lastUsed.AccessKeyLastUsed?.ServiceName, 'N/A');
  await iam.send(new I.DeleteAccessKeyCommand({ UserName: 'U1', AccessKeyId: id }));
  await iam.send(new I.DeleteUserCommand({ UserName: 'U1' }));
  assert.deepEqual(failures, []);
});

test('GetAccountSummary counts what the account holds', async () => {
  const iam = new I.IAMClient(clientConfig(server));
  const before = (await iam.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  await iam.send(new I.CreateUserCommand({ UserName: 'SummaryUser' }));
  await iam.send(new I.CreateGroupCommand({ GroupName: 'SummaryGroup' }));
  const after = (await iam.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  assert.equal(after.Users, before.Users! + 1);
  assert.equal(after.Groups, before.Groups! + 1);
  assert.equal(after.Roles, before.Roles);
  const local = await iam.send(new I.ListPoliciesCommand({ Scope: 'Local' }));
  assert.equal(after.Policies, local.Policies!.length);
  assert.equal(after.UsersQuota, 5000);
  await iam.send(new I.DeleteGroupCommand({ GroupName: 'SummaryGroup' }));
  await iam.send(new I.DeleteUserCommand({ UserName: 'SummaryUser' }));
});
