/**
 * The organization's member accounts: CreateAccount (through IAM's member-account provisioner, in the same
 * transaction) and its request statuses, the account reads, moving an account, and an account leaving or
 * being removed.
 */
import type { Tag } from '../contracts/wire/organizations.js';
import { emailInUse } from '../iam/member-accounts.js';
import { countOf } from '../store/dialect.js';
import type { OrgCore, Trx, WriteEffects } from './core.js';
import { isDelegatedAdministrator } from './delegated-administrators.js';
import * as errors from './errors.js';
import { accountArn, CREATE_ACCOUNT_REQUEST_ID, newCreateAccountRequestId } from './ids.js';
import { accountShape, memberRow, refOf, statusShape, type OrgRow, type StatusRow } from './shapes.js';

/** CloseAccount's quota window. */
const CLOSURE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface CreateAccountRequest {
  email: string;
  accountName: string;
  roleName?: string;
  iamUserAccessToBilling?: 'ALLOW' | 'DENY';
  tags?: Tag[];
}

export class MemberAccounts {
  constructor(private readonly core: OrgCore) {}

  async create(caller: string, request: CreateAccountRequest) {
    return this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      const root = await trx
        .selectFrom('org_roots')
        .select('root_id')
        .where('organization_id', '=', org.organization_id)
        .executeTakeFirstOrThrow();
      const requestId = newCreateAccountRequestId(this.core.ids);
      const now = this.core.nowIso();
      const status: StatusRow = {
        request_id: requestId,
        organization_id: org.organization_id,
        account_name: request.accountName,
        email: request.email,
        state: 'SUCCEEDED',
        failure_reason: null,
        account_id: null,
        requested_at: now,
        completed_at: now,
      };
      const members = await countOf(trx.selectFrom('org_accounts').where('organization_id', '=', org.organization_id));
      const emailTaken = await emailInUse(trx, request.email);
      if (members >= this.core.limits.accounts) {
        status.state = 'FAILED';
        status.failure_reason = 'ACCOUNT_LIMIT_EXCEEDED';
      } else if (emailTaken) {
        status.state = 'FAILED';
        status.failure_reason = 'EMAIL_ALREADY_EXISTS';
      } else {
        const accountId = await this.core.provisioner.createMemberAccount(trx, {
          email: request.email,
          accountName: request.accountName,
          roleName: request.roleName ?? 'OrganizationAccountAccessRole',
          managementAccountId: org.management_account_id,
        });
        status.account_id = accountId;
        await trx
          .insertInto('org_accounts')
          .values({
            account_id: accountId,
            organization_id: org.organization_id,
            parent_id: root.root_id,
            arn: accountArn(org.management_account_id, org.organization_id, accountId),
            email: request.email,
            name: request.accountName,
            status: 'ACTIVE',
            joined_method: 'CREATED',
            joined_at: now,
            iam_user_access_to_billing: request.iamUserAccessToBilling ?? 'ALLOW',
          })
          .execute();
        await this.core.attachDefaults(trx, org, root.root_id, accountId, 'ACCOUNT');
        await this.core.putTags(trx, org, accountId, request.tags ?? []);
      }
      await trx.insertInto('org_create_account_requests').values(status).execute();
      if (status.account_id !== null) {
        const member = status.account_id;
        effects.after.push(() => this.core.directory.setMember(member, refOf(org)));
      }
      return { CreateAccountStatus: statusShape(status) };
    });
  }

  async describeCreateAccountStatus(caller: string, requestId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    if (!CREATE_ACCOUNT_REQUEST_ID.test(requestId))
      throw errors.invalidInput('INVALID_PATTERN', '(CreateAccountRequestId)');
    const row = await this.core.db
      .selectFrom('org_create_account_requests')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (!row) throw errors.createAccountStatusNotFound();
    return { CreateAccountStatus: statusShape(row) };
  }

  async listCreateAccountStatus(caller: string, states?: string[]) {
    const org = await this.core.managedOrg(this.core.db, caller);
    let query = this.core.db
      .selectFrom('org_create_account_requests')
      .selectAll()
      .where('organization_id', '=', org.organization_id);
    if (states && states.length > 0) query = query.where('state', 'in', states as StatusRow['state'][]);
    const rows = await query.orderBy('requested_at').orderBy('request_id').execute();
    return rows.map(statusShape);
  }

  async list(caller: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    const rows = await this.core.db
      .selectFrom('org_accounts')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .orderBy('joined_at')
      .orderBy('account_id')
      .execute();
    return rows.map((row) => accountShape(row, this.core.clock.now()));
  }

  /**
   * The organization's active member accounts other than `exceptId`, by id: the accounts an organization-wide
   * question (who can?) spans. No caller check: the operation asking has authorized its caller already.
   */
  async activeMemberIds(organizationId: string, exceptId: string): Promise<string[]> {
    const rows = await this.core.db
      .selectFrom('org_accounts')
      .select('account_id')
      .where('organization_id', '=', organizationId)
      .where('status', '=', 'ACTIVE')
      .where('account_id', '!=', exceptId)
      .orderBy('account_id')
      .execute();
    return rows.map((row) => row.account_id);
  }

  async describe(caller: string, accountId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    const row = await this.core.memberOf(this.core.db, org, accountId);
    if (!row) throw errors.accountNotFound();
    return { Account: accountShape(row, this.core.clock.now()) };
  }

  async listForParent(caller: string, parentId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    if (!(await this.core.findParent(this.core.db, org, parentId))) throw errors.parentNotFound();
    return (await this.core.accountsUnder(parentId)).map((row) => accountShape(row, this.core.clock.now()));
  }

  async move(caller: string, accountId: string, sourceParentId: string, destinationParentId: string) {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      if (!(await this.core.findParent(trx, org, sourceParentId))) throw errors.sourceParentNotFound();
      if (!(await this.core.findParent(trx, org, destinationParentId))) throw errors.destinationParentNotFound();
      const account = await this.core.memberOf(trx, org, accountId);
      if (!account || account.parent_id !== sourceParentId) throw errors.accountNotFound();
      if (sourceParentId === destinationParentId) throw errors.duplicateAccount();
      await trx
        .updateTable('org_accounts')
        .set({ parent_id: destinationParentId })
        .where('account_id', '=', accountId)
        .execute();
      await this.core.chainsChanged(trx, effects, [accountId]);
    });
  }

  /** The management account removes a member (RemoveAccountFromOrganization). */
  async remove(caller: string, accountId: string): Promise<void> {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      if (accountId === org.management_account_id) throw errors.masterCannotLeave();
      if (!(await this.core.memberOf(trx, org, accountId))) throw errors.accountNotFound();
      await this.dropMember(trx, effects, org, accountId);
    });
  }

  /** A member account leaves its organization (LeaveOrganization). */
  async leave(caller: string): Promise<void> {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.orgOf(trx, caller);
      if (caller === org.management_account_id) throw errors.masterCannotLeave();
      await this.dropMember(trx, effects, org, caller);
    });
  }

  /**
   * CloseAccount: the member is PENDING_CLOSURE, then SUSPENDED, and stays in the organization (AWS keeps it
   * 90 days). AWS's quota: 10 % of the member accounts (at least 10, at most 1,000) in a rolling 30 days.
   */
  async close(caller: string, accountId: string): Promise<void> {
    await this.core.write(async (trx) => {
      const org = await this.core.managedOrg(trx, caller);
      const account = await this.core.memberOf(trx, org, accountId);
      if (!account) throw errors.accountNotFound();
      // The management account is closed as an account, not through its organization.
      if (accountId === org.management_account_id) throw errors.accessDenied();
      if (account.closed_at !== null) throw errors.accountAlreadyClosed();
      const now = this.core.clock.now();
      const members = await countOf(trx.selectFrom('org_accounts').where('organization_id', '=', org.organization_id));
      const since = new Date(now.getTime() - CLOSURE_WINDOW_MS).toISOString();
      const closed = await countOf(
        trx
          .selectFrom('org_accounts')
          .where('organization_id', '=', org.organization_id)
          .where('closed_at', '>', since),
      );
      if (closed >= Math.min(1000, Math.max(10, Math.floor(members / 10)))) {
        throw errors.constraintViolation('CLOSE_ACCOUNT_QUOTA_EXCEEDED');
      }
      await trx
        .updateTable('org_accounts')
        .set({ status: 'PENDING_CLOSURE', closed_at: now.toISOString() })
        .where('account_id', '=', accountId)
        .execute();
    });
  }

  /**
   * CreateGovCloudAccount: AWS creates a pair of accounts only for an organization its GovCloud (US)
   * onboarding enabled, which Bursar (one commercial partition) has none of; it answers as AWS answers any
   * other organization, after the management account's own checks.
   */
  async createGovCloudAccount(caller: string): Promise<never> {
    await this.core.managedOrganization(caller);
    throw errors.govCloudNotEnabled();
  }

  /**
   * The "IAM user and role access to Billing information" value chosen when Organizations created the account;
   * undefined for accounts that did not come from CreateAccount.
   */
  async iamUserAccessToBilling(accountId: string): Promise<'ALLOW' | 'DENY' | undefined> {
    const row = await memberRow(this.core.db, accountId);
    return row?.iam_user_access_to_billing ?? undefined;
  }

  private async dropMember(trx: Trx, effects: WriteEffects, org: OrgRow, accountId: string): Promise<void> {
    if (await isDelegatedAdministrator(trx, org.organization_id, accountId)) {
      throw errors.constraintViolation('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG');
    }
    await trx
      .deleteFrom('org_policy_attachments')
      .where('organization_id', '=', org.organization_id)
      .where('target_id', '=', accountId)
      .execute();
    await trx.deleteFrom('org_tags').where('resource_id', '=', accountId).execute();
    await trx.deleteFrom('org_accounts').where('account_id', '=', accountId).execute();
    await this.core.chainsChanged(trx, effects, [accountId]);
    effects.after.push(() => this.core.directory.setMember(accountId, undefined));
  }
}
