/**
 * IAM answers carry the members AWS's API reference says each operation returns — no more, no fewer —
 * read back through @aws-sdk/client-iam as a real client sees them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

let server: BursarServer;
let iam: I.IAMClient;
before(async () => {
  server = await startServer();
  iam = new I.IAMClient(clientConfig(server));
});
after(async () => server?.close());

const DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});

// API reference, Policy data type: Description "is included in the response to the GetPolicy operation".
test('CreatePolicy does not echo Description; GetPolicy returns it, and Tags only when there are some', async () => {
  const created = await iam.send(
    new I.CreatePolicyCommand({ PolicyName: 'Described', PolicyDocument: DOCUMENT, Description: 'read objects' }),
  );
  assert.equal(created.Policy?.PolicyName, 'Described');
  assert.equal(created.Policy?.Description, undefined);
  assert.equal(created.Policy?.Tags, undefined);

  const got = await iam.send(new I.GetPolicyCommand({ PolicyArn: created.Policy!.Arn! }));
  assert.equal(got.Policy?.Description, 'read objects');
  assert.equal(got.Policy?.Tags, undefined);

  const tagged = await iam.send(
    new I.CreatePolicyCommand({ PolicyName: 'Tagged', PolicyDocument: DOCUMENT, Tags: [{ Key: 'team', Value: 'a' }] }),
  );
  assert.deepEqual(tagged.Policy?.Tags, [{ Key: 'team', Value: 'a' }]);
  const gotTagged = await iam.send(new I.GetPolicyCommand({ PolicyArn: tagged.Policy!.Arn! }));
  assert.deepEqual(gotTagged.Policy?.Tags, [{ Key: 'team', Value: 'a' }]);
});

// API reference, ListUsers: "This operation does not return the following attributes…: PermissionsBoundary, Tags".
test('ListUsers leaves out PermissionsBoundary and Tags; GetUser has them', async () => {
  await iam.send(
    new I.CreateUserCommand({
      UserName: 'Bounded',
      PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      Tags: [{ Key: 'k', Value: 'v' }],
    }),
  );
  const { Users } = await iam.send(new I.ListUsersCommand({}));
  const listed = Users?.find((u) => u.UserName === 'Bounded');
  assert.ok(listed);
  assert.equal(listed.PermissionsBoundary, undefined);
  assert.equal(listed.Tags, undefined);
  const { User } = await iam.send(new I.GetUserCommand({ UserName: 'Bounded' }));
  assert.equal(User?.PermissionsBoundary?.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/PowerUserAccess');
  assert.deepEqual(User?.Tags, [{ Key: 'k', Value: 'v' }]);
});

// API reference, GenerateCredentialReport: State STARTED when a generation begins, COMPLETE once done.
test('GenerateCredentialReport answers STARTED first, then COMPLETE', async () => {
  const first = await iam.send(new I.GenerateCredentialReportCommand({}));
  assert.equal(first.State, 'STARTED');
  const second = await iam.send(new I.GenerateCredentialReportCommand({}));
  assert.equal(second.State, 'COMPLETE');
  const report = await iam.send(new I.GetCredentialReportCommand({}));
  assert.equal(report.ReportFormat, 'text/csv');
  assert.match(Buffer.from(report.Content!).toString('utf8'), /^user,arn,/);
});

// API reference, GetUser: with root credentials, the root user — its account id and root ARN, no user name.
test('GetUser with root credentials returns the root user', async () => {
  const { User } = await iam.send(new I.GetUserCommand({}));
  assert.equal(User?.UserId, ACCOUNT_ID);
  assert.equal(User?.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`);
  assert.equal(User?.UserName, undefined);
  assert.equal(User?.Path, undefined);
  assert.ok(User?.CreateDate instanceof Date);
});

test('a tag validation error prints the tags, not [object Object]', async () => {
  const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
  await rejectsWith(
    iam.send(new I.CreateUserCommand({ UserName: 'TooManyTags', Tags: tags })),
    'ValidationError',
    400,
    // The list is shown as AWS shows it, cut after 1,024 characters (docs/security.md: no error echoes a whole value).
    /^1 validation error detected: Value '\[\{Key: k0,Value: v0\}, \{Key: k1,Value: v1\}, .*\{Key: k4\d?,Value.*\.\.\.' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
  );
});
