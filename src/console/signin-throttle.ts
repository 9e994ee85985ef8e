/**
 * Sign-in throttling as exponential backoff, in the store so every server on one database shares it.
 *
 * Each key (a principal, a source address, a sign-up source) may make a few attempts back to back; after
 * that each attempt must wait for a delay that doubles with every attempt, up to a cap, and a key left
 * quiet long enough starts afresh. Nobody is locked out for good: the worst a guesser can do to a
 * legitimate user is make them wait out the current delay (at most `maxDelayMs`).
 *
 * An attempt is *reserved* before the password is checked: the reservation is a compare-and-set on the
 * key's row, so N concurrent attempts are N reservations and at most the allowed number reach a password
 * check. While a key waits, no password is checked at all, right or wrong — otherwise the wait would be
 * no obstacle to a guesser — and the answer says how long to wait.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../store/schema.js';

export interface BackoffPolicy {
  /** Attempts allowed back to back before the first wait. */
  free: number;
  /** The wait after the first attempt beyond `free`; it doubles with every further attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no attempt for this long starts afresh. Longer than `maxDelayMs`, or the cap never bites. */
  forgetAfterMs: number;
}

export interface ThrottleLimits {
  /** Per signing-in principal (root email, account id + user name, MFA device owner): slows a guesser who spreads over many addresses. */
  principal: BackoffPolicy;
  /** Per source address: slows one address sweeping many principals. */
  address: BackoffPolicy;
  /** Per source address, for creating accounts. */
  signUp: BackoffPolicy;
}

const MINUTE = 60 * 1000;

export const DEFAULT_THROTTLE: ThrottleLimits = {
  principal: { free: 5, baseDelayMs: 1000, maxDelayMs: 5 * MINUTE, forgetAfterMs: 15 * MINUTE },
  address: { free: 30, baseDelayMs: 1000, maxDelayMs: 5 * MINUTE, forgetAfterMs: 15 * MINUTE },
  signUp: { free: 5, baseDelayMs: MINUTE, maxDelayMs: 60 * MINUTE, forgetAfterMs: 2 * 60 * MINUTE },
};

/** The wait that follows the `attempts`-th attempt. */
export function delayAfter(policy: BackoffPolicy, attempts: number): number {
  if (attempts < policy.free) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts - policy.free, 30));
}

/** Reservation rounds before a key so contended that it is refused rather than retried without end. */
const MAX_ROUNDS = 25;

export class SigninThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /**
   * Reserves one attempt for `key`: 0 when the caller may go ahead (the attempt is already counted),
   * otherwise how many milliseconds to wait first.
   */
  async reserve(key: string, policy: BackoffPolicy): Promise<number> {
    const now = this.clock.now().getTime();
    const at = (ms: number) => new Date(ms).toISOString();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const row = await this.db
        .selectFrom('console_signin_throttle')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
      if (row === undefined) {
        await this.forgetQuietKeys(now, policy);
        const inserted = await this.db
          .insertInto('console_signin_throttle')
          .values({
            key,
            attempts: 1,
            next_attempt_at: at(now + delayAfter(policy, 1)),
            last_attempt_at: at(now),
            version: 1,
          })
          .onConflict((c) => c.column('key').doNothing())
          .returning('key')
          .executeTakeFirst();
        if (inserted !== undefined) return 0;
        continue;
      }
      const quiet = now - Date.parse(row.last_attempt_at) >= policy.forgetAfterMs;
      const nextAttempt = Date.parse(row.next_attempt_at);
      if (!quiet && now < nextAttempt) return nextAttempt - now;
      const attempts = quiet ? 1 : Number(row.attempts) + 1;
      const updated = await this.db
        .updateTable('console_signin_throttle')
        .set({
          attempts,
          next_attempt_at: at(now + delayAfter(policy, attempts)),
          last_attempt_at: at(now),
          version: Number(row.version) + 1,
        })
        .where('key', '=', key)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return 0;
    }
    return policy.baseDelayMs;
  }

  /** A correct password: the principal's slate is wiped. */
  async forgive(key: string): Promise<void> {
    await this.db.deleteFrom('console_signin_throttle').where('key', '=', key).execute();
  }

  /**
   * A correct password gives its address back the attempt it spent, so many people signing in from
   * behind one address (an office, a proxy) do not slow each other down; their failures still count.
   */
  async refund(key: string): Promise<void> {
    await this.db
      .updateTable('console_signin_throttle')
      .set((eb) => ({ attempts: eb('attempts', '-', 1), version: eb('version', '+', 1) }))
      .where('key', '=', key)
      .where('attempts', '>', 0)
      .execute();
  }

  /** Rows quiet for longer than any policy remembers are dropped when a new key arrives; the table stays bounded. */
  private async forgetQuietKeys(now: number, policy: BackoffPolicy): Promise<void> {
    const horizon = Math.max(policy.forgetAfterMs, ...Object.values(DEFAULT_THROTTLE).map((p) => p.forgetAfterMs));
    await this.db
      .deleteFrom('console_signin_throttle')
      .where('last_attempt_at', '<', new Date(now - horizon).toISOString())
      .execute();
  }
}
