/**
 * Cost allocation tag status per account, and the payments ledger (see `src/store/tables/billing-ledger.ts`).
 * An invoice is paid at most once: the unique index is the last word when two payments race.
 */
import type { Kysely, Migration } from 'kysely';

export const costAllocationTagsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('billing_cost_allocation_tag')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('tag_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_cost_allocation_tag_pk', ['account_id', 'tag_key'])
      .execute();

    await db.schema
      .createTable('billing_ledger_payment')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('invoice_id', 'text', (c) => c.notNull())
      .addColumn('billing_period', 'text', (c) => c.notNull())
      .addColumn('amount', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('payment_instrument_id', 'text', (c) => c.notNull())
      .addColumn('payment_method', 'text', (c) => c.notNull())
      .addColumn('paid_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_ledger_payment_pk', ['account_id', 'payment_id'])
      .execute();
    await db.schema
      .createIndex('billing_ledger_payment_invoice')
      .on('billing_ledger_payment')
      .columns(['account_id', 'invoice_id'])
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('billing_ledger_payment').execute();
    await db.schema.dropTable('billing_cost_allocation_tag').execute();
  },
};
