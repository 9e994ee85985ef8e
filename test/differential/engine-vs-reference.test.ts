/**
 * The fast engine (compiled, indexed by action, first-match) must agree with the naive reference
 * evaluator (src/policy/spec/reference.ts) on the decision and on which policy types blocked it, for
 * generated policy sets and requests. Each generated set is compiled once and asked several requests,
 * so the per-action plan cache and the memoised matchers are exercised as in production.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compilePolicy, createPolicySet, evaluate } from '../../src/policy/index.js';
import type {
  CompiledPolicy,
  EvaluationCase,
  PolicySetInput,
  PolicyType,
  RequestInput,
} from '../../src/policy/index.js';
import { referenceEvaluate } from '../../src/policy/spec/reference.js';

const A = '111111111111';
const B = '222222222222';
const PRINCIPALS = [
  `arn:aws:iam::${A}:user/alice`,
  `arn:aws:iam::${A}:user/division/bob`,
  `arn:aws:iam::${A}:root`,
  `arn:aws:sts::${A}:assumed-role/Deployer/session-1`,
  `arn:aws:sts::${A}:federated-user/carol`,
  `arn:aws:iam::${B}:user/dave`,
  `arn:aws:iam::${B}:root`,
  `arn:aws:sts::${B}:assumed-role/Auditor/s`,
  `arn:aws:iam::${A}:role/ops/Deployer`,
  'ec2.amazonaws.com',
  'anonymous',
];
const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'ec2:DescribeInstances',
  'aws-portal:ViewBilling',
  'aws-portal:ModifyBilling',
  'iam:CreateUser',
  'S3:getobject',
  // Actions under service rules (src/policy/service-rules.ts).
  'sts:GetCallerIdentity',
  'sts:AssumeRole',
  'kms:Decrypt',
  'kms:CreateAlias',
  'iam:DeletePolicy',
  'iam:PutRolePolicy',
];
const RESOURCES = [
  '*',
  'arn:aws:s3:::bucket-a/alice/report.csv',
  'arn:aws:s3:::bucket-a/dir/key:with:colons',
  'arn:aws:s3:::bucket-b/x',
  'arn:aws:s3:::bucket-a',
  `arn:aws:ec2:us-east-1:${A}:instance/i-1`,
  `arn:aws:iam::${A}:user/alice`,
  'arn:aws:s3:::literal*star',
  `arn:aws:iam::${A}:role/Deployer`,
  `arn:aws:iam::${A}:role/aws-service-role/ec2.amazonaws.com/AWSServiceRoleForEC2`,
  'arn:aws:iam::aws:policy/AdministratorAccess',
  `arn:aws:kms:us-east-1:${A}:key/1234abcd`,
  `arn:aws:kms:us-east-1:${A}:alias/aws/s3`,
];
const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Get*',
  's3:?etObject',
  'S3:GETOBJECT',
  's3:*Object',
  'ec2:Describe*',
  'aws-portal:View*',
  'aws-portal:*',
  'iam:*User',
  '*:*',
  's*:List*',
  's3:',
  'sts:*',
  'kms:*',
  'iam:*Polic*',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::bucket-a/*',
  'arn:aws:s3:::bucket-?/*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::bucket-a/${aws:username}/*',
  "arn:aws:s3:::bucket-a/${aws:PrincipalTag/team, 'dir'}/*",
  'arn:aws:*:*:*:*',
  'arn:aws:*',
  `arn:aws:ec2:*:${A}:instance/*`,
  'arn:aws:iam::*:user/${aws:username}',
  'arn:aws:s3:::bucket-a/d*r/*',
  'arn:aws:s3:::literal${*}star',
  'arn:aws:s3:::literal*star',
  'arn:aws:s3:::bucket-a',
  'arn:aws:s?:::bucket-a*',
];
const KEYS = [
  'aws:SourceIp',
  'aws:CurrentTime',
  'aws:username',
  'AWS:UserName',
  'aws:TagKeys',
  'aws:PrincipalTag/team',
  's3:prefix',
  'aws:SecureTransport',
  's3:max-keys',
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:ResourceAccount',
  'aws:PrincipalType',
];
const OPERATOR_VALUES: Record<string, string[]> = {
  StringEquals: ['alice', 'bob', 'dir', 'a', '${aws:username}', 'User', A, '${aws:PrincipalTag/team}'],
  StringNotEquals: ['alice', 'ops', 'a', '${aws:username}'],
  StringEqualsIgnoreCase: ['ALICE', 'Dir', 'A', 'user'],
  StringNotEqualsIgnoreCase: ['ALICE', 'Ops'],
  StringLike: ['al*', '?ob', 'dir/*', '*', '${aws:username}*', 'a', 'b'],
  StringNotLike: ['al*', 'dir/*', 'x?'],
  NumericEquals: ['10', '10.0', '5'],
  NumericNotEquals: ['10'],
  NumericLessThan: ['20', '5'],
  NumericGreaterThanEquals: ['10', '100'],
  DateLessThan: ['2026-12-31T00:00:00Z', '1767225600', '2020-01-01'],
  DateGreaterThan: ['2026-01-01T00:00:00+01:00', '1700000000'],
  DateEquals: ['2026-06-01T00:00:00Z'],
  Bool: ['true', 'false'],
  IpAddress: ['10.0.0.0/8', '192.168.1.1', '2001:db8::/32', '0.0.0.0/0'],
  NotIpAddress: ['10.0.0.0/8', '2001:db8::/32'],
  ArnLike: [`arn:aws:iam::${A}:user/*`, `arn:aws:iam::*:role/Deployer`, 'arn:aws:iam::*:*'],
  ArnNotEquals: [`arn:aws:iam::${A}:user/alice`],
  Null: ['true', 'false'],
};
const CONTEXT_VALUES: Record<string, fc.Arbitrary<string | string[]>> = {
  'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.168.1.1', '8.8.8.8', '2001:db8::1', '::1'),
  'aws:CurrentTime': fc.constantFrom('2026-06-01T00:00:00Z', '2027-01-01T00:00:00Z', '1750000000'),
  'aws:username': fc.constantFrom('alice', 'bob'),
  'aws:TagKeys': fc.constantFrom<string | string[]>([], ['a'], ['a', 'b'], ['c'], 'a'),
  'aws:PrincipalTag/team': fc.constantFrom('dir', 'ops', 'alice'),
  's3:prefix': fc.constantFrom('dir/x', 'alice', 'other', ''),
  'aws:SecureTransport': fc.constantFrom('true', 'false', 'TRUE'),
  's3:max-keys': fc.constantFrom('5', '10', '50', 'x'),
  'AWS:SOURCEIP': fc.constantFrom('10.9.9.9'),
};

const arbCondition = fc
  .record({
    base: fc.constantFrom(...Object.keys(OPERATOR_VALUES)),
    set: fc.constantFrom('', '', '', 'ForAllValues:', 'ForAnyValue:'),
    ifExists: fc.boolean(),
    key: fc.constantFrom(...KEYS),
  })
  .chain(({ base, set, ifExists, key }) =>
    fc.record({
      operator: fc.constant(base === 'Null' ? base : `${set}${base}${ifExists ? 'IfExists' : ''}`),
      key: fc.constant(key),
      values: fc.subarray(OPERATOR_VALUES[base]!, {
        minLength: 1,
        maxLength: Math.min(3, OPERATOR_VALUES[base]!.length),
      }),
    }),
  );

const arbPrincipal = fc.constantFrom<unknown>(
  '*',
  { AWS: '*' },
  { AWS: A },
  { AWS: `arn:aws:iam::${B}:root` },
  { AWS: [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:root`] },
  { AWS: `arn:aws:iam::${A}:role/ops/Deployer` },
  { AWS: `arn:aws:sts::${A}:assumed-role/Deployer/session-1` },
  { AWS: [`arn:aws:sts::${A}:assumed-role/Deployer/session-1`, `arn:aws:iam::${A}:role/Deployer`, A] },
  { Service: 'ec2.amazonaws.com' },
  { AWS: `arn:aws:iam::${B}:user/dave` },
  { AWS: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${A}:user/alice`] },
  { AWS: `arn:aws:iam::${A}:user/alice` },
);

function arbStatement(kind: PolicyType): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      Sid: fc.option(fc.constantFrom('S1', 'S2'), { nil: undefined }),
      Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
      actionKind: fc.constantFrom('Action', 'Action', 'Action', 'NotAction'),
      actions: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 3 }),
      resourceKind: fc.constantFrom('Resource', 'Resource', 'Resource', 'NotResource'),
      resources: fc.subarray(RESOURCE_PATTERNS, { minLength: 1, maxLength: 3 }),
      // A resource-based statement without either is invalid and must apply to nobody.
      principalKind: fc.constantFrom('Principal', 'Principal', 'Principal', 'NotPrincipal', 'none'),
      principal: arbPrincipal,
      conditions: fc.array(arbCondition, { maxLength: 3 }),
    })
    .map((g) => {
      const s: Record<string, unknown> = { Effect: g.Effect };
      if (g.Sid !== undefined) s.Sid = g.Sid;
      s[g.actionKind] = g.actions.length === 1 ? g.actions[0] : g.actions;
      s[g.resourceKind] = g.resources.length === 1 ? g.resources[0] : g.resources;
      if (kind === 'resource' && g.principalKind !== 'none') s[g.principalKind] = g.principal;
      if (g.conditions.length > 0) {
        const block: Record<string, Record<string, string[]>> = {};
        for (const c of g.conditions) (block[c.operator] ??= {})[c.key] = c.values;
        s.Condition = block;
      }
      return s;
    });
}

function arbDocument(kind: PolicyType): fc.Arbitrary<unknown> {
  return fc
    .record({
      version: fc.constantFrom<string | undefined>('2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17', undefined),
      statements: fc.array(arbStatement(kind), { minLength: 1, maxLength: 4 }),
    })
    .map(({ version, statements }) => {
      const doc: Record<string, unknown> = { Statement: statements.length === 1 ? statements[0] : statements };
      if (version !== undefined) doc.Version = version;
      return doc;
    });
}

/** Organization levels; most carry a full-access policy, as AWS attaches one by default. */
const FULL_ACCESS = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } };
const arbLevel = (kind: PolicyType): fc.Arbitrary<unknown[]> =>
  fc
    .tuple(fc.boolean(), fc.boolean(), fc.array(arbDocument(kind), { minLength: 1, maxLength: 2 }))
    .map(([full, alsoFull, docs]) => (full || alsoFull ? [FULL_ACCESS, ...docs] : docs));
