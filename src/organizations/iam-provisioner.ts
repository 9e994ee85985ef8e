/**
 * CreateAccount's account, written in the caller's transaction: a Bursar account whose root user has no
 * password (as AWS's: its owner recovers it through "Forgot password"), and the cross-account role AWS
 * creates in it — trusting the management account, with an inline `AdministratorAccess` policy.
 *
 * It writes the IAM area's rows directly because IAM's services each open their own transaction, and
 * CreateAccount must create the account, the role and the membership all or nothing.
 */
import type { Transaction } from 'kysely';
import { accountId as newAccountId, uniqueId, type IdSource } from '../platform/ids.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../store/schema.js';
import type { MemberAccountProvisioner, NewMemberAccount } from './organizations.js';

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
