/**
 * Cost allocation tags: the tag keys an account's cost data carries (the GetTags question over all of it),
 * user-defined or AWS-generated (`aws:` keys), each Inactive until the account activates it; the status is
 * kept per account (`billing_cost_allocation_tag`). Only a management or standalone account manages them.
 * The Cost Explorer operations over them are in src/operations/ce/cost-allocation-tags.ts.
 */
import { ceRefusal } from '../errors.js';
import type { Billing } from '../billing.js';
import { accountWrite } from '../../store/locks.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

export type CostAllocationTagStatus = 'Active' | 'Inactive';
export type CostAllocationTagType = 'AWSGenerated' | 'UserDefined';

/** Cost data of every period: tag keys are discovered from all of it. */
const ALL_TIME_START = '1970-01-01';

export const tagTypeOf = (key: string): CostAllocationTagType =>
  key.startsWith('aws:') ? 'AWSGenerated' : 'UserDefined';

/** AWS refuses cost allocation tags to a linked (member) account; `doing` names the attempt, as AWS's message does. */
export async function refuseMemberAccount(billing: Billing, accountId: string, doing: string): Promise<void> {
  const scope = await billing.scopeOf(accountId);
  if (scope.slice !== undefined) {
    throw ceRefusal(`${doing}: Linked account doesn't have access to cost allocation tags.`);
  }
}

/** Every tag key the account knows, with its status: those in its cost data and those it set a status on. */
export async function costAllocationTags(
  billing: Billing,
  accountId: string,
  now: Date,
): Promise<Map<string, CostAllocationTagStatus>> {
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const [keys, rows] = await Promise.all([
    billing.queries.tags({
      scope: await billing.scopeOf(accountId),
      start: ALL_TIME_START,
      end: tomorrow,
      inactiveToo: true,
    }),
    billing.db
      .selectFrom('billing_cost_allocation_tag')
      .select(['tag_key', 'status'])
      .where('account_id', '=', accountId)
      .execute(),
  ]);
  const tags = new Map<string, CostAllocationTagStatus>(keys.map((key) => [key, 'Inactive']));
  for (const row of rows) tags.set(row.tag_key, row.status === 'Active' ? 'Active' : 'Inactive');
  return tags;
}

/**
 * The tag keys an account has activated: the only user-defined and AWS-generated keys Cost Explorer's
 * queries see (cost-query.ts). Activation applies to every period Bursar holds, as if AWS had backfilled it.
 */
export async function activeTagKeys(db: Kysely<Database>, accountId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('billing_cost_allocation_tag')
    .select('tag_key')
    .where('account_id', '=', accountId)
    .where('status', '=', 'Active')
    .execute();
  return new Set(rows.map((row) => row.tag_key));
}

/**
 * Sets the status of each changed key in one transaction that holds the account's row, so a batch's changes
 * and its audit event are written together and a concurrent batch comes before or after it, never between.
 */
export async function setCostAllocationTagStatuses(
  billing: Billing,
  accountId: string,
  changes: ReadonlyArray<{ TagKey: string; Status: CostAllocationTagStatus }>,
  now: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const updatedAt = now.toISOString();
  await accountWrite(billing.db, accountId, async (trx) => {
    for (const { TagKey: tagKey, Status: status } of changes) {
      await trx
        .insertInto('billing_cost_allocation_tag')
        .values({ account_id: accountId, tag_key: tagKey, status, updated_at: updatedAt })
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'tag_key']).doUpdateSet({ status, updated_at: updatedAt }),
        )
        .execute();
    }
  });
}
