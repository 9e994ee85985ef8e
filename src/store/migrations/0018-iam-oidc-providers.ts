/**
 * IAM OpenID Connect identity providers. The ARN is the key AWS knows a provider by (there is no provider
 * id); `url` is the issuer without its scheme, unique in the account. Client ids and thumbprints are short
 * bounded lists (100 and 5), kept as JSON arrays.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iam_oidc_providers')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('client_ids', 'text', (c) => c.notNull())
    .addColumn('thumbprints', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_oidc_providers_url_unique', ['account_id', 'url'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('iam_oidc_providers').ifExists().execute();
}

export const iamOidcProvidersMigration: Migration = { up, down };
