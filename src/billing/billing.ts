/**
 * The billing area's services, as operations receive them: cost writes (CostStore), cost questions
 * (CostQueries) and the caller's visibility (CostScope, from the injected Organizations lookup).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { costScopeOf, noOrganizations } from './cost-scope.js';
import type { CostScope, OrganizationLookup } from './cost-scope.js';
import { CostQueries } from './cost-query.js';
import { CostStore } from './cost-store.js';
import type { SqlDialect } from './cost-store.js';

export class Billing {
  readonly store: CostStore;
  readonly queries: CostQueries;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: SqlDialect,
    private readonly organizations: OrganizationLookup = noOrganizations,
    /** How many result groups one GetCostAndUsage page holds before NextPageToken. */
    readonly costPageSize = 5000,
  ) {
    this.store = new CostStore(db, dialect);
    this.queries = new CostQueries(db, dialect);
  }

  scopeOf(accountId: string): Promise<CostScope> {
    return costScopeOf(accountId, this.organizations);
  }
}

/** What billing operations need from the composition root. */
export interface BillingServices {
  billing: Billing;
}
