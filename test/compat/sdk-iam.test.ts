import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DetachGroupPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
  type IAMServiceException,
} from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from './harness.js';

type SdkError = IAMServiceException & { $metadata: { httpStatusCode?: number } };

async function refusal(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail('expected the call to be refused');
}

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

  it('answers NoSuchEntity (404) in the Query error envelope', async () => {
    const error = await refusal(root.send(new GetUserCommand({ UserName: 'Nobody' })));
    assert.equal(error.name, 'NoSuchEntityException');
    assert.equal(error.message, 'The user with name Nobody cannot be found.');
    assert.equal(error.$metadata.httpStatusCode, 404);
  });

  it('answers ValidationError from the model and changes nothing', async () => {
    const error = await refusal(root.send(new CreateUserCommand({ UserName: 'bad name!' })));
    assert.equal(error.name, 'ValidationError');
    assert.match(
      error.message,
      /^1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint/,
    );
    const { Users } = await root.send(new ListUsersCommand({}));
    assert.ok(!Users!.some((u) => u.UserName === 'bad name!'));
  });

  it('pages ListUsers with MaxItems and Marker', async () => {
    for (const name of ['Page1', 'Page2', 'Page3', 'Page4']) await root.send(new CreateUserCommand({ UserName: name }));
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
    const all = (await root.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName!);
    assert.deepEqual(seen, all);
    assert.equal(pages, Math.ceil(all.length / 2));
  });

  it('returns policy documents that decode to what was put', async () => {
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

  it('enforces the two-access-keys quota with LimitExceeded', async () => {
    await root.send(new CreateUserCommand({ UserName: 'KeyHolder' }));
    await root.send(new CreateAccessKeyCommand({ UserName: 'KeyHolder' }));
    await root.send(new CreateAccessKeyCommand({ UserName: 'KeyHolder' }));
    const error = await refusal(root.send(new CreateAccessKeyCommand({ UserName: 'KeyHolder' })));
    assert.equal(error.name, 'LimitExceededException');
    assert.equal(error.message, 'Cannot exceed quota for AccessKeysPerUser: 2');
  });

  it('denies a user without permissions with AWS wording, and audits the denial', async () => {
    await root.send(new CreateUserCommand({ UserName: 'NoPerms' }));
    const noPerms = await userClient('NoPerms');
    const error = await refusal(noPerms.send(new CreateUserCommand({ UserName: 'Mallory' })));
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.$metadata.httpStatusCode, 403);
    assert.equal(
      error.message,
      `User: arn:aws:iam::${ACCOUNT_ID}:user/NoPerms is not authorized to perform: iam:CreateUser on resource: ` +
        `arn:aws:iam::${ACCOUNT_ID}:user/Mallory because no identity-based policy allows the iam:CreateUser action`,
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

  it('sees a detached group policy on the very next call (cache invalidation)', async () => {
    await root.send(new CreateUserCommand({ UserName: 'Reader' }));
    await root.send(new CreateGroupCommand({ GroupName: 'Readers' }));
    await root.send(new AddUserToGroupCommand({ GroupName: 'Readers', UserName: 'Reader' }));
    const { Policy } = await root.send(
      new CreatePolicyCommand({
        PolicyName: 'ReadUsers',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }],
        }),
      }),
    );
    await root.send(new AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: Policy!.Arn! }));
    const reader = await userClient('Reader');
    assert.equal((await reader.send(new GetUserCommand({ UserName: 'Alice' }))).User!.UserName, 'Alice');
    await root.send(new DetachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: Policy!.Arn! }));
    const error = await refusal(reader.send(new GetUserCommand({ UserName: 'Alice' })));
    assert.equal(error.name, 'AccessDenied');
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
