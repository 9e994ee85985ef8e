/**
 * The seed tutorial ("delegate access to billing") set up with the real AWS CLI v2 against a server
 * started here: users with console passwords, the two groups, the two billing policies, attachments,
 * and simulate-principal-policy showing FinanceUser may view billing but not modify it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { BursarServer } from '../../src/server/create-server.js';
import { systemClock } from '../../src/platform/clock.js';
import { ACCOUNT_ID, ROOT_KEY, startServer } from './harness.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

const BILLING_FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }] };
// The visual editor's "Read" access level of the Billing console (aws-portal) service.
const BILLING_VIEW = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'aws-portal:ViewAccount',
        'aws-portal:ViewBilling',
        'aws-portal:ViewPaymentMethods',
        'aws-portal:ViewUsage',
      ],
      Resource: '*',
    },
  ],
};

describe('the seed tutorial through the AWS CLI', { skip: existsSync(AWS) ? false : `${AWS} is not installed` }, () => {
  let server: BursarServer;
  before(async () => {
    // The AWS CLI signs by the machine's clock and cannot be told otherwise: the server keeps that clock
    // whatever BURSAR_TEST_CLOCK_SHIFT_DAYS says.
    server = await startServer({ clock: systemClock });
  });
  after(async () => {
    await server.close();
  });

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(AWS, ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  }

  it('creates the users with console passwords', async () => {
    for (const user of ['FinanceManager', 'FinanceUser']) {
      const created = (await aws('iam', 'create-user', '--user-name', user)) as { User: { Arn: string } };
      assert.equal(created.User.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/${user}`);
      const profile = (await aws(
        'iam',
        'create-login-profile',
        '--user-name',
        user,
        '--password',
        'Tutorial-Passw0rd!',
        '--password-reset-required',
      )) as { LoginProfile: { UserName: string; PasswordResetRequired: boolean } };
      assert.deepEqual([profile.LoginProfile.UserName, profile.LoginProfile.PasswordResetRequired], [user, true]);
    }
  });

  it('creates the groups and adds the members', async () => {
    await aws('iam', 'create-group', '--group-name', 'BillingFullAccessGroup');
    await aws('iam', 'create-group', '--group-name', 'BillingViewAccessGroup');
    await aws('iam', 'add-user-to-group', '--group-name', 'BillingFullAccessGroup', '--user-name', 'FinanceManager');
    await aws('iam', 'add-user-to-group', '--group-name', 'BillingViewAccessGroup', '--user-name', 'FinanceUser');
    const group = (await aws('iam', 'get-group', '--group-name', 'BillingViewAccessGroup')) as {
      Users: Array<{ UserName: string }>;
    };
    assert.deepEqual(
      group.Users.map((u) => u.UserName),
      ['FinanceUser'],
    );
  });

  it('creates the two billing policies and attaches them', async () => {
    for (const [name, document, group] of [
      ['BillingFullAccess', BILLING_FULL, 'BillingFullAccessGroup'],
      ['BillingViewAccess', BILLING_VIEW, 'BillingViewAccessGroup'],
    ] as const) {
      const created = (await aws(
        'iam',
        'create-policy',
        '--policy-name',
        name,
        '--policy-document',
        JSON.stringify(document),
      )) as {
        Policy: { Arn: string; DefaultVersionId: string };
      };
      assert.equal(created.Policy.Arn, `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`);
      assert.equal(created.Policy.DefaultVersionId, 'v1');
      await aws('iam', 'attach-group-policy', '--group-name', group, '--policy-arn', created.Policy.Arn);
    }
  });

  it('lists what is attached, and the CLI decodes the stored document', async () => {
    const attached = (await aws('iam', 'list-attached-group-policies', '--group-name', 'BillingViewAccessGroup')) as {
      AttachedPolicies: Array<{ PolicyName: string; PolicyArn: string }>;
    };
    assert.deepEqual(attached.AttachedPolicies, [
      { PolicyName: 'BillingViewAccess', PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/BillingViewAccess` },
    ]);
    const version = (await aws(
      'iam',
      'get-policy-version',
      '--policy-arn',
      `arn:aws:iam::${ACCOUNT_ID}:policy/BillingViewAccess`,
      '--version-id',
      'v1',
    )) as { PolicyVersion: { Document: unknown; IsDefaultVersion: boolean } };
    assert.deepEqual(version.PolicyVersion.Document, BILLING_VIEW);
    assert.equal(version.PolicyVersion.IsDefaultVersion, true);
  });

  it('simulate-principal-policy: FinanceUser may view billing but not modify it', async () => {
    const result = (await aws(
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      `arn:aws:iam::${ACCOUNT_ID}:user/FinanceUser`,
      '--action-names',
      'aws-portal:ViewBilling',
      'aws-portal:ModifyBilling',
    )) as { EvaluationResults: Array<{ EvalActionName: string; EvalDecision: string }> };
    const decisions = Object.fromEntries(result.EvaluationResults.map((r) => [r.EvalActionName, r.EvalDecision]));
    assert.deepEqual(decisions, { 'aws-portal:ViewBilling': 'allowed', 'aws-portal:ModifyBilling': 'implicitDeny' });
  });
});
