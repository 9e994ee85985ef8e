/** Cost Explorer's anomaly monitors, anomaly subscriptions and anomaly feedback (see `src/store/tables/ce.ts`). */
import type { Kysely, Migration } from 'kysely';

export const ceAnomaliesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ce_anomaly_monitor')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('monitor_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('monitor_type', 'text', (c) => c.notNull())
      .addColumn('dimension', 'text')
      .addColumn('specification', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ce_anomaly_monitor_pk', ['account_id', 'monitor_id'])
      .execute();
    await db.schema
      .createTable('ce_anomaly_subscription')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ce_anomaly_subscription_pk', ['account_id', 'subscription_id'])
      .execute();
    await db.schema
      .createTable('ce_anomaly_feedback')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('anomaly_id', 'text', (c) => c.notNull())
      .addColumn('feedback', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ce_anomaly_feedback_pk', ['account_id', 'anomaly_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ce_anomaly_feedback').execute();
    await db.schema.dropTable('ce_anomaly_subscription').execute();
    await db.schema.dropTable('ce_anomaly_monitor').execute();
  },
};