const arbLevels = (kind: PolicyType): fc.Arbitrary<unknown[][] | undefined> =>
  fc.option(fc.array(arbLevel(kind), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 2 });

const arbPolicies: fc.Arbitrary<PolicySetInput> = fc
  .record({
    identity: fc.array(arbDocument('identity'), { maxLength: 3 }),
    resource: fc.option(arbDocument('resource'), { nil: undefined }),
    permissionBoundary: fc.option(arbDocument('permissionBoundary'), { nil: undefined, freq: 3 }),
    session: fc.option(arbDocument('session'), { nil: undefined, freq: 3 }),
    scps: arbLevels('scp'),
    rcps: arbLevels('rcp'),
  })
  .map((p) => {
    const out: PolicySetInput = { identity: p.identity };
    for (const key of ['resource', 'permissionBoundary', 'session', 'scps', 'rcps'] as const) {
      if (p[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = p[key];
    }
    return out;
  });

const arbRequest: fc.Arbitrary<RequestInput> = fc
  .record({
    principal: fc.constantFrom(...PRINCIPALS),
    action: fc.constantFrom(...ACTIONS),
    resource: fc.constantFrom(...RESOURCES),
    resourceAccount: fc.constantFrom<string | undefined>(undefined, undefined, A, B),
    context: fc.dictionary(fc.constantFrom(...Object.keys(CONTEXT_VALUES)), fc.constant(null), { maxKeys: 5 }),
  })
  .chain((r) =>
    fc.record(Object.fromEntries(Object.keys(r.context).map((k) => [k, CONTEXT_VALUES[k]!]))).map((context) => {
      const request: RequestInput = { principal: r.principal, action: r.action, resource: r.resource, context };
      if (r.resourceAccount !== undefined) request.resourceAccount = r.resourceAccount;
      return request;
    }),
  );

function compileSet(p: PolicySetInput) {
  const one = (doc: unknown, policyType: PolicyType, policyId: string): CompiledPolicy => {
    const r = compilePolicy(doc, { policyType, policyId });
    assert.ok(r.ok, r.ok ? '' : r.errors.join('; '));
    return r.policy;
  };
  return createPolicySet({
    identity: p.identity.map((d, i) => one(d, 'identity', `identity[${i}]`)),
    resource: p.resource === undefined ? undefined : one(p.resource, 'resource', 'resource'),
    permissionBoundary:
      p.permissionBoundary === undefined
        ? undefined
        : one(p.permissionBoundary, 'permissionBoundary', 'permissionBoundary'),
    session: p.session === undefined ? undefined : [one(p.session, 'session', 'session')],
    scps: p.scps?.map((level, i) => level.map((d, j) => one(d, 'scp', `scps[${i}][${j}]`))),
    rcps: p.rcps?.map((level, i) => level.map((d, j) => one(d, 'rcp', `rcps[${i}][${j}]`))),
  });
}

test('the engine agrees with the reference evaluator on decision and blockedBy', (t) => {
  let compared = 0;
  const decisions: Record<string, number> = {};
  fc.assert(
    fc.property(arbPolicies, fc.array(arbRequest, { minLength: 1, maxLength: 2 }), (policies, requests) => {
      const set = compileSet(policies);
      for (const request of requests) {
        const expected = referenceEvaluate({ request, policies } as EvaluationCase);
        for (const allMatches of [false, true]) {
          const actual = evaluate(request, set, { allMatches });
          assert.deepEqual(
            { decision: actual.decision, blockedBy: actual.blockedBy },
            expected,
            `allMatches=${allMatches} request=${JSON.stringify(request)}`,
          );
        }
        decisions[expected.decision] = (decisions[expected.decision] ?? 0) + 1;
        compared += 1;
      }
    }),
    { numRuns: 10_000 },
  );
  t.diagnostic(`compared ${compared} requests over 10,000 policy sets: ${JSON.stringify(decisions)}`);
  assert.ok(compared >= 10_000);
  // Every outcome must be well represented, or the generator is not testing much.
  for (const d of ['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied'])
    assert.ok((decisions[d] ?? 0) > 500, `${d}: ${decisions[d]}`);
});
