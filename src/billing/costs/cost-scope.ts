/**
 * Whose costs a caller may see, as AWS consolidated billing has it: an account sees the cost data it owns
 * (imported into it, or generated for it); the management account of an organization also sees everything
 * its member accounts own; a member also sees its own usage inside its management account's data.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

export interface CostScope {
  /** Owners whose whole data is visible. */
  owners: string[];
  /** A slice of another owner's data: the rows of `owner` whose usage account is `linkedAccountId`. */
  slice?: { owner: string; linkedAccountId: string };
}

/** The membership questions billing asks of Organizations (injected; a standalone install has none). */
export interface OrganizationLookup {
  /** The account's organization: its management account and every member (the management account included). */
  organizationOf(accountId: string): Promise<{ managementAccountId: string; memberAccountIds: string[] } | undefined>;
}

export const noOrganizations: OrganizationLookup = { organizationOf: async () => undefined };

/** Reads membership from the Organizations area's tables (read-only). */
export function storeOrganizationLookup(db: Kysely<Database>): OrganizationLookup {
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
  };
}

export async function costScopeOf(accountId: string, organizations: OrganizationLookup): Promise<CostScope> {
  const organization = await organizations.organizationOf(accountId);
  if (organization === undefined) return { owners: [accountId] };
  if (organization.managementAccountId === accountId) {
    return { owners: [...new Set([accountId, ...organization.memberAccountIds])] };
  }
  return { owners: [accountId], slice: { owner: organization.managementAccountId, linkedAccountId: accountId } };
}
