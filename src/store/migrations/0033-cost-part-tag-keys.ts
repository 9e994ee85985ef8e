/**
 * Which tag keys each tag rollup part holds. A tag rollup counts a row under every key its import batch had, so a
 * question grouping by a key may read the rollup only where every batch in range had the key (cost-query.ts
 * `complete`); listing the keys here answers that with one indexed query, instead of reading the tag column of
 * every part in range. Keyed by the part's blob key, which no later version reuses. Parts written before this
 * migration get their rows at start (CostStore.recordTagKeys); until then a question reads line items.
 */
import type { Kysely, Migration } from 'kysely';

export const costPartTagKeysMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('billing_cost_part_tag_key')
      .addColumn('blob_key', 'text', (c) => c.notNull())
      .addColumn('tag_key', 'text', (c) => c.notNull())
      // The part's (owner, period), so replacing a period deletes its parts' rows with one indexed statement.
      .addColumn('owner_account_id', 'text', (c) => c.notNull())
      .addColumn('billing_period', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_cost_part_tag_key_pk', ['blob_key', 'tag_key'])
      .execute();
    await db.schema
      .createIndex('billing_cost_part_tag_key_period')
      .on('billing_cost_part_tag_key')
      .columns(['owner_account_id', 'billing_period'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('billing_cost_part_tag_key').ifExists().execute();
  },
};
