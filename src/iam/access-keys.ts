/**
 * Access keys of IAM users and of root users: at most two per owner, Active/Inactive, last used.
 * The secret is returned once, by create; SigV4 verification looks keys up through `find`.
 */
import { accessKeyId as newAccessKeyId, secretAccessKey as newSecret } from '../platform/ids.js';
import { sealedContext } from '../platform/secrets.js';
import type { Caller } from '../core/operation.js';
import { validationError } from '../core/errors.js';
import { invalidInput, limitExceeded, noSuchEntity } from './errors.js';
import type { IamContext, Trx } from './context.js';
import { requireUser } from './records.js';

export const ACCESS_KEYS_PER_USER = 2;

/** What SigV4 verification needs about a key: the secret, whether it may be used, and who it belongs to. */
export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  accountId: string;
  /** The caller a request signed with this key acts as. */
  caller: Caller;
}

interface Owner {
  accountId: string;
  /** Undefined for the root user. */
  userId?: string;
  userName?: string;
}

export class AccessKeyService {
  private readonly lastRecorded = new Map<string, string>();

  constructor(private readonly ctx: IamContext) {}

  /** The owner of a call: the named user, or (no name given, root caller) the root user; IAM users default to themselves. */
  private async owner(accountId: string, userName: string | undefined): Promise<Owner> {
    if (userName === undefined || userName === '') return { accountId };
    const user = await requireUser(this.ctx.db, accountId, userName);
    return { accountId, userId: user.user_id, userName: user.name };
  }

