/**
 * Service-linked roles through @aws-sdk/client-iam: AWS's role names, paths and trust policies for the
 * services Bursar knows, CustomSuffix where the service allows several roles, the refusals AWS answers with
 * InvalidInput, deletion with its task's status, the rule that only the description of such a role may be
 * changed (anything else: UnmodifiableEntity, as AWS words it), and the role ARN and `iam:AWSServiceName` a caller is authorized against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

describe('IAM service-linked roles', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
  });
  after(async () => server?.close());

  const create = (AWSServiceName: string, extra: { CustomSuffix?: string; Description?: string } = {}) =>
    root.send(new I.CreateServiceLinkedRoleCommand({ AWSServiceName, ...extra }));

  it("creates each service's role under its path, trusted by the service alone", async () => {
    for (const [service, name] of [
      ['organizations.amazonaws.com', 'AWSServiceRoleForOrganizations'],
      ['support.amazonaws.com', 'AWSServiceRoleForSupport'],
      ['trustedadvisor.amazonaws.com', 'AWSServiceRoleForTrustedAdvisor'],
      ['autoscaling.amazonaws.com', 'AWSServiceRoleForAutoScaling'],
      ['elasticloadbalancing.amazonaws.com', 'AWSServiceRoleForElasticLoadBalancing'],
    ]) {
      const { Role } = await create(service!);
      assert.equal(Role!.RoleName, name);
      assert.equal(Role!.Path, `/aws-service-role/${service}/`);
      assert.equal(Role!.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${service}/${name}`);
      assert.match(Role!.RoleId!, /^AROA/);
      assert.deepEqual(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)), {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
      });
    }
    const { Role } = await create('autoscaling.amazonaws.com', { CustomSuffix: 'fleet', Description: 'Fleet scaling' });
    assert.equal(Role!.RoleName, 'AWSServiceRoleForAutoScaling_fleet');
    assert.equal(Role!.Description, 'Fleet scaling');
    const listed = await root.send(
      new I.ListRolesCommand({ PathPrefix: '/aws-service-role/autoscaling.amazonaws.com/' }),
    );
    assert.deepEqual(
      listed.Roles!.map((r) => r.RoleName),
      ['AWSServiceRoleForAutoScaling', 'AWSServiceRoleForAutoScaling_fleet'],
    );
  });

  it('refuses a second role of a name, a suffix the service does not take, and a service it does not know', async () => {
    await create('ecs.amazonaws.com');
    await rejectsWith(
      create('ecs.amazonaws.com'),
      'InvalidInputException',
      400,
      /^Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix\.$/,
    );
    await rejectsWith(
      create('rds.amazonaws.com', { CustomSuffix: 'x' }),
      'InvalidInputException',
      400,
      /^Custom suffix is not allowed for AWSServiceRoleForRDS$/,
    );
    await rejectsWith(create('nothing.amazonaws.com'), 'InvalidInputException', 400);
    await rejectsWith(
      create('autoscaling.amazonaws.com', { CustomSuffix: 'bad suffix' }),
      'ValidationError',
      400,
      /customSuffix/,
    );
  });

  it('lets the account edit only the description; ordinary changes and DeleteRole are refused', async () => {
    const { Role } = await create('rds.amazonaws.com');
    const RoleName = Role!.RoleName!;
    const { Role: described } = await root.send(
      new I.UpdateRoleDescriptionCommand({ RoleName, Description: 'Databases' }),
    );
    assert.equal(described!.Description, 'Databases');
    for (const call of [
      () => root.send(new I.DeleteRoleCommand({ RoleName })),
      () =>
        root.send(new I.UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: Role!.AssumeRolePolicyDocument })),
      () => root.send(new I.AttachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      () => root.send(new I.DetachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      () => root.send(new I.PutRolePolicyCommand({ RoleName, PolicyName: 'extra', PolicyDocument: ALLOW_ALL })),
      () => root.send(new I.DeleteRolePolicyCommand({ RoleName, PolicyName: 'extra' })),
      () => root.send(new I.UpdateRoleCommand({ RoleName, MaxSessionDuration: 7200 })),
      () =>
        root.send(
          new I.PutRolePermissionsBoundaryCommand({
            RoleName,
            PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
          }),
        ),
    ])
      // IAM's own refusal, as AWS words it (status 400), not a policy's AccessDenied.
      await rejectsWith(
        call(),
        'UnmodifiableEntityException',
        400,
        new RegExp(
          `^Cannot perform the operation on the protected role '${RoleName}' - this role is only modifiable by AWS$`,
        ),
      );
    // Its tags and its description are the account's to change (TagRole: "The role can be a regular role or a
    // service-linked role"), by UpdateRole too, as Terraform's aws_iam_service_linked_role does.
    await root.send(new I.TagRoleCommand({ RoleName, Tags: [{ Key: 'k', Value: 'v' }] }));
    await root.send(new I.UpdateRoleCommand({ RoleName, Description: 'Databases, again' }));
    const { Role: kept } = await root.send(new I.GetRoleCommand({ RoleName }));
    assert.equal(kept!.Description, 'Databases, again');
    assert.deepEqual(kept!.Tags, [{ Key: 'k', Value: 'v' }]);
    await root.send(new I.UntagRoleCommand({ RoleName, TagKeys: ['k'] }));
    assert.equal((await root.send(new I.GetRoleCommand({ RoleName }))).Role!.RoleName, RoleName);
    assert.equal((await root.send(new I.ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies!.length, 0);
    assert.equal((await root.send(new I.ListRolePoliciesCommand({ RoleName }))).PolicyNames!.length, 0);
  });

  it('deletes a service-linked role through a task whose status reads SUCCEEDED', async () => {
    // The Support role was made by the first test.
    const { DeletionTaskId } = await root.send(
      new I.DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForSupport' }),
    );
    assert.match(
      DeletionTaskId!,
      /^task\/aws-service-role\/support\.amazonaws\.com\/AWSServiceRoleForSupport\/[0-9a-f-]{36}$/,
    );
    assert.equal(
      (await root.send(new I.GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status,
      'SUCCEEDED',
    );
    await rejectsWith(
      root.send(new I.GetRoleCommand({ RoleName: 'AWSServiceRoleForSupport' })),
      'NoSuchEntityException',
      404,
    );
    await rejectsWith(
      root.send(
        new I.GetServiceLinkedRoleDeletionStatusCommand({
          DeletionTaskId:
            'task/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport/00000000-0000-4000-8000-000000000000',
        }),
      ),
      'NoSuchEntityException',
      404,
    );
    await rejectsWith(
      root.send(new I.GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: 'not-a-task' })),
      'InvalidInputException',
      400,
    );
    // An ordinary role is not deleted this way.
    await root.send(
      new I.CreateRoleCommand({
        RoleName: 'Plain',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await rejectsWith(
      root.send(new I.DeleteServiceLinkedRoleCommand({ RoleName: 'Plain' })),
      'InvalidInputException',
      400,
      /^Role Plain is not a service-linked role\.$/,
    );
  });

  it('authorizes creation against the role ARN it would make, with iam:AWSServiceName', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Linker' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Linker',
        PolicyName: 'elb-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:CreateServiceLinkedRole',
              Resource: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/*`,
              Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Linker' }));
    const linker = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    // The first test made the load balancers' role; the user makes it again once it is gone.
    await root.send(new I.DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForElasticLoadBalancing' }));
    await linker.send(new I.CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticloadbalancing.amazonaws.com' }));
    await rejectsWith(
      linker.send(new I.CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' })),
      'AccessDenied',
      403,
      new RegExp(
        `iam:CreateServiceLinkedRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/ecs\\.amazonaws\\.com/AWSServiceRoleForECS `,
      ),
    );
  });
});
