/**
 * Each cost category's versions: the rules in force from each EffectiveStart (see `src/store/tables/ce.ts`).
 * A category's existing definition becomes its first version.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const ceCostCategoryVersionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ce_cost_category_version')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('category_id', 'text', (c) => c.notNull())
      .addColumn('effective_start', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ce_cost_category_version_pk', ['account_id', 'category_id', 'effective_start'])
      .execute();
    await sql`insert into ce_cost_category_version (account_id, category_id, effective_start, definition)
              select account_id, category_id, effective_start, definition from ce_cost_category`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ce_cost_category_version').execute();
  },
};
