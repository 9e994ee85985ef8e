/**
 * Terraform's AWS provider applies and destroys a role with an instance profile against an ephemeral Bursar:
 * create calls CreateRole, CreateInstanceProfile and AddRoleToInstanceProfile; destroy removes the role from
 * the profile and, before DeleteRole, asks ListInstanceProfilesForRole. Skipped when `terraform` or the
 * provider's offline filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins, AWS provider 5.100.0) is
 * absent: the provider is never downloaded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { ACCOUNT_ID, clientConfig } from './harness.js';
import { TERRAFORM_ABSENT, terraformAvailable, terraformWorkspace, type TerraformWorkspace } from './terraform.js';

const skip = (await terraformAvailable()) ? false : TERRAFORM_ABSENT;

const RESOURCES = `
resource "aws_iam_role" "node" {
  name = "tf-node"
  path = "/tf/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_instance_profile" "node" {
  name = "tf-node-profile"
  path = "/tf/"
  role = aws_iam_role.node.name
  tags = { team = "platform" }
}
`;

describe('Terraform: aws_iam_role with aws_iam_instance_profile', { skip }, () => {
  let tf: TerraformWorkspace;

  before(async () => {
    tf = await terraformWorkspace();
    await tf.configure(RESOURCES);
  });
  after(() => tf?.close());

  it('applies, shows the profile holding the role, and destroys both', async () => {
    await tf.run(['init']);
    await tf.run(['apply', '-auto-approve']);
    const iam = new I.IAMClient(clientConfig(tf.server));
    const { InstanceProfile } = await iam.send(
      new I.GetInstanceProfileCommand({ InstanceProfileName: 'tf-node-profile' }),
    );
    assert.equal(InstanceProfile!.Path, '/tf/');
    assert.deepEqual(
      InstanceProfile!.Roles!.map((r) => r.Arn),
      [`arn:aws:iam::${ACCOUNT_ID}:role/tf/tf-node`],
    );
    assert.deepEqual(InstanceProfile!.Tags, [{ Key: 'team', Value: 'platform' }]);
    // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
    const plan = await tf.run(['plan', '-detailed-exitcode']);
    assert.match(plan.stdout, /No changes/);

    // Reads leave no audit event, so the provider's debug log shows which calls the destroy made.
    const destroy = await tf.run(['destroy', '-auto-approve'], { debug: true });
    for (const name of [
      'RemoveRoleFromInstanceProfile',
      'DeleteInstanceProfile',
      'ListInstanceProfilesForRole',
      'DeleteRole',
    ])
      assert.match(destroy.stderr, new RegExp(`rpc\\.method=${name}\\b`), `destroy called ${name}`);
    assert.deepEqual((await iam.send(new I.ListInstanceProfilesCommand({}))).InstanceProfiles, []);
    assert.equal((await iam.send(new I.ListRolesCommand({ PathPrefix: '/tf/' }))).Roles!.length, 0);
  });
});
