/**
 * The databases a store test runs against: SQLite in memory, and PostgreSQL in a fresh schema that is
 * dropped afterwards. PostgreSQL comes from `BURSAR_TEST_POSTGRES_URL`; when it cannot be reached the
 * variant is skipped with the reason, unless `BURSAR_REQUIRE_POSTGRES=1` (CI), where that is an error.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dropSchema, openDatabase, type OpenedDatabase } from './database.js';

export const TEST_POSTGRES_URL = process.env.BURSAR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRE_POSTGRES = process.env.BURSAR_REQUIRE_POSTGRES === '1';

export interface TestDatabase {
  label: 'sqlite' | 'postgres';
  /** Why this variant is skipped (PostgreSQL unreachable and not required), else undefined. */
  skip: string | undefined;
  /** A fresh, migrated database; `close()` also drops the PostgreSQL schema. */
  open(): Promise<OpenedDatabase>;
}

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${(error as Error).message}); PostgreSQL variant skipped`;
    if (REQUIRE_POSTGRES)
      throw new Error(reason.replace('; PostgreSQL variant skipped', ' and BURSAR_REQUIRE_POSTGRES=1'));
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function testDatabases(): Promise<TestDatabase[]> {
  const postgresSkip = await postgresReachable();
  if (postgresSkip) console.log(`# ${postgresSkip}`);
  return [
    { label: 'sqlite', skip: undefined, open: () => openDatabase({ ephemeral: true }) },
    {
      label: 'postgres',
      skip: postgresSkip,
      async open() {
        const schema = `bursar_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
        const opened = await openDatabase({ url: TEST_POSTGRES_URL, schema });
        return {
          ...opened,
          close: async () => {
            await dropSchema(opened.db, schema);
            await opened.close();
          },
        };
      },
    },
  ];
}

/**
 * Several stores over one fresh PostgreSQL schema, each with its own connection pool, as several server
 * instances see one database (opened at once, so their migrations race); `close()` closes them all and drops the schema.
 */
export async function openSharedPostgres(count: number): Promise<{ stores: OpenedDatabase[]; close(): Promise<void> }> {
  const schema = `bursar_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  // Opened at once, as servers starting together: each creates the schema if missing and migrates it.
  const stores = await Promise.all(
    Array.from({ length: count }, () => openDatabase({ url: TEST_POSTGRES_URL, schema })),
  );
  return {
    stores,
    async close() {
      await dropSchema(stores[0]!.db, schema);
      for (const store of stores) await store.close();
    },
  };
}
