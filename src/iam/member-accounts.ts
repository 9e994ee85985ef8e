/**
 * Organizations' CreateAccount, on IAM's side: a Bursar account whose root user has no password (as AWS's:
 * its owner recovers it through "Forgot password"), and the cross-account role AWS creates in it — trusting
 * the management account, with an inline `AdministratorAccess` policy.
 *
 * It runs in the caller's transaction (IAM's services each open their own), so Organizations creates the
 * account, the role and the membership all or nothing, without writing IAM's tables itself.
 */
import type { Transaction } from 'kysely';
import { accountId as newAccountId, uniqueId, type IdSource } from '../platform/ids.js';
import type { Clock } from '../platform/clock.js';
import { lockRow } from '../store/locks.js';
import type { Database } from '../store/schema.js';

export interface NewMemberAccount {
  email: string;
  accountName: string;
  /** The role created in the new account that the management account may assume (`OrganizationAccountAccessRole`). */
  roleName: string;
  managementAccountId: string;
}

/**
 * Creates the Bursar account behind CreateAccount: a 12-digit account whose root user has no password
 * (as AWS's), and the role `roleName` trusting the management account with full administrator access.
 * Runs inside the caller's transaction so a failure leaves nothing behind.
 */
export interface MemberAccountProvisioner {
  createMemberAccount(trx: Transaction<Database>, request: NewMemberAccount): Promise<string>;
}

/** A stored password hash no password matches: the root user of a created account has none. */
const NO_PASSWORD = '';

export function iamMemberAccountProvisioner(ids: IdSource, clock: Clock): MemberAccountProvisioner {
  return {
    async createMemberAccount(trx: Transaction<Database>, request: NewMemberAccount): Promise<string> {
      let accountId: string | undefined;
      while (accountId === undefined) {
        const candidate = newAccountId(ids);
        const taken = await trx
          .selectFrom('iam_accounts')
          .select('account_id')
          .where('account_id', '=', candidate)
          .executeTakeFirst();
        if (!taken) accountId = candidate;
      }
      const now = clock.now().toISOString();
      await trx
        .insertInto('iam_accounts')
        .values({
          account_id: accountId,
          email: request.email.toLowerCase(),
          account_name: request.accountName,
          root_password_hash: NO_PASSWORD,
          created_at: now,
          root_password_last_used: null,
          policy_generation: 0,
        })
        .execute();
      const roleId = uniqueId(ids, 'AROA');
      await trx
        .insertInto('iam_roles')
        .values({
          role_id: roleId,
          account_id: accountId,
          name: request.roleName,
          name_key: request.roleName.toLowerCase(),
          path: '/',
          arn: `arn:aws:iam::${accountId}:role/${request.roleName}`,
          created_at: now,
          description: null,
          assume_role_policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${request.managementAccountId}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
          max_session_duration: 3600,
          permissions_boundary_arn: null,
          last_used_date: null,
          last_used_region: null,
        })
        .execute();
      await trx
        .insertInto('iam_inline_policies')
        .values({
          entity_type: 'role',
          entity_id: roleId,
          name: 'AdministratorAccess',
          name_key: 'administratoraccess',
          document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        })
        .execute();
      return accountId;
    },
  };
}

/**
 * Holds the account's row for the rest of the caller's transaction: Organizations' writes about an account
 * that has no organization yet take turns on it (store/locks.ts).
 */
export async function lockAccount(trx: Transaction<Database>, accountId: string): Promise<void> {
  await lockRow(trx, 'iam_accounts', 'account_id', accountId);
}

/** The account's email and name, read in the caller's transaction; undefined when there is no such account. */
export async function accountDetails(
  trx: Transaction<Database>,
  accountId: string,
): Promise<{ email: string; accountName: string } | undefined> {
  const row = await trx
    .selectFrom('iam_accounts')
    .select(['email', 'account_name'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row === undefined ? undefined : { email: row.email, accountName: row.account_name };
}

/** Whether an account already uses this email (emails are kept lower-case). */
export async function emailInUse(trx: Transaction<Database>, email: string): Promise<boolean> {
  const row = await trx
    .selectFrom('iam_accounts')
    .select('account_id')
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Bumps the accounts' policy generation in the caller's transaction, so every instance's principal cache
 * drops them (an SCP or RCP over them changed).
 */
export async function policiesChanged(trx: Transaction<Database>, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await trx
    .updateTable('iam_accounts')
    .set((eb) => ({ policy_generation: eb('policy_generation', '+', 1) }))
    .where('account_id', 'in', accountIds)
    .execute();
}

/** The account whose root user has this email (an invitation may name an account by it). */
export async function accountIdByEmail(trx: Transaction<Database>, email: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('iam_accounts')
    .select('account_id')
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row?.account_id;
}
