/**
 * SSH public keys of IAM users (AWS CodeCommit's SSH sign-in): at most five per user, RSA keys of at least
 * 2,048 bits uploaded in OpenSSH (`ssh-rsa AAAA…`) or PEM encoding, each readable back in either. The
 * fingerprint is the MD5 of the key's OpenSSH wire form, as `ssh-keygen -E md5` prints it and AWS returns it.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { uniqueId } from '../platform/ids.js';
import {
  duplicateSshPublicKey,
  invalidPublicKey,
  limitExceeded,
  noSuchEntity,
  unrecognizedPublicKeyEncoding,
} from './errors.js';
import type { IamContext } from './context.js';
import { requireUser } from './records.js';
import type { IamSshPublicKeyTable } from '../store/tables/iam.js';

export const SSH_PUBLIC_KEYS_PER_USER = 5;
const MIN_RSA_BITS = 2048;

/** The OpenSSH wire form of an RSA key: the strings `ssh-rsa`, e and n, each length-prefixed. */
function sshBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const mpint = (b64url: string) => {
    const bytes = Buffer.from(b64url, 'base64url');
    // An mpint whose top bit is set gets a zero byte, or it would read as negative.
    return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  };
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([field(Buffer.from('ssh-rsa')), field(mpint(jwk.e!)), field(mpint(jwk.n!))]);
}

/** Reads the fields of an OpenSSH wire blob, or undefined when it is not one. */
function readBlob(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

function rsaFromSsh(text: string): KeyObject {
  const [type, data] = text.split(/\s+/);
  if (type !== 'ssh-rsa' || data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw invalidPublicKey();
  const fields = readBlob(Buffer.from(data, 'base64'));
  if (fields?.length !== 3 || fields[0]!.toString() !== 'ssh-rsa') throw invalidPublicKey();
  const unsigned = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
  try {
    return createPublicKey({
      key: {
        kty: 'RSA',
        e: unsigned(fields[1]!).toString('base64url'),
        n: unsigned(fields[2]!).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    throw invalidPublicKey();
  }
}

function rsaFromPem(text: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw invalidPublicKey();
  }
  if (key.asymmetricKeyType !== 'rsa') throw unrecognizedPublicKeyEncoding();
  return key;
}

/** The key in both encodings and its fingerprint; refuses what AWS refuses. */
export function parseSshPublicKey(body: string): { ssh: string; pem: string; fingerprint: string } {
  const text = body.trim();
  const pem = /^-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(text);
  if (!pem && !/^ssh-rsa\s/.test(text)) throw unrecognizedPublicKeyEncoding();
  // One OpenSSH line: what follows the key on it is its comment, and nothing may follow the line.
  if (!pem && /[\r\n]/.test(text)) throw invalidPublicKey();
  const key = pem ? rsaFromPem(text) : rsaFromSsh(text);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw invalidPublicKey();
  const blob = sshBlob(key);
  return {
    ssh: pem ? `ssh-rsa ${blob.toString('base64')}` : text,
    // Kept as the key re-encoded, never the text given: a PEM body may carry other blocks (a private key).
    pem: String(key.export({ type: 'spki', format: 'pem' })).trim(),
    fingerprint: createHash('md5')
      .update(blob)
      .digest('hex')
      .replace(/(..)(?!$)/g, '$1:'),
  };
}

type Row = IamSshPublicKeyTable;

function metadata(row: Row, userName: string) {
  return {
    UserName: userName,
    SSHPublicKeyId: row.key_id,
    Status: row.status,
    UploadDate: new Date(row.uploaded_at),
  };
}

function keyShape(row: Row, userName: string, encoding: 'SSH' | 'PEM') {
  return {
    UserName: userName,
    SSHPublicKeyId: row.key_id,
    Fingerprint: row.fingerprint,
    SSHPublicKeyBody: encoding === 'PEM' ? row.pem_body : row.ssh_body,
    Status: row.status,
    UploadDate: new Date(row.uploaded_at),
  };
}

export class SshPublicKeyService {
  constructor(private readonly ctx: IamContext) {}

  async upload(accountId: string, userName: string, body: string) {
    const parsed = parseSshPublicKey(body);
    return this.ctx.write(accountId, async (trx) => {
      const user = await requireUser(trx, accountId, userName);
      const keys = await trx
        .selectFrom('iam_ssh_public_keys')
        .select('fingerprint')
        .where('user_id', '=', user.user_id)
        .execute();
      if (keys.some((k) => k.fingerprint === parsed.fingerprint)) throw duplicateSshPublicKey();
      if (keys.length >= SSH_PUBLIC_KEYS_PER_USER)
        throw limitExceeded(`Cannot exceed quota for PublicKeysPerUser: ${SSH_PUBLIC_KEYS_PER_USER}`);
      const row: Row = {
        key_id: uniqueId(this.ctx.ids, 'APKA'),
        account_id: accountId,
        user_id: user.user_id,
        ssh_body: parsed.ssh,
        pem_body: parsed.pem,
        fingerprint: parsed.fingerprint,
        status: 'Active',
        uploaded_at: this.ctx.nowIso(),
      };
      await trx.insertInto('iam_ssh_public_keys').values(row).execute();
      return keyShape(row, user.name, 'SSH');
    });
  }

  private async requireKey(accountId: string, userName: string, keyId: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const row = await this.ctx.db
      .selectFrom('iam_ssh_public_keys')
      .selectAll()
      .where('key_id', '=', keyId)
      .where('user_id', '=', user.user_id)
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`The Public Key with id ${keyId} cannot be found.`);
    return { row, user };
  }

  async get(accountId: string, userName: string, keyId: string, encoding: 'SSH' | 'PEM') {
    const { row, user } = await this.requireKey(accountId, userName, keyId);
    return keyShape(row, user.name, encoding);
  }

  async list(accountId: string, userName: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const rows = await this.ctx.db
      .selectFrom('iam_ssh_public_keys')
      .selectAll()
      .where('user_id', '=', user.user_id)
      .orderBy('uploaded_at')
      .orderBy('key_id')
      .execute();
    return rows.map((r) => metadata(r, user.name));
  }

  async updateStatus(accountId: string, userName: string, keyId: string, status: 'Active' | 'Inactive') {
    const { row } = await this.requireKey(accountId, userName, keyId);
    await this.ctx.write(accountId, (trx) =>
      trx.updateTable('iam_ssh_public_keys').set({ status }).where('key_id', '=', row.key_id).execute(),
    );
  }

  async delete(accountId: string, userName: string, keyId: string) {
    const { row } = await this.requireKey(accountId, userName, keyId);
    await this.ctx.write(accountId, (trx) =>
      trx.deleteFrom('iam_ssh_public_keys').where('key_id', '=', row.key_id).execute(),
    );
  }
}
