/**
 * AWS Organizations over the store: organizations, roots, OUs, member accounts and the policies (SCPs, RCPs)
 * attached to them, with AWS's rules, limits, ids and errors. Every method takes the calling account id;
 * AWS lets only the management account call most of them. Results are AWS's API shapes.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import { compilePolicy } from '../policy/index.js';
import { validatePolicy, type CatalogView } from '../policy/validate.js';
import {
  accountDetails,
  emailInUse,
  lockAccount,
  policiesChanged,
  type MemberAccountProvisioner,
} from '../iam/member-accounts.js';
import { countOf, uniqueViolation } from '../store/dialect.js';
import { lockRow } from '../store/locks.js';
import type { Database } from '../store/schema.js';
import type {
  OrgAccountTable,
  OrgCreateAccountRequestTable,
  OrgOrganizationTable,
  OrgPolicyTable,
  OrgPolicyType,
  OrgTargetType,
  OrgUnitTable,
} from '../store/tables/organizations.js';
import { OrgDirectory, type OrgRef } from './directory.js';
import * as errors from './errors.js';
import {
  ACCOUNT_ID,
  accountArn,
  CREATE_ACCOUNT_REQUEST_ID,
  newCreateAccountRequestId,
  newOrganizationId,
  newOuId,
  newPolicyId,
  newRootId,
  organizationArn,
  OU_ID,
  ouArn,
  POLICY_ID,
  policyArn,
  ROOT_ID,
  rootArn,
} from './ids.js';
import type { Tag } from '../contracts/wire/organizations.js';
import { DEFAULT_POLICY } from './managed-policies.js';
import { DelegatedAdministrators, isDelegatedAdministrator } from './delegated-administrators.js';
import { forgetServiceAccess, ServiceAccess } from './service-access.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
export type OrgRow = Selectable<OrgOrganizationTable>;
type AccountRow = Selectable<OrgAccountTable>;
type OuRow = Selectable<OrgUnitTable>;
type PolicyRow = Selectable<OrgPolicyTable>;
type StatusRow = Selectable<OrgCreateAccountRequestTable>;

export const POLICY_TYPES: readonly OrgPolicyType[] = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'TAG_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
];

/**
 * Authorization policies (SCPs, RCPs) are IAM policy documents the policy engine enforces, with an AWS
 * managed default that keeps every target covered. Management policies (tag, backup, AI services opt-out)
 * are JSON in their own syntax that other services read; they have no default and may be fully detached.
 */
/** Organizations quotas: the maximum document size of each management policy type, in characters. */
const MANAGEMENT_POLICY_CHARACTERS: Partial<Record<OrgPolicyType, number>> = {
  TAG_POLICY: 10_000,
  BACKUP_POLICY: 10_000,
  AISERVICES_OPT_OUT_POLICY: 2_500,
};

function isAuthorizationType(type: OrgPolicyType): type is 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY' {
  return type === 'SERVICE_CONTROL_POLICY' || type === 'RESOURCE_CONTROL_POLICY';
}

/** AWS's default quotas for an organization. */
export interface OrganizationLimits {
  accounts: number;
  organizationalUnits: number;
  ouDepth: number;
  policiesPerType: number;
  policiesPerTarget: number;
  policyContentCharacters: number;
  tagsPerResource: number;
}

export const AWS_DEFAULT_LIMITS: OrganizationLimits = {
  accounts: 10,
  organizationalUnits: 1000,
  ouDepth: 5,
  policiesPerType: 1000,
  policiesPerTarget: 5,
  policyContentCharacters: 5120,
  tagsPerResource: 50,
};

export interface OrganizationsDeps {
  db: Db;
  clock: Clock;
  ids: IdSource;
  provisioner: MemberAccountProvisioner;
  /** The action catalog SCP/RCP validation checks against. */
  catalog?: CatalogView;
  limits?: Partial<OrganizationLimits>;
  /**
   * Called after commit with the accounts whose SCP/RCP chain may have changed, so principal caches drop them.
   * The same transaction has already bumped those accounts' `iam_accounts.policy_generation` (other instances).
   */
  onChainsChanged?: (accountIds: string[]) => void;
}

export interface CreateAccountRequest {
  email: string;
  accountName: string;
  roleName?: string;
  iamUserAccessToBilling?: 'ALLOW' | 'DENY';
  tags?: Tag[];
}

export interface Target {
  id: string;
  type: OrgTargetType;
  arn: string;
  name: string;
}

/** Everything one write learned that must be published after commit. */
interface WriteEffects {
  chainsOf: Set<string>;
  after: (() => void)[];
}

export class Organizations {
  readonly directory = new OrgDirectory();
  readonly serviceAccess: ServiceAccess;
  readonly delegatedAdministrators: DelegatedAdministrators;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly provisioner: MemberAccountProvisioner;
  private readonly catalog: CatalogView | undefined;
  private readonly limits: OrganizationLimits;
  private readonly onChainsChanged: ((accountIds: string[]) => void) | undefined;

  constructor(deps: OrganizationsDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.provisioner = deps.provisioner;
    this.catalog = deps.catalog;
    this.limits = { ...AWS_DEFAULT_LIMITS, ...deps.limits };
    this.onChainsChanged = deps.onChainsChanged;
    this.serviceAccess = new ServiceAccess(this, deps.db, deps.clock);
    this.delegatedAdministrators = new DelegatedAdministrators(this, deps.db, deps.clock);
  }

  /** Fills the directory from the store (at start). */
  async load(): Promise<void> {
    const orgs = await this.db.selectFrom('org_organizations').selectAll().execute();
    const refs = new Map(orgs.map((o) => [o.organization_id, refOf(o)]));
    for (const member of await this.db.selectFrom('org_accounts').select(['account_id', 'organization_id']).execute()) {
      this.directory.setMember(member.account_id, refs.get(member.organization_id));
    }
    for (const policy of await this.db.selectFrom('org_policies').select(['policy_id', 'policy_type']).execute()) {
      this.directory.setPolicy(policy.policy_id, policy.policy_type);
    }
  }

