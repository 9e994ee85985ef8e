/**
 * Secrets at rest: access-key secrets, STS session secrets and MFA seeds must be readable by the server (to
 * verify signatures and codes), so they cannot be hashed; they are sealed with AES-256-GCM under a master
 * key that never enters the database. A sealed value is `enc:v1:` + base64url(IV ‖ tag ‖ ciphertext); the
 * row it belongs to is bound in as associated data, so a sealed value copied into another row does not open.
 * Values without the prefix are legacy plaintext, read as they are and sealed at the next start.
 *
 * The master key: `BURSAR_MASTER_KEY` (32 bytes, base64 or hex), else `<data dir>/master.key` (made on first
 * start, mode 0600), else — in ephemeral mode only — a random key that lives as long as the process.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SEALED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_FILE = 'master.key';

/** A sealed value that does not open: sealed under another master key, or altered. */
export class SecretUnreadableError extends Error {}

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== MASTER_KEY_BYTES)
      throw new Error(`A master key is ${MASTER_KEY_BYTES} bytes, not ${key.length}.`);
    return new SecretBox(Buffer.from(key));
  }

  static random(): SecretBox {
    return new SecretBox(randomBytes(MASTER_KEY_BYTES));
  }

  /** Seals `plaintext` for the row named by `context` (e.g. `iam_access_keys:AKIA…`). */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The plaintext of a stored value: opened when sealed, as it is when legacy plaintext. */
  open(stored: string, context: string): string {
    if (!isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadableError(`The secret of ${context} is truncated.`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadableError(
        `The secret of ${context} does not open with this master key (another key sealed it, or it was altered).`,
      );
    }
  }
}

export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

/** The rows whose secrets are sealed, and how each names its row in the associated data. */
export const sealedContext = {
  accessKey: (accessKeyId: string) => `iam_access_keys:${accessKeyId}`,
  stsSession: (accessKeyId: string) => `sts_sessions:${accessKeyId}`,
  mfaSeed: (serialNumber: string) => `iam_mfa_devices:${serialNumber}`,
};

/**
 * The key of processes that were given none (tests, library use): random, shared by every service in the
 * process, gone with it. The server never relies on it: it loads its key with `loadMasterKey`.
 */
export const processSecretBox: SecretBox = SecretBox.random();

/** A master key from its text form: 32 bytes as 64 hex digits or as base64. */
export function parseMasterKey(text: string, from: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES || (!/^[0-9a-fA-F]{64}$/.test(trimmed) && key.toString('base64') !== trimmed)) {
    throw new Error(
      `${from} is not a master key: expected ${MASTER_KEY_BYTES} bytes as 64 hex digits or base64 (\`openssl rand -base64 32\`).`,
    );
  }
  return key;
}

export interface MasterKeySource {
  /** `BURSAR_MASTER_KEY`, when set. */
  envKey?: string;
  /** Where `master.key` lives (SQLite's data dir; also used with PostgreSQL when no key is given). */
  dataDir: string;
  ephemeral: boolean;
}

export interface LoadedMasterKey {
  box: SecretBox;
  /** Where it came from, for the start-up banner (never the key itself). */
  origin: string;
}

/** Loads (or, on a first start, makes) the master key; see the module comment for the order. */
export async function loadMasterKey(source: MasterKeySource): Promise<LoadedMasterKey> {
  if (source.envKey !== undefined) {
    return { box: SecretBox.fromKey(parseMasterKey(source.envKey, 'BURSAR_MASTER_KEY')), origin: 'BURSAR_MASTER_KEY' };
  }
  if (source.ephemeral) return { box: SecretBox.random(), origin: 'a random key for this process (ephemeral)' };
  const file = join(source.dataDir, MASTER_KEY_FILE);
  await mkdir(source.dataDir, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    // The umask may have widened the mode; only the owner reads it.
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = (await stat(file)).mode & 0o077;
  if (mode !== 0) throw new Error(`${file} is readable by others (mode ${(mode | 0o600).toString(8)}); chmod 600 it.`);
  return { box: SecretBox.fromKey(parseMasterKey(await readFile(file, 'utf8'), file)), origin: file };
}
