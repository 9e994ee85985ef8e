/**
 * Console passwords of IAM users (login profiles): create/update/delete/get, PasswordResetRequired, the
 * account's password policy enforced on every new password, and password verification for sign-in.
 */
import { accessDenied } from '../core/errors.js';
import { entityAlreadyExists, invalidInput, noSuchEntity, passwordPolicyViolation } from './errors.js';
import type { AccountService } from './accounts.js';
import type { IamContext, Trx } from './context.js';
import { hashPassword, spendDecoyCheck, verifyPassword } from './passwords.js';
import type { UserRow } from './records.js';
import { requireUser } from './records.js';

/** PasswordReusePrevention's maximum. */
const MAX_REMEMBERED = 24;

export class LoginProfileService {
  constructor(
    private readonly ctx: IamContext,
    private readonly accounts: AccountService,
  ) {}

  private notFound(userName: string) {
    return noSuchEntity(`Login Profile for User ${userName} cannot be found.`);
  }

  async create(accountId: string, input: { UserName?: unknown; Password?: unknown; PasswordResetRequired?: unknown }) {
    const user = await requireUser(this.ctx.db, accountId, String(input.UserName ?? ''));
    const password = await this.accounts.checkUserPassword(accountId, input.Password, user.name);
    const hash = await hashPassword(password, this.ctx.ids, this.ctx.passwordHashCost);
    const now = this.ctx.nowIso();
    const resetRequired = input.PasswordResetRequired === true || input.PasswordResetRequired === 'true';
    await this.ctx.write(accountId, async (trx) => {
      const existing = await trx
        .selectFrom('iam_login_profiles')
        .select('user_id')
        .where('user_id', '=', user.user_id)
        .executeTakeFirst();
      if (existing) throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
      await trx
        .insertInto('iam_login_profiles')
        .values({
          user_id: user.user_id,
          password_hash: hash,
          password_reset_required: resetRequired ? 1 : 0,
          created_at: now,
          password_last_changed: now,
        })
        .execute();
    });
    return { LoginProfile: { UserName: user.name, CreateDate: new Date(now), PasswordResetRequired: resetRequired } };
  }

  async get(accountId: string, userName: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const row = await this.ctx.db
      .selectFrom('iam_login_profiles')
      .selectAll()
      .where('user_id', '=', user.user_id)
      .executeTakeFirst();
    if (!row) throw this.notFound(user.name);
    return {
      LoginProfile: {
        UserName: user.name,
        CreateDate: new Date(row.created_at),
        PasswordResetRequired: Number(row.password_reset_required) === 1,
      },
    };
  }

  async update(
    accountId: string,
    input: { UserName?: unknown; Password?: unknown; PasswordResetRequired?: unknown },
  ): Promise<void> {
    const user = await requireUser(this.ctx.db, accountId, String(input.UserName ?? ''));
    let hash: string | undefined;
    if (input.Password !== undefined) {
      const password = await this.accounts.checkUserPassword(accountId, input.Password, user.name);
      await this.refuseReuse(accountId, user.user_id, password);
      hash = await hashPassword(password, this.ctx.ids, this.ctx.passwordHashCost);
    }
    await this.ctx.write(accountId, async (trx) => {
      const row = await trx
        .selectFrom('iam_login_profiles')
        .select(['user_id', 'password_hash'])
        .where('user_id', '=', user.user_id)
        .executeTakeFirst();
      if (!row) throw this.notFound(user.name);
      if (hash) await this.remember(trx, user.user_id, row.password_hash);
      await trx
        .updateTable('iam_login_profiles')
        .set({
          ...(hash ? { password_hash: hash, password_last_changed: this.ctx.nowIso() } : {}),
          ...(input.PasswordResetRequired !== undefined
            ? {
                password_reset_required:
                  input.PasswordResetRequired === true || input.PasswordResetRequired === 'true' ? 1 : 0,
              }
            : {}),
        })
        .where('user_id', '=', user.user_id)
        .execute();
    });
  }

