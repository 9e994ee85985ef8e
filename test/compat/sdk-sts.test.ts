import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { testNow } from '../test-clock.js';
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

  describe('AssumeRole', () => {
    const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/Auditor`;
    let assumer: { accessKeyId: string; secretAccessKey: string };
    let stranger: { accessKeyId: string; secretAccessKey: string };

    before(async () => {
      const iam = new IAMClient(clientConfig(server));
      const keyOf = async (userName: string) => {
        await iam.send(new CreateUserCommand({ UserName: userName }));
        const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
        return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      };
      assumer = await keyOf('Assumer');
      stranger = await keyOf('Stranger');
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'Auditor',
          MaxSessionDuration: 7200,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/Assumer` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'Auditor',
          PolicyName: 'read-users',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }],
          }),
        }),
      );
    });

    const sessionClient = (credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) =>
      clientConfig(server, {
        accessKeyId: credentials.AccessKeyId!,
        secretAccessKey: credentials.SecretAccessKey!,
        sessionToken: credentials.SessionToken!,
      });

    it('issues role credentials to a principal the trust policy names', async () => {
      const sts = new STSClient(clientConfig(server, assumer));
      const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit-1' }));
      assert.equal(result.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Auditor/audit-1`);
      assert.match(result.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:audit-1$/);
      assert.match(result.Credentials!.AccessKeyId!, /^ASIA/);
      const identity = await new STSClient(sessionClient(result.Credentials!)).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Auditor/audit-1`);
      const iam = new IAMClient(sessionClient(result.Credentials!));
      assert.ok((await iam.send(new ListUsersCommand({}))).Users!.length >= 2);
      await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'Nope' })), (error: Error) => {
        assert.equal(error.name, 'AccessDenied');
        assert.equal(
          error.message,
          `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/Auditor/audit-1 is not authorized to perform: iam:CreateUser ` +
            `on resource: arn:aws:iam::${ACCOUNT_ID}:user/Nope because no identity-based policy allows the iam:CreateUser action`,
        );
        return true;
      });
    });

    it('refuses a principal the trust policy does not name', async () => {
      const sts = new STSClient(clientConfig(server, stranger));
      await assert.rejects(
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'stranger-session' })),
        (error: Error) => {
          assert.equal(error.name, 'AccessDenied');
          assert.match(
            error.message,
            /^User: arn:aws:iam::111122223333:user\/Stranger is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/Auditor/,
          );
          return true;
        },
      );
    });

    it('refuses a role that does not exist, even to root, naming the role and nothing else', async () => {
      const missing = `arn:aws:iam::${ACCOUNT_ID}:role/Nobody`;
      await assert.rejects(
        new STSClient(clientConfig(server)).send(
          new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'session' }),
        ),
        (error: Error) => {
          assert.equal(error.name, 'AccessDenied');
          assert.equal(
            error.message,
            `User: arn:aws:iam::${ACCOUNT_ID}:root is not authorized to perform: sts:AssumeRole on resource: ${missing}`,
          );
          return true;
        },
      );
    });

    it('intersects a session policy with the role policy', async () => {
      const sts = new STSClient(clientConfig(server, assumer));
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'narrow',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
          }),
        }),
      );
      const iam = new IAMClient(sessionClient(Credentials!));
      assert.equal((await iam.send(new GetUserCommand({ UserName: 'Assumer' }))).User!.UserName, 'Assumer');
      await assert.rejects(iam.send(new ListUsersCommand({})), { name: 'AccessDenied' });
    });

    it('keeps DurationSeconds within the role maximum and the role-chaining hour', async () => {
      const sts = new STSClient(clientConfig(server, assumer));
      await assert.rejects(
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'long', DurationSeconds: 7201 })),
        {
          name: 'ValidationError',
          message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        },
      );
      const ok = await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'two-hours', DurationSeconds: 7200 }),
      );
      assert.ok(ok.Credentials!.Expiration!.getTime() - testNow().getTime() > 7100 * 1000);
    });
  });
});
