/**
 * The store's side of sealed secrets (`src/platform/secrets.ts`): at start, prove the master key is the one
 * the store's secrets were sealed with (a sealed check value in `server_secret`), and seal any secret still
 * stored in plain text (rows written before sealing existed). `rotateMasterKey` re-seals everything under a
 * new key in one transaction.
 */
import { sql, type Kysely } from 'kysely';
import { SecretUnreadableError, SEALED_PREFIX, sealedContext, type SecretBox } from '../platform/secrets.js';
import type { Database } from '../store/schema.js';

const CHECK_NAME = 'master-key-check';
const CHECK_TEXT = 'Bursar master key check';

/** Each sealed column, its row id, and how the row is named in the associated data. */
const SEALED_COLUMNS = [
  { table: 'iam_access_keys', id: 'access_key_id', column: 'secret_access_key', context: sealedContext.accessKey },
  { table: 'sts_sessions', id: 'access_key_id', column: 'secret_access_key', context: sealedContext.stsSession },
  { table: 'iam_mfa_devices', id: 'serial_number', column: 'seed_base32', context: sealedContext.mfaSeed },
] as const;

export class MasterKeyMismatchError extends Error {}

const mismatch = (origin: string) =>
  new MasterKeyMismatchError(
    `The master key from ${origin} is not the one this store's secrets were sealed with. ` +
      'Every server on one store needs the same key: set the same BURSAR_MASTER_KEY everywhere, or put back the ' +
      "data directory's master.key. Refusing to start rather than fail every signature.",
  );

/** Start-up: checks the key against the store (the first start records it) and seals legacy plaintext. */
export async function prepareSecretsAtRest(
  db: Kysely<Database>,
  box: SecretBox,
  origin: string,
  now: Date,
): Promise<{ sealed: number }> {
  await db
    .insertInto('server_secret')
    .values({ name: CHECK_NAME, value: box.seal(CHECK_TEXT, CHECK_NAME), created_at: now.toISOString() })
    .onConflict((c) => c.column('name').doNothing())
    .execute();
  const check = await db
    .selectFrom('server_secret')
    .select('value')
    .where('name', '=', CHECK_NAME)
    .executeTakeFirstOrThrow();
  try {
    if (box.open(check.value, CHECK_NAME) !== CHECK_TEXT) throw mismatch(origin);
  } catch (error) {
    if (error instanceof SecretUnreadableError) throw mismatch(origin);
    throw error;
  }
  return { sealed: await sealPlaintextSecrets(db, box) };
}

async function sealPlaintextSecrets(db: Kysely<Database>, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const { table, id, column, context } of SEALED_COLUMNS) {
    const { rows } = await sql<{ id: string; secret: string }>`
      select ${sql.ref(id)} as id, ${sql.ref(column)} as secret from ${sql.table(table)}
      where ${sql.ref(column)} not like ${`${SEALED_PREFIX}%`}`.execute(db);
    for (const row of rows) {
      // Compare-and-set on the plaintext: a server sealing the same row at the same moment wins once.
      const result = await sql`
        update ${sql.table(table)} set ${sql.ref(column)} = ${box.seal(row.secret, context(row.id))}
        where ${sql.ref(id)} = ${row.id} and ${sql.ref(column)} = ${row.secret}`.execute(db);
      sealed += Number(result.numAffectedRows ?? 0);
    }
  }
  return sealed;
}

/**
 * Re-seals every secret (and the key check) under `next`, in one transaction: all or nothing. Servers must
 * be stopped: one still holding the old key cannot open what this writes, and refuses to start with it.
 */
export async function rotateMasterKey(
  db: Kysely<Database>,
  current: SecretBox,
  next: SecretBox,
  origin: string,
  now: Date,
): Promise<{ resealed: number }> {
  await prepareSecretsAtRest(db, current, origin, now);
  return db.transaction().execute(async (trx) => {
    let resealed = 0;
    for (const { table, id, column, context } of SEALED_COLUMNS) {
      const { rows } = await sql<{ id: string; secret: string }>`
        select ${sql.ref(id)} as id, ${sql.ref(column)} as secret from ${sql.table(table)}`.execute(trx);
      for (const row of rows) {
        const plaintext = current.open(row.secret, context(row.id));
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${next.seal(plaintext, context(row.id))}
          where ${sql.ref(id)} = ${row.id}`.execute(trx);
        resealed++;
      }
    }
    await trx
      .updateTable('server_secret')
      .set({ value: next.seal(CHECK_TEXT, CHECK_NAME) })
      .where('name', '=', CHECK_NAME)
      .execute();
    return { resealed };
  });
}
