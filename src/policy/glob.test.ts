import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileGlob, type GlobOptions } from './glob.js';
import { LITERAL_STAR } from './variables.js';

const table: [string, string, boolean, GlobOptions?][] = [
  ['*', 'anything at all', true],
  ['s3:Get*', 's3:GetObject', true],
  ['s3:Get*', 's3:getobject', false],
  ['s3:Get*', 's3:getobject', true, { ignoreCase: true }],
  ['s3:?etObject', 's3:GetObject', true, { ignoreCase: true }],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b:c', true, { arn: 'condition' }],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false, { arn: 'condition' }],
  ['arn:aws:*:*:*:*', 'arn:aws:s3:::bucket', true, { arn: 'condition' }],
  ['arn:aws:*', 'arn:aws:s3:::bucket', false, { arn: 'condition' }],
  [
    'arn:aws:ec2:*:123456789012:instance/*',
    'arn:aws:ec2:eu-west-1:123456789012:instance/i-1',
    true,
    { arn: 'condition' },
  ],
  [
    'arn:aws:ec2:*:123456789012:instance/*',
    'arn:aws:ec2:eu-west-1:999999999999:instance/i-1',
    false,
    { arn: 'condition' },
  ],
  ['arn:aws:s3:::a.b', 'arn:aws:s3:::axb', false, { arn: 'condition' }],
  // In the Resource element a trailing `*` of a pattern cut short expands past the colons (AWS, Resource page).
  ['arn:aws:*', 'arn:aws:s3:::bucket', true, { arn: 'resource' }],
  ['arn:*', 'arn:aws:iam::123456789012:user/a', true, { arn: 'resource' }],
  ['arn:aws:ec2:us-*', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1', true, { arn: 'resource' }],
  ['arn:aws:ec2:us-*', 'arn:aws:ec2:eu-west-1:123456789012:instance/i-1', false, { arn: 'resource' }],
  ['arn:aws:iam::*', 'arn:aws:iam::123456789012:role/x', true, { arn: 'resource' }],
  // AWS's own example of a star ending a middle part.
  [
    'arn:aws:ec2:*:111122223333:finance/*',
    'arn:aws:ec2:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
    true,
    { arn: 'resource' },
  ],
  // A `?` or a star inside a part keeps every part to itself.
  ['arn:aws:ec2:*x', 'arn:aws:ec2:us-east-1:1:x', false, { arn: 'resource' }],
  ['arn:aws:e?2:*', 'arn:aws:ec2:us-east-1:1:x', false, { arn: 'resource' }],
  ['arn:aws:e?2:*:1:x', 'arn:aws:ec2:us-east-1:1:x', true, { arn: 'resource' }],
  [`a${LITERAL_STAR}`, 'a*', true],
  [`a${LITERAL_STAR}`, 'ab', false],
];

for (const [pattern, value, expected, options] of table) {
  test(`${pattern} ${expected ? 'matches' : 'does not match'} ${value}${options ? ` ${JSON.stringify(options)}` : ''}`, () => {
    assert.equal(compileGlob(pattern, options)(value), expected);
  });
}

test('a pattern with many stars against a long value still answers (no backtracking blow-up)', () => {
  const pattern = `${'*a'.repeat(20)}*b`;
  assert.equal(compileGlob(pattern)('a'.repeat(20_000)), false);
  assert.equal(
    compileGlob(`arn:aws:s3:::${pattern}`, { arn: 'condition' })(`arn:aws:s3:::${'a'.repeat(20_000)}b`),
    true,
  );
});

/** The meaning of a glob, spelled as a regular expression: the specification the matcher must agree with. */
function reference(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = [...pattern]
    .map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

test('agrees with the regular-expression meaning of * and ? on random patterns and values', () => {
  const alphabet = fc.constantFrom('a', 'b', 'A', '*', '?', '/');
  const text = (max: number) => fc.array(alphabet, { maxLength: max }).map((chars) => chars.join(''));
  fc.assert(
    fc.property(text(8), text(12), fc.boolean(), (pattern, value, ignoreCase) => {
      const v = value.replace(/[*?]/g, 'a');
      assert.equal(compileGlob(pattern, { ignoreCase })(v), reference(pattern, v, ignoreCase), `${pattern} ~ ${v}`);
    }),
    { numRuns: 3000 },
  );
});

test('a piece with ? longer than one machine word still matches where it should', () => {
  const piece = `${'a'.repeat(40)}?${'b'.repeat(40)}`;
  assert.equal(compileGlob(`*${piece}*`)(`xx${'a'.repeat(40)}Z${'b'.repeat(40)}yy`), true);
  assert.equal(compileGlob(`*${piece}*`)(`xx${'a'.repeat(40)}${'b'.repeat(40)}yy`), false);
  assert.equal(compileGlob(`*?${'c'.repeat(70)}?*`)(`${'c'.repeat(71)}d`), true);
});

// The issue's figures: `*a…a b` (40,000 a) against 80,000 characters took 8–11 s with one remembered star.
test('a long pattern against a long value answers correctly (the matcher is linear in their lengths; the quadratic one took 8–11 s)', () => {
  const value = 'a'.repeat(80_000);
  assert.equal(compileGlob(`*${'a'.repeat(40_000)} b`)(value), false);
  assert.equal(compileGlob(`*${'a'.repeat(40_000)}b*`)(value), false);
  assert.equal(compileGlob(`*${'a'.repeat(20_000)}*${'a'.repeat(20_000)}b*`)(value), false);
  assert.equal(
    compileGlob(`arn:aws:s3:::*${'a'.repeat(40_000)}b`, { arn: 'condition' })(`arn:aws:s3:::${value}`),
    false,
  );
  assert.equal(compileGlob(`*${'a'.repeat(40_000)}*`, { ignoreCase: true })(value), true);
});
