/**
 * Seeds the AWS managed policies (data in aws-managed-policies/policies.json) into the store. Idempotent:
 * a missing policy is inserted, one whose snapshot moved to a newer version gets that version as default.
 * Policy ids are derived from the ARN so every installation shows the same `ANPA…` id.
 */
import { createHash } from 'node:crypto';
import type { Db } from './context.js';
import { AWS_MANAGED } from './records.js';
import policies from './aws-managed-policies/policies.json' with { type: 'json' };
import { AWS_MANAGED_POLICY_DESCRIPTIONS } from '../contracts/aws-managed-policies.js';
import { uniqueViolation } from '../store/dialect.js';

export interface AwsManagedPolicy {
  PolicyName: string;
  Path: string;
  Arn: string;
  DefaultVersionId: string;
  CreateDate: string;
  /** AWS's own, from src/contracts/aws-managed-policies.ts (the console shows them too). */
  Description: string;
  /** True when the document is a subset of AWS's (see the data folder's README). */
  Subset: boolean;
  Document: unknown;
}

export const awsManagedPolicies: readonly AwsManagedPolicy[] = (
  policies as Omit<AwsManagedPolicy, 'Description'>[]
).map((policy) => ({ ...policy, Description: AWS_MANAGED_POLICY_DESCRIPTIONS[policy.Arn] ?? '' }));

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function stablePolicyId(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let id = 'ANPA';
  for (let i = 0; id.length < 21; i++) id += BASE32[digest[i]! % 32];
  return id;
}

export async function seedAwsManagedPolicies(db: Db): Promise<number> {
  const existing = await db
    .selectFrom('iam_policies')
    .select(['arn', 'default_version_id', 'description'])
    .where('account_id', '=', AWS_MANAGED)
    .execute();
  const versions = new Map(existing.map((p) => [p.arn, p.default_version_id]));
  const descriptions = new Map(existing.map((p) => [p.arn, p.description]));
  let changed = 0;
  for (const policy of awsManagedPolicies) {
    const current = versions.get(policy.Arn);
    const policyId = stablePolicyId(policy.Arn);
    if (current === policy.DefaultVersionId) {
      // Same document; a description corrected in the data since is brought up to date.
      if (descriptions.get(policy.Arn) !== policy.Description) {
        await db
          .updateTable('iam_policies')
          .set({ description: policy.Description })
          .where('policy_id', '=', policyId)
          .execute();
        changed++;
      }
      continue;
    }
    const document = JSON.stringify(policy.Document, null, 4);
    const createdAt = new Date(policy.CreateDate).toISOString();
    const seeded = db.transaction().execute(async (trx) => {
      if (current === undefined) {
        await trx
          .insertInto('iam_policies')
          .values({
            policy_id: policyId,
            account_id: AWS_MANAGED,
            name: policy.PolicyName,
            name_key: policy.PolicyName.toLowerCase(),
            path: policy.Path,
            arn: policy.Arn,
            description: policy.Description,
            default_version_id: policy.DefaultVersionId,
            next_version: Number(policy.DefaultVersionId.slice(1)) + 1,
            created_at: createdAt,
            updated_at: createdAt,
          })
          .execute();
      }
      await trx
        .insertInto('iam_policy_versions')
        .values({ policy_id: policyId, version_id: policy.DefaultVersionId, document, created_at: createdAt })
        .execute();
      // A policy's default version must exist when it becomes the default (migration 0014).
      if (current !== undefined) {
        await trx
          .updateTable('iam_policies')
          .set({ default_version_id: policy.DefaultVersionId, updated_at: createdAt, description: policy.Description })
          .where('policy_id', '=', policyId)
          .execute();
      }
    });
    // Another instance starting at the same time may have seeded it first; that is as good.
    const inserted = await seeded.then(
      () => true,
      (error: unknown) => {
        if (uniqueViolation(error)) return false;
        throw error;
      },
    );
    if (inserted) changed++;
  }
  return changed;
}
