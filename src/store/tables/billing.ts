/**
 * Tables of the billing area. Money columns hold integer counts of 10⁻¹⁰ USD ("money units", the precision
 * of AWS's CUR and Cost Explorer figures); they are read back as exact decimal text (`CAST(SUM(x) AS TEXT)`),
 * never as JavaScript numbers. Usage quantities are not money and are stored as doubles.
 */
/** Integer money units on write (number when it is a safe integer, decimal text otherwise); text when read. */
export type MoneyColumn = number | string | bigint;

/** Cost columns shared by line items and rollups, named after the Cost Explorer metric they feed. */
export interface CostMetricColumns {
  unblended_cost: MoneyColumn;
  blended_cost: MoneyColumn;
  net_unblended_cost: MoneyColumn;
  amortized_cost: MoneyColumn;
  net_amortized_cost: MoneyColumn;
  list_cost: MoneyColumn;
  usage_quantity: number;
  normalized_usage_amount: number;
}

/** Dimensions shared by line items and rollups, named after the Cost Explorer dimension they answer. */
export interface CostDimensionColumns {
  owner_account_id: string;
  billing_period: string;
  payer_account_id: string;
  linked_account_id: string;
  service: string;
  region: string;
  usage_type: string;
  operation: string;
  record_type: string;
}

/** One FOCUS-shaped cost row; `owner_account_id` is the Bursar account the data was imported into. */
export interface BillingLineItemTable extends CostDimensionColumns, CostMetricColumns {
  import_id: string;
  billing_account_name: string | null;
  linked_account_name: string | null;
  charge_period_start: string;
  charge_period_end: string;
  usage_date: string;
  charge_category: string;
  charge_description: string | null;
  service_code: string | null;
  service_category: string | null;
  provider: string | null;
  invoice_issuer: string | null;
  invoice_id: string | null;
  availability_zone: string | null;
  sku_id: string | null;
  usage_unit: string | null;
  resource_id: string | null;
  currency: string;
  /** A flat JSON object of the row's tags, or null. */
  tags: string | null;
}

/**
 * Pre-computed sums. `level` names the set of dimensions kept (`svc`: payer, linked account, service, record
 * type; `full`: also region, usage type, operation; `tag`: `svc` plus one tag key and its value, `''` when
 * untagged); dimensions a level drops hold `''`. `grain` is `day` or `month`, `bucket` the day or month start.
 */
export interface BillingCostRollupTable extends CostDimensionColumns, CostMetricColumns {
  level: string;
  grain: string;
  bucket: string;
  tag_key: string;
  tag_value: string;
  line_items: number;
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
  billing_line_item: BillingLineItemTable;
  billing_cost_rollup: BillingCostRollupTable;
  billing_import: BillingImportTable;
  billing_account_name: BillingAccountNameTable;
  billing_budget: BillingBudgetTable;
  billing_saved_report: BillingSavedReportTable;
}
