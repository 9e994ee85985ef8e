/**
 * First start: when the store holds no account, create the demo account (through the IAM service's
 * sign-up) with a root access key, from BURSAR_BOOTSTRAP_* when given, generated otherwise.
 */
import type { AccessKeyService } from '../iam/access-keys.js';
import type { AccountService } from '../iam/accounts.js';
import { randomString, type IdSource } from '../platform/ids.js';
import type { BootstrapConfig } from '../platform/config.js';

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

/** Creates the demo account if the store is empty; returns what was created, or null when accounts exist. */
export async function bootstrapDemoAccount(
  accounts: AccountService,
  accessKeys: AccessKeyService,
  config: BootstrapConfig,
  ids: IdSource,
): Promise<BootstrapResult | null> {
  if ((await accounts.list()).length > 0) return null;
  // Three character classes, as the sign-up rules ask, around a random core.
  const rootPassword = config.rootPassword ?? `Bursar-${randomString(ids, 16)}-9`;
  const account = await accounts.signUp({
    email: config.rootEmail ?? DEMO_ROOT_EMAIL,
    password: rootPassword,
    accountName: DEMO_ACCOUNT_NAME,
    ...(config.accountId === undefined ? {} : { accountId: config.accountId }),
  });
  let accessKeyId: string;
  let secretAccessKey: string;
  if (config.accessKeyId !== undefined && config.secretAccessKey !== undefined) {
    await accessKeys.importRootKey(account.accountId, config.accessKeyId, config.secretAccessKey);
    accessKeyId = config.accessKeyId;
    secretAccessKey = config.secretAccessKey;
  } else {
    const created = await accessKeys.create(account.accountId);
    accessKeyId = created.AccessKeyId;
    secretAccessKey = created.SecretAccessKey;
  }
  return { accountId: account.accountId, rootEmail: account.email, rootPassword, accessKeyId, secretAccessKey };
}
