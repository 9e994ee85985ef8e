/**
 * What else hangs off IAM users and accounts: SSH public keys (CodeCommit), X.509 signing certificates,
 * service-specific credentials, server certificates, service-linked role deletion tasks and the jobs behind
 * GenerateServiceLastAccessedDetails. The user's credentials reference the user, so DeleteUser cannot leave one
 * behind (it refuses with DeleteConflict while any exist, as AWS does).
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iam_ssh_public_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('iam_users.user_id'))
    .addColumn('ssh_body', 'text', (c) => c.notNull())
    .addColumn('pem_body', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_ssh_public_keys_fingerprint', ['user_id', 'fingerprint'])
    .execute();
  await db.schema
    .createTable('iam_signing_certificates')
    .addColumn('certificate_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('iam_users.user_id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_signing_certificates_fingerprint', ['account_id', 'fingerprint'])
    .execute();
  await db.schema
    .createTable('iam_service_specific_credentials')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('iam_users.user_id'))
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('service_user_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('iam_service_specific_credentials_user')
    .on('iam_service_specific_credentials')
    .columns(['user_id', 'service_name'])
    .execute();
  await db.schema
    .createTable('iam_server_certificates')
    .addColumn('certificate_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('chain', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('iam_server_certificates_name_unique', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('iam_service_linked_role_deletions')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('role_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('iam_last_accessed_jobs')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
    .addColumn('entity_arn', 'text', (c) => c.notNull())
    .addColumn('granularity', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'iam_last_accessed_jobs',
    'iam_service_linked_role_deletions',
    'iam_server_certificates',
    'iam_service_specific_credentials',
    'iam_signing_certificates',
    'iam_ssh_public_keys',
  ])
    await db.schema.dropTable(table).ifExists().execute();
}

export const iamCredentialsMigration: Migration = { up, down };