  async delete(accountId: string, userName: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const user = await requireUser(trx, accountId, userName);
      const result = await trx.deleteFrom('iam_login_profiles').where('user_id', '=', user.user_id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw this.notFound(user.name);
    });
  }

  /** ChangePassword: an IAM user changes their own password (the account's policy must allow it). */
  async changeOwnPassword(
    accountId: string,
    userName: string,
    oldPassword: unknown,
    newPassword: unknown,
  ): Promise<void> {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const policy = await this.accounts.getPasswordPolicy(accountId);
    if (policy && !policy.AllowUsersToChangePassword) {
      // AWS still lets a user whose profile requires a reset change the password.
      const profile = await this.ctx.db
        .selectFrom('iam_login_profiles')
        .select('password_reset_required')
        .where('user_id', '=', user.user_id)
        .executeTakeFirst();
      if (!profile || Number(profile.password_reset_required) !== 1)
        throw accessDenied('Users are not allowed to change their own password.');
    }
    const row = await this.ctx.db
      .selectFrom('iam_login_profiles')
      .select('password_hash')
      .where('user_id', '=', user.user_id)
      .executeTakeFirst();
    if (!row) throw this.notFound(user.name);
    if (typeof oldPassword !== 'string' || !(await verifyPassword(oldPassword, row.password_hash))) {
      throw invalidInput('The old password is incorrect.');
    }
    const password = await this.accounts.checkUserPassword(accountId, newPassword, user.name);
    await this.refuseReuse(accountId, user.user_id, password);
    const hash = await hashPassword(password, this.ctx.ids, this.ctx.passwordHashCost);
    await this.ctx.write(accountId, async (trx) => {
      await this.remember(trx, user.user_id, row.password_hash);
      await trx
        .updateTable('iam_login_profiles')
        .set({ password_hash: hash, password_reset_required: 0, password_last_changed: this.ctx.nowIso() })
        .where('user_id', '=', user.user_id)
        .execute();
    });
  }

  /** PasswordReusePrevention: the new password may not be the current one or one of the N−1 before it. */
  private async refuseReuse(accountId: string, userId: string, password: string): Promise<void> {
    const keep = (await this.accounts.getPasswordPolicy(accountId))?.PasswordReusePrevention;
    if (keep === undefined) return;
    const current = await this.ctx.db
      .selectFrom('iam_login_profiles')
      .select('password_hash')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const earlier = await this.ctx.db
      .selectFrom('iam_password_history')
      .select('password_hash')
      .where('user_id', '=', userId)
      .orderBy('changed_at', 'desc')
      .limit(Math.max(keep - 1, 0))
      .execute();
    for (const { password_hash } of [...(current ? [current] : []), ...earlier]) {
      if (await verifyPassword(password, password_hash)) {
        throw passwordPolicyViolation(`Password should not be one of your last ${keep} passwords`);
      }
    }
  }

  /** Keeps a replaced password's hash, at most as many as the policy's maximum (24) asks. */
  private async remember(trx: Trx, userId: string, replacedHash: string): Promise<void> {
    await trx
      .insertInto('iam_password_history')
      .values({ user_id: userId, password_hash: replacedHash, changed_at: this.ctx.nowIso() })
      .execute();
    const rows = await trx
      .selectFrom('iam_password_history')
      .select(['changed_at'])
      .where('user_id', '=', userId)
      .orderBy('changed_at', 'desc')
      .execute();
    const cutoff = rows[MAX_REMEMBERED - 1]?.changed_at;
    if (rows.length > MAX_REMEMBERED && cutoff) {
      await trx
        .deleteFrom('iam_password_history')
        .where('user_id', '=', userId)
        .where('changed_at', '<', cutoff)
        .execute();
    }
  }

  /**
   * Console sign-in of an IAM user: the user when the password matches (and records the use), otherwise
   * undefined, never saying which part was wrong and spending the same hashing work either way.
   * `passwordResetRequired` tells the console to ask for a new password: set by an administrator, or because
   * the password is older than the account policy's MaxPasswordAge. With HardExpiry an expired password no
   * longer signs in at all (an administrator must reset it), as in AWS.
   */
  async verify(
    accountId: string,
    userName: string,
    password: string,
  ): Promise<{ user: UserRow; passwordResetRequired: boolean; passwordExpired: boolean } | undefined> {
    const user = await this.ctx.db
      .selectFrom('iam_users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name_key', '=', userName.toLowerCase())
      .executeTakeFirst();
    const profile = user
      ? await this.ctx.db
          .selectFrom('iam_login_profiles')
          .selectAll()
          .where('user_id', '=', user.user_id)
          .executeTakeFirst()
      : undefined;
    if (!user || !profile) {
      await spendDecoyCheck(password, this.ctx.passwordHashCost);
      return undefined;
    }
    if (!(await verifyPassword(password, profile.password_hash))) return undefined;
    const policy = await this.accounts.getPasswordPolicy(accountId);
    const now = this.ctx.clock.now();
    const passwordExpired =
      policy?.MaxPasswordAge !== undefined &&
      now.getTime() - new Date(profile.password_last_changed).getTime() > policy.MaxPasswordAge * 86_400_000;
    if (passwordExpired && policy?.HardExpiry) return undefined;
    await this.ctx.db
      .updateTable('iam_users')
      .set({ password_last_used: now.toISOString() })
      .where('user_id', '=', user.user_id)
      .execute();
    // Not an IAM write (no policy generation bump), but GetUser and ListUsers show it.
    this.ctx.touch(accountId);
    return {
      user,
      passwordResetRequired: Number(profile.password_reset_required) === 1 || passwordExpired,
      passwordExpired,
    };
  }
}
