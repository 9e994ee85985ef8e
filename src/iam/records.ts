/**
 * Row lookups shared by the IAM services and the conversion of rows into AWS's API shapes
 * (`User`, `Group`, `Role`, `Policy`…). Lookups throw AWS's NoSuchEntity wording when nothing matches.
 */
import type { Selectable } from 'kysely';
import { noSuchEntity } from './errors.js';
import type { IamGroupTable, IamPolicyTable, IamRoleTable, IamUserTable } from '../store/tables/iam.js';
import type { Db, Trx } from './context.js';
import type { Tag } from '../contracts/wire/iam.js';

export type UserRow = Selectable<IamUserTable>;
export type GroupRow = Selectable<IamGroupTable>;
export type RoleRow = Selectable<IamRoleTable>;
export type PolicyRow = Selectable<IamPolicyTable>;
export type EntityType = 'user' | 'group' | 'role';

/** The account id AWS managed policies are stored under. */
export const AWS_MANAGED = 'aws';

export function iamArn(accountId: string, kind: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export async function findUser(db: Db | Trx, accountId: string, name: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('iam_users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function requireUser(db: Db | Trx, accountId: string, name: string): Promise<UserRow> {
  const row = await findUser(db, accountId, name);
  if (!row) throw userNotFound(name);
  return row;
}

function userNotFound(name: string) {
  return noSuchEntity(`The user with name ${name} cannot be found.`);
}

/**
 * A user and its tags in one query (GetUser's hot path): the tags are left-joined, so the result is one row
 * per tag, or a single row with null tag columns when the user has none.
 */
export async function requireUserWithTags(
  db: Db | Trx,
  accountId: string,
  name: string,
): Promise<{ row: UserRow; tags: Tag[] }> {
  const rows = await db
    .selectFrom('iam_users as u')
    .leftJoin('iam_tags as t', (join) =>
      join.on('t.resource_type', '=', 'user').onRef('t.resource_id', '=', 'u.user_id'),
    )
    .selectAll('u')
    .select(['t.tag_key', 't.tag_value'])
    .where('u.account_id', '=', accountId)
    .where('u.name_key', '=', name.toLowerCase())
    .orderBy('t.tag_key')
    .execute();
  const first = rows[0];
  if (first === undefined) throw userNotFound(name);
  const { tag_key: _key, tag_value: _value, ...row } = first;
  const tags: Tag[] = [];
  for (const r of rows)
    if (r.tag_key !== null && r.tag_value !== null) tags.push({ Key: r.tag_key, Value: r.tag_value });
  return { row, tags };
}

export async function requireGroup(db: Db | Trx, accountId: string, name: string): Promise<GroupRow> {
  const row = await db
    .selectFrom('iam_groups')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
  if (!row) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return row;
}

export async function requireRole(db: Db | Trx, accountId: string, name: string): Promise<RoleRow> {
  const row = await db
    .selectFrom('iam_roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
  if (!row) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return row;
}

/** A managed policy the account may use: its own, or an AWS managed one. */
export async function findPolicyByArn(db: Db | Trx, accountId: string, arn: string): Promise<PolicyRow | undefined> {
  const row = await db.selectFrom('iam_policies').selectAll().where('arn', '=', arn).executeTakeFirst();
  if (!row || (row.account_id !== accountId && row.account_id !== AWS_MANAGED)) return undefined;
  return row;
}

export async function tagsOf(db: Db | Trx, resourceType: string, resourceId: string): Promise<Tag[]> {
  const rows = await db
    .selectFrom('iam_tags')
    .select(['tag_key', 'tag_value'])
    .where('resource_type', '=', resourceType as 'user')
    .where('resource_id', '=', resourceId)
    .orderBy('tag_key')
    .execute();
  return rows.map((r) => ({ Key: r.tag_key, Value: r.tag_value }));
}

/**
 * The tags of the user or role a caller acts as (`aws:PrincipalTag`), by the user's id or the session's role id
 * (`AROA…`): none once that role is gone, even when another of its name has been created since.
 */
export async function principalTags(
  db: Db | Trx,
  kind: 'user' | 'assumed-role',
  id: string,
): Promise<Record<string, string>> {
  const tags = await tagsOf(db, kind === 'user' ? 'user' : 'role', id);
  return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
}

function boundary(arn: string | null) {
  return arn
    ? {
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const,
          PermissionsBoundaryArn: arn,
        },
      }
    : {};
}

export function userShape(row: UserRow, tags?: Tag[]) {
  return {
    Path: row.path,
    UserName: row.name,
    UserId: row.user_id,
    Arn: row.arn,
    CreateDate: new Date(row.created_at),
    ...(row.password_last_used ? { PasswordLastUsed: new Date(row.password_last_used) } : {}),
    ...boundary(row.permissions_boundary_arn),
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
  };
}

/** A user as ListUsers returns it: AWS leaves out PermissionsBoundary and Tags (GetUser has them). */
export function listedUserShape(row: UserRow) {
  const { PermissionsBoundary: _boundary, ...listed } = userShape(row);
  return listed;
}

export function groupShape(row: GroupRow) {
  return {
    Path: row.path,
    GroupName: row.name,
    GroupId: row.group_id,
    Arn: row.arn,
    CreateDate: new Date(row.created_at),
  };
}

export function roleShape(row: RoleRow, tags?: Tag[]) {
  return {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.role_id,
    Arn: row.arn,
    CreateDate: new Date(row.created_at),
    AssumeRolePolicyDocument: row.assume_role_policy,
    ...(row.description !== null ? { Description: row.description } : {}),
    MaxSessionDuration: Number(row.max_session_duration),
    ...boundary(row.permissions_boundary_arn),
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
    RoleLastUsed: row.last_used_date
      ? {
          LastUsedDate: new Date(row.last_used_date),
          ...(row.last_used_region ? { Region: row.last_used_region } : {}),
        }
      : {},
  };
}

export function policyShape(row: PolicyRow, attachmentCount: number, boundaryCount: number, tags?: Tag[]) {
  return {
    PolicyName: row.name,
    PolicyId: row.policy_id,
    Arn: row.arn,
    Path: row.path,
    DefaultVersionId: row.default_version_id,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: boundaryCount,
    IsAttachable: true,
    ...(row.description !== null ? { Description: row.description } : {}),
    CreateDate: new Date(row.created_at),
    UpdateDate: new Date(row.updated_at),
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
  };
}
