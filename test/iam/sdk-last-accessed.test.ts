/**
 * Service last accessed data through @aws-sdk/client-iam: a report on a user, group or managed policy lists
 * the services its policies allow, with the latest attempt (allowed or denied, as AWS counts them) its users
 * made on each as the audit trail recorded it; ACTION_LEVEL adds IAM's tracked actions; the entities of one
 * service; paging; refusals; and the ARN Generate is authorized against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const allow = (Action: string | string[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] });

describe('IAM service last accessed data', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  let advised: I.IAMClient;
  let other: I.IAMClient;
  const userArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`;

  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
    const client = async (UserName: string) => {
      const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName }));
      return new I.IAMClient(
        clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
      );
    };
    await root.send(new I.CreateUserCommand({ UserName: 'Advised' }));
    await root.send(new I.CreateUserCommand({ UserName: 'Other' }));
    await root.send(new I.CreateGroupCommand({ GroupName: 'Team' }));
    for (const UserName of ['Advised', 'Other'])
      await root.send(new I.AddUserToGroupCommand({ GroupName: 'Team', UserName }));
    await root.send(
      new I.PutGroupPolicyCommand({
        GroupName: 'Team',
        PolicyName: 'groups',
        PolicyDocument: allow('iam:CreateGroup'),
      }),
    );
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Advised',
        PolicyName: 'own',
        PolicyDocument: allow(['iam:*', 's3:GetObject', 'iam:GenerateServiceLastAccessedDetails']),
      }),
    );
    advised = await client('Advised');
    other = await client('Other');
  });
  after(async () => server?.close());

  const report = async (Arn: string, Granularity?: 'SERVICE_LEVEL' | 'ACTION_LEVEL') => {
    const { JobId } = await root.send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn, Granularity }));
    assert.match(JobId!, /^[0-9a-f-]{36}$/);
    return { JobId: JobId!, details: await root.send(new I.GetServiceLastAccessedDetailsCommand({ JobId })) };
  };

  it("lists the services a user's policies allow, with the latest attempt on each", async () => {
    const fresh = await report(userArn('Advised'));
    assert.equal(fresh.details.JobStatus, 'COMPLETED');
    assert.equal(fresh.details.JobType, 'SERVICE_LEVEL');
    assert.ok(fresh.details.JobCreationDate instanceof Date && fresh.details.JobCompletionDate instanceof Date);
    assert.deepEqual(
      fresh.details.ServicesLastAccessed!.map((s) => [
        s.ServiceNamespace,
        s.TotalAuthenticatedEntities,
        s.LastAuthenticated,
      ]),
      [
        ['iam', 0, undefined],
        ['s3', 0, undefined],
      ],
    );
    assert.equal(fresh.details.ServicesLastAccessed![0]!.ServiceName, 'AWS Identity and Access Management (IAM)');

    await advised.send(new I.CreateGroupCommand({ GroupName: 'MadeByAdvised' }));
    const { details } = await report(userArn('Advised'), 'ACTION_LEVEL');
    const iam = details.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'iam')!;
    assert.equal(iam.LastAuthenticatedEntity, userArn('Advised'));
    assert.equal(iam.LastAuthenticatedRegion, 'us-east-1');
    assert.equal(iam.TotalAuthenticatedEntities, 1);
    assert.ok(iam.LastAuthenticated instanceof Date);
    assert.deepEqual(
      iam.TrackedActionsLastAccessed!.map((a) => [a.ActionName, a.LastAccessedEntity]),
      [['CreateGroup', userArn('Advised')]],
    );
    const s3 = details.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 's3')!;
    assert.equal(s3.LastAuthenticated, undefined);
    // AWS leaves the tracked actions out of a service the principal did not use.
    assert.equal(s3.TrackedActionsLastAccessed, undefined);

    const page = await root.send(new I.GetServiceLastAccessedDetailsCommand({ JobId: fresh.JobId, MaxItems: 1 }));
    assert.equal(page.IsTruncated, true);
    const rest = await root.send(
      new I.GetServiceLastAccessedDetailsCommand({ JobId: fresh.JobId, Marker: page.Marker }),
    );
    assert.deepEqual(
      rest.ServicesLastAccessed!.map((s) => s.ServiceNamespace),
      ['s3'],
    );
  });

  it("counts a group's members' attempts, denied ones too, and names each member for a service", async () => {
    // Other may not delete users: the attempt is refused, and still counts.
    await rejectsWith(other.send(new I.DeleteUserCommand({ UserName: 'Advised' })), 'AccessDenied', 403);
    const { JobId, details } = await report(`arn:aws:iam::${ACCOUNT_ID}:group/Team`);
    assert.deepEqual(
      details.ServicesLastAccessed!.map((s) => [
        s.ServiceNamespace,
        s.TotalAuthenticatedEntities,
        s.LastAuthenticatedEntity,
      ]),
      [['iam', 2, userArn('Other')]],
    );
    const entities = await root.send(
      new I.GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'iam' }),
    );
    assert.deepEqual(
      entities.EntityDetailsList!.map((e) => [
        e.EntityInfo!.Name,
        e.EntityInfo!.Type,
        e.EntityInfo!.Arn,
        e.LastAuthenticated instanceof Date,
      ]),
      [
        ['Advised', 'USER', userArn('Advised'), true],
        ['Other', 'USER', userArn('Other'), true],
      ],
    );
    await rejectsWith(
      root.send(new I.GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 's3' })),
      'InvalidInputException',
      400,
    );
  });

  it('reports on a managed policy through the users it is attached to, directly or by group', async () => {
    const { Policy } = await root.send(
      new I.CreatePolicyCommand({
        PolicyName: 'Advisory',
        PolicyDocument: allow(['iam:Get*', 'organizations:Describe*']),
      }),
    );
    await root.send(new I.AttachGroupPolicyCommand({ GroupName: 'Team', PolicyArn: Policy!.Arn }));
    const { JobId, details } = await report(Policy!.Arn!);
    assert.deepEqual(
      details.ServicesLastAccessed!.map((s) => [s.ServiceNamespace, s.TotalAuthenticatedEntities]),
      [
        ['iam', 2],
        ['organizations', 0],
      ],
    );
    const entities = await root.send(
      new I.GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'organizations', MaxItems: 1 }),
    );
    assert.equal(entities.IsTruncated, true);
    assert.equal(entities.EntityDetailsList![0]!.LastAuthenticated, undefined);
  });

  it('refuses what names no entity or job, and authorizes Generate against the ARN reported on', async () => {
    await rejectsWith(
      root.send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn: userArn('Nobody') })),
      'NoSuchEntityException',
      404,
    );
    await rejectsWith(
      root.send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn: 'arn:aws:s3:::not-an-iam-entity' })),
      'InvalidInputException',
      400,
    );
    await rejectsWith(
      root.send(new I.GetServiceLastAccessedDetailsCommand({ JobId: '00000000-0000-4000-8000-000000000000' })),
      'NoSuchEntityException',
      404,
    );
    await rejectsWith(
      other.send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn: userArn('Advised') })),
      'AccessDenied',
      403,
      new RegExp(`iam:GenerateServiceLastAccessedDetails on resource: ${userArn('Advised')} `),
    );
  });
});
