/**
 * IAM instance profiles through @aws-sdk/client-iam: the profile's life with its one role, each refusal AWS
 * answers (with its codes, statuses and wording), Marker/MaxItems paging, DeleteRole's conflict while the
 * role is in a profile, and the actions and ARNs a caller is authorized against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('IAM instance profiles', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
  });
  after(async () => server?.close());

  const createRole = (RoleName: string) =>
    root.send(new I.CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }));

  it('creates a profile with path and tags, holds one role, lists it for the role, and deletes once emptied', async () => {
    const { InstanceProfile: created } = await root.send(
      new I.CreateInstanceProfileCommand({
        InstanceProfileName: 'Web',
        Path: '/fleet/',
        Tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    assert.equal(created!.Arn, `arn:aws:iam::${ACCOUNT_ID}:instance-profile/fleet/Web`);
    assert.match(created!.InstanceProfileId!, /^AIPA[A-Z2-7]{17}$/);
    assert.ok(created!.CreateDate instanceof Date);
    assert.deepEqual(created!.Roles, []);
    assert.deepEqual(created!.Tags, [{ Key: 'team', Value: 'web' }]);

    const { Role } = await createRole('WebRole');
    await root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Web', RoleName: 'WebRole' }));
    const { InstanceProfile: got } = await root.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'web' }));
    assert.equal(got!.InstanceProfileName, 'Web');
    assert.equal(got!.Path, '/fleet/');
    assert.deepEqual(
      got!.Roles!.map((r) => [r.RoleName, r.RoleId, r.Arn]),
      [['WebRole', Role!.RoleId, Role!.Arn]],
    );
    assert.deepEqual(JSON.parse(decodeURIComponent(got!.Roles![0]!.AssumeRolePolicyDocument!)), JSON.parse(trust));
    assert.deepEqual(got!.Tags, [{ Key: 'team', Value: 'web' }]);

    const forRole = await root.send(new I.ListInstanceProfilesForRoleCommand({ RoleName: 'WebRole' }));
    assert.deepEqual(
      forRole.InstanceProfiles!.map((p) => p.InstanceProfileName),
      ['Web'],
    );
    assert.equal(forRole.IsTruncated, false);

    await root.send(
      new I.TagInstanceProfileCommand({ InstanceProfileName: 'Web', Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    // An instance profile's tag keys are case sensitive (AWS: only users' and roles' are not): TEAM is not team.
    await root.send(new I.UntagInstanceProfileCommand({ InstanceProfileName: 'Web', TagKeys: ['TEAM'] }));
    const kept = await root.send(new I.ListInstanceProfileTagsCommand({ InstanceProfileName: 'Web' }));
    assert.deepEqual(kept.Tags, [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'web' },
    ]);
    await root.send(new I.UntagInstanceProfileCommand({ InstanceProfileName: 'Web', TagKeys: ['team'] }));
    const tags = await root.send(new I.ListInstanceProfileTagsCommand({ InstanceProfileName: 'Web' }));
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'prod' }]);

    await root.send(new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Web', RoleName: 'WebRole' }));
    assert.deepEqual(
      (await root.send(new I.ListInstanceProfilesForRoleCommand({ RoleName: 'WebRole' }))).InstanceProfiles,
      [],
    );
    await root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Web' }));
    await rejectsWith(
      root.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'Web' })),
      'NoSuchEntityException',
      404,
      /^Instance Profile Web cannot be found\.$/,
    );
    // A profile created again under the name starts without the old one's tags.
    const { InstanceProfile: again } = await root.send(
      new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Web' }),
    );
    assert.equal(again!.Tags, undefined);
    assert.deepEqual((await root.send(new I.ListInstanceProfileTagsCommand({ InstanceProfileName: 'Web' }))).Tags, []);
    await root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Web' }));
  });

  it('refuses a duplicate name (in any case), a second role, and a missing profile or role', async () => {
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Batch' }));
    await rejectsWith(
      root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'BATCH' })),
      'EntityAlreadyExistsException',
      409,
      /^Instance Profile BATCH already exists\.$/,
    );
    await createRole('BatchRole');
    await createRole('OtherRole');
    await rejectsWith(
      root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Batch', RoleName: 'Nobody' })),
      'NoSuchEntityException',
      404,
      /^The role with name Nobody cannot be found\.$/,
    );
    await rejectsWith(
      root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Nothing', RoleName: 'BatchRole' })),
      'NoSuchEntityException',
      404,
      /^Instance Profile Nothing cannot be found\.$/,
    );
    await rejectsWith(
      root.send(new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Batch', RoleName: 'BatchRole' })),
      'NoSuchEntityException',
      404,
      /^The role with name BatchRole cannot be found\.$/,
    );
    await root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Batch', RoleName: 'BatchRole' }));
    for (const RoleName of ['OtherRole', 'BatchRole']) {
      await rejectsWith(
        root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Batch', RoleName })),
        'LimitExceededException',
        409,
        /^Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1$/,
      );
    }
    await rejectsWith(
      root.send(new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Batch', RoleName: 'OtherRole' })),
      'NoSuchEntityException',
      404,
      /^The role with name OtherRole cannot be found\.$/,
    );
    await rejectsWith(
      root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Batch' })),
      'DeleteConflictException',
      409,
      /^Cannot delete entity, must remove roles from instance profile first\.$/,
    );
    await rejectsWith(
      root.send(new I.ListInstanceProfilesForRoleCommand({ RoleName: 'Nobody' })),
      'NoSuchEntityException',
      404,
      /^The role with name Nobody cannot be found\.$/,
    );
    await rejectsWith(
      root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Nothing' })),
      'NoSuchEntityException',
      404,
    );
    await root.send(
      new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Batch', RoleName: 'BatchRole' }),
    );
    await root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Batch' }));
  });

  it('refuses DeleteRole while the role is in a profile, and deletes it once removed', async () => {
    await createRole('Held');
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Holder' }));
    await root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Holder', RoleName: 'Held' }));
    await rejectsWith(
      root.send(new I.DeleteRoleCommand({ RoleName: 'Held' })),
      'DeleteConflictException',
      409,
      /^Cannot delete entity, must remove roles from instance profile first\.$/,
    );
    assert.equal((await root.send(new I.GetRoleCommand({ RoleName: 'Held' }))).Role!.RoleName, 'Held');
    await root.send(new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Holder', RoleName: 'Held' }));
    await root.send(new I.DeleteRoleCommand({ RoleName: 'Held' }));
    await rejectsWith(root.send(new I.GetRoleCommand({ RoleName: 'Held' })), 'NoSuchEntityException', 404);
    await root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Holder' }));
  });

  it('pages ListInstanceProfiles by Marker and MaxItems, within a PathPrefix, in name order', async () => {
    const names = ['p-e', 'p-a', 'p-d', 'p-c', 'p-b'];
    for (const InstanceProfileName of names)
      await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName, Path: '/paging/' }));
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'p-0', Path: '/elsewhere/' }));
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await root.send(new I.ListInstanceProfilesCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker }));
      pages += 1;
      seen.push(...page.InstanceProfiles!.map((p) => p.InstanceProfileName!));
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      Marker = page.Marker;
    } while (Marker !== undefined);
    assert.deepEqual(seen, ['p-a', 'p-b', 'p-c', 'p-d', 'p-e']);
    assert.equal(pages, 3);
    const all = await root.send(new I.ListInstanceProfilesCommand({}));
    assert.ok(all.InstanceProfiles!.some((p) => p.InstanceProfileName === 'p-0'));
    await rejectsWith(
      root.send(new I.ListInstanceProfilesCommand({ Marker: 'bm90LWEtbWFya2Vy' })),
      'InvalidInputException',
      400,
    );
    for (const InstanceProfileName of [...names, 'p-0'])
      await root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName }));
  });

  it('authorizes against the profile ARN with its path, and asks iam:PassRole on the role to add it', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Ops' }));
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Granted', Path: '/ops/' }));
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Other' }));
    await createRole('OpsRole');
    const grant = (Action: string[], Resource: string) =>
      root.send(
        new I.PutUserPolicyCommand({
          UserName: 'Ops',
          PolicyName: Action.join('+').replaceAll(':', '-'),
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] }),
        }),
      );
    await grant(
      ['iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile'],
      `arn:aws:iam::${ACCOUNT_ID}:instance-profile/ops/*`,
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Ops' }));
    const ops = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    assert.equal(
      (await ops.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'Granted' }))).InstanceProfile!.Path,
      '/ops/',
    );
    await rejectsWith(
      ops.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'Other' })),
      'AccessDenied',
      403,
      new RegExp(`iam:GetInstanceProfile on resource: arn:aws:iam::${ACCOUNT_ID}:instance-profile/Other `),
    );
    await rejectsWith(
      ops.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Granted', RoleName: 'OpsRole' })),
      'AccessDenied',
      403,
      new RegExp(`iam:PassRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/OpsRole `),
    );
    assert.deepEqual(
      (await root.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'Granted' }))).InstanceProfile!.Roles,
      [],
    );
    await grant(['iam:PassRole'], `arn:aws:iam::${ACCOUNT_ID}:role/OpsRole`);
    await ops.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Granted', RoleName: 'OpsRole' }));
    assert.deepEqual(
      (
        await root.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'Granted' }))
      ).InstanceProfile!.Roles!.map((r) => r.RoleName),
      ['OpsRole'],
    );
    await rejectsWith(
      ops.send(new I.ListInstanceProfilesForRoleCommand({ RoleName: 'OpsRole' })),
      'AccessDenied',
      403,
      new RegExp(`iam:ListInstanceProfilesForRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/OpsRole `),
    );
  });

  it('shows in GetAccountSummary and in the role entries of GetAccountAuthorizationDetails', async () => {
    const before = (await root.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
    await createRole('Detailed');
    await createRole('Bare');
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Shown', Path: '/d/' }));
    await root.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Shown', RoleName: 'Detailed' }));
    const summary = (await root.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
    assert.equal(summary.InstanceProfiles, before.InstanceProfiles! + 1);
    assert.equal(summary.InstanceProfilesQuota, 1000);
    const details = await root.send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    const entry = (name: string) => details.RoleDetailList!.find((r) => r.RoleName === name)!;
    assert.deepEqual(
      entry('Detailed').InstanceProfileList!.map((p) => [p.Arn, p.Roles!.map((r) => r.RoleName)]),
      [[`arn:aws:iam::${ACCOUNT_ID}:instance-profile/d/Shown`, ['Detailed']]],
    );
    assert.deepEqual(entry('Bare').InstanceProfileList, []);
  });

  it('refuses the 1,001st instance profile of an account', async () => {
    const { db } = server.database;
    const existing = (await root.send(new I.ListInstanceProfilesCommand({ MaxItems: 1000 }))).InstanceProfiles!.length;
    const now = new Date().toISOString();
    const filler = Array.from({ length: 1000 - existing - 1 }, (_, n) => ({
      profile_id: `AIPAFILLER${String(n).padStart(11, '0')}`,
      account_id: ACCOUNT_ID,
      name: `filler-${n}`,
      name_key: `filler-${n}`,
      path: '/',
      arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/filler-${n}`,
      created_at: now,
      role_id: null,
    }));
    for (let start = 0; start < filler.length; start += 100)
      await db
        .insertInto('iam_instance_profiles')
        .values(filler.slice(start, start + 100))
        .execute();
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'Last' }));
    await rejectsWith(
      root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'OneTooMany' })),
      'LimitExceededException',
      409,
      /^Cannot exceed quota for InstanceProfilesPerAccount: 1000$/,
    );
    await root.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'Last' }));
    await root.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'OneTooMany' }));
  });
});