  async create(accountId: string, userName?: string) {
    const owner = await this.owner(accountId, userName);
    const accessKeyId = newAccessKeyId(this.ctx.ids, 'AKIA');
    const secretAccessKey = newSecret(this.ctx.ids);
    const key = {
      access_key_id: accessKeyId,
      account_id: accountId,
      user_id: owner.userId ?? null,
      secret_access_key: this.ctx.secrets.seal(secretAccessKey, sealedContext.accessKey(accessKeyId)),
      status: 'Active' as const,
      created_at: this.ctx.nowIso(),
      last_used_date: null,
      last_used_service: null,
      last_used_region: null,
    };
    await this.ctx.write(accountId, async (trx) => {
      let query = trx
        .selectFrom('iam_access_keys')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId);
      query = owner.userId ? query.where('user_id', '=', owner.userId) : query.where('user_id', 'is', null);
      const { count } = await query.executeTakeFirstOrThrow();
      if (Number(count) >= ACCESS_KEYS_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
      }
      await trx.insertInto('iam_access_keys').values(key).execute();
    });
    return {
      ...(owner.userName ? { UserName: owner.userName } : {}),
      AccessKeyId: key.access_key_id,
      Status: key.status,
      SecretAccessKey: secretAccessKey,
      CreateDate: new Date(key.created_at),
    };
  }

  /**
   * The first root key of a new account, inside the transaction that creates the account (bootstrap): the
   * fixed id and secret given, or generated ones.
   */
  async issueFirstRootKey(
    trx: Trx,
    accountId: string,
    fixed?: { accessKeyId: string; secretAccessKey: string },
  ): Promise<{ accessKeyId: string; secretAccessKey: string }> {
    if (fixed !== undefined && !/^AKIA[A-Z2-7]{16}$/.test(fixed.accessKeyId))
      throw invalidInput('The access key id must be AKIA and 16 base32 characters.');
    const key = fixed ?? {
      accessKeyId: newAccessKeyId(this.ctx.ids, 'AKIA'),
      secretAccessKey: newSecret(this.ctx.ids),
    };
    await trx
      .insertInto('iam_access_keys')
      .values({
        access_key_id: key.accessKeyId,
        account_id: accountId,
        user_id: null,
        secret_access_key: this.ctx.secrets.seal(key.secretAccessKey, sealedContext.accessKey(key.accessKeyId)),
        status: 'Active',
        created_at: this.ctx.nowIso(),
        last_used_date: null,
        last_used_service: null,
        last_used_region: null,
      })
      .execute();
    return key;
  }

  async list(accountId: string, userName?: string) {
    const owner = await this.owner(accountId, userName);
    let query = this.ctx.db.selectFrom('iam_access_keys').selectAll().where('account_id', '=', accountId);
    query = owner.userId ? query.where('user_id', '=', owner.userId) : query.where('user_id', 'is', null);
    const rows = await query.orderBy('created_at').execute();
    return rows.map((r) => ({
      ...(owner.userName ? { UserName: owner.userName } : {}),
      AccessKeyId: r.access_key_id,
      Status: r.status,
      CreateDate: new Date(r.created_at),
    }));
  }

  private async requireKey(accountId: string, accessKeyId: string, userName?: string) {
    const owner = await this.owner(accountId, userName);
    const row = await this.ctx.db
      .selectFrom('iam_access_keys')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row || (row.user_id ?? undefined) !== owner.userId) {
      throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
    }
    return row;
  }

  async updateStatus(accountId: string, accessKeyId: string, status: unknown, userName?: string): Promise<void> {
    if (status !== 'Active' && status !== 'Inactive') {
      throw validationError(
        `1 validation error detected: Value '${String(status)}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
      );
    }
    const row = await this.requireKey(accountId, accessKeyId, userName);
    await this.ctx.write(accountId, async (trx) => {
      await trx.updateTable('iam_access_keys').set({ status }).where('access_key_id', '=', row.access_key_id).execute();
    });
  }

  async delete(accountId: string, accessKeyId: string, userName?: string): Promise<void> {
    const row = await this.requireKey(accountId, accessKeyId, userName);
    await this.ctx.write(accountId, async (trx) => {
      await trx.deleteFrom('iam_access_keys').where('access_key_id', '=', row.access_key_id).execute();
    });
  }

  /** GetAccessKeyLastUsed: any key of the caller's account; AWS answers `N/A` for a key never used. */
  async lastUsed(accountId: string, accessKeyId: string) {
    const row = await this.ctx.db
      .selectFrom('iam_access_keys')
      .leftJoin('iam_users', 'iam_users.user_id', 'iam_access_keys.user_id')
      .select(['iam_access_keys.last_used_date', 'last_used_service', 'last_used_region', 'iam_users.name'])
      .where('access_key_id', '=', accessKeyId)
      .where('iam_access_keys.account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw accessKeyNotFound(accessKeyId);
    return {
      ...(row.name ? { UserName: row.name } : {}),
      AccessKeyLastUsed: {
        ...(row.last_used_date ? { LastUsedDate: new Date(row.last_used_date) } : {}),
        ServiceName: row.last_used_service ?? 'N/A',
        Region: row.last_used_region ?? 'N/A',
      },
    };
  }

  /** For SigV4 verification: the key, its secret and its owner as a Caller; undefined when no such key exists. */
  async find(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('iam_access_keys')
      .leftJoin('iam_users', 'iam_users.user_id', 'iam_access_keys.user_id')
      .select([
        'iam_access_keys.access_key_id',
        'iam_access_keys.account_id',
        'iam_access_keys.secret_access_key',
        'iam_access_keys.status',
        'iam_users.user_id',
        'iam_users.name',
        'iam_users.arn',
      ])
      .where('iam_access_keys.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row) return undefined;
    const caller: Caller =
      row.user_id && row.name && row.arn
        ? { kind: 'user', accountId: row.account_id, arn: row.arn, userId: row.user_id, name: row.name, accessKeyId }
        : {
            kind: 'root',
            accountId: row.account_id,
            arn: `arn:aws:iam::${row.account_id}:root`,
            userId: row.account_id,
            accessKeyId,
          };
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: this.ctx.secrets.open(row.secret_access_key, sealedContext.accessKey(row.access_key_id)),
      status: row.status,
      accountId: row.account_id,
      caller,
    };
  }

  /**
   * Records that a key was used. AWS keeps last-used at coarse granularity, so a write happens only when the
   * minute, service or region changes — a burst of signed calls costs one write, not one per request.
   */
  async recordUse(accessKeyId: string, service: string, region: string, when: Date): Promise<void> {
    const iso = when.toISOString();
    const stamp = `${iso.slice(0, 16)}|${service}|${region}`;
    if (this.lastRecorded.get(accessKeyId) === stamp) return;
    this.lastRecorded.set(accessKeyId, stamp);
    await this.ctx.db
      .updateTable('iam_access_keys')
      .set({ last_used_date: iso, last_used_service: service, last_used_region: region })
      .where('access_key_id', '=', accessKeyId)
      .execute();
  }
}

function accessKeyNotFound(accessKeyId: string) {
  return noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
}
