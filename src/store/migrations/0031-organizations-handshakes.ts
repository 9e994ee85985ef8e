/**
 * Organizations' handshakes (InviteAccountToOrganization, EnableAllFeatures), the organization's resource
 * policy (PutResourcePolicy), and when a member account was closed (CloseAccount's quota counts closures
 * over a rolling 30 days). See `src/store/tables/organizations.ts`.
 */
import type { Kysely, Migration } from 'kysely';

export const organizationsHandshakesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('org_handshakes')
      .addColumn('handshake_id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('recipient_account_id', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('parent_handshake_id', 'text')
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('org_handshakes_recipient')
      .on('org_handshakes')
      .columns(['recipient_account_id', 'requested_at'])
      .execute();
    await db.schema
      .createIndex('org_handshakes_organization')
      .on('org_handshakes')
      .columns(['organization_id', 'requested_at'])
      .execute();
    await db.schema
      .createTable('org_resource_policies')
      .addColumn('organization_id', 'text', (c) => c.primaryKey())
      .addColumn('policy_id', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('org_accounts').addColumn('closed_at', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('org_accounts').dropColumn('closed_at').execute();
    await db.schema.dropTable('org_resource_policies').execute();
    await db.schema.dropTable('org_handshakes').execute();
  },
};
