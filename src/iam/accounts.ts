/**
 * Accounts: sign-up (a 12-digit account and its root user), root sign-in, the account alias and the
 * account password policy.
 */
import type { PasswordPolicy } from '../contracts/iam.js';
import type { UpdateAccountPasswordPolicyRequest } from '../contracts/wire/iam.js';
import { accountId as newAccountId } from '../platform/ids.js';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity, passwordPolicyViolation } from './errors.js';
import type { Db, IamContext, Trx } from './context.js';
import { hashPassword, spendDecoyCheck, verifyPassword } from './passwords.js';
import { checkAccountAlias } from './validation.js';
import { uniqueViolation } from '../store/dialect.js';

export interface Account {
  accountId: string;
  email: string;
  accountName: string;
  createdAt: Date;
  alias?: string;
  /** When the root user last signed in with its password (absent: never). */
  rootPasswordLastUsed?: Date;
}

export interface SignUpInput {
  email: string;
  password: string;
  accountName: string;
  /** A fixed id (bootstrap, tests); otherwise a random 12-digit id. */
  accountId?: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SYMBOLS = /[!@#$%^&*()_+\-=[\]{}|']/;

/** Whether the installation has any account yet (bootstrap asks, in its own transaction). */
export async function anyAccountExists(db: Db | Trx): Promise<boolean> {
  return (await db.selectFrom('iam_accounts').select('account_id').limit(1).executeTakeFirst()) !== undefined;
}

export class AccountService {
  constructor(private readonly ctx: IamContext) {}

  /** Creates the account and its root user; given a transaction (bootstrap), inside it. */
  async signUp(input: SignUpInput, db: Db | Trx = this.ctx.db): Promise<Account> {
    const email = input.email?.trim().toLowerCase();
    if (!email || !EMAIL_PATTERN.test(email)) throw invalidInput('The email address is not valid.');
    const accountName = input.accountName?.trim();
    if (!accountName || accountName.length > 50) throw invalidInput('The account name must be 1 to 50 characters.');
    checkRootPassword(input.password);
    if (input.accountId !== undefined && !/^\d{12}$/.test(input.accountId)) {
      throw invalidInput('The account id must be 12 digits.');
    }
    const existing = await db
      .selectFrom('iam_accounts')
      .select('account_id')
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing) throw entityAlreadyExists('An account with this email address already exists.');
    const hash = await hashPassword(input.password, this.ctx.ids, this.ctx.passwordHashCost);
    let accountId = input.accountId;
    while (accountId === undefined) {
      const candidate = newAccountId(this.ctx.ids);
      const taken = await db
        .selectFrom('iam_accounts')
        .select('account_id')
        .where('account_id', '=', candidate)
        .executeTakeFirst();
      if (!taken) accountId = candidate;
    }
    const createdAt = this.ctx.nowIso();
    await db
      .insertInto('iam_accounts')
      .values({
        account_id: accountId,
        email,
        account_name: accountName,
        root_password_hash: hash,
        created_at: createdAt,
        root_password_last_used: null,
        policy_generation: 0,
      })
      .execute()
      .catch((error: unknown) => {
        throw uniqueViolation(error)
          ? entityAlreadyExists('An account with this email address already exists.')
          : error;
      });
    return { accountId, email, accountName, createdAt: new Date(createdAt) };
  }

  async get(accountId: string): Promise<Account | undefined> {
    const row = await this.ctx.db
      .selectFrom('iam_accounts')
      .leftJoin('iam_account_aliases', 'iam_account_aliases.account_id', 'iam_accounts.account_id')
      .select(['iam_accounts.account_id', 'email', 'account_name', 'created_at', 'alias', 'root_password_last_used'])
      .where('iam_accounts.account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accountId: row.account_id,
      email: row.email,
      accountName: row.account_name,
      createdAt: new Date(row.created_at),
      ...(row.alias ? { alias: row.alias } : {}),
      ...(row.root_password_last_used ? { rootPasswordLastUsed: new Date(row.root_password_last_used) } : {}),
    };
  }

  async require(accountId: string): Promise<Account> {
    const account = await this.get(accountId);
    if (!account) throw noSuchEntity(`The account ${accountId} cannot be found.`);
    return account;
  }

  /** The account whose sign-in page this is: by 12-digit id or by alias. */
  async findBySignInName(idOrAlias: string): Promise<Account | undefined> {
    if (/^\d{12}$/.test(idOrAlias)) return this.get(idOrAlias);
    const row = await this.ctx.db
      .selectFrom('iam_account_aliases')
      .select('account_id')
      .where('alias', '=', idOrAlias.toLowerCase())
      .executeTakeFirst();
    return row ? this.get(row.account_id) : undefined;
  }

  async list(): Promise<Account[]> {
    const rows = await this.ctx.db.selectFrom('iam_accounts').select('account_id').orderBy('created_at').execute();
    return Promise.all(rows.map((r) => this.require(r.account_id)));
  }

  /** Root sign-in: the account when email and password match, otherwise undefined (never which one failed). */
  async verifyRootPassword(email: string, password: string): Promise<Account | undefined> {
    const row = await this.ctx.db
      .selectFrom('iam_accounts')
      .select(['account_id', 'root_password_hash'])
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    if (!row) {
      await spendDecoyCheck(password, this.ctx.passwordHashCost);
      return undefined;
    }
    if (!(await verifyPassword(password, row.root_password_hash))) return undefined;
    await this.ctx.db
      .updateTable('iam_accounts')
      .set({ root_password_last_used: this.ctx.nowIso() })
      .where('account_id', '=', row.account_id)
      .execute();
    return this.get(row.account_id);
  }

  async changeRootPassword(accountId: string, oldPassword: string, newPassword: string): Promise<void> {
    const row = await this.ctx.db
      .selectFrom('iam_accounts')
      .select('root_password_hash')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row || !(await verifyPassword(oldPassword, row.root_password_hash))) {
      throw invalidInput('The old password is incorrect.');
    }
    checkRootPassword(newPassword);
    const hash = await hashPassword(newPassword, this.ctx.ids, this.ctx.passwordHashCost);
    await this.ctx.db
      .updateTable('iam_accounts')
      .set({ root_password_hash: hash })
      .where('account_id', '=', accountId)
      .execute();
  }

