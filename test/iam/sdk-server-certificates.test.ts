/**
 * Server certificates through @aws-sdk/client-iam: upload with its private key (checked, never returned),
 * chain and tags; get, list by path with paging, rename and move, tags, delete; the refusals AWS answers
 * (malformed certificate, a key of another pair, duplicate names, the account's quota of 20), the count in
 * GetAccountSummary, and the server-certificate ARN (with its path) a caller is authorized against.
 * Certificates are made by `openssl`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const run = promisify(execFile);
const skip = (await run('openssl', ['version']).then(
  () => true,
  () => false,
))
  ? false
  : 'openssl is absent';

let dir: string;
let made = 0;

/** A self-signed certificate and its key, valid for ten years from now. */
async function certificate() {
  const base = join(dir, `cert${made++}`);
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=www${made}.example`];
  await run('openssl', [...args, '-keyout', `${base}.key`, '-out', `${base}.pem`]);
  const notAfter = (await run('openssl', ['x509', '-noout', '-enddate', '-in', `${base}.pem`])).stdout;
  return {
    body: (await readFile(`${base}.pem`, 'utf8')).trim(),
    key: await readFile(`${base}.key`, 'utf8'),
    expires: new Date(notAfter.trim().replace(/^notAfter=/, '')),
  };
}

describe('IAM server certificates', { skip }, () => {
  let server: BursarServer;
  let root: I.IAMClient;
  let web: Awaited<ReturnType<typeof certificate>>;
  let ca: Awaited<ReturnType<typeof certificate>>;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
    dir = await mkdtemp(join(tmpdir(), 'bursar-server-certs-'));
    web = await certificate();
    ca = await certificate();
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads with chain and tags, reads it back without the key, renames, moves, tags and deletes', async () => {
    const summaryBefore = (await root.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
    const { ServerCertificateMetadata: uploaded, Tags } = await root.send(
      new I.UploadServerCertificateCommand({
        ServerCertificateName: 'Web',
        Path: '/cloudfront/',
        CertificateBody: web.body,
        PrivateKey: web.key,
        CertificateChain: ca.body,
        Tags: [{ Key: 'site', Value: 'www' }],
      }),
    );
    assert.equal(uploaded!.Arn, `arn:aws:iam::${ACCOUNT_ID}:server-certificate/cloudfront/Web`);
    assert.match(uploaded!.ServerCertificateId!, /^ASCA[A-Z2-7]{17}$/);
    assert.equal(uploaded!.Expiration!.getTime(), web.expires.getTime());
    assert.ok(uploaded!.UploadDate instanceof Date);
    assert.deepEqual(Tags, [{ Key: 'site', Value: 'www' }]);
    const summary = (await root.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
    assert.equal(summary.ServerCertificates, summaryBefore.ServerCertificates! + 1);
    assert.equal(summary.ServerCertificatesQuota, 20);

    const { ServerCertificate } = await root.send(new I.GetServerCertificateCommand({ ServerCertificateName: 'web' }));
    assert.equal(ServerCertificate!.ServerCertificateMetadata!.ServerCertificateName, 'Web');
    assert.equal(ServerCertificate!.CertificateBody, web.body);
    assert.equal(ServerCertificate!.CertificateChain, ca.body);
    assert.deepEqual(ServerCertificate!.Tags, [{ Key: 'site', Value: 'www' }]);
    assert.equal(JSON.stringify(ServerCertificate).includes('PRIVATE KEY'), false);

    await root.send(
      new I.UpdateServerCertificateCommand({
        ServerCertificateName: 'Web',
        NewServerCertificateName: 'WebRenamed',
        NewPath: '/elb/',
      }),
    );
    await rejectsWith(
      root.send(new I.GetServerCertificateCommand({ ServerCertificateName: 'Web' })),
      'NoSuchEntityException',
      404,
      /^The Server Certificate with name Web cannot be found\.$/,
    );
    const listed = await root.send(new I.ListServerCertificatesCommand({ PathPrefix: '/elb/' }));
    assert.deepEqual(
      listed.ServerCertificateMetadataList!.map((m) => m.Arn),
      [`arn:aws:iam::${ACCOUNT_ID}:server-certificate/elb/WebRenamed`],
    );
    assert.deepEqual(
      (await root.send(new I.ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' })))
        .ServerCertificateMetadataList,
      [],
    );

    await root.send(
      new I.TagServerCertificateCommand({ ServerCertificateName: 'WebRenamed', Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    await root.send(new I.UntagServerCertificateCommand({ ServerCertificateName: 'WebRenamed', TagKeys: ['site'] }));
    assert.deepEqual(
      (await root.send(new I.ListServerCertificateTagsCommand({ ServerCertificateName: 'WebRenamed' }))).Tags,
      [{ Key: 'env', Value: 'prod' }],
    );

    await root.send(new I.DeleteServerCertificateCommand({ ServerCertificateName: 'WebRenamed' }));
    await rejectsWith(
      root.send(new I.DeleteServerCertificateCommand({ ServerCertificateName: 'WebRenamed' })),
      'NoSuchEntityException',
      404,
    );
    // Uploaded again under the name, it starts without the old one's tags.
    await root.send(
      new I.UploadServerCertificateCommand({
        ServerCertificateName: 'WebRenamed',
        CertificateBody: web.body,
        PrivateKey: web.key,
      }),
    );
    assert.deepEqual(
      (await root.send(new I.ListServerCertificateTagsCommand({ ServerCertificateName: 'WebRenamed' }))).Tags,
      [],
    );
    await root.send(new I.DeleteServerCertificateCommand({ ServerCertificateName: 'WebRenamed' }));
  });

  it('refuses a malformed certificate, a key of another pair, a duplicate name and the 21st certificate', async () => {
    const upload = (ServerCertificateName: string, CertificateBody = web.body, PrivateKey = web.key) =>
      root.send(new I.UploadServerCertificateCommand({ ServerCertificateName, CertificateBody, PrivateKey }));
    await rejectsWith(upload('Bad', 'not a certificate'), 'MalformedCertificateException', 400);
    await rejectsWith(upload('Bad', web.body, 'not a key'), 'MalformedCertificateException', 400);
    await rejectsWith(upload('Bad', web.body, ca.key), 'KeyPairMismatchException', 400);
    await rejectsWith(
      root.send(
        new I.UploadServerCertificateCommand({
          ServerCertificateName: 'Bad',
          CertificateBody: web.body,
          PrivateKey: web.key,
          CertificateChain: 'not a chain',
        }),
      ),
      'MalformedCertificateException',
      400,
    );
    // A chain keeps its certificates only: a private key pasted into it is not kept, nor ever returned.
    await root.send(
      new I.UploadServerCertificateCommand({
        ServerCertificateName: 'Chained',
        CertificateBody: web.body,
        PrivateKey: web.key,
        CertificateChain: `${ca.body}\n${ca.key}\n${web.body}`,
      }),
    );
    const { ServerCertificate } = await root.send(
      new I.GetServerCertificateCommand({ ServerCertificateName: 'Chained' }),
    );
    assert.equal(ServerCertificate!.CertificateChain, `${ca.body}\n${web.body}`);
    await root.send(new I.DeleteServerCertificateCommand({ ServerCertificateName: 'Chained' }));
    await upload('Cert00');
    await rejectsWith(
      upload('CERT00'),
      'EntityAlreadyExistsException',
      409,
      /^The Server Certificate with name CERT00 already exists\.$/,
    );
    await root.send(
      new I.UploadServerCertificateCommand({
        ServerCertificateName: 'Cert01',
        CertificateBody: ca.body,
        PrivateKey: ca.key,
      }),
    );
    await rejectsWith(
      root.send(
        new I.UpdateServerCertificateCommand({ ServerCertificateName: 'Cert01', NewServerCertificateName: 'cert00' }),
      ),
      'EntityAlreadyExistsException',
      409,
    );
    for (let n = 2; n < 20; n++) await upload(`Cert${String(n).padStart(2, '0')}`);
    await rejectsWith(
      upload('Cert20'),
      'LimitExceededException',
      409,
      /^Cannot exceed quota for ServerCertificatesPerAccount: 20$/,
    );

    const first = await root.send(new I.ListServerCertificatesCommand({ MaxItems: 15 }));
    assert.equal(first.IsTruncated, true);
    const rest = await root.send(new I.ListServerCertificatesCommand({ Marker: first.Marker }));
    assert.deepEqual(
      [...first.ServerCertificateMetadataList!, ...rest.ServerCertificateMetadataList!].map(
        (m) => m.ServerCertificateName,
      ),
      Array.from({ length: 20 }, (_, n) => `Cert${String(n).padStart(2, '0')}`),
    );
    for (let n = 0; n < 20; n++)
      await root.send(
        new I.DeleteServerCertificateCommand({ ServerCertificateName: `Cert${String(n).padStart(2, '0')}` }),
      );
  });

  it('authorizes against the certificate ARN with its path', async () => {
    await root.send(
      new I.UploadServerCertificateCommand({
        ServerCertificateName: 'Shop',
        Path: '/shop/',
        CertificateBody: web.body,
        PrivateKey: web.key,
      }),
    );
    await root.send(
      new I.UploadServerCertificateCommand({
        ServerCertificateName: 'Admin',
        CertificateBody: ca.body,
        PrivateKey: ca.key,
      }),
    );
    await root.send(new I.CreateUserCommand({ UserName: 'CertOps' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'CertOps',
        PolicyName: 'shop-certificates',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:GetServerCertificate', 'iam:UploadServerCertificate', 'iam:DeleteServerCertificate'],
              Resource: `arn:aws:iam::${ACCOUNT_ID}:server-certificate/shop/*`,
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'CertOps' }));
    const ops = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await ops.send(new I.GetServerCertificateCommand({ ServerCertificateName: 'Shop' }));
    await rejectsWith(
      ops.send(new I.GetServerCertificateCommand({ ServerCertificateName: 'Admin' })),
      'AccessDenied',
      403,
      new RegExp(`iam:GetServerCertificate on resource: arn:aws:iam::${ACCOUNT_ID}:server-certificate/Admin `),
    );
    await rejectsWith(
      ops.send(
        new I.UploadServerCertificateCommand({
          ServerCertificateName: 'Elsewhere',
          CertificateBody: ca.body,
          PrivateKey: ca.key,
        }),
      ),
      'AccessDenied',
      403,
      new RegExp(`iam:UploadServerCertificate on resource: arn:aws:iam::${ACCOUNT_ID}:server-certificate/Elsewhere `),
    );
    await rejectsWith(
      ops.send(new I.ListServerCertificatesCommand({})),
      'AccessDenied',
      403,
      new RegExp(`iam:ListServerCertificates on resource: arn:aws:iam::${ACCOUNT_ID}:server-certificate/ `),
    );
    await ops.send(new I.DeleteServerCertificateCommand({ ServerCertificateName: 'Shop' }));
  });
});
