/**
 * IAM instance profiles: named containers for at most one role, which EC2 hands to an instance. An account has
 * at most 1,000. A profile with a role cannot be deleted, nor can a role that is in a profile (roles.ts).
 */
import type { Selectable } from 'kysely';
import { uniqueId } from '../platform/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import type { Db, IamContext, Trx } from './context.js';
import type { NamePage, PageOf } from './name-page.js';
import { namePageFilter, pageOf } from './name-page.js';
import { iamArn, requireRole, roleShape, tagsOf, type RoleRow } from './records.js';
import { replaceTags } from './tags.js';
import { checkTags } from './validation.js';
import type { CreateInstanceProfileRequest } from '../contracts/wire/iam.js';
import type { IamInstanceProfileTable } from '../store/tables/iam.js';
import type { Tag } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const INSTANCE_PROFILES_PER_ACCOUNT = 1000;
/** AWS's InstanceSessionsPerInstanceProfile quota: one role per profile. */
const ROLES_PER_INSTANCE_PROFILE = 1;

type ProfileRow = Selectable<IamInstanceProfileTable>;

/** A role as an instance profile lists it: the role's own shape without its last use. */
function profileRole(row: RoleRow) {
  const { RoleLastUsed: _lastUsed, ...role } = roleShape(row);
  return role;
}

function profileShape(row: ProfileRow, role: RoleRow | undefined, tags?: Tag[]) {
  return {
    Path: row.path,
    InstanceProfileName: row.name,
    InstanceProfileId: row.profile_id,
    Arn: row.arn,
    CreateDate: new Date(row.created_at),
    Roles: role ? [profileRole(role)] : [],
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
  };
}

export type InstanceProfile = ReturnType<typeof profileShape>;

