/**
 * Tables of the billing area. Cost line items live in the columnar cost engine (src/billing/costs/cost-engine.ts);
 * this store keeps them as Parquet blobs per imported (account, billing period), the single source of truth
 * every server reads. Money in these tables is exact decimal text; the engine sums integer money units.
 */
/**
 * One Parquet file (ZSTD, at most about a million rows) of one imported (account, billing period), from before
 * the blob store (0017): the cost engine moves these to billing_cost_part at start.
 */
export interface BillingCostPartitionTable {
  owner_account_id: string;
  billing_period: string;
  part: number;
  /** New with every import of the period; the engine reloads a period whose version it does not hold. */
  version: string;
  import_id: string;
  line_items: number | string | bigint;
  data: Buffer;
}

/**
 * One part (a Parquet file) of one imported (account, billing period): its line items, or one of its rollups
 * (`kind`); the bytes are in the cost blob store under `blob_key`.
 */
export interface BillingCostPartTable {
  owner_account_id: string;
  billing_period: string;
  kind: string;
  part: number;
  /** New with every import of the period; its blobs' keys carry it. */
  version: string;
  import_id: string;
  /** Rows in the part (line items, or rollup rows). */
  line_items: number | string | bigint;
  bytes: number | string | bigint;
  first_day: string;
  last_day: string;
  blob_key: string;
}

/** A tag key one tag rollup part (`blob_key`) holds rows for. */
export interface BillingCostPartTagKeyTable {
  blob_key: string;
  tag_key: string;
  owner_account_id: string;
  billing_period: string;
}

/** A version whose blobs the orphan collector keeps: an import in flight, or a just-replaced period. */
export interface BillingCostHoldTable {
  version: string;
  holder_host: string | null;
  holder_pid: number | null;
  expires_at: string;
}

/** One row per imported (account, billing period): what replaced what, and when. */
export interface BillingImportTable {
  owner_account_id: string;
  billing_period: string;
  import_id: string;
  source: string;
  format: string;
  line_items: number;
  unblended_cost: string;
  imported_at: string;
}

/** Display names of the accounts seen in imported data (for DimensionValueAttributes and bills). */
export interface BillingAccountNameTable {
  owner_account_id: string;
  account_id: string;
  account_name: string;
}

/** AWS Budgets: the budget as AWS's `Budget` shape (JSON) and its notifications with subscribers (JSON). */
export interface BillingBudgetTable {
  account_id: string;
  budget_name: string;
  budget: string;
  notifications: string;
  /** The budget's resource tags, `[{Key, Value}]` as JSON. */
  tags: string;
  created_at: string;
  updated_at: string;
}

/** Saved Cost Explorer reports: a name and a GetCostAndUsage request (JSON). */
export interface BillingSavedReportTable {
  account_id: string;
  report_id: string;
  name: string;
  query: string;
  created_at: string;
  updated_at: string;
}

export interface BillingTables {
  billing_cost_partition: BillingCostPartitionTable;
  billing_cost_part: BillingCostPartTable;
  billing_cost_part_tag_key: BillingCostPartTagKeyTable;
  billing_cost_hold: BillingCostHoldTable;
  billing_import: BillingImportTable;
  billing_account_name: BillingAccountNameTable;
  billing_budget: BillingBudgetTable;
  billing_saved_report: BillingSavedReportTable;
}
