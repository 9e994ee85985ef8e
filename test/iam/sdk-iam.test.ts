/**
 * IAM through @aws-sdk/client-iam against a Bursar server: users with tags, pagination, quotas, error
 * envelopes and model validation, policy documents on the wire, authorization denials (AWS's wording, the
 * audit trail) and their invalidation, MFA, passwords, the credential report, audited state changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DetachGroupPolicyCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListUsersCommand,
  paginateListUsers,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { HOTP, Secret } from 'otpauth';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

function expectError(name: string, status: number, message?: string | RegExp) {
  return (error: AwsError) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  };
}

const doc = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('IAM through @aws-sdk/client-iam', () => {
  let server: BursarServer;
  let root: IAMClient;
  before(async () => {
    server = await startServer();
    root = new IAMClient(clientConfig(server));
  });
  after(async () => {
    await server.close();
  });

  async function userClient(userName: string): Promise<IAMClient> {
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: userName }));
    return new IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
  }

  it('creates and reads a user with tags; timestamps arrive as Dates', async () => {
    const { User } = await root.send(
      new CreateUserCommand({ UserName: 'Alice', Path: '/finance/', Tags: [{ Key: 'team', Value: 'billing' }] }),
    );
    assert.equal(User!.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/finance/Alice`);
    assert.match(User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
    const got = await root.send(new GetUserCommand({ UserName: 'Alice' }));
    assert.equal(got.User!.UserName, 'Alice');
    assert.ok(got.User!.CreateDate instanceof Date);
    assert.deepEqual(got.User!.Tags, [{ Key: 'team', Value: 'billing' }]);
  });

  it('pages ListUsers with Marker/MaxItems/IsTruncated', async () => {
    for (const name of ['Pam', 'Pat', 'Paz', 'Peg', 'Pip'])
      await root.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
    const first = await root.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
    assert.deepEqual(
      first.Users?.map((u) => u.UserName),
      ['Pam', 'Pat'],
    );
    assert.equal(first.IsTruncated, true);
    assert.ok(first.Marker);
    const all: string[] = [];
    for await (const page of paginateListUsers({ client: root, pageSize: 2 }, { PathPrefix: '/paging/' })) {
      all.push(...(page.Users ?? []).map((u) => u.UserName!));
    }
    assert.deepEqual(all, ['Pam', 'Pat', 'Paz', 'Peg', 'Pip']);

    // Following Marker by hand over every user gives the unpaged list, two at a time.
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await root.send(new ListUsersCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
      assert.ok(page.Users!.length <= 2);
      seen.push(...page.Users!.map((u) => u.UserName!));
      marker = page.IsTruncated ? page.Marker : undefined;
      if (page.IsTruncated) assert.ok(page.Marker);
      pages++;
    } while (marker !== undefined);
    const unpaged = (await root.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName!);
    assert.deepEqual(seen, unpaged);
    assert.equal(pages, Math.ceil(unpaged.length / 2));
  });

  it('answers AWS error codes, statuses and messages', async () => {
    await assert.rejects(
      root.send(new GetUserCommand({ UserName: 'Nobody' })),
      expectError('NoSuchEntityException', 404, 'The user with name Nobody cannot be found.'),
    );
    await assert.rejects(
      root.send(new CreateUserCommand({ UserName: 'bad name!' })),
      expectError(
        'ValidationError',
        400,
        /^1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint/,
      ),
    );
    const { Users } = await root.send(new ListUsersCommand({}));
    assert.ok(!Users!.some((u) => u.UserName === 'bad name!'), 'a refused CreateUser changes nothing');
    await assert.rejects(
      root.send(new CreateUserCommand({ UserName: 'pam' })),
      expectError('EntityAlreadyExistsException', 409, 'User with name pam already exists.'),
    );
    await assert.rejects(
      root.send(
        new CreatePolicyCommand({
          PolicyName: 'Broken',
          PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}',
        }),
      ),
      expectError('MalformedPolicyDocumentException', 400),
    );
    await root.send(new CreateAccessKeyCommand({ UserName: 'Pam' }));
    await root.send(new CreateAccessKeyCommand({ UserName: 'Pam' }));
    await assert.rejects(
      root.send(new CreateAccessKeyCommand({ UserName: 'Pam' })),
      expectError('LimitExceededException', 409, 'Cannot exceed quota for AccessKeysPerUser: 2'),
    );
  });

  it('returns policy documents URL-encoded, as AWS does, and keeps versions', async () => {
    const { Policy } = await root.send(
      new CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: doc('s3:GetObject') }),
    );
    await root.send(
      new CreatePolicyVersionCommand({
        PolicyArn: Policy!.Arn,
        PolicyDocument: doc('s3:PutObject'),
        SetAsDefault: true,
      }),
    );
    const { PolicyVersion } = await root.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v2' }));
    assert.equal(PolicyVersion?.IsDefaultVersion, true);
    assert.equal(decodeURIComponent(PolicyVersion!.Document!), doc('s3:PutObject'));
  });

  it('returns an inline policy document that decodes to what was put (spaces and & in a condition)', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:GetUser',
          Resource: '*',
          Condition: { StringLike: { 'aws:UserAgent': 'a b&c' } },
        },
      ],
    });
    await root.send(new PutUserPolicyCommand({ UserName: 'Alice', PolicyName: 'inline', PolicyDocument: document }));
    const got = await root.send(new GetUserPolicyCommand({ UserName: 'Alice', PolicyName: 'inline' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument!)), JSON.parse(document));
  });

  it('denies a user without permissions, allows once a group grants, and denies again right after detach', async () => {
    await root.send(new CreateUserCommand({ UserName: 'Reader' }));
    const reader = await userClient('Reader');
    await assert.rejects(
      reader.send(new GetUserCommand({ UserName: 'Pam' })),
      expectError(
        'AccessDenied',
        403,
        `User: arn:aws:iam::${ACCOUNT_ID}:user/Reader is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${ACCOUNT_ID}:user/paging/Pam because no identity-based policy allows the iam:GetUser action`,
      ),
    );
    await root.send(new CreateGroupCommand({ GroupName: 'Readers' }));
    await root.send(new AddUserToGroupCommand({ GroupName: 'Readers', UserName: 'Reader' }));
    await root.send(
      new AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }),
    );
    assert.equal((await reader.send(new GetUserCommand({ UserName: 'Pam' }))).User?.UserName, 'Pam');
    await root.send(
      new DetachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }),
    );
    await assert.rejects(reader.send(new GetUserCommand({ UserName: 'Pam' })), expectError('AccessDenied', 403));
  });

  it('denies a user without permissions with AWS wording, and audits the denial', async () => {
    await root.send(new CreateUserCommand({ UserName: 'NoPerms' }));
    const noPerms = await userClient('NoPerms');
    await assert.rejects(
      noPerms.send(new CreateUserCommand({ UserName: 'Mallory' })),
      expectError(
        'AccessDenied',
        403,
        `User: arn:aws:iam::${ACCOUNT_ID}:user/NoPerms is not authorized to perform: iam:CreateUser on resource: ` +
          `arn:aws:iam::${ACCOUNT_ID}:user/Mallory because no identity-based policy allows the iam:CreateUser action`,
      ),
    );
    const { events } = await server
      .world()
      .audit.lookup(ACCOUNT_ID, { attribute: { key: 'Username', value: 'NoPerms' } });
    const denial = events.find((e) => e.event.eventName === 'CreateUser');
    assert.ok(denial, 'the denial is in the audit trail');
    assert.equal(denial.event.errorCode, 'AccessDenied');
    assert.equal(denial.event.decision, 'ImplicitlyDenied');
    assert.equal(denial.event.userIdentity.type, 'IAMUser');
    assert.deepEqual(denial.event.requestParameters, { userName: 'Mallory' });
  });

  it('enables a virtual MFA device with two consecutive codes', async () => {
    await root.send(new CreateUserCommand({ UserName: 'Token' }));
    const { VirtualMFADevice } = await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'Token' }));
    const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii');
    assert.match(seed, /^[A-Z2-7]{32}$/);
    // QRCodePNG: a PNG (signature, then the IHDR chunk) of a square QR code, as AWS returns beside the seed.
    const png = Buffer.from(VirtualMFADevice!.QRCodePNG!);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.equal(width, height);
    assert.ok(width >= 21, `a QR code is at least 21 modules wide; got ${width} px`);
    const secret = Secret.fromBase32(seed);
    // The server checks codes by its own clock.
    const step = Math.floor(testNow().getTime() / 30000);
    await root.send(
      new EnableMFADeviceCommand({
        UserName: 'Token',
        SerialNumber: VirtualMFADevice!.SerialNumber,
        AuthenticationCode1: HOTP.generate({ secret, counter: step - 1 }),
        AuthenticationCode2: HOTP.generate({ secret, counter: step }),
      }),
    );
    const { MFADevices } = await root.send(new ListMFADevicesCommand({ UserName: 'Token' }));
    assert.deepEqual(
      MFADevices?.map((d) => d.SerialNumber),
      [`arn:aws:iam::${ACCOUNT_ID}:mfa/Token`],
    );
  });

  it('lets a user change their own password when a managed policy allows it', async () => {
    await root.send(new CreateUserCommand({ UserName: 'Changer' }));
    await root.send(
      new CreateLoginProfileCommand({ UserName: 'Changer', Password: 'First-Passw0rd!', PasswordResetRequired: true }),
    );
    const changer = await userClient('Changer');
    await assert.rejects(
      changer.send(new ChangePasswordCommand({ OldPassword: 'First-Passw0rd!', NewPassword: 'Second-Passw0rd!' })),
      expectError('AccessDenied', 403),
    );
    await root.send(new CreateGroupCommand({ GroupName: 'Changers' }));
    await root.send(new AddUserToGroupCommand({ GroupName: 'Changers', UserName: 'Changer' }));
    await root.send(
      new AttachGroupPolicyCommand({
        GroupName: 'Changers',
        PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword',
      }),
    );
    await changer.send(new ChangePasswordCommand({ OldPassword: 'First-Passw0rd!', NewPassword: 'Second-Passw0rd!' }));
    await assert.rejects(
      changer.send(new ChangePasswordCommand({ OldPassword: 'wrong', NewPassword: 'Third-Passw0rd!' })),
      expectError('InvalidInputException', 400),
    );
  });

  it('generates a credential report in AWS columns', async () => {
    await root.send(new GenerateCredentialReportCommand({}));
    const report = await root.send(new GetCredentialReportCommand({}));
    assert.equal(report.ReportFormat, 'text/csv');
    const lines = Buffer.from(report.Content!).toString('utf8').split('\n');
    assert.match(lines[0]!, /^user,arn,user_creation_time,password_enabled,/);
    assert.match(lines[1]!, new RegExp(`^<root_account>,arn:aws:iam::${ACCOUNT_ID}:root,`));
    assert.ok(
      lines.some((l) => l.startsWith(`Changer,arn:aws:iam::${ACCOUNT_ID}:user/Changer,`) && l.split(',')[3] === 'true'),
    );
  });

  it('records state changes with secrets left out', async () => {
    const { events } = await server
      .world()
      .audit.lookup(ACCOUNT_ID, { attribute: { key: 'EventName', value: 'CreateAccessKey' } });
    const succeeded = events.filter((e) => e.event.errorCode === undefined);
    assert.ok(succeeded.length > 0);
    assert.ok(
      events.some((e) => e.event.errorCode === 'LimitExceeded'),
      'failed state changes are recorded too',
    );
    for (const { event } of succeeded) {
      const secret = (event.responseElements as { accessKey?: { secretAccessKey?: string } } | null)?.accessKey
        ?.secretAccessKey;
      assert.equal(secret, 'HIDDEN_DUE_TO_SECURITY_REASONS');
      assert.equal(event.eventSource, 'iam.amazonaws.com');
      assert.equal(event.decision, 'Allowed');
    }
  });
});
