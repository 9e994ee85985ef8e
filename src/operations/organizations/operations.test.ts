import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceModels } from '../../models/services/index.js';
import { createOrganizations, createPolicyChains, type Organizations } from '../../organizations/index.js';
import { FixedClock } from '../../platform/clock.js';
import { seededIdSource } from '../../platform/ids.js';
import { openDatabase, type OpenedDatabase } from '../../store/database.js';
import { declaredAccess } from '../registry.js';
import type { Caller, OperationContext, RequestFacts } from '../../core/operation.js';
import { organizationsOperations, type OrganizationsServices } from './operations.js';

const MGMT = '111111111111';
const STRANGER = '222222222222';

let opened: OpenedDatabase;
let organizations: Organizations;

const facts: RequestFacts = {
  requestId: 'r',
  sourceIp: '127.0.0.1',
  userAgent: 'test',
  now: new Date('2026-11-27T12:00:00Z'),
  via: 'json',
};

function ctx(accountId: string): OperationContext<OrganizationsServices> {
  const caller: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
  return { caller, facts, services: { organizations } };
}

function op(name: string) {
  const found = organizationsOperations.find((o) => o.name === name);
  assert.ok(found, name);
  return found;
}

before(async () => {
  opened = await openDatabase({ ephemeral: true });
  const clock = new FixedClock('2026-11-27T12:00:00.000Z');
  const ids = seededIdSource('operations');
  organizations = createOrganizations({ db: opened.db, clock, ids, chains: createPolicyChains(opened.db) });
  for (const id of [MGMT, STRANGER]) {
    await opened.db
      .insertInto('iam_accounts')
      .values({
        account_id: id,
        email: `${id}@example.com`,
        account_name: id,
        root_password_hash: '',
        created_at: '2026-01-01T00:00:00.000Z',
        root_password_last_used: null,
        policy_generation: 0,
      })
      .execute();
  }
});

after(() => opened.close());

test('every operation is an Organizations operation of AWS model, named once, with its own action', () => {
  const model = serviceModels.organizations;
  assert.ok(model);
  const names = organizationsOperations.map((o) => o.name);
  assert.equal(new Set(names).size, names.length);
  for (const operation of organizationsOperations) {
    assert.equal(operation.service, 'organizations');
    assert.ok(model.operations[operation.name], `${operation.name} is in the model`);
  }
});

test('access() names the resource ARNs of the authorization reference, with the policy type as context', async () => {
  const { Organization } = await organizations.createOrganization(MGMT);
  const orgId = Organization.Id;
  const [root] = await organizations.listRoots(MGMT);
  const { OrganizationalUnit } = await organizations.units.create(MGMT, root!.Id, 'Apps');
  const policy = (
    await organizations.policies.create(MGMT, {
      name: 'NoBilling',
      description: '',
      type: 'SERVICE_CONTROL_POLICY',
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"aws-portal:*","Resource":"*"}]}',
    })
  ).Policy.PolicySummary;

  const base = `arn:aws:organizations::${MGMT}`;
  assert.deepEqual(await declaredAccess(op('DescribeAccount'), { AccountId: '333333333333' }, ctx(MGMT)), [
    { action: 'organizations:DescribeAccount', resource: `${base}:account/${orgId}/333333333333` },
  ]);
  assert.deepEqual(
    await declaredAccess(op('ListChildren'), { ParentId: OrganizationalUnit.Id, ChildType: 'ACCOUNT' }, ctx(MGMT)),
    [{ action: 'organizations:ListChildren', resource: `${base}:ou/${orgId}/${OrganizationalUnit.Id}` }],
  );
  const context = { 'organizations:PolicyType': 'SERVICE_CONTROL_POLICY' };
  assert.deepEqual(await declaredAccess(op('AttachPolicy'), { PolicyId: policy.Id, TargetId: root!.Id }, ctx(MGMT)), [
    {
      action: 'organizations:AttachPolicy',
      resource: `${base}:policy/${orgId}/service_control_policy/${policy.Id}`,
      context,
    },
    { action: 'organizations:AttachPolicy', resource: `${base}:root/${orgId}/${root!.Id}`, context },
  ]);
  assert.deepEqual(await declaredAccess(op('DescribePolicy'), { PolicyId: 'p-FullAWSAccess' }, ctx(MGMT)), [
    {
      action: 'organizations:DescribePolicy',
      resource: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
      context,
    },
  ]);
  assert.deepEqual(await declaredAccess(op('ListAccounts'), {}, ctx(MGMT)), [
    { action: 'organizations:ListAccounts', resource: '*' },
  ]);
  // An account this process knows in no organization: the handler answers, the ARN cannot be spelled.
  assert.deepEqual(await declaredAccess(op('DescribeAccount'), { AccountId: MGMT }, ctx(STRANGER)), [
    { action: 'organizations:DescribeAccount', resource: '*' },
  ]);
  await assert.rejects(op('DescribeAccount').handler({ AccountId: MGMT }, ctx(STRANGER)), {
    code: 'AWSOrganizationsNotInUseException',
  });
});

test('handlers page with NextToken and refuse a token they did not issue', async () => {
  // Input the model refuses never reaches a handler: invoke() answers it (test/organizations/sdk.test.ts).
  await assert.rejects(op('ListAccounts').handler({ NextToken: 'garbage' }, ctx(MGMT)), {
    code: 'InvalidInputException',
  });
  const [root] = await organizations.listRoots(MGMT);
  for (const name of ['A', 'B', 'C']) await organizations.units.create(MGMT, root!.Id, name);
  const first = await op('ListOrganizationalUnitsForParent').handler({ ParentId: root!.Id, MaxResults: 2 }, ctx(MGMT));
  assert.equal((first.OrganizationalUnits as unknown[]).length, 2);
  assert.equal(typeof first.NextToken, 'string');
  const rest = await op('ListOrganizationalUnitsForParent').handler(
    { ParentId: root!.Id, MaxResults: 2, NextToken: first.NextToken },
    ctx(MGMT),
  );
  assert.equal((rest.OrganizationalUnits as unknown[]).length, 2);
  assert.equal(rest.NextToken, undefined);
});
