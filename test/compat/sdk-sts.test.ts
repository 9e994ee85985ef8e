import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, ROOT_KEY, startServer } from './harness.js';

describe('STS through @aws-sdk/client-sts', () => {
  let server: BursarServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it('GetCallerIdentity answers for the root user', async () => {
    const sts = new STSClient(clientConfig(server));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, ACCOUNT_ID);
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`);
    assert.equal(identity.UserId, ACCOUNT_ID);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const sts = new STSClient(
      clientConfig(server, { ...ROOT_KEY, secretAccessKey: 'not-the-secret-xxxxxxxxxxxxxxxxxxxxxxxxxx' }),
    );
    await assert.rejects(
      sts.send(new GetCallerIdentityCommand({})),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'SignatureDoesNotMatch');
        assert.equal(error.$metadata?.httpStatusCode, 403);
        return true;
      },
    );
  });

  it('GetSessionToken issues temporary credentials that act as the same principal', async () => {
    const sts = new STSClient(clientConfig(server));
    const { Credentials } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    assert.match(Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(Credentials!.Expiration instanceof Date);
    const temporary = new STSClient(
      clientConfig(server, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      }),
    );
    const identity = await temporary.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`);
  });
});
