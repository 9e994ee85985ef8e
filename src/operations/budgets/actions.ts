/**
 * AWS Budgets' budget actions (CreateBudgetAction, Describe…, UpdateBudgetAction, DeleteBudgetAction,
 * ExecuteBudgetAction): each asks for its own `budgets:` action on the action's ARN,
 * `arn:aws:budgets::ACCOUNT:budget/NAME/action/ID` (`…/action/*` to create one, the budget's ARN to list a
 * budget's, `*` to list the account's), as the service authorization reference lists them. Passing an
 * execution role (Create, and Update when it names one) also needs `iam:PassRole` on that role with
 * `iam:PassedToService` = `budgets.amazonaws.com`; tags given at creation need `budgets:TagResource`.
 * The status machine and storage are in src/billing/budgets/actions.ts; running an action in
 * action-runner.ts.
 */
import {
  actionHistories,
  checkActionBody,
  checkNotLocked,
  deleteAction,
  insertAction,
  listActions,
  requireAction,
  stepFor,
  updateAction,
  type ActionBody,
} from '../../billing/budgets/actions.js';
import { budgetWrite, checkResourceTags, ownAccount, requireBudget } from '../../billing/budgets/budgets.js';
import { resourceLocked } from '../../billing/budgets/errors.js';
import type {
  Action,
  CreateBudgetActionRequest,
  DeleteBudgetActionRequest,
  DescribeBudgetActionHistoriesRequest,
  DescribeBudgetActionRequest,
  DescribeBudgetActionsForAccountRequest,
  DescribeBudgetActionsForBudgetRequest,
  ExecuteBudgetActionRequest,
  UpdateBudgetActionRequest,
} from '../../contracts/wire/budgets.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';
import { uuid } from '../../platform/ids.js';
import { tagRequestContext } from '../tag-context.js';
import { access } from './access.js';
import { evaluateActions, runStep, type BudgetActionServices } from './action-runner.js';
import { pageOf } from './operations.js';

type Ctx = OperationContext<BudgetActionServices>;

/** `iam:PassRole` on the execution role, as Budgets' Create and Update ask it. */
const passRole = (roleArn: string): AccessRequest => ({
  action: 'iam:PassRole',
  resource: roleArn,
  resourceAccount: /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1],
  context: { 'iam:PassedToService': 'budgets.amazonaws.com' },
});

export const createBudgetAction: Operation<BudgetActionServices, CreateBudgetActionRequest> = {
  service: 'budgets',
  name: 'CreateBudgetAction',
  access: (input, ctx) => {
    const requests = [
      ...access(ctx, 'budgets:CreateBudgetAction', input.AccountId, input.BudgetName, undefined, '*'),
      passRole(input.ExecutionRoleArn),
    ];
    const context = tagRequestContext(input.ResourceTags);
    return context === undefined || input.ResourceTags?.length === 0
      ? requests
      : [...requests, ...access(ctx, 'budgets:TagResource', input.AccountId, input.BudgetName, context, '*')];
  },
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const body = checkActionBody(accountId, input);
    const tags = checkResourceTags(input.ResourceTags ?? []);
    const action: Action = {
      ActionId: uuid(ctx.services.billing.ids),
      BudgetName: input.BudgetName,
      ...body,
      Status: 'STANDBY',
    };
    await budgetWrite(ctx.services.billing, accountId, async (db) => {
      await requireBudget(db, accountId, input.BudgetName, 'Unable to create action');
      await insertAction(db, accountId, action, tags, ctx.facts.now);
    });
    return { AccountId: accountId, BudgetName: input.BudgetName, ActionId: action.ActionId };
  },
};

/** Fires what the budgets' spend calls for, then finds the action (reads see actions as the spend leaves them). */
async function currentAction(
  ctx: Ctx,
  input: { AccountId: string; BudgetName: string; ActionId: string },
  failedAction: string,
): Promise<Action> {
  const accountId = ownAccount(input.AccountId);
  await evaluateActions(ctx.services, accountId, ctx.facts.now);
  return requireAction(ctx.services.billing.db, accountId, input.BudgetName, input.ActionId, failedAction);
}

export const describeBudgetAction: Operation<BudgetActionServices, DescribeBudgetActionRequest> = {
  service: 'budgets',
  name: 'DescribeBudgetAction',
  access: (input, ctx) =>
    access(ctx, 'budgets:DescribeBudgetAction', input.AccountId, input.BudgetName, undefined, input.ActionId),
  mutates: false,
  handler: async (input, ctx) => ({
    AccountId: input.AccountId,
    BudgetName: input.BudgetName,
    Action: await currentAction(ctx, input, 'Unable to get action'),
  }),
};

