/**
 * STS GetAccessKeyInfo through @aws-sdk/client-sts: the account of a long-term key and of a temporary one,
 * a key this installation never issued refused, and the `sts:GetAccessKeyInfo` permission it needs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, ROOT_KEY, startServer } from './harness.js';

describe('STS GetAccessKeyInfo', () => {
  let server: BursarServer;
  let sts: S.STSClient;
  before(async () => {
    server = await startServer();
    sts = new S.STSClient(clientConfig(server));
  });
  after(async () => server?.close());

  it('names the account of a long-term and of a temporary key', async () => {
    assert.equal(
      (await sts.send(new S.GetAccessKeyInfoCommand({ AccessKeyId: ROOT_KEY.accessKeyId }))).Account,
      ACCOUNT_ID,
    );
    const { Credentials } = await sts.send(new S.GetSessionTokenCommand({}));
    assert.equal(
      (await sts.send(new S.GetAccessKeyInfoCommand({ AccessKeyId: Credentials!.AccessKeyId! }))).Account,
      ACCOUNT_ID,
    );
    await rejectsWith(
      sts.send(new S.GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAXXXXXXXXXXXXXXXX' })),
      'ValidationError',
      400,
      /^The access key ID AKIAXXXXXXXXXXXXXXXX is not valid\.$/,
    );
  });

  it('needs sts:GetAccessKeyInfo', async () => {
    const iam = new I.IAMClient(clientConfig(server));
    await iam.send(new I.CreateUserCommand({ UserName: 'nobody-special' }));
    const { AccessKey } = await iam.send(new I.CreateAccessKeyCommand({ UserName: 'nobody-special' }));
    const user = new S.STSClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await rejectsWith(
      user.send(new S.GetAccessKeyInfoCommand({ AccessKeyId: ROOT_KEY.accessKeyId })),
      'AccessDenied',
      403,
      /not authorized to perform: sts:GetAccessKeyInfo on resource: \*/,
    );
    await iam.send(
      new I.PutUserPolicyCommand({
        UserName: 'nobody-special',
        PolicyName: 'key-info',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:GetAccessKeyInfo', Resource: '*' }],
        }),
      }),
    );
    assert.equal(
      (await user.send(new S.GetAccessKeyInfoCommand({ AccessKeyId: ROOT_KEY.accessKeyId }))).Account,
      ACCOUNT_ID,
    );
  });
});
