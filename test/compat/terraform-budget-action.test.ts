/**
 * Terraform's AWS provider applies, re-plans without drift, changes in place and destroys an
 * `aws_budgets_budget_action` (a MANUAL APPLY_IAM_POLICY action with tags) with the budget, group, policy and
 * execution role it names, against an ephemeral Bursar. Skipped when `terraform` or the provider's offline
 * filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins, AWS provider 5.100.0) is absent: the provider
 * is never downloaded.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  BudgetsClient,
  DescribeBudgetActionsForAccountCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-budgets';
import { systemClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_KEY, clientConfig, startServer } from './harness.js';
import { offlineTerraformEnv, terraformAvailable } from './terraform.js';

const run = promisify(execFile);

const skip = (await terraformAvailable()) ? false : 'terraform or the AWS provider 5.100.0 mirror is absent';

/**
 * The provider asks STS for its account (no `skip_requesting_account_id`): it builds the action's ARN for
 * ListTagsForResource from that account, not from the resource's.
 */
function configuration(endpoint: string, threshold: number): string {
  return `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "${ROOT_KEY.accessKeyId}"
  secret_key                  = "${ROOT_KEY.secretAccessKey}"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    iam     = "${endpoint}"
    sts     = "${endpoint}"
    budgets = "${endpoint}"
  }
}
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
  let server: BursarServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const terraform = (...args: string[]) => run('terraform', args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });

  before(async () => {
    // Terraform signs by the machine's clock, so the server runs on it too.
    server = await startServer({ clock: systemClock });
    dir = await mkdtemp(join(tmpdir(), 'bursar-tf-'));
    await writeFile(join(dir, 'main.tf'), configuration(server.url, 90));
    env = await offlineTerraformEnv(dir);
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies, plans no drift, changes the threshold in place, and destroys', async () => {
    const budgets = new BudgetsClient(clientConfig(server));
    const actions = async () =>
      (await budgets.send(new DescribeBudgetActionsForAccountCommand({ AccountId: ACCOUNT_ID }))).Actions!;
    try {
      await terraform('init', '-input=false', '-no-color');
      await terraform('apply', '-auto-approve', '-input=false', '-no-color');
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
      assert.match((await terraform('plan', '-detailed-exitcode', '-input=false', '-no-color')).stdout, /No changes/);

      await writeFile(join(dir, 'main.tf'), configuration(server.url, 95));
      await terraform('apply', '-auto-approve', '-input=false', '-no-color');
      const [changed] = await actions();
      assert.equal(changed!.ActionId, action!.ActionId);
      assert.equal(changed!.ActionThreshold!.ActionThresholdValue, 95);
      assert.match((await terraform('plan', '-detailed-exitcode', '-input=false', '-no-color')).stdout, /No changes/);

      await terraform('destroy', '-auto-approve', '-input=false', '-no-color');
      assert.deepEqual(await actions(), []);
    } finally {
      budgets.destroy();
    }
  });
});