  // --- the organization ---

  async createOrganization(caller: string, featureSet: 'ALL' | 'CONSOLIDATED_BILLING' = 'ALL') {
    return this.write(async (trx, effects) => {
      // No organization to lock yet: the caller's account row makes its concurrent creations take turns.
      await lockAccount(trx, caller);
      if (await memberRow(trx, caller)) throw errors.alreadyInOrganization();
      const account = await accountDetails(trx, caller);
      if (!account) throw errors.accountNotFound();
      const now = this.nowIso();
      const orgId = newOrganizationId(this.ids);
      const org: OrgRow = {
        organization_id: orgId,
        arn: organizationArn(caller, orgId),
        management_account_id: caller,
        feature_set: featureSet,
        created_at: now,
      };
      await trx.insertInto('org_organizations').values(org).execute();
      const rootId = newRootId(this.ids);
      await trx
        .insertInto('org_roots')
        .values({ root_id: rootId, organization_id: orgId, name: 'Root', arn: rootArn(caller, orgId, rootId) })
        .execute();
      await trx
        .insertInto('org_accounts')
        .values({
          account_id: caller,
          organization_id: orgId,
          parent_id: rootId,
          arn: accountArn(caller, orgId, caller),
          email: account.email,
          name: account.accountName,
          status: 'ACTIVE',
          joined_method: 'INVITED',
          joined_at: now,
          iam_user_access_to_billing: null,
        })
        .execute();
      if (featureSet === 'ALL') {
        await this.attachDefault(trx, org, rootId, 'ROOT', 'SERVICE_CONTROL_POLICY');
        await this.attachDefault(trx, org, caller, 'ACCOUNT', 'SERVICE_CONTROL_POLICY');
      }
      effects.after.push(() => this.directory.setMember(caller, refOf(org)));
      return { Organization: organizationShape(org, account.email) };
    });
  }

  /** Any account of the organization may describe it. */
  async describeOrganization(caller: string) {
    const org = await this.orgOf(this.db, caller);
    const mgmt = await memberRow(this.db, org.management_account_id);
    return { Organization: organizationShape(org, mgmt?.email ?? '') };
  }

