/**
 * Password hashing with scrypt: a random salt per password, constant-time comparison on verify.
 * Stored as `scrypt$N$r$p$salt$hash` (base64) so the cost can be raised later without breaking old hashes.
 */
import { scrypt, timingSafeEqual } from 'node:crypto';
import type { IdSource } from '../platform/ids.js';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function derive(password: string, salt: Buffer, cost: number, blockSize: number, parallelism: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: cost, r: blockSize, p: parallelism, maxmem: 256 * cost * blockSize },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, ids: IdSource, cost: number): Promise<string> {
  const salt = ids.bytes(16);
  const hash = await derive(password, salt, cost, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, blockSize, parallelism, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !blockSize || !parallelism || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64'),
    Number(cost),
    Number(blockSize),
    Number(parallelism),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const decoys = new Map<number, Promise<string>>();

/**
 * Spends the same scrypt work as a real check when there is no password to check (unknown user or account),
 * so response time does not reveal which names exist. The decoy's fixed salt is harmless: it guards nothing.
 */
export async function spendDecoyCheck(password: string, cost: number): Promise<void> {
  let decoy = decoys.get(cost);
  if (decoy === undefined) {
    decoy = derive('decoy', Buffer.alloc(16), cost, BLOCK_SIZE, PARALLELISM).then((hash) =>
      ['scrypt', cost, BLOCK_SIZE, PARALLELISM, Buffer.alloc(16).toString('base64'), hash.toString('base64')].join('$'),
    );
    decoys.set(cost, decoy);
  }
  await verifyPassword(password, await decoy);
}
