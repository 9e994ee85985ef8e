/**
 * Failed sign-ins, counted in a sliding window per key: per principal (so one account's user cannot be
 * guessed at from many addresses) and per source address (so one address cannot sweep many users).
 * While a key is over its limit the password is not even checked, and the answer does not say why.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../store/schema.js';

export interface ThrottleLimits {
  windowMs: number;
  perPrincipal: number;
  perAddress: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { windowMs: 15 * 60 * 1000, perPrincipal: 5, perAddress: 30 };

export interface ThrottleKeys {
  principal: string;
  address: string;
}

export class SigninThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  async isBlocked(keys: ThrottleKeys): Promise<boolean> {
    const since = new Date(this.clock.now().getTime() - this.limits.windowMs).toISOString();
    const count = async (key: string) => {
      const row = await this.db
        .selectFrom('console_signin_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('key', '=', key)
        .where('at', '>', since)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    };
    return (
      (await count(keys.principal)) >= this.limits.perPrincipal || (await count(keys.address)) >= this.limits.perAddress
    );
  }

  async recordFailure(keys: ThrottleKeys): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.db
      .insertInto('console_signin_failures')
      .values([
        { key: keys.principal, at },
        { key: keys.address, at },
      ])
      .execute();
    const stale = new Date(this.clock.now().getTime() - this.limits.windowMs).toISOString();
    await this.db.deleteFrom('console_signin_failures').where('at', '<=', stale).execute();
  }

  /** A successful sign-in forgives the principal's earlier failures (not the address's). */
  async recordSuccess(keys: ThrottleKeys): Promise<void> {
    await this.db.deleteFrom('console_signin_failures').where('key', '=', keys.principal).execute();
  }
}
