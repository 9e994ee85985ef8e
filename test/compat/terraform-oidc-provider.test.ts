/**
 * Terraform's AWS provider applies, re-plans without drift, changes and destroys an
 * `aws_iam_openid_connect_provider` and a role trusting it (the GitHub Actions shape) against an ephemeral
 * Bursar. Skipped when `terraform` or the provider's offline filesystem mirror (TF_PLUGIN_MIRROR, default
 * /opt/tf-plugins, AWS provider 5.100.0) is absent: the provider is never downloaded.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { systemClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_KEY, clientConfig, startServer } from './harness.js';
import { offlineTerraformEnv, terraformAvailable } from './terraform.js';

const run = promisify(execFile);

const skip = (await terraformAvailable()) ? false : 'terraform or the AWS provider 5.100.0 mirror is absent';

function configuration(endpoint: string, clientIds: string[]): string {
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
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    iam = "${endpoint}"
    sts = "${endpoint}"
  }
}
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
  let server: BursarServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const terraform = (...args: string[]) => run('terraform', args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });

  before(async () => {
    // Terraform signs by the machine's clock, so the server runs on it too.
    server = await startServer({ clock: systemClock });
    dir = await mkdtemp(join(tmpdir(), 'bursar-tf-'));
    await writeFile(join(dir, 'main.tf'), configuration(server.url, ['sts.amazonaws.com']));
    env = await offlineTerraformEnv(dir);
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies, plans no drift, changes the client ids in place, and destroys', async () => {
    await terraform('init', '-input=false', '-no-color');
    await terraform('apply', '-auto-approve', '-input=false', '-no-color');
    const iam = new I.IAMClient(clientConfig(server));
    const arn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
    const provider = await iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.deepEqual(provider.ClientIDList, ['sts.amazonaws.com']);
    assert.deepEqual(provider.Tags, [{ Key: 'team', Value: 'ci' }]);
    const { Role } = await iam.send(new I.GetRoleCommand({ RoleName: 'tf-github-deploy' }));
    assert.equal(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Principal.Federated, arn);
    // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
    const plan = await terraform('plan', '-detailed-exitcode', '-input=false', '-no-color');
    assert.match(plan.stdout, /No changes/);

    await writeFile(join(dir, 'main.tf'), configuration(server.url, ['sts.amazonaws.com', 'my-app']));
    await terraform('apply', '-auto-approve', '-input=false', '-no-color');
    const changed = await iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.deepEqual([...changed.ClientIDList!].sort(), ['my-app', 'sts.amazonaws.com']);
    assert.match((await terraform('plan', '-detailed-exitcode', '-input=false', '-no-color')).stdout, /No changes/);

    await terraform('destroy', '-auto-approve', '-input=false', '-no-color');
    assert.deepEqual((await iam.send(new I.ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, []);
  });
});
