/**
 * Organizations' trusted service access (EnableAWSServiceAccess) and delegated administrators
 * (RegisterDelegatedAdministrator), per organization (see `src/store/tables/organizations.ts`).
 */
import type { Kysely, Migration } from 'kysely';

export const organizationsServiceAccessMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('org_service_access')
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('service_principal', 'text', (c) => c.notNull())
      .addColumn('enabled_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('org_service_access_pk', ['organization_id', 'service_principal'])
      .execute();
    await db.schema
      .createTable('org_delegated_admins')
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('service_principal', 'text', (c) => c.notNull())
      .addColumn('delegated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('org_delegated_admins_pk', ['organization_id', 'account_id', 'service_principal'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('org_delegated_admins').execute();
    await db.schema.dropTable('org_service_access').execute();
  },
};
