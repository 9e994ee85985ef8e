/**
 * Organizations policies: enabling and disabling a policy type in the root, creating, changing and deleting
 * policies (SCPs and RCPs checked by the policy engine, management policies as JSON within AWS's size quotas),
 * attaching and detaching them with AWS's minimum and maximum attachment rules.
 */
import type { Tag } from '../contracts/wire/organizations.js';
import { compilePolicy } from '../policy/index.js';
import { validatePolicy } from '../policy/validate.js';
import { countOf } from '../store/dialect.js';
import type { OrgPolicyType, OrgTargetType } from '../store/tables/organizations.js';
import { isAuthorizationType, onUnique, type OrgCore, type Target } from './core.js';
import * as errors from './errors.js';
import { newPolicyId, policyArn } from './ids.js';
import { DEFAULT_POLICY } from './managed-policies.js';
import { policyShape, type PolicyRow } from './shapes.js';

/** Organizations quotas: the maximum document size of each management policy type, in characters. */
const MANAGEMENT_POLICY_CHARACTERS: Partial<Record<OrgPolicyType, number>> = {
  TAG_POLICY: 10_000,
  BACKUP_POLICY: 10_000,
  AISERVICES_OPT_OUT_POLICY: 2_500,
};

export class OrgPolicies {
  constructor(private readonly core: OrgCore) {}

