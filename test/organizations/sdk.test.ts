/**
 * @aws-sdk/client-organizations (and client-sts) against a running Bursar server: the real composition root,
 * wire protocol, SigV4, invoke(), IAM principal resolution and the SCP chains of the Organizations domain.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AccessKeyService } from '../../src/iam/access-keys.js';
import { EntityPolicyService } from '../../src/iam/entity-policies.js';
import { UserService } from '../../src/iam/users.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID as MGMT, clientConfig, startServer } from '../compat/harness.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let server: BursarServer;

const client = (credentials?: Credentials) => new OrganizationsClient(clientConfig(server, credentials));

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, name, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** An IAM user with AdministratorAccess and an access key, made through the IAM domain of the server's world. */
async function administrator(accountId: string, userName: string): Promise<Credentials> {
  const iam = server.world().iam;
  await new UserService(iam).create(accountId, { UserName: userName });
  await new EntityPolicyService(iam).attach(accountId, 'user', userName, 'arn:aws:iam::aws:policy/AdministratorAccess');
  const key = await new AccessKeyService(iam).create(accountId, userName);
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

before(async () => {
  server = await startServer();
});

after(() => server.close());

test('the SDK manages an organization: create, roots, OUs, accounts, SCPs, and SCPs bound member principals', async () => {
  const payer = client();
  const { Organization } = await payer.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  assert.match(Organization!.Id!, /^o-[a-z0-9]{10}$/);
  assert.equal(Organization!.MasterAccountId, MGMT);
  assert.equal(Organization!.MasterAccountEmail, 'root@compat.example');
  await rejectsWith(payer.send(new CreateOrganizationCommand({})), 'AlreadyInOrganizationException');

  const { Roots } = await payer.send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  const enabled = await payer.send(
    new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }),
  );
  assert.deepEqual(enabled.Root!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);

  const { OrganizationalUnit } = await payer.send(
    new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }),
  );
  const ouId = OrganizationalUnit!.Id!;

  const { CreateAccountStatus } = await payer.send(
    new CreateAccountCommand({ Email: 'dev@example.com', AccountName: 'Dev', IamUserAccessToBilling: 'ALLOW' }),
  );
  assert.equal(CreateAccountStatus!.State, 'SUCCEEDED');
  assert.ok(CreateAccountStatus!.RequestedTimestamp instanceof Date);
  const devId = CreateAccountStatus!.AccountId!;
  const described = await payer.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
  );
  assert.equal(described.CreateAccountStatus!.AccountId, devId);

  const firstPage = await payer.send(new ListAccountsCommand({ MaxResults: 1 }));
  assert.equal(firstPage.Accounts!.length, 1);
  assert.ok(firstPage.NextToken);
  const secondPage = await payer.send(new ListAccountsCommand({ NextToken: firstPage.NextToken! }));
  assert.deepEqual([...firstPage.Accounts!, ...secondPage.Accounts!].map((a) => a.Id).sort(), [MGMT, devId].sort());
  assert.equal(secondPage.NextToken, undefined);
  const { Account } = await payer.send(new DescribeAccountCommand({ AccountId: devId }));
  assert.equal(Account!.JoinedMethod, 'CREATED');
  assert.ok(Account!.JoinedTimestamp instanceof Date);
  await rejectsWith(payer.send(new DescribeAccountCommand({ AccountId: '123456789012' })), 'AccountNotFoundException');

  await payer.send(new MoveAccountCommand({ AccountId: devId, SourceParentId: rootId, DestinationParentId: ouId }));
  const children = await payer.send(new ListChildrenCommand({ ParentId: ouId, ChildType: 'ACCOUNT' }));
  assert.deepEqual(children.Children, [{ Id: devId, Type: 'ACCOUNT' }]);

  // An administrator in the member account, bounded by an SCP on its OU.
  const admin = client(await administrator(devId, 'Admin'));
  assert.equal((await admin.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId, MGMT);
  await rejectsWith(admin.send(new ListAccountsCommand({})), 'AccessDeniedException');

  // The management account's administrator reaches the member through OrganizationAccountAccessRole.
  const operator = await administrator(MGMT, 'Operator');
  const assumed = await new STSClient(clientConfig(server, operator)).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'ops',
    }),
  );
  const roleSession = client({
    accessKeyId: assumed.Credentials!.AccessKeyId!,
    secretAccessKey: assumed.Credentials!.SecretAccessKey!,
    sessionToken: assumed.Credentials!.SessionToken!,
  });
  assert.equal((await roleSession.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId, MGMT);

  const { Policy } = await payer.send(
    new CreatePolicyCommand({
      Name: 'DenyBillingAndOrgLookups',
      Description: 'Members keep out of billing',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: ['aws-portal:*', 'organizations:DescribeOrganization'], Resource: '*' }],
      }),
    }),
  );
  const policyId = Policy!.PolicySummary!.Id!;
  await payer.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: ouId }));
  const attached = await payer.send(
    new ListPoliciesForTargetCommand({ TargetId: ouId, Filter: 'SERVICE_CONTROL_POLICY' }),
  );
  assert.deepEqual(attached.Policies!.map((p) => p.Name).sort(), ['DenyBillingAndOrgLookups', 'FullAWSAccess']);

  await rejectsWith(admin.send(new DescribeOrganizationCommand({})), 'AccessDeniedException', /explicit deny/);
  await rejectsWith(roleSession.send(new DescribeOrganizationCommand({})), 'AccessDeniedException', /explicit deny/);
  // SCPs never bound the management account.
  assert.ok((await client(operator).send(new DescribeOrganizationCommand({}))).Organization);

  await assert.rejects(payer.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: rootId })), {
    name: 'ConstraintViolationException',
    Reason: 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
  });
  await payer.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: ouId }));
  assert.equal((await admin.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId, MGMT);
});

