/**
 * IAM SAML identity providers: a name (unique in the account without regard to case), the IdP's metadata
 * document as given, and the metadata's `validUntil` when it has one.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iam_saml_providers')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_saml_providers_name_unique', ['account_id', 'name_key'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('iam_saml_providers').ifExists().execute();
}

export const iamSamlProvidersMigration: Migration = { up, down };
