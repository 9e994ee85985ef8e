import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createIamServices, type IamServices } from '../../iam/index.js';
import { FixedClock } from '../../platform/clock.js';
import { seededIdSource } from '../../platform/ids.js';
import { openDatabase, type OpenedDatabase } from '../../store/database.js';
import { declaredAccess } from '../registry.js';
import type { Caller, OperationContext, RequestFacts } from '../../core/operation.js';
import { iamOperations, type IamOperationServices } from './index.js';

const facts: RequestFacts = {
  requestId: 'r',
  sourceIp: '127.0.0.1',
  userAgent: 'test',
  now: new Date('2026-11-27T12:00:00Z'),
  via: 'query',
};

function op(name: string) {
  const found = iamOperations.find((o) => o.name === name);
  assert.ok(found, name);
  return found;
}

describe('IAM operations', () => {
  let opened: OpenedDatabase;
  let iam: IamServices;
  let root: OperationContext<IamOperationServices>;
  let alice: OperationContext<IamOperationServices>;

  before(async () => {
    opened = await openDatabase({ ephemeral: true });
    iam = await createIamServices({
      db: opened.db,
      clock: new FixedClock('2026-11-27T12:00:00Z'),
      ids: seededIdSource('operations'),
      passwordHashCost: 1024,
    });
    const { accountId } = await iam.accounts.signUp({
      email: 'ops@example.com',
      password: 'Passw0rd!',
      accountName: 'Ops',
      accountId: '123456789012',
    });
    root = {
      caller: { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId },
      facts,
      services: { iam },
    };
    const user = await iam.users.create(accountId, { UserName: 'Alice', Path: '/team/' });
    const caller: Caller = { kind: 'user', accountId, arn: user.Arn, userId: user.UserId, name: 'Alice' };
    alice = { caller, facts, services: { iam } };
  });
  after(async () => opened?.close());

  test('every operation names its iam: action and the ARN AWS authorizes against', async () => {
    assert.deepEqual(await declaredAccess(op('CreateUser'), { UserName: 'Bob', Path: '/ops/' }, root), [
      { action: 'iam:CreateUser', resource: 'arn:aws:iam::123456789012:user/ops/Bob' },
    ]);
    assert.deepEqual(await declaredAccess(op('ListUsers'), {}, root), [
      { action: 'iam:ListUsers', resource: 'arn:aws:iam::123456789012:user/' },
    ]);
    assert.deepEqual(
      await declaredAccess(
        op('AttachGroupPolicy'),
        { GroupName: 'G', PolicyArn: 'arn:aws:iam::aws:policy/Billing' },
        root,
      ),
      [
        {
          action: 'iam:AttachGroupPolicy',
          resource: 'arn:aws:iam::123456789012:group/G',
          context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/Billing' },
        },
      ],
    );
    assert.deepEqual(
      (await declaredAccess(op('GetPolicy'), { PolicyArn: 'arn:aws:iam::aws:policy/Billing' }, root))?.[0]?.resource,
      'arn:aws:iam::aws:policy/Billing',
    );
    assert.deepEqual(
      (await declaredAccess(op('CreateUser'), { UserName: 'T', Tags: [{ Key: 'team', Value: 'a' }] }, root))?.[0]
        ?.context,
      {
        'aws:RequestTag/team': 'a',
        'aws:TagKeys': ['team'],
      },
    );
    for (const operation of iamOperations) {
      assert.equal(operation.service, 'iam');
      assert.equal((await declaredAccess(operation, {}, root))?.[0]?.action, `iam:${operation.name}`);
    }
  });

  test('resource ARNs of existing entities carry their paths and stored names, and follow renames and moves', async () => {
    // Named in another case than it was created with: the ARN is the user's own (a Deny on it must hold).
    assert.equal(
      (await declaredAccess(op('GetUser'), { UserName: 'alice' }, root))?.[0]?.resource,
      'arn:aws:iam::123456789012:user/team/Alice',
    );
    await op('CreateUser').handler({ UserName: 'Mover', Path: '/a/' }, root);
    assert.equal(
      (await declaredAccess(op('DeleteUser'), { UserName: 'Mover' }, root))?.[0]?.resource,
      'arn:aws:iam::123456789012:user/a/Mover',
    );
    await op('UpdateUser').handler({ UserName: 'Mover', NewUserName: 'Moved', NewPath: '/b/' }, root);
    assert.equal(
      (await declaredAccess(op('DeleteUser'), { UserName: 'Moved' }, root))?.[0]?.resource,
      'arn:aws:iam::123456789012:user/b/Moved',
    );
    assert.equal(
      (await declaredAccess(op('DeleteUser'), { UserName: 'Mover' }, root))?.[0]?.resource,
      'arn:aws:iam::123456789012:user/Mover',
    );
    await op('DeleteUser').handler({ UserName: 'Moved' }, root);
    assert.equal(
      (await declaredAccess(op('GetUser'), { UserName: 'Moved' }, root))?.[0]?.resource,
      'arn:aws:iam::123456789012:user/Moved',
    );
    await op('CreateRole').handler(
      {
        RoleName: 'Pathed',
        Path: '/service/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }],
        }),
      },
      root,
    );
    assert.equal(
      (await declaredAccess(op('GetRole'), { RoleName: 'Pathed' }, root))?.[0]?.resource,
      'arn:aws:iam::123456789012:role/service/Pathed',
    );
  });

  test('calls without UserName act on the calling user, with its own ARN as the resource', async () => {
    assert.equal(
      (await declaredAccess(op('GetUser'), {}, alice))?.[0]?.resource,
      'arn:aws:iam::123456789012:user/team/Alice',
    );
    assert.equal(((await op('GetUser').handler({}, alice)) as { User: { UserName: string } }).User.UserName, 'Alice');
    const created = (await op('CreateAccessKey').handler({}, alice)) as { AccessKey: { UserName: string } };
    assert.equal(created.AccessKey.UserName, 'Alice');
    assert.equal(
      ((await op('ListAccessKeys').handler({}, alice)) as { AccessKeyMetadata: unknown[] }).AccessKeyMetadata.length,
      1,
    );
    const session: OperationContext<IamOperationServices> = {
      ...root,
      caller: {
        kind: 'assumed-role',
        accountId: '123456789012',
        arn: 'arn:aws:sts::123456789012:assumed-role/R/s',
        userId: 'AROAEXAMPLE:s',
        roleArn: 'arn:aws:iam::123456789012:role/R',
      },
    };
    await assert.rejects(op('CreateAccessKey').handler({}, session), { code: 'ValidationError' });
    await assert.rejects(op('GetUser').handler({}, session), { code: 'ValidationError' });
    const rootUser = (await op('GetUser').handler({}, root)) as { User: { Arn: string } };
    assert.equal(rootUser.User.Arn, 'arn:aws:iam::123456789012:root');
  });

  test('Marker and MaxItems page lists; a bad marker is refused', async () => {
    for (const name of ['G1', 'G2', 'G3']) await op('CreateGroup').handler({ GroupName: name }, root);
    const first = (await op('ListGroups').handler({ MaxItems: 2 }, root)) as {
      Groups: { GroupName: string }[];
      IsTruncated: boolean;
      Marker?: string;
    };
    assert.deepEqual(
      first.Groups.map((g) => g.GroupName),
      ['G1', 'G2'],
    );
    assert.equal(first.IsTruncated, true);
    const second = (await op('ListGroups').handler({ MaxItems: 2, Marker: first.Marker }, root)) as {
      Groups: { GroupName: string }[];
      IsTruncated: boolean;
      Marker?: string;
    };
    assert.deepEqual(
      second.Groups.map((g) => g.GroupName),
      ['G3'],
    );
    assert.equal(second.IsTruncated, false);
    assert.equal(second.Marker, undefined);
    // A page that holds exactly the rest of the list is the last one.
    const exact = (await op('ListGroups').handler({ MaxItems: 3 }, root)) as { IsTruncated: boolean; Marker?: string };
    assert.equal(exact.IsTruncated, false);
    assert.equal(exact.Marker, undefined);
    await assert.rejects(op('ListGroups').handler({ Marker: 'not-a-marker' }, root), { code: 'InvalidInput' });
    // MaxItems out of 1–1000 is the model's to refuse, before any handler: src/api/codecs.test.ts.
  });

  test('SimulatePrincipalPolicy reports the boundary and the matched statements', async () => {
    const viewOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'aws-portal:View*', Resource: '*' }],
    });
    await op('PutUserPolicy').handler(
      {
        UserName: 'Alice',
        PolicyName: 'Everything',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }],
        }),
      },
      root,
    );
    const { Policy } = (await op('CreatePolicy').handler(
      { PolicyName: 'ViewOnly', PolicyDocument: viewOnly },
      root,
    )) as { Policy: { Arn: string } };
    await op('PutUserPermissionsBoundary').handler({ UserName: 'Alice', PermissionsBoundary: Policy.Arn }, root);
    const result = (await op('SimulatePrincipalPolicy').handler(
      {
        PolicySourceArn: 'arn:aws:iam::123456789012:user/team/Alice',
        ActionNames: ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling'],
      },
      root,
    )) as {
      EvaluationResults: {
        EvalActionName: string;
        EvalDecision: string;
        MatchedStatements: { SourcePolicyId: string; SourcePolicyType: string }[];
        PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
      }[];
    };
    const [view, modify] = result.EvaluationResults;
    assert.equal(view?.EvalDecision, 'allowed');
    assert.deepEqual(view?.MatchedStatements, [{ SourcePolicyId: 'user/Alice/Everything', SourcePolicyType: 'user' }]);
    assert.equal(modify?.EvalDecision, 'implicitDeny');
    assert.equal(modify?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, false);
  });

  test('SimulateCustomPolicy evaluates the given policies for a simulated user', async () => {
    const denyModify = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'aws-portal:Modify*', Resource: '*' }],
    });
    const allowAll = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    const result = (await op('SimulateCustomPolicy').handler(
      { PolicyInputList: [allowAll, denyModify], ActionNames: ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling'] },
      root,
    )) as {
      EvaluationResults: {
        EvalDecision: string;
        MatchedStatements: { SourcePolicyId: string; SourcePolicyType: string }[];
      }[];
    };
    assert.deepEqual(
      result.EvaluationResults.map((r) => r.EvalDecision),
      ['allowed', 'explicitDeny'],
    );
    assert.deepEqual(result.EvaluationResults[1]?.MatchedStatements, [
      { SourcePolicyId: 'PolicyInputList.2', SourcePolicyType: 'IAM Policy' },
    ]);
    await assert.rejects(
      op('SimulateCustomPolicy').handler({ PolicyInputList: ['{'], ActionNames: ['s3:GetObject'] }, root),
      { code: 'MalformedPolicyDocument' },
    );
  });
});
