/**
 * The seed tutorial's setup driven through the real AWS CLI v2 against a Bursar server: users with login
 * profiles, the two groups and their members, the BillingFullAccess and BillingViewAccess policies attached
 * to them, and `simulate-principal-policy` showing FinanceUser may ViewBilling but not ModifyBilling.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_KEY, startServer } from '../compat/harness.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

let server: BursarServer;

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    AWS,
    ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', ...args],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
    },
  );
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

const cliMissing = existsSync(AWS) ? undefined : `${AWS} is not installed`;

before(async () => {
  if (!cliMissing) server = await startServer();
});
after(async () => server?.close());

test('the seed tutorial through the AWS CLI', { skip: cliMissing }, async () => {
  const cast = [
    { user: 'FinanceManager', group: 'BillingFullAccessGroup', policy: 'BillingFullAccess', actions: 'aws-portal:*' },
    { user: 'FinanceUser', group: 'BillingViewAccessGroup', policy: 'BillingViewAccess', actions: 'aws-portal:View*' },
  ];
  for (const { user, group, policy, actions } of cast) {
    const created = (await aws('iam', 'create-user', '--user-name', user)).User as { Arn: string };
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/${user}`);
    const profile = (
      await aws(
        'iam',
        'create-login-profile',
        '--user-name',
        user,
        '--password',
        'Tutorial-Passw0rd!',
        '--password-reset-required',
      )
    ).LoginProfile as { PasswordResetRequired: boolean };
    assert.equal(profile.PasswordResetRequired, true);
    await aws('iam', 'create-group', '--group-name', group);
    await aws('iam', 'add-user-to-group', '--group-name', group, '--user-name', user);
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
    });
    const createdPolicy = (await aws('iam', 'create-policy', '--policy-name', policy, '--policy-document', document))
      .Policy as { Arn: string };
    assert.equal(createdPolicy.Arn, `arn:aws:iam::${ACCOUNT_ID}:policy/${policy}`);
    await aws('iam', 'attach-group-policy', '--group-name', group, '--policy-arn', createdPolicy.Arn);
    const attached = await aws('iam', 'list-attached-group-policies', '--group-name', group);
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: policy, PolicyArn: createdPolicy.Arn }]);
  }

  // The CLI decodes the URL-encoded document AWS (and Bursar) put in the XML.
  const version = (
    await aws(
      'iam',
      'get-policy-version',
      '--policy-arn',
      `arn:aws:iam::${ACCOUNT_ID}:policy/BillingViewAccess`,
      '--version-id',
      'v1',
    )
  ).PolicyVersion as { Document: unknown };
  assert.deepEqual(version.Document, {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'aws-portal:View*', Resource: '*' }],
  });

  const simulated = await aws(
    'iam',
    'simulate-principal-policy',
    '--policy-source-arn',
    `arn:aws:iam::${ACCOUNT_ID}:user/FinanceUser`,
    '--action-names',
    'aws-portal:ViewBilling',
    'aws-portal:ModifyBilling',
  );
  const decisions = Object.fromEntries(
    (simulated.EvaluationResults as { EvalActionName: string; EvalDecision: string }[]).map((r) => [
      r.EvalActionName,
      r.EvalDecision,
    ]),
  );
  assert.deepEqual(decisions, { 'aws-portal:ViewBilling': 'allowed', 'aws-portal:ModifyBilling': 'implicitDeny' });

  const managerSim = await aws(
    'iam',
    'simulate-principal-policy',
    '--policy-source-arn',
    `arn:aws:iam::${ACCOUNT_ID}:user/FinanceManager`,
    '--action-names',
    'aws-portal:ModifyBilling',
  );
  assert.equal((managerSim.EvaluationResults as { EvalDecision: string }[])[0]?.EvalDecision, 'allowed');
});
