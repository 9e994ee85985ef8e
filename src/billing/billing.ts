/**
 * The billing area's services, as operations receive them: cost writes (CostStore), cost questions
 * (CostQueries) and the caller's visibility (CostScope, from the injected Organizations lookup).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { costScopeOf, noOrganizations } from './costs/cost-scope.js';
import type { CostScope, OrganizationLookup } from './costs/cost-scope.js';
import { CostQueries } from './costs/cost-query.js';
import type { CostRow } from './costs/cost-query.js';
import { CostEngine } from './costs/cost-engine.js';
import { blobStoreOf, openBlobStore } from './costs/blobs/blob-store.js';
import type { BlobStore } from './costs/blobs/blob-store.js';
import { CostStore } from './costs/cost-store.js';
import type { Dialect } from '../store/database.js';
import { join } from 'node:path';
import type { CostConfig } from '../platform/config.js';
import { cryptoIdSource, type IdSource } from '../platform/ids.js';
import { BoundedCache } from '../platform/bounded-cache.js';

/** The last few paged GetCostAndUsage results, kept a minute for their next pages. */
export class PageCache {
  private readonly entries = new BoundedCache<string, { rows: CostRow[]; until: number }>(8);

  get(key: string, now: Date): CostRow[] | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.until > now.getTime() ? entry.rows : undefined;
  }

  set(key: string, rows: CostRow[], now: Date): void {
    this.entries.set(key, { rows, until: now.getTime() + 60_000 });
  }
}

/** Where cost parts live and how much memory the cost engine may use (see CostConfig). */
export interface BillingCostOptions {
  /** The blob store of cost parts; by default the one this process uses for `db` (a temporary directory). */
  blobs?: BlobStore;
  /** DuckDB's memory cap (BURSAR_COST_MEMORY_LIMIT). */
  memoryLimit?: string;
}

/** The blob store a server or `bursar import` configures: BURSAR_COST_STORE, or `<data dir>/cost-parts`. */
export function configuredBlobStore(costs: CostConfig, dataDir: string): BlobStore {
  return openBlobStore({
    location: costs.store ?? join(dataDir, 'cost-parts'),
    ...(costs.endpoint === undefined ? {} : { endpoint: costs.endpoint }),
    ...(costs.region === undefined ? {} : { region: costs.region }),
    ...(costs.credentials === undefined ? {} : { credentials: costs.credentials }),
  });
}

export class Billing {
  readonly store: CostStore;
  readonly queries: CostQueries;
  /** The in-process columnar engine (DuckDB) over this store's cost parts. */
  readonly engine: CostEngine;
  readonly pageCache = new PageCache();

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly organizations: OrganizationLookup = noOrganizations,
    /** How many result groups one GetCostAndUsage page holds before NextPageToken. */
    readonly costPageSize = 5000,
    /** Where import ids and partition versions come from (a seeded source in tests). */
    readonly ids: IdSource = cryptoIdSource,
    costs: BillingCostOptions = {},
  ) {
    this.engine = new CostEngine(db, blobStoreOf(db, costs.blobs), {
      ...(costs.memoryLimit === undefined ? {} : { memoryLimit: costs.memoryLimit }),
    });
    this.store = new CostStore(db, this.engine, ids);
    this.queries = new CostQueries(db, this.engine);
  }

  /**
   * At start: moves cost data stored before the blob store into it (once), lists the tag keys of tag rollup parts
   * written before they were listed (once), and deletes blobs no part names (a killed import's, replaced
   * periods'). Returns what it did, for the log.
   */
  async start(): Promise<{ backfilled: number; tagKeysListed: number; orphans: number }> {
    const backfilled = await this.store.backfill();
    const tagKeysListed = await this.store.recordTagKeys();
    const orphans = (await this.store.collectOrphans()).length;
    return { backfilled, tagKeysListed, orphans };
  }

  /** Releases the engine's DuckDB memory and local files (the relational store keeps the data). */
  close(): Promise<void> {
    return this.engine.close();
  }

  scopeOf(accountId: string): Promise<CostScope> {
    return costScopeOf(accountId, this.organizations);
  }
}

/** What billing operations need from the composition root. */
export interface BillingServices {
  billing: Billing;
}
