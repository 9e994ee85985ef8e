/**
 * Terraform's AWS provider applies, re-plans without drift, changes and destroys an
 * `aws_iam_openid_connect_provider` and a role trusting it (the GitHub Actions shape) against an ephemeral
 * Bursar. Skipped when `terraform` or the provider's offline filesystem mirror (TF_PLUGIN_MIRROR, default
 * /opt/tf-plugins, AWS provider 5.100.0) is absent: the provider is never downloaded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { ACCOUNT_ID, clientConfig } from './harness.js';
import { TERRAFORM_ABSENT, terraformAvailable, terraformWorkspace, type TerraformWorkspace } from './terraform.js';

const skip = (await terraformAvailable()) ? false : TERRAFORM_ABSENT;

function resources(clientIds: string[]): string {
  return `
resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ${JSON.stringify(clientIds)}
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
  tags            = { team = "ci" }
}
resource "aws_iam_role" "deploy" {
  name = "tf-github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:example/app:*" }
      }
    }]
  })
}
`;
}

describe('Terraform: aws_iam_openid_connect_provider with a role trusting it', { skip }, () => {
  let tf: TerraformWorkspace;

  before(async () => {
    tf = await terraformWorkspace();
    await tf.configure(resources(['sts.amazonaws.com']));
  });
  after(() => tf?.close());

  it('applies, plans no drift, changes the client ids in place, and destroys', async () => {
    await tf.run(['init']);
    await tf.run(['apply', '-auto-approve']);
    const iam = new I.IAMClient(clientConfig(tf.server));
    const arn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
    const provider = await iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.deepEqual(provider.ClientIDList, ['sts.amazonaws.com']);
    assert.deepEqual(provider.Tags, [{ Key: 'team', Value: 'ci' }]);
    const { Role } = await iam.send(new I.GetRoleCommand({ RoleName: 'tf-github-deploy' }));
    assert.equal(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Principal.Federated, arn);
    // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
    const plan = await tf.run(['plan', '-detailed-exitcode']);
    assert.match(plan.stdout, /No changes/);

    await tf.configure(resources(['sts.amazonaws.com', 'my-app']));
    await tf.run(['apply', '-auto-approve']);
    const changed = await iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.deepEqual([...changed.ClientIDList!].sort(), ['my-app', 'sts.amazonaws.com']);
    assert.match((await tf.run(['plan', '-detailed-exitcode'])).stdout, /No changes/);

    await tf.run(['destroy', '-auto-approve']);
    assert.deepEqual((await iam.send(new I.ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, []);
  });
});
