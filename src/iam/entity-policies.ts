/**
 * What hangs off a user, group or role: attached managed policies (at most 10 per entity), inline
 * policies, and (users and roles) a permissions boundary.
 */
import { limitExceeded, noSuchEntity } from './errors.js';
import type { IamContext, Trx } from './context.js';
import { checkPolicyDocument } from './policy-documents.js';
import type { EntityType } from './records.js';
import { findPolicyByArn, requireGroup, requireRole, requireUser } from './records.js';

export const MANAGED_POLICIES_PER_ENTITY = 10;

const QUOTA_NAME: Record<EntityType, string> = {
  user: 'PoliciesPerUser',
  group: 'PoliciesPerGroup',
  role: 'PoliciesPerRole',
};
const INLINE_KIND = { user: 'inline-user', group: 'inline-group', role: 'inline-role' } as const;
/** AWS's aggregate inline policy size per entity, in characters without whitespace. */
const INLINE_QUOTA: Record<EntityType, number> = { user: 2048, group: 5120, role: 10240 };

export interface EntityRef {
  type: EntityType;
  id: string;
  name: string;
}

export async function requireEntity(
  trx: Trx | IamContext['db'],
  accountId: string,
  type: EntityType,
  name: string,
): Promise<EntityRef> {
  if (type === 'user') {
    const row = await requireUser(trx, accountId, name);
    return { type, id: row.user_id, name: row.name };
  }
  if (type === 'group') {
    const row = await requireGroup(trx, accountId, name);
    return { type, id: row.group_id, name: row.name };
  }
  const row = await requireRole(trx, accountId, name);
  return { type, id: row.role_id, name: row.name };
}

export class EntityPolicyService {
  constructor(private readonly ctx: IamContext) {}

