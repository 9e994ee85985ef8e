import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { createIamServices, type IamServices } from './index.js';

let opened: OpenedDatabase;
let iam: IamServices;
let clock: FixedClock;
let acct: string;

before(async () => {
  opened = await openDatabase({ ephemeral: true });
  clock = new FixedClock('2026-11-27T12:00:00Z');
  iam = await createIamServices({ db: opened.db, clock, ids: seededIdSource('profiles'), passwordHashCost: 1024 });
  acct = (await iam.accounts.signUp({ email: 'p@example.com', password: 'Passw0rd!', accountName: 'P' })).accountId;
  await iam.users.create(acct, { UserName: 'Ageing' });
  await iam.loginProfiles.create(acct, { UserName: 'Ageing', Password: 'Fresh-Passw0rd' });
});
after(async () => opened?.close());

test('a password older than MaxPasswordAge must be changed at sign-in; with HardExpiry it no longer signs in', async () => {
  await iam.accounts.updatePasswordPolicy(acct, { MaxPasswordAge: 30, AllowUsersToChangePassword: true });
  assert.equal((await iam.loginProfiles.verify(acct, 'Ageing', 'Fresh-Passw0rd'))?.passwordResetRequired, false);
  clock.advance(31 * 86_400_000);
  const expired = await iam.loginProfiles.verify(acct, 'Ageing', 'Fresh-Passw0rd');
  assert.equal(expired?.passwordExpired, true);
  assert.equal(expired?.passwordResetRequired, true);
  await iam.accounts.updatePasswordPolicy(acct, { MaxPasswordAge: 30, HardExpiry: true });
  assert.equal(await iam.loginProfiles.verify(acct, 'Ageing', 'Fresh-Passw0rd'), undefined);
  await iam.loginProfiles.update(acct, { UserName: 'Ageing', Password: 'Renewed-Passw0rd' });
  assert.equal((await iam.loginProfiles.verify(acct, 'Ageing', 'Renewed-Passw0rd'))?.passwordExpired, false);
});

test('unknown users and accounts are refused like a wrong password', async () => {
  assert.equal(await iam.loginProfiles.verify(acct, 'Nobody', 'whatever'), undefined);
  assert.equal(await iam.accounts.verifyRootPassword('nobody@example.com', 'whatever'), undefined);
});

test('PasswordReusePrevention refuses the current and the N−1 previous passwords', async () => {
  await iam.accounts.updatePasswordPolicy(acct, { PasswordReusePrevention: 2, AllowUsersToChangePassword: true });
  await iam.users.create(acct, { UserName: 'Reuser' });
  await iam.loginProfiles.create(acct, { UserName: 'Reuser', Password: 'Password-A-1' });
  clock.advance(1000);
  await iam.loginProfiles.changeOwnPassword(acct, 'Reuser', 'Password-A-1', 'Password-B-1');
  clock.advance(1000);
  await assert.rejects(iam.loginProfiles.changeOwnPassword(acct, 'Reuser', 'Password-B-1', 'Password-B-1'), {
    code: 'PasswordPolicyViolation',
    message: 'Password should not be one of your last 2 passwords',
  });
  await assert.rejects(iam.loginProfiles.update(acct, { UserName: 'Reuser', Password: 'Password-A-1' }), {
    code: 'PasswordPolicyViolation',
  });
  await iam.loginProfiles.update(acct, { UserName: 'Reuser', Password: 'Password-C-1' });
  clock.advance(1000);
  await iam.loginProfiles.changeOwnPassword(acct, 'Reuser', 'Password-C-1', 'Password-A-1');
  assert.ok(await iam.loginProfiles.verify(acct, 'Reuser', 'Password-A-1'));
  await iam.loginProfiles.delete(acct, 'Reuser');
  await iam.users.delete(acct, 'Reuser');
});
