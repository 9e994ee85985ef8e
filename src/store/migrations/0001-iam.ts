/**
 * The IAM area's tables. Types are kept to `text` and `integer` so one migration serves SQLite and PostgreSQL.
 */
import type { Kysely, Migration } from 'kysely';

type AnyDb = Kysely<unknown>;

async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('iam_accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('root_password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('root_password_last_used', 'text')
    .addColumn('policy_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('iam_account_aliases')
    .addColumn('alias', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().unique().references('iam_accounts.account_id'))
    .execute();

  await db.schema
    .createTable('iam_password_policies')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('iam_accounts.account_id'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('iam_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('password_last_used', 'text')
    .addColumn('permissions_boundary_arn', 'text')
    .addUniqueConstraint('iam_users_name_unique', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('iam_groups')
    .addColumn('group_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_groups_name_unique', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('iam_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('iam_groups.group_id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('iam_users.user_id'))
    .addPrimaryKeyConstraint('iam_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('iam_group_members_user').on('iam_group_members').column('user_id').execute();

  await db.schema
    .createTable('iam_roles')
    .addColumn('role_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('assume_role_policy', 'text', (c) => c.notNull())
    .addColumn('max_session_duration', 'integer', (c) => c.notNull())
    .addColumn('permissions_boundary_arn', 'text')
    .addColumn('last_used_date', 'text')
    .addColumn('last_used_region', 'text')
    .addUniqueConstraint('iam_roles_name_unique', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('iam_policies')
    .addColumn('policy_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('default_version_id', 'text', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_policies_name_unique', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('iam_policy_versions')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('iam_policies.policy_id').onDelete('cascade'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_policy_versions_pk', ['policy_id', 'version_id'])
    .execute();

  await db.schema
    .createTable('iam_policy_attachments')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('iam_policies.policy_id'))
    .addPrimaryKeyConstraint('iam_policy_attachments_pk', ['entity_type', 'entity_id', 'policy_id'])
    .execute();
  await db.schema
    .createIndex('iam_policy_attachments_policy')
    .on('iam_policy_attachments')
    .column('policy_id')
    .execute();

  await db.schema
    .createTable('iam_inline_policies')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_inline_policies_pk', ['entity_type', 'entity_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('iam_access_keys')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('user_id', 'text', (c) => c.references('iam_users.user_id'))
    .addColumn('secret_access_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_date', 'text')
    .addColumn('last_used_service', 'text')
    .addColumn('last_used_region', 'text')
    .execute();
  await db.schema
    .createIndex('iam_access_keys_owner')
    .on('iam_access_keys')
    .columns(['account_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('iam_login_profiles')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('iam_users.user_id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_reset_required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('password_last_changed', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('iam_mfa_devices')
    .addColumn('serial_number', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('seed_base32', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('assigned_to', 'text')
    .addColumn('enabled_at', 'text')
    .addColumn('last_counter', 'integer')
    .execute();

  await db.schema
    .createTable('iam_tags')
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_tags_pk', ['resource_type', 'resource_id', 'tag_key'])
    .execute();

  await db.schema
    .createTable('iam_credential_reports')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('iam_accounts.account_id'))
    .addColumn('generated_at', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
}

async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'iam_credential_reports',
    'iam_tags',
    'iam_mfa_devices',
    'iam_login_profiles',
    'iam_access_keys',
    'iam_inline_policies',
    'iam_policy_attachments',
    'iam_policy_versions',
    'iam_policies',
    'iam_roles',
    'iam_group_members',
    'iam_groups',
    'iam_users',
    'iam_password_policies',
    'iam_account_aliases',
    'iam_accounts',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

export const iamMigration: Migration = { up, down };
