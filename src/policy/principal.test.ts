import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrincipalDocument } from './document.js';
import { matchNotPrincipal, matchPrincipal, parsePrincipal } from './principal.js';

const doc = (aws: string[], more: Partial<PrincipalDocument> = {}): PrincipalDocument => ({
  any: false,
  aws,
  service: [],
  federated: [],
  canonicalUser: [],
  ...more,
});
const user = parsePrincipal('arn:aws:iam::111111111111:user/team/alice');
const session = parsePrincipal('arn:aws:sts::111111111111:assumed-role/Deployer/s1');

test('a user ARN is read with its name and account', () => {
  assert.deepEqual([user.kind, user.name, user.account], ['user', 'alice', '111111111111']);
});
test('a session ARN is read with its role ARN', () => {
  assert.equal(session.roleArn, 'arn:aws:iam::111111111111:role/Deployer');
});
test('the exact ARN is a direct match', () => assert.equal(matchPrincipal(doc([user.arn]), user), 'direct'));
test('an account id names every principal of the account', () =>
  assert.equal(matchPrincipal(doc(['111111111111']), user), 'account'));
test('the account root ARN names every principal of the account', () => {
  assert.equal(matchPrincipal(doc(['arn:aws:iam::111111111111:root']), user), 'account');
});
test('a role ARN (with path) names its sessions', () => {
  assert.equal(matchPrincipal(doc(['arn:aws:iam::111111111111:role/ops/Deployer']), session), 'role');
});
test('another account matches nothing', () => assert.equal(matchPrincipal(doc(['222222222222']), user), 'none'));
test('"*" names everyone', () => assert.equal(matchPrincipal({ ...doc([]), any: true }, user), 'direct'));
test('a service principal matches the service', () => {
  assert.equal(
    matchPrincipal(doc([], { service: ['ec2.amazonaws.com'] }), parsePrincipal('ec2.amazonaws.com')),
    'direct',
  );
});
test('NotPrincipal excludes a user only with its account listed too', () => {
  assert.equal(matchNotPrincipal(doc([user.arn]), user), true);
  assert.equal(matchNotPrincipal(doc([user.arn, '111111111111']), user), false);
});
test('NotPrincipal excludes a session only with its role and account listed', () => {
  assert.equal(matchNotPrincipal(doc([session.arn, '111111111111']), session), true);
  assert.equal(
    matchNotPrincipal(doc([session.arn, '111111111111', 'arn:aws:iam::111111111111:role/Deployer']), session),
    false,
  );
});
