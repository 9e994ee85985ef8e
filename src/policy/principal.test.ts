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
test('Deny + NotPrincipal across accounts excludes a user only with its account listed too', () => {
  assert.equal(matchNotPrincipal(doc([user.arn]), user, 'Deny', false), true);
  assert.equal(matchNotPrincipal(doc([user.arn, '111111111111']), user, 'Deny', false), false);
});
test('Deny + NotPrincipal in the same account excludes the user it names', () => {
  assert.equal(matchNotPrincipal(doc([user.arn]), user, 'Deny', true), false);
  assert.equal(matchNotPrincipal(doc(['arn:aws:iam::111111111111:user/other']), user, 'Deny', true), true);
});
test('Deny + NotPrincipal excludes a session only with its role (and, across accounts, its account) listed', () => {
  assert.equal(matchNotPrincipal(doc([session.arn, '111111111111']), session, 'Deny', false), true);
  assert.equal(
    matchNotPrincipal(
      doc([session.arn, '111111111111', 'arn:aws:iam::111111111111:role/Deployer']),
      session,
      'Deny',
      false,
    ),
    false,
  );
  assert.equal(
    matchNotPrincipal(doc([session.arn, 'arn:aws:iam::111111111111:role/Deployer']), session, 'Deny', true),
    false,
  );
});
test('Allow + NotPrincipal never grants a principal it names, alone or in a list', () => {
  assert.equal(matchNotPrincipal(doc([user.arn]), user, 'Allow', true), false);
  assert.equal(matchNotPrincipal(doc(['arn:aws:iam::222222222222:root', user.arn]), user, 'Allow', false), false);
  assert.equal(matchNotPrincipal(doc(['arn:aws:iam::111111111111:role/Deployer']), session, 'Allow', true), false);
  assert.equal(matchNotPrincipal(doc(['arn:aws:iam::222222222222:user/x']), user, 'Allow', false), true);
});
test('a role ARN caller named by its own ARN is a role grant, not a direct one', () => {
  const role = parsePrincipal('arn:aws:iam::111111111111:role/ops/Deployer');
  assert.equal(matchPrincipal(doc([role.arn]), role), 'role');
  assert.equal(matchPrincipal(doc(['arn:aws:iam::111111111111:role/Deployer']), role), 'role');
});
