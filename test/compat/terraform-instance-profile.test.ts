/**
 * Terraform's AWS provider applies and destroys a role with an instance profile against an ephemeral Bursar:
 * create calls CreateRole, CreateInstanceProfile and AddRoleToInstanceProfile; destroy removes the role from
 * the profile and, before DeleteRole, asks ListInstanceProfilesForRole. Skipped when `terraform` or the
 * provider's offline filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins, AWS provider 5.100.0) is
 * absent: the provider is never downloaded.
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

function configuration(endpoint: string): string {
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
}

describe('Terraform: aws_iam_role with aws_iam_instance_profile', { skip }, () => {
  let server: BursarServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const terraform = (...args: string[]) => run('terraform', args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });

  before(async () => {
    // Terraform signs by the machine's clock, so the server runs on it too.
    server = await startServer({ clock: systemClock });
    dir = await mkdtemp(join(tmpdir(), 'bursar-tf-'));
    await writeFile(join(dir, 'main.tf'), configuration(server.url));
    env = await offlineTerraformEnv(dir);
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies, shows the profile holding the role, and destroys both', async () => {
    await terraform('init', '-input=false', '-no-color');
    await terraform('apply', '-auto-approve', '-input=false', '-no-color');
    const iam = new I.IAMClient(clientConfig(server));
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
    const plan = await terraform('plan', '-detailed-exitcode', '-input=false', '-no-color');
    assert.match(plan.stdout, /No changes/);

    // Reads leave no audit event, so the provider's debug log shows which calls the destroy made.
    const destroy = await run('terraform', ['destroy', '-auto-approve', '-input=false', '-no-color'], {
      cwd: dir,
      env: { ...env, TF_LOG: 'DEBUG' },
      maxBuffer: 256 * 1024 * 1024,
    });
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
