/**
 * Billing tables (see `src/store/tables/billing.ts`). Line items carry no primary key: they are only ever
 * replaced a whole (account, billing period) at a time, and aggregated by SQL into the rollup table.
 */
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';

function withDimensions<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T> {
  return table
    .addColumn('owner_account_id', 'text', (c) => c.notNull())
    .addColumn('billing_period', 'text', (c) => c.notNull())
    .addColumn('payer_account_id', 'text', (c) => c.notNull())
    .addColumn('linked_account_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('usage_type', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull());
}

function withMetrics<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T> {
  return table
    .addColumn('unblended_cost', 'bigint', (c) => c.notNull())
    .addColumn('blended_cost', 'bigint', (c) => c.notNull())
    .addColumn('net_unblended_cost', 'bigint', (c) => c.notNull())
    .addColumn('amortized_cost', 'bigint', (c) => c.notNull())
    .addColumn('net_amortized_cost', 'bigint', (c) => c.notNull())
    .addColumn('list_cost', 'bigint', (c) => c.notNull())
    .addColumn('usage_quantity', 'double precision', (c) => c.notNull())
    .addColumn('normalized_usage_amount', 'double precision', (c) => c.notNull());
}

type AnyDb = Kysely<unknown>;

async function up(db: AnyDb): Promise<void> {
  await withMetrics(
    withDimensions(db.schema.createTable('billing_line_item'))
      .addColumn('import_id', 'text', (c) => c.notNull())
      .addColumn('billing_account_name', 'text')
      .addColumn('linked_account_name', 'text')
      .addColumn('charge_period_start', 'text', (c) => c.notNull())
      .addColumn('charge_period_end', 'text', (c) => c.notNull())
      .addColumn('usage_date', 'text', (c) => c.notNull())
      .addColumn('charge_category', 'text', (c) => c.notNull())
      .addColumn('charge_description', 'text')
      .addColumn('service_code', 'text')
      .addColumn('service_category', 'text')
      .addColumn('provider', 'text')
      .addColumn('invoice_issuer', 'text')
      .addColumn('invoice_id', 'text')
      .addColumn('availability_zone', 'text')
      .addColumn('sku_id', 'text')
      .addColumn('usage_unit', 'text')
      .addColumn('resource_id', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('tags', 'text'),
  ).execute();
  await db.schema
    .createIndex('billing_line_item_period')
    .on('billing_line_item')
    .columns(['owner_account_id', 'billing_period'])
    .execute();

  await withMetrics(
    withDimensions(db.schema.createTable('billing_cost_rollup'))
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('grain', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('tag_key', 'text', (c) => c.notNull())
      .addColumn('tag_value', 'text', (c) => c.notNull())
      .addColumn('line_items', 'bigint', (c) => c.notNull()),
  ).execute();
  // Queries always name a level, a grain and a time range (and a tag key for the tag level).
  await db.schema
    .createIndex('billing_cost_rollup_query')
    .on('billing_cost_rollup')
    .columns(['level', 'grain', 'tag_key', 'bucket'])
    .execute();
  // Most filtered questions name services; this lets them skip the other services' rows.
  await db.schema
    .createIndex('billing_cost_rollup_service')
    .on('billing_cost_rollup')
    .columns(['level', 'grain', 'tag_key', 'service', 'bucket'])
    .execute();
  await db.schema
    .createIndex('billing_cost_rollup_period')
    .on('billing_cost_rollup')
    .columns(['owner_account_id', 'billing_period'])
    .execute();

  await db.schema
    .createTable('billing_import')
    .addColumn('owner_account_id', 'text', (c) => c.notNull())
    .addColumn('billing_period', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('line_items', 'bigint', (c) => c.notNull())
    .addColumn('unblended_cost', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_import_pk', ['owner_account_id', 'billing_period'])
    .execute();

  await db.schema
    .createTable('billing_account_name')
    .addColumn('owner_account_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_account_name_pk', ['owner_account_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('billing_budget')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('budget_name', 'text', (c) => c.notNull())
    .addColumn('budget', 'text', (c) => c.notNull())
    .addColumn('notifications', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_budget_pk', ['account_id', 'budget_name'])
    .execute();

  await db.schema
    .createTable('billing_saved_report')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_saved_report_pk', ['account_id', 'report_id'])
    .execute();
}

async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'billing_saved_report',
    'billing_budget',
    'billing_account_name',
    'billing_import',
    'billing_cost_rollup',
    'billing_line_item',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

export const billingMigration: Migration = { up, down };
