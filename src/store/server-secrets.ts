/**
 * A named random key that every server on one store shares and that outlives restarts: the first server to
 * ask makes it (insert-if-absent, so racing servers agree on the one that landed), every later ask reads it.
 * For things a server signs and another (or the same one after a restart) must verify, such as invoice links.
 */
import type { Kysely } from 'kysely';
import type { IdSource } from '../platform/ids.js';
import type { Database } from './schema.js';

const cache = new WeakMap<Kysely<Database>, Map<string, Promise<Buffer>>>();

export function serverSecret(db: Kysely<Database>, name: string, now: Date, ids: IdSource): Promise<Buffer> {
  let byName = cache.get(db);
  if (byName === undefined) {
    byName = new Map();
    cache.set(db, byName);
  }
  let secret = byName.get(name);
  if (secret === undefined) {
    secret = readOrCreate(db, name, now, ids);
    byName.set(name, secret);
    // A failed read must not stick: the next ask tries again.
    secret.catch(() => byName.delete(name));
  }
  return secret;
}

async function readOrCreate(db: Kysely<Database>, name: string, now: Date, ids: IdSource): Promise<Buffer> {
  await db
    .insertInto('server_secret')
    .values({ name, value: ids.bytes(32).toString('base64'), created_at: now.toISOString() })
    .onConflict((c) => c.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secret').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}
