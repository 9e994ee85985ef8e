/**
 * The Organizations area: the domain (`Organizations`), the SCP/RCP chains principal resolution consults,
 * and the API operations (`organizationsOperations` in src/operations/organizations).
 *
 * Wiring (composition root):
 * ```ts
 * const chains = createPolicyChains(db, { cache: dialect !== 'postgres' });
 * const resolver = new PrincipalResolver(iam, chains.scpChainFor);
 * const organizations = createOrganizations({ db, clock, ids, catalog, chains,
 *                                             onChainsChanged: (accountIds) => resolver.invalidate(accountIds) });
 * await organizations.load();             // optional: lets access() spell exact ARNs from the first request
 * registry.register(...organizationsOperations);   // services: { organizations, … }
 * ```
 * Every write that can change an account's chain bumps its `iam_accounts.policy_generation` in the same
 * transaction (other instances see it) and, after commit, drops this process's cached chains and calls
 * `onChainsChanged`. The billing console reads `org_accounts.iam_user_access_to_billing` directly.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { CatalogView } from '../policy/validate.js';
import type { Database } from '../store/schema.js';
import { iamMemberAccountProvisioner } from '../iam/member-accounts.js';
import { Organizations, type OrganizationLimits } from './organizations.js';
import type { PolicyChains } from './policy-chain.js';

export { Organizations } from './organizations.js';
export { createPolicyChains, type PolicyChain, type PolicyChains } from './policy-chain.js';

export interface CreateOrganizationsOptions {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdSource;
  chains: PolicyChains;
  catalog?: CatalogView;
  limits?: Partial<OrganizationLimits>;
  /** Told after commit which accounts' chains changed (wire principal resolution's invalidate here). */
  onChainsChanged?: (accountIds: string[]) => void;
}

export function createOrganizations(options: CreateOrganizationsOptions): Organizations {
  const { chains, onChainsChanged } = options;
  return new Organizations({
    db: options.db,
    clock: options.clock,
    ids: options.ids,
    provisioner: iamMemberAccountProvisioner(options.ids, options.clock),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    onChainsChanged: (accountIds) => {
      chains.invalidate(accountIds);
      onChainsChanged?.(accountIds);
    },
  });
}
