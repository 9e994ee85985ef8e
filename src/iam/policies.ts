/**
 * Managed policies: customer managed ones (create, versions up to five, default version, delete) and the
 * AWS managed ones (seeded from data files; read-only because the engine's service rule, src/policy/service-rules.ts,
 * refuses every change to them in invoke(), whatever the policies say). Version documents never change once written.
 */
import { uniqueId } from '../platform/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import type { Db, IamContext, Trx } from './context.js';
import { checkPolicyDocument } from './policy-documents.js';
import type { PolicyRow } from './records.js';
import { AWS_MANAGED, findPolicyByArn, iamArn, policyShape, tagsOf } from './records.js';
import { replaceTags } from './tags.js';
import { checkTags } from './validation.js';
import type { CreatePolicyRequest, CreatePolicyVersionRequest } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const POLICY_VERSIONS_PER_POLICY = 5;
export const POLICIES_PER_ACCOUNT = 1500;

export interface PolicyFilter {
  Scope?: unknown;
  OnlyAttached?: unknown;
  PathPrefix?: string;
  PolicyUsageFilter?: unknown;
}

export class PolicyService {
  constructor(private readonly ctx: IamContext) {}

  async create(
    accountId: string,
    input: Pick<CreatePolicyRequest, 'PolicyName' | 'Path' | 'PolicyDocument' | 'Description' | 'Tags'>,
  ) {
    const name = input.PolicyName;
    const path = input.Path ?? '/';
    const description = input.Description ?? null;
    const tags = checkTags(input.Tags, 'policy');
    const document = checkPolicyDocument(input.PolicyDocument, 'managed');
    const now = this.ctx.nowIso();
    const row: PolicyRow = {
      policy_id: uniqueId(this.ctx.ids, 'ANPA'),
      account_id: accountId,
      name,
      name_key: name.toLowerCase(),
      path,
      arn: iamArn(accountId, 'policy', path, name),
      description,
      default_version_id: 'v1',
      next_version: 2,
      created_at: now,
      updated_at: now,
    };
    const duplicate = () =>
      entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    await this.ctx.write(accountId, async (trx) => {
      const existing = await trx
        .selectFrom('iam_policies')
        .select('policy_id')
        .where('account_id', '=', accountId)
        .where('name_key', '=', row.name_key)
        .executeTakeFirst();
      if (existing) throw duplicate();
      const { count } = await trx
        .selectFrom('iam_policies')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= POLICIES_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${POLICIES_PER_ACCOUNT}`);
      await trx
        .insertInto('iam_policies')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicate() : error;
        });
      await trx
        .insertInto('iam_policy_versions')
        .values({ policy_id: row.policy_id, version_id: 'v1', document, created_at: now })
        .execute();
      await replaceTags(trx, 'policy', row.policy_id, tags);
    });
    // AWS's CreatePolicy answer leaves the description out (only GetPolicy returns it).
    const { Description: _description, ...created } = policyShape(row, 0, 0, tags);
    return created;
  }

  /** A policy the account can see (its own or AWS managed), or AWS's NoSuchEntity. */
  async require(db: Db | Trx, accountId: string, arnInput: string): Promise<PolicyRow> {
    const arn = arnInput;
    const row = await findPolicyByArn(db, accountId, arn);
    if (!row) throw noSuchEntity(`Policy ${arn} was not found.`);
    return row;
  }

  async get(accountId: string, arn: string) {
    const row = await this.require(this.ctx.db, accountId, arn);
    const [counts, tags] = await Promise.all([
      this.usage(this.ctx.db, accountId, [row.policy_id]),
      tagsOf(this.ctx.db, 'policy', row.policy_id),
    ]);
    const usage = counts.get(row.policy_id);
    return policyShape(row, usage?.attachments ?? 0, usage?.boundaries ?? 0, tags);
  }

  async list(accountId: string, filter: PolicyFilter = {}) {
    const scope = filter.Scope === 'AWS' || filter.Scope === 'Local' ? filter.Scope : 'All';
    const prefix = filter.PathPrefix ?? '/';
    const onlyAttached = filter.OnlyAttached === true || filter.OnlyAttached === 'true';
    let query = this.ctx.db.selectFrom('iam_policies').selectAll();
    if (scope === 'AWS') query = query.where('account_id', '=', AWS_MANAGED);
    else if (scope === 'Local') query = query.where('account_id', '=', accountId);
    else query = query.where('account_id', 'in', [accountId, AWS_MANAGED]);
    const rows = (await query.orderBy('name_key').execute()).filter((r) => r.path.startsWith(prefix));
    const counts = await this.usage(
      this.ctx.db,
      accountId,
      rows.map((r) => r.policy_id),
    );
    return rows
      .map((row) => {
        const usage = counts.get(row.policy_id);
        return policyShape(row, usage?.attachments ?? 0, usage?.boundaries ?? 0);
      })
      .filter((p) => !onlyAttached || p.AttachmentCount > 0)
      .filter((p) => filter.PolicyUsageFilter !== 'PermissionsBoundary' || p.PermissionsBoundaryUsageCount > 0)
      .filter((p) => filter.PolicyUsageFilter !== 'PermissionsPolicy' || p.AttachmentCount > 0);
  }

  /** Attachment and boundary counts within the account (AWS managed policies are shared, their counts are not). */
  async usage(db: Db | Trx, accountId: string, policyIds: string[]) {
    const counts = new Map<string, { attachments: number; boundaries: number }>();
    if (policyIds.length === 0) return counts;
    const entry = (id: string) => counts.get(id) ?? counts.set(id, { attachments: 0, boundaries: 0 }).get(id)!;
    const attachments = await db
      .selectFrom('iam_policy_attachments')
      .leftJoin('iam_users', (j) => j.onRef('iam_users.user_id', '=', 'iam_policy_attachments.entity_id'))
      .leftJoin('iam_groups', (j) => j.onRef('iam_groups.group_id', '=', 'iam_policy_attachments.entity_id'))
      .leftJoin('iam_roles', (j) => j.onRef('iam_roles.role_id', '=', 'iam_policy_attachments.entity_id'))
      .select(['policy_id', 'iam_users.account_id as ua', 'iam_groups.account_id as ga', 'iam_roles.account_id as ra'])
      .where('policy_id', 'in', policyIds)
      .execute();
    for (const a of attachments) if ((a.ua ?? a.ga ?? a.ra) === accountId) entry(a.policy_id).attachments++;
    const arns = await db
      .selectFrom('iam_policies')
      .select(['policy_id', 'arn'])
      .where('policy_id', 'in', policyIds)
      .execute();
    const byArn = new Map(arns.map((r) => [r.arn, r.policy_id]));
    const users = await db
      .selectFrom('iam_users')
      .select('permissions_boundary_arn as b')
      .where('account_id', '=', accountId)
      .where('permissions_boundary_arn', 'is not', null)
      .execute();
    const roles = await db
      .selectFrom('iam_roles')
      .select('permissions_boundary_arn as b')
      .where('account_id', '=', accountId)
      .where('permissions_boundary_arn', 'is not', null)
      .execute();
    for (const { b } of [...users, ...roles]) {
      const id = b ? byArn.get(b) : undefined;
      if (id) entry(id).boundaries++;
    }
    return counts;
  }

  async delete(accountId: string, arn: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await this.require(trx, accountId, arn);
      const attached = await trx
        .selectFrom('iam_policy_attachments')
        .select('entity_id')
        .where('policy_id', '=', row.policy_id)
        .executeTakeFirst();
      if (attached) throw deleteConflict('Cannot delete a policy attached to entities.');
      const versions = await trx
        .selectFrom('iam_policy_versions')
        .select('version_id')
        .where('policy_id', '=', row.policy_id)
        .execute();
      if (versions.length > 1) {
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      }
      const asBoundary = await Promise.all([
        trx
          .selectFrom('iam_users')
          .select('user_id')
          .where('permissions_boundary_arn', '=', row.arn)
          .executeTakeFirst(),
        trx
          .selectFrom('iam_roles')
          .select('role_id')
          .where('permissions_boundary_arn', '=', row.arn)
          .executeTakeFirst(),
      ]);
      if (asBoundary.some(Boolean))
        throw deleteConflict('Cannot delete a policy that is used as a permissions boundary.');
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'policy')
        .where('resource_id', '=', row.policy_id)
        .execute();
      // Its versions go with it (on delete cascade): the default version is never deleted while it is the default.
      await trx.deleteFrom('iam_policies').where('policy_id', '=', row.policy_id).execute();
    });
  }

  async createVersion(
    accountId: string,
    input: Pick<CreatePolicyVersionRequest, 'PolicyArn' | 'PolicyDocument' | 'SetAsDefault'>,
  ) {
    const document = checkPolicyDocument(input.PolicyDocument, 'managed');
    const setAsDefault = input.SetAsDefault === true;
    const now = this.ctx.nowIso();
    return this.ctx.write(accountId, async (trx) => {
      const row = await this.require(trx, accountId, input.PolicyArn);
      const { count } = await trx
        .selectFrom('iam_policy_versions')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('policy_id', '=', row.policy_id)
        .executeTakeFirstOrThrow();
      if (Number(count) >= POLICY_VERSIONS_PER_POLICY) {
        throw limitExceeded(
          `A managed policy can have up to ${POLICY_VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version.`,
        );
      }
      const versionId = `v${Number(row.next_version)}`;
      await trx
        .insertInto('iam_policy_versions')
        .values({ policy_id: row.policy_id, version_id: versionId, document, created_at: now })
        .execute();
      await trx
        .updateTable('iam_policies')
        .set({
          next_version: Number(row.next_version) + 1,
          updated_at: now,
          ...(setAsDefault ? { default_version_id: versionId } : {}),
        })
        .where('policy_id', '=', row.policy_id)
        .execute();
      return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: setAsDefault, CreateDate: new Date(now) } };
    });
  }

  async getVersion(accountId: string, arn: string, versionIdInput: string) {
    const row = await this.require(this.ctx.db, accountId, arn);
    const versionId = versionIdInput;
    const version = await this.ctx.db
      .selectFrom('iam_policy_versions')
      .selectAll()
      .where('policy_id', '=', row.policy_id)
      .where('version_id', '=', versionId)
      .executeTakeFirst();
    if (!version) throw noSuchEntity(`Policy ${row.arn} version ${versionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: {
        Document: version.document,
        VersionId: version.version_id,
        IsDefaultVersion: version.version_id === row.default_version_id,
        CreateDate: new Date(version.created_at),
      },
    };
  }

  async listVersions(accountId: string, arn: string) {
    const row = await this.require(this.ctx.db, accountId, arn);
    const versions = await this.ctx.db
      .selectFrom('iam_policy_versions')
      .selectAll()
      .where('policy_id', '=', row.policy_id)
      .execute();
    return versions
      .sort((a, b) => Number(b.version_id.slice(1)) - Number(a.version_id.slice(1)))
      .map((v) => ({
        VersionId: v.version_id,
        IsDefaultVersion: v.version_id === row.default_version_id,
        CreateDate: new Date(v.created_at),
      }));
  }

  async deleteVersion(accountId: string, arn: string, versionIdInput: string): Promise<void> {
    const versionId = versionIdInput;
    await this.ctx.write(accountId, async (trx) => {
      const row = await this.require(trx, accountId, arn);
      if (versionId === row.default_version_id) throw deleteConflict('Cannot delete the default version of a policy.');
      const result = await trx
        .deleteFrom('iam_policy_versions')
        .where('policy_id', '=', row.policy_id)
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw noSuchEntity(`Policy ${row.arn} version ${versionId} does not exist or is not attachable.`);
      }
    });
  }

  async setDefaultVersion(accountId: string, arn: string, versionIdInput: string): Promise<void> {
    const versionId = versionIdInput;
    await this.ctx.write(accountId, async (trx) => {
      const row = await this.require(trx, accountId, arn);
      const version = await trx
        .selectFrom('iam_policy_versions')
        .select('version_id')
        .where('policy_id', '=', row.policy_id)
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      if (!version) throw noSuchEntity(`Policy ${row.arn} version ${versionId} does not exist or is not attachable.`);
      await trx
        .updateTable('iam_policies')
        .set({ default_version_id: versionId, updated_at: this.ctx.nowIso() })
        .where('policy_id', '=', row.policy_id)
        .execute();
    });
  }

  /** The default version's document of a policy (plain JSON text). */
  async defaultDocument(db: Db | Trx, policy: PolicyRow): Promise<string> {
    const version = await db
      .selectFrom('iam_policy_versions')
      .select('document')
      .where('policy_id', '=', policy.policy_id)
      .where('version_id', '=', policy.default_version_id)
      .executeTakeFirstOrThrow();
    return version.document;
  }
}
