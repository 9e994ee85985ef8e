import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../catalog/index.js';
import { validatePolicy, type Finding, type PolicyKind } from './validate.js';
import { policySize } from './validate-size.js';

const c = catalog();

const statement = (extra: Record<string, unknown>): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'aws-portal:ViewBilling', Resource: '*', ...extra }],
});

const codes = (findings: Finding[]): string[] => findings.map((f) => `${f.findingType}:${f.issueCode}`).sort();

interface Case {
  name: string;
  document: unknown;
  kind?: PolicyKind;
  expected: string[];
}

const CASES: Case[] = [
  {
    name: 'the tutorial’s BillingFullAccess policy is clean',
    document: statement({ Sid: 'VisualEditor0', Action: 'aws-portal:*' }),
    expected: [],
  },
  {
    name: 'the tutorial’s BillingViewAccess policy is clean',
    document: statement({
      Action: [
        'aws-portal:ViewPaymentMethods',
        'aws-portal:ViewAccount',
        'aws-portal:ViewBilling',
        'aws-portal:ViewUsage',
      ],
    }),
    expected: [],
  },
  {
    name: 'malformed JSON',
    document: '{"Version": "2012-10-17", "Statement": [}',
    expected: ['ERROR:JSON_SYNTAX_ERROR'],
  },
  { name: 'trailing garbage', document: '{} x', expected: ['ERROR:JSON_SYNTAX_ERROR'] },
  { name: 'not an object', document: '[]', expected: ['ERROR:DATA_TYPE_MISMATCH'] },
  { name: 'missing Statement', document: { Version: '2012-10-17' }, expected: ['ERROR:MISSING_STATEMENT'] },
  {
    name: 'empty Statement list',
    document: { Version: '2012-10-17', Statement: [] },
    expected: ['ERROR:MISSING_STATEMENT'],
  },
  {
    name: 'Statement of the wrong type',
    document: { Version: '2012-10-17', Statement: 'Allow' },
    expected: ['ERROR:DATA_TYPE_MISMATCH'],
  },
  {
    name: 'missing Version',
    document: { Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } },
    expected: ['WARNING:MISSING_VERSION'],
  },
  {
    name: 'invalid Version',
    document: { ...statement({}), Version: '2012-10-18' },
    expected: ['ERROR:INVALID_VERSION'],
  },
  {
    name: 'variables need Version 2012-10-17',
    document: {
      Version: '2008-10-17',
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
    },
    expected: ['ERROR:VARIABLE_UNSUPPORTED_IN_VERSION'],
  },
  {
    name: 'variables are fine in 2012-10-17',
    document: statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' }),
    expected: [],
  },
  {
    name: 'unknown top-level element',
    document: { ...statement({}), Versoin: '2012-10-17' },
    expected: ['ERROR:INVALID_POLICY_ELEMENT'],
  },
  {
    name: 'unknown statement element',
    document: statement({ Actions: 's3:GetObject' }),
    expected: ['ERROR:INVALID_POLICY_ELEMENT'],
  },
  {
    name: 'duplicated element (seen only in the text)',
    document:
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}',
    expected: ['ERROR:DUPLICATE_ELEMENT'],
  },
  {
    name: 'missing Effect',
    document: { Version: '2012-10-17', Statement: { Action: 's3:GetObject', Resource: '*' } },
    expected: ['ERROR:MISSING_EFFECT'],
  },
  { name: 'Effect in the wrong case', document: statement({ Effect: 'allow' }), expected: ['ERROR:INVALID_EFFECT'] },
  {
    name: 'missing Action',
    document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: '*' } },
    expected: ['ERROR:MISSING_ACTION'],
  },
  { name: 'empty Action list', document: statement({ Action: [] }), expected: ['ERROR:MISSING_ACTION'] },
  {
    name: 'missing Resource',
    document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject' } },
    expected: ['ERROR:MISSING_RESOURCE'],
  },
  {
    name: 'Action together with NotAction',
    document: statement({ NotAction: 'iam:*' }),
    expected: ['ERROR:UNSUPPORTED_ELEMENT_COMBINATION'],
  },
  { name: 'Action of the wrong type', document: statement({ Action: 42 }), expected: ['ERROR:DATA_TYPE_MISMATCH'] },
  {
    name: 'action without a service prefix',
    document: statement({ Action: 'ViewBilling' }),
    expected: ['ERROR:MISSING_SERVICE_PREFIX'],
  },
  {
    name: 'action with two colons',
    document: statement({ Action: 'aws-portal:View:Billing' }),
    expected: ['ERROR:INVALID_ACTION_FORMAT'],
  },
  {
    name: 'service prefix with bad characters',
    document: statement({ Action: 'aws portal:ViewBilling' }),
    expected: ['ERROR:INVALID_SERVICE_PREFIX_FORMAT'],
  },
  {
    name: 'unknown service prefix',
    document: statement({ Action: 'aws-portl:ViewBilling' }),
    expected: ['ERROR:INVALID_SERVICE_IN_ACTION'],
  },
  {
    name: 'unknown action',
    document: statement({ Action: 'aws-portal:ViewBudget' }),
    expected: ['ERROR:INVALID_ACTION'],
  },
  {
    name: 'wildcard matching no action',
    document: statement({ Action: 'aws-portal:Delete*' }),
    expected: ['ERROR:INVALID_ACTION'],
  },
  { name: 'actions are case-insensitive', document: statement({ Action: 'AWS-PORTAL:viewbilling' }), expected: [] },
  { name: 'Bursar’s own action is known', document: statement({ Action: 'bursar:ImportCostData' }), expected: [] },
  { name: 'wildcard service prefix', document: statement({ Action: '*:GetConsoleActionSetEnforced' }), expected: [] },
  {
    name: 'variable in Action',
    document: statement({ Action: 's3:${aws:username}' }),
    expected: ['ERROR:VARIABLE_UNSUPPORTED_IN_ELEMENT'],
  },
  {
    name: 'redundant action',
    document: statement({ Action: ['aws-portal:View*', 'aws-portal:ViewBilling'] }),
    expected: ['SUGGESTION:REDUNDANT_ACTION'],
  },
  {
    name: 'resource that is not an ARN',
    document: statement({ Resource: 'my-bucket' }),
    expected: ['ERROR:INVALID_ARN_PREFIX'],
  },
  {
    name: 'ARN with too few fields',
    document: statement({ Resource: 'arn:aws:s3' }),
    expected: ['ERROR:MISSING_ARN_FIELD'],
  },
  {
    name: 'ARN with an unknown partition',
    document: statement({ Resource: 'arn:aws-mars:s3:::bucket' }),
    expected: ['ERROR:INVALID_PARTITION'],
  },
  {
    name: 'ARN with a bad account',
    document: statement({ Resource: 'arn:aws:iam::1234:user/x' }),
    expected: ['ERROR:INVALID_ARN_ACCOUNT'],
  },
  {
    name: 'IAM ARN with a Region',
    document: statement({ Resource: 'arn:aws:iam:us-east-1:123456789012:user/x' }),
    expected: ['ERROR:ARN_REGION_NOT_ALLOWED'],
  },
  {
    name: 'ARN service in upper case',
    document: statement({ Resource: 'arn:aws:S3:::bucket' }),
    expected: ['ERROR:INVALID_ARN_SERVICE_CASE'],
  },
  {
    name: 'wildcards in ARN fields are fine',
    document: statement({ Resource: 'arn:aws:iam::*:role/*' }),
    expected: [],
  },
  {
    name: 'Allow with NotResource',
    document: {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' },
    },
    expected: ['SECURITY_WARNING:ALLOW_WITH_NOT_RESOURCE'],
  },
  {
    name: 'Deny with NotAction is fine',
    document: { Version: '2012-10-17', Statement: { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' } },
    expected: [],
  },
  {
    name: 'iam:PassRole on every role',
    document: statement({ Action: 'iam:PassRole' }),
    expected: ['SECURITY_WARNING:PASS_ROLE_WITH_STAR_IN_RESOURCE'],
  },
  {
    name: 'iam:* on every resource',
    document: statement({ Action: 'iam:*' }),
    expected: ['SECURITY_WARNING:PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE'],
  },
  {
    name: 'iam:PassRole narrowed by iam:PassedToService',
    document: statement({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    }),
    expected: [],
  },
  {
    name: 'Principal in an identity policy',
    document: statement({ Principal: '*' }),
    expected: ['ERROR:UNSUPPORTED_PRINCIPAL'],
  },
  {
    name: 'Principal in an SCP',
    document: statement({ Principal: '*' }),
    kind: 'scp',
    expected: ['ERROR:SCP_SYNTAX_ERROR_PRINCIPAL'],
  },
  {
    name: 'missing Principal in a resource policy',
    document: statement({}),
    kind: 'resource',
    expected: ['ERROR:MISSING_PRINCIPAL'],
  },
  {
    name: 'a valid role trust policy',
    document: {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root', Service: 'ec2.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    },
    kind: 'trust',
    expected: [],
  },
  {
    name: 'Resource in a role trust policy',
    document: {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole', Resource: '*' },
    },
    kind: 'trust',
    expected: ['ERROR:UNSUPPORTED_RESOURCE_IN_TRUST_POLICY'],
  },
  {
    name: 'bad principals',
    document: statement({
      Principal: { AWS: ['arn:aws:iam::123456789012:user/*', 'AIDAEXAMPLE1234', 'bob'], Service: 'ec2', Users: 'x' },
    }),
    kind: 'resource',
    expected: [
      'ERROR:INVALID_PRINCIPAL_FORMAT',
      'ERROR:INVALID_PRINCIPAL_KEY',
      'ERROR:INVALID_SERVICE_PRINCIPAL_FORMAT',
      'ERROR:UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
      'WARNING:INVALID_USER_REFERENCE',
    ],
  },
  {
    name: 'Allow with NotPrincipal',
    document: statement({ NotPrincipal: { AWS: '123456789012' } }),
    kind: 'resource',
    expected: ['SECURITY_WARNING:ALLOW_WITH_NOT_PRINCIPAL'],
  },
  {
    name: 'RCPs take only Principal "*"',
    document: statement({ Principal: { AWS: '123456789012' } }),
    kind: 'rcp',
    expected: ['ERROR:RCP_SYNTAX_ERROR_PRINCIPAL'],
  },
  {
    name: 'unknown condition operator',
    document: statement({ Condition: { StringEqualz: { 'aws:username': 'bob' } } }),
    expected: ['ERROR:INVALID_CONDITION_OPERATOR'],
  },
  {
    name: 'operator/key type mismatch: DateLessThan on aws:SourceIp',
    document: statement({ Condition: { DateLessThan: { 'aws:SourceIp': '2030-01-01T00:00:00Z' } } }),
    expected: ['WARNING:TYPE_MISMATCH'],
  },
  {
    name: 'unknown global condition key',
    document: statement({ Condition: { IpAddress: { 'aws:SourceIpp': '203.0.113.0/24' } } }),
    expected: ['ERROR:INVALID_GLOBAL_CONDITION_KEY'],
  },
  {
    name: 'unknown service condition key',
    document: statement({ Condition: { StringEquals: { 'iam:PassedToServices': 'x' } } }),
    expected: ['ERROR:INVALID_SERVICE_CONDITION_KEY'],
  },
  {
    name: 'condition key without a prefix',
    document: statement({ Condition: { StringEquals: { username: 'x' } } }),
    expected: ['ERROR:INVALID_CONDITION_KEY_FORMAT'],
  },
  {
    name: 'well-typed conditions are clean',
    document: statement({
      Condition: {
        IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] },
        DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
        Bool: { 'aws:MultiFactorAuthPresent': 'true', 'aws:SecureTransport': true },
        StringEquals: { 'aws:username': '${aws:username}', 'aws:PrincipalTag/team': 'finance' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
        'ForAnyValue:StringLike': { 'aws:TagKeys': ['cost*'] },
        ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Billing*' },
        Null: { 'aws:TokenIssueTime': 'false' },
      },
    }),
    expected: [],
  },
  {
    name: 'bad values per operator',
    document: statement({
      Condition: {
        NumericLessThan: { 'aws:MultiFactorAuthAge': 'soon' },
        Bool: { 'aws:SecureTransport': 'yes' },
        IpAddress: { 'aws:SourceIp': '300.1.2.3' },
      },
    }),
    expected: ['WARNING:TYPE_MISMATCH_BOOLEAN', 'WARNING:TYPE_MISMATCH_IP_RANGE', 'WARNING:TYPE_MISMATCH_NUMBER'],
  },
  {
    name: 'wildcard without Like',
    document: statement({ Condition: { StringEquals: { 'aws:username': 'admin-*' } } }),
    expected: ['WARNING:WILDCARD_WITHOUT_LIKE_OPERATOR'],
  },
  {
    name: 'Null with IfExists',
    document: statement({ Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } } }),
    expected: ['ERROR:NULL_WITH_IF_EXISTS'],
  },
  {
    name: 'ForAllValues with a single-valued key',
    document: statement({ Condition: { 'ForAllValues:StringEquals': { 'aws:username': ['a', 'b'] } } }),
    expected: ['SECURITY_WARNING:FORALLVALUES_WITH_SINGLE_VALUED_KEY'],
  },
  {
    name: 'keys differing only in case',
    document: statement({ Condition: { StringEquals: { 'aws:username': 'a', 'aws:UserName': 'b' } } }),
    expected: ['ERROR:DUPLICATE_KEYS_WITH_DIFFERENT_CASE'],
  },
  {
    name: 'empty condition block',
    document: statement({ Condition: {} }),
    expected: ['SUGGESTION:EMPTY_OBJECT_CONDITION'],
  },
  {
    name: 'empty condition values',
    document: statement({ Condition: { StringEquals: { 'aws:username': [] } } }),
    expected: ['SUGGESTION:EMPTY_ARRAY_CONDITION'],
  },
  {
    name: 'private-only aws:SourceIp',
    document: statement({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    expected: ['ERROR:PRIVATE_IP_ADDRESS'],
  },
  {
    name: 'malformed variable',
    document: statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username/*' }),
    expected: ['ERROR:MISSING_BRACE_IN_VARIABLE'],
  },
  {
    name: 'duplicated Sids in an IAM policy',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'A', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' },
      ],
    },
    expected: ['ERROR:UNIQUE_SIDS_REQUIRED'],
  },
  {
    name: 'Sid with punctuation in an IAM policy',
    document: statement({ Sid: 'read-only' }),
    expected: ['ERROR:UNSUPPORTED_SID'],
  },
  {
    name: 'Sid with punctuation in a resource policy',
    document: statement({ Sid: 'read-only', Principal: '*' }),
    kind: 'resource',
    expected: [],
  },
  { name: 'empty Sid', document: statement({ Sid: '' }), expected: ['SUGGESTION:EMPTY_SID_VALUE'] },
  {
    name: 'repeated statement',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      ],
    },
    expected: ['SUGGESTION:REDUNDANT_STATEMENT'],
  },
];

describe('validatePolicy: documents → issue codes', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      assert.deepEqual(
        codes(validatePolicy(testCase.document, testCase.kind ?? 'managed', c)),
        [...testCase.expected].sort(),
      );
    });
  }
});

describe('validatePolicy: details', () => {
  it('points at the offending value with a JSON path', () => {
    const findings = validatePolicy(
      statement({ Action: ['aws-portal:ViewBilling', 'aws-portal:ViewBudget'] }),
      'managed',
      c,
    );
    assert.deepEqual(findings[0]?.path, ['Statement', 0, 'Action', 1]);
  });

  it('gives the position of a JSON syntax error', () => {
    const [finding] = validatePolicy('{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}', 'managed');
    assert.match(finding?.findingDetails ?? '', /index 45 line 3 column 17/);
  });

  it('suggests the nearest name for typos', () => {
    const details = (doc: unknown) =>
      validatePolicy(doc, 'managed', c)
        .map((f) => f.findingDetails)
        .join(' | ');
    assert.match(details(statement({ Action: 's3:GetObjekt' })), /Did you mean s3:GetObject\?/);
    assert.match(details(statement({ Action: 'aws-portl:ViewBilling' })), /Did you mean aws-portal\?/);
    assert.match(
      details(statement({ Condition: { IpAddress: { 'aws:SourceIpp': '203.0.113.9' } } })),
      /Did you mean aws:SourceIp\?/,
    );
    assert.match(
      details(statement({ Condition: { StringEqual: { 'aws:username': 'x' } } })),
      /Did you mean StringEquals\?/,
    );
    assert.match(details(statement({ Effect: 'Alow' })), /Did you mean Allow\?/);
  });

  it('skips catalog checks without a catalog', () => {
    assert.deepEqual(validatePolicy(statement({ Action: 'nope:Nothing' }), 'managed'), []);
  });

  it('reports a duplicated Statement member once per extra copy', () => {
    const text =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Resource":"*"}]}';
    const findings = validatePolicy(text, 'managed', c).filter((f) => f.issueCode === 'DUPLICATE_ELEMENT');
    assert.deepEqual(
      findings.map((f) => f.path),
      [['Statement', 0, 'Resource']],
    );
  });
});

describe('validatePolicy: size quotas', () => {
  const padded = (size: number): string => {
    const base = JSON.stringify(statement({ Sid: '' }));
    return base.replace('"Sid":""', `"Sid":"${'A'.repeat(size - base.length)}"`);
  };

  it('counts managed policies without whitespace, up to 6,144 characters', () => {
    const exact = padded(6144);
    assert.equal(policySize(exact, 'managed'), 6144);
    assert.ok(!codes(validatePolicy(exact, 'managed', c)).includes('ERROR:POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA'));
    const spaced = exact.replace(/,/g, ' ,\n  ');
    assert.equal(policySize(spaced, 'managed'), 6144);
    assert.ok(
      codes(validatePolicy(padded(6145), 'managed', c)).includes('ERROR:POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA'),
    );
  });

  it('applies each inline kind’s quota', () => {
    const text = padded(3000);
    const exceeds = (kind: PolicyKind) =>
      validatePolicy(text, kind, c).some((f) => f.issueCode.startsWith('POLICY_SIZE_EXCEEDS'));
    assert.equal(exceeds('inline-user'), true);
    assert.equal(exceeds('inline-group'), false);
    assert.equal(exceeds('inline-role'), false);
    assert.equal(exceeds('resource'), false);
    assert.equal(exceeds('trust'), true);
  });

  it('counts whitespace in SCPs, as Organizations does for API callers', () => {
    const text = padded(5000).replace(/,/g, ',' + ' '.repeat(40));
    assert.ok(policySize(text, 'scp') > 5120);
    assert.ok(validatePolicy(text, 'scp', c).some((f) => f.issueCode === 'POLICY_SIZE_EXCEEDS_SCP_QUOTA'));
    assert.ok(!validatePolicy(text, 'managed', c).some((f) => f.issueCode.startsWith('POLICY_SIZE_EXCEEDS')));
  });

  it('does not count whitespace inside strings as removable', () => {
    assert.equal(policySize('{ "a b" : "c d" }', 'managed'), '{"a b":"c d"}'.length);
  });
});
