/**
 * First start: when the store holds no account, create the demo account (through the IAM service's
 * sign-up) with a root access key, from BURSAR_BOOTSTRAP_* when given, generated otherwise.
 *
 * The account and its root key are made in one transaction, so a start killed half-way leaves an empty
 * store the next start bootstraps again (never an account whose configured key is missing). Servers
 * starting together on an empty store take turns: one creates, the others wait and find the account.
 */
import type { AccessKeyService } from '../iam/access-keys.js';
import { anyAccountExists, type AccountService } from '../iam/accounts.js';
import { randomString, type IdSource } from '../platform/ids.js';
import type { BootstrapConfig } from '../platform/config.js';
import type { OpenedDatabase } from '../store/database.js';
import { takeTurn } from '../store/locks.js';

export interface BootstrapResult {
  accountId: string;
  rootEmail: string;
  /** Present only when this start created the account (a generated password is shown once). */
  rootPassword: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export const DEMO_ROOT_EMAIL = 'root@bursar.example';
export const DEMO_ACCOUNT_NAME = 'Bursar demo';

/** An arbitrary constant naming the bootstrap's turn: concurrent first starts take turns on it. */
const BOOTSTRAP_LOCK = 4_566_001;

/** Creates the demo account if the store is empty; returns what was created, or null when accounts exist. */
export async function bootstrapDemoAccount(
  database: OpenedDatabase,
  accounts: AccountService,
  accessKeys: Pick<AccessKeyService, 'issueFirstRootKey'>,
  config: BootstrapConfig,
  ids: IdSource,
): Promise<BootstrapResult | null> {
  return database.db.transaction().execute(async (trx) => {
    await takeTurn(trx, database.dialect, BOOTSTRAP_LOCK);
    if (await anyAccountExists(trx)) return null;
    // Three character classes, as the sign-up rules ask, around a random core.
    const rootPassword = config.rootPassword ?? `Bursar-${randomString(ids, 16)}-9`;
    const account = await accounts.signUp(
      {
        email: config.rootEmail ?? DEMO_ROOT_EMAIL,
        password: rootPassword,
        accountName: DEMO_ACCOUNT_NAME,
        ...(config.accountId === undefined ? {} : { accountId: config.accountId }),
      },
      trx,
    );
    const fixed =
      config.accessKeyId !== undefined && config.secretAccessKey !== undefined
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined;
    const key = await accessKeys.issueFirstRootKey(trx, account.accountId, fixed);
    return { accountId: account.accountId, rootEmail: account.email, rootPassword, ...key };
  });
}