  async deleteOrganization(caller: string): Promise<void> {
    await this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      const members = await trx
        .selectFrom('org_accounts')
        .select('account_id')
        .where('organization_id', '=', org.organization_id)
        .where('account_id', '!=', caller)
        .execute();
      if (members.length > 0) throw errors.organizationNotEmpty();
      const id = org.organization_id;
      const roots = trx.selectFrom('org_roots').select('root_id').where('organization_id', '=', id);
      await trx.deleteFrom('org_tags').where('organization_id', '=', id).execute();
      await forgetServiceAccess(trx, id);
      await trx.deleteFrom('org_policy_attachments').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_policies').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_create_account_requests').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_accounts').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_units').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_root_policy_types').where('root_id', 'in', roots).execute();
      await trx.deleteFrom('org_roots').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_organizations').where('organization_id', '=', id).execute();
      effects.after.push(() => this.directory.forgetOrganization(id));
    });
  }

  async listRoots(caller: string) {
    const org = await this.managedOrg(this.db, caller);
    const roots = await this.db
      .selectFrom('org_roots')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .execute();
    return Promise.all(roots.map((r) => this.rootShape(this.db, r.root_id)));
  }

  // --- organizational units ---

  async createOrganizationalUnit(caller: string, parentId: string, name: string, tags: Tag[] = []) {
    return this.write(async (trx) => {
      const org = await this.managedOrg(trx, caller);
      const parent = await this.findParent(trx, org, parentId);
      if (!parent) throw errors.parentNotFound();
      const count = await countOf(trx.selectFrom('org_units').where('organization_id', '=', org.organization_id));
      if (count >= this.limits.organizationalUnits) throw errors.constraintViolation('OU_NUMBER_LIMIT_EXCEEDED');
      if (parent.depth + 1 > this.limits.ouDepth) throw errors.constraintViolation('OU_DEPTH_LIMIT_EXCEEDED');
      await this.checkOuNameFree(trx, parentId, name);
      const rootId = parent.rootId;
      const ouId = newOuId(this.ids, rootId);
      const row: OuRow = {
        ou_id: ouId,
        organization_id: org.organization_id,
        parent_id: parentId,
        name,
        arn: ouArn(org.management_account_id, org.organization_id, ouId),
        created_at: this.nowIso(),
      };
      await trx.insertInto('org_units').values(row).execute().catch(onUnique(errors.duplicateOu));
      await this.attachDefaults(trx, org, rootId, ouId, 'ORGANIZATIONAL_UNIT');
      await this.putTags(trx, org, ouId, tags);
      return { OrganizationalUnit: ouShape(row) };
    });
  }

  async describeOrganizationalUnit(caller: string, ouId: string) {
    const org = await this.managedOrg(this.db, caller);
    return { OrganizationalUnit: ouShape(await this.requireOu(this.db, org, ouId)) };
  }

  async updateOrganizationalUnit(caller: string, ouId: string, name: string | undefined) {
    return this.write(async (trx) => {
      const org = await this.managedOrg(trx, caller);
      const ou = await this.requireOu(trx, org, ouId);
      if (name === undefined || name === ou.name) return { OrganizationalUnit: ouShape(ou) };
      await this.checkOuNameFree(trx, ou.parent_id, name);
      await trx
        .updateTable('org_units')
        .set({ name })
        .where('ou_id', '=', ouId)
        .execute()
        .catch(onUnique(errors.duplicateOu));
      return { OrganizationalUnit: ouShape({ ...ou, name }) };
    });
  }

  async deleteOrganizationalUnit(caller: string, ouId: string): Promise<void> {
    await this.write(async (trx) => {
      const org = await this.managedOrg(trx, caller);
      await this.requireOu(trx, org, ouId);
      const childOus = await countOf(trx.selectFrom('org_units').where('parent_id', '=', ouId));
      const childAccounts = await countOf(trx.selectFrom('org_accounts').where('parent_id', '=', ouId));
      if (childOus + childAccounts > 0) throw errors.ouNotEmpty();
      await trx
        .deleteFrom('org_policy_attachments')
        .where('organization_id', '=', org.organization_id)
        .where('target_id', '=', ouId)
        .execute();
      await trx.deleteFrom('org_tags').where('resource_id', '=', ouId).execute();
      await trx.deleteFrom('org_units').where('ou_id', '=', ouId).execute();
    });
  }

  async listOrganizationalUnitsForParent(caller: string, parentId: string) {
    const org = await this.managedOrg(this.db, caller);
    if (!(await this.findParent(this.db, org, parentId))) throw errors.parentNotFound();
    const rows = await this.db
      .selectFrom('org_units')
      .selectAll()
      .where('parent_id', '=', parentId)
      .orderBy('created_at')
      .orderBy('ou_id')
      .execute();
    return rows.map(ouShape);
  }

  // --- the tree ---

  async listParents(caller: string, childId: string) {
    const org = await this.managedOrg(this.db, caller);
    let parentId: string | undefined;
    if (ACCOUNT_ID.test(childId)) {
      parentId = (await this.memberOf(this.db, org, childId))?.parent_id;
    } else if (OU_ID.test(childId)) {
      parentId = (await this.findOu(this.db, org, childId))?.parent_id;
    } else {
      throw errors.invalidInput('INVALID_PATTERN', '(ChildId)');
    }
    if (parentId === undefined) throw errors.childNotFound();
    return [{ Id: parentId, Type: ROOT_ID.test(parentId) ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }];
  }

  async listChildren(caller: string, parentId: string, childType: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT') {
    const org = await this.managedOrg(this.db, caller);
    if (!(await this.findParent(this.db, org, parentId))) throw errors.parentNotFound();
    const ids =
      childType === 'ACCOUNT'
        ? (await this.accountsUnder(parentId)).map((a) => a.account_id)
        : (
            await this.db
              .selectFrom('org_units')
              .select('ou_id')
              .where('parent_id', '=', parentId)
              .orderBy('created_at')
              .orderBy('ou_id')
              .execute()
          ).map((o) => o.ou_id);
    return ids.map((Id) => ({ Id, Type: childType }));
  }

  // --- accounts ---

  async createAccount(caller: string, request: CreateAccountRequest) {
    return this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      const root = await trx
        .selectFrom('org_roots')
        .select('root_id')
        .where('organization_id', '=', org.organization_id)
        .executeTakeFirstOrThrow();
      const requestId = newCreateAccountRequestId(this.ids);
      const now = this.nowIso();
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
      if (members >= this.limits.accounts) {
        status.state = 'FAILED';
        status.failure_reason = 'ACCOUNT_LIMIT_EXCEEDED';
      } else if (emailTaken) {
        status.state = 'FAILED';
        status.failure_reason = 'EMAIL_ALREADY_EXISTS';
      } else {
        const accountId = await this.provisioner.createMemberAccount(trx, {
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
        await this.attachDefaults(trx, org, root.root_id, accountId, 'ACCOUNT');
        await this.putTags(trx, org, accountId, request.tags ?? []);
      }
      await trx.insertInto('org_create_account_requests').values(status).execute();
      if (status.account_id !== null) {
        const member = status.account_id;
        effects.after.push(() => this.directory.setMember(member, refOf(org)));
      }
      return { CreateAccountStatus: statusShape(status) };
    });
  }

  async describeCreateAccountStatus(caller: string, requestId: string) {
    const org = await this.managedOrg(this.db, caller);
    if (!CREATE_ACCOUNT_REQUEST_ID.test(requestId))
      throw errors.invalidInput('INVALID_PATTERN', '(CreateAccountRequestId)');
    const row = await this.db
      .selectFrom('org_create_account_requests')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (!row) throw errors.createAccountStatusNotFound();
    return { CreateAccountStatus: statusShape(row) };
  }

  async listCreateAccountStatus(caller: string, states?: string[]) {
    const org = await this.managedOrg(this.db, caller);
    let query = this.db
      .selectFrom('org_create_account_requests')
      .selectAll()
      .where('organization_id', '=', org.organization_id);
    if (states && states.length > 0) query = query.where('state', 'in', states as StatusRow['state'][]);
    const rows = await query.orderBy('requested_at').orderBy('request_id').execute();
    return rows.map(statusShape);
  }

  async listAccounts(caller: string) {
    const org = await this.managedOrg(this.db, caller);
    const rows = await this.db
      .selectFrom('org_accounts')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .orderBy('joined_at')
      .orderBy('account_id')
      .execute();
    return rows.map(accountShape);
  }

  async describeAccount(caller: string, accountId: string) {
    const org = await this.managedOrg(this.db, caller);
    const row = await this.memberOf(this.db, org, accountId);
    if (!row) throw errors.accountNotFound();
    return { Account: accountShape(row) };
  }

  async listAccountsForParent(caller: string, parentId: string) {
    const org = await this.managedOrg(this.db, caller);
    if (!(await this.findParent(this.db, org, parentId))) throw errors.parentNotFound();
    return (await this.accountsUnder(parentId)).map(accountShape);
  }

  async moveAccount(caller: string, accountId: string, sourceParentId: string, destinationParentId: string) {
    await this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      if (!(await this.findParent(trx, org, sourceParentId))) throw errors.sourceParentNotFound();
      if (!(await this.findParent(trx, org, destinationParentId))) throw errors.destinationParentNotFound();
      const account = await this.memberOf(trx, org, accountId);
      if (!account || account.parent_id !== sourceParentId) throw errors.accountNotFound();
      if (sourceParentId === destinationParentId) throw errors.duplicateAccount();
      await trx
        .updateTable('org_accounts')
        .set({ parent_id: destinationParentId })
        .where('account_id', '=', accountId)
        .execute();
      await this.chainsChanged(trx, effects, [accountId]);
    });
  }

  /** The management account removes a member (RemoveAccountFromOrganization). */
  async removeAccountFromOrganization(caller: string, accountId: string): Promise<void> {
    await this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      if (accountId === org.management_account_id) throw errors.masterCannotLeave();
      if (!(await this.memberOf(trx, org, accountId))) throw errors.accountNotFound();
      await this.dropMember(trx, effects, org, accountId);
    });
  }

  /** A member account leaves its organization (LeaveOrganization). */
  async leaveOrganization(caller: string): Promise<void> {
    await this.write(async (trx, effects) => {
      const org = await this.orgOf(trx, caller);
      if (caller === org.management_account_id) throw errors.masterCannotLeave();
      await this.dropMember(trx, effects, org, caller);
    });
  }

  /**
   * The "IAM user and role access to Billing information" value chosen when Organizations created the account;
   * undefined for accounts that did not come from CreateAccount.
   */
  async iamUserAccessToBilling(accountId: string): Promise<'ALLOW' | 'DENY' | undefined> {
    const row = await memberRow(this.db, accountId);
    return row?.iam_user_access_to_billing ?? undefined;
  }

  // --- policy types ---

  async enablePolicyType(caller: string, rootId: string, type: OrgPolicyType) {
    return this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      await this.requireRoot(trx, org, rootId);
      if (org.feature_set !== 'ALL') throw errors.policyTypeNotAvailable();
      if (await this.typeEnabled(trx, rootId, type)) throw errors.policyTypeAlreadyEnabled();
      await trx
        .insertInto('org_root_policy_types')
        .values({ root_id: rootId, policy_type: type, status: 'ENABLED' })
        .execute();
      // Enabling resets every root, OU and account to exactly the type's AWS managed default policy, as AWS does.
      await this.detachAllOfType(trx, org, type);
      const targets: [string, OrgTargetType][] = [[rootId, 'ROOT']];
      for (const ou of await trx
        .selectFrom('org_units')
        .select('ou_id')
        .where('organization_id', '=', org.organization_id)
        .execute()) {
        targets.push([ou.ou_id, 'ORGANIZATIONAL_UNIT']);
      }
      for (const a of await trx
        .selectFrom('org_accounts')
        .select('account_id')
        .where('organization_id', '=', org.organization_id)
        .execute()) {
        targets.push([a.account_id, 'ACCOUNT']);
      }
      for (const [id, targetType] of targets) await this.attachDefault(trx, org, id, targetType, type);
      await this.chainsChanged(trx, effects, await this.accountIdsOf(trx, org));
      return { Root: await this.rootShape(trx, rootId) };
    });
  }

  async disablePolicyType(caller: string, rootId: string, type: OrgPolicyType) {
    return this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      await this.requireRoot(trx, org, rootId);
      if (!(await this.typeEnabled(trx, rootId, type))) throw errors.policyTypeNotEnabled();
      await trx
        .deleteFrom('org_root_policy_types')
        .where('root_id', '=', rootId)
        .where('policy_type', '=', type)
        .execute();
      await this.detachAllOfType(trx, org, type);
      await this.chainsChanged(trx, effects, await this.accountIdsOf(trx, org));
      return { Root: await this.rootShape(trx, rootId) };
    });
  }

  // --- policies ---

  async createPolicy(
    caller: string,
    request: { content: string; description: string; name: string; type: OrgPolicyType; tags?: Tag[] },
  ) {
    return this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      if (org.feature_set !== 'ALL') throw errors.policyTypeNotAvailable();
      this.checkContent(request.content, request.type);
      const count = await countOf(
        trx
          .selectFrom('org_policies')
          .where('organization_id', '=', org.organization_id)
          .where('policy_type', '=', request.type),
      );
      if (count >= this.limits.policiesPerType) throw errors.constraintViolation('POLICY_NUMBER_LIMIT_EXCEEDED');
      await this.checkPolicyNameFree(trx, org, request.type, request.name);
      const policyId = newPolicyId(this.ids);
      const now = this.nowIso();
      const row: PolicyRow = {
        policy_id: policyId,
        organization_id: org.organization_id,
        policy_type: request.type,
        name: request.name,
        description: request.description,
        content: request.content,
        aws_managed: 0,
        arn: policyArn(org.management_account_id, org.organization_id, request.type, policyId),
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('org_policies').values(row).execute().catch(onUnique(errors.duplicatePolicy));
      await this.putTags(trx, org, policyId, request.tags ?? []);
      effects.after.push(() => this.directory.setPolicy(policyId, request.type));
      return { Policy: policyShape(row) };
    });
  }

  async describePolicy(caller: string, policyId: string) {
    const org = await this.managedOrg(this.db, caller);
    return { Policy: policyShape(await this.requirePolicy(this.db, org, policyId)) };
  }

  async updatePolicy(
    caller: string,
    policyId: string,
    changes: { name?: string; description?: string; content?: string },
  ) {
    return this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      const policy = await this.requirePolicy(trx, org, policyId);
      if (policy.aws_managed) throw errors.invalidInput('IMMUTABLE_POLICY');
      if (changes.content !== undefined) this.checkContent(changes.content, policy.policy_type);
      if (changes.name !== undefined && changes.name !== policy.name) {
        await this.checkPolicyNameFree(trx, org, policy.policy_type, changes.name);
      }
      const updated: PolicyRow = {
        ...policy,
        name: changes.name ?? policy.name,
        description: changes.description ?? policy.description,
        content: changes.content ?? policy.content,
        updated_at: this.nowIso(),
      };
      await trx
        .updateTable('org_policies')
        .set({
          name: updated.name,
          description: updated.description,
          content: updated.content,
          updated_at: updated.updated_at,
        })
        .where('policy_id', '=', policyId)
        .execute()
        .catch(onUnique(errors.duplicatePolicy));
      if (changes.content !== undefined && changes.content !== policy.content) {
        await this.chainsChanged(trx, effects, await this.accountIdsOf(trx, org));
      }
      return { Policy: policyShape(updated) };
    });
  }

  async deletePolicy(caller: string, policyId: string): Promise<void> {
    await this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      const policy = await this.requirePolicy(trx, org, policyId);
      if (policy.aws_managed) throw errors.invalidInput('IMMUTABLE_POLICY');
      const attached = await countOf(trx.selectFrom('org_policy_attachments').where('policy_id', '=', policyId));
      if (attached > 0) throw errors.policyInUse();
      await trx.deleteFrom('org_tags').where('resource_id', '=', policyId).execute();
      await trx.deleteFrom('org_policies').where('policy_id', '=', policyId).execute();
      effects.after.push(() => this.directory.setPolicy(policyId, undefined));
    });
  }

  async listPolicies(caller: string, type: OrgPolicyType) {
    const org = await this.managedOrg(this.db, caller);
    const rows = await this.db
      .selectFrom('org_policies')
      .selectAll()
      .where('policy_type', '=', type)
      .where((eb) => eb.or([eb('organization_id', '=', org.organization_id), eb('organization_id', 'is', null)]))
      .orderBy('aws_managed', 'desc')
      .orderBy('created_at')
      .orderBy('policy_id')
      .execute();
    return org.feature_set === 'ALL' ? rows.map((r) => policyShape(r).PolicySummary) : [];
  }

  async attachPolicy(caller: string, policyId: string, targetId: string): Promise<void> {
    await this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      const policy = await this.requirePolicy(trx, org, policyId);
      const target = await this.requireTarget(trx, org, targetId);
      if (!(await this.typeEnabled(trx, await this.rootIdOf(trx, org), policy.policy_type))) {
        throw errors.policyTypeNotEnabled();
      }
      const attached = await this.attachedTo(trx, org, targetId, policy.policy_type);
      if (attached.some((p) => p.policy_id === policyId)) throw errors.duplicateAttachment();
      if (attached.length >= this.limits.policiesPerTarget) {
        throw errors.constraintViolation('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      }
      await this.insertAttachment(trx, org, policyId, target.id, target.type);
      await this.chainsChanged(trx, effects, await this.accountsBelow(trx, org, target));
    });
  }

  async detachPolicy(caller: string, policyId: string, targetId: string): Promise<void> {
    await this.write(async (trx, effects) => {
      const org = await this.managedOrg(trx, caller);
      const policy = await this.requirePolicy(trx, org, policyId);
      const target = await this.requireTarget(trx, org, targetId);
      const attached = await this.attachedTo(trx, org, targetId, policy.policy_type);
      if (!attached.some((p) => p.policy_id === policyId)) throw errors.policyNotAttached();
      // Every root, OU and account keeps at least one SCP; the RCP default can never be detached.
      const lastOrDefault = attached.length === 1 || policyId === DEFAULT_POLICY.RESOURCE_CONTROL_POLICY.id;
      if (isAuthorizationType(policy.policy_type) && lastOrDefault) {
        throw errors.constraintViolation('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      }
      await trx
        .deleteFrom('org_policy_attachments')
        .where('organization_id', '=', org.organization_id)
        .where('policy_id', '=', policyId)
        .where('target_id', '=', targetId)
        .execute();
      await this.chainsChanged(trx, effects, await this.accountsBelow(trx, org, target));
    });
  }

  async listPoliciesForTarget(caller: string, targetId: string, type: OrgPolicyType) {
    const org = await this.managedOrg(this.db, caller);
    await this.requireTarget(this.db, org, targetId);
    return (await this.attachedTo(this.db, org, targetId, type)).map((p) => policyShape(p).PolicySummary);
  }

  async listTargetsForPolicy(caller: string, policyId: string) {
    const org = await this.managedOrg(this.db, caller);
    await this.requirePolicy(this.db, org, policyId);
    const rows = await this.db
      .selectFrom('org_policy_attachments')
      .select('target_id')
      .where('organization_id', '=', org.organization_id)
      .where('policy_id', '=', policyId)
      .orderBy('attached_at')
      .orderBy('target_id')
      .execute();
    const targets: Target[] = [];
    for (const row of rows) targets.push(await this.requireTarget(this.db, org, row.target_id));
    return targets.map((t) => ({ TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.type }));
  }

  // --- tags ---

  async tagResource(caller: string, resourceId: string, tags: Tag[]): Promise<void> {
    await this.write(async (trx) => {
      const org = await this.managedOrg(trx, caller);
      await this.requireTaggable(trx, org, resourceId);
      await this.putTags(trx, org, resourceId, tags);
    });
  }

  async untagResource(caller: string, resourceId: string, keys: string[]): Promise<void> {
    await this.write(async (trx) => {
      const org = await this.managedOrg(trx, caller);
      await this.requireTaggable(trx, org, resourceId);
      if (keys.length > 0) {
        await trx.deleteFrom('org_tags').where('resource_id', '=', resourceId).where('tag_key', 'in', keys).execute();
      }
    });
  }

  async listTagsForResource(caller: string, resourceId: string): Promise<Tag[]> {
    const org = await this.managedOrg(this.db, caller);
    await this.requireTaggable(this.db, org, resourceId);
    const rows = await this.db
      .selectFrom('org_tags')
      .select(['tag_key', 'tag_value'])
      .where('resource_id', '=', resourceId)
      .orderBy('tag_key')
      .execute();
    return rows.map((r) => ({ Key: r.tag_key, Value: r.tag_value }));
  }

  // --- internals ---

  /** One transaction per write; directory updates and chain notifications are published only after commit. */
  private async write<T>(work: (trx: Trx, effects: WriteEffects) => Promise<T>): Promise<T> {
    const effects: WriteEffects = { chainsOf: new Set(), after: [] };
    const result = await this.db
      .transaction()
      .execute((trx) => work(trx, effects))
      .catch((error: unknown) => {
        // Writes lock their organization (orgOf), so a collision is a bug's backstop, not a 500.
        throw uniqueViolation(error) ? errors.concurrentModification() : error;
      });
    for (const publish of effects.after) publish();
    if (effects.chainsOf.size > 0) this.onChainsChanged?.([...effects.chainsOf]);
    return result;
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
    await this.chainsChanged(trx, effects, [accountId]);
    effects.after.push(() => this.directory.setMember(accountId, undefined));
  }

  // --- seams for the capabilities kept in their own files (service-access.ts, delegated-administrators.ts) ---

  /** Runs `work` in one write transaction over the caller's organization, which the caller must manage. */
  async managedWrite<T>(caller: string, work: (trx: Trx, org: OrgRow) => Promise<T>): Promise<T> {
    return this.write(async (trx) => work(trx, await this.managedOrg(trx, caller)));
  }

  /** The caller's organization when the caller manages it (a read). */
  async managedOrganization(caller: string): Promise<OrgRow> {
    return this.managedOrg(this.db, caller);
  }

  /**
   * The accounts under an organization entity path (`o-…/r-…[/ou-…]*[/<account>]`), each with its own path,
   * for IAM's organizations access report: only the management account asks (AccessDenied otherwise); a path
   * that does not follow the organization's tree is undefined.
   */
  async accountsUnderPath(
    caller: string,
    entityPath: string,
  ): Promise<Array<{ accountId: string; path: string }> | undefined> {
    const org = await this.managedOrg(this.db, caller);
    const [orgId, rootId, ...rest] = entityPath.replace(/\/+$/, '').split('/');
    const root = await this.db
      .selectFrom('org_roots')
      .select('root_id')
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (orgId !== org.organization_id || root === undefined || rootId !== root.root_id) return undefined;
    const units = await this.db
      .selectFrom('org_units')
      .select(['ou_id', 'parent_id'])
      .where('organization_id', '=', org.organization_id)
      .execute();
    const accounts = await this.db
      .selectFrom('org_accounts')
      .select(['account_id', 'parent_id'])
      .where('organization_id', '=', org.organization_id)
      .execute();
    const parentOf = new Map<string, string>([
      ...units.map((u): [string, string] => [u.ou_id, u.parent_id]),
      ...accounts.map((a): [string, string] => [a.account_id, a.parent_id]),
    ]);
    // Each step of the path must be a child of the one before it.
    let container = root.root_id;
    for (const id of rest) {
      if (parentOf.get(id) !== container) return undefined;
      container = id;
    }
    const chain = (id: string): string[] => {
      const parent = parentOf.get(id);
      return parent === undefined ? [id] : [...chain(parent), id];
    };
    return accounts
      .map((a) => chain(a.account_id))
      .filter((ids) => ids.includes(container))
      .map((ids) => ({ accountId: ids.at(-1)!, path: [org.organization_id, ...ids].join('/') }));
  }

  /** The account as a member of `org` (AWS's Account shape), or AccountNotFoundException. */
  async memberAccount(db: Db | Trx, org: OrgRow, accountId: string) {
    const row = await this.memberOf(db, org, accountId);
    if (!row) throw errors.accountNotFound();
    return accountShape(row);
  }

  /** Tells IAM in this transaction that the accounts' policies changed, and the chains after commit. */
  private async chainsChanged(trx: Trx, effects: WriteEffects, accountIds: string[]): Promise<void> {
    await policiesChanged(trx, accountIds);
    for (const id of accountIds) effects.chainsOf.add(id);
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** The caller's organization, whether it manages it or not. */
  private async orgOf(db: Db | Trx, caller: string): Promise<OrgRow> {
    let member = await memberRow(db, caller);
    // In a write, the organization's row is locked first: its checks (names, quotas, the last SCP) then see
    // every write before it, and the writes of one organization run one at a time.
    if (member && db.isTransaction) {
      await lockRow(db as Trx, 'org_organizations', 'organization_id', member.organization_id);
      member = await memberRow(db, caller);
    }
    const org = member
      ? await db
          .selectFrom('org_organizations')
          .selectAll()
          .where('organization_id', '=', member.organization_id)
          .executeTakeFirst()
      : undefined;
    this.directory.setMember(caller, org ? refOf(org) : undefined);
    if (!org) throw errors.notInUse();
    return org;
  }

  /** The caller's organization when the caller is its management account; AWS's errors otherwise. */
  private async managedOrg(db: Db | Trx, caller: string): Promise<OrgRow> {
    const org = await this.orgOf(db, caller);
    if (org.management_account_id !== caller) throw errors.accessDenied();
    return org;
  }

  private async memberOf(db: Db | Trx, org: OrgRow, accountId: string): Promise<AccountRow | undefined> {
    if (!ACCOUNT_ID.test(accountId)) throw errors.invalidInput('INVALID_PATTERN', '(AccountId)');
    const row = await memberRow(db, accountId);
    return row?.organization_id === org.organization_id ? row : undefined;
  }

  private async findOu(db: Db | Trx, org: OrgRow, ouId: string): Promise<OuRow | undefined> {
    return db
      .selectFrom('org_units')
      .selectAll()
      .where('ou_id', '=', ouId)
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
  }

  private async requireOu(db: Db | Trx, org: OrgRow, ouId: string): Promise<OuRow> {
    if (!OU_ID.test(ouId)) throw errors.invalidInput('INVALID_PATTERN', '(OrganizationalUnitId)');
    const ou = await this.findOu(db, org, ouId);
    if (!ou) throw errors.ouNotFound();
    return ou;
  }

  private async requireRoot(db: Db | Trx, org: OrgRow, rootId: string): Promise<void> {
    if (!ROOT_ID.test(rootId)) throw errors.invalidInput('INVALID_PATTERN', '(RootId)');
    const root = await db
      .selectFrom('org_roots')
      .select('root_id')
      .where('root_id', '=', rootId)
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (!root) throw errors.rootNotFound();
  }

  private async rootIdOf(db: Db | Trx, org: OrgRow): Promise<string> {
    const root = await db
      .selectFrom('org_roots')
      .select('root_id')
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirstOrThrow();
    return root.root_id;
  }

  /** A root or OU of the organization, with its depth (root 0) and root id; undefined when there is none. */
  private async findParent(
    db: Db | Trx,
    org: OrgRow,
    parentId: string,
  ): Promise<{ depth: number; rootId: string } | undefined> {
    if (ROOT_ID.test(parentId)) {
      const root = await db
        .selectFrom('org_roots')
        .select('root_id')
        .where('root_id', '=', parentId)
        .where('organization_id', '=', org.organization_id)
        .executeTakeFirst();
      return root ? { depth: 0, rootId: root.root_id } : undefined;
    }
    if (!OU_ID.test(parentId)) throw errors.invalidInput('INVALID_PATTERN', '(ParentId)');
    let depth = 0;
    let current = parentId;
    while (!ROOT_ID.test(current)) {
      const ou = await this.findOu(db, org, current);
      if (!ou) return undefined;
      depth += 1;
      current = ou.parent_id;
    }
    return { depth, rootId: current };
  }

  private async checkOuNameFree(db: Db | Trx, parentId: string, name: string): Promise<void> {
    const clash = await db
      .selectFrom('org_units')
      .select('ou_id')
      .where('parent_id', '=', parentId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash) throw errors.duplicateOu();
  }

  private async checkPolicyNameFree(db: Db | Trx, org: OrgRow, type: OrgPolicyType, name: string): Promise<void> {
    const clash = await db
      .selectFrom('org_policies')
      .select('policy_id')
      .where('policy_type', '=', type)
      .where('name', '=', name)
      .where((eb) => eb.or([eb('organization_id', '=', org.organization_id), eb('organization_id', 'is', null)]))
      .executeTakeFirst();
    if (clash) throw errors.duplicatePolicy();
  }

  private async accountsUnder(parentId: string): Promise<AccountRow[]> {
    return this.db
      .selectFrom('org_accounts')
      .selectAll()
      .where('parent_id', '=', parentId)
      .orderBy('joined_at')
      .orderBy('account_id')
      .execute();
  }

  private async accountIdsOf(db: Db | Trx, org: OrgRow): Promise<string[]> {
    const rows = await db
      .selectFrom('org_accounts')
      .select('account_id')
      .where('organization_id', '=', org.organization_id)
      .execute();
    return rows.map((r) => r.account_id);
  }

  /** The accounts whose chain includes `target`: the account itself, or every account under a root or OU. */
  private async accountsBelow(db: Db | Trx, org: OrgRow, target: Target): Promise<string[]> {
    if (target.type === 'ACCOUNT') return [target.id];
    if (target.type === 'ROOT') return this.accountIdsOf(db, org);
    const ous = await db
      .selectFrom('org_units')
      .select(['ou_id', 'parent_id'])
      .where('organization_id', '=', org.organization_id)
      .execute();
    const below = new Set([target.id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const ou of ous) {
        if (below.has(ou.parent_id) && !below.has(ou.ou_id)) {
          below.add(ou.ou_id);
          grew = true;
        }
      }
    }
    const accounts = await db
      .selectFrom('org_accounts')
      .select('account_id')
      .where('organization_id', '=', org.organization_id)
      .where('parent_id', 'in', [...below])
      .execute();
    return accounts.map((a) => a.account_id);
  }

  private async requirePolicy(db: Db | Trx, org: OrgRow, policyId: string): Promise<PolicyRow> {
    if (!POLICY_ID.test(policyId)) throw errors.invalidInput('INVALID_PATTERN', '(PolicyId)');
    const row = await db
      .selectFrom('org_policies')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where((eb) => eb.or([eb('organization_id', '=', org.organization_id), eb('organization_id', 'is', null)]))
      .executeTakeFirst();
    if (!row || (row.aws_managed && org.feature_set !== 'ALL')) throw errors.policyNotFound();
    this.directory.setPolicy(row.policy_id, row.policy_type);
    return row;
  }

  /** A root, OU or account of the organization, by id. */
  private async requireTarget(db: Db | Trx, org: OrgRow, targetId: string): Promise<Target> {
    if (ROOT_ID.test(targetId)) {
      const root = await db
        .selectFrom('org_roots')
        .selectAll()
        .where('root_id', '=', targetId)
        .where('organization_id', '=', org.organization_id)
        .executeTakeFirst();
      if (root) return { id: root.root_id, type: 'ROOT', arn: root.arn, name: root.name };
    } else if (OU_ID.test(targetId)) {
      const ou = await this.findOu(db, org, targetId);
      if (ou) return { id: ou.ou_id, type: 'ORGANIZATIONAL_UNIT', arn: ou.arn, name: ou.name };
    } else if (ACCOUNT_ID.test(targetId)) {
      const account = await this.memberOf(db, org, targetId);
      if (account) return { id: account.account_id, type: 'ACCOUNT', arn: account.arn, name: account.name };
    } else {
      throw errors.invalidInput('INVALID_PATTERN_TARGET_ID');
    }
    throw errors.targetNotFound();
  }

  private async requireTaggable(db: Db | Trx, org: OrgRow, resourceId: string): Promise<void> {
    if (POLICY_ID.test(resourceId)) {
      const policy = await this.requirePolicy(db, org, resourceId).catch(() => undefined);
      if (!policy || policy.aws_managed) throw errors.targetNotFound();
      return;
    }
    await this.requireTarget(db, org, resourceId);
  }

  private async putTags(trx: Trx, org: OrgRow, resourceId: string, tags: Tag[]): Promise<void> {
    for (const tag of tags) {
      await trx.deleteFrom('org_tags').where('resource_id', '=', resourceId).where('tag_key', '=', tag.Key).execute();
      await trx
        .insertInto('org_tags')
        .values({
          organization_id: org.organization_id,
          resource_id: resourceId,
          tag_key: tag.Key,
          tag_value: tag.Value,
        })
        .execute();
    }
    const count = await countOf(trx.selectFrom('org_tags').where('resource_id', '=', resourceId));
    if (count > this.limits.tagsPerResource) throw errors.constraintViolation('MAX_TAG_LIMIT_EXCEEDED');
  }

  private async typeEnabled(db: Db | Trx, rootId: string, type: OrgPolicyType): Promise<boolean> {
    const row = await db
      .selectFrom('org_root_policy_types')
      .select('status')
      .where('root_id', '=', rootId)
      .where('policy_type', '=', type)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async attachedTo(db: Db | Trx, org: OrgRow, targetId: string, type: OrgPolicyType): Promise<PolicyRow[]> {
    return db
      .selectFrom('org_policy_attachments as a')
      .innerJoin('org_policies as p', 'p.policy_id', 'a.policy_id')
      .selectAll('p')
      .where('a.organization_id', '=', org.organization_id)
      .where('a.target_id', '=', targetId)
      .where('p.policy_type', '=', type)
      .orderBy('a.attached_at')
      .orderBy('p.policy_id')
      .execute();
  }

  private async insertAttachment(trx: Trx, org: OrgRow, policyId: string, targetId: string, type: OrgTargetType) {
    await trx
      .insertInto('org_policy_attachments')
      .values({
        organization_id: org.organization_id,
        policy_id: policyId,
        target_id: targetId,
        target_type: type,
        attached_at: this.nowIso(),
      })
      .execute();
  }

  private async attachDefault(trx: Trx, org: OrgRow, targetId: string, targetType: OrgTargetType, type: OrgPolicyType) {
    const policy = DEFAULT_POLICY[type];
    if (policy !== undefined) await this.insertAttachment(trx, org, policy.id, targetId, targetType);
  }

  /**
   * A new OU or account gets FullAWSAccess whenever the organization has all features (the root and the
   * management account got it at creation), and RCPFullAWSAccess while RCPs are enabled.
   */
  private async attachDefaults(trx: Trx, org: OrgRow, rootId: string, targetId: string, targetType: OrgTargetType) {
    if (org.feature_set !== 'ALL') return;
    await this.attachDefault(trx, org, targetId, targetType, 'SERVICE_CONTROL_POLICY');
    if (await this.typeEnabled(trx, rootId, 'RESOURCE_CONTROL_POLICY')) {
      await this.attachDefault(trx, org, targetId, targetType, 'RESOURCE_CONTROL_POLICY');
    }
  }

  private async detachAllOfType(trx: Trx, org: OrgRow, type: OrgPolicyType): Promise<void> {
    await trx
      .deleteFrom('org_policy_attachments')
      .where('organization_id', '=', org.organization_id)
      .where('policy_id', 'in', trx.selectFrom('org_policies').select('policy_id').where('policy_type', '=', type))
      .execute();
  }

  /**
   * AWS's checks on a policy document: size and JSON for every type; for SCPs and RCPs the policy language
   * rules too (a management policy's own syntax is its consuming service's to read).
   */
  private checkContent(content: string, type: OrgPolicyType): void {
    const limit = MANAGEMENT_POLICY_CHARACTERS[type] ?? this.limits.policyContentCharacters;
    if (content.length > limit) throw errors.constraintViolation('POLICY_CONTENT_LIMIT_EXCEEDED');
    let document: unknown;
    try {
      document = JSON.parse(content);
    } catch {
      throw errors.malformedPolicyDocument();
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw errors.malformedPolicyDocument();
    }
    if (!isAuthorizationType(type)) return;
    const kind = type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp';
    const problem = validatePolicy(content, kind, this.catalog).find((f) => f.findingType === 'ERROR');
    if (problem) throw errors.malformedPolicyDocument(problem.findingDetails);
    // The chain compiles stored documents; one the engine cannot compile must never be stored.
    const compiled = compilePolicy(content, { policyType: kind, policyId: 'new' });
    if (!compiled.ok) throw errors.malformedPolicyDocument(compiled.errors[0]);
  }

  private async rootShape(db: Db | Trx, rootId: string) {
    const root = await db.selectFrom('org_roots').selectAll().where('root_id', '=', rootId).executeTakeFirstOrThrow();
    const types = await db
      .selectFrom('org_root_policy_types')
      .select(['policy_type', 'status'])
      .where('root_id', '=', rootId)
      .orderBy('policy_type')
      .execute();
    return {
      Id: root.root_id,
      Arn: root.arn,
      Name: root.name,
      PolicyTypes: types.map((t) => ({ Type: t.policy_type, Status: t.status })),
    };
  }
}

async function memberRow(db: Db | Trx, accountId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('org_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** A concurrent writer won the name between our check and our write: answer as the check would have. */
function onUnique(duplicate: () => Error) {
  return (error: unknown): never => {
    throw uniqueViolation(error) ? duplicate() : error;
  };
}

function refOf(org: OrgRow): OrgRef {
  return { organizationId: org.organization_id, managementAccountId: org.management_account_id };
}

function organizationShape(org: OrgRow, managementEmail: string) {
  return {
    Id: org.organization_id,
    Arn: org.arn,
    FeatureSet: org.feature_set,
    MasterAccountArn: accountArn(org.management_account_id, org.organization_id, org.management_account_id),
    MasterAccountId: org.management_account_id,
    MasterAccountEmail: managementEmail,
    // Deprecated by AWS but still returned: with all features, SCPs are "available".
    AvailablePolicyTypes: org.feature_set === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
  };
}

function ouShape(ou: OuRow) {
  return { Id: ou.ou_id, Arn: ou.arn, Name: ou.name };
}

function accountShape(row: AccountRow) {
  return {
    Id: row.account_id,
    Arn: row.arn,
    Email: row.email,
    Name: row.name,
    Status: row.status,
    State: row.status,
    JoinedMethod: row.joined_method,
    JoinedTimestamp: new Date(row.joined_at),
  };
}

function statusShape(row: StatusRow) {
  return {
    Id: row.request_id,
    AccountName: row.account_name,
    State: row.state,
    RequestedTimestamp: new Date(row.requested_at),
    ...(row.completed_at !== null ? { CompletedTimestamp: new Date(row.completed_at) } : {}),
    ...(row.account_id !== null ? { AccountId: row.account_id } : {}),
    ...(row.failure_reason !== null ? { FailureReason: row.failure_reason } : {}),
  };
}

function policyShape(row: PolicyRow) {
  return {
    PolicySummary: {
      Id: row.policy_id,
      Arn: row.arn,
      Name: row.name,
      Description: row.description,
      Type: row.policy_type,
      AwsManaged: row.aws_managed === 1,
    },
    Content: row.content,
  };
}
