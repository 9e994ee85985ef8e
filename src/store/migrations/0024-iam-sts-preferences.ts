/** The account's STS preference (SetSecurityTokenServicePreferences): a column of `iam_accounts`. */
import type { Kysely, Migration } from 'kysely';

export const iamStsPreferencesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('iam_accounts').addColumn('global_endpoint_token_version', 'integer').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('iam_accounts').dropColumn('global_endpoint_token_version').execute();
  },
};
