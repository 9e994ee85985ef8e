/**
 * Whose costs a caller may see, as AWS consolidated billing has it: an account sees the cost data it owns
 * (imported into it, or generated for it); the management account of an organization also sees everything
 * its member accounts own; a member also sees its own usage inside its management account's data.
 */
export interface CostScope {
  /** Owners whose whole data is visible. */
  owners: string[];
  /** A slice of another owner's data: the rows of `owner` whose usage account is `linkedAccountId`. */
  slice?: { owner: string; linkedAccountId: string };
}

/**
 * The membership questions billing asks of Organizations: a port, implemented by the Organizations area
 * (src/organizations/billing-directory.ts) and wired in world.ts; a standalone install has none.
 */
export interface OrganizationLookup {
  /** The account's organization: its management account and every member (the management account included). */
  organizationOf(accountId: string): Promise<{ managementAccountId: string; memberAccountIds: string[] } | undefined>;
}

/**
 * The account whose cost allocation tag activation applies to a scope's data: the management account of an
 * organization (it alone manages the tags, for every member), else the account itself.
 */
export const payerOf = (scope: CostScope): string => scope.slice?.owner ?? scope.owners[0]!;

export const noOrganizations: OrganizationLookup = { organizationOf: async () => undefined };

export async function costScopeOf(accountId: string, organizations: OrganizationLookup): Promise<CostScope> {
  const organization = await organizations.organizationOf(accountId);
  if (organization === undefined) return { owners: [accountId] };
  if (organization.managementAccountId === accountId) {
    return { owners: [...new Set([accountId, ...organization.memberAccountIds])] };
  }
  return { owners: [accountId], slice: { owner: organization.managementAccountId, linkedAccountId: accountId } };
}
