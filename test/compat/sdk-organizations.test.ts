import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from './harness.js';

describe('Organizations through @aws-sdk/client-organizations (JSON 1.1)', () => {
  let server: BursarServer;
  let orgs: OrganizationsClient;
  before(async () => {
    server = await startServer();
    orgs = new OrganizationsClient(clientConfig(server));
  });
  after(async () => {
    await server.close();
  });

  it('answers AWSOrganizationsNotInUseException before an organization exists', async () => {
    await assert.rejects(
      orgs.send(new DescribeOrganizationCommand({})),
      (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'AWSOrganizationsNotInUseException');
        assert.equal(error.$metadata.httpStatusCode, 400);
        return true;
      },
    );
  });

  it('creates an organization, a member account, and lists both', async () => {
    const { Organization } = await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    assert.equal(Organization!.MasterAccountId, ACCOUNT_ID);
    const { CreateAccountStatus } = await orgs.send(
      new CreateAccountCommand({ Email: 'member@compat.example', AccountName: 'Member' }),
    );
    const status = await orgs.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
    );
    assert.equal(status.CreateAccountStatus!.State, 'SUCCEEDED');
    const { Accounts } = await orgs.send(new ListAccountsCommand({}));
    assert.deepEqual(Accounts!.map((a) => a.Name).sort(), ['Bursar demo', 'Member'].sort());
    assert.ok(Accounts!.every((a) => a.JoinedTimestamp instanceof Date));
  });

  it('refuses an IAM user without organizations permissions with AccessDeniedException', async () => {
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'OrgNobody' }));
    const { CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'OrgNobody' }));
    const nobody = new OrganizationsClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await assert.rejects(nobody.send(new ListAccountsCommand({})), (error: Error) => {
      assert.equal(error.name, 'AccessDeniedException');
      assert.match(
        error.message,
        /^User: arn:aws:iam::111122223333:user\/OrgNobody is not authorized to perform: organizations:ListAccounts/,
      );
      return true;
    });
  });

  it('attaches an SCP to the root', async () => {
    const { Roots } = await orgs.send(new ListRootsCommand({}));
    const rootId = Roots![0]!.Id!;
    await orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const { Policy } = await orgs.send(
      new CreatePolicyCommand({
        Name: 'DenyLeaving',
        Description: 'no leaving',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
        }),
      }),
    );
    await orgs.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: rootId }));
  });
});
