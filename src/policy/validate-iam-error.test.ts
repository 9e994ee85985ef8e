/**
 * What IAM's API answers for a policy document: each case is a document, the kind of IAM API it is given to,
 * and AWS's answer (undefined = stored), with where that answer was observed. Sources:
 * - MOTO: getmoto/moto tests/test_iam/test_iam_policies.py, whose cases its authors checked against AWS.
 * - LOCALSTACK: localstack/localstack services/iam/policy_validation.py (IAM's newer wording and trust rules).
 * - Issues quoting real answers, by URL. - ISSUE11: Bursar issue 11, measured against a peer's suites.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy } from './compile.js';
import { iamPolicyDocumentError, type IamPolicyKind } from './validate-iam-error.js';

const MOTO = 'https://github.com/getmoto/moto/blob/master/tests/test_iam/test_iam_policies.py';
const LOCALSTACK = 'https://github.com/localstack/localstack (services/iam/policy_validation.py)';
const ISSUE11 = 'Bursar issue 11, section 2';
const CONDITION_PAGE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const VERSION_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html';

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';
const VERSION = 'Policy document must be version 2012-10-17 or greater.';
const VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
const RESOURCES = 'Policy statement must contain resources.';
const ACTIONS = 'Policy statement must contain actions.';
const IAM_PATH =
  'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.';

type Document = unknown;
const BUCKET = 'arn:aws:s3:::example_bucket';
/** A 2012-10-17 document whose one statement is `statement`. */
const v12 = (statement: unknown): Document => ({ Version: '2012-10-17', Statement: statement });
/** A valid ListBucket statement with `extra` merged in. */
const list = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: BUCKET,
  ...extra,
});
const trust = (extra: Record<string, unknown> = {}): Document =>
  v12({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra });

interface Case {
  name: string;
  document: Document;
  kind: IamPolicyKind;
  /** The MalformedPolicyDocument message, or undefined when IAM stores the document. */
  refused: string | undefined;
  source: string;
}

