/**
 * AWS Organizations over the store: the organization itself (create, describe, delete, its root) and the
 * parts kept in their own modules — OUs and the tree (units.ts), member accounts (accounts.ts), policies and
 * attachments (policies.ts), tags (tags.ts), trusted service access and delegated administrators. Every
 * method takes the calling account id; AWS lets only the management account call most of them. Results are
 * AWS's API shapes.
 */
import { accountDetails, lockAccount } from '../iam/member-accounts.js';
import { MemberAccounts } from './accounts.js';
import { OrgCore, type OrganizationsDeps } from './core.js';
import { DelegatedAdministrators } from './delegated-administrators.js';
import { EffectivePolicies } from './effective-policies.js';
import { Handshakes } from './handshakes.js';
import { ResourcePolicies } from './resource-policy.js';
import type { OrgDirectory } from './directory.js';
import * as errors from './errors.js';
import { accountArn, newOrganizationId, newRootId, organizationArn, rootArn } from './ids.js';
import { OrgPolicies } from './policies.js';
import { forgetServiceAccess, ServiceAccess } from './service-access.js';
import { memberRow, organizationShape, refOf, type OrgRow } from './shapes.js';
import { OrgTags } from './tags.js';
import { OrganizationalUnits } from './units.js';

export { AWS_DEFAULT_LIMITS, POLICY_TYPES, type OrganizationLimits, type OrganizationsDeps } from './core.js';
export type { OrgRow } from './shapes.js';

export class Organizations {
  readonly directory: OrgDirectory;
  readonly units: OrganizationalUnits;
  readonly accounts: MemberAccounts;
  readonly policies: OrgPolicies;
  readonly tags: OrgTags;
  readonly serviceAccess: ServiceAccess;
  readonly delegatedAdministrators: DelegatedAdministrators;
  readonly handshakes: Handshakes;
  readonly resourcePolicy: ResourcePolicies;
  readonly effectivePolicies: EffectivePolicies;
  private readonly core: OrgCore;

  constructor(deps: OrganizationsDeps) {
    this.core = new OrgCore(deps);
    this.directory = this.core.directory;
    this.units = new OrganizationalUnits(this.core);
    this.accounts = new MemberAccounts(this.core);
    this.policies = new OrgPolicies(this.core);
    this.tags = new OrgTags(this.core);
    this.serviceAccess = new ServiceAccess(this.core);
    this.delegatedAdministrators = new DelegatedAdministrators(this.core);
    this.handshakes = new Handshakes(this.core);
    this.resourcePolicy = new ResourcePolicies(this.core);
    this.effectivePolicies = new EffectivePolicies(this.core);
  }

  /** Fills the directory from the store (at start). */
  async load(): Promise<void> {
    const orgs = await this.core.db.selectFrom('org_organizations').selectAll().execute();
    const refs = new Map(orgs.map((o) => [o.organization_id, refOf(o)]));
    for (const member of await this.core.db
      .selectFrom('org_accounts')
      .select(['account_id', 'organization_id'])
      .execute()) {
      this.core.directory.setMember(member.account_id, refs.get(member.organization_id));
    }
    for (const policy of await this.core.db.selectFrom('org_policies').select(['policy_id', 'policy_type']).execute()) {
      this.core.directory.setPolicy(policy.policy_id, policy.policy_type);
    }
  }

  async createOrganization(caller: string, featureSet: 'ALL' | 'CONSOLIDATED_BILLING' = 'ALL') {
    return this.core.write(async (trx, effects) => {
      // No organization to lock yet: the caller's account row makes its concurrent creations take turns.
      await lockAccount(trx, caller);
      if (await memberRow(trx, caller)) throw errors.alreadyInOrganization();
      const account = await accountDetails(trx, caller);
      if (!account) throw errors.accountNotFound();
      const now = this.core.nowIso();
      const orgId = newOrganizationId(this.core.ids);
      const org: OrgRow = {
        organization_id: orgId,
        arn: organizationArn(caller, orgId),
        management_account_id: caller,
        feature_set: featureSet,
        created_at: now,
      };
      await trx.insertInto('org_organizations').values(org).execute();
      const rootId = newRootId(this.core.ids);
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
        await this.core.attachDefault(trx, org, rootId, 'ROOT', 'SERVICE_CONTROL_POLICY');
        await this.core.attachDefault(trx, org, caller, 'ACCOUNT', 'SERVICE_CONTROL_POLICY');
      }
      effects.after.push(() => this.core.directory.setMember(caller, refOf(org)));
      return { Organization: organizationShape(org, account.email) };
    });
  }

  /** Any account of the organization may describe it. */
  async describeOrganization(caller: string) {
    const org = await this.core.orgOf(this.core.db, caller);
    const mgmt = await memberRow(this.core.db, org.management_account_id);
    return { Organization: organizationShape(org, mgmt?.email ?? '') };
  }

  async deleteOrganization(caller: string): Promise<void> {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
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
      await trx.deleteFrom('org_handshakes').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_resource_policies').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_policy_attachments').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_policies').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_create_account_requests').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_accounts').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_units').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_root_policy_types').where('root_id', 'in', roots).execute();
      await trx.deleteFrom('org_roots').where('organization_id', '=', id).execute();
      await trx.deleteFrom('org_organizations').where('organization_id', '=', id).execute();
      effects.after.push(() => this.core.directory.forgetOrganization(id));
    });
  }

  async listRoots(caller: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    const roots = await this.core.db
      .selectFrom('org_roots')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .execute();
    return Promise.all(roots.map((r) => this.core.rootShape(this.core.db, r.root_id)));
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
    const db = this.core.db;
    const org = await this.core.managedOrg(db, caller);
    const [orgId, rootId, ...rest] = entityPath.replace(/\/+$/, '').split('/');
    const root = await db
      .selectFrom('org_roots')
      .select('root_id')
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (orgId !== org.organization_id || root === undefined || rootId !== root.root_id) return undefined;
    const units = await db
      .selectFrom('org_units')
      .select(['ou_id', 'parent_id'])
      .where('organization_id', '=', org.organization_id)
      .execute();
    const accounts = await db
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
}
