/**
 * What every part of the Organizations area shares: the store, clock, ids and limits, the one write
 * transaction per call (with what it publishes after commit), and the lookups of an organization's
 * roots, OUs, accounts, policies and attachments with AWS's not-found and access errors.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { CatalogView } from '../policy/validate.js';
import { policiesChanged, type MemberAccountProvisioner } from '../iam/member-accounts.js';
import { countOf, uniqueViolation } from '../store/dialect.js';
import { lockRow } from '../store/locks.js';
import type { Database } from '../store/schema.js';
import type { OrgPolicyType, OrgTargetType } from '../store/tables/organizations.js';
import type { Tag } from '../contracts/wire/organizations.js';
import { OrgDirectory } from './directory.js';
import * as errors from './errors.js';
import { ACCOUNT_ID, OU_ID, POLICY_ID, RESOURCE_POLICY_ID, ROOT_ID } from './ids.js';
import { DEFAULT_POLICY } from './managed-policies.js';
import { accountShape, memberRow, refOf, type AccountRow, type OrgRow, type OuRow, type PolicyRow } from './shapes.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

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
export function isAuthorizationType(type: OrgPolicyType): type is 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY' {
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

export interface Target {
  id: string;
  type: OrgTargetType;
  arn: string;
  name: string;
}

/** Everything one write learned that must be published after commit. */
export interface WriteEffects {
  chainsOf: Set<string>;
  after: (() => void)[];
}

export class OrgCore {
  readonly directory = new OrgDirectory();
  readonly db: Db;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly provisioner: MemberAccountProvisioner;
  readonly catalog: CatalogView | undefined;
  readonly limits: OrganizationLimits;
  private readonly onChainsChanged: ((accountIds: string[]) => void) | undefined;

  constructor(deps: OrganizationsDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.provisioner = deps.provisioner;
    this.catalog = deps.catalog;
    this.limits = { ...AWS_DEFAULT_LIMITS, ...deps.limits };
    this.onChainsChanged = deps.onChainsChanged;
  }

