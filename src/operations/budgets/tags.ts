/**
 * Budgets' resource tags (ListTagsForResource, TagResource, UntagResource) on a budget's ARN,
 * `arn:aws:budgets::ACCOUNT:budget/NAME`, or a budget action's, `…:budget/NAME/action/ID`: each asks for its
 * own `budgets:` action on that resource, Tag and Untag with `aws:TagKeys` and `aws:RequestTag/…`.
 */
import { actionTags, saveActionTags } from '../../billing/budgets/actions.js';
import { budgetTags, budgetWrite, changedTags, ownAccount, retagBudget } from '../../billing/budgets/budgets.js';
import { invalidParameter } from '../../billing/budgets/errors.js';
import type { BillingServices } from '../../billing/billing.js';
import type {
  ListTagsForResourceRequest,
  TagResourceRequest,
  UntagResourceRequest,
} from '../../contracts/wire/budgets.js';
import type { Operation, OperationContext } from '../../core/operation.js';
import type { ResourceTag } from '../../billing/resource-tags.js';
import { tagRequestContext } from '../tag-context.js';
import { access } from './access.js';

const BUDGET_ARN = /^arn:aws:budgets::(\d{12}):budget\/([^/]+?)(?:\/action\/([^/]+))?$/;

interface TaggedResource {
  accountId: string;
  name: string;
  /** Set when the ARN is a budget action's. */
  actionId?: string;
}

/** The account, budget and action an ARN names; anything else is not a Budgets ARN. */
function resourceOf(arn: string): TaggedResource | undefined {
  const match = BUDGET_ARN.exec(arn);
  if (match === null) return undefined;
  return { accountId: match[1]!, name: match[2]!, ...(match[3] === undefined ? {} : { actionId: match[3] }) };
}

function requireResourceArn(arn: string): TaggedResource {
  const resource = resourceOf(arn);
  if (resource === undefined) throw invalidParameter(`Invalid resource ARN: ${arn}`);
  return { ...resource, accountId: ownAccount(resource.accountId) };
}

/** Sets `add` and removes `remove`'s keys from a budget's or an action's tags, in the budget's write transaction. */
async function retag(ctx: OperationContext<BillingServices>, arn: string, add: ResourceTag[], remove: string[] = []) {
  const { accountId, name, actionId } = requireResourceArn(arn);
  await budgetWrite(ctx.services.billing, accountId, async (db) => {
    if (actionId === undefined) return retagBudget(db, accountId, name, add, remove);
    const next = changedTags(await actionTags(db, accountId, name, actionId), add, remove);
    await saveActionTags(db, accountId, actionId, next);
  });
}

const onBudget =
  (action: string) =>
  (
    input: { ResourceARN: string; ResourceTags?: TagResourceRequest['ResourceTags']; ResourceTagKeys?: string[] },
    ctx: OperationContext<BillingServices>,
  ) => {
    const resource = resourceOf(input.ResourceARN);
    const context = tagRequestContext(input.ResourceTags, input.ResourceTagKeys);
    return access(ctx, `budgets:${action}`, resource?.accountId, resource?.name ?? '', context, resource?.actionId);
  };

export const listTagsForResource: Operation<BillingServices, ListTagsForResourceRequest> = {
  service: 'budgets',
  name: 'ListTagsForResource',
  access: onBudget('ListTagsForResource'),
  mutates: false,
  handler: async (input, ctx) => {
    const { accountId, name, actionId } = requireResourceArn(input.ResourceARN);
    const db = ctx.services.billing.db;
    return {
      ResourceTags:
        actionId === undefined
          ? await budgetTags(db, accountId, name)
          : await actionTags(db, accountId, name, actionId),
    };
  },
};

export const tagResource: Operation<BillingServices, TagResourceRequest> = {
  service: 'budgets',
  name: 'TagResource',
  access: onBudget('TagResource'),
  mutates: true,
  handler: async (input, ctx) => {
    await retag(ctx, input.ResourceARN, input.ResourceTags);
    return {};
  },
};

export const untagResource: Operation<BillingServices, UntagResourceRequest> = {
  service: 'budgets',
  name: 'UntagResource',
  access: onBudget('UntagResource'),
  mutates: true,
  handler: async (input, ctx) => {
    await retag(ctx, input.ResourceARN, [], input.ResourceTagKeys);
    return {};
  },
};

export const budgetTagOperations = [listTagsForResource, tagResource, untagResource];
