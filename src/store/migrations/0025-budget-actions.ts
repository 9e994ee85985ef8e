/** AWS Budgets' budget actions and their histories (see `src/store/tables/budget-actions.ts`). */
import type { Kysely, Migration } from 'kysely';

export const budgetActionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('billing_budget_action')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('action_id', 'text', (c) => c.notNull())
      .addColumn('budget_name', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_budget_action_pk', ['account_id', 'action_id'])
      .execute();
    await db.schema
      .createIndex('billing_budget_action_budget')
      .on('billing_budget_action')
      .columns(['account_id', 'budget_name'])
      .execute();
    await db.schema
      .createTable('billing_budget_action_history')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('action_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_budget_action_history_pk', ['account_id', 'action_id', 'seq'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('billing_budget_action_history').execute();
    await db.schema.dropTable('billing_budget_action').execute();
  },
};
