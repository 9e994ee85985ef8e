/**
 * Cost Explorer's cost allocation tags (JSON 1.1, `AWSInsightsIndexService`): ListCostAllocationTags and
 * UpdateCostAllocationTagsStatus, authorized by `ce:ListCostAllocationTags` and
 * `ce:UpdateCostAllocationTagsStatus` on `*`. The tag keys are the ones the account's cost data carries (the
 * GetTags question over all of it), user-defined or AWS-generated (`aws:` keys); each is Inactive until the
 * account activates it, and the status is kept per account. As in AWS, only a management account or a
 * standalone account manages them; a member account is refused.
 * Activation is recorded and listed only: Cost Explorer's answers do not yet depend on it.
 */
import type { BillingServices } from '../../billing/billing.js';
import { ServiceError } from '../../core/errors.js';
import type { Operation, OperationContext } from '../../core/operation.js';

type Status = 'Active' | 'Inactive';
type TagType = 'AWSGenerated' | 'UserDefined';

interface ListInput {
  Status?: Status;
  TagKeys?: string[];
  Type?: TagType;
  NextToken?: string;
  MaxResults?: number;
}

interface UpdateInput {
  CostAllocationTagsStatus: Array<{ TagKey: string; Status: Status }>;
}

type Ctx = OperationContext<BillingServices>;

/** AWS's page when MaxResults is not given. */
const DEFAULT_PAGE = 100;
/** Cost data of every period: tag keys are discovered from all of it. */
const ALL_TIME_START = '1970-01-01';

const typeOf = (key: string): TagType => (key.startsWith('aws:') ? 'AWSGenerated' : 'UserDefined');

/** AWS refuses cost allocation tags to a linked (member) account; `doing` names the attempt, as AWS's message does. */
async function refuseMemberAccount(ctx: Ctx, doing: string): Promise<void> {
  const scope = await ctx.services.billing.scopeOf(ctx.caller.accountId);
  if (scope.slice !== undefined) {
    throw new ServiceError(
      'AccessDeniedException',
      `${doing}: Linked account doesn't have access to cost allocation tags.`,
      400,
    );
  }
}

/** Every tag key the account knows, with its status: those in its cost data and those it set a status on. */
async function tagsOf(ctx: Ctx): Promise<Map<string, Status>> {
  const { billing } = ctx.services;
  const accountId = ctx.caller.accountId;
  const tomorrow = new Date(ctx.facts.now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const [keys, rows] = await Promise.all([
    billing.queries.tags(await billing.scopeOf(accountId), ALL_TIME_START, tomorrow),
    billing.db
      .selectFrom('billing_cost_allocation_tag')
      .select(['tag_key', 'status'])
      .where('account_id', '=', accountId)
      .execute(),
  ]);
  const tags = new Map<string, Status>(keys.map((key) => [key, 'Inactive']));
  for (const row of rows) tags.set(row.tag_key, row.status === 'Active' ? 'Active' : 'Inactive');
  return tags;
}

const encodeToken = (lastKey: string) => Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // Not a token this server wrote: answered below as AWS does.
  }
  throw new ServiceError(
    'InvalidNextTokenException',
    'The pagination token is invalid. Try again without a pagination token.',
    400,
  );
}

export const listCostAllocationTags: Operation<BillingServices, ListInput> = {
  service: 'ce',
  name: 'ListCostAllocationTags',
  access: () => [{ action: 'ce:ListCostAllocationTags', resource: '*' }],
  mutates: false,
  async handler(input, ctx) {
    await refuseMemberAccount(ctx, 'Failed to list Cost Allocation Tags');
    const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
    const wanted = input.TagKeys === undefined ? undefined : new Set(input.TagKeys);
    const matching = [...(await tagsOf(ctx))]
      .map(([key, status]) => ({ TagKey: key, Type: typeOf(key), Status: status }))
      .filter(
        (tag) =>
          (input.Status === undefined || tag.Status === input.Status) &&
          (input.Type === undefined || tag.Type === input.Type) &&
          (wanted === undefined || wanted.has(tag.TagKey)) &&
          (after === undefined || tag.TagKey > after),
      )
      .sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
    const page = matching.slice(0, input.MaxResults ?? DEFAULT_PAGE);
    return {
      CostAllocationTags: page,
      ...(matching.length > page.length ? { NextToken: encodeToken(page.at(-1)!.TagKey) } : {}),
    };
  },
};

export const updateCostAllocationTagsStatus: Operation<BillingServices, UpdateInput> = {
  service: 'ce',
  name: 'UpdateCostAllocationTagsStatus',
  access: () => [{ action: 'ce:UpdateCostAllocationTagsStatus', resource: '*' }],
  mutates: true,
  async handler(input, ctx) {
    await refuseMemberAccount(ctx, 'Failed to update Cost Allocation Tag');
    const known = await tagsOf(ctx);
    const errors: Array<{ TagKey: string; Code: string; Message: string }> = [];
    const updatedAt = ctx.facts.now.toISOString();
    for (const entry of input.CostAllocationTagsStatus) {
      // A key the account's cost data never carried cannot be activated; the rest of the batch still applies.
      if (!known.has(entry.TagKey)) {
        errors.push({
          TagKey: entry.TagKey,
          Code: 'TagKeysNotFoundException',
          Message: 'Failed to update Cost Allocation Tag: The tag key was not found in the cost data.',
        });
        continue;
      }
      // Setting the status a key already has is no error and changes nothing, as AWS documents.
      if (known.get(entry.TagKey) === entry.Status) continue;
      await ctx.services.billing.db
        .insertInto('billing_cost_allocation_tag')
        .values({
          account_id: ctx.caller.accountId,
          tag_key: entry.TagKey,
          status: entry.Status,
          updated_at: updatedAt,
        })
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'tag_key']).doUpdateSet({ status: entry.Status, updated_at: updatedAt }),
        )
        .execute();
      known.set(entry.TagKey, entry.Status);
    }
    return { Errors: errors };
  },
};

export const costAllocationTagOperations = [listCostAllocationTags, updateCostAllocationTagsStatus];
