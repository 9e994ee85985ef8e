import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { AccountService } from './accounts.js';
import { IamContext } from './context.js';
import { checkAccountAlias } from './validation.js';

describe('account rules', () => {
  let opened: OpenedDatabase;
  let accounts: AccountService;
  let acct: string;
  before(async () => {
    opened = await openDatabase({ ephemeral: true });
    accounts = new AccountService(
      new IamContext({
        db: opened.db,
        clock: new FixedClock('2026-11-27T12:00:00Z'),
        ids: seededIdSource('accounts'),
        passwordHashCost: 1024,
      }),
    );
    acct = (await accounts.signUp({ email: 'a@example.com', password: 'Passw0rd!', accountName: 'A' })).accountId;
  });
  after(async () => opened?.close());

  test('sign-up refuses a weak root password and a bad email', async () => {
    await assert.rejects(accounts.signUp({ email: 'b@example.com', password: 'password', accountName: 'B' }), {
      code: 'InvalidInput',
    });
    await assert.rejects(accounts.signUp({ email: 'not-an-email', password: 'Passw0rd!', accountName: 'B' }), {
      code: 'InvalidInput',
    });
  });

  test('without a policy, new user passwords follow AWS default rules', async () => {
    await assert.rejects(accounts.checkUserPassword(acct, 'Ab1!', 'bob'), {
      code: 'PasswordPolicyViolation',
      message: 'Password should have a minimum length of 8',
    });
    await assert.rejects(accounts.checkUserPassword(acct, 'alllowercase', 'bob'), { code: 'PasswordPolicyViolation' });
    assert.equal(await accounts.checkUserPassword(acct, 'Mixed-case1', 'bob'), 'Mixed-case1');
  });

  test('the account password policy is stored with AWS member names and enforced', async () => {
    await accounts.updatePasswordPolicy(acct, {
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireUppercaseCharacters: true,
      MaxPasswordAge: 90,
    });
    const policy = await accounts.requirePasswordPolicy(acct);
    assert.equal(policy.MinimumPasswordLength, 14);
    assert.equal(policy.ExpirePasswords, true);
    assert.equal(policy.MaxPasswordAge, 90);
    assert.equal(policy.AllowUsersToChangePassword, false);
    await assert.rejects(accounts.checkUserPassword(acct, 'short', 'bob'), {
      message: 'Password should have a minimum length of 14',
    });
    await assert.rejects(accounts.checkUserPassword(acct, 'lowercase-only-long', 'bob'), {
      message: 'Password should have at least one uppercase letter',
    });
    await assert.rejects(accounts.checkUserPassword(acct, 'Uppercase without symbols', 'bob'), {
      message: 'Password should have at least one symbol',
    });
    assert.equal(await accounts.checkUserPassword(acct, 'Upper-and-symbol!', 'bob'), 'Upper-and-symbol!');
    await accounts.deletePasswordPolicy(acct);
    await assert.rejects(accounts.requirePasswordPolicy(acct), {
      code: 'NoSuchEntity',
      message: `The Password Policy with domain name ${acct} cannot be found.`,
    });
  });

  // The alias's length and pattern are the model's (test/iam/sdk-validation.test.ts); this rule is not.
  test('an account alias may not look like an account id', () => {
    assert.equal(checkAccountAlias('my-company-1'), 'my-company-1');
    assert.throws(() => checkAccountAlias('123456789012'), {
      code: 'InvalidInput',
      message: 'The account alias cannot be a 12-digit number.',
    });
  });

  test('sign-in name resolves by id or alias', async () => {
    await accounts.createAlias(acct, 'sign-in-here');
    assert.equal((await accounts.findBySignInName('sign-in-here'))?.accountId, acct);
    assert.equal((await accounts.findBySignInName(acct))?.alias, 'sign-in-here');
    assert.equal(await accounts.findBySignInName('nobody-here'), undefined);
  });

  test('the root user changes its password with the old one', async () => {
    await assert.rejects(accounts.changeRootPassword(acct, 'wrong', 'N3w-Passw0rd!'), { code: 'InvalidInput' });
    await accounts.changeRootPassword(acct, 'Passw0rd!', 'N3w-Passw0rd!');
    assert.equal(await accounts.verifyRootPassword('a@example.com', 'Passw0rd!'), undefined);
    assert.equal((await accounts.verifyRootPassword('a@example.com', 'N3w-Passw0rd!'))?.accountId, acct);
  });
});
