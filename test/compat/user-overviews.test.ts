/**
 * The console's users list in one signed call, `BursarService.ListUserOverviews`: each user's groups, console
 * password, MFA, access keys and last activity, checked against what the public IAM API and the credential
 * report say of the same users; and refused, naming the action, to a caller who may only list users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { HOTP, Secret } from 'otpauth';
import { signedJsonRequest } from '../../src/billing/costs/import/remote-import.js';
import type { UserOverview } from '../../src/contracts/wire/bursar.js';
import { systemClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, ROOT_KEY, startServer } from './harness.js';

type Keys = { accessKeyId: string; secretAccessKey: string };

describe('ListUserOverviews: the users list in one call', () => {
  let server: BursarServer;
  let iam: IAMClient;

  async function call(as: Keys = ROOT_KEY) {
    const response = await signedJsonRequest(
      server.url,
      'ListUserOverviews',
      {},
      {
        AWS_ACCESS_KEY_ID: as.accessKeyId,
        AWS_SECRET_ACCESS_KEY: as.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    );
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  /** A user allowed exactly these IAM actions, and its access key. */
  async function userAllowed(name: string, actions: string[]): Promise<Keys> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: name,
        PolicyName: 'Listing',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  }

  before(async () => {
    // signedJsonRequest signs by the machine's clock; MFA codes are made by it too.
    server = await startServer({ clock: systemClock });
    iam = new IAMClient(clientConfig(server));
    for (const group of ['Readers', 'Auditors']) await iam.send(new CreateGroupCommand({ GroupName: group }));
    await iam.send(new CreateUserCommand({ UserName: 'Alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Readers', UserName: 'Alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Auditors', UserName: 'Alice' }));
    await iam.send(
      new CreateLoginProfileCommand({ UserName: 'Alice', Password: 'Alice-Passw0rd!', PasswordResetRequired: false }),
    );
    await iam.send(new CreateAccessKeyCommand({ UserName: 'Alice' }));
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'Alice' }));
    const secret = Secret.fromBase32(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii'));
    const step = Math.floor(Date.now() / 30000);
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: 'Alice',
        SerialNumber: VirtualMFADevice!.SerialNumber,
        AuthenticationCode1: HOTP.generate({ secret, counter: step - 1 }),
        AuthenticationCode2: HOTP.generate({ secret, counter: step }),
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'Bob' }));
  });

  after(async () => {
    await server?.close();
  });

  it("answers every user with its groups, password, MFA and keys, as IAM's own calls tell them", async () => {
    const { status, body } = await call();
    assert.equal(status, 200, JSON.stringify(body));
    const users = new Map((body.Users as UserOverview[]).map((u) => [u.UserName, u]));
    assert.deepEqual([...users.keys()], ['Alice', 'Bob']);
    const alice = users.get('Alice')!;
    assert.equal(alice.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/Alice`);
    assert.deepEqual(alice.Groups, ['Auditors', 'Readers'], 'its groups, by name');
    assert.equal(alice.PasswordEnabled, true);
    assert.ok(alice.PasswordLastChanged !== undefined && !Number.isNaN(Date.parse(alice.PasswordLastChanged)));
    assert.equal(alice.PasswordLastUsed, undefined, 'never signed in');
    assert.equal(alice.MfaActive, true);
    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'Alice' }));
    assert.deepEqual(
      alice.AccessKeys.map((k) => [k.AccessKeyId, k.Status, Math.floor(Date.parse(k.CreateDate) / 1000)]),
      AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status, k.CreateDate!.getTime() / 1000]),
      'its access keys, as ListAccessKeys lists them',
    );
    assert.equal(alice.LastActivity, undefined, 'no sign-in and no key used yet');
    const bob = users.get('Bob')!;
    assert.deepEqual(
      [bob.Groups, bob.PasswordEnabled, bob.MfaActive, bob.AccessKeys, bob.LastActivity],
      [[], false, false, [], undefined],
    );
    // The credential report says the same of passwords and MFA.
    await iam.send(new GenerateCredentialReportCommand({}));
    const report = await iam.send(new GetCredentialReportCommand({}));
    const rows = Buffer.from(report.Content!).toString('utf8').split('\n').slice(1);
    for (const row of rows.map((r) => r.split(','))) {
      const user = users.get(row[0]!);
      if (user === undefined) continue;
      assert.equal(String(user.PasswordEnabled), row[3], `${row[0]} password_enabled`);
      assert.equal(String(user.MfaActive), row[7], `${row[0]} mfa_active`);
    }
  });

  it("shows a key's use as the last activity once the key signs a call", async () => {
    const keys = await userAllowed('Carol', ['iam:ListUsers', 'iam:GetCredentialReport']);
    const { status, body } = await call(keys);
    assert.equal(status, 200, JSON.stringify(body));
    const { body: again } = await call();
    const carol = (again.Users as UserOverview[]).find((u) => u.UserName === 'Carol')!;
    assert.ok(carol.LastActivity !== undefined, 'the key was used');
    assert.equal(carol.LastActivity, carol.AccessKeys[0]!.LastUsedDate);
  });

  it('refuses a caller who may list users but not read the credential report, naming the action', async () => {
    const keys = await userAllowed('Dave', ['iam:ListUsers']);
    const { status, body } = await call(keys);
    assert.equal(status, 403, JSON.stringify(body));
    assert.match(String(body.__type), /AccessDenied/);
    assert.match(String(body.message ?? body.Message), /iam:GetCredentialReport/);
    const none = await userAllowed('Erin', ['iam:GetCredentialReport']);
    const refused = await call(none);
    assert.match(String(refused.body.message ?? refused.body.Message), /iam:ListUsers/);
  });
});
