/**
 * Previous console passwords of IAM users (hashes only), for the password policy's PasswordReusePrevention.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iam_password_history')
    .addColumn('user_id', 'text', (c) => c.notNull().references('iam_users.user_id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('iam_password_history_user')
    .on('iam_password_history')
    .columns(['user_id', 'changed_at'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('iam_password_history').ifExists().execute();
}

export const iamPasswordHistoryMigration: Migration = { up, down };