async function findProfile(db: Db | Trx, accountId: string, name: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom('iam_instance_profiles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function requireInstanceProfile(db: Db | Trx, accountId: string, name: string): Promise<ProfileRow> {
  const row = await findProfile(db, accountId, name);
  if (!row) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return row;
}

/** The roles of the given profiles, by role id, in one query. */
async function rolesOf(db: Db | Trx, rows: readonly ProfileRow[]): Promise<Map<string, RoleRow>> {
  const ids = [...new Set(rows.flatMap((r) => (r.role_id === null ? [] : [r.role_id])))];
  if (ids.length === 0) return new Map();
  const roles = await db.selectFrom('iam_roles').selectAll().where('role_id', 'in', ids).execute();
  return new Map(roles.map((r) => [r.role_id, r]));
}

/** The instance profiles each of an account's roles is in (GetAccountAuthorizationDetails), by role id. */
export async function instanceProfilesByRole(
  db: Db | Trx,
  accountId: string,
  roles: readonly RoleRow[],
): Promise<Map<string, InstanceProfile[]>> {
  const byId = new Map(roles.map((r) => [r.role_id, r]));
  const rows = await db
    .selectFrom('iam_instance_profiles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('role_id', 'is not', null)
    .orderBy('name_key')
    .execute();
  const profiles = new Map<string, InstanceProfile[]>();
  for (const row of rows) {
    const role = byId.get(row.role_id!);
    if (role === undefined) continue;
    profiles.set(role.role_id, [...(profiles.get(role.role_id) ?? []), profileShape(row, role)]);
  }
  return profiles;
}

export class InstanceProfileService {
  constructor(private readonly ctx: IamContext) {}

  async create(
    accountId: string,
    input: Pick<CreateInstanceProfileRequest, 'InstanceProfileName' | 'Path' | 'Tags'>,
  ): Promise<InstanceProfile> {
    const name = input.InstanceProfileName;
    const path = input.Path ?? '/';
    const tags = checkTags(input.Tags, 'instance-profile');
    const row: ProfileRow = {
      profile_id: uniqueId(this.ctx.ids, 'AIPA'),
      account_id: accountId,
      name,
      name_key: name.toLowerCase(),
      path,
      arn: iamArn(accountId, 'instance-profile', path, name),
      created_at: this.ctx.nowIso(),
      role_id: null,
    };
    const duplicate = () => entityAlreadyExists(`Instance Profile ${name} already exists.`);
    await this.ctx.write(accountId, async (trx) => {
      if (await findProfile(trx, accountId, name)) throw duplicate();
      const { count } = await trx
        .selectFrom('iam_instance_profiles')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= INSTANCE_PROFILES_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for InstanceProfilesPerAccount: ${INSTANCE_PROFILES_PER_ACCOUNT}`);
      await trx
        .insertInto('iam_instance_profiles')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicate() : error;
        });
      await replaceTags(trx, 'instance-profile', row.profile_id, tags);
    });
    this.ctx.recordEntity(accountId, 'instance-profile', name, path);
    return profileShape(row, undefined, tags);
  }

  async get(accountId: string, name: string): Promise<InstanceProfile> {
    const row = await requireInstanceProfile(this.ctx.db, accountId, name);
    const roles = await rolesOf(this.ctx.db, [row]);
    const tags = await tagsOf(this.ctx.db, 'instance-profile', row.profile_id);
    return profileShape(row, row.role_id === null ? undefined : roles.get(row.role_id), tags);
  }

  /** The profile's id, for its tags. */
  async idOf(accountId: string, name: string): Promise<string> {
    return (await requireInstanceProfile(this.ctx.db, accountId, name)).profile_id;
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireInstanceProfile(trx, accountId, name);
      if (row.role_id !== null)
        throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'instance-profile')
        .where('resource_id', '=', row.profile_id)
        .execute();
      await trx.deleteFrom('iam_instance_profiles').where('profile_id', '=', row.profile_id).execute();
    });
    this.ctx.recordEntity(accountId, 'instance-profile', name, undefined);
  }

  /** One page of the account's profiles in name order (see name-page.ts); as AWS's, without tags. */
  async list(accountId: string, pathPrefix: string | undefined, page: NamePage): Promise<PageOf<InstanceProfile>> {
    const rows = await this.ctx.db
      .selectFrom('iam_instance_profiles')
      .selectAll()
      .where(namePageFilter(accountId, pathPrefix ?? '/', page))
      .orderBy('name_key')
      .limit(page.limit + 1)
      .execute();
    const roles = await rolesOf(this.ctx.db, rows);
    return pageOf(rows, page, (r) => profileShape(r, r.role_id === null ? undefined : roles.get(r.role_id)));
  }

  /** The profiles a role is in, in name order (at most the account's quota of profiles). */
  async listForRole(accountId: string, roleName: string): Promise<InstanceProfile[]> {
    const role = await requireRole(this.ctx.db, accountId, roleName);
    const rows = await this.ctx.db
      .selectFrom('iam_instance_profiles')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('role_id', '=', role.role_id)
      .orderBy('name_key')
      .execute();
    return rows.map((r) => profileShape(r, role));
  }

  async addRole(accountId: string, profileName: string, roleName: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const profile = await requireInstanceProfile(trx, accountId, profileName);
      const role = await requireRole(trx, accountId, roleName);
      // AWS refuses by the quota even when the profile's one role is the role being added.
      if (profile.role_id !== null)
        throw limitExceeded(
          `Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${ROLES_PER_INSTANCE_PROFILE}`,
        );
      await trx
        .updateTable('iam_instance_profiles')
        .set({ role_id: role.role_id })
        .where('profile_id', '=', profile.profile_id)
        .execute();
    });
  }

  async removeRole(accountId: string, profileName: string, roleName: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const profile = await requireInstanceProfile(trx, accountId, profileName);
      const role = await requireRole(trx, accountId, roleName);
      if (profile.role_id !== role.role_id) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
      await trx
        .updateTable('iam_instance_profiles')
        .set({ role_id: null })
        .where('profile_id', '=', profile.profile_id)
        .execute();
    });
  }
}