  async attach(accountId: string, type: EntityType, entityName: string, policyArnInput: string): Promise<void> {
    const policyArn = policyArnInput;
    await this.ctx.write(accountId, async (trx) => {
      const entity = await requireEntity(trx, accountId, type, entityName);
      const policy = await findPolicyByArn(trx, accountId, policyArn);
      if (!policy) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
      const attached = await trx
        .selectFrom('iam_policy_attachments')
        .select('policy_id')
        .where('entity_type', '=', type)
        .where('entity_id', '=', entity.id)
        .execute();
      if (attached.some((a) => a.policy_id === policy.policy_id)) return;
      if (attached.length >= MANAGED_POLICIES_PER_ENTITY) {
        throw limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[type]}: ${MANAGED_POLICIES_PER_ENTITY}`);
      }
      await trx
        .insertInto('iam_policy_attachments')
        .values({ entity_type: type, entity_id: entity.id, policy_id: policy.policy_id })
        .execute();
    });
  }

  async detach(accountId: string, type: EntityType, entityName: string, policyArnInput: string): Promise<void> {
    const policyArn = policyArnInput;
    await this.ctx.write(accountId, async (trx) => {
      const entity = await requireEntity(trx, accountId, type, entityName);
      const policy = await findPolicyByArn(trx, accountId, policyArn);
      const result = policy
        ? await trx
            .deleteFrom('iam_policy_attachments')
            .where('entity_type', '=', type)
            .where('entity_id', '=', entity.id)
            .where('policy_id', '=', policy.policy_id)
            .executeTakeFirst()
        : undefined;
      if (!result || Number(result.numDeletedRows) === 0) throw noSuchEntity(`Policy ${policyArn} was not found.`);
    });
  }

  /** ListAttached{User,Group,Role}Policies: `{PolicyName, PolicyArn}` in name order. */
  async listAttached(accountId: string, type: EntityType, entityName: string, pathPrefix = '/') {
    const entity = await requireEntity(this.ctx.db, accountId, type, entityName);
    const rows = await this.ctx.db
      .selectFrom('iam_policy_attachments')
      .innerJoin('iam_policies', 'iam_policies.policy_id', 'iam_policy_attachments.policy_id')
      .select(['iam_policies.name', 'iam_policies.arn', 'iam_policies.path', 'iam_policies.name_key'])
      .where('entity_type', '=', type)
      .where('entity_id', '=', entity.id)
      .orderBy('iam_policies.name_key')
      .execute();
    return rows.filter((r) => r.path.startsWith(pathPrefix)).map((r) => ({ PolicyName: r.name, PolicyArn: r.arn }));
  }

  /** ListEntitiesForPolicy: the account's users, groups and roles the policy is attached to. */
  async entitiesFor(accountId: string, policyArnInput: string, filter?: unknown) {
    const policyArn = policyArnInput;
    const policy = await findPolicyByArn(this.ctx.db, accountId, policyArn);
    if (!policy) throw noSuchEntity(`Policy ${policyArn} was not found.`);
    const ids = await this.ctx.db
      .selectFrom('iam_policy_attachments')
      .select(['entity_type', 'entity_id'])
      .where('policy_id', '=', policy.policy_id)
      .execute();
    const of = (type: EntityType) => ids.filter((i) => i.entity_type === type).map((i) => i.entity_id);
    const want = (type: string) => filter === undefined || filter === null || filter === '' || filter === type;
    const users =
      want('User') && of('user').length
        ? await this.ctx.db
            .selectFrom('iam_users')
            .select(['name', 'user_id'])
            .where('user_id', 'in', of('user'))
            .where('account_id', '=', accountId)
            .orderBy('name_key')
            .execute()
        : [];
    const groups =
      want('Group') && of('group').length
        ? await this.ctx.db
            .selectFrom('iam_groups')
            .select(['name', 'group_id'])
            .where('group_id', 'in', of('group'))
            .where('account_id', '=', accountId)
            .orderBy('name_key')
            .execute()
        : [];
    const roles =
      want('Role') && of('role').length
        ? await this.ctx.db
            .selectFrom('iam_roles')
            .select(['name', 'role_id'])
            .where('role_id', 'in', of('role'))
            .where('account_id', '=', accountId)
            .orderBy('name_key')
            .execute()
        : [];
    return {
      PolicyGroups: groups.map((g) => ({ GroupName: g.name, GroupId: g.group_id })),
      PolicyUsers: users.map((u) => ({ UserName: u.name, UserId: u.user_id })),
      PolicyRoles: roles.map((r) => ({ RoleName: r.name, RoleId: r.role_id })),
    };
  }

  // --- inline policies ---

  async putInline(
    accountId: string,
    type: EntityType,
    entityName: string,
    policyNameInput: string,
    documentInput: string,
  ): Promise<void> {
    const name = policyNameInput;
    const document = checkPolicyDocument(documentInput, INLINE_KIND[type], 'policyDocument', entityName);
    await this.ctx.write(accountId, async (trx) => {
      const entity = await requireEntity(trx, accountId, type, entityName);
      await trx
        .deleteFrom('iam_inline_policies')
        .where('entity_type', '=', type)
        .where('entity_id', '=', entity.id)
        .where('name_key', '=', name.toLowerCase())
        .execute();
      // The quota covers all of an entity's inline policies together, whitespace not counted.
      const others = await trx
        .selectFrom('iam_inline_policies')
        .select('document')
        .where('entity_type', '=', type)
        .where('entity_id', '=', entity.id)
        .execute();
      const size = [document, ...others.map((o) => o.document)].reduce(
        (sum, d) => sum + d.replace(/\s/g, '').length,
        0,
      );
      if (size > INLINE_QUOTA[type]) {
        throw limitExceeded(`Maximum policy size of ${INLINE_QUOTA[type]} bytes exceeded for ${type} ${entity.name}`);
      }
      await trx
        .insertInto('iam_inline_policies')
        .values({ entity_type: type, entity_id: entity.id, name, name_key: name.toLowerCase(), document })
        .execute();
    });
  }

  async getInline(accountId: string, type: EntityType, entityName: string, policyNameInput: string) {
    const name = policyNameInput;
    const entity = await requireEntity(this.ctx.db, accountId, type, entityName);
    const row = await this.ctx.db
      .selectFrom('iam_inline_policies')
      .select(['name', 'document'])
      .where('entity_type', '=', type)
      .where('entity_id', '=', entity.id)
      .where('name_key', '=', name.toLowerCase())
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`The ${type} policy with name ${name} cannot be found.`);
    return { entityName: entity.name, PolicyName: row.name, PolicyDocument: row.document };
  }

  async listInline(accountId: string, type: EntityType, entityName: string): Promise<string[]> {
    const entity = await requireEntity(this.ctx.db, accountId, type, entityName);
    const rows = await this.ctx.db
      .selectFrom('iam_inline_policies')
      .select('name')
      .where('entity_type', '=', type)
      .where('entity_id', '=', entity.id)
      .orderBy('name_key')
      .execute();
    return rows.map((r) => r.name);
  }

  async deleteInline(accountId: string, type: EntityType, entityName: string, policyNameInput: string): Promise<void> {
    const name = policyNameInput;
    await this.ctx.write(accountId, async (trx) => {
      const entity = await requireEntity(trx, accountId, type, entityName);
      const result = await trx
        .deleteFrom('iam_inline_policies')
        .where('entity_type', '=', type)
        .where('entity_id', '=', entity.id)
        .where('name_key', '=', name.toLowerCase())
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0)
        throw noSuchEntity(`The ${type} policy with name ${name} cannot be found.`);
    });
  }

  // --- permissions boundaries ---

  async putBoundary(
    accountId: string,
    type: 'user' | 'role',
    entityName: string,
    policyArnInput: string,
  ): Promise<void> {
    const arn = policyArnInput;
    await this.ctx.write(accountId, async (trx) => {
      const entity = await requireEntity(trx, accountId, type, entityName);
      if (!(await findPolicyByArn(trx, accountId, arn)))
        throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
      await this.setBoundary(trx, entity, arn);
    });
  }

  async deleteBoundary(accountId: string, type: 'user' | 'role', entityName: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const entity = await requireEntity(trx, accountId, type, entityName);
      await this.setBoundary(trx, entity, null);
    });
  }

  private async setBoundary(trx: Trx, entity: EntityRef, arn: string | null): Promise<void> {
    if (entity.type === 'user') {
      await trx
        .updateTable('iam_users')
        .set({ permissions_boundary_arn: arn })
        .where('user_id', '=', entity.id)
        .execute();
    } else {
      await trx
        .updateTable('iam_roles')
        .set({ permissions_boundary_arn: arn })
        .where('role_id', '=', entity.id)
        .execute();
    }
  }
}
