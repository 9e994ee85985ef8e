import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob } from './glob.js';
import { LITERAL_STAR } from './variables.js';

const table: [string, string, boolean, { ignoreCase?: boolean; arn?: boolean }?][] = [
  ['*', 'anything at all', true],
  ['s3:Get*', 's3:GetObject', true],
  ['s3:Get*', 's3:getobject', false],
  ['s3:Get*', 's3:getobject', true, { ignoreCase: true }],
  ['s3:?etObject', 's3:GetObject', true, { ignoreCase: true }],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b:c', true, { arn: true }],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false, { arn: true }],
  ['arn:aws:*:*:*:*', 'arn:aws:s3:::bucket', true, { arn: true }],
  ['arn:aws:*', 'arn:aws:s3:::bucket', false, { arn: true }],
  ['arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:eu-west-1:123456789012:instance/i-1', true, { arn: true }],
  ['arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:eu-west-1:999999999999:instance/i-1', false, { arn: true }],
  ['arn:aws:s3:::a.b', 'arn:aws:s3:::axb', false, { arn: true }],
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
  assert.equal(compileGlob(`arn:aws:s3:::${pattern}`, { arn: true })(`arn:aws:s3:::${'a'.repeat(20_000)}b`), true);
});