  /** One transaction per write; directory updates and chain notifications are published only after commit. */
  async write<T>(work: (trx: Trx, effects: WriteEffects) => Promise<T>): Promise<T> {
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

  /** Runs `work` in one write transaction over the caller's organization, which the caller must manage. */
  async managedWrite<T>(caller: string, work: (trx: Trx, org: OrgRow) => Promise<T>): Promise<T> {
    return this.write(async (trx) => work(trx, await this.managedOrg(trx, caller)));
  }

  /** The caller's organization when the caller manages it (a read). */
  async managedOrganization(caller: string): Promise<OrgRow> {
    return this.managedOrg(this.db, caller);
  }

  /** The account as a member of `org` (AWS's Account shape), or AccountNotFoundException. */
  async memberAccount(db: Db | Trx, org: OrgRow, accountId: string) {
    const row = await this.memberOf(db, org, accountId);
    if (!row) throw errors.accountNotFound();
    return accountShape(row, this.clock.now());
  }

  /** Tells IAM in this transaction that the accounts' policies changed, and the chains after commit. */
  async chainsChanged(trx: Trx, effects: WriteEffects, accountIds: string[]): Promise<void> {
    await policiesChanged(trx, accountIds);
    for (const id of accountIds) effects.chainsOf.add(id);
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** The caller's organization, whether it manages it or not. */
  async orgOf(db: Db | Trx, caller: string): Promise<OrgRow> {
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
  async managedOrg(db: Db | Trx, caller: string): Promise<OrgRow> {
    const org = await this.orgOf(db, caller);
    if (org.management_account_id !== caller) throw errors.accessDenied();
    return org;
  }

  async memberOf(db: Db | Trx, org: OrgRow, accountId: string): Promise<AccountRow | undefined> {
    if (!ACCOUNT_ID.test(accountId)) throw errors.invalidInput('INVALID_PATTERN', '(AccountId)');
    const row = await memberRow(db, accountId);
    return row?.organization_id === org.organization_id ? row : undefined;
  }

  async findOu(db: Db | Trx, org: OrgRow, ouId: string): Promise<OuRow | undefined> {
    return db
      .selectFrom('org_units')
      .selectAll()
      .where('ou_id', '=', ouId)
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
  }

  async requireOu(db: Db | Trx, org: OrgRow, ouId: string): Promise<OuRow> {
    if (!OU_ID.test(ouId)) throw errors.invalidInput('INVALID_PATTERN', '(OrganizationalUnitId)');
    const ou = await this.findOu(db, org, ouId);
    if (!ou) throw errors.ouNotFound();
    return ou;
  }

  async requireRoot(db: Db | Trx, org: OrgRow, rootId: string): Promise<void> {
    if (!ROOT_ID.test(rootId)) throw errors.invalidInput('INVALID_PATTERN', '(RootId)');
    const root = await db
      .selectFrom('org_roots')
      .select('root_id')
      .where('root_id', '=', rootId)
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (!root) throw errors.rootNotFound();
  }

  async rootIdOf(db: Db | Trx, org: OrgRow): Promise<string> {
    const root = await db
      .selectFrom('org_roots')
      .select('root_id')
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirstOrThrow();
    return root.root_id;
  }

  /** A root or OU of the organization, with its depth (root 0) and root id; undefined when there is none. */
  async findParent(
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

  async checkOuNameFree(db: Db | Trx, parentId: string, name: string): Promise<void> {
    const clash = await db
      .selectFrom('org_units')
      .select('ou_id')
      .where('parent_id', '=', parentId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash) throw errors.duplicateOu();
  }

  async checkPolicyNameFree(db: Db | Trx, org: OrgRow, type: OrgPolicyType, name: string): Promise<void> {
    const clash = await db
      .selectFrom('org_policies')
      .select('policy_id')
      .where('policy_type', '=', type)
      .where('name', '=', name)
      .where((eb) => eb.or([eb('organization_id', '=', org.organization_id), eb('organization_id', 'is', null)]))
      .executeTakeFirst();
    if (clash) throw errors.duplicatePolicy();
  }

  async accountsUnder(parentId: string): Promise<AccountRow[]> {
    return this.db
      .selectFrom('org_accounts')
      .selectAll()
      .where('parent_id', '=', parentId)
      .orderBy('joined_at')
      .orderBy('account_id')
      .execute();
  }

  async accountIdsOf(db: Db | Trx, org: OrgRow): Promise<string[]> {
    const rows = await db
      .selectFrom('org_accounts')
      .select('account_id')
      .where('organization_id', '=', org.organization_id)
      .execute();
    return rows.map((r) => r.account_id);
  }

  /** The accounts whose chain includes `target`: the account itself, or every account under a root or OU. */
  async accountsBelow(db: Db | Trx, org: OrgRow, target: Target): Promise<string[]> {
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

  async requirePolicy(db: Db | Trx, org: OrgRow, policyId: string): Promise<PolicyRow> {
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
  async requireTarget(db: Db | Trx, org: OrgRow, targetId: string): Promise<Target> {
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

  async requireTaggable(db: Db | Trx, org: OrgRow, resourceId: string): Promise<void> {
    if (RESOURCE_POLICY_ID.test(resourceId)) {
      const policy = await db
        .selectFrom('org_resource_policies')
        .select('policy_id')
        .where('organization_id', '=', org.organization_id)
        .where('policy_id', '=', resourceId)
        .executeTakeFirst();
      if (!policy) throw errors.targetNotFound();
      return;
    }
    if (POLICY_ID.test(resourceId)) {
      const policy = await this.requirePolicy(db, org, resourceId).catch(() => undefined);
      if (!policy || policy.aws_managed) throw errors.targetNotFound();
      return;
    }
    await this.requireTarget(db, org, resourceId);
  }

  async putTags(trx: Trx, org: OrgRow, resourceId: string, tags: Tag[]): Promise<void> {
    // The model cannot say that keys are unique within one request.
    if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw errors.invalidInput('DUPLICATE_TAG_KEY');
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

  async typeEnabled(db: Db | Trx, rootId: string, type: OrgPolicyType): Promise<boolean> {
    const row = await db
      .selectFrom('org_root_policy_types')
      .select('status')
      .where('root_id', '=', rootId)
      .where('policy_type', '=', type)
      .executeTakeFirst();
    return row !== undefined;
  }

  async attachedTo(db: Db | Trx, org: OrgRow, targetId: string, type: OrgPolicyType): Promise<PolicyRow[]> {
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

  async insertAttachment(trx: Trx, org: OrgRow, policyId: string, targetId: string, type: OrgTargetType) {
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

  async attachDefault(trx: Trx, org: OrgRow, targetId: string, targetType: OrgTargetType, type: OrgPolicyType) {
    const policy = DEFAULT_POLICY[type];
    if (policy !== undefined) await this.insertAttachment(trx, org, policy.id, targetId, targetType);
  }

  /**
   * A new OU or account gets FullAWSAccess whenever the organization has all features (the root and the
   * management account got it at creation), and RCPFullAWSAccess while RCPs are enabled.
   */
  async attachDefaults(trx: Trx, org: OrgRow, rootId: string, targetId: string, targetType: OrgTargetType) {
    if (org.feature_set !== 'ALL') return;
    await this.attachDefault(trx, org, targetId, targetType, 'SERVICE_CONTROL_POLICY');
    if (await this.typeEnabled(trx, rootId, 'RESOURCE_CONTROL_POLICY')) {
      await this.attachDefault(trx, org, targetId, targetType, 'RESOURCE_CONTROL_POLICY');
    }
  }

  async detachAllOfType(trx: Trx, org: OrgRow, type: OrgPolicyType): Promise<void> {
    await trx
      .deleteFrom('org_policy_attachments')
      .where('organization_id', '=', org.organization_id)
      .where('policy_id', 'in', trx.selectFrom('org_policies').select('policy_id').where('policy_type', '=', type))
      .execute();
  }

  async rootShape(db: Db | Trx, rootId: string) {
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

/** A concurrent writer won the name between our check and our write: answer as the check would have. */
export function onUnique(duplicate: () => Error) {
  return (error: unknown): never => {
    throw uniqueViolation(error) ? duplicate() : error;
  };
}
