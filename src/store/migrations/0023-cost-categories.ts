/** Cost Explorer's cost categories, per account (see `src/store/tables/ce.ts`). */
import type { Kysely, Migration } from 'kysely';

export const costCategoriesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ce_cost_category')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('category_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('effective_start', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ce_cost_category_pk', ['account_id', 'category_id'])
      .execute();
    // Two creates racing for one name: the index is the last word.
    await db.schema
      .createIndex('ce_cost_category_name')
      .on('ce_cost_category')
      .columns(['account_id', 'name'])
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ce_cost_category').execute();
  },
};