const refused: Case[] = [
  { name: 'not JSON', document: 'This is not a json document', kind: 'managed', refused: SYNTAX, source: MOTO },
  {
    name: 'not JSON, in a trust policy',
    document: 'assume-role-policy.json',
    kind: 'trust',
    refused: 'This policy contains invalid Json',
    source: 'https://github.com/AWSCookbook/Security/issues/2',
  },
  { name: 'no Version', document: { Statement: list() }, kind: 'managed', refused: VERSION, source: MOTO },
  {
    name: 'Version 2008-10-17',
    document: { Version: '2008-10-17', Statement: list() },
    kind: 'managed',
    refused: VERSION,
    source: MOTO,
  },
  {
    name: 'Version 2008-10-17 in an inline policy',
    document: { Version: '2008-10-17', Statement: list() },
    kind: 'inline-role',
    refused: VERSION,
    source: MOTO,
  },
  {
    name: 'a Version IAM does not know',
    document: { Version: '2013-10-17', Statement: list() },
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  { name: 'no Statement', document: { Version: '2012-10-17' }, kind: 'managed', refused: SYNTAX, source: MOTO },
  { name: 'a statement that is a string', document: v12(['afd']), kind: 'managed', refused: SYNTAX, source: MOTO },
  { name: 'an empty Statement list', document: v12([]), kind: 'managed', refused: SYNTAX, source: MOTO },
  {
    name: 'an unknown top-level element',
    document: { Version: '2012-10-17', Statement: list(), 'Extra field': 'value' },
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'an unknown statement element',
    document: v12(list({ 'Extra field': 'value' })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Id that is a list',
    document: { Version: '2012-10-17', Id: ['x'], Statement: list() },
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Effect that is no effect',
    document: v12(list({ Effect: 'invalid' })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'no Effect',
    document: v12({ Action: 's3:ListBucket', Resource: BUCKET }),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Resource that is an object',
    document: v12(list({ Resource: { a: BUCKET } })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'an object in a Resource list',
    document: v12(list({ Resource: ['adfdf', {}] })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Resource with NotResource',
    document: v12(list({ NotResource: [] })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'a list in an Action list',
    document: v12(list({ Action: [[]] })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Action with NotAction',
    document: v12(list({ NotAction: 's3s:ListBucket' })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Action that is an object',
    document: v12(list({ Action: {} })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Condition that is a list',
    document: v12(list({ Condition: [] })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'Condition that is a string',
    document: v12(list({ Condition: 'a' })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'an operator block that is a string',
    document: v12(list({ Condition: { a: 'b' } })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'a Date block that is a list',
    document: v12(list({ Condition: { DateGreaterThan: [] } })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'an object as a condition value',
    document: v12(list({ Condition: { DateGreaterThan: { a: {} } } })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'an unknown operator with keys',
    document: v12(list({ Condition: { x: { a: '1' } } })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  {
    name: 'an operator with two colons after its qualifier',
    document: v12(list({ Condition: { 'ForAnyValue::StringEqualsIfExists': { a: 'asf' } } })),
    kind: 'managed',
    refused: SYNTAX,
    source: MOTO,
  },
  { name: 'Sid that is an object', document: v12(list({ Sid: {} })), kind: 'managed', refused: SYNTAX, source: MOTO },
  { name: 'Sid that is a list', document: v12(list({ Sid: [] })), kind: 'managed', refused: SYNTAX, source: MOTO },
  {
    name: 'an action without a vendor',
    document: v12(list({ Action: 'invalid' })),
    kind: 'managed',
    refused: VENDOR,
    source: MOTO,
  },
  {
    name: 'an empty NotAction',
    document: v12({ Effect: 'Allow', NotAction: '', Resource: BUCKET }),
    kind: 'managed',
    refused: VENDOR,
    source: MOTO,
  },
  {
    name: 'the vendor check comes before the resources check',
    document: v12({ Effect: 'Allow', Action: 'invalid' }),
    kind: 'managed',
    refused: VENDOR,
    source: MOTO,
  },
  {
    name: 'a vendor with a space',
    document: v12(list({ Action: 'a a:ListBucket' })),
    kind: 'managed',
    refused: 'Vendor a a is not valid',
    source: MOTO,
  },
  {
    name: 'an action with two colons',
    document: v12(list({ Action: 's3:List:Bucket' })),
    kind: 'managed',
    refused: 'Actions/Condition can contain only one colon.',
    source: MOTO,
  },
  {
    name: 'a resource that is not an ARN',
    document: v12(list({ Resource: 'invalid resource' })),
    kind: 'managed',
    refused: 'Resource invalid resource must be in ARN format or "*".',
    source: MOTO,
  },
  {
    name: 'an empty resource',
    document: v12(list({ Resource: '' })),
    kind: 'managed',
    refused: 'Resource  must be in ARN format or "*".',
    source: MOTO,
  },
  {
    name: 'a bucket name as the resource (CreatePolicy)',
    document: v12(list({ Resource: 's3-bucket-ukcloud-replica' })),
    kind: 'managed',
    refused: 'Resource s3-bucket-ukcloud-replica must be in ARN format or "*".',
    source: 'https://github.com/ministryofjustice/modernisation-platform-environments/pull/590',
  },
  {
    name: 'an unknown partition, padded with * in the message',
    document: v12({ Effect: 'Allow', NotAction: 's3s:ListBucket', Resource: 'a:bsdfdsafsad' }),
    kind: 'managed',
    refused: 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".',
    source: MOTO,
  },
  {
    name: 'an unknown partition with a service',
    document: v12({ Effect: 'Allow', NotAction: 's3s:ListBucket', Resource: 'a:b:cadfsdf' }),
    kind: 'managed',
    refused: 'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".',
    source: MOTO,
  },
  {
    name: 'an unknown partition with every field',
    document: v12({ Effect: 'Allow', NotAction: 's3s:ListBucket', Resource: 'a:b:c:d:e:f:g:h' }),
    kind: 'managed',
    refused: 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
    source: MOTO,
  },
  {
    name: 'an ARN without its arn: prefix',
    document: v12(list({ Resource: 'aws:s3:::example_bucket' })),
    kind: 'managed',
    refused: 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".',
    source: MOTO,
  },
  {
    name: 'of two bad resources, the message names the one IAM reads last',
    document: v12(list({ Resource: ['arn:error:s3:::example_bucket', 'arn:error:s3::example_bucket'] })),
    kind: 'managed',
    refused: 'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
    source: MOTO,
  },
  {
    name: 'a partition alone',
    document: v12(list({ Resource: 'arn:aws' })),
    kind: 'managed',
    refused: 'Resource vendor must be fully qualified and cannot contain regexes.',
    source: MOTO,
  },
  {
    name: 'no Resource',
    document: v12({ Effect: 'Allow', Action: 's3:ListBucket' }),
    kind: 'managed',
    refused: RESOURCES,
    source: MOTO,
  },
  {
    name: 'an empty Resource list',
    document: v12(list({ Resource: [] })),
    kind: 'managed',
    refused: RESOURCES,
    source: MOTO,
  },
  {
    name: 'no Action',
    document: v12({ Effect: 'Allow', Resource: BUCKET }),
    kind: 'managed',
    refused: ACTIONS,
    source: MOTO,
  },
  {
    name: 'neither Action nor Resource',
    document: v12({ Effect: 'Allow' }),
    kind: 'managed',
    refused: ACTIONS,
    source: MOTO,
  },
  {
    name: 'an empty Action list',
    document: v12(list({ Action: [] })),
    kind: 'managed',
    refused: ACTIONS,
    source: MOTO,
  },
  {
    name: 'one statement of two without Action',
    document: v12([{ Effect: 'Deny' }, list()]),
    kind: 'managed',
    refused: ACTIONS,
    source: MOTO,
  },
  {
    name: 'an IAM resource path IAM does not have',
    document: v12(list({ Resource: 'arn:aws:iam:::example_bucket' })),
    kind: 'managed',
    refused: IAM_PATH,
    source: LOCALSTACK,
  },
  {
    name: 'an IAM ARN with a region',
    document: v12(list({ Resource: 'arn:aws:iam:us-east-1::example_bucket' })),
    kind: 'managed',
    refused: 'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.',
    source: MOTO,
  },
  {
    name: 'an S3 ARN with a region',
    document: v12(list({ Resource: 'arn:aws:s3:us-east-1::example_bucket' })),
    kind: 'managed',
    refused: 'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.',
    source: MOTO,
  },
  {
    name: 'duplicated Sids (before the missing Action of the second)',
    document: v12([list({ Sid: 'sdf' }), { Sid: 'sdf', Effect: 'Allow' }]),
    kind: 'managed',
    refused: 'Statement IDs (SID) in a single policy must be unique.',
    source: MOTO,
  },
  {
    name: 'the Version check comes before the Sid check',
    document: { Statement: [list({ Sid: 'sdf' }), { Sid: 'sdf', Effect: 'Allow' }] },
    kind: 'managed',
    refused: VERSION,
    source: MOTO,
  },
  {
    name: 'Effect in the wrong case',
    document: v12(list({ Effect: 'denY' })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'a date IAM cannot parse',
    document: v12(list({ Condition: { DateGreaterThan: { a: 'sdfdsf' } } })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'the Version check comes before legacy parsing (date)',
    document: { Statement: list({ Condition: { DateGreaterThan: { a: 'sdfdsf' } } }) },
    kind: 'managed',
    refused: VERSION,
    source: MOTO,
  },
  {
    name: 'the Version check comes before legacy parsing (Effect)',
    document: { Statement: list({ Effect: 'denY' }) },
    kind: 'managed',
    refused: VERSION,
    source: MOTO,
  },
  {
    name: 'legacy parsing comes before the actions check',
    document: v12({ Effect: 'Allow', Condition: { DateGreaterThan: { a: 'sdfdsf' } } }),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'an ARN without a service',
    document: v12({ Effect: 'Allow', NotAction: 's3:ListBucket', Resource: 'arn:aws::::example_bucket' }),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'lower-case Effect before a region error',
    document: v12({ Effect: 'allow', Resource: 'arn:aws:s3:us-east-1::example_bucket' }),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'legacy parsing comes before the Sid check',
    document: v12([list({ Sid: 'sdf', Effect: 'aLLow' }), { Sid: 'sdf', Effect: 'Allow' }]),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'a short ARN that skips fields with ::',
    document: v12(list({ Resource: 'arn:aws:s3::example_bucket' })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'the same in NotResource',
    document: v12({ Effect: 'Allow', Action: 's3:ListBucket', NotResource: 'arn:aws:s3::example_bucket' }),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'the same without Action',
    document: v12({ Effect: 'Allow', Resource: 'arn:aws:s3::example_bucket' }),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'arn:aws::x',
    document: v12(list({ Resource: 'arn:aws::fdsasf' })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'a month 13',
    document: v12(list({ Condition: { DateLessThanEquals: { a: '234-13' } } })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'a one-digit time-zone hour',
    document: v12(list({ Condition: { DateLessThanEquals: { a: '2016-12-13t2:00:00.593194+1' } } })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'ten digits of fractional seconds',
    document: v12(list({ Condition: { DateLessThanEquals: { a: '2016-12-13t2:00:00.1999999999+10:59' } } })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'epoch seconds beyond a 64-bit integer',
    document: v12(list({ Condition: { DateLessThan: { a: '9223372036854775808' } } })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'a bad date before a bad partition',
    document: v12(list({ Resource: 'arn:error:s3:::example_bucket', Condition: { DateGreaterThan: { a: 'sdfdsf' } } })),
    kind: 'managed',
    refused: LEGACY,
    source: MOTO,
  },
  {
    name: 'a Sid that is not alphanumeric',
    document: v12(list({ Sid: 'read-bucket' })),
    kind: 'inline-user',
    refused:
      'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
    source: 'https://github.com/ministryofjustice/cloud-platform-environments/pull/25602',
  },
  {
    name: 'a Principal in an inline role policy (PutRolePolicy)',
    document: trust(),
    kind: 'inline-role',
    refused: 'Policy document should not specify a principal.',
    source: 'https://github.com/hashicorp/terraform/issues/13449',
  },
  {
    name: 'a Principal in a managed policy',
    document: v12(list({ Principal: { AWS: '123456789012' } })),
    kind: 'managed',
    refused: 'Policy document should not specify a principal.',
    source: 'https://github.com/hashicorp/terraform-provider-aws/issues/10419',
  },
  {
    name: 'a Resource in a trust policy (CreateRole)',
    document: trust({ Resource: '*' }),
    kind: 'trust',
    refused: 'Has prohibited field Resource',
    source: 'https://github.com/devopsacademyau/academy/pull/1368',
  },
  {
    name: 'a trust policy statement without Principal',
    document: v12({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
    kind: 'trust',
    refused: 'Missing required field Principal',
    source: ISSUE11,
  },
  {
    name: 'a service principal that names no service',
    document: trust({ Principal: { Service: 'amazonaws.com' } }),
    kind: 'trust',
    refused: 'Invalid principal in policy: "SERVICE":"amazonaws.com"',
    source: 'https://github.com/aws-samples/aws-cdk-examples/issues/801',
  },
  {
    name: 'a wildcard in an AWS principal',
    document: trust({ Principal: { AWS: 'arn:aws:iam::123456789012:role/*' } }),
    kind: 'trust',
    refused: 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/*"',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  },
  {
    name: 'a non-STS action in a trust policy',
    document: trust({ Action: 's3:GetObject' }),
    kind: 'trust',
    refused:
      'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
    source: LOCALSTACK,
  },
  {
    name: 'a top-level Conditions member (see README: not an element)',
    document: { Version: '2012-10-17', Statement: list(), Conditions: {} },
    kind: 'managed',
    refused: SYNTAX,
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  },
];

const accepted: Case[] = [
  ...(
    [
      ['a resource list', list({ Resource: [BUCKET] })],
      ['an action name with spaces', list({ Action: 'iam: asdf safdsf af ' })],
      ['* among resources', list({ Resource: [BUCKET, '*'] })],
      ['Action *', list({ Action: '*' })],
      ['a vendor IAM does not know', list({ Action: 'service-prefix:action-name', Resource: '*' })],
      ['an action the vendor does not have', list({ Action: 'fsx:ListBucket' })],
      ['an IAM user path', list({ Resource: 'arn:aws:iam:::user/example_bucket' })],
      ['a service IAM does not know in a resource', list({ Resource: 'arn:aws:s33:::example_bucket' })],
      ['a short resource ARN', list({ Resource: 'arn:aws:fdsasf' })],
      ['an empty Condition', list({ Condition: {} })],
      [
        'ForAllValues with a single value',
        list({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Department' } } }),
      ],
      ['a region in a CloudWatch ARN', list({ Resource: 'arn:aws:cloudwatch:us-east-1::example_bucket' })],
      ['a region in an EC2 ARN', list({ Resource: 'arn:aws:ec2:us-east-1::example_bucket' })],
      ['a region for an unknown service', list({ Resource: 'arn:aws:invalid-service:us-east-1::example_bucket' })],
      [
        'dates in ISO 8601',
        list({
          Condition: {
            DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' },
            DateLessThan: { 'aws:CurrentTime': '2017-12-31T23:59:59Z' },
          },
        }),
      ],
      ['an empty operator block', list({ Condition: { DateGreaterThan: {} } })],
      ['an empty value list', list({ Condition: { DateGreaterThan: { a: [] } } })],
      ['unknown operators with empty blocks', list({ Condition: { x: {}, y: {} } })],
      ['a condition key without a vendor', list({ Condition: { StringEqualsIfExists: { a: 'asf' } } })],
      ['a qualifier with IfExists', list({ Condition: { 'ForAnyValue:StringEqualsIfExists': { a: 'asf' } } })],
      ['a date that is only a year and a T', list({ Condition: { DateGreaterThan: { a: '01T' } } })],
      [
        'a date with a time zone',
        list({ Condition: { DateLessThanEquals: { a: '2016-12-13T21:20:37.593194+00:00' } } }),
      ],
      [
        'a one-digit hour and a two-digit zone',
        list({ Condition: { DateLessThanEquals: { a: '2016-12-13t2:00:00.593194+23' } } }),
      ],
      ['the earliest year', list({ Condition: { DateLessThan: { a: '-292275054' } } })],
      ['NotAction with NotResource *', { Effect: 'Allow', NotAction: 's3:ListBucket', NotResource: '*' }],
      ['a variable in a 2012-10-17 resource', list({ Resource: 'arn:aws:iam::*:user/${aws:username}' })],
    ] as const
  ).map(([name, statement]): Case => ({
    name,
    document: v12(statement),
    kind: 'managed',
    refused: undefined,
    source: MOTO,
  })),
  {
    name: 'a Sid on one statement only, and no Sid on another',
    document: v12([list({ Sid: 'sdf' }), list()]),
    kind: 'managed',
    refused: undefined,
    source: MOTO,
  },
  {
    name: 'a variable for the account in an IAM ARN',
    document: v12(list({ Resource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Reader' })),
    kind: 'managed',
    refused: undefined,
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
  },
  {
    name: 'null in a Resource list',
    document: v12(list({ Resource: [BUCKET, null] })),
    kind: 'inline-user',
    refused: undefined,
    source: ISSUE11,
  },
  {
    name: 'the account root as an IAM resource',
    document: v12(list({ Resource: 'arn:aws:iam::123456789012:root' })),
    kind: 'managed',
    refused: undefined,
    source: LOCALSTACK,
  },
  {
    name: 'a region in an S3 access point ARN',
    document: v12(list({ Resource: 'arn:aws:s3:us-west-2:123456789012:accesspoint/reports' })),
    kind: 'managed',
    refused: undefined,
    source: LOCALSTACK,
  },
  {
    name: 'a trust policy',
    document: trust({ Principal: { AWS: 'arn:aws:iam::123456789012:root', Service: ['ec2.amazonaws.com'] } }),
    kind: 'trust',
    refused: undefined,
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  },
  {
    name: 'a trust policy with Version 2008-10-17',
    document: {
      Version: '2008-10-17',
      Statement: { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    },
    kind: 'trust',
    refused: undefined,
    source: VERSION_PAGE,
  },
  {
    name: 'a date with a negative offset (see README)',
    document: v12(list({ Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-31T10:00:00-05:00' } } })),
    kind: 'managed',
    refused: undefined,
    source: CONDITION_PAGE,
  },
  {
    name: 'a JSON boolean as a condition value (see README)',
    document: v12(list({ Condition: { Bool: { 'aws:SecureTransport': false } } })),
    kind: 'managed',
    refused: undefined,
    source: CONDITION_PAGE,
  },
  {
    name: 'Principal * in a trust policy (see README)',
    document: trust({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }),
    kind: 'trust',
    refused: undefined,
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  },
  {
    name: 'a trust policy without Version',
    document: { Statement: { Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' } },
    kind: 'trust',
    refused: undefined,
    source: VERSION_PAGE,
  },
];

describe('iamPolicyDocumentError: what IAM answers, in its order of checks', () => {
  for (const c of [...refused, ...accepted]) {
    it(`${c.kind}: ${c.name} → ${c.refused ?? 'stored'} (${c.source})`, () => {
      const error = iamPolicyDocumentError(c.document, c.kind);
      if (c.refused === undefined) {
        assert.equal(error, undefined);
        // What IAM stores, the engine must be able to evaluate.
        const compiled = compilePolicy(c.document, {
          policyType: c.kind === 'trust' ? 'resource' : 'identity',
          policyId: 'case',
        });
        assert.deepEqual(compiled.ok ? [] : compiled.errors, []);
      } else {
        assert.deepEqual(error, { code: 'MalformedPolicyDocument', message: c.refused });
      }
    });
  }

  it('reads JSON text as IAM receives it', () => {
    assert.equal(iamPolicyDocumentError(JSON.stringify(v12(list())), 'managed'), undefined);
    assert.deepEqual(iamPolicyDocumentError('{"Version":', 'inline-group'), {
      code: 'MalformedPolicyDocument',
      message: SYNTAX,
    });
  });

  it('answers LimitExceeded over the size quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)', () => {
    assert.deepEqual(iamPolicyDocumentError(v12(list({ Resource: `arn:aws:s3:::${'x'.repeat(6200)}` })), 'managed'), {
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for PolicySize: 6144',
    });
    assert.deepEqual(
      iamPolicyDocumentError(v12(list({ Resource: `arn:aws:s3:::${'x'.repeat(3000)}` })), 'inline-user', 'FinanceUser'),
      { code: 'LimitExceeded', message: 'Maximum policy size of 2048 bytes exceeded for user FinanceUser' },
    );
    assert.deepEqual(iamPolicyDocumentError(trust({ Sid: 'x'.repeat(2100) }), 'trust'), {
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for ACLSizePerRole: 2048',
    });
  });
});