test('resource control policies travel over the wire as the SDK sends them', async () => {
  const payer = client();
  const { Roots } = await payer.send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  const enabled = await payer.send(
    new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }),
  );
  assert.ok(enabled.Root?.PolicyTypes?.some((t) => t.Type === 'RESOURCE_CONTROL_POLICY' && t.Status === 'ENABLED'));
  const content = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
  const { Policy } = await payer.send(
    new CreatePolicyCommand({
      Name: 'RequireTls',
      Description: 'deny plain HTTP',
      Type: 'RESOURCE_CONTROL_POLICY',
      Content: content,
    }),
  );
  assert.equal(Policy?.PolicySummary?.Type, 'RESOURCE_CONTROL_POLICY');
  await payer.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: rootId }));
  const { Policies } = await payer.send(
    new ListPoliciesForTargetCommand({ TargetId: rootId, Filter: 'RESOURCE_CONTROL_POLICY' }),
  );
  assert.deepEqual(Policies?.map((p) => p.Name).sort(), ['RCPFullAWSAccess', 'RequireTls']);
});

test('bad input is answered with InvalidInputException and its Reason, never ValidationException', async () => {
  const payer = client();
  const { Roots } = await payer.send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  const refused = async (promise: Promise<unknown>, reason: string, message: RegExp): Promise<void> => {
    await assert.rejects(promise, (error: Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'InvalidInputException', error.message);
      assert.equal(error.Reason, reason);
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.match(error.message, message);
      return true;
    });
  };
  // Each of these breaks a constraint of Organizations' API model (pattern, length, enum, range).
  await refused(
    payer.send(new DescribeAccountCommand({ AccountId: '123' })),
    'INVALID_PATTERN',
    /^You provided a value that doesn't match the required pattern\. \(AccountId\)$/,
  );
  await refused(
    payer.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'x'.repeat(129) })),
    'MAX_LENGTH_EXCEEDED',
    /longer than allowed\. \(Name\)$/,
  );
  await refused(
    payer.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: '' })),
    'MIN_LENGTH_EXCEEDED',
    /shorter than allowed\. \(Name\)$/,
  );
  await refused(
    payer.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'NOT_A_TYPE' as never })),
    'INVALID_ENUM_POLICY_TYPE',
    /^You specified an invalid policy type string\.$/,
  );
  await refused(
    payer.send(new ListAccountsCommand({ MaxResults: 0 })),
    'MIN_VALUE_EXCEEDED',
    /smaller value than allowed\. \(MaxResults\)$/,
  );
  await refused(
    payer.send(new ListPoliciesCommand({ Filter: 'NOT_A_POLICY_TYPE' as never })),
    'INVALID_ENUM_POLICY_TYPE',
    /^You specified an invalid policy type string\.$/,
  );
  await refused(
    payer.send(new CreateAccountCommand({ Email: 'not-an-email', AccountName: 'X' })),
    'INVALID_PATTERN',
    /\(Email\)$/,
  );
  await refused(
    payer.send(new ListAccountsCommand({ MaxResults: 21 })),
    'MAX_VALUE_EXCEEDED',
    /larger value than allowed\. \(MaxResults\)$/,
  );
  await refused(
    payer.send(new ListAccountsCommand({ NextToken: 'garbage' })),
    'INVALID_NEXT_TOKEN',
    /^You specified an invalid value for the nextToken request parameter\.$/,
  );
  // Rules the model cannot express are the area's: tag keys unique within one request.
  await refused(
    payer.send(
      new TagResourceCommand({
        ResourceId: rootId,
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'team', Value: 'b' },
        ],
      }),
    ),
    'DUPLICATE_TAG_KEY',
    /^Tag keys must be unique/,
  );
  await refused(
    payer.send(new ListPoliciesForTargetCommand({ TargetId: 'nope', Filter: 'SERVICE_CONTROL_POLICY' })),
    'INVALID_PATTERN_TARGET_ID',
    /^You specified a policy target ID that doesn't match the required pattern\.$/,
  );
});

