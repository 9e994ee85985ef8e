import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestMatch, editDistance, wildcardMatch } from './validate-text.js';

describe('wildcardMatch', () => {
  it('matches IAM globs case-insensitively', () => {
    assert.equal(wildcardMatch('aws-portal:View*', 'AWS-PORTAL:viewbilling'), true);
    assert.equal(wildcardMatch('aws-portal:View*', 'aws-portal:ModifyBilling'), false);
    assert.equal(wildcardMatch('s3:?etObject', 's3:GetObject'), true);
    assert.equal(wildcardMatch('s3:?etObject', 's3:etObject'), false);
    assert.equal(wildcardMatch('*', ''), true);
    assert.equal(wildcardMatch('', 'x'), false);
  });

  it('lets * span / and :', () => {
    assert.equal(wildcardMatch('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b:c'), true);
    assert.equal(wildcardMatch('*:Get*', 'iam:GetUser'), true);
  });

  it('backtracks correctly over several stars', () => {
    assert.equal(wildcardMatch('*a*b*c', 'xxaxxbxxbxxc'), true);
    assert.equal(wildcardMatch('*a*b*c', 'xxaxxcxxb'), false);
    assert.equal(wildcardMatch('*a'.repeat(2000) + 'b', 'a'.repeat(3000)), false);
  });
});

describe('suggestions', () => {
  it('measures edit distance case-insensitively', () => {
    assert.equal(editDistance('GetObjekt', 'getobject'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('suggests only plausible typos', () => {
    assert.equal(closestMatch('aws-portl', ['aws-portal', 'billing']), 'aws-portal');
    assert.equal(closestMatch('zzzzzz', ['aws-portal', 'billing']), undefined);
    assert.equal(closestMatch('x'.repeat(500), ['x'.repeat(500)]), undefined);
  });
});
