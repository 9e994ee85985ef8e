/**
 * Terraform's AWS provider applies, re-plans without drift, changes in place and destroys an
 * `aws_budgets_budget_action` (a MANUAL APPLY_IAM_POLICY action with tags) with the budget, group, policy and
 * execution role it names, against an ephemeral Bursar. Skipped when `terraform` or the provider's offline
 * filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins, AWS provider 5.100.0) is absent: the provider
 * is never downloaded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BudgetsClient,
  DescribeBudgetActionsForAccountCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-budgets';
import { ACCOUNT_ID, clientConfig } from './harness.js';
import { TERRAFORM_ABSENT, terraformAvailable, terraformWorkspace, type TerraformWorkspace } from './terraform.js';

const skip = (await terraformAvailable()) ? false : TERRAFORM_ABSENT;

function resources(threshold: number): string {
  return `
resource "aws_iam_group" "developers" {
  name = "tf-developers"
}
resource "aws_iam_policy" "freeze" {
  name   = "tf-freeze"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "ec2:RunInstances", Resource = "*" }]
  })
}
resource "aws_iam_role" "budgets" {
  name = "tf-budgets-actions"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "budgets.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_budgets_budget" "monthly" {
  account_id   = "${ACCOUNT_ID}"
  name         = "tf-guarded"
  budget_type  = "COST"
  limit_amount = "1000.0"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
}
resource "aws_budgets_budget_action" "freeze" {
  budget_name        = aws_budgets_budget.monthly.name
  action_type        = "APPLY_IAM_POLICY"
  approval_model     = "MANUAL"
  notification_type  = "ACTUAL"
  execution_role_arn = aws_iam_role.budgets.arn
  action_threshold {
    action_threshold_type  = "PERCENTAGE"
    action_threshold_value = ${threshold}
  }
  definition {
    iam_action_definition {
      policy_arn = aws_iam_policy.freeze.arn
      groups     = [aws_iam_group.developers.name]
    }
  }
  subscriber {
    address           = "finance@example.com"
    subscription_type = "EMAIL"
  }
  tags = { team = "finance" }
}
`;
}

describe('Terraform: aws_budgets_budget_action', { skip }, () => {
  let tf: TerraformWorkspace;

  before(async () => {
    // The provider asks STS for its account: it builds the action's ARN for ListTagsForResource from that
    // account, not from the resource's.
    tf = await terraformWorkspace({ services: ['budgets'], requestAccountId: true });
    await tf.configure(resources(90));
  });
  after(() => tf?.close());

  it('applies, plans no drift, changes the threshold in place, and destroys', async () => {
    const budgets = new BudgetsClient(clientConfig(tf.server));
    const actions = async () =>
      (await budgets.send(new DescribeBudgetActionsForAccountCommand({ AccountId: ACCOUNT_ID }))).Actions!;
    try {
      await tf.run(['init']);
      await tf.run(['apply', '-auto-approve']);
      const [action] = await actions();
      assert.equal(action!.BudgetName, 'tf-guarded');
      assert.equal(action!.Status, 'STANDBY');
      assert.equal(action!.ActionThreshold!.ActionThresholdValue, 90);
      assert.deepEqual(action!.Definition!.IamActionDefinition!.Groups, ['tf-developers']);
      const ResourceARN = `arn:aws:budgets::${ACCOUNT_ID}:budget/tf-guarded/action/${action!.ActionId}`;
      assert.deepEqual((await budgets.send(new ListTagsForResourceCommand({ ResourceARN }))).ResourceTags, [
        { Key: 'team', Value: 'finance' },
      ]);
      // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
      assert.match((await tf.run(['plan', '-detailed-exitcode'])).stdout, /No changes/);

      await tf.configure(resources(95));
      await tf.run(['apply', '-auto-approve']);
      const [changed] = await actions();
      assert.equal(changed!.ActionId, action!.ActionId);
      assert.equal(changed!.ActionThreshold!.ActionThresholdValue, 95);
      assert.match((await tf.run(['plan', '-detailed-exitcode'])).stdout, /No changes/);

      await tf.run(['destroy', '-auto-approve']);
      assert.deepEqual(await actions(), []);
    } finally {
      budgets.destroy();
    }
  });
});
