/**
 * What differs between the two dialects the store runs on (SQLite, PostgreSQL), for the areas' queries: how a
 * unique-key collision is reported and how a count comes back. Row locks are in locks.ts.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

/** True when the error is a unique-constraint violation from either dialect. */
export function uniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The number of rows a query selects. */
export async function countOf<TB extends keyof Database>(
  query: SelectQueryBuilder<Database, TB, object>,
): Promise<number> {
  const row = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
  return Number(row?.n ?? 0);
}