test('tag, backup and AI services opt-out policies can be enabled, created, attached and detached', async () => {
  const payer = client();
  const { Roots } = await payer.send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  const tagPolicy = JSON.stringify({
    tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['100', '200'] } } },
  });
  // Not enabled yet: creating is allowed, attaching is not.
  const { Policy } = await payer.send(
    new CreatePolicyCommand({
      Name: 'CostCenter',
      Description: 'cost centers',
      Type: 'TAG_POLICY',
      Content: tagPolicy,
    }),
  );
  const tagPolicyId = Policy!.PolicySummary!.Id!;
  assert.match(Policy!.PolicySummary!.Arn!, /:policy\/o-[a-z0-9]+\/tag_policy\/p-[a-z0-9]+$/);
  await rejectsWith(
    payer.send(new AttachPolicyCommand({ PolicyId: tagPolicyId, TargetId: rootId })),
    'PolicyTypeNotEnabledException',
  );

  for (const type of ['TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY'] as const) {
    const { Root } = await payer.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: type }));
    assert.ok(
      Root?.PolicyTypes?.some((t) => t.Type === type && t.Status === 'ENABLED'),
      type,
    );
    // Management policy types come with no AWS managed default attached.
    const { Policies } = await payer.send(new ListPoliciesForTargetCommand({ TargetId: rootId, Filter: type }));
    assert.deepEqual(Policies, [], type);
  }

  await payer.send(new AttachPolicyCommand({ PolicyId: tagPolicyId, TargetId: rootId }));
  const attached = await payer.send(new ListPoliciesForTargetCommand({ TargetId: rootId, Filter: 'TAG_POLICY' }));
  assert.deepEqual(
    attached.Policies?.map((p) => p.Name),
    ['CostCenter'],
  );
  // Unlike an SCP, the last management policy of a target may be detached.
  await payer.send(new DetachPolicyCommand({ PolicyId: tagPolicyId, TargetId: rootId }));

  const optOut = await payer.send(
    new CreatePolicyCommand({
      Name: 'NoAiTraining',
      Description: 'opt out everywhere',
      Type: 'AISERVICES_OPT_OUT_POLICY',
      Content: JSON.stringify({ services: { default: { opt_out_policy: { '@@assign': 'optOut' } } } }),
    }),
  );
  await payer.send(new AttachPolicyCommand({ PolicyId: optOut.Policy!.PolicySummary!.Id!, TargetId: rootId }));
  const backup = await payer.send(
    new CreatePolicyCommand({
      Name: 'Nightly',
      Description: 'backups',
      Type: 'BACKUP_POLICY',
      Content: '{"plans":{}}',
    }),
  );
  assert.equal(backup.Policy?.PolicySummary?.Type, 'BACKUP_POLICY');

  await rejectsWith(
    payer.send(new CreatePolicyCommand({ Name: 'Broken', Description: '', Type: 'TAG_POLICY', Content: '{not json' })),
    'MalformedPolicyDocumentException',
  );
  await rejectsWith(
    payer.send(
      new CreatePolicyCommand({
        Name: 'TooBig',
        Description: '',
        Type: 'AISERVICES_OPT_OUT_POLICY',
        Content: JSON.stringify({ services: { padding: 'x'.repeat(2500) } }),
      }),
    ),
    'ConstraintViolationException',
  );

  const disabled = await payer.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'TAG_POLICY' }));
  assert.ok(!disabled.Root?.PolicyTypes?.some((t) => t.Type === 'TAG_POLICY'));
});
