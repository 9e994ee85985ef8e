import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compilePolicy, statementsForAction } from './compile.js';

const ref = { policyType: 'identity', policyId: 'p' } as const;

test('statements are indexed by service and found in document order', () => {
  const r = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:Get*', Resource: '*' },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
        { Effect: 'Deny', Action: ['*:Get*'], Resource: '*' },
      ],
    },
    ref,
  );
  assert.ok(r.ok);
  assert.deepEqual(
    statementsForAction(r.policy, 'S3:GETOBJECT').map((s) => s.ref.index),
    [0, 1, 3],
  );
  assert.deepEqual(
    statementsForAction(r.policy, 'iam:GetUser').map((s) => s.ref.index),
    [3],
  );
});

test('an unknown condition operator is a compile error naming the policy', () => {
  const r = compilePolicy(
    { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringSortOf: { k: 'v' } } } },
    ref,
  );
  assert.ok(!r.ok);
  assert.match(r.errors[0]!, /^p: Statement\[0\]\.Condition: unknown condition operator `StringSortOf`/);
});

test('a resource policy may omit Resource (trust policies do)', () => {
  const doc = { Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } };
  assert.ok(compilePolicy(doc, { policyType: 'resource', policyId: 'trust' }).ok);
  assert.ok(!compilePolicy(doc, ref).ok);
});

const iamish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('Allow', 'Deny', '*', 's3:*', 'arn:aws:s3:::b/*', '2012-10-17', '${aws:username}', 'StringLike'),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'Version',
        'Statement',
        'Effect',
        'Action',
        'NotAction',
        'Resource',
        'Principal',
        'AWS',
        'Condition',
        'StringEquals',
        'aws:username',
        'x',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
}));

test('arbitrary IAM-shaped values compile to a result, never an exception', () => {
  fc.assert(
    fc.property(iamish.value, (value) => {
      const r = compilePolicy(value, ref);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 3000 },
  );
});

test('deeply nested JSON text is an error, not a crash', () => {
  const r = compilePolicy('['.repeat(200_000) + ']'.repeat(200_000), ref);
  assert.equal(r.ok, false);
});
