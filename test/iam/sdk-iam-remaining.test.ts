/**
 * The last of IAM's operations through @aws-sdk/client-iam: ResyncMFADevice (two consecutive codes from a
 * device whose clock drifted; AWS's refusals), with the user ARN a caller is authorized against;
 * SetSecurityTokenServicePreferences, as GetAccountSummary reports it; ListPoliciesGrantingServiceAccess over
 * a user's, its group's and a role's managed and inline policies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { HOTP, Secret } from 'otpauth';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const allow = (action: string, resource: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

describe('the remaining IAM operations through @aws-sdk/client-iam', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
  });
  after(async () => {
    await server.close();
  });

  async function userClient(userName: string): Promise<I.IAMClient> {
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: userName }));
    return new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
  }

  /** A user with an enabled virtual MFA device: its serial number and the device's secret. */
  async function userWithDevice(userName: string) {
    await root.send(new I.CreateUserCommand({ UserName: userName }));
    const { VirtualMFADevice } = await root.send(
      new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }),
    );
    const secret = Secret.fromBase32(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii'));
    const step = Math.floor(testNow().getTime() / 30000);
    await root.send(
      new I.EnableMFADeviceCommand({
        UserName: userName,
        SerialNumber: VirtualMFADevice!.SerialNumber,
        AuthenticationCode1: HOTP.generate({ secret, counter: step - 1 }),
        AuthenticationCode2: HOTP.generate({ secret, counter: step }),
      }),
    );
    return { serial: VirtualMFADevice!.SerialNumber!, secret, step };
  }

  it('resyncs an MFA device from two consecutive codes of a drifted clock, refusing wrong codes and unknown devices', async () => {
    const { serial, secret, step } = await userWithDevice('Drifter');
    const codes = (counter: number) => ({
      AuthenticationCode1: HOTP.generate({ secret, counter }),
      AuthenticationCode2: HOTP.generate({ secret, counter: counter + 1 }),
    });
    // Five minutes fast: beyond what EnableMFADevice accepts, within what resync is for.
    await root.send(new I.ResyncMFADeviceCommand({ UserName: 'Drifter', SerialNumber: serial, ...codes(step + 10) }));
    // Not consecutive: the second code is of the step after next.
    await rejectsWith(
      root.send(
        new I.ResyncMFADeviceCommand({
          UserName: 'Drifter',
          SerialNumber: serial,
          AuthenticationCode1: HOTP.generate({ secret, counter: step }),
          AuthenticationCode2: HOTP.generate({ secret, counter: step + 2 }),
        }),
      ),
      'InvalidAuthenticationCodeException',
      403,
    );
    // An hour off: too far for resync too.
    await rejectsWith(
      root.send(new I.ResyncMFADeviceCommand({ UserName: 'Drifter', SerialNumber: serial, ...codes(step + 120) })),
      'InvalidAuthenticationCodeException',
      403,
    );
    await rejectsWith(
      root.send(
        new I.ResyncMFADeviceCommand({
          UserName: 'Drifter',
          SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/Nobody`,
          ...codes(step),
        }),
      ),
      'NoSuchEntityException',
      404,
    );
    // A device that is not the named user's is unknown to that user.
    await root.send(new I.CreateUserCommand({ UserName: 'Bystander' }));
    await rejectsWith(
      root.send(new I.ResyncMFADeviceCommand({ UserName: 'Bystander', SerialNumber: serial, ...codes(step) })),
      'NoSuchEntityException',
      404,
    );
    await rejectsWith(
      root.send(
        new I.ResyncMFADeviceCommand({
          UserName: 'Drifter',
          SerialNumber: serial,
          AuthenticationCode1: 'abcdef',
          AuthenticationCode2: '123456',
        }),
      ),
      'ValidationError',
      400,
    );
  });

  it('authorizes ResyncMFADevice on the user ARN', async () => {
    const { serial, secret, step } = await userWithDevice('SelfSync');
    const client = await userClient('SelfSync');
    const request = () =>
      new I.ResyncMFADeviceCommand({
        UserName: 'SelfSync',
        SerialNumber: serial,
        AuthenticationCode1: HOTP.generate({ secret, counter: step + 4 }),
        AuthenticationCode2: HOTP.generate({ secret, counter: step + 5 }),
      });
    await rejectsWith(client.send(request()), 'AccessDenied', 403, /iam:ResyncMFADevice/);
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'SelfSync',
        PolicyName: 'other',
        PolicyDocument: allow('iam:ResyncMFADevice', `arn:aws:iam::${ACCOUNT_ID}:user/Someone`),
      }),
    );
    await rejectsWith(client.send(request()), 'AccessDenied', 403, /user\/SelfSync/);
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'SelfSync',
        PolicyName: 'self',
        PolicyDocument: allow('iam:ResyncMFADevice', `arn:aws:iam::${ACCOUNT_ID}:user/\${aws:username}`),
      }),
    );
    await client.send(request());
  });

  it('pages GetAccountAuthorizationDetails across its four lists, MaxItems counting every item', async () => {
    for (const name of ['PagedA', 'PagedB', 'PagedC']) await root.send(new I.CreateUserCommand({ UserName: name }));
    await root.send(new I.CreateGroupCommand({ GroupName: 'PagedGroup' }));
    const whole = await root.send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group'] }));
    assert.equal(whole.IsTruncated, false);
    const names = [...whole.UserDetailList!.map((u) => u.UserName), ...whole.GroupDetailList!.map((g) => g.GroupName)];
    assert.ok(names.length >= 4);
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await root.send(
        new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group'], MaxItems: 2, Marker }),
      );
      const items = [...page.UserDetailList!.map((u) => u.UserName), ...page.GroupDetailList!.map((g) => g.GroupName)];
      assert.ok(items.length <= 2);
      seen.push(...(items as string[]));
      Marker = page.IsTruncated ? page.Marker : undefined;
      assert.equal(page.IsTruncated, Marker !== undefined);
      pages += 1;
    } while (Marker !== undefined);
    assert.deepEqual(seen, names);
    assert.equal(pages, Math.ceil(names.length / 2));
    await assert.rejects(
      root.send(new I.GetAccountAuthorizationDetailsCommand({ Marker: 'bm90LWEtbWFya2Vy' })),
      (e: Error) => e.name === 'InvalidInputException',
    );
  });

  it('sets the global endpoint token version, as GetAccountSummary reports it', async () => {
    const version = async () =>
      (await root.send(new I.GetAccountSummaryCommand({}))).SummaryMap!.GlobalEndpointTokenVersion;
    assert.equal(await version(), 1);
    await root.send(new I.SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
    assert.equal(await version(), 2);
    await root.send(new I.SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v1Token' }));
    assert.equal(await version(), 1);
    await rejectsWith(
      root.send(
        new I.SetSecurityTokenServicePreferencesCommand({
          GlobalEndpointTokenVersion: 'v3Token' as I.GlobalEndpointTokenVersion,
        }),
      ),
      'ValidationError',
      400,
    );
    await root.send(new I.CreateUserCommand({ UserName: 'Preferrer' }));
    const client = await userClient('Preferrer');
    await rejectsWith(
      client.send(new I.SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' })),
      'AccessDenied',
      403,
      /iam:SetSecurityTokenServicePreferences/,
    );
    assert.equal(await version(), 1);
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Preferrer',
        PolicyName: 'sts-preferences',
        PolicyDocument: allow('iam:SetSecurityTokenServicePreferences', '*'),
      }),
    );
    await client.send(new I.SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
    assert.equal(await version(), 2);
  });

  it('lists the policies granting each service to a user (with its groups), a group and a role', async () => {
    const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
    const { Policy: s3Read } = await root.send(
      new I.CreatePolicyCommand({
        PolicyName: 'S3Read',
        Path: '/readers/',
        PolicyDocument: doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }),
      }),
    );
    const { Policy: denyS3 } = await root.send(
      new I.CreatePolicyCommand({
        PolicyName: 'DenyS3',
        PolicyDocument: doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }),
      }),
    );
    await root.send(new I.CreateUserCommand({ UserName: 'Granted' }));
    await root.send(new I.CreateGroupCommand({ GroupName: 'Everyone' }));
    await root.send(new I.AddUserToGroupCommand({ GroupName: 'Everyone', UserName: 'Granted' }));
    await root.send(new I.AttachUserPolicyCommand({ UserName: 'Granted', PolicyArn: s3Read!.Arn }));
    await root.send(new I.AttachUserPolicyCommand({ UserName: 'Granted', PolicyArn: denyS3!.Arn }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Granted',
        PolicyName: 'compute',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'EC2:Describe*', Resource: '*' }),
      }),
    );
    await root.send(
      new I.PutGroupPolicyCommand({
        GroupName: 'Everyone',
        PolicyName: 'all-but-iam',
        PolicyDocument: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
      }),
    );
    await root.send(
      new I.CreateRoleCommand({
        RoleName: 'Lister',
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      }),
    );
    await root.send(new I.AttachRolePolicyCommand({ RoleName: 'Lister', PolicyArn: s3Read!.Arn }));
    await root.send(
      new I.PutRolePolicyCommand({
        RoleName: 'Lister',
        PolicyName: 'anything',
        PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      }),
    );
    const list = async (arn: string, namespaces: string[]) =>
      (await root.send(new I.ListPoliciesGrantingServiceAccessCommand({ Arn: arn, ServiceNamespaces: namespaces })))
        .PoliciesGrantingServiceAccess;
    const managedS3Read = { PolicyName: 'S3Read', PolicyType: 'MANAGED', PolicyArn: s3Read!.Arn };
    const groupInline = {
      PolicyName: 'all-but-iam',
      PolicyType: 'INLINE',
      EntityType: 'GROUP',
      EntityName: 'Everyone',
    };
    assert.deepEqual(await list(`arn:aws:iam::${ACCOUNT_ID}:user/Granted`, ['s3', 'ec2', 'iam']), [
      { ServiceNamespace: 's3', Policies: [managedS3Read, groupInline] },
      {
        ServiceNamespace: 'ec2',
        Policies: [
          groupInline,
          { PolicyName: 'compute', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'Granted' },
        ],
      },
      { ServiceNamespace: 'iam', Policies: [] },
    ]);
    assert.deepEqual(await list(`arn:aws:iam::${ACCOUNT_ID}:group/Everyone`, ['iam', 'sqs']), [
      { ServiceNamespace: 'iam', Policies: [] },
      { ServiceNamespace: 'sqs', Policies: [groupInline] },
    ]);
    assert.deepEqual(await list(`arn:aws:iam::${ACCOUNT_ID}:role/Lister`, ['s3', 'iam']), [
      {
        ServiceNamespace: 's3',
        Policies: [
          managedS3Read,
          { PolicyName: 'anything', PolicyType: 'INLINE', EntityType: 'ROLE', EntityName: 'Lister' },
        ],
      },
      {
        ServiceNamespace: 'iam',
        Policies: [{ PolicyName: 'anything', PolicyType: 'INLINE', EntityType: 'ROLE', EntityName: 'Lister' }],
      },
    ]);
    await rejectsWith(list(`arn:aws:iam::${ACCOUNT_ID}:user/Nobody`, ['s3']), 'NoSuchEntityException', 404);
    await rejectsWith(list(`arn:aws:iam::${ACCOUNT_ID}:policy/S3Read`, ['s3']), 'InvalidInputException', 400);
    await rejectsWith(list(`arn:aws:iam::${ACCOUNT_ID}:user/Granted`, []), 'ValidationError', 400);
    // The model's limit (AWS's reference says 200 namespaces).
    await rejectsWith(
      list(
        `arn:aws:iam::${ACCOUNT_ID}:user/Granted`,
        Array.from({ length: 201 }, (_, n) => `svc${n}`),
      ),
      'ValidationError',
      400,
    );
    // Authorized against the entity's ARN.
    const client = await userClient('Granted');
    await rejectsWith(
      client.send(
        new I.ListPoliciesGrantingServiceAccessCommand({
          Arn: `arn:aws:iam::${ACCOUNT_ID}:role/Lister`,
          ServiceNamespaces: ['s3'],
        }),
      ),
      'AccessDenied',
      403,
      /iam:ListPoliciesGrantingServiceAccess on resource: arn:aws:iam::\d+:role\/Lister/,
    );
  });
});
