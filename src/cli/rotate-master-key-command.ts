/**
 * `bursar rotate-master-key --new-key-file FILE [--data-dir DIR]`: re-seals every secret at rest under a new
 * master key, in one transaction. Stop every server on the store first; start them again with the new key.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../platform/clock.js';
import { configFromEnv } from '../platform/config.js';
import { MASTER_KEY_FILE, SecretBox, loadMasterKey, parseMasterKey } from '../platform/secrets.js';
import { rotateMasterKey } from '../server/secrets-at-rest.js';
import { openDatabase } from '../store/database.js';

const USAGE = `usage: bursar rotate-master-key --new-key-file FILE [--data-dir DIR]

Re-seals the store's access-key secrets, STS session secrets and MFA seeds under the key in FILE
(32 bytes as base64 or hex, e.g. \`openssl rand -base64 32 > FILE\`). Stop every server on the store first.
The current key is found as \`bursar serve\` finds it: BURSAR_MASTER_KEY, else DIR/master.key. When it came
from DIR/master.key, that file is replaced by the new key; otherwise set BURSAR_MASTER_KEY to the new key on
every server before starting them again. BURSAR_DATABASE_URL selects PostgreSQL, as for \`bursar serve\`.
`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'new-key-file': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`bursar rotate-master-key: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values['new-key-file'] === undefined) {
    process.stderr.write(`bursar rotate-master-key: --new-key-file is required\n\n${USAGE}`);
    return 2;
  }
  const config = configFromEnv();
  const dataDir = values['data-dir'] ?? config.dataDir;
  const newKeyFile = values['new-key-file'];
  const next = SecretBox.fromKey(parseMasterKey(await readFile(newKeyFile, 'utf8'), newKeyFile));
  const current = await loadMasterKey({
    ...(config.masterKey === undefined ? {} : { envKey: config.masterKey }),
    dataDir,
    ephemeral: false,
  });
  const keyFile = join(dataDir, MASTER_KEY_FILE);
  const fromKeyFile = current.origin === keyFile;
  // The new key is on disk before the store changes, so a crash in between loses no key.
  const staged = `${keyFile}.new`;
  if (fromKeyFile) await writeFile(staged, await readFile(newKeyFile, 'utf8'), { mode: 0o600 });

  const database = await openDatabase({
    ...(config.databaseUrl === undefined ? {} : { url: config.databaseUrl }),
    dataDir,
  });
  try {
    const { resealed } = await rotateMasterKey(database.db, current.box, next, current.origin, systemClock.now());
    if (fromKeyFile) await rename(staged, keyFile);
    process.stdout.write(
      `Re-sealed ${resealed} secrets in ${database.location} under the new key.\n` +
        (fromKeyFile
          ? `${keyFile} now holds the new key.\n`
          : 'Set BURSAR_MASTER_KEY to the new key on every server before starting them.\n'),
    );
    return 0;
  } finally {
    await database.close();
  }
}