  /** SetSecurityTokenServicePreferences: which session tokens the global STS endpoint issues (v1 or v2). */
  async setGlobalEndpointTokenVersion(accountId: string, version: 'v1Token' | 'v2Token'): Promise<void> {
    await this.ctx.db
      .updateTable('iam_accounts')
      .set({ global_endpoint_token_version: version === 'v2Token' ? 2 : 1 })
      .where('account_id', '=', accountId)
      .execute();
  }

  // --- account alias (one per account, unique across the installation) ---

  async createAlias(accountId: string, aliasInput: string): Promise<void> {
    const alias = checkAccountAlias(aliasInput);
    await this.ctx.write(accountId, async (trx) => {
      const owner = await trx
        .selectFrom('iam_account_aliases')
        .select('account_id')
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (owner?.account_id === accountId) return;
      if (owner) throw entityAlreadyExists(`The account alias ${alias} already exists.`);
      const current = await trx
        .selectFrom('iam_account_aliases')
        .select('alias')
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (current) throw limitExceeded('Cannot exceed quota for AccountAliasesPerAccount: 1');
      await trx.insertInto('iam_account_aliases').values({ alias, account_id: accountId }).execute();
    });
  }

  async listAliases(accountId: string): Promise<string[]> {
    const rows = await this.ctx.db
      .selectFrom('iam_account_aliases')
      .select('alias')
      .where('account_id', '=', accountId)
      .execute();
    return rows.map((r) => r.alias);
  }

  async deleteAlias(accountId: string, aliasInput: string): Promise<void> {
    const alias = checkAccountAlias(aliasInput);
    const result = await this.ctx.db
      .deleteFrom('iam_account_aliases')
      .where('alias', '=', alias)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
  }

