/**
 * GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy through @aws-sdk/client-iam: the keys of
 * Condition blocks and of `${…}` policy variables, once each and spelled as AWS spells them; a principal's
 * own, group and managed policies (not its permissions boundary) with any given; the refusals; and the ARN a
 * caller is authorized against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] });

describe('IAM context keys', () => {
  let server: BursarServer;
  let root: I.IAMClient;
  before(async () => {
    server = await startServer();
    root = new I.IAMClient(clientConfig(server));
  });
  after(async () => server?.close());

  it("answers AWS's documented example, and each key once in AWS's spelling", async () => {
    // The AWS CLI reference's example for get-context-keys-for-custom-policy.
    const example = await root.send(
      new I.GetContextKeysForCustomPolicyCommand({
        PolicyInputList: [
          JSON.stringify({
            Version: '2012-10-17',
            Statement: {
              Effect: 'Allow',
              Action: 'dynamodb:*',
              Resource: 'arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}',
              Condition: { DateGreaterThan: { 'aws:CurrentTime': '2015-08-16T12:00:00Z' } },
            },
          }),
        ],
      }),
    );
    assert.deepEqual(example.ContextKeyNames, ['aws:username', 'aws:CurrentTime']);

    const { ContextKeyNames } = await root.send(
      new I.GetContextKeysForCustomPolicyCommand({
        PolicyInputList: [
          policy({
            Action: 's3:GetObject',
            Resource: "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'none'}/*",
            Condition: {
              IpAddress: { 'aws:sourceip': '10.0.0.0/8' },
              StringLike: { 's3:prefix': ['home/${aws:userid}/*'] },
            },
          }),
          policy({
            Action: 'iam:PassRole',
            Resource: '*',
            Condition: {
              StringEquals: { 'iam:passedtoservice': 'ec2.amazonaws.com', 'AWS:SourceIp': '10.0.0.1' },
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            },
          }),
          policy({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::${*}literal' }),
        ],
      }),
    );
    assert.deepEqual(ContextKeyNames, [
      'aws:PrincipalTag/team',
      'aws:SourceIp',
      's3:prefix',
      'aws:userid',
      'iam:PassedToService',
      'aws:MultiFactorAuthPresent',
    ]);
  });

  it("gathers a principal's own, group and managed policies and those given, leaving out its boundary", async () => {
    await root.send(new I.CreateUserCommand({ UserName: 'Keyed' }));
    await root.send(new I.CreateGroupCommand({ GroupName: 'KeyedGroup' }));
    await root.send(new I.AddUserToGroupCommand({ GroupName: 'KeyedGroup', UserName: 'Keyed' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Keyed',
        PolicyName: 'inline',
        PolicyDocument: policy({
          Action: 's3:*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        }),
      }),
    );
    await root.send(
      new I.PutGroupPolicyCommand({
        GroupName: 'KeyedGroup',
        PolicyName: 'group',
        PolicyDocument: policy({
          Action: 'ec2:*',
          Resource: '*',
          Condition: { StringEquals: { 'ec2:Region': 'eu-west-1' } },
        }),
      }),
    );
    const { Policy: managed } = await root.send(
      new I.CreatePolicyCommand({
        PolicyName: 'ManagedKeys',
        PolicyDocument: policy({
          Action: 'sts:AssumeRole',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        }),
      }),
    );
    await root.send(new I.AttachUserPolicyCommand({ UserName: 'Keyed', PolicyArn: managed!.Arn }));
    const { Policy: boundary } = await root.send(
      new I.CreatePolicyCommand({
        PolicyName: 'BoundaryKeys',
        PolicyDocument: policy({
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/x': 'y' } },
        }),
      }),
    );
    await root.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'Keyed', PermissionsBoundary: boundary!.Arn }));

    const { ContextKeyNames } = await root.send(
      new I.GetContextKeysForPrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:user/Keyed`,
        PolicyInputList: [
          policy({ Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:max-keys': '10' } } }),
        ],
      }),
    );
    assert.deepEqual([...ContextKeyNames!].sort(), [
      'aws:RequestedRegion',
      'aws:SecureTransport',
      'ec2:Region',
      's3:max-keys',
    ]);
    const group = await root.send(
      new I.GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:group/KeyedGroup` }),
    );
    assert.deepEqual(group.ContextKeyNames, ['ec2:Region']);
  });

  it('refuses a policy it cannot read and a principal that does not exist, and authorizes against the ARN', async () => {
    await rejectsWith(
      root.send(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: ['{not json'] })),
      'InvalidInputException',
      400,
    );
    await rejectsWith(
      root.send(
        new I.GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:user/Nobody` }),
      ),
      'NoSuchEntityException',
      404,
      /^The user with name Nobody cannot be found\.$/,
    );
    await root.send(new I.CreateUserCommand({ UserName: 'Asker' }));
    await root.send(
      new I.PutUserPolicyCommand({
        UserName: 'Asker',
        PolicyName: 'own',
        PolicyDocument: policy({
          Action: ['iam:GetContextKeysForPrincipalPolicy', 'iam:GetContextKeysForCustomPolicy'],
          Resource: `arn:aws:iam::${ACCOUNT_ID}:user/Asker`,
        }),
      }),
    );
    const { AccessKey } = await root.send(new I.CreateAccessKeyCommand({ UserName: 'Asker' }));
    const asker = new I.IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    assert.deepEqual(
      (
        await asker.send(
          new I.GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:user/Asker` }),
        )
      ).ContextKeyNames,
      [],
    );
    await rejectsWith(
      asker.send(
        new I.GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:user/Keyed` }),
      ),
      'AccessDenied',
      403,
      new RegExp(`iam:GetContextKeysForPrincipalPolicy on resource: arn:aws:iam::${ACCOUNT_ID}:user/Keyed `),
    );
    await rejectsWith(
      asker.send(
        new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy({ Action: '*', Resource: '*' })] }),
      ),
      'AccessDenied',
      403,
      /iam:GetContextKeysForCustomPolicy on resource: \* /,
    );
  });
});
