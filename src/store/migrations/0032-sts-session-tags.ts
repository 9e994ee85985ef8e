/**
 * Session tags (AssumeRole's `Tags` and `TransitiveTagKeys`), two columns of `sts_sessions`: the session's tags
 * as a JSON object of key → value, and the keys a role chain passes on, as a JSON array.
 */
import type { Kysely, Migration } from 'kysely';

export const stsSessionTagsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sts_sessions').addColumn('session_tags', 'text').execute();
    await db.schema.alterTable('sts_sessions').addColumn('transitive_tag_keys', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('sts_sessions').dropColumn('transitive_tag_keys').execute();
    await db.schema.alterTable('sts_sessions').dropColumn('session_tags').execute();
  },
};
