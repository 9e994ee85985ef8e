/**
 * The Organizations area's tables, and AWS's managed Organizations policies as rows every organization shares.
 * Types are kept to `text` and `integer` so one migration serves SQLite and PostgreSQL.
 */
import type { Kysely, Migration } from 'kysely';

type AnyDb = Kysely<unknown>;

/**
 * AWS's managed policies as this migration first stored them. A migration is frozen history: it carries its
 * own copy of the rows rather than reading the Organizations area's live constants, which may change later.
 */
const MANAGED_POLICIES = [
  {
    id: 'p-FullAWSAccess',
    type: 'SERVICE_CONTROL_POLICY',
    name: 'FullAWSAccess',
    arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
    statement: { Effect: 'Allow', Action: '*', Resource: '*' },
  },
  {
    id: 'p-RCPFullAWSAccess',
    type: 'RESOURCE_CONTROL_POLICY',
    name: 'RCPFullAWSAccess',
    arn: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
    statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
  },
];

// A fixed timestamp keeps the migration's result the same on every run and every dialect.
const MANAGED_POLICY_CREATED = '2016-11-28T00:00:00.000Z';

async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('org_organizations')
    .addColumn('organization_id', 'text', (c) => c.primaryKey())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('management_account_id', 'text', (c) => c.notNull().unique().references('iam_accounts.account_id'))
    .addColumn('feature_set', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('org_roots')
    .addColumn('root_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.organization_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_roots_organization').on('org_roots').column('organization_id').execute();

  await db.schema
    .createTable('org_root_policy_types')
    .addColumn('root_id', 'text', (c) => c.notNull().references('org_roots.root_id'))
    .addColumn('policy_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_root_policy_types_pk', ['root_id', 'policy_type'])
    .execute();

  await db.schema
    .createTable('org_units')
    .addColumn('ou_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.organization_id'))
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('org_units_name_unique', ['parent_id', 'name'])
    .execute();
  await db.schema.createIndex('org_units_organization').on('org_units').column('organization_id').execute();

  await db.schema
    .createTable('org_accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('iam_accounts.account_id'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.organization_id'))
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('joined_method', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('iam_user_access_to_billing', 'text')
    .execute();
  await db.schema.createIndex('org_accounts_organization').on('org_accounts').column('organization_id').execute();
  await db.schema.createIndex('org_accounts_parent').on('org_accounts').column('parent_id').execute();

  await db.schema
    .createTable('org_create_account_requests')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.organization_id'))
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('account_id', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema
    .createIndex('org_create_account_requests_organization')
    .on('org_create_account_requests')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('org_policies')
    .addColumn('policy_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.references('org_organizations.organization_id'))
    .addColumn('policy_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('aws_managed', 'integer', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('org_policies_name_unique', ['organization_id', 'policy_type', 'name'])
    .execute();

  await db.schema
    .createTable('org_policy_attachments')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.organization_id'))
    .addColumn('policy_id', 'text', (c) => c.notNull().references('org_policies.policy_id'))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_policy_attachments_pk', ['organization_id', 'policy_id', 'target_id'])
    .execute();
  await db.schema
    .createIndex('org_policy_attachments_target')
    .on('org_policy_attachments')
    .columns(['target_id', 'policy_id'])
    .execute();

  await db.schema
    .createTable('org_tags')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.organization_id'))
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_tags_pk', ['resource_id', 'tag_key'])
    .execute();

  await db
    .insertInto('org_policies' as never)
    .values(
      MANAGED_POLICIES.map((p) => ({
        policy_id: p.id,
        organization_id: null,
        policy_type: p.type,
        name: p.name,
        description: 'Allows access to every operation',
        content: JSON.stringify({ Version: '2012-10-17', Statement: [p.statement] }, null, 4),
        aws_managed: 1,
        arn: p.arn,
        created_at: MANAGED_POLICY_CREATED,
        updated_at: MANAGED_POLICY_CREATED,
      })) as never,
    )
    .execute();
}

async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'org_tags',
    'org_policy_attachments',
    'org_policies',
    'org_create_account_requests',
    'org_accounts',
    'org_units',
    'org_root_policy_types',
    'org_roots',
    'org_organizations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

export const organizationsMigration: Migration = { up, down };
