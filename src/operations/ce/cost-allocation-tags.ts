/**
 * Cost Explorer's cost allocation tags (JSON 1.1, `AWSInsightsIndexService`): ListCostAllocationTags and
 * UpdateCostAllocationTagsStatus, authorized by `ce:ListCostAllocationTags` and
 * `ce:UpdateCostAllocationTagsStatus` on `*`, over src/billing/costs/cost-allocation-tags.ts. As in AWS, only
 * a management account or a standalone account manages them; a member account is refused.
 * Cost Explorer's queries see only the active keys (src/billing/costs/cost-query.ts).
 */
import type { BillingServices } from '../../billing/billing.js';
import {
  costAllocationTags,
  refuseMemberAccount,
  setCostAllocationTagStatuses,
  tagTypeOf,
  type CostAllocationTagStatus as Status,
  type CostAllocationTagType as TagType,
} from '../../billing/costs/cost-allocation-tags.js';
import { invalidNextToken } from '../../billing/errors.js';
import type { Operation } from '../../core/operation.js';

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

/** AWS's page when MaxResults is not given. */
const DEFAULT_PAGE = 100;

const encodeToken = (lastKey: string) => Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // Not a token this server wrote: answered below as AWS does.
  }
  throw invalidNextToken();
}

export const listCostAllocationTags: Operation<BillingServices, ListInput> = {
  service: 'ce',
  name: 'ListCostAllocationTags',
  access: () => [{ action: 'ce:ListCostAllocationTags', resource: '*' }],
  mutates: false,
  async handler(input, ctx) {
    await refuseMemberAccount(ctx.services.billing, ctx.caller.accountId, 'Failed to list Cost Allocation Tags');
    const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
    const wanted = input.TagKeys === undefined ? undefined : new Set(input.TagKeys);
    const matching = [...(await costAllocationTags(ctx.services.billing, ctx.caller.accountId, ctx.facts.now))]
      .map(([key, status]) => ({ TagKey: key, Type: tagTypeOf(key), Status: status }))
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
    await refuseMemberAccount(ctx.services.billing, ctx.caller.accountId, 'Failed to update Cost Allocation Tag');
    const known = await costAllocationTags(ctx.services.billing, ctx.caller.accountId, ctx.facts.now);
    const errors: Array<{ TagKey: string; Code: string; Message: string }> = [];
    const changed: typeof input.CostAllocationTagsStatus = [];
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
      changed.push(entry);
      known.set(entry.TagKey, entry.Status);
    }
    // The batch's changes are one transaction, so its audit event is written with them.
    await setCostAllocationTagStatuses(ctx.services.billing, ctx.caller.accountId, changed, ctx.facts.now);
    return { Errors: errors };
  },
};

export const costAllocationTagOperations = [listCostAllocationTags, updateCostAllocationTagsStatus];
