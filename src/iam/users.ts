/** IAM users: create, read, list, rename/move, delete (AWS refuses while anything still hangs off the user). */
import { uniqueId } from '../platform/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import type { IamContext, Trx } from './context.js';
import type { NamePage, PageOf } from './name-page.js';
import { namePageFilter, pageOf } from './name-page.js';
import {
  findPolicyByArn,
  findUser,
  iamArn,
  listedUserShape,
  requireUser,
  requireUserWithTags,
  userShape,
} from './records.js';
import { replaceTags } from './tags.js';
import { checkTags } from './validation.js';
import type { CreateUserRequest, UpdateUserRequest } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const USERS_PER_ACCOUNT = 5000;

export class UserService {
  constructor(private readonly ctx: IamContext) {}

  async create(
    accountId: string,
    input: Pick<CreateUserRequest, 'UserName' | 'Path' | 'PermissionsBoundary' | 'Tags'>,
  ) {
    const name = input.UserName;
    const path = input.Path ?? '/';
    const tags = checkTags(input.Tags, 'user');
    const row = {
      user_id: uniqueId(this.ctx.ids, 'AIDA'),
      account_id: accountId,
      name,
      name_key: name.toLowerCase(),
      path,
      arn: iamArn(accountId, 'user', path, name),
      created_at: this.ctx.nowIso(),
      password_last_used: null,
      permissions_boundary_arn: input.PermissionsBoundary ?? null,
    };
    await this.ctx.write(accountId, async (trx) => {
      if (await findUser(trx, accountId, name)) throw entityAlreadyExists(`User with name ${name} already exists.`);
      const { count } = await trx
        .selectFrom('iam_users')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= USERS_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_PER_ACCOUNT}`);
      if (row.permissions_boundary_arn) await requireBoundaryPolicy(trx, accountId, row.permissions_boundary_arn);
      await trx
        .insertInto('iam_users')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? entityAlreadyExists(`User with name ${name} already exists.`) : error;
        });
      await replaceTags(trx, 'user', row.user_id, tags);
    });
    this.ctx.recordEntity(accountId, 'user', name, path);
    return userShape(row, tags);
  }

  /** The user (cached until the account changes: see IamContext.cachedRead; the answer is frozen). */
  async get(accountId: string, name: string) {
    return this.ctx.cachedRead(accountId, `user|${name.toLowerCase()}`, async () => {
      const { row, tags } = await requireUserWithTags(this.ctx.db, accountId, name);
      return userShape(row, tags);
    });
  }

  /** One page of the account's users in name order (see name-page.ts); cached and frozen like `get`. */
  async list(
    accountId: string,
    pathPrefix: string | undefined,
    page: NamePage,
  ): Promise<PageOf<ReturnType<typeof listedUserShape>>> {
    const prefix = pathPrefix ?? '/';
    return this.ctx.cachedRead(
      accountId,
      `users|${prefix}|${page.limit}|${page.after ?? ''}`,
      async () => {
        const rows = await this.ctx.db
          .selectFrom('iam_users')
          .selectAll()
          .where(namePageFilter(accountId, prefix, page))
          .orderBy('name_key')
          .limit(page.limit + 1)
          .execute();
        return pageOf(rows, page, (row) => listedUserShape(row));
      },
      (result) => result.items.length,
    );
  }

  async update(accountId: string, name: string, input: Pick<UpdateUserRequest, 'NewUserName' | 'NewPath'>) {
    const renamed = await this.ctx.write(accountId, async (trx) => {
      const row = await requireUser(trx, accountId, name);
      const newName = input.NewUserName ?? row.name;
      const newPath = input.NewPath ?? row.path;
      if (newName.toLowerCase() !== row.name_key && (await findUser(trx, accountId, newName))) {
        throw entityAlreadyExists(`User with name ${newName} already exists.`);
      }
      await trx
        .updateTable('iam_users')
        .set({
          name: newName,
          name_key: newName.toLowerCase(),
          path: newPath,
          arn: iamArn(accountId, 'user', newPath, newName),
        })
        .where('user_id', '=', row.user_id)
        .execute();
      return { oldName: row.name, newName, newPath };
    });
    this.ctx.recordEntity(accountId, 'user', renamed.oldName, undefined);
    this.ctx.recordEntity(accountId, 'user', renamed.newName, renamed.newPath);
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireUser(trx, accountId, name);
      await assertNothingAttached(trx, row.user_id);
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'user')
        .where('resource_id', '=', row.user_id)
        .execute();
      await trx.deleteFrom('iam_password_history').where('user_id', '=', row.user_id).execute();
      await trx.deleteFrom('iam_users').where('user_id', '=', row.user_id).execute();
    });
    this.ctx.recordEntity(accountId, 'user', name, undefined);
  }
}

async function assertNothingAttached(trx: Trx, userId: string): Promise<void> {
  const has = async (query: Promise<unknown>) => (await query) !== undefined;
  if (
    await has(trx.selectFrom('iam_login_profiles').select('user_id').where('user_id', '=', userId).executeTakeFirst())
  ) {
    throw deleteConflict('Cannot delete entity, must delete login profile first.');
  }
  if (
    await has(
      trx.selectFrom('iam_access_keys').select('access_key_id').where('user_id', '=', userId).executeTakeFirst(),
    )
  ) {
    throw deleteConflict('Cannot delete entity, must delete access keys first.');
  }
  if (
    await has(
      trx.selectFrom('iam_mfa_devices').select('serial_number').where('assigned_to', '=', userId).executeTakeFirst(),
    )
  ) {
    throw deleteConflict('Cannot delete entity, must delete MFA device first.');
  }
  if (
    await has(
      trx
        .selectFrom('iam_signing_certificates')
        .select('certificate_id')
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    )
  ) {
    throw deleteConflict('Cannot delete entity, must delete signing certificates first.');
  }
  if (
    await has(trx.selectFrom('iam_ssh_public_keys').select('key_id').where('user_id', '=', userId).executeTakeFirst())
  ) {
    throw deleteConflict('Cannot delete entity, must delete SSH public keys first.');
  }
  if (
    await has(
      trx
        .selectFrom('iam_service_specific_credentials')
        .select('credential_id')
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    )
  ) {
    throw deleteConflict('Cannot delete entity, must delete service specific credentials first.');
  }
  if (
    await has(trx.selectFrom('iam_group_members').select('group_id').where('user_id', '=', userId).executeTakeFirst())
  ) {
    throw deleteConflict('Cannot delete entity, must remove users from group first.');
  }
  const attached = trx
    .selectFrom('iam_policy_attachments')
    .select('policy_id')
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', userId)
    .executeTakeFirst();
  if (await has(attached)) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  const inline = trx
    .selectFrom('iam_inline_policies')
    .select('name')
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', userId)
    .executeTakeFirst();
  if (await has(inline)) throw deleteConflict('Cannot delete entity, must delete policies first.');
}

/** A permissions boundary must be a managed policy the account can see. */
export async function requireBoundaryPolicy(trx: Trx, accountId: string, arn: string): Promise<void> {
  if (!(await findPolicyByArn(trx, accountId, arn))) {
    throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  }
}
