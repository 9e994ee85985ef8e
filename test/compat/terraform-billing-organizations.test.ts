/**
 * Terraform's AWS provider applies, re-plans and destroys a billing and organization configuration against an
 * ephemeral Bursar: an aws_budgets_budget (tags, a notification), an aws_bcmdataexports_export, and an
 * aws_organizations_organization with trusted service access and policy types, an OU, an SCP and a tag policy
 * attached to it; then a change (tags replaced, the export re-described: TagResource, UntagResource,
 * UpdateExport). A refresh of each reads what AWS's API has and the provider expects (ListTagsForResource,
 * ListAWSServiceAccessForOrganization…), so a second plan shows no changes. Skipped when `terraform` or the
 * provider's offline filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins, AWS provider 5.100.0) is
 * absent: the provider is never downloaded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BudgetsClient, ListTagsForResourceCommand } from '@aws-sdk/client-budgets';
import {
  BCMDataExportsClient,
  GetExportCommand,
  ListExportsCommand,
  ListTagsForResourceCommand as ExportTagsCommand,
} from '@aws-sdk/client-bcm-data-exports';
import * as O from '@aws-sdk/client-organizations';
import { ACCOUNT_ID, clientConfig } from './harness.js';
import { TERRAFORM_ABSENT, terraformAvailable, terraformWorkspace, type TerraformWorkspace } from './terraform.js';

const skip = (await terraformAvailable()) ? false : TERRAFORM_ABSENT;

/** The configuration; `changed` retags the budget and the export and re-describes the export (TagResource, UntagResource, UpdateExport). */
function resources(changed = false): string {
  return `
resource "aws_budgets_budget" "monthly" {
  account_id   = "${ACCOUNT_ID}"
  name         = "tf-monthly"
  budget_type  = "COST"
  limit_amount = "1200.0"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["finance@example.com"]
  }
  tags = ${changed ? '{ owner = "cfo" }' : '{ team = "finance" }'}
}
resource "aws_bcmdataexports_export" "focus" {
  export {
    name = "tf-focus"
    description = "${changed ? 'FOCUS, monthly review' : 'FOCUS'}"
    data_query {
      query_statement = "SELECT BillingPeriodStart, BilledCost, ServiceName FROM FOCUS_1_0_AWS"
    }
    destination_configurations {
      s3_destination {
        s3_bucket = "tf-exports"
        s3_prefix = "focus"
        s3_region = "us-east-1"
        s3_output_configurations {
          overwrite   = "OVERWRITE_REPORT"
          format      = "TEXT_OR_CSV"
          compression = "GZIP"
          output_type = "CUSTOM"
        }
      }
    }
    refresh_cadence {
      frequency = "SYNCHRONOUS"
    }
  }
  tags = ${changed ? '{ team = "finance", env = "prod" }' : '{ team = "finance" }'}
}
resource "aws_organizations_organization" "org" {
  feature_set                   = "ALL"
  aws_service_access_principals = ["sso.amazonaws.com", "tagpolicies.tag.amazonaws.com"]
  enabled_policy_types          = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
}
resource "aws_organizations_organizational_unit" "workloads" {
  name      = "Workloads"
  parent_id = aws_organizations_organization.org.roots[0].id
  tags      = { team = "platform" }
}
resource "aws_organizations_policy" "deny_leave" {
  name        = "deny-leave"
  description = "Members may not leave"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "organizations:LeaveOrganization", Resource = "*" }]
  })
  depends_on = [aws_organizations_organization.org]
}
resource "aws_organizations_policy_attachment" "deny_leave" {
  policy_id = aws_organizations_policy.deny_leave.id
  target_id = aws_organizations_organizational_unit.workloads.id
}
resource "aws_organizations_policy" "team_tag" {
  name = "team-tag"
  type = "TAG_POLICY"
  content = jsonencode({
    tags = { team = { tag_key = { "@@assign" = "team" } } }
  })
  depends_on = [aws_organizations_organization.org]
}
resource "aws_organizations_policy_attachment" "team_tag" {
  policy_id = aws_organizations_policy.team_tag.id
  target_id = aws_organizations_organizational_unit.workloads.id
}
`;
}

