/**
 * Cost parts move out of the relational store into a blob store (a directory or an S3-compatible object store):
 * `billing_cost_part` lists each part (line item or rollup Parquet file) of each imported (account, billing
 * period) and the key of its bytes, so the relational store stays the one source of truth for which parts exist,
 * and an import stays one transaction. Rollups are parts too, computed at import, so a starting server answers
 * from them without reading line items. `billing_cost_hold` keeps blobs no part names yet (an import in flight)
 * or any more (a replaced period, for questions still reading it) from the orphan collector.
 *
 * Data of 0009's `billing_cost_partition` is not moved here (a migration imports no area code and knows no blob
 * store): the cost engine backfills it at start, period by period, and deletes each moved partition row.
 */
import type { Kysely, Migration } from 'kysely';

type AnyDb = Kysely<unknown>;

async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('billing_cost_part')
    .addColumn('owner_account_id', 'text', (c) => c.notNull())
    .addColumn('billing_period', 'text', (c) => c.notNull())
    // `line_items`, or the rollup's name (`svc_day`, `tag_month`, …).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('line_items', 'bigint', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    // Usage dates the period covers (`YYYY-MM-DD`), so a question skips periods outside its range unread.
    .addColumn('first_day', 'text', (c) => c.notNull())
    .addColumn('last_day', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_cost_part_pk', ['owner_account_id', 'billing_period', 'kind', 'part'])
    .execute();
  await db.schema
    .createTable('billing_cost_hold')
    .addColumn('version', 'text', (c) => c.primaryKey())
    // The importing process (`host`, `pid`), so a restart on its host collects a killed import's blobs at once;
    // NULL for a replaced version, kept for `expires_at` only.
    .addColumn('holder_host', 'text')
    .addColumn('holder_pid', 'integer')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('billing_cost_hold').ifExists().execute();
  await db.schema.dropTable('billing_cost_part').ifExists().execute();
}

export const costPartsMigration: Migration = { up, down };
