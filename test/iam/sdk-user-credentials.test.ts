/**
 * A user's other credentials through @aws-sdk/client-iam: SSH public keys (uploaded in OpenSSH or PEM
 * encoding, read back in either, fingerprinted as `ssh-keygen -E md5` does), X.509 signing certificates and
 * service-specific credentials — each one's quota and refusals with AWS's codes and statuses, DeleteUser's
 * DeleteConflict while any remain, and the user ARN a caller is authorized against. Keys and certificates are
 * made by `ssh-keygen` and `openssl`, so what the server computes is checked against independent tools.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { FixedClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const run = promisify(execFile);

async function toolsAvailable(): Promise<boolean> {
  try {
    await run('ssh-keygen', ['-?']).catch((error: { code?: unknown }) => {
      if (error.code === 'ENOENT') throw error;
    });
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}
const skip = (await toolsAvailable()) ? false : 'ssh-keygen or openssl is absent';

let dir: string;
let made = 0;

/** An RSA key by ssh-keygen: its OpenSSH line, its PEM (SubjectPublicKeyInfo) form and its MD5 fingerprint. */
async function sshKey(bits = 2048) {
  const file = join(dir, `key${made++}`);
  await run('ssh-keygen', ['-q', '-t', 'rsa', '-b', String(bits), '-N', '', '-C', 'dev@example', '-f', file]);
  const ssh = (await readFile(`${file}.pub`, 'utf8')).trim();
  const pem = (await run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', `${file}.pub`])).stdout.trim();
  const fingerprint = (await run('ssh-keygen', ['-l', '-E', 'md5', '-f', `${file}.pub`])).stdout.split(' ')[1]!;
  return { ssh, pem, fingerprint: fingerprint.replace(/^MD5:/, '') };
}

/** A self-signed certificate by openssl, valid for ten years from now. */
async function certificate() {
  const base = join(dir, `cert${made++}`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${base}.key`,
    '-out',
    `${base}.pem`,
    '-days',
    '3650',
    '-subj',
    `/CN=signing${made}`,
  ]);
  return { body: (await readFile(`${base}.pem`, 'utf8')).trim(), key: await readFile(`${base}.key`, 'utf8') };
}

describe('IAM users: SSH public keys, signing certificates, service-specific credentials', { skip }, () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
    dir = await mkdtemp(join(tmpdir(), 'bursar-creds-'));
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads SSH keys in either encoding, reads each back in both, and keeps status, quota and duplicates', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Dev' }));
    const first = await sshKey();
    const { SSHPublicKey: uploaded } = await root.send(
      new I.UploadSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyBody: first.ssh }),
    );
    assert.equal(uploaded!.UserName, 'Dev');
    assert.match(uploaded!.SSHPublicKeyId!, /^APKA[A-Z2-7]{17}$/);
    assert.equal(uploaded!.Fingerprint, first.fingerprint);
    assert.equal(uploaded!.Status, 'Active');
    assert.ok(uploaded!.UploadDate instanceof Date);
    const id = uploaded!.SSHPublicKeyId!;

    const read = (Encoding: 'SSH' | 'PEM', SSHPublicKeyId = id) =>
      root.send(new I.GetSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId, Encoding }));
    assert.equal((await read('SSH')).SSHPublicKey!.SSHPublicKeyBody, first.ssh);
    assert.equal((await read('PEM')).SSHPublicKey!.SSHPublicKeyBody, first.pem);

    // A key uploaded as PEM has the same fingerprint, and reads back as ssh-keygen's line without its comment.
    const second = await sshKey();
    const { SSHPublicKey: fromPem } = await root.send(
      new I.UploadSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyBody: second.pem }),
    );
    assert.equal(fromPem!.Fingerprint, second.fingerprint);
    assert.equal(
      (await read('SSH', fromPem!.SSHPublicKeyId)).SSHPublicKey!.SSHPublicKeyBody,
      second.ssh.replace(/ dev@example$/, ''),
    );

    await rejectsWith(
      root.send(new I.UploadSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyBody: second.ssh })),
      'DuplicateSSHPublicKeyException',
      400,
      /already associated with the specified IAM user/,
    );

    await root.send(new I.UpdateSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyId: id, Status: 'Inactive' }));
    const listed = await root.send(new I.ListSSHPublicKeysCommand({ UserName: 'Dev' }));
    assert.deepEqual(
      listed.SSHPublicKeys!.map((k) => [k.SSHPublicKeyId, k.Status, k.UserName]),
      [
        [id, 'Inactive', 'Dev'],
        [fromPem!.SSHPublicKeyId, 'Active', 'Dev'],
      ],
    );
    assert.equal(listed.IsTruncated, false);
    const paged = await root.send(new I.ListSSHPublicKeysCommand({ UserName: 'Dev', MaxItems: 1 }));
    assert.equal(paged.IsTruncated, true);
    assert.deepEqual(
      (await root.send(new I.ListSSHPublicKeysCommand({ UserName: 'Dev', Marker: paged.Marker }))).SSHPublicKeys!.map(
        (k) => k.SSHPublicKeyId,
      ),
      [fromPem!.SSHPublicKeyId],
    );

    for (let n = 2; n < 5; n++)
      await root.send(new I.UploadSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyBody: (await sshKey()).ssh }));
    await rejectsWith(
      root.send(new I.UploadSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyBody: (await sshKey()).ssh })),
      'LimitExceededException',
      409,
      /^Cannot exceed quota for PublicKeysPerUser: 5$/,
    );

    await root.send(new I.DeleteSSHPublicKeyCommand({ UserName: 'Dev', SSHPublicKeyId: id }));
    await rejectsWith(
      read('SSH'),
      'NoSuchEntityException',
      404,
      new RegExp(`^The Public Key with id ${id} cannot be found\\.$`),
    );
  });

  it('refuses keys that are not RSA keys of 2,048 bits or more, and keys of a missing user', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Keyless' }));
    const upload = (SSHPublicKeyBody: string, UserName = 'Keyless') =>
      root.send(new I.UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody }));
    const short = await sshKey(1024);
    await rejectsWith(upload(short.ssh), 'InvalidPublicKeyException', 400);
    await rejectsWith(upload(short.pem), 'InvalidPublicKeyException', 400);
    await rejectsWith(upload('ssh-rsa AAAAnotakey'), 'InvalidPublicKeyException', 400);
    await rejectsWith(
      upload('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeR0v8jvKfLbY9i2g0d3zQ6l0u2m7Gq3bUe5E1c3bqK dev'),
      'UnrecognizedPublicKeyEncodingException',
      400,
    );
    await rejectsWith(upload('not a key at all'), 'UnrecognizedPublicKeyEncodingException', 400);
    // One key per upload: a second line is not a comment.
    const [one, two] = [await sshKey(), await sshKey()];
    await rejectsWith(upload(`${one.ssh}\n${two.ssh}`), 'InvalidPublicKeyException', 400);

    await rejectsWith(
      upload((await sshKey()).ssh, 'Nobody'),
      'NoSuchEntityException',
      404,
      /^The user with name Nobody cannot be found\.$/,
    );
    assert.deepEqual((await root.send(new I.ListSSHPublicKeysCommand({ UserName: 'Keyless' }))).SSHPublicKeys, []);
  });

  it('keeps two signing certificates per user, none twice in the account, and refuses what is not a certificate', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Signer' }));
    await root.send(new I.CreateUserCommand({ UserName: 'Other' }));
    const one = await certificate();
    const { Certificate } = await root.send(
      new I.UploadSigningCertificateCommand({ UserName: 'Signer', CertificateBody: one.body }),
    );
    assert.equal(Certificate!.UserName, 'Signer');
    assert.match(Certificate!.CertificateId!, /^[A-Z0-9]{24}$/);
    assert.equal(Certificate!.CertificateBody, one.body);
    assert.equal(Certificate!.Status, 'Active');
    assert.ok(Certificate!.UploadDate instanceof Date);

    await rejectsWith(
      root.send(new I.UploadSigningCertificateCommand({ UserName: 'Other', CertificateBody: one.body })),
      'DuplicateCertificateException',
      409,
    );
    await rejectsWith(
      root.send(new I.UploadSigningCertificateCommand({ UserName: 'Signer', CertificateBody: 'garbage' })),
      'MalformedCertificateException',
      400,
    );
    await rejectsWith(
      root.send(
        new I.UploadSigningCertificateCommand({
          UserName: 'Signer',
          CertificateBody: one.body.replace(/[A-Za-z0-9]{20}\n/, 'AAAAAAAAAAAAAAAAAAAA\n'),
        }),
      ),
      'MalformedCertificateException',
      400,
    );
    // A private key is not a certificate.
    await rejectsWith(
      root.send(new I.UploadSigningCertificateCommand({ UserName: 'Signer', CertificateBody: one.key })),
      'MalformedCertificateException',
      400,
    );

    await root.send(
      new I.UploadSigningCertificateCommand({ UserName: 'Signer', CertificateBody: (await certificate()).body }),
    );
    await rejectsWith(
      root.send(
        new I.UploadSigningCertificateCommand({ UserName: 'Signer', CertificateBody: (await certificate()).body }),
      ),
      'LimitExceededException',
      409,
      /^Cannot exceed quota for CertificatesPerUser: 2$/,
    );

    await root.send(
      new I.UpdateSigningCertificateCommand({
        UserName: 'Signer',
        CertificateId: Certificate!.CertificateId,
        Status: 'Inactive',
      }),
    );
    const listed = await root.send(new I.ListSigningCertificatesCommand({ UserName: 'Signer' }));
    assert.deepEqual(
      listed.Certificates!.map((c) => c.Status),
      ['Inactive', 'Active'],
    );
    const report = async () => {
      await root.send(new I.GenerateCredentialReportCommand({}));
      const csv = Buffer.from((await root.send(new I.GetCredentialReportCommand({}))).Content!).toString('utf8');
      const [header, ...rows] = csv.split('\n').map((line) => line.split(','));
      const row = rows.find((r) => r[0] === 'Signer')!;
      return Object.fromEntries(header!.map((column, i) => [column, row[i]]));
    };
    const cells = await report();
    assert.equal(cells.cert_1_active, 'false');
    assert.equal(cells.cert_2_active, 'true');
    assert.notEqual(cells.cert_1_last_rotated, 'N/A');

    await rejectsWith(
      root.send(
        new I.DeleteSigningCertificateCommand({ UserName: 'Other', CertificateId: Certificate!.CertificateId }),
      ),
      'NoSuchEntityException',
      404,
      new RegExp(`^The Certificate with id ${Certificate!.CertificateId} cannot be found\\.$`),
    );
    await root.send(
      new I.DeleteSigningCertificateCommand({ UserName: 'Signer', CertificateId: Certificate!.CertificateId }),
    );
    // Once deleted, the same certificate may be uploaded again, by anyone in the account.
    await root.send(new I.UploadSigningCertificateCommand({ UserName: 'Other', CertificateBody: one.body }));
  });

  it('refuses a signing certificate that has expired by the server clock', async () => {
    const body = (await certificate()).body;
    // Eleven years on, the ten-year certificate has expired.
    const later = await startServer({ clock: new FixedClock(new Date(Date.now() + 11 * 365 * 24 * 3600 * 1000)) });
    try {
      const iam = new I.IAMClient(clientConfig(later));
      await iam.send(new I.CreateUserCommand({ UserName: 'Late' }));
      await rejectsWith(
        iam.send(new I.UploadSigningCertificateCommand({ UserName: 'Late', CertificateBody: body })),
        'MalformedCertificateException',
        400,
        /expired/,
      );
    } finally {
      await later.close();
    }
  });

  it('issues service-specific credentials with a password shown once, two per service, for the services AWS names', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Git' }));
    const create = (ServiceName: string) =>
      root.send(new I.CreateServiceSpecificCredentialCommand({ UserName: 'Git', ServiceName }));
    const { ServiceSpecificCredential: made } = await create('codecommit.amazonaws.com');
    assert.equal(made!.ServiceUserName, `Git-at-${ACCOUNT_ID}`);
    assert.match(made!.ServicePassword!, /^[A-Za-z0-9+/]{43}=$/);
    assert.match(made!.ServiceSpecificCredentialId!, /^ACCA[A-Z2-7]{17}$/);
    assert.equal(made!.Status, 'Active');
    assert.equal(made!.ServiceName, 'codecommit.amazonaws.com');

    await create('codecommit.amazonaws.com');
    await rejectsWith(
      create('codecommit.amazonaws.com'),
      'LimitExceededException',
      409,
      /^Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2$/,
    );
    await create('cassandra.amazonaws.com');
    await rejectsWith(create('s3.amazonaws.com'), 'ServiceNotSupportedException', 404);

    const listed = await root.send(
      new I.ListServiceSpecificCredentialsCommand({ UserName: 'Git', ServiceName: 'codecommit.amazonaws.com' }),
    );
    assert.equal(listed.ServiceSpecificCredentials!.length, 2);
    assert.equal((listed.ServiceSpecificCredentials![0] as { ServicePassword?: string }).ServicePassword, undefined);
    assert.equal(
      (await root.send(new I.ListServiceSpecificCredentialsCommand({ UserName: 'Git' }))).ServiceSpecificCredentials!
        .length,
      3,
    );

    const { ServiceSpecificCredential: reset } = await root.send(
      new I.ResetServiceSpecificCredentialCommand({
        UserName: 'Git',
        ServiceSpecificCredentialId: made!.ServiceSpecificCredentialId,
      }),
    );
    assert.equal(reset!.ServiceSpecificCredentialId, made!.ServiceSpecificCredentialId);
    assert.notEqual(reset!.ServicePassword, made!.ServicePassword);

    await root.send(
      new I.UpdateServiceSpecificCredentialCommand({
        UserName: 'Git',
        ServiceSpecificCredentialId: made!.ServiceSpecificCredentialId,
        Status: 'Inactive',
      }),
    );
    assert.equal(
      (
        await root.send(
          new I.ListServiceSpecificCredentialsCommand({ UserName: 'Git', ServiceName: 'codecommit.amazonaws.com' }),
        )
      ).ServiceSpecificCredentials![0]!.Status,
      'Inactive',
    );
    await root.send(
      new I.DeleteServiceSpecificCredentialCommand({
        UserName: 'Git',
        ServiceSpecificCredentialId: made!.ServiceSpecificCredentialId,
      }),
    );
    await rejectsWith(
      root.send(
        new I.DeleteServiceSpecificCredentialCommand({
          UserName: 'Git',
          ServiceSpecificCredentialId: made!.ServiceSpecificCredentialId,
        }),
      ),
      'NoSuchEntityException',
      404,
    );
  });

  it('refuses DeleteUser with DeleteConflict while any of these remain, and deletes once they are gone', async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Leaving' }));
    const deleteUser = () => root.send(new I.DeleteUserCommand({ UserName: 'Leaving' }));
    const { SSHPublicKey } = await root.send(
      new I.UploadSSHPublicKeyCommand({ UserName: 'Leaving', SSHPublicKeyBody: (await sshKey()).ssh }),
    );
    await rejectsWith(
      deleteUser(),
      'DeleteConflictException',
      409,
      /^Cannot delete entity, must delete SSH public keys first\.$/,
    );
    await root.send(
      new I.DeleteSSHPublicKeyCommand({ UserName: 'Leaving', SSHPublicKeyId: SSHPublicKey!.SSHPublicKeyId }),
    );
    const { Certificate } = await root.send(
      new I.UploadSigningCertificateCommand({ UserName: 'Leaving', CertificateBody: (await certificate()).body }),
    );
    await rejectsWith(deleteUser(), 'DeleteConflictException', 409, /must delete signing certificates first/);
    await root.send(
      new I.DeleteSigningCertificateCommand({ UserName: 'Leaving', CertificateId: Certificate!.CertificateId }),
    );
    const { ServiceSpecificCredential } = await root.send(
      new I.CreateServiceSpecificCredentialCommand({ UserName: 'Leaving', ServiceName: 'cassandra.amazonaws.com' }),
    );
    await rejectsWith(deleteUser(), 'DeleteConflictException', 409, /must delete service specific credentials first/);
    await root.send(
      new I.DeleteServiceSpecificCredentialCommand({
        UserName: 'Leaving',
        ServiceSpecificCredentialId: ServiceSpecificCredential!.ServiceSpecificCredentialId,
      }),
    );
    await deleteUser();
    await rejectsWith(root.send(new I.ListSSHPublicKeysCommand({ UserName: 'Leaving' })), 'NoSuchEntityException', 404);
  });

  it("authorizes against the user's ARN with its path, and lets a user manage its own when it may", async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Self', Path: '/team/' }));
    await root.send(new I.CreateUserCommand({ UserName: 'Neighbour' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Self',
        PolicyName: 'own-credentials',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:*SSHPublicKey*', 'iam:*SigningCertificate*', 'iam:*ServiceSpecificCredential*'],
              Resource: `arn:aws:iam::${ACCOUNT_ID}:user/team/\${aws:username}`,
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Self' }));
    const self = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    const key = await sshKey();
    await self.send(new I.UploadSSHPublicKeyCommand({ UserName: 'Self', SSHPublicKeyBody: key.ssh }));
    // Without a UserName the caller's own keys and certificates are meant.
    assert.equal((await self.send(new I.ListSSHPublicKeysCommand({}))).SSHPublicKeys!.length, 1);
    await self.send(new I.UploadSigningCertificateCommand({ CertificateBody: (await certificate()).body }));
    assert.equal((await self.send(new I.ListSigningCertificatesCommand({}))).Certificates![0]!.UserName, 'Self');
    assert.equal(
      (await self.send(new I.ListServiceSpecificCredentialsCommand({}))).ServiceSpecificCredentials!.length,
      0,
    );

    for (const [name, call] of [
      [
        'UploadSSHPublicKey',
        () => self.send(new I.UploadSSHPublicKeyCommand({ UserName: 'Neighbour', SSHPublicKeyBody: key.ssh })),
      ],
      ['ListSigningCertificates', () => self.send(new I.ListSigningCertificatesCommand({ UserName: 'Neighbour' }))],
      [
        'CreateServiceSpecificCredential',
        () =>
          self.send(
            new I.CreateServiceSpecificCredentialCommand({
              UserName: 'Neighbour',
              ServiceName: 'codecommit.amazonaws.com',
            }),
          ),
      ],
    ] as const)
      await rejectsWith(
        call(),
        'AccessDenied',
        403,
        new RegExp(`iam:${name} on resource: arn:aws:iam::${ACCOUNT_ID}:user/Neighbour `),
      );
    assert.deepEqual((await root.send(new I.ListSSHPublicKeysCommand({ UserName: 'Neighbour' }))).SSHPublicKeys, []);
  });
});
