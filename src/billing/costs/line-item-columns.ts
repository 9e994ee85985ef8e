/**
 * The columnar shape of a stored cost line item: the one column list that every writer of cost data (the demo
 * generator's appender, the file importers' SQL) produces and the DuckDB cost engine stores and queries. Names
 * follow Cost Explorer's dimensions and metrics; see cost-line-item.ts for what each field means.
 *
 * Money columns are BIGINT counts of 10⁻¹⁰ USD ("money units", money.ts); DuckDB sums them into HUGEINT, so
 * totals stay exact. Usage quantities are DOUBLE. `usage_date` is the UTC day of `charge_period_start`.
 */
export const LINE_ITEM_COLUMNS = [
  ['billing_period', 'VARCHAR'], // `YYYY-MM`
  ['payer_account_id', 'VARCHAR'],
  ['linked_account_id', 'VARCHAR'],
  ['service', 'VARCHAR'],
  ['region', 'VARCHAR'],
  ['usage_type', 'VARCHAR'],
  ['operation', 'VARCHAR'],
  ['record_type', 'VARCHAR'],
  ['billing_account_name', 'VARCHAR'],
  ['linked_account_name', 'VARCHAR'],
  ['charge_period_start', 'VARCHAR'], // ISO-8601 UTC, inclusive
  ['charge_period_end', 'VARCHAR'], // ISO-8601 UTC, exclusive
  ['usage_date', 'DATE'],
  ['charge_category', 'VARCHAR'],
  ['charge_description', 'VARCHAR'],
  ['service_code', 'VARCHAR'],
  ['service_category', 'VARCHAR'],
  ['provider', 'VARCHAR'],
  ['invoice_issuer', 'VARCHAR'],
  ['invoice_id', 'VARCHAR'],
  ['availability_zone', 'VARCHAR'],
  ['sku_id', 'VARCHAR'],
  ['usage_unit', 'VARCHAR'],
  ['resource_id', 'VARCHAR'],
  ['currency', 'VARCHAR'],
  ['tags', 'MAP(VARCHAR, VARCHAR)'], // NULL when the row has no tags
  ['unblended_cost', 'BIGINT'],
  ['blended_cost', 'BIGINT'],
  ['net_unblended_cost', 'BIGINT'],
  ['amortized_cost', 'BIGINT'],
  ['net_amortized_cost', 'BIGINT'],
  ['list_cost', 'BIGINT'],
  ['usage_quantity', 'DOUBLE'],
  ['normalized_usage_amount', 'DOUBLE'],
] as const satisfies readonly (readonly [string, string])[];

export type LineItemColumn = (typeof LINE_ITEM_COLUMNS)[number][0];

/** Money columns (BIGINT money units), named after the Cost Explorer metric each feeds. */
export const MONEY_COLUMNS = [
  'unblended_cost',
  'blended_cost',
  'net_unblended_cost',
  'amortized_cost',
  'net_amortized_cost',
  'list_cost',
] as const satisfies readonly LineItemColumn[];
/** Usage quantities (DOUBLE: not money). */
export const QUANTITY_COLUMNS = [
  'usage_quantity',
  'normalized_usage_amount',
] as const satisfies readonly LineItemColumn[];
export const METRIC_COLUMNS = [...MONEY_COLUMNS, ...QUANTITY_COLUMNS] as const;

/** The columns that answer Cost Explorer's dimensions (see cost-query.ts DIMENSIONS). */
export const DIMENSION_COLUMNS = [
  'payer_account_id',
  'linked_account_id',
  'service',
  'region',
  'usage_type',
  'operation',
  'record_type',
] as const satisfies readonly LineItemColumn[];
export type DimensionColumn = (typeof DIMENSION_COLUMNS)[number];
