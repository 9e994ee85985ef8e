/**
 * The console's sign-in questions answered by the IAM service: sign-up, root and IAM-user passwords,
 * MFA devices and codes, the account alias.
 */
import type { AccountService } from '../iam/accounts.js';
import type { IamContext } from '../iam/context.js';
import { LoginProfileService } from '../iam/login-profiles.js';
import { MfaService } from '../iam/mfa.js';
import { hashPassword, verifyPassword } from '../iam/passwords.js';
import type { Caller } from '../core/operation.js';
import type { ConsoleAccounts, PasswordMatch } from './ports.js';

export function iamConsoleAccounts(iam: IamContext, accounts: AccountService): ConsoleAccounts {
  const profiles = new LoginProfileService(iam, accounts);
  const mfa = new MfaService(iam);
  // A wrong account or user name costs the same password hash as a wrong password, so timing tells nothing.
  let decoy: Promise<string> | undefined;
  const spendHash = async (password: string) => {
    decoy ??= hashPassword('decoy-password', iam.ids, iam.passwordHashCost);
    await verifyPassword(password, await decoy);
  };

  return {
    async signUp(input) {
      return accounts.signUp(input);
    },

    async authenticateRoot(email, password): Promise<PasswordMatch | null> {
      const account = await accounts.verifyRootPassword(email, password);
      if (account === undefined) return null;
      const caller: Caller = {
        kind: 'root',
        accountId: account.accountId,
        arn: `arn:aws:iam::${account.accountId}:root`,
        userId: account.accountId,
      };
      return { caller, passwordResetRequired: false, hasMfaDevice: await mfa.hasMfa(account.accountId, 'root') };
    },

    async accountIdFor(signInName) {
      return (await accounts.findBySignInName(signInName))?.accountId ?? null;
    },

    async authenticateUser(accountName, userName, password): Promise<PasswordMatch | null> {
      const account = await accounts.findBySignInName(accountName);
      if (account === undefined) {
        await spendHash(password);
        return null;
      }
      const verified = await profiles.verify(account.accountId, userName, password);
      if (verified === undefined) return null;
      const { user } = verified;
      const caller: Caller = {
        kind: 'user',
        accountId: user.account_id,
        arn: user.arn,
        userId: user.user_id,
        name: user.name,
      };
      return {
        caller,
        passwordResetRequired: verified.passwordResetRequired,
        hasMfaDevice: await mfa.hasMfa(user.account_id, user.user_id),
      };
    },

    verifyMfaCode: (caller, code, now) => mfa.verify(caller, undefined, code, now),

    async accountAlias(accountId) {
      return (await accounts.get(accountId))?.alias ?? null;
    },
  };
}
