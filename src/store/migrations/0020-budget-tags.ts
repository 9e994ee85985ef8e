/** Budgets' resource tags (CreateBudget's `ResourceTags`, TagResource): `[{Key, Value}]` as JSON, beside the budget. */
import { sql, type Kysely, type Migration } from 'kysely';

export const budgetTagsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('billing_budget')
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo(sql`'[]'`))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('billing_budget').dropColumn('tags').execute();
  },
};