  async enableType(caller: string, rootId: string, type: OrgPolicyType) {
    return this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      await this.core.requireRoot(trx, org, rootId);
      if (org.feature_set !== 'ALL') throw errors.policyTypeNotAvailable();
      if (await this.core.typeEnabled(trx, rootId, type)) throw errors.policyTypeAlreadyEnabled();
      await trx
        .insertInto('org_root_policy_types')
        .values({ root_id: rootId, policy_type: type, status: 'ENABLED' })
        .execute();
      // Enabling resets every root, OU and account to exactly the type's AWS managed default policy, as AWS does.
      await this.core.detachAllOfType(trx, org, type);
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
      for (const [id, targetType] of targets) await this.core.attachDefault(trx, org, id, targetType, type);
      await this.core.chainsChanged(trx, effects, await this.core.accountIdsOf(trx, org));
      return { Root: await this.core.rootShape(trx, rootId) };
    });
  }

  async disableType(caller: string, rootId: string, type: OrgPolicyType) {
    return this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      await this.core.requireRoot(trx, org, rootId);
      if (!(await this.core.typeEnabled(trx, rootId, type))) throw errors.policyTypeNotEnabled();
      await trx
        .deleteFrom('org_root_policy_types')
        .where('root_id', '=', rootId)
        .where('policy_type', '=', type)
        .execute();
      await this.core.detachAllOfType(trx, org, type);
      await this.core.chainsChanged(trx, effects, await this.core.accountIdsOf(trx, org));
      return { Root: await this.core.rootShape(trx, rootId) };
    });
  }

  async create(
    caller: string,
    request: { content: string; description: string; name: string; type: OrgPolicyType; tags?: Tag[] },
  ) {
    return this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      if (org.feature_set !== 'ALL') throw errors.policyTypeNotAvailable();
      this.checkContent(request.content, request.type);
      const count = await countOf(
        trx
          .selectFrom('org_policies')
          .where('organization_id', '=', org.organization_id)
          .where('policy_type', '=', request.type),
      );
      if (count >= this.core.limits.policiesPerType) throw errors.constraintViolation('POLICY_NUMBER_LIMIT_EXCEEDED');
      await this.core.checkPolicyNameFree(trx, org, request.type, request.name);
      const policyId = newPolicyId(this.core.ids);
      const now = this.core.nowIso();
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
      await this.core.putTags(trx, org, policyId, request.tags ?? []);
      effects.after.push(() => this.core.directory.setPolicy(policyId, request.type));
      return { Policy: policyShape(row) };
    });
  }

  async describe(caller: string, policyId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    return { Policy: policyShape(await this.core.requirePolicy(this.core.db, org, policyId)) };
  }

  async update(caller: string, policyId: string, changes: { name?: string; description?: string; content?: string }) {
    return this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      const policy = await this.core.requirePolicy(trx, org, policyId);
      if (policy.aws_managed) throw errors.invalidInput('IMMUTABLE_POLICY');
      if (changes.content !== undefined) this.checkContent(changes.content, policy.policy_type);
      if (changes.name !== undefined && changes.name !== policy.name) {
        await this.core.checkPolicyNameFree(trx, org, policy.policy_type, changes.name);
      }
      const updated: PolicyRow = {
        ...policy,
        name: changes.name ?? policy.name,
        description: changes.description ?? policy.description,
        content: changes.content ?? policy.content,
        updated_at: this.core.nowIso(),
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
        await this.core.chainsChanged(trx, effects, await this.core.accountIdsOf(trx, org));
      }
      return { Policy: policyShape(updated) };
    });
  }

  async delete(caller: string, policyId: string): Promise<void> {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      const policy = await this.core.requirePolicy(trx, org, policyId);
      if (policy.aws_managed) throw errors.invalidInput('IMMUTABLE_POLICY');
      const attached = await countOf(trx.selectFrom('org_policy_attachments').where('policy_id', '=', policyId));
      if (attached > 0) throw errors.policyInUse();
      await trx.deleteFrom('org_tags').where('resource_id', '=', policyId).execute();
      await trx.deleteFrom('org_policies').where('policy_id', '=', policyId).execute();
      effects.after.push(() => this.core.directory.setPolicy(policyId, undefined));
    });
  }

  async list(caller: string, type: OrgPolicyType) {
    const org = await this.core.managedOrg(this.core.db, caller);
    const rows = await this.core.db
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

  async attach(caller: string, policyId: string, targetId: string): Promise<void> {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      const policy = await this.core.requirePolicy(trx, org, policyId);
      const target = await this.core.requireTarget(trx, org, targetId);
      if (!(await this.core.typeEnabled(trx, await this.core.rootIdOf(trx, org), policy.policy_type))) {
        throw errors.policyTypeNotEnabled();
      }
      const attached = await this.core.attachedTo(trx, org, targetId, policy.policy_type);
      if (attached.some((p) => p.policy_id === policyId)) throw errors.duplicateAttachment();
      if (attached.length >= this.core.limits.policiesPerTarget) {
        throw errors.constraintViolation('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      }
      await this.core.insertAttachment(trx, org, policyId, target.id, target.type);
      await this.core.chainsChanged(trx, effects, await this.core.accountsBelow(trx, org, target));
    });
  }

  async detach(caller: string, policyId: string, targetId: string): Promise<void> {
    await this.core.write(async (trx, effects) => {
      const org = await this.core.managedOrg(trx, caller);
      const policy = await this.core.requirePolicy(trx, org, policyId);
      const target = await this.core.requireTarget(trx, org, targetId);
      const attached = await this.core.attachedTo(trx, org, targetId, policy.policy_type);
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
      await this.core.chainsChanged(trx, effects, await this.core.accountsBelow(trx, org, target));
    });
  }

  async listForTarget(caller: string, targetId: string, type: OrgPolicyType) {
    const org = await this.core.managedOrg(this.core.db, caller);
    await this.core.requireTarget(this.core.db, org, targetId);
    return (await this.core.attachedTo(this.core.db, org, targetId, type)).map((p) => policyShape(p).PolicySummary);
  }

  async listTargets(caller: string, policyId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    await this.core.requirePolicy(this.core.db, org, policyId);
    const rows = await this.core.db
      .selectFrom('org_policy_attachments')
      .select('target_id')
      .where('organization_id', '=', org.organization_id)
      .where('policy_id', '=', policyId)
      .orderBy('attached_at')
      .orderBy('target_id')
      .execute();
    const targets: Target[] = [];
    for (const row of rows) targets.push(await this.core.requireTarget(this.core.db, org, row.target_id));
    return targets.map((t) => ({ TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.type }));
  }

  /**
   * AWS's checks on a policy document: size and JSON for every type; for SCPs and RCPs the policy language
   * rules too (a management policy's own syntax is its consuming service's to read).
   */
  private checkContent(content: string, type: OrgPolicyType): void {
    const limit = MANAGEMENT_POLICY_CHARACTERS[type] ?? this.core.limits.policyContentCharacters;
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
    const problem = validatePolicy(content, kind, this.core.catalog).find((f) => f.findingType === 'ERROR');
    if (problem) throw errors.malformedPolicyDocument(problem.findingDetails);
    // The chain compiles stored documents; one the engine cannot compile must never be stored.
    const compiled = compilePolicy(content, { policyType: kind, policyId: 'new' });
    if (!compiled.ok) throw errors.malformedPolicyDocument(compiled.errors[0]);
  }
}
