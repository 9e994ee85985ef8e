/**
 * A managed policy's default version must exist: a policy whose default version were missing would drop out
 * of every decision it belongs to (and with it any Deny it holds). Principal resolution fails closed on such
 * a policy; this makes the state itself impossible. PostgreSQL: a deferred foreign key (checked at commit,
 * so a policy and its first version can be written in either order); `not valid` so a store that already
 * holds such a policy still starts (the policy fails closed until a version is made its default). SQLite
 * cannot add a foreign key to an existing table: triggers refuse the two writes that could make the state.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table iam_policies add constraint iam_policies_default_version_fk
      foreign key (policy_id, default_version_id) references iam_policy_versions (policy_id, version_id)
      deferrable initially deferred not valid`.execute(db);
    return;
  }
  await sql`create trigger iam_policies_default_version_exists
    before update of default_version_id on iam_policies
    when not exists (
      select 1 from iam_policy_versions where policy_id = new.policy_id and version_id = new.default_version_id
    )
    begin select raise(abort, 'the default version of a managed policy must exist'); end`.execute(db);
  await sql`create trigger iam_policy_versions_default_kept
    before delete on iam_policy_versions
    when exists (
      select 1 from iam_policies where policy_id = old.policy_id and default_version_id = old.version_id
    )
    begin select raise(abort, 'the default version of a managed policy cannot be deleted'); end`.execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table iam_policies drop constraint iam_policies_default_version_fk`.execute(db);
    return;
  }
  await sql`drop trigger iam_policies_default_version_exists`.execute(db);
  await sql`drop trigger iam_policy_versions_default_kept`.execute(db);
}

export const policyDefaultVersionMigration: Migration = { up, down };
