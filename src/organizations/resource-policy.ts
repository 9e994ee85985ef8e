/**
 * The organization's resource policy (PutResourcePolicy, DescribeResourcePolicy, DeleteResourcePolicy): an
 * IAM resource-based policy by which the management account delegates Organizations actions to member
 * accounts. invoke() joins it to a member principal's own policies when that principal calls a delegable
 * operation (src/operations/organizations/common.ts): the call is cross-account, so both must allow it.
 */
import { compilePolicy } from '../policy/index.js';
import type { Tag } from '../contracts/wire/organizations.js';
import type { OrgCore } from './core.js';
import * as errors from './errors.js';
import { newResourcePolicyId, resourcePolicyArn } from './ids.js';

/** The actions a resource policy may delegate, as AWS lists them: the reads, and policy management. */
export const DELEGABLE_WRITES: ReadonlySet<string> = new Set([
  'AttachPolicy',
  'CreatePolicy',
  'DeletePolicy',
  'DetachPolicy',
  'DisablePolicyType',
  'EnablePolicyType',
  'TagResource',
  'UntagResource',
  'UpdatePolicy',
]);

/** Whether an action (`organizations:ListAccounts`, `organizations:Describe*`, `*`) may appear in the policy. */
function delegable(action: string): boolean {
  if (action === '*' || action === 'organizations:*') return true;
  const [service, name] = action.split(':');
  if (service?.toLowerCase() !== 'organizations' || name === undefined) return false;
  if (/^(describe|list)/i.test(name)) return true;
  return [...DELEGABLE_WRITES].some((write) => new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i').test(write));
}

function checkContent(content: string): void {
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch {
    throw errors.invalidInput('INVALID_RESOURCE_POLICY_JSON');
  }
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  for (const statement of list) {
    const action = (statement as { Action?: unknown } | null)?.Action;
    const actions = Array.isArray(action) ? action : [action];
    if (actions.some((a) => typeof a === 'string' && !delegable(a))) {
      throw errors.invalidInput('UNSUPPORTED_ACTION_IN_RESOURCE_POLICY');
    }
  }
  if (!compilePolicy(content, { policyType: 'resource', policyId: 'resource-policy' }).ok) {
    throw errors.invalidInput('INVALID_RESOURCE_POLICY_JSON');
  }
}

export class ResourcePolicies {
  constructor(private readonly core: OrgCore) {}

  async put(caller: string, content: string, tags: Tag[] = []) {
    checkContent(content);
    return this.core.managedWrite(caller, async (trx, org) => {
      const existing = await trx
        .selectFrom('org_resource_policies')
        .select('policy_id')
        .where('organization_id', '=', org.organization_id)
        .executeTakeFirst();
      const policyId = existing?.policy_id ?? newResourcePolicyId(this.core.ids);
      const row = {
        organization_id: org.organization_id,
        policy_id: policyId,
        arn: resourcePolicyArn(org.management_account_id, org.organization_id, policyId),
        content,
        updated_at: this.core.nowIso(),
      };
      if (existing) {
        await trx
          .updateTable('org_resource_policies')
          .set({ content, updated_at: row.updated_at })
          .where('organization_id', '=', org.organization_id)
          .execute();
      } else {
        await trx.insertInto('org_resource_policies').values(row).execute();
      }
      await this.core.putTags(trx, org, policyId, tags);
      return { ResourcePolicy: shape(row) };
    });
  }

  async describe(caller: string) {
    const org = await this.core.managedOrganization(caller);
    const row = await this.core.db
      .selectFrom('org_resource_policies')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .executeTakeFirst();
    if (!row) throw errors.resourcePolicyNotFound();
    return { ResourcePolicy: shape(row) };
  }

  async delete(caller: string): Promise<void> {
    await this.core.managedWrite(caller, async (trx, org) => {
      const row = await trx
        .selectFrom('org_resource_policies')
        .select('policy_id')
        .where('organization_id', '=', org.organization_id)
        .executeTakeFirst();
      if (!row) throw errors.resourcePolicyNotFound();
      await trx.deleteFrom('org_tags').where('resource_id', '=', row.policy_id).execute();
      await trx.deleteFrom('org_resource_policies').where('organization_id', '=', org.organization_id).execute();
    });
  }

  /** The policy of the organization an Organizations ARN belongs to, for the Authority; undefined when none. */
  async documentForArn(arn: string): Promise<string | undefined> {
    const organizationId = /[:/](o-[a-z0-9]{10,32})(\/|$)/.exec(arn)?.[1];
    return organizationId === undefined ? undefined : this.documentOf(organizationId);
  }

  /** The organization's policy document; undefined when it has none. */
  async documentOf(organizationId: string): Promise<string | undefined> {
    const row = await this.core.db
      .selectFrom('org_resource_policies')
      .select('content')
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    return row?.content;
  }
}

function shape(row: { policy_id: string; arn: string; content: string }) {
  return { ResourcePolicySummary: { Id: row.policy_id, Arn: row.arn }, Content: row.content };
}
