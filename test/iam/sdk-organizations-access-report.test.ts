/**
 * IAM's organizations access report through @aws-sdk/client-iam: from the management account, for an
 * organization entity path, the services the accounts under it attempted (from the audit trail) and those
 * they did not, limited to an SCP's services when one is named; sorted and paged; FAILED jobs without an
 * organization or for a path outside it; AWS's NoSuchEntity and model refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

describe('IAM organizations access report', () => {
  let server: BursarServer;
  let iam: I.IAMClient;
  let orgs: O.OrganizationsClient;
  let orgId: string;
  let rootId: string;
  let ouId: string;
  let memberId: string;

  const report = async (EntityPath: string, extra: Partial<I.GetOrganizationsAccessReportRequest> = {}) => {
    const { JobId } = await iam.send(new I.GenerateOrganizationsAccessReportCommand({ EntityPath }));
    return iam.send(new I.GetOrganizationsAccessReportCommand({ JobId, ...extra }));
  };

  before(async () => {
    server = await startServer();
    iam = new I.IAMClient(clientConfig(server));
    orgs = new O.OrganizationsClient(clientConfig(server));
  });
  after(async () => server?.close());

  it('fails the job of an account in no organization', async () => {
    const answer = await report('o-aaaaaaaaaa/r-aaaa');
    assert.equal(answer.JobStatus, 'FAILED');
    assert.equal(answer.ErrorDetails!.Code, 'AWSOrganizationsNotInUseException');
    assert.ok(answer.JobCreationDate instanceof Date);
    assert.equal(answer.AccessDetails, undefined);
  });

  it('reports the services the accounts under the root attempted, and those they did not', async () => {
    orgId = (await orgs.send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.Id!;
    rootId = (await orgs.send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
    ouId = (await orgs.send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Finance' })))
      .OrganizationalUnit!.Id!;
    const { CreateAccountStatus } = await orgs.send(
      new O.CreateAccountCommand({ Email: 'member@report.example', AccountName: 'Member' }),
    );
    memberId = CreateAccountStatus!.AccountId!;
    await orgs.send(
      new O.MoveAccountCommand({ AccountId: memberId, SourceParentId: rootId, DestinationParentId: ouId }),
    );
    // The management account's root user changes IAM: an attempt the trail records.
    await iam.send(new I.CreateUserCommand({ UserName: 'Reported' }));

    const answer = await report(`${orgId}/${rootId}`, { MaxItems: 1000 });
    assert.equal(answer.JobStatus, 'COMPLETED');
    assert.ok(answer.JobCompletionDate instanceof Date);
    const byNamespace = new Map(answer.AccessDetails!.map((d) => [d.ServiceNamespace, d]));
    const iamDetail = byNamespace.get('iam')!;
    assert.equal(iamDetail.ServiceName, 'AWS Identity and Access Management (IAM)');
    assert.equal(iamDetail.EntityPath, `${orgId}/${rootId}/${ACCOUNT_ID}`);
    assert.equal(iamDetail.TotalAuthenticatedEntities, 1);
    assert.ok(iamDetail.LastAuthenticatedTime instanceof Date);
    assert.equal(iamDetail.Region, 'us-east-1');
    const ec2 = byNamespace.get('ec2')!;
    assert.equal(ec2.LastAuthenticatedTime, undefined);
    assert.equal(ec2.TotalAuthenticatedEntities, undefined);
    const accessed = answer.AccessDetails!.filter((d) => d.LastAuthenticatedTime !== undefined).length;
    assert.ok(accessed >= 2, 'iam and organizations were attempted');
    assert.equal(answer.NumberOfServicesAccessible, answer.AccessDetails!.length);
    assert.equal(answer.NumberOfServicesNotAccessed, answer.AccessDetails!.length - accessed);
  });

  it('reports only the accounts under an OU, with their paths', async () => {
    const answer = await report(`${orgId}/${rootId}/${ouId}`, { MaxItems: 1000 });
    assert.equal(answer.JobStatus, 'COMPLETED');
    // The management account's attempts are not the OU's.
    assert.equal(answer.AccessDetails!.find((d) => d.ServiceNamespace === 'iam')!.LastAuthenticatedTime, undefined);
    const wrong = await report(`${orgId}/${rootId}/ou-zzzz-zzzzzzzz`);
    assert.equal(wrong.JobStatus, 'FAILED');
    assert.equal(wrong.ErrorDetails!.Code, 'InvalidInput');
    const member = await report(`${orgId}/${rootId}/${ouId}/${memberId}`);
    assert.equal(member.JobStatus, 'COMPLETED');
    // An account that is not where the path says.
    assert.equal((await report(`${orgId}/${rootId}/${memberId}`)).JobStatus, 'FAILED');
  });

  it('limits the report to the services an SCP allows', async () => {
    const { Policy } = await orgs.send(
      new O.CreatePolicyCommand({
        Name: 'iam-and-budgets',
        Description: 'Only IAM and Budgets',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iam:*', 'budgets:View*'], Resource: '*' }],
        }),
      }),
    );
    const { JobId } = await iam.send(
      new I.GenerateOrganizationsAccessReportCommand({
        EntityPath: `${orgId}/${rootId}`,
        OrganizationsPolicyId: Policy!.PolicySummary!.Id!,
      }),
    );
    const answer = await iam.send(new I.GetOrganizationsAccessReportCommand({ JobId }));
    assert.deepEqual(
      answer.AccessDetails!.map((d) => d.ServiceNamespace),
      ['budgets', 'iam'],
    );
    assert.equal(answer.NumberOfServicesAccessible, 2);
    assert.equal(answer.NumberOfServicesNotAccessed, 1);
  });

  it('sorts and pages the details', async () => {
    const { JobId } = await iam.send(
      new I.GenerateOrganizationsAccessReportCommand({ EntityPath: `${orgId}/${rootId}` }),
    );
    const latest = await iam.send(
      new I.GetOrganizationsAccessReportCommand({ JobId, SortKey: 'LAST_AUTHENTICATED_TIME_DESCENDING', MaxItems: 2 }),
    );
    assert.equal(latest.AccessDetails!.length, 2);
    assert.ok(latest.AccessDetails!.every((d) => d.LastAuthenticatedTime instanceof Date));
    assert.ok(latest.AccessDetails![0]!.LastAuthenticatedTime! >= latest.AccessDetails![1]!.LastAuthenticatedTime!);
    assert.equal(latest.IsTruncated, true);
    const next = await iam.send(
      new I.GetOrganizationsAccessReportCommand({
        JobId,
        SortKey: 'LAST_AUTHENTICATED_TIME_DESCENDING',
        MaxItems: 2,
        Marker: latest.Marker!,
      }),
    );
    assert.notEqual(next.AccessDetails![0]!.ServiceNamespace, latest.AccessDetails![0]!.ServiceNamespace);
    const descending = await iam.send(
      new I.GetOrganizationsAccessReportCommand({ JobId, SortKey: 'SERVICE_NAMESPACE_DESCENDING', MaxItems: 3 }),
    );
    const names = descending.AccessDetails!.map((d) => d.ServiceNamespace);
    assert.deepEqual(names, [...names].sort().reverse());
  });

  it('refuses an unknown job and a path that is not one', async () => {
    await rejectsWith(
      iam.send(new I.GetOrganizationsAccessReportCommand({ JobId: '00000000-0000-4000-8000-000000000000' })),
      'NoSuchEntityException',
      404,
    );
    await rejectsWith(
      iam.send(new I.GenerateOrganizationsAccessReportCommand({ EntityPath: 'not-an-organization-path' })),
      'ValidationError',
      400,
    );
  });
});
