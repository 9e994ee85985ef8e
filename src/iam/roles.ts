/** IAM roles with their trust policies (AssumeRolePolicyDocument); an account has at most 1,000 roles. */
import { uniqueId } from '../platform/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded } from './errors.js';
import type { IamContext } from './context.js';
import type { NamePage, PageOf } from './name-page.js';
import { namePageFilter, pageOf } from './name-page.js';
import { checkPolicyDocument } from './policy-documents.js';
import type { RoleRow } from './records.js';
import { iamArn, requireRole, roleShape, tagsOf } from './records.js';
import { replaceTags } from './tags.js';
import { requireBoundaryPolicy } from './users.js';
import { checkTags } from './validation.js';
import type { CreateRoleRequest, UpdateRoleRequest } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const ROLES_PER_ACCOUNT = 1000;

export class RoleService {
  private readonly lastRecorded = new Map<string, string>();

  constructor(private readonly ctx: IamContext) {}

  async create(
    accountId: string,
    input: Pick<
      CreateRoleRequest,
      | 'RoleName'
      | 'Path'
      | 'AssumeRolePolicyDocument'
      | 'Description'
      | 'MaxSessionDuration'
      | 'PermissionsBoundary'
      | 'Tags'
    >,
  ) {
    const name = input.RoleName;
    const path = input.Path ?? '/';
    const trust = checkPolicyDocument(input.AssumeRolePolicyDocument, 'trust', 'assumeRolePolicyDocument');
    const tags = checkTags(input.Tags, 'role');
    const row: RoleRow = {
      role_id: uniqueId(this.ctx.ids, 'AROA'),
      account_id: accountId,
      name,
      name_key: name.toLowerCase(),
      path,
      arn: iamArn(accountId, 'role', path, name),
      created_at: this.ctx.nowIso(),
      description: input.Description ?? null,
      assume_role_policy: trust,
      max_session_duration: input.MaxSessionDuration ?? 3600,
      permissions_boundary_arn: typeof input.PermissionsBoundary === 'string' ? input.PermissionsBoundary : null,
      last_used_date: null,
      last_used_region: null,
    };
    const duplicate = () => entityAlreadyExists(`Role with name ${name} already exists.`);
    await this.ctx.write(accountId, async (trx) => {
      const existing = await trx
        .selectFrom('iam_roles')
        .select('role_id')
        .where('account_id', '=', accountId)
        .where('name_key', '=', row.name_key)
        .executeTakeFirst();
      if (existing) throw duplicate();
      const { count } = await trx
        .selectFrom('iam_roles')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= ROLES_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ROLES_PER_ACCOUNT}`);
      if (row.permissions_boundary_arn) await requireBoundaryPolicy(trx, accountId, row.permissions_boundary_arn);
      await trx
        .insertInto('iam_roles')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicate() : error;
        });
      await replaceTags(trx, 'role', row.role_id, tags);
    });
    this.ctx.recordEntity(accountId, 'role', name, path);
    return roleShape(row, tags);
  }

  async get(accountId: string, name: string) {
    const row = await requireRole(this.ctx.db, accountId, name);
    return roleShape(row, await tagsOf(this.ctx.db, 'role', row.role_id));
  }

  /** For STS AssumeRole: the role by ARN (any account), or undefined. */
  async findByArn(arn: string): Promise<RoleRow | undefined> {
    return this.ctx.db.selectFrom('iam_roles').selectAll().where('arn', '=', arn).executeTakeFirst();
  }

  /** Records a role session's activity for RoleLastUsed; at most one write per role, region and minute. */
  async recordUse(roleId: string, region: string, when: Date): Promise<void> {
    const iso = when.toISOString();
    const stamp = `${iso.slice(0, 16)}|${region}`;
    if (this.lastRecorded.get(roleId) === stamp) return;
    this.lastRecorded.set(roleId, stamp);
    await this.ctx.db
      .updateTable('iam_roles')
      .set({ last_used_date: iso, last_used_region: region })
      .where('role_id', '=', roleId)
      .execute();
  }

  /** One page of the account's roles in name order (see name-page.ts). */
  async list(
    accountId: string,
    pathPrefix: string | undefined,
    page: NamePage,
  ): Promise<PageOf<ReturnType<typeof roleShape>>> {
    const rows = await this.ctx.db
      .selectFrom('iam_roles')
      .selectAll()
      .where(namePageFilter(accountId, pathPrefix ?? '/', page))
      .orderBy('name_key')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows, page, (r) => roleShape(r));
  }

  async update(accountId: string, name: string, input: Pick<UpdateRoleRequest, 'Description' | 'MaxSessionDuration'>) {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireRole(trx, accountId, name);
      await trx
        .updateTable('iam_roles')
        .set({
          ...(input.Description !== undefined ? { description: input.Description } : {}),
          ...(input.MaxSessionDuration !== undefined ? { max_session_duration: input.MaxSessionDuration } : {}),
        })
        .where('role_id', '=', row.role_id)
        .execute();
    });
  }

  async updateAssumeRolePolicy(accountId: string, name: string, document: string): Promise<void> {
    const trust = checkPolicyDocument(document, 'trust');
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireRole(trx, accountId, name);
      await trx
        .updateTable('iam_roles')
        .set({ assume_role_policy: trust })
        .where('role_id', '=', row.role_id)
        .execute();
    });
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireRole(trx, accountId, name);
      const attached = await trx
        .selectFrom('iam_policy_attachments')
        .select('policy_id')
        .where('entity_type', '=', 'role')
        .where('entity_id', '=', row.role_id)
        .executeTakeFirst();
      if (attached) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      const inline = await trx
        .selectFrom('iam_inline_policies')
        .select('name')
        .where('entity_type', '=', 'role')
        .where('entity_id', '=', row.role_id)
        .executeTakeFirst();
      if (inline) throw deleteConflict('Cannot delete entity, must delete policies first.');
      const profile = await trx
        .selectFrom('iam_instance_profiles')
        .select('profile_id')
        .where('role_id', '=', row.role_id)
        .executeTakeFirst();
      if (profile) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'role')
        .where('resource_id', '=', row.role_id)
        .execute();
      await trx.deleteFrom('iam_roles').where('role_id', '=', row.role_id).execute();
    });
    this.ctx.recordEntity(accountId, 'role', name, undefined);
  }
}
