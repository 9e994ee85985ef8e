/**
 * Parser robustness: whatever it is given, validatePolicy returns findings — it never throws, never hangs
 * and never fails internally. "Never hangs" is checked by construction (each run must finish for the test
 * to finish) rather than with timing assertions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { catalog } from '../catalog/index.js';
import { POLICY_KINDS, validatePolicy, type Finding } from './validate.js';

const c = catalog();
const kind = fc.constantFrom(...POLICY_KINDS);

function assertWellFormed(findings: Finding[]): void {
  assert.ok(Array.isArray(findings));
  for (const f of findings) {
    assert.ok(['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'].includes(f.findingType));
    assert.match(f.issueCode, /^[A-Z][A-Z0-9_]*$/);
    assert.equal(typeof f.findingDetails, 'string');
    assert.ok(Array.isArray(f.path));
    assert.notEqual(f.issueCode, 'VALIDATOR_INTERNAL_ERROR', f.findingDetails);
  }
}

/** Policy-shaped values: the element names, operators and keys the validator looks at, with arbitrary contents. */
const policyLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.constantFrom(
      '*',
      'Allow',
      'Deny',
      'aws-portal:View*',
      'iam:PassRole',
      'arn:aws:iam::123456789012:role/*',
      '${aws:username}',
      '2012-10-17',
      '*a*a*a*a*a*a*a*a*a*a*a*a*a*b',
    ),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'Version',
        'Statement',
        'Sid',
        'Effect',
        'Action',
        'NotAction',
        'Resource',
        'NotResource',
        'Principal',
        'NotPrincipal',
        'Condition',
        'AWS',
        'Service',
        'StringEquals',
        'ForAllValues:StringLike',
        'NullIfExists',
        'aws:SourceIp',
        'aws:PrincipalTag/x',
        'x',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

describe('validatePolicy robustness', () => {
  it('arbitrary strings yield findings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), kind, (text, k) => {
        const findings = validatePolicy(text, k, c);
        assertWellFormed(findings);
        // A blank document is never a valid policy.
        if (text.trim() === '') assert.ok(findings.length > 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary JSON texts and values yield findings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), kind, (value, k) => {
        assertWellFormed(validatePolicy(value, k, c));
        assertWellFormed(validatePolicy(JSON.stringify(value), k, c));
      }),
      { numRuns: 1000 },
    );
  });

  it('policy-shaped values yield well-formed findings', () => {
    fc.assert(
      fc.property(policyLike, kind, (value, k) => {
        assertWellFormed(validatePolicy(value, k, c));
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated valid documents yield findings', () => {
    const valid = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'A1',
          Effect: 'Allow',
          Action: ['aws-portal:View*'],
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        },
      ],
    });
    fc.assert(
      fc.property(fc.nat(valid.length), fc.nat(8), fc.string({ maxLength: 6 }), kind, (at, cut, insert, k) => {
        assertWellFormed(validatePolicy(valid.slice(0, at) + insert + valid.slice(at + cut), k, c));
      }),
      { numRuns: 1000 },
    );
  });

  it('values JSON cannot represent yield a finding instead of an exception', () => {
    const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
    cyclic.Statement = cyclic;
    for (const value of [cyclic, undefined, () => 1, Symbol('x'), 10n]) {
      const findings = validatePolicy(value, 'managed', c);
      assertWellFormed(findings);
      assert.ok(findings.some((f) => f.findingType === 'ERROR'));
    }
  });

  it('pathological inputs finish: deep nesting, long strings, many wildcards', () => {
    const cases = [
      '['.repeat(100_000),
      '{"a":'.repeat(50_000),
      `"${'\\u0041'.repeat(50_000)}"`,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: `${'*a'.repeat(2000)}:${'*a'.repeat(2000)}b`,
          Resource: `arn:aws:s3:::${'*a'.repeat(5000)}`,
        },
      }),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Action: Array.from({ length: 1000 }, (_, i) => `s3:*${i}*`), Resource: '*' },
      }),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Action: Array.from({ length: 1000 }, (_, i) => `*:Get*${i}`), Resource: '*' },
      }),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { StringEquals: { [`aws:${'x'.repeat(100_000)}`]: '${'.repeat(10_000) } },
        },
      }),
    ];
    for (const text of cases) assertWellFormed(validatePolicy(text, 'managed', c));
  });
});
