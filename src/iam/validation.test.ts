import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { openDatabase } from '../store/database.js';
import { createIamServices } from './index.js';
import { checkPolicyDocument } from './policy-documents.js';
import { checkTags } from './validation.js';

// Names, paths and the 50-tag limit are the model's: test/iam/sdk-validation.test.ts shows invoke() refusing them.
test('tags: keys unique, without regard to case on users and roles only; none begins with aws:', () => {
  assert.deepEqual(checkTags(undefined, 'user'), []);
  assert.deepEqual(checkTags([{ Key: 'team', Value: 'a' }], 'role'), [{ Key: 'team', Value: 'a' }]);
  const differingInCase = [
    { Key: 'team', Value: 'a' },
    { Key: 'TEAM', Value: 'b' },
  ];
  for (const type of ['user', 'role'] as const) {
    assert.throws(() => checkTags(differingInCase, type), {
      code: 'InvalidInput',
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    });
  }
  assert.deepEqual(checkTags(differingInCase, 'policy'), differingInCase);
  assert.throws(() => checkTags([...differingInCase, { Key: 'team', Value: 'c' }], 'policy'), {
    code: 'InvalidInput',
    message: 'Duplicate tag keys found.',
  });
  for (const Key of ['aws:createdBy', 'AWS:x', 'Aws:cloudformation:stack-name']) {
    assert.throws(() => checkTags([{ Key, Value: 'v' }], 'user'), { code: 'InvalidInput', message: /aws:/ });
  }
});

test('policy documents: syntax, required elements, size quotas', () => {
  const ok = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
  assert.equal(checkPolicyDocument(ok, 'managed'), ok);
  assert.throws(() => checkPolicyDocument('{"Version":', 'managed'), { code: 'MalformedPolicyDocument' });
  assert.throws(
    () =>
      checkPolicyDocument(
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
        'managed',
      ),
    {
      code: 'MalformedPolicyDocument',
    },
  );
  const trustWithoutPrincipal = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
  });
  assert.throws(() => checkPolicyDocument(trustWithoutPrincipal, 'trust'), { code: 'MalformedPolicyDocument' });
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: Array.from({ length: 200 }, (_, i) => `s3:Action${i}`), Resource: '*' }],
  });
  assert.throws(() => checkPolicyDocument(big, 'inline-user', 'policyDocument', 'Alice'), {
    code: 'LimitExceeded',
    message: 'Maximum policy size of 2048 bytes exceeded for user Alice',
  });
});

test('inline policies of one user share the 2,048-character quota', async () => {
  const opened = await openDatabase({ ephemeral: true });
  try {
    const iam = await createIamServices({
      db: opened.db,
      clock: new FixedClock('2026-11-27T12:00:00Z'),
      ids: seededIdSource('quota'),
      passwordHashCost: 1024,
    });
    const { accountId } = await iam.accounts.signUp({
      email: 'q@example.com',
      password: 'Passw0rd!',
      accountName: 'Q',
    });
    await iam.users.create(accountId, { UserName: 'Quota' });
    const half = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: Array.from({ length: 90 }, (_, i) => `s3:Get${i}`), Resource: '*' }],
    });
    await iam.entityPolicies.putInline(accountId, 'user', 'Quota', 'One', half);
    await assert.rejects(iam.entityPolicies.putInline(accountId, 'user', 'Quota', 'Two', half), {
      code: 'LimitExceeded',
      message: 'Maximum policy size of 2048 bytes exceeded for user Quota',
    });
    await iam.entityPolicies.putInline(accountId, 'user', 'Quota', 'One', half);
  } finally {
    await opened.close();
  }
});
