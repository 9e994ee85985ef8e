/**
 * What every IAM service shares: the database, the injected clock and randomness, and the policy
 * generation counters that let principal resolution cache safely.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import { BoundedCache } from '../platform/bounded-cache.js';
import { processSecretBox, type SecretBox } from '../platform/secrets.js';
import { concurrentModification } from './errors.js';
import type { Database } from '../store/schema.js';
import { uniqueViolation } from '../store/dialect.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export interface IamDeps {
  db: Db;
  clock: Clock;
  ids: IdSource;
  /** Another process may write the same store (PostgreSQL): resolution then re-checks the stored generation. */
  sharedStore?: boolean;
  /** scrypt cost (N); lower it only in tests. */
  passwordHashCost?: number;
  /** Seals access-key secrets and MFA seeds at rest; the server passes its master key, others get the process's. */
  secrets?: SecretBox;
}

export type PathKind = 'user' | 'group' | 'role' | 'instance-profile' | 'server-certificate';

/** An existing entity's name as stored (its case may differ from a caller's) and its path. */
export interface LocatedEntity {
  name: string;
  path: string;
}

const PATH_TABLES = {
  user: 'iam_users',
  group: 'iam_groups',
  role: 'iam_roles',
  'instance-profile': 'iam_instance_profiles',
  'server-certificate': 'iam_server_certificates',
} as const;

interface CachedRead {
  generation: number;
  touches: number;
  value: unknown;
  weight: number;
}

/**
 * What the read cache may hold, in entities (a user is 1, a page of 100 users 100): a caller enumerating
 * every MaxItems and Marker of a large account must not grow it without bound.
 */
const READ_CACHE_BUDGET = 50_000;

/** Freezes a cached value and everything in it, so a caller that tried to change a shared answer fails loudly. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export class IamContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly sharedStore: boolean;
  readonly passwordHashCost: number;
  readonly secrets: SecretBox;
  private readonly generations = new Map<string, number>();
  private readonly entities = new Map<string, LocatedEntity>();
  private readonly touches = new Map<string, number>();
  private readonly reads = new BoundedCache<string, CachedRead>(READ_CACHE_BUDGET, undefined, (read) => read.weight);

  constructor(deps: IamDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.sharedStore = deps.sharedStore ?? false;
    this.passwordHashCost = deps.passwordHashCost ?? 16384;
    this.secrets = deps.secrets ?? processSecretBox;
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** This process's view of an account's policy generation (changes whenever effective policies may change). */
  localGeneration(accountId: string): number {
    return this.generations.get(accountId) ?? 0;
  }

  /**
   * Runs a write in one transaction, so a failure leaves nothing half-written. The account's stored
   * generation is bumped *first*: the row lock that takes serializes the account's IAM writes on PostgreSQL
   * (read committed lets two count-then-insert transactions both pass a quota otherwise; SQLite runs one
   * transaction at a time anyway), and each later statement reads what the writer before it committed.
   * Other instances notice the bump; the in-process generation moves after commit, so a resolution racing
   * the commit cannot cache the old state under the new generation. A unique key that still collides is
   * answered as AWS's ConcurrentModification, never as an internal failure.
   */
  async write<T>(accountId: string, work: (trx: Trx) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('iam_accounts')
          .set((eb) => ({ policy_generation: eb('policy_generation', '+', 1) }))
          .where('account_id', '=', accountId)
          .execute();
        return work(trx);
      });
    } catch (error) {
      if (uniqueViolation(error)) throw concurrentModification();
      throw error;
    }
    this.generations.set(accountId, this.localGeneration(accountId) + 1);
    return result;
  }

  /** Marks accounts changed by someone else in this process (Organizations' SCP writes). */
  bumpLocal(accountIds: readonly string[]): void {
    for (const id of accountIds) this.generations.set(id, this.localGeneration(id) + 1);
  }

  /**
   * Records a change to what reads return that is not an IAM write and so does not bump the policy
   * generation (a user's PasswordLastUsed on console sign-in): it only invalidates `cachedRead`.
   */
  touch(accountId: string): void {
    this.touches.set(accountId, (this.touches.get(accountId) ?? 0) + 1);
  }

  /**
   * A read of one account's IAM state (GetUser, ListUsers), answered from memory while nothing in the account
   * changed: entries are kept under the account's generation, which every `write` bumps after commit, and its
   * `touch` count. The generation is taken before loading, so a write committing meanwhile leaves the entry
   * already stale rather than cached as current. With a shared store there is no cache: another instance's
   * writes show only in the stored generation, whose read costs as much as the reads it would save, and
   * sign-ins elsewhere leave no stored signal at all. Cached values are frozen: callers must not change them.
   */
  async cachedRead<T>(
    accountId: string,
    key: string,
    load: () => Promise<T>,
    weight: (value: T) => number = () => 1,
  ): Promise<T> {
    if (this.sharedStore) return load();
    const generation = this.localGeneration(accountId);
    const touches = this.touches.get(accountId) ?? 0;
    const cacheKey = `${accountId}|${key}`;
    const cached = this.reads.get(cacheKey);
    if (cached !== undefined && cached.generation === generation && cached.touches === touches)
      return cached.value as T;
    const value = deepFreeze(await load());
    this.reads.set(cacheKey, { generation, touches, value, weight: Math.max(1, weight(value)) });
    return value;
  }

  /**
   * A user's, group's, role's, instance profile's or server certificate's name as stored and its path, for the
   * resource ARNs operations build before the handler runs (`arn:aws:iam::…:user/division/Alice`). Names are
   * unique regardless of case and a caller may type any case, so the ARN must carry the stored name: else a
   * Deny on `user/alice` would miss a call naming `ALICE`. An entity that does not exist keeps the name as
   * given, at `/`. With a shared store another instance may create, move or delete the entity at any moment,
   * so it is read from the store for every decision; a process that owns its store keeps an index it updates
   * after each commit.
   */
  async locate(accountId: string, kind: PathKind, name: string): Promise<LocatedEntity> {
    if (!this.sharedStore)
      return this.entities.get(`${accountId}|${kind}|${name.toLowerCase()}`) ?? { name, path: '/' };
    const row = await this.db
      .selectFrom(PATH_TABLES[kind])
      .select(['name', 'path'])
      .where('account_id', '=', accountId)
      .where('name_key', '=', name.toLowerCase())
      .executeTakeFirst();
    return row ?? { name, path: '/' };
  }

  /** Records (after commit) an entity's stored name and path, or forgets it (`path` undefined) when it is gone. */
  recordEntity(accountId: string, kind: PathKind, name: string, path: string | undefined): void {
    if (this.sharedStore) return;
    const key = `${accountId}|${kind}|${name.toLowerCase()}`;
    if (path === undefined) this.entities.delete(key);
    else this.entities.set(key, { name, path });
  }

  /** Loads every entity's name and path into this process's index (not kept with a shared store). */
  async loadEntities(): Promise<void> {
    if (this.sharedStore) return;
    for (const [kind, table] of Object.entries(PATH_TABLES) as [PathKind, (typeof PATH_TABLES)[PathKind]][]) {
      const rows = await this.db.selectFrom(table).select(['account_id', 'name', 'path']).execute();
      for (const row of rows) this.recordEntity(row.account_id, kind, row.name, row.path);
    }
  }

  /** The stored generation (read only when another process may write the store). */
  async storedGeneration(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('iam_accounts')
      .select('policy_generation')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(row?.policy_generation ?? 0);
  }
}
