/**
 * Which policy documents IAM stores and the MalformedPolicyDocument message it answers, on the wire through
 * @aws-sdk/client-iam (the rules and their sources: src/policy/validate-iam-error.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListPoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** Asserts AWS's answer to a refused document: the exception, HTTP 400 and the exact message. */
async function refused(call: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(call, (error: AwsError) => {
    assert.equal(error.name, 'MalformedPolicyDocumentException', error.message);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(error.message, message);
    return true;
  });
}

const statement = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::reports' };
const trust = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra },
  });

describe('policy documents on the wire: what IAM stores and what it refuses', () => {
  let server: BursarServer;
  let iam: IAMClient;
  before(async () => {
    server = await startServer();
    iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'Finn' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Reader', AssumeRolePolicyDocument: trust() }));
  });
  after(async () => {
    await server.close();
  });

  it('CreatePolicy stores what IAM stores: short ARNs, null resources, bare condition keys, empty blocks', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: {
        ...statement,
        Resource: ['arn:aws:s3', null, 'arn:aws:s3:::reports/*'],
        Condition: { StringEqualsIfExists: { team: 'billing' }, DateGreaterThan: {}, Unknown: {} },
      },
    });
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'Lenient', PolicyDocument: document }));
    assert.equal(Policy!.Arn, `arn:aws:iam::${ACCOUNT_ID}:policy/Lenient`);
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(PolicyVersion!.Document!), document);
  });

  it('CreatePolicy refuses a document without Version 2012-10-17, and stores nothing', async () => {
    await refused(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'Old',
          PolicyDocument: JSON.stringify({ Version: '2008-10-17', Statement: statement }),
        }),
      ),
      'Policy document must be version 2012-10-17 or greater.',
    );
    const { Policies } = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.ok(!Policies!.some((p) => p.PolicyName === 'Old'));
  });

  it('CreatePolicyVersion refuses a date IAM cannot parse', async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'Dated',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statement }),
      }),
    );
    await refused(
      iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: Policy!.Arn,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: { ...statement, Condition: { DateLessThan: { 'aws:CurrentTime': '2026-13-01' } } },
          }),
        }),
      ),
      'The policy failed legacy parsing',
    );
  });

  it('PutUserPolicy and PutRolePolicy refuse region-bearing S3 ARNs and principals with AWS words', async () => {
    await refused(
      iam.send(
        new PutUserPolicyCommand({
          UserName: 'Finn',
          PolicyName: 'Regional',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: { ...statement, Resource: 'arn:aws:s3:eu-west-1::reports' },
          }),
        }),
      ),
      'Resource arn:aws:s3:eu-west-1::reports can not contain region information.',
    );
    await refused(
      iam.send(new PutRolePolicyCommand({ RoleName: 'Reader', PolicyName: 'Trusting', PolicyDocument: trust() })),
      'Policy document should not specify a principal.',
    );
  });

  it('CreateRole and UpdateAssumeRolePolicy check the trust policy', async () => {
    await refused(
      iam.send(new CreateRoleCommand({ RoleName: 'Scoped', AssumeRolePolicyDocument: trust({ Resource: '*' }) })),
      'Has prohibited field Resource',
    );
    await refused(
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Reader', PolicyDocument: 'trust.json' })),
      'This policy contains invalid Json',
    );
    await refused(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'Reader',
          PolicyDocument: trust({ Principal: { Service: 'amazonaws.com' } }),
        }),
      ),
      'Invalid principal in policy: "SERVICE":"amazonaws.com"',
    );
    const legacy = JSON.stringify({
      Version: '2008-10-17',
      Statement: { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Reader', PolicyDocument: legacy }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'Reader' }));
    assert.equal(decodeURIComponent(Role!.AssumeRolePolicyDocument!), legacy);
  });
});
