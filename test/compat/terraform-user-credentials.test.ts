/**
 * Terraform's AWS provider applies an `aws_iam_user` with `force_destroy = true`, an SSH key, a signing
 * certificate and a service-specific credential against an ephemeral Bursar; a second plan finds no drift.
 * Then credentials Terraform does not manage are added behind its back, and `terraform destroy` must still
 * delete the user: force_destroy lists and deletes each kind before DeleteUser, which refuses while any remain.
 * Skipped when `terraform`, the provider's offline mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins, AWS
 * provider 5.100.0), `ssh-keygen` or `openssl` is absent: the provider is never downloaded.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { systemClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ROOT_KEY, clientConfig, startServer } from './harness.js';
import { AWS_PROVIDER, offlineTerraformEnv } from './terraform.js';

const run = promisify(execFile);

async function toolsAvailable(): Promise<boolean> {
  try {
    await run('terraform', ['version']);
    await run('openssl', ['version']);
    await run('ssh-keygen', ['-?']).catch((error: { code?: unknown }) => {
      if (error.code === 'ENOENT') throw error;
    });
    return existsSync(AWS_PROVIDER);
  } catch {
    return false;
  }
}

const skip = (await toolsAvailable())
  ? false
  : 'terraform, the AWS provider 5.100.0 mirror, ssh-keygen or openssl is absent';

function configuration(endpoint: string, sshKey: string, certificate: string): string {
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
resource "aws_iam_user" "dev" {
  name          = "tf-dev"
  path          = "/tf/"
  force_destroy = true
}
resource "aws_iam_user_ssh_key" "dev" {
  username   = aws_iam_user.dev.name
  encoding   = "SSH"
  public_key = ${JSON.stringify(sshKey)}
}
resource "aws_iam_signing_certificate" "dev" {
  user_name        = aws_iam_user.dev.name
  certificate_body = ${JSON.stringify(certificate)}
}
resource "aws_iam_service_specific_credential" "dev" {
  user_name    = aws_iam_user.dev.name
  service_name = "codecommit.amazonaws.com"
}
`;
}

describe('Terraform: aws_iam_user with force_destroy and its credentials', { skip }, () => {
  let server: BursarServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const terraform = (...args: string[]) => run('terraform', args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
  const sshKey = async (name: string) => {
    await run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'tf@example', '-f', join(dir, name)]);
    return (await readFile(join(dir, `${name}.pub`), 'utf8')).trim();
  };
  const certificate = async (name: string) => {
    const base = join(dir, name);
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=${name}`];
    await run('openssl', [...args, '-keyout', `${base}.key`, '-out', `${base}.pem`]);
    return (await readFile(`${base}.pem`, 'utf8')).trim();
  };

  before(async () => {
    // Terraform signs by the machine's clock, so the server runs on it too.
    server = await startServer({ clock: systemClock });
    dir = await mkdtemp(join(tmpdir(), 'bursar-tf-creds-'));
    await writeFile(
      join(dir, 'main.tf'),
      configuration(server.url, await sshKey('managed'), await certificate('managed')),
    );
    env = await offlineTerraformEnv(dir);
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies with no drift, and destroys the user with credentials Terraform does not manage', async () => {
    await terraform('init', '-input=false', '-no-color');
    await terraform('apply', '-auto-approve', '-input=false', '-no-color');
    const iam = new I.IAMClient(clientConfig(server));
    const UserName = 'tf-dev';
    assert.equal((await iam.send(new I.ListSSHPublicKeysCommand({ UserName }))).SSHPublicKeys!.length, 1);
    assert.equal((await iam.send(new I.ListSigningCertificatesCommand({ UserName }))).Certificates!.length, 1);
    assert.equal(
      (await iam.send(new I.ListServiceSpecificCredentialsCommand({ UserName }))).ServiceSpecificCredentials!.length,
      1,
    );
    // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
    const plan = await terraform('plan', '-detailed-exitcode', '-input=false', '-no-color');
    assert.match(plan.stdout, /No changes/);

    // Credentials made behind Terraform's back: only force_destroy's clean-up can remove them.
    await iam.send(new I.UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody: await sshKey('extra') }));
    await iam.send(new I.UploadSigningCertificateCommand({ UserName, CertificateBody: await certificate('extra') }));
    await iam.send(new I.CreateServiceSpecificCredentialCommand({ UserName, ServiceName: 'cassandra.amazonaws.com' }));
    await iam.send(new I.CreateLoginProfileCommand({ UserName, Password: 'Tf-Passw0rd-for-destroy!' }));
    await iam.send(new I.CreateAccessKeyCommand({ UserName }));

    const destroy = await run('terraform', ['destroy', '-auto-approve', '-input=false', '-no-color'], {
      cwd: dir,
      env: { ...env, TF_LOG: 'DEBUG' },
      maxBuffer: 256 * 1024 * 1024,
    });
    for (const name of [
      'ListSSHPublicKeys',
      'DeleteSSHPublicKey',
      'ListSigningCertificates',
      'DeleteSigningCertificate',
      'ListServiceSpecificCredentials',
      'DeleteServiceSpecificCredential',
      'DeleteUser',
    ])
      assert.match(destroy.stderr, new RegExp(`rpc\\.method=${name}\\b`), `destroy called ${name}`);
    assert.equal((await iam.send(new I.ListUsersCommand({ PathPrefix: '/tf/' }))).Users!.length, 0);
  });
});
