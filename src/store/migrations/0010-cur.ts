/** Cost and Usage Report definitions (see `src/store/tables/cur.ts`). */
import type { Kysely, Migration } from 'kysely';

export const curMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cur_report_definition')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('report_name', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cur_report_definition_pk', ['account_id', 'report_name'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('cur_report_definition').execute();
  },
};
