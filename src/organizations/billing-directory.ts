/**
 * What billing asks of Organizations, answered from this area's tables: billing sits below Organizations, so it
 * declares the questions (OrganizationLookup for whose costs an account sees, MemberAccountOrigin for a member
 * account's first Billing console settings) and this implements them; world.ts wires the two.
 */
import type { Kysely } from 'kysely';
import type { MemberAccountOrigin } from '../billing/console-gates/settings.js';
import type { OrganizationLookup } from '../billing/costs/cost-scope.js';
import type { Database } from '../store/schema.js';

export function billingDirectory(db: Kysely<Database>): OrganizationLookup & MemberAccountOrigin {
  return {
    async organizationOf(accountId) {
      const membership = await db
        .selectFrom('org_accounts')
        .innerJoin('org_organizations', 'org_organizations.organization_id', 'org_accounts.organization_id')
        .select(['org_accounts.organization_id', 'org_organizations.management_account_id'])
        .where('org_accounts.account_id', '=', accountId)
        .executeTakeFirst();
      if (membership === undefined) return undefined;
      const members = await db
        .selectFrom('org_accounts')
        .select('account_id')
        .where('organization_id', '=', membership.organization_id)
        .execute();
      return {
        managementAccountId: membership.management_account_id,
        memberAccountIds: members.map((m) => m.account_id),
      };
    },

    async createdWithIamAccessToBilling(trx, accountId) {
      const member = await trx
        .selectFrom('org_accounts')
        .select(['joined_method', 'iam_user_access_to_billing'])
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return member?.joined_method === 'CREATED' && member.iam_user_access_to_billing !== 'DENY';
    },
  };
}
