/**
 * What every IAM service shares: the database, the injected clock and randomness, and the policy
 * generation counters that let principal resolution cache safely.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { Database } from '../store/schema.js';

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
}

export type PathKind = 'user' | 'group' | 'role';

export class IamContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly sharedStore: boolean;
  readonly passwordHashCost: number;
  private readonly generations = new Map<string, number>();
  private readonly paths = new Map<string, string>();

  constructor(deps: IamDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.sharedStore = deps.sharedStore ?? false;
    this.passwordHashCost = deps.passwordHashCost ?? 16384;
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
   * generation is bumped inside it (other instances notice); the in-process one after commit, so a
   * resolution racing the commit cannot cache the old state under the new generation.
   */
  async write<T>(accountId: string, work: (trx: Trx) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(async (trx) => {
      const value = await work(trx);
      await trx
        .updateTable('iam_accounts')
        .set((eb) => ({ policy_generation: eb('policy_generation', '+', 1) }))
        .where('account_id', '=', accountId)
        .execute();
      return value;
    });
    this.generations.set(accountId, this.localGeneration(accountId) + 1);
    return result;
  }

  /** Marks accounts changed by someone else in this process (Organizations' SCP writes). */
  bumpLocal(accountIds: readonly string[]): void {
    for (const id of accountIds) this.generations.set(id, this.localGeneration(id) + 1);
  }

  /**
   * The path of a user, group or role, for the resource ARNs operations build synchronously before the
   * handler runs (`arn:aws:iam::…:user/division/Alice`); `/` when the entity does not exist.
   */
  pathOf(accountId: string, kind: PathKind, name: string): string {
    return this.paths.get(`${accountId}|${kind}|${name.toLowerCase()}`) ?? '/';
  }

  /** Records (after commit) an entity's path, or forgets it (`undefined`) when the entity is gone. */
  setPath(accountId: string, kind: PathKind, name: string, path: string | undefined): void {
    const key = `${accountId}|${kind}|${name.toLowerCase()}`;
    if (path === undefined || path === '/') this.paths.delete(key);
    else this.paths.set(key, path);
  }

  /** Loads the paths of every entity not at `/` (all accounts, or one after another instance changed it). */
  async loadPaths(accountId?: string): Promise<void> {
    for (const [kind, table] of [
      ['user', 'iam_users'],
      ['group', 'iam_groups'],
      ['role', 'iam_roles'],
    ] as const) {
      let query = this.db.selectFrom(table).select(['account_id', 'name', 'path']);
      if (accountId !== undefined) query = query.where('account_id', '=', accountId);
      const rows = await query.execute();
      if (accountId !== undefined) {
        for (const key of [...this.paths.keys()]) if (key.startsWith(`${accountId}|${kind}|`)) this.paths.delete(key);
      }
      for (const row of rows) this.setPath(row.account_id, kind, row.name, row.path);
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
