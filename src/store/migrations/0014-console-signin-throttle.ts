/**
 * Sign-in throttling as exponential backoff per key (see `src/console/signin-throttle.ts`): one row per
 * principal, source address or sign-up source replaces the old table of individual failures, whose
 * fixed-window count locked the right password out and could not count concurrent attempts.
 */
import type { Kysely, Migration } from 'kysely';

export const consoleSigninThrottleMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropTable('console_signin_failures').execute();
    await db.schema
      .createTable('console_signin_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_attempt_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_signin_throttle_last_attempt')
      .on('console_signin_throttle')
      .column('last_attempt_at')
      .execute();
    // Anonymous visitors no longer get a stored session (their CSRF token is a cookie); drop the old ones.
    await db
      .deleteFrom('console_sessions' as never)
      .where('state' as never, '=', 'anonymous' as never)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('console_signin_throttle').execute();
    await db.schema
      .createTable('console_signin_failures')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_signin_failures_key_at')
      .on('console_signin_failures')
      .columns(['key', 'at'])
      .execute();
  },
};
