/** BCM Data Exports exports (see `src/store/tables/cur.ts`). */
import type { Kysely, Migration } from 'kysely';

export const bcmDataExportsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('bcm_export')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('export_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('export', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('bcm_export_pk', ['account_id', 'export_id'])
      .addUniqueConstraint('bcm_export_name_unique', ['account_id', 'name'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('bcm_export').execute();
  },
};