describe('Terraform: aws_budgets_budget, aws_bcmdataexports_export, aws_organizations_* ', { skip }, () => {
  let tf: TerraformWorkspace;

  before(async () => {
    tf = await terraformWorkspace({ services: ['budgets', 'bcmdataexports', 'organizations'] });
    await tf.configure(resources());
  });
  after(() => tf?.close());

  it('applies, plans no changes, and destroys', async () => {
    await tf.run(['init']);
    await tf.run(['apply', '-auto-approve']);
    const budgets = new BudgetsClient(clientConfig(tf.server));
    const exports = new BCMDataExportsClient(clientConfig(tf.server));
    const organizations = new O.OrganizationsClient(clientConfig(tf.server));
    try {
      const tags = await budgets.send(
        new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${ACCOUNT_ID}:budget/tf-monthly` }),
      );
      assert.deepEqual(tags.ResourceTags, [{ Key: 'team', Value: 'finance' }]);
      assert.deepEqual(
        (await exports.send(new ListExportsCommand({}))).Exports!.map((e) => e.ExportName),
        ['tf-focus'],
      );
      const access = await organizations.send(new O.ListAWSServiceAccessForOrganizationCommand({}));
      assert.deepEqual(
        access.EnabledServicePrincipals!.map((p) => p.ServicePrincipal),
        ['sso.amazonaws.com', 'tagpolicies.tag.amazonaws.com'],
      );
      const [root] = (await organizations.send(new O.ListRootsCommand({}))).Roots!;
      const [ou] = (await organizations.send(new O.ListOrganizationalUnitsForParentCommand({ ParentId: root!.Id! })))
        .OrganizationalUnits!;
      const attached = await organizations.send(
        new O.ListPoliciesForTargetCommand({ TargetId: ou!.Id!, Filter: 'TAG_POLICY' }),
      );
      assert.deepEqual(
        attached.Policies!.map((p) => p.Name),
        ['team-tag'],
      );

      // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
      const plan = await tf.run(['plan', '-detailed-exitcode']);
      assert.match(plan.stdout, /No changes/);

      // A change: the budget's tags replaced, the export's description changed and a tag added, then no drift.
      await tf.configure(resources(true));
      await tf.run(['apply', '-auto-approve']);
      assert.deepEqual(
        (
          await budgets.send(
            new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${ACCOUNT_ID}:budget/tf-monthly` }),
          )
        ).ResourceTags,
        [{ Key: 'owner', Value: 'cfo' }],
      );
      const [exported] = (await exports.send(new ListExportsCommand({}))).Exports!;
      const { Export } = await exports.send(new GetExportCommand({ ExportArn: exported!.ExportArn! }));
      assert.equal(Export!.Description, 'FOCUS, monthly review');
      const exportTags = await exports.send(new ExportTagsCommand({ ResourceArn: exported!.ExportArn! }));
      // The provider sends a map's tags in no fixed order, and the export keeps the order it was given.
      assert.deepEqual(
        [...exportTags.ResourceTags!].sort((a, b) => a.Key!.localeCompare(b.Key!)),
        [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'finance' },
        ],
      );
      const again = await tf.run(['plan', '-detailed-exitcode']);
      assert.match(again.stdout, /No changes/);

      await tf.run(['destroy', '-auto-approve']);
      assert.deepEqual((await exports.send(new ListExportsCommand({}))).Exports, []);
      await assert.rejects(organizations.send(new O.DescribeOrganizationCommand({})), {
        name: 'AWSOrganizationsNotInUseException',
      });
    } finally {
      budgets.destroy();
      exports.destroy();
      organizations.destroy();
    }
  });
});
