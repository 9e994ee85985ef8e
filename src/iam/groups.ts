/** IAM groups and their members (a user belongs to at most 10 groups; an account has at most 300 groups). */
import { uniqueId } from '../platform/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import type { IamContext } from './context.js';
import type { NamePage, PageOf } from './name-page.js';
import { namePageFilter, pageOf } from './name-page.js';
import { groupShape, iamArn, requireGroup, requireUser, userShape } from './records.js';
import { uniqueViolation } from '../store/dialect.js';
import type { CreateGroupRequest, UpdateGroupRequest } from '../contracts/wire/iam.js';

export const GROUPS_PER_ACCOUNT = 300;
export const GROUPS_PER_USER = 10;

export class GroupService {
  constructor(private readonly ctx: IamContext) {}

  async create(accountId: string, input: Pick<CreateGroupRequest, 'GroupName' | 'Path'>) {
    const name = input.GroupName;
    const path = input.Path ?? '/';
    const row = {
      group_id: uniqueId(this.ctx.ids, 'AGPA'),
      account_id: accountId,
      name,
      name_key: name.toLowerCase(),
      path,
      arn: iamArn(accountId, 'group', path, name),
      created_at: this.ctx.nowIso(),
    };
    const duplicate = () => entityAlreadyExists(`Group with name ${name} already exists.`);
    await this.ctx.write(accountId, async (trx) => {
      const existing = await trx
        .selectFrom('iam_groups')
        .select('group_id')
        .where('account_id', '=', accountId)
        .where('name_key', '=', row.name_key)
        .executeTakeFirst();
      if (existing) throw duplicate();
      const { count } = await trx
        .selectFrom('iam_groups')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= GROUPS_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for GroupsPerAccount: ${GROUPS_PER_ACCOUNT}`);
      await trx
        .insertInto('iam_groups')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicate() : error;
        });
    });
    this.ctx.recordEntity(accountId, 'group', name, path);
    return groupShape(row);
  }

  /** GetGroup: the group and its users. */
  async get(accountId: string, name: string) {
    const group = await requireGroup(this.ctx.db, accountId, name);
    const users = await this.ctx.db
      .selectFrom('iam_group_members')
      .innerJoin('iam_users', 'iam_users.user_id', 'iam_group_members.user_id')
      .selectAll('iam_users')
      .where('iam_group_members.group_id', '=', group.group_id)
      .orderBy('iam_users.name_key')
      .execute();
    return { Group: groupShape(group), Users: users.map((u) => userShape(u)) };
  }

  /** One page of the account's groups in name order (see name-page.ts). */
  async list(
    accountId: string,
    pathPrefix: string | undefined,
    page: NamePage,
  ): Promise<PageOf<ReturnType<typeof groupShape>>> {
    const rows = await this.ctx.db
      .selectFrom('iam_groups')
      .selectAll()
      .where(namePageFilter(accountId, pathPrefix ?? '/', page))
      .orderBy('name_key')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows, page, groupShape);
  }

  async update(accountId: string, name: string, input: Pick<UpdateGroupRequest, 'NewGroupName' | 'NewPath'>) {
    const renamed = await this.ctx.write(accountId, async (trx) => {
      const row = await requireGroup(trx, accountId, name);
      const newName = input.NewGroupName ?? row.name;
      const newPath = input.NewPath ?? row.path;
      if (newName.toLowerCase() !== row.name_key) {
        const clash = await trx
          .selectFrom('iam_groups')
          .select('group_id')
          .where('account_id', '=', accountId)
          .where('name_key', '=', newName.toLowerCase())
          .executeTakeFirst();
        if (clash) throw entityAlreadyExists(`Group with name ${newName} already exists.`);
      }
      await trx
        .updateTable('iam_groups')
        .set({
          name: newName,
          name_key: newName.toLowerCase(),
          path: newPath,
          arn: iamArn(accountId, 'group', newPath, newName),
        })
        .where('group_id', '=', row.group_id)
        .execute();
      return { oldName: row.name, newName, newPath };
    });
    this.ctx.recordEntity(accountId, 'group', renamed.oldName, undefined);
    this.ctx.recordEntity(accountId, 'group', renamed.newName, renamed.newPath);
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireGroup(trx, accountId, name);
      const member = await trx
        .selectFrom('iam_group_members')
        .select('user_id')
        .where('group_id', '=', row.group_id)
        .executeTakeFirst();
      if (member) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      const attached = await trx
        .selectFrom('iam_policy_attachments')
        .select('policy_id')
        .where('entity_type', '=', 'group')
        .where('entity_id', '=', row.group_id)
        .executeTakeFirst();
      if (attached) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      const inline = await trx
        .selectFrom('iam_inline_policies')
        .select('name')
        .where('entity_type', '=', 'group')
        .where('entity_id', '=', row.group_id)
        .executeTakeFirst();
      if (inline) throw deleteConflict('Cannot delete entity, must delete policies first.');
      await trx.deleteFrom('iam_groups').where('group_id', '=', row.group_id).execute();
    });
    this.ctx.recordEntity(accountId, 'group', name, undefined);
  }

  async addUser(accountId: string, groupName: string, userName: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const group = await requireGroup(trx, accountId, groupName);
      const user = await requireUser(trx, accountId, userName);
      const memberships = await trx
        .selectFrom('iam_group_members')
        .select('group_id')
        .where('user_id', '=', user.user_id)
        .execute();
      if (memberships.some((m) => m.group_id === group.group_id)) return;
      if (memberships.length >= GROUPS_PER_USER)
        throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
      await trx.insertInto('iam_group_members').values({ group_id: group.group_id, user_id: user.user_id }).execute();
    });
  }

  async removeUser(accountId: string, groupName: string, userName: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const group = await requireGroup(trx, accountId, groupName);
      const user = await requireUser(trx, accountId, userName);
      const result = await trx
        .deleteFrom('iam_group_members')
        .where('group_id', '=', group.group_id)
        .where('user_id', '=', user.user_id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw noSuchEntity(`The user with name ${user.name} cannot be found.`);
      }
    });
  }

  async listForUser(accountId: string, userName: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const rows = await this.ctx.db
      .selectFrom('iam_group_members')
      .innerJoin('iam_groups', 'iam_groups.group_id', 'iam_group_members.group_id')
      .selectAll('iam_groups')
      .where('iam_group_members.user_id', '=', user.user_id)
      .orderBy('iam_groups.name_key')
      .execute();
    return rows.map(groupShape);
  }
}
