/**
 * Budgets' resource tags (ListTagsForResource, TagResource, UntagResource) on a budget's ARN,
 * `arn:aws:budgets::ACCOUNT:budget/NAME`: each asks for its own `budgets:` action on that budget, Tag and
 * Untag with `aws:TagKeys` and `aws:RequestTag/…`.
 */
import { budgetTags, budgetWrite, ownAccount, retagBudget } from '../../billing/budgets/budgets.js';
import { invalidParameter } from '../../billing/budgets/errors.js';
import type { BillingServices } from '../../billing/billing.js';
import type {
  ListTagsForResourceRequest,
  TagResourceRequest,
  UntagResourceRequest,
} from '../../contracts/wire/budgets.js';
import type { Operation, OperationContext } from '../../core/operation.js';
import { tagRequestContext } from '../tag-context.js';
import { access } from './access.js';

const BUDGET_ARN = /^arn:aws:budgets::(\d{12}):budget\/([^/]+)$/;

/** The account and budget an ARN names; anything else is not a budget ARN (budget actions have none yet). */
function budgetOf(arn: string): { accountId: string; name: string } | undefined {
  const match = BUDGET_ARN.exec(arn);
  return match === null ? undefined : { accountId: match[1]!, name: match[2]! };
}

function requireBudgetArn(arn: string): { accountId: string; name: string } {
  const budget = budgetOf(arn);
  if (budget === undefined) throw invalidParameter(`Invalid resource ARN: ${arn}`);
  return { accountId: ownAccount(budget.accountId), name: budget.name };
}

const onBudget =
  (action: string) =>
  (
    input: { ResourceARN: string; ResourceTags?: TagResourceRequest['ResourceTags']; ResourceTagKeys?: string[] },
    ctx: OperationContext<BillingServices>,
  ) => {
    const budget = budgetOf(input.ResourceARN);
    const context = tagRequestContext(input.ResourceTags, input.ResourceTagKeys);
    return access(ctx, `budgets:${action}`, budget?.accountId, budget?.name ?? '', context);
  };

export const listTagsForResource: Operation<BillingServices, ListTagsForResourceRequest> = {
  service: 'budgets',
  name: 'ListTagsForResource',
  access: onBudget('ListTagsForResource'),
  mutates: false,
  handler: async (input, ctx) => {
    const { accountId, name } = requireBudgetArn(input.ResourceARN);
    return { ResourceTags: await budgetTags(ctx.services.billing.db, accountId, name) };
  },
};

export const tagResource: Operation<BillingServices, TagResourceRequest> = {
  service: 'budgets',
  name: 'TagResource',
  access: onBudget('TagResource'),
  mutates: true,
  handler: async (input, ctx) => {
    const { accountId, name } = requireBudgetArn(input.ResourceARN);
    await budgetWrite(ctx.services.billing, accountId, (db) => retagBudget(db, accountId, name, input.ResourceTags));
    return {};
  },
};

export const untagResource: Operation<BillingServices, UntagResourceRequest> = {
  service: 'budgets',
  name: 'UntagResource',
  access: onBudget('UntagResource'),
  mutates: true,
  handler: async (input, ctx) => {
    const { accountId, name } = requireBudgetArn(input.ResourceARN);
    await budgetWrite(ctx.services.billing, accountId, (db) =>
      retagBudget(db, accountId, name, [], input.ResourceTagKeys),
    );
    return {};
  },
};

export const budgetTagOperations = [listTagsForResource, tagResource, untagResource];
