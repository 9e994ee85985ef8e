/**
 * Tables of the billing area. Cost line items live in the columnar cost engine (src/billing/costs/cost-engine.ts);
 * this store keeps them as Parquet blobs per imported (account, billing period), the single source of truth
 * every server reads. Money in these tables is exact decimal text; the engine sums integer money units.
 */
/** One Parquet file (ZSTD, at most about a million rows) of one imported (account, billing period). */
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
  billing_import: BillingImportTable;
  billing_account_name: BillingAccountNameTable;
  billing_budget: BillingBudgetTable;
  billing_saved_report: BillingSavedReportTable;
}
