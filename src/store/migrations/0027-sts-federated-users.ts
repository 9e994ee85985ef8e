/**
 * GetFederationToken's sessions: the IAM user (or, for the root user, the account) whose permissions bound a
 * federated user's, a column of `sts_sessions`.
 */
import type { Kysely, Migration } from 'kysely';

export const stsFederatedUsersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sts_sessions').addColumn('federated_by', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('sts_sessions').dropColumn('federated_by').execute();
  },
};
