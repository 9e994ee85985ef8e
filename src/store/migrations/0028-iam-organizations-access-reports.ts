/** IAM's organizations access reports (GenerateOrganizationsAccessReport): each job and the report it made. */
import type { Kysely, Migration } from 'kysely';

export const iamOrganizationsAccessReportsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('iam_organizations_access_jobs')
      .addColumn('job_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('iam_accounts.account_id'))
      .addColumn('entity_path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('iam_organizations_access_jobs').execute();
  },
};
