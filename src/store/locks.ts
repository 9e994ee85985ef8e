/**
 * "Lock the owning row": a write that checks a quota or a uniqueness rule and then inserts must hold the row
 * that owns what it counts (an account, an organization) for the rest of its transaction, or two such writes
 * under PostgreSQL's read committed both pass the check. An update that changes nothing takes that row lock
 * on PostgreSQL (later statements then see what the previous holder committed) and the write lock on
 * SQLite, which runs one writer at a time anyway.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

export async function lockRow<T extends keyof Database & string>(
  trx: Transaction<Database>,
  table: T,
  column: keyof Database[T] & string,
  value: string,
): Promise<void> {
  await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} where ${sql.ref(column)} = ${value}`.execute(
    trx,
  );
}

/**
 * Runs one account's write as a single transaction that first locks the account's row: its checks see what
 * the account's previous writer committed, and the audit trail's before-commit hook writes the call's event
 * in the same transaction (a lone autocommitted statement would leave the event to be written after it).
 */
export function accountWrite<T>(
  db: Kysely<Database>,
  accountId: string,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await lockRow(trx, 'iam_accounts', 'account_id', accountId);
    return work(trx);
  });
}

/**
 * Makes transactions that ask for the same key take turns for the rest of their transaction, when there is no
 * row to lock yet (concurrent first starts on an empty store): PostgreSQL's transaction-scoped advisory lock;
 * on SQLite a write that changes nothing takes the database's write lock (a deferred transaction that only
 * read could not upgrade while another writes).
 */
export async function takeTurn(trx: Transaction<Database>, dialect: Dialect, key: number): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  else await sql`update iam_accounts set policy_generation = policy_generation where 0 = 1`.execute(trx);
}
