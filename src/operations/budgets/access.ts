/** Budgets' resources and the access request every budgets operation makes for one. */
import { ACCOUNT_ID } from '../../billing/budgets/budgets.js';
import { budgetsRefusal } from '../../billing/budgets/errors.js';
import type { BillingServices } from '../../billing/billing.js';
import type { AccessRequest, OperationContext } from '../../core/operation.js';
import type { ContextValue } from '../../policy/types.js';

export const budgetArn = (accountId: string, name: string) => `arn:aws:budgets::${accountId}:budget/${name}`;
/** A budget action's ARN (the service authorization reference's `budgetAction`). */
export const budgetActionArn = (accountId: string, name: string, actionId: string) =>
  `${budgetArn(accountId, name)}/action/${actionId}`;

/**
 * The budget's access request (a budget action's, with `actionId`; `*` for an action not created yet);
 * budgets are the caller's own account's (a malformed id is the handler's error).
 */
export const access = (
  ctx: OperationContext<BillingServices>,
  action: string,
  accountId: string | undefined,
  name: string,
  context?: Record<string, ContextValue>,
  actionId?: string,
): AccessRequest[] => [
  {
    action,
    resource:
      actionId === undefined ? budgetArn(accountId ?? '', name) : budgetActionArn(accountId ?? '', name, actionId),
    resourceAccount: accountId,
    ...(context === undefined ? {} : { context }),
    ...(accountId !== undefined && ACCOUNT_ID.test(accountId) && accountId !== ctx.caller.accountId
      ? {
          refusedAfterPolicies: budgetsRefusal(`You are not authorized to manage budgets of account ${accountId}.`),
        }
      : {}),
  },
];
