import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iamPolicyDocumentError } from './validate-iam-error.js';
import type { PolicyKind } from './validate.js';

const statement = (extra: Record<string, unknown>): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }],
});

describe('iamPolicyDocumentError: what IAM answers', () => {
  const cases: [string, unknown, PolicyKind, string | undefined][] = [
    ['a valid policy is stored', statement({}), 'managed', undefined],
    [
      'IAM stores unknown actions (only Access Analyzer flags them)',
      statement({ Action: 'aws-portal:ViewBudget' }),
      'managed',
      undefined,
    ],
    ['malformed JSON', '{"Version":', 'managed', 'MalformedPolicyDocument: Syntax errors in policy.'],
    ['unknown element', statement({ Actions: 'x' }), 'managed', 'MalformedPolicyDocument: Syntax errors in policy.'],
    [
      'Principal in an identity policy',
      statement({ Principal: '*' }),
      'inline-user',
      'MalformedPolicyDocument: Policy document should not specify a principal.',
    ],
    [
      'Effect in the wrong case',
      statement({ Effect: 'allow' }),
      'managed',
      'MalformedPolicyDocument: The policy failed legacy parsing',
    ],
    [
      'missing Action',
      { Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: '*' } },
      'managed',
      'MalformedPolicyDocument: Policy statement must contain actions.',
    ],
    [
      'missing Resource',
      { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*' } },
      'managed',
      'MalformedPolicyDocument: Policy statement must contain resources.',
    ],
    [
      'action without a vendor',
      statement({ Action: 'GetObject' }),
      'managed',
      'MalformedPolicyDocument: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'resource that is not an ARN',
      statement({ Resource: 'bucket' }),
      'managed',
      'MalformedPolicyDocument: Resource bucket must be in ARN format or "*".',
    ],
    [
      'duplicated Sids',
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Sid: 'A', Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ],
      },
      'managed',
      'MalformedPolicyDocument: Statement IDs (SID) in a single policy must be unique.',
    ],
    [
      'variables with Version 2008-10-17',
      {
        Version: '2008-10-17',
        Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::${aws:username}' },
      },
      'managed',
      'MalformedPolicyDocument: Policy document must be version 2012-10-17 or greater.',
    ],
    [
      'Resource in a trust policy',
      {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Resource: '*',
        },
      },
      'trust',
      'MalformedPolicyDocument: Has prohibited field Resource',
    ],
    [
      'oversized managed policy',
      statement({ Resource: `arn:aws:s3:::${'x'.repeat(6200)}` }),
      'managed',
      'LimitExceeded: Cannot exceed quota for PolicySize: 6144',
    ],
  ];
  for (const [name, document, kind, expected] of cases) {
    it(name, () => {
      const error = iamPolicyDocumentError(document, kind);
      assert.equal(error === undefined ? undefined : `${error.code}: ${error.message}`, expected);
    });
  }

  it('names the entity in the inline size message', () => {
    const error = iamPolicyDocumentError(
      statement({ Resource: `arn:aws:s3:::${'x'.repeat(3000)}` }),
      'inline-user',
      'FinanceUser',
    );
    assert.deepEqual(error, {
      code: 'LimitExceeded',
      message: 'Maximum policy size of 2048 bytes exceeded for user FinanceUser',
    });
  });
});
