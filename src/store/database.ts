/**
 * Opens the store: Kysely over better-sqlite3 (embedded default, or `:memory:` when ephemeral) or over pg
 * when given a `postgres://` URL, then brings the schema up to date with the one migration set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { withCommitHooks } from './commit-hooks.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { BoundedCache } from '../platform/bounded-cache.js';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenDatabaseOptions {
  /** `postgres://…` selects PostgreSQL; anything else is ignored in favour of SQLite. */
  url?: string;
  /** Where the SQLite file `bursar.sqlite` lives (created if missing). */
  dataDir?: string;
  /** SQLite in memory: nothing is written to disk. */
  ephemeral?: boolean;
  /** PostgreSQL only: the schema to use (created if missing), so test runs can be isolated. */
  schema?: string;
}

export interface MigrationReport {
  /** Migrations applied by this start, in order. */
  applied: string[];
  /** How many were already in place. */
  alreadyApplied: number;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives: a file path, `:memory:`, or the PostgreSQL URL without credentials. */
  location: string;
  migrations: MigrationReport;
  close: () => Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const isPostgres = options.url !== undefined && /^postgres(ql)?:\/\//.test(options.url);
  const { db, location } = isPostgres ? openPostgres(options.url!, options.schema) : openSqlite(options);
  const dialect: Dialect = isPostgres ? 'postgres' : 'sqlite';
  try {
    const report = isPostgres
      ? await oneStartAtATime(db, options.schema ?? '', async () => {
          if (options.schema !== undefined)
            await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
          return migrate(db, await currentSchema(db));
        })
      : await migrate(db, undefined);
    return { db, dialect, location, migrations: report, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

function openSqlite(options: OpenDatabaseOptions): { db: Kysely<Database>; location: string } {
  let location = ':memory:';
  if (!options.ephemeral) {
    const dataDir = options.dataDir ?? 'data';
    mkdirSync(dataDir, { recursive: true });
    location = join(dataDir, 'bursar.sqlite');
  }
  const connection = new BetterSqlite3(location);
  if (!options.ephemeral) connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // WAL with NORMAL sync stays durable across application crashes; only an OS crash can lose the last commits.
  connection.pragma('synchronous = NORMAL');
  return {
    db: new Kysely<Database>({
      dialect: withCommitHooks(new SqliteDialect({ database: withStatementCache(connection) })),
    }),
    location,
  };
}

const STATEMENT_CACHE_LIMIT = 1000;

/**
 * Kysely prepares every query afresh; preparing costs more than running the small queries the API serves.
 * better-sqlite3 runs statements synchronously, so one prepared statement per SQL text can be reused.
 */
function withStatementCache(connection: BetterSqlite3.Database) {
  const statements = new BoundedCache<string, BetterSqlite3.Statement>(STATEMENT_CACHE_LIMIT);
  return {
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (statement === undefined) {
        statement = connection.prepare(sqlText);
        statements.set(sqlText, statement);
      }
      return statement;
    },
    close: () => connection.close(),
  };
}

function openPostgres(url: string, schema: string | undefined): { db: Kysely<Database>; location: string } {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const location = url.replace(/\/\/[^@/]*@/, '//');
  return { db: new Kysely<Database>({ dialect: withCommitHooks(new PostgresDialect({ pool })) }), location };
}

/** An arbitrary constant: the class of Bursar's start-up advisory locks (the second key is the schema's hash). */
const START_LOCK_CLASS = 4566;

/**
 * Runs the schema's creation and migrations while holding a session advisory lock on one pinned connection,
 * so servers starting together on one PostgreSQL take turns: `create schema if not exists` is not safe
 * against itself, and the later starts then find every migration applied.
 */
async function oneStartAtATime<T>(db: Kysely<Database>, schema: string, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (pinned) => {
    await sql`select pg_advisory_lock_shared(${START_LOCK_CLASS}, ${SCHEMA_DROP_KEY})`.execute(pinned);
    await sql`select pg_advisory_lock(${START_LOCK_CLASS}, hashtext(${schema}))`.execute(pinned);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${START_LOCK_CLASS}, hashtext(${schema}))`.execute(pinned);
      await sql`select pg_advisory_unlock_shared(${START_LOCK_CLASS}, ${SCHEMA_DROP_KEY})`.execute(pinned);
    }
  });
}

/**
 * Starts hold this key shared while they migrate; dropping a schema holds it exclusively. Kysely's migrator
 * reads the catalog of every schema, and a schema dropped in the middle of that read fails it ("schema …
 * does not exist"): test suites that create and drop schemas side by side take turns with the starts.
 */
const SCHEMA_DROP_KEY = 0;

/** Drops a schema and everything in it (test stores), never while a start is reading the catalog. */
export async function dropSchema(db: Kysely<Database>, schema: string): Promise<void> {
  await db.connection().execute(async (pinned) => {
    await sql`select pg_advisory_lock(${START_LOCK_CLASS}, ${SCHEMA_DROP_KEY})`.execute(pinned);
    try {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(pinned);
    } finally {
      await sql`select pg_advisory_unlock(${START_LOCK_CLASS}, ${SCHEMA_DROP_KEY})`.execute(pinned);
    }
  });
}

/** The schema unqualified names resolve to (the `schema` option, else the URL's search_path, else public). */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<MigrationReport> {
  // Kysely looks for its migration table in every schema unless told which one: a test schema would then
  // see another schema's table and skip creating its own.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const before = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).length;
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return { applied: (results ?? []).map((r) => r.migrationName), alreadyApplied: before };
}
