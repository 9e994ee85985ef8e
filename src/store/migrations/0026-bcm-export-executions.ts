/**
 * BCM Data Exports executions (see `src/store/tables/cur.ts`): one row per run of an export or a CUR report
 * definition. `slot` is unique per export: a scheduled run's slot is its UTC day, so of several servers over one
 * store the one whose insert succeeds runs it, and the others see the row and do not.
 */
import type { Kysely, Migration } from 'kysely';

export const bcmExportExecutionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('bcm_export_execution')
      .addColumn('account_id', 'text', (c) => c.notNull())
      // The export's id (`NAME-UUID`), or `cur:` and the report's name.
      .addColumn('export_id', 'text', (c) => c.notNull())
      .addColumn('execution_id', 'text', (c) => c.notNull())
      .addColumn('slot', 'text', (c) => c.notNull())
      .addColumn('status_code', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      // The export definition as it ran (GetExecution answers with it), JSON.
      .addColumn('definition', 'text', (c) => c.notNull())
      // The delivered files' keys, JSON; NULL until delivered.
      .addColumn('files', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addPrimaryKeyConstraint('bcm_export_execution_pk', ['account_id', 'export_id', 'execution_id'])
      .addUniqueConstraint('bcm_export_execution_slot', ['account_id', 'export_id', 'slot'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('bcm_export_execution').execute();
  },
};
