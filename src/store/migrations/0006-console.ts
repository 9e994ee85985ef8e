import type { Kysely, Migration } from 'kysely';

export const consoleMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('caller_json', 'text')
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_expires').on('console_sessions').column('expires_at').execute();

    await db.schema
      .createTable('console_signin_failures')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_signin_failures_key_at')
      .on('console_signin_failures')
      .columns(['key', 'at'])
      .execute();

    await db.schema
      .createTable('billing_console_settings')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('iam_access_to_billing', 'integer', (c) => c.notNull())
      .addColumn('console_action_set', 'text', (c) => c.notNull())
      .addColumn('invoice_pdf_by_email', 'integer', (c) => c.notNull())
      .addColumn('free_tier_usage_alerts', 'integer', (c) => c.notNull())
      .addColumn('free_tier_alert_email', 'text')
      .addColumn('billing_alerts', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('billing_console_settings').execute();
    await db.schema.dropTable('console_signin_failures').execute();
    await db.schema.dropTable('console_sessions').execute();
  },
};
