import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import { evaluateCase, PolicyCaseError } from './evaluate-case.js';
import { createPolicySet } from './policy-set.js';

const user = 'arn:aws:iam::123456789012:user/FinanceUser';
const allow = (action: string, extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*', ...extra }],
});

test('the tutorial read-only user is refused ModifyBilling in AWS words', () => {
  const r = evaluateCase({
    request: { principal: user, action: 'aws-portal:ModifyBilling', resource: '*' },
    policies: { identity: [allow('aws-portal:View*')] },
  });
  assert.equal(r.decision, 'ImplicitlyDenied');
  assert.equal(
    r.explanation,
    'User: arn:aws:iam::123456789012:user/FinanceUser is not authorized to perform: aws-portal:ModifyBilling on resource: * because no identity-based policy allows the aws-portal:ModifyBilling action',
  );
});
test('an explicit deny in an SCP is named', () => {
  const r = evaluateCase({
    request: { principal: user, action: 'aws-portal:ViewBilling', resource: '*' },
    policies: {
      identity: [allow('*')],
      scps: [
        [allow('*')],
        [{ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' } }],
      ],
    },
  });
  assert.equal(r.decision, 'ExplicitlyDenied');
  assert.deepEqual(r.blockedBy, ['scp']);
  assert.match(r.explanation, /with an explicit deny in a service control policy$/);
  assert.deepEqual(r.matched, [{ policyType: 'scp', policyId: 'scps[1][0]', index: 0, effect: 'Deny' }]);
});
test('the root user needs no identity policy but is bound by SCPs', () => {
  const root = 'arn:aws:iam::123456789012:root';
  assert.equal(
    evaluateCase({ request: { principal: root, action: 's3:GetObject', resource: '*' }, policies: { identity: [] } })
      .decision,
    'Allowed',
  );
  const r = evaluateCase({
    request: { principal: root, action: 's3:GetObject', resource: '*' },
    policies: { identity: [], scps: [[allow('ec2:*')]] },
  });
  assert.deepEqual([r.decision, r.blockedBy], ['ImplicitlyDenied', ['scp']]);
});
test('a boundary intersects identity permissions', () => {
  const r = evaluateCase({
    request: { principal: user, action: 's3:GetObject', resource: '*' },
    policies: { identity: [allow('s3:*')], permissionBoundary: allow('ec2:*') },
  });
  assert.deepEqual([r.decision, r.blockedBy], ['ImplicitlyDenied', ['permissionBoundary']]);
  assert.match(r.explanation, /because no permissions boundary allows the s3:GetObject action$/);
});
test('cross-account access needs the resource policy too', () => {
  const r = evaluateCase({
    request: { principal: user, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: '999999999999' },
    policies: { identity: [allow('s3:*')] },
  });
  assert.deepEqual([r.decision, r.blockedBy], ['ImplicitlyDenied', ['resource']]);
});
test('missing context keys are reported', () => {
  const r = evaluateCase({
    request: { principal: user, action: 's3:GetObject', resource: '*' },
    policies: { identity: [allow('s3:*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })] },
  });
  assert.deepEqual(r.missingContextKeys, ['aws:SourceIp']);
});
test('a malformed document is a PolicyCaseError naming where it is', () => {
  assert.throws(
    () =>
      evaluateCase({
        request: { principal: user, action: 'a:b', resource: '*' },
        policies: { identity: [{ Statement: 1 }] },
      }),
    (e: unknown) => e instanceof PolicyCaseError && e.message.startsWith('identity[0]: '),
  );
});
test('a compiled set answers many requests and keeps its answers apart', () => {
  const p = compilePolicy(allow('s3:Get*'), { policyType: 'identity', policyId: 'p' });
  assert.ok(p.ok);
  const set = createPolicySet({ identity: [p.policy] });
  for (let i = 0; i < 3; i += 1) {
    assert.equal(evaluate({ principal: user, action: 's3:GetObject', resource: '*' }, set).decision, 'Allowed');
    assert.equal(
      evaluate({ principal: user, action: 's3:PutObject', resource: '*' }, set).decision,
      'ImplicitlyDenied',
    );
  }
});
test('results serialise with their explanation', () => {
  const r = evaluateCase({
    request: { principal: user, action: 's3:GetObject', resource: '*' },
    policies: { identity: [] },
  });
  assert.equal(JSON.parse(JSON.stringify(r)).explanation, r.explanation);
});
test('a Deny with NotPrincipal always denies a principal that has a permissions boundary', () => {
  const resource = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: user }, Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: [user, '123456789012'] }, Action: 's3:*', Resource: '*' },
    ],
  };
  const request = { principal: user, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' };
  assert.equal(evaluateCase({ request, policies: { identity: [], resource } }).decision, 'Allowed');
  const bounded = evaluateCase({ request, policies: { identity: [], resource, permissionBoundary: allow('s3:*') } });
  assert.deepEqual([bounded.decision, bounded.blockedBy], ['ExplicitlyDenied', ['resource']]);
});
test('several session policies are one session policy: any allows, a Deny in any denies, none allows nothing', () => {
  const session = 'arn:aws:sts::123456789012:assumed-role/Admin/s';
  const compile = (doc: unknown, policyType: 'identity' | 'session', policyId: string) => {
    const r = compilePolicy(doc, { policyType, policyId });
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.policy;
  };
  const identity = [compile(allow('*'), 'identity', 'role-policy')];
  const billing = compile(allow('aws-portal:ViewBilling'), 'session', 'arn:aws:iam::123456789012:policy/Billing');
  const budgets = compile(allow('budgets:ViewBudget'), 'session', 'session-policy');
  const denyBudgets = compile(
    { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'budgets:*', Resource: '*' } },
    'session',
    'arn:aws:iam::123456789012:policy/NoBudgets',
  );
  const both = createPolicySet({ identity, session: [billing, budgets] });
  const decide = (action: string, set = both) => evaluate({ principal: session, action, resource: '*' }, set);
  assert.equal(decide('aws-portal:ViewBilling').decision, 'Allowed');
  assert.deepEqual(
    decide('aws-portal:ViewBilling').matched.at(-1)?.policyId,
    'arn:aws:iam::123456789012:policy/Billing',
  );
  assert.equal(decide('budgets:ViewBudget').decision, 'Allowed');
  const refused = decide('iam:CreateUser');
  assert.deepEqual([refused.decision, refused.blockedBy], ['ImplicitlyDenied', ['session']]);
  const denied = decide('budgets:ViewBudget', createPolicySet({ identity, session: [budgets, denyBudgets] }));
  assert.equal(denied.decision, 'ExplicitlyDenied');
  assert.deepEqual(
    denied.matched.map((ref) => [ref.policyType, ref.policyId]),
    [['session', 'arn:aws:iam::123456789012:policy/NoBudgets']],
  );
  const none = decide('aws-portal:ViewBilling', createPolicySet({ identity, session: [] }));
  assert.deepEqual([none.decision, none.blockedBy], ['ImplicitlyDenied', ['session']]);
  assert.equal(decide('iam:CreateUser', createPolicySet({ identity })).decision, 'Allowed');
});