export const describeBudgetActionsForBudget: Operation<BudgetActionServices, DescribeBudgetActionsForBudgetRequest> = {
  service: 'budgets',
  name: 'DescribeBudgetActionsForBudget',
  access: (input, ctx) => access(ctx, 'budgets:DescribeBudgetActionsForBudget', input.AccountId, input.BudgetName),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const db = ctx.services.billing.db;
    await requireBudget(db, accountId, input.BudgetName, 'Unable to get actions');
    await evaluateActions(ctx.services, accountId, ctx.facts.now);
    const actions = await listActions(db, accountId, { budgetName: input.BudgetName });
    const { page, next } = pageOf(actions, input.MaxResults, input.NextToken);
    return { Actions: page, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

export const describeBudgetActionsForAccount: Operation<BudgetActionServices, DescribeBudgetActionsForAccountRequest> =
  {
    service: 'budgets',
    name: 'DescribeBudgetActionsForAccount',
    // The service authorization reference lists no resource for it: `*`.
    access: (input, ctx) =>
      access(ctx, 'budgets:DescribeBudgetActionsForAccount', input.AccountId, '').map((request) => ({
        ...request,
        resource: '*',
      })),
    mutates: false,
    handler: async (input, ctx) => {
      const accountId = ownAccount(input.AccountId);
      await evaluateActions(ctx.services, accountId, ctx.facts.now);
      const actions = await listActions(ctx.services.billing.db, accountId);
      const { page, next } = pageOf(actions, input.MaxResults, input.NextToken);
      return { Actions: page, ...(next !== undefined ? { NextToken: next } : {}) };
    },
  };

export const describeBudgetActionHistories: Operation<BudgetActionServices, DescribeBudgetActionHistoriesRequest> = {
  service: 'budgets',
  name: 'DescribeBudgetActionHistories',
  access: (input, ctx) =>
    access(ctx, 'budgets:DescribeBudgetActionHistories', input.AccountId, input.BudgetName, undefined, input.ActionId),
  mutates: false,
  handler: async (input, ctx) => {
    const action = await currentAction(ctx, input, 'Unable to get action histories');
    const histories = await actionHistories(
      ctx.services.billing.db,
      input.AccountId,
      action.ActionId,
      input.TimePeriod ?? {},
    );
    const { page, next } = pageOf(histories, input.MaxResults, input.NextToken);
    return { ActionHistories: page, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

export const updateBudgetAction: Operation<BudgetActionServices, UpdateBudgetActionRequest> = {
  service: 'budgets',
  name: 'UpdateBudgetAction',
  access: (input, ctx) => [
    ...access(ctx, 'budgets:UpdateBudgetAction', input.AccountId, input.BudgetName, undefined, input.ActionId),
    ...(input.ExecutionRoleArn === undefined ? [] : [passRole(input.ExecutionRoleArn)]),
  ],
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const failed = 'Unable to update action';
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      const old = await requireAction(db, accountId, input.BudgetName, input.ActionId, failed);
      checkNotLocked(old, failed);
      const merged: ActionBody = {
        NotificationType: input.NotificationType ?? old.NotificationType,
        ActionType: old.ActionType,
        ActionThreshold: input.ActionThreshold ?? old.ActionThreshold,
        Definition: input.Definition ?? old.Definition,
        ExecutionRoleArn: input.ExecutionRoleArn ?? old.ExecutionRoleArn,
        ApprovalModel: input.ApprovalModel ?? old.ApprovalModel,
        Subscribers: input.Subscribers ?? old.Subscribers,
      };
      const updated: Action = { ...old, ...checkActionBody(accountId, merged) };
      // A step that started since the read holds the status: the conditional update says so.
      if (!(await updateAction(db, accountId, updated, ctx.facts.now))) {
        throw resourceLocked(`${failed}: the action's status changed while it was being updated; try again.`);
      }
      return { AccountId: accountId, BudgetName: input.BudgetName, OldAction: old, NewAction: updated };
    });
  },
};

export const deleteBudgetAction: Operation<BudgetActionServices, DeleteBudgetActionRequest> = {
  service: 'budgets',
  name: 'DeleteBudgetAction',
  access: (input, ctx) =>
    access(ctx, 'budgets:DeleteBudgetAction', input.AccountId, input.BudgetName, undefined, input.ActionId),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const failed = 'Unable to delete action';
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      const action = await requireAction(db, accountId, input.BudgetName, input.ActionId, failed);
      checkNotLocked(action, failed);
      if (!(await deleteAction(db, accountId, action))) {
        throw resourceLocked(`${failed}: the action's status changed while it was being deleted; try again.`);
      }
      return { AccountId: accountId, BudgetName: input.BudgetName, Action: action };
    });
  },
};

export const executeBudgetAction: Operation<BudgetActionServices, ExecuteBudgetActionRequest> = {
  service: 'budgets',
  name: 'ExecuteBudgetAction',
  access: (input, ctx) =>
    access(ctx, 'budgets:ExecuteBudgetAction', input.AccountId, input.BudgetName, undefined, input.ActionId),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const db = ctx.services.billing.db;
    const failed = 'Unable to execute action';
    const action = await requireAction(db, accountId, input.BudgetName, input.ActionId, failed);
    const step = stepFor(action, input.ExecutionType);
    const done = await runStep(ctx.services, accountId, action, step, 'EXECUTE_ACTION', ctx.facts.now);
    if (done === undefined) {
      // Another call moved the action first: refused as that call's outcome makes this one.
      stepFor(await requireAction(db, accountId, input.BudgetName, input.ActionId, failed), input.ExecutionType);
      throw resourceLocked(`${failed}: another execution of the action ran first; try again.`);
    }
    return {
      AccountId: accountId,
      BudgetName: input.BudgetName,
      ActionId: input.ActionId,
      ExecutionType: input.ExecutionType,
    };
  },
};

export const budgetActionOperations = [
  createBudgetAction,
  describeBudgetAction,
  describeBudgetActionsForBudget,
  describeBudgetActionsForAccount,
  describeBudgetActionHistories,
  updateBudgetAction,
  deleteBudgetAction,
  executeBudgetAction,
];
