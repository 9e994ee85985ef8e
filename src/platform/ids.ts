/**
 * Random identifiers in AWS's formats. Everything random in Bursar comes from an IdSource so a test can
 * swap in a seeded one and get the same ids on every run.
 */
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';

// AWS unique ids (AIDA…, AKIA…) use the RFC 4648 base32 alphabet after their four-letter prefix.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface IdSource {
  /** `n` random bytes. */
  bytes(n: number): Buffer;
}

function pick(source: IdSource, alphabet: string, length: number): string {
  // Rejection sampling keeps every character equally likely whatever the alphabet's size.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of source.bytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** AWS's unique id for an entity: a four-letter prefix (`AIDA`, `AGPA`, `AROA`, `ANPA`…) and 17 base32 characters. */
export function uniqueId(source: IdSource, prefix: string): string {
  return prefix + pick(source, BASE32, 17);
}

/** An access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 base32 characters. */
export function accessKeyId(source: IdSource, prefix: 'AKIA' | 'ASIA'): string {
  return prefix + pick(source, BASE32, 16);
}

/** A 40-character secret access key, in the alphabet AWS's secrets use. */
export function secretAccessKey(source: IdSource): string {
  return pick(source, BASE62 + '+/', 40);
}

/** An opaque session token for temporary credentials. */
export function sessionToken(source: IdSource): string {
  return 'IQoJb3JpZ2luX2Vj' + source.bytes(96).toString('base64');
}

/** A random (version 4) UUID: request ids as AWS's Query services print them, import and export ids. */
export function uuid(source: IdSource): string {
  const b = source.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A request id as AWS's Query services print them (a UUID). */
export const requestId = uuid;

/** A random string of base62 characters (passwords, opaque tokens). */
export function randomString(source: IdSource, length: number): string {
  return pick(source, BASE62, length);
}

/** A 12-digit account id that does not start with 0. */
export function accountId(source: IdSource): string {
  return String(1 + (source.bytes(1)[0]! % 9)) + pick(source, '0123456789', 11);
}

// Random bytes are drawn from a pool refilled in 4 KiB blocks: one system call per many request ids.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

export const cryptoIdSource: IdSource = {
  bytes(n: number): Buffer {
    if (n > POOL_SIZE) return cryptoRandomBytes(n);
    if (poolOffset + n > pool.length) {
      pool = cryptoRandomBytes(POOL_SIZE);
      poolOffset = 0;
    }
    const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
    pool.fill(0, poolOffset, poolOffset + n);
    poolOffset += n;
    return out;
  },
};

/** Deterministic bytes from a seed (SHA-256 in counter mode): for tests and reproducible fixtures only. */
export function seededIdSource(seed: string): IdSource {
  let counter = 0;
  return {
    bytes(n: number): Buffer {
      const chunks: Buffer[] = [];
      let have = 0;
      while (have < n) {
        const chunk = createHash('sha256').update(`${seed}:${counter++}`).digest();
        chunks.push(chunk);
        have += chunk.length;
      }
      return Buffer.concat(chunks).subarray(0, n);
    },
  };
}
