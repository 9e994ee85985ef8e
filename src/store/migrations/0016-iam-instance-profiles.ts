/**
 * IAM instance profiles. A profile holds at most one role (AWS's InstanceSessionsPerInstanceProfile quota is
 * 1), so the role is a nullable column rather than a membership table; the foreign key keeps a role that is
 * still in a profile from being deleted underneath it.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iam_instance_profiles')
    .addColumn('profile_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.references('iam_roles.role_id'))
    .addUniqueConstraint('iam_instance_profiles_name_unique', ['account_id', 'name_key'])
    .execute();
  await db.schema.createIndex('iam_instance_profiles_role').on('iam_instance_profiles').column('role_id').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('iam_instance_profiles').ifExists().execute();
}

export const iamInstanceProfilesMigration: Migration = { up, down };
