/**
 * What a caller's kind of credentials rules out whatever its policies allow (src/operations/sts/credential-rules.ts),
 * and the trust-policy facts AssumeRole must carry, through @aws-sdk/client-sts and client-iam: GetSessionToken
 * credentials without MFA and GetFederationToken credentials cannot call IAM (they would mint long-term keys);
 * `sts:ExternalId` reaches the trust policy; a session belongs to the role it
 * was issued for, not to a later role of the same name, and its calls are the role's RoleLastUsed; root's
 * GetSessionToken caps its duration at an hour.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import { HOTP, Secret } from 'otpauth';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const trust = (condition?: Record<string, unknown>) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/Admin` },
        Action: 'sts:AssumeRole',
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  });

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const keysOf = (c: S.Credentials | undefined): Keys => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});

describe('STS credential rules', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  let rootSts: S.STSClient;
  let admin: Keys;
  let adminSts: S.STSClient;
  const iamAs = (keys: Keys) => new I.IAMClient(clientConfig(server, keys));

  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
    rootSts = new S.STSClient(clientConfig(server));
    await root.send(new I.CreateUserCommand({ UserName: 'Admin' }));
    await root.send(new I.AttachUserPolicyCommand({ UserName: 'Admin', PolicyArn: ADMIN }));
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Admin' }));
    admin = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    adminSts = new S.STSClient(clientConfig(server, admin));
  });
  after(async () => server?.close());

  it('refuses IAM calls with GetSessionToken credentials obtained without MFA, and allows them with MFA', async () => {
    const plain = keysOf((await adminSts.send(new S.GetSessionTokenCommand({}))).Credentials);
    await rejectsWith(
      iamAs(plain).send(new I.CreateAccessKeyCommand({ UserName: 'Admin' })),
      'InvalidClientTokenId',
      403,
      /^The security token included in the request is invalid\.$/,
    );
    await rejectsWith(iamAs(plain).send(new I.ListUsersCommand({})), 'InvalidClientTokenId', 403);
    // Outside IAM the same credentials work.
    const who = await new S.STSClient(clientConfig(server, plain)).send(new S.GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/Admin`);
    const { AccessKeyMetadata } = await root.send(new I.ListAccessKeysCommand({ UserName: 'Admin' }));
    assert.equal(AccessKeyMetadata?.length, 1, 'no key was minted');

    const { VirtualMFADevice } = await root.send(
      new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'Admin' }),
    );
    const secret = Secret.fromBase32(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii'));
    const step = Math.floor(testNow().getTime() / 30000);
    await root.send(
      new I.EnableMFADeviceCommand({
        UserName: 'Admin',
        SerialNumber: VirtualMFADevice!.SerialNumber,
        AuthenticationCode1: HOTP.generate({ secret, counter: step - 2 }),
        AuthenticationCode2: HOTP.generate({ secret, counter: step - 1 }),
      }),
    );
    const withMfa = keysOf(
      (
        await adminSts.send(
          new S.GetSessionTokenCommand({
            SerialNumber: VirtualMFADevice!.SerialNumber,
            TokenCode: HOTP.generate({ secret, counter: step }),
          }),
        )
      ).Credentials,
    );
    const { Users } = await iamAs(withMfa).send(new I.ListUsersCommand({}));
    assert.ok(Users?.some((u) => u.UserName === 'Admin'));
  });

  it('refuses IAM calls with GetFederationToken credentials, whatever their session policy allows', async () => {
    const federated = keysOf(
      (
        await adminSts.send(
          new S.GetFederationTokenCommand({
            Name: 'carol',
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
            }),
          }),
        )
      ).Credentials,
    );
    await rejectsWith(
      iamAs(federated).send(new I.CreateAccessKeyCommand({ UserName: 'Admin' })),
      'InvalidClientTokenId',
      403,
    );
  });

  it('puts the ExternalId in the trust policy’s context (sts:ExternalId)', async () => {
    await root.send(
      new I.CreateRoleCommand({
        RoleName: 'ThirdParty',
        AssumeRolePolicyDocument: trust({ StringEquals: { 'sts:ExternalId': 'partner-42' } }),
      }),
    );
    const RoleArn = `arn:aws:iam::${ACCOUNT_ID}:role/ThirdParty`;
    const { AssumedRoleUser } = await adminSts.send(
      new S.AssumeRoleCommand({ RoleArn, RoleSessionName: 'ok', ExternalId: 'partner-42' }),
    );
    assert.equal(AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/ThirdParty/ok`);
    await rejectsWith(
      adminSts.send(new S.AssumeRoleCommand({ RoleArn, RoleSessionName: 'bad', ExternalId: 'partner-43' })),
      'AccessDenied',
      403,
    );
    await rejectsWith(
      adminSts.send(new S.AssumeRoleCommand({ RoleArn, RoleSessionName: 'none' })),
      'AccessDenied',
      403,
    );
  });

  it('gives a session of a deleted role nothing, even once a role of the same name has more rights', async () => {
    await root.send(new I.CreateRoleCommand({ RoleName: 'Recreated', AssumeRolePolicyDocument: trust() }));
    await root.send(
      new I.AttachRolePolicyCommand({ RoleName: 'Recreated', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }),
    );
    const RoleArn = `arn:aws:iam::${ACCOUNT_ID}:role/Recreated`;
    const old = keysOf((await adminSts.send(new S.AssumeRoleCommand({ RoleArn, RoleSessionName: 'old' }))).Credentials);
    await iamAs(old).send(new I.ListUsersCommand({}));
    await rejectsWith(iamAs(old).send(new I.CreateUserCommand({ UserName: 'ByOld' })), 'AccessDenied', 403);

    await root.send(
      new I.DetachRolePolicyCommand({ RoleName: 'Recreated', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }),
    );
    await root.send(new I.DeleteRoleCommand({ RoleName: 'Recreated' }));
    await root.send(new I.CreateRoleCommand({ RoleName: 'Recreated', AssumeRolePolicyDocument: trust() }));
    await root.send(new I.AttachRolePolicyCommand({ RoleName: 'Recreated', PolicyArn: ADMIN }));

    await rejectsWith(iamAs(old).send(new I.CreateUserCommand({ UserName: 'ByOld' })), 'AccessDenied', 403);
    await rejectsWith(iamAs(old).send(new I.ListUsersCommand({})), 'AccessDenied', 403);
    // A session of the new role has its rights.
    const fresh = keysOf(
      (await adminSts.send(new S.AssumeRoleCommand({ RoleArn, RoleSessionName: 'new' }))).Credentials,
    );
    await iamAs(fresh).send(new I.CreateUserCommand({ UserName: 'ByNew' }));
  });

  it("records a session's signed calls as its role's RoleLastUsed", async () => {
    await root.send(new I.CreateRoleCommand({ RoleName: 'Used', AssumeRolePolicyDocument: trust() }));
    assert.deepEqual((await root.send(new I.GetRoleCommand({ RoleName: 'Used' }))).Role!.RoleLastUsed ?? {}, {});
    const RoleArn = `arn:aws:iam::${ACCOUNT_ID}:role/Used`;
    const session = keysOf(
      (await adminSts.send(new S.AssumeRoleCommand({ RoleArn, RoleSessionName: 'use' }))).Credentials,
    );
    await new S.STSClient(clientConfig(server, session)).send(new S.GetCallerIdentityCommand({}));
    const { RoleLastUsed } = (await root.send(new I.GetRoleCommand({ RoleName: 'Used' }))).Role!;
    assert.equal(RoleLastUsed?.Region, 'us-east-1');
    assert.ok(Math.abs(RoleLastUsed!.LastUsedDate!.getTime() - testNow().getTime()) < 120_000);
  });

  it("caps the root user's GetSessionToken at one hour instead of refusing a longer one", async () => {
    const { Credentials } = await rootSts.send(new S.GetSessionTokenCommand({ DurationSeconds: 7200 }));
    const lasts = Credentials!.Expiration!.getTime() - testNow().getTime();
    assert.ok(lasts <= 3600_000 + 60_000 && lasts > 3000_000, `expires in ${lasts} ms`);
  });
});
