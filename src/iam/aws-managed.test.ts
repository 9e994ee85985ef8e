import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { AWS_MANAGED_POLICY_DESCRIPTIONS } from '../contracts/aws-managed-policies.js';
import { awsManagedPolicies, seedAwsManagedPolicies } from './aws-managed.js';
import { AWS_MANAGED } from './records.js';

describe('AWS managed policies', () => {
  let opened: OpenedDatabase;
  before(async () => {
    opened = await openDatabase({ ephemeral: true });
  });
  after(async () => opened?.close());

  const stored = async (arn: string) =>
    (
      await opened.db
        .selectFrom('iam_policies')
        .select('description')
        .where('account_id', '=', AWS_MANAGED)
        .where('arn', '=', arn)
        .executeTakeFirstOrThrow()
    ).description;

  test("each of the policies Bursar ships carries AWS's description", () => {
    assert.equal(awsManagedPolicies.length, 20);
    for (const policy of awsManagedPolicies) {
      assert.ok(AWS_MANAGED_POLICY_DESCRIPTIONS[policy.Arn], `${policy.PolicyName} has a description`);
      assert.equal(policy.Description, AWS_MANAGED_POLICY_DESCRIPTIONS[policy.Arn]);
    }
    assert.equal(
      AWS_MANAGED_POLICY_DESCRIPTIONS['arn:aws:iam::aws:policy/AWSBudgetsReadOnlyAccess'],
      'Provides read only access to AWS Budgets Console via the AWS Management Console.',
    );
  });

  test('a start brings a stored description that differs up to date, and changes nothing when none does', async () => {
    const arn = 'arn:aws:iam::aws:policy/AWSBudgetsReadOnlyAccess';
    await seedAwsManagedPolicies(opened.db);
    // As an older version stored it.
    await opened.db
      .updateTable('iam_policies')
      .set({ description: 'Read-only Budgets through the console.' })
      .where('arn', '=', arn)
      .execute();
    assert.equal(await seedAwsManagedPolicies(opened.db), 1, 'one policy brought up to date');
    assert.equal(await stored(arn), AWS_MANAGED_POLICY_DESCRIPTIONS[arn]);
    assert.equal(await seedAwsManagedPolicies(opened.db), 0, 'nothing left to change');
  });
});
