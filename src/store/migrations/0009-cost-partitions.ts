/**
 * Cost data moves to the columnar cost engine (src/billing/costs/cost-engine.ts): each imported (account, billing
 * period) is stored as one or more ZSTD Parquet files, kept here as blobs so that every server on one database
 * sees the same data and an import stays one relational transaction. The row-per-line-item table and its SQL
 * rollups are dropped; cost data imported before this migration must be imported again.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

type AnyDb = Kysely<unknown>;

async function up(db: AnyDb): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('billing_cost_partition')
    .addColumn('owner_account_id', 'text', (c) => c.notNull())
    .addColumn('billing_period', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    // Changes with every import of the period: the engine reloads a period whose version it does not hold.
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('line_items', 'bigint', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_cost_partition_pk', ['owner_account_id', 'billing_period', 'part'])
    .execute();
  await db.schema.dropTable('billing_cost_rollup').ifExists().execute();
  await db.schema.dropTable('billing_line_item').ifExists().execute();
}

async function down(db: AnyDb): Promise<void> {
  // Parquet partitions are not turned back into rows: 0003's tables are not re-created, so reverting past
  // 0009 means re-creating the database and importing again.
  await db.schema.dropTable('billing_cost_partition').ifExists().execute();
}

export const costPartitionsMigration: Migration = { up, down };
