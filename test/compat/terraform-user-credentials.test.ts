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
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { clientConfig } from './harness.js';
import { TERRAFORM_ABSENT, terraformAvailable, terraformWorkspace, type TerraformWorkspace } from './terraform.js';

const run = promisify(execFile);

async function keyToolsAvailable(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    await run('ssh-keygen', ['-?']).catch((error: { code?: unknown }) => {
      if (error.code === 'ENOENT') throw error;
    });
    return true;
  } catch {
    return false;
  }
}

const skip = !(await terraformAvailable())
  ? TERRAFORM_ABSENT
  : !(await keyToolsAvailable())
    ? 'ssh-keygen or openssl is absent'
    : false;

function resources(sshKey: string, certificate: string): string {
  return `
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
  let tf: TerraformWorkspace;
  const sshKey = async (name: string) => {
    await run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'tf@example', '-f', join(tf.dir, name)]);
    return (await readFile(join(tf.dir, `${name}.pub`), 'utf8')).trim();
  };
  const certificate = async (name: string) => {
    const base = join(tf.dir, name);
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=${name}`];
    await run('openssl', [...args, '-keyout', `${base}.key`, '-out', `${base}.pem`]);
    return (await readFile(`${base}.pem`, 'utf8')).trim();
  };

  before(async () => {
    tf = await terraformWorkspace();
    await tf.configure(resources(await sshKey('managed'), await certificate('managed')));
  });
  after(() => tf?.close());

  it('applies with no drift, and destroys the user with credentials Terraform does not manage', async () => {
    await tf.run(['init']);
    await tf.run(['apply', '-auto-approve']);
    const iam = new I.IAMClient(clientConfig(tf.server));
    const UserName = 'tf-dev';
    assert.equal((await iam.send(new I.ListSSHPublicKeysCommand({ UserName }))).SSHPublicKeys!.length, 1);
    assert.equal((await iam.send(new I.ListSigningCertificatesCommand({ UserName }))).Certificates!.length, 1);
    assert.equal(
      (await iam.send(new I.ListServiceSpecificCredentialsCommand({ UserName }))).ServiceSpecificCredentials!.length,
      1,
    );
    // A second plan against the applied state finds nothing to change: every read answered as Terraform expects.
    const plan = await tf.run(['plan', '-detailed-exitcode']);
    assert.match(plan.stdout, /No changes/);

    // Credentials made behind Terraform's back: only force_destroy's clean-up can remove them.
    await iam.send(new I.UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody: await sshKey('extra') }));
    await iam.send(new I.UploadSigningCertificateCommand({ UserName, CertificateBody: await certificate('extra') }));
    await iam.send(new I.CreateServiceSpecificCredentialCommand({ UserName, ServiceName: 'cassandra.amazonaws.com' }));
    await iam.send(new I.CreateLoginProfileCommand({ UserName, Password: 'Tf-Passw0rd-for-destroy!' }));
    await iam.send(new I.CreateAccessKeyCommand({ UserName }));

    const destroy = await tf.run(['destroy', '-auto-approve'], { debug: true });
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