  // --- password policy ---

  async getPasswordPolicy(accountId: string): Promise<PasswordPolicy | undefined> {
    const row = await this.ctx.db
      .selectFrom('iam_password_policies')
      .select('policy')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.policy) as PasswordPolicy) : undefined;
  }

  async requirePasswordPolicy(accountId: string): Promise<PasswordPolicy> {
    const policy = await this.getPasswordPolicy(accountId);
    if (!policy) throw noSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);
    return policy;
  }

  async updatePasswordPolicy(accountId: string, input: UpdateAccountPasswordPolicyRequest): Promise<void> {
    const policy = parsePasswordPolicy(input);
    const text = JSON.stringify(policy);
    await this.ctx.write(accountId, async (trx) => {
      const updated = await trx
        .updateTable('iam_password_policies')
        .set({ policy: text })
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await trx.insertInto('iam_password_policies').values({ account_id: accountId, policy: text }).execute();
      }
    });
  }

  async deletePasswordPolicy(accountId: string): Promise<void> {
    const result = await this.ctx.db
      .deleteFrom('iam_password_policies')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw noSuchEntity(`The account policy with name PasswordPolicy cannot be found.`);
    }
  }

  /** Rejects an IAM user's new password that the account's policy (or, without one, AWS's default) refuses. */
  async checkUserPassword(accountId: string, password: unknown, userName: string): Promise<string> {
    if (typeof password !== 'string' || password.length === 0) throw invalidInput('Password must not be empty.');
    if (password.length > 128) throw passwordPolicyViolation('Password should have at most 128 characters');
    const policy = await this.getPasswordPolicy(accountId);
    if (!policy) {
      // AWS's default policy: at least 8 characters, three of the four character types, not the user name.
      const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, SYMBOLS].filter((re) => re.test(password)).length;
      if (password.length < 8) throw passwordPolicyViolation('Password should have a minimum length of 8');
      if (kinds < 3) {
        throw passwordPolicyViolation(
          'Password should include at least three of: uppercase letters, lowercase letters, numbers, symbols',
        );
      }
      if (password.toLowerCase() === userName.toLowerCase())
        throw passwordPolicyViolation('Password must not be your user name');
      return password;
    }
    if (password.length < policy.MinimumPasswordLength) {
      throw passwordPolicyViolation(`Password should have a minimum length of ${policy.MinimumPasswordLength}`);
    }
    if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) {
      throw passwordPolicyViolation('Password should have at least one uppercase letter');
    }
    if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) {
      throw passwordPolicyViolation('Password should have at least one lowercase letter');
    }
    if (policy.RequireNumbers && !/[0-9]/.test(password))
      throw passwordPolicyViolation('Password should have at least one number');
    if (policy.RequireSymbols && !SYMBOLS.test(password))
      throw passwordPolicyViolation('Password should have at least one symbol');
    return password;
  }
}

function checkRootPassword(password: unknown): void {
  if (typeof password !== 'string' || password.length < 8 || password.length > 128) {
    throw invalidInput('The password must be 8 to 128 characters.');
  }
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 3) {
    throw invalidInput(
      'The password must include at least three of: uppercase letters, lowercase letters, numbers, symbols.',
    );
  }
}

/** The policy to keep, with AWS's defaults; the members' ranges are the model's, checked by invoke(). */
function parsePasswordPolicy(input: UpdateAccountPasswordPolicyRequest): PasswordPolicy {
  const { MaxPasswordAge: maxAge, PasswordReusePrevention: reuse } = input;
  return {
    MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
    RequireSymbols: input.RequireSymbols === true,
    RequireNumbers: input.RequireNumbers === true,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters === true,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters === true,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword === true,
    ExpirePasswords: maxAge !== undefined,
    ...(maxAge !== undefined ? { MaxPasswordAge: maxAge } : {}),
    ...(reuse !== undefined ? { PasswordReusePrevention: reuse } : {}),
    ...(input.HardExpiry !== undefined ? { HardExpiry: input.HardExpiry } : {}),
  };
}
