/** Account settings tables (see `src/store/tables/account.ts`). */
import type { Kysely, Migration } from 'kysely';

export const accountMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('account_contact_information')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('contact_information', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('account_alternate_contact')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('contact_type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('email_address', 'text', (c) => c.notNull())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('account_alternate_contact_pk', ['account_id', 'contact_type'])
      .execute();

    await db.schema
      .createTable('payment_instrument')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('instrument_id', 'text', (c) => c.notNull())
      .addColumn('brand', 'text', (c) => c.notNull())
      .addColumn('last_four', 'text', (c) => c.notNull())
      .addColumn('expiry_month', 'integer', (c) => c.notNull())
      .addColumn('expiry_year', 'integer', (c) => c.notNull())
      .addColumn('holder_name', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('payment_instrument_pk', ['account_id', 'instrument_id'])
      .execute();

    await db.schema
      .createTable('payment_preferences')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('invoice_email', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tax_registration')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('registration_id', 'text', (c) => c.notNull())
      .addColumn('registration_type', 'text', (c) => c.notNull())
      .addColumn('legal_name', 'text', (c) => c.notNull())
      .addColumn('legal_address', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'tax_registration',
      'payment_preferences',
      'payment_instrument',
      'account_alternate_contact',
      'account_contact_information',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
