/**
 * AWS Budgets (JSON 1.1, `AWSBudgetServiceGateway`): cost and usage budgets with notifications and
 * subscribers, each evaluated against the cost data on read (CalculatedSpend, NotificationState).
 * Reads need `budgets:ViewBudget`, changes `budgets:ModifyBudget`, on `arn:aws:budgets::ACCOUNT:budget/NAME`.
 */
import type { BillingServices } from '../../billing/billing.js';
import {
  budgetWrite,
  checkResourceTags,
  checkNotifications,
  deleteBudget as deleteStoredBudget,
  insertBudget,
  listBudgets,
  load,
  normalizeBudget,
  ownAccount,
  present,
  requireBudget,
  saveBudget,
  spendOf,
  type StoredBudget,
} from '../../billing/budgets/budgets.js';
import type {
  CreateBudgetRequest,
  Notification,
  NotificationWithSubscribers,
  Subscriber,
  UpdateBudgetRequest,
  UpdateNotificationRequest,
} from '../../contracts/wire/budgets.js';
import { budgetPeriod, notificationState } from '../../billing/budgets/spend.js';
import { deleteBudgetActions } from '../../billing/budgets/actions.js';
import { duplicateRecord, invalidParameter, invalidNextToken, notFound } from '../../billing/budgets/errors.js';
import type { Operation, OperationContext } from '../../core/operation.js';
import { access } from './access.js';
import { budgetTagOperations } from './tags.js';
import { tagRequestContext } from '../tag-context.js';
import type { Database } from '../../store/schema.js';
import type { Kysely } from 'kysely';

export const createBudget: Operation<BillingServices, CreateBudgetRequest> = {
  service: 'budgets',
  name: 'CreateBudget',
  // Tags given at creation need budgets:TagResource too, with the tags as its request context.
  access: (input, ctx) => {
    const name = input.Budget?.BudgetName ?? '';
    const modify = access(ctx, 'budgets:ModifyBudget', input.AccountId, name);
    const context = tagRequestContext(input.ResourceTags);
    return context === undefined || input.ResourceTags?.length === 0
      ? modify
      : [...modify, ...access(ctx, 'budgets:TagResource', input.AccountId, name, context)];
  },
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const budget = normalizeBudget(input.Budget, ctx.facts.now);
    const tags = checkResourceTags(input.ResourceTags ?? []);
    const notifications = checkNotifications(input.NotificationsWithSubscribers ?? [], budget.TimeUnit);
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      if ((await load(db, accountId, budget.BudgetName)) !== undefined) {
        throw duplicateRecord(`Error creating budget: ${budget.BudgetName} - the budget already exists.`);
      }
      await insertBudget(db, accountId, budget, notifications, tags, ctx.facts.now);
      return {};
    });
  },
};

interface NamedBudgetInput {
  AccountId?: string;
  BudgetName?: string;
  ShowFilterExpression?: boolean;
  MaxResults?: number;
  NextToken?: string;
}

export const describeBudget: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeBudget',
  access: (input, ctx) => access(ctx, 'budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const stored = await requireBudget(
      ctx.services.billing.db,
      accountId,
      input.BudgetName ?? '',
      'Unable to get budget',
    );
    return {
      Budget: await present(ctx.services.billing, accountId, stored, ctx.facts.now, input.ShowFilterExpression),
    };
  },
};

/** One page of a list, by the opaque index token Budgets' list calls take and give. */
export function pageOf<T>(
  items: T[],
  maxResults: number | undefined,
  token: string | undefined,
  largest = 100,
): { page: T[]; next?: string } {
  const size = maxResults ?? 100;
  if (size < 1 || size > largest) throw invalidParameter(`MaxResults must be between 1 and ${largest}.`);
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw invalidNextToken();
  }
  const page = items.slice(start, start + size);
  return start + size < items.length
    ? { page, next: Buffer.from(String(start + size)).toString('base64url') }
    : { page };
}

export const describeBudgets: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeBudgets',
  access: (input, ctx) => access(ctx, 'budgets:ViewBudget', input.AccountId, '*'),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const stored = await listBudgets(ctx.services.billing.db, accountId);
    const { page, next } = pageOf(stored, input.MaxResults, input.NextToken);
    const budgets = [];
    for (const budget of page)
      budgets.push(await present(ctx.services.billing, accountId, budget, ctx.facts.now, input.ShowFilterExpression));
    return { Budgets: budgets, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

export const updateBudget: Operation<BillingServices, UpdateBudgetRequest> = {
  service: 'budgets',
  name: 'UpdateBudget',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.NewBudget?.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const budget = normalizeBudget(input.NewBudget, ctx.facts.now);
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      const stored = await requireBudget(db, accountId, budget.BudgetName, 'Unable to update budget');
      checkNotifications(stored.notifications, budget.TimeUnit);
      await saveBudget(db, accountId, budget.BudgetName, { budget: JSON.stringify(budget) }, ctx.facts.now);
      return {};
    });
  },
};

export const deleteBudget: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DeleteBudget',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    // A budget's actions go with it (an applied one stays applied, as when the action alone is deleted).
    const deleted = await budgetWrite(ctx.services.billing, accountId, async (db) => {
      const found = await deleteStoredBudget(db, accountId, input.BudgetName ?? '');
      if (found) await deleteBudgetActions(db, accountId, input.BudgetName ?? '');
      return found;
    });
    if (!deleted) throw notFound(`Unable to delete budget: ${input.BudgetName ?? ''} - the budget doesn't exist.`);
    return {};
  },
};

export const describeNotificationsForBudget: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeNotificationsForBudget',
  access: (input, ctx) => access(ctx, 'budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const stored = await requireBudget(
      ctx.services.billing.db,
      accountId,
      input.BudgetName ?? '',
      'Unable to get budget',
    );
    const notifications = await notificationsWithState(ctx, accountId, stored);
    const { page, next } = pageOf(notifications, input.MaxResults, input.NextToken);
    return { Notifications: page, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

/** A budget's notifications, each with its state against the budget's current spend. */
async function notificationsWithState(ctx: OperationContext<BillingServices>, accountId: string, stored: StoredBudget) {
  const spend = await spendOf(ctx.services.billing, accountId, stored.budget, ctx.facts.now);
  return stored.notifications.map(({ Notification: n }) => ({
    ...n,
    NotificationState: spend === undefined ? 'OK' : notificationState(n, spend, spend.limit),
  }));
}

/** The account's budgets that have notifications, each with them; pages of up to 1,000 budgets. */
export const describeBudgetNotificationsForAccount: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeBudgetNotificationsForAccount',
  access: (input, ctx) => access(ctx, 'budgets:ViewBudget', input.AccountId, '*'),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const stored = await listBudgets(ctx.services.billing.db, accountId);
    const withNotifications = stored.filter((stored) => stored.notifications.length > 0);
    const { page, next } = pageOf(withNotifications, input.MaxResults, input.NextToken, 1000);
    const entries = [];
    for (const stored of page) {
      entries.push({
        BudgetName: stored.budget.BudgetName,
        Notifications: await notificationsWithState(ctx, accountId, stored),
      });
    }
    return { BudgetNotificationsForAccount: entries, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

interface NotificationChangeInput {
  AccountId?: string;
  BudgetName?: string;
  Notification?: Notification;
  Subscribers?: Subscriber[];
}

const sameNotification = (a: Notification, b: Notification) =>
  a.NotificationType === b.NotificationType &&
  a.ComparisonOperator === b.ComparisonOperator &&
  a.Threshold === b.Threshold &&
  (a.ThresholdType ?? 'PERCENTAGE') === (b.ThresholdType ?? 'PERCENTAGE');

const saveNotifications = (
  ctx: OperationContext<BillingServices>,
  db: Kysely<Database>,
  accountId: string,
  name: string,
  list: NotificationWithSubscribers[],
) => saveBudget(db, accountId, name, { notifications: JSON.stringify(list) }, ctx.facts.now);

export const createNotification: Operation<BillingServices, NotificationChangeInput> = {
  service: 'budgets',
  name: 'CreateNotification',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const notification = input.Notification;
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      const stored = await requireBudget(db, accountId, input.BudgetName ?? '', 'Unable to create notification');
      if (notification === undefined) throw invalidParameter('Notification is required.');
      const list = checkNotifications(
        [...stored.notifications, { Notification: notification, Subscribers: input.Subscribers ?? [] }],
        stored.budget.TimeUnit,
      );
      await saveNotifications(ctx, db, accountId, stored.budget.BudgetName, list);
      return {};
    });
  },
};

export const deleteNotification: Operation<BillingServices, NotificationChangeInput> = {
  service: 'budgets',
  name: 'DeleteNotification',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const notification = input.Notification;
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      const stored = await load(db, accountId, input.BudgetName ?? '');
      const kept = stored?.notifications.filter(
        (n) => notification === undefined || !sameNotification(n.Notification, notification),
      );
      if (stored === undefined || kept === undefined || kept.length === stored.notifications.length) {
        throw notFound(`Unable to delete notification: ${input.BudgetName ?? ''} - the notification doesn't exist.`);
      }
      await saveNotifications(ctx, db, accountId, stored.budget.BudgetName, kept);
      return {};
    });
  },
};

export const describeSubscribersForNotification: Operation<
  BillingServices,
  NotificationChangeInput & { MaxResults?: number; NextToken?: string }
> = {
  service: 'budgets',
  name: 'DescribeSubscribersForNotification',
  access: (input, ctx) => access(ctx, 'budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const stored = await load(ctx.services.billing.db, accountId, input.BudgetName ?? '');
    const match = stored?.notifications.find(
      (n) => input.Notification !== undefined && sameNotification(n.Notification, input.Notification),
    );
    if (match === undefined)
      throw notFound(`Unable to get subscribers: ${input.BudgetName ?? ''} - the notification doesn't exist.`);
    const { page, next } = pageOf(match.Subscribers, input.MaxResults, input.NextToken);
    return { Subscribers: page, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

/** The index of a budget's notification, or AWS's NotFoundException for it. */
function notificationIndex(stored: StoredBudget, notification: Notification | undefined, failedAction: string): number {
  const index = stored.notifications.findIndex(
    (n) => notification !== undefined && sameNotification(n.Notification, notification),
  );
  if (index < 0) throw notFound(`${failedAction}: ${stored.budget.BudgetName} - the notification doesn't exist.`);
  return index;
}

export const updateNotification: Operation<BillingServices, UpdateNotificationRequest> = {
  service: 'budgets',
  name: 'UpdateNotification',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const failed = 'Unable to update notification';
    return budgetWrite(ctx.services.billing, accountId, async (db) => {
      const stored = await requireBudget(db, accountId, input.BudgetName ?? '', failed);
      const index = notificationIndex(stored, input.OldNotification, failed);
      if (input.NewNotification === undefined) throw invalidParameter('NewNotification is required.');
      const list = stored.notifications.map((n, i) =>
        i === index ? { Notification: input.NewNotification!, Subscribers: n.Subscribers } : n,
      );
      const checked = checkNotifications(list, stored.budget.TimeUnit);
      await saveNotifications(ctx, db, accountId, stored.budget.BudgetName, checked);
      return {};
    });
  },
};

interface SubscriberChangeInput {
  AccountId?: string;
  BudgetName?: string;
  Notification?: Notification;
  Subscriber?: Subscriber;
  OldSubscriber?: Subscriber;
  NewSubscriber?: Subscriber;
}

const sameSubscriber = (a: Subscriber, b: Subscriber | undefined) =>
  b !== undefined && a.SubscriptionType === b.SubscriptionType && a.Address === b.Address;

/**
 * Applies a change to one notification's subscribers and saves the budget; `change` returns the new list, or
 * undefined when the subscriber it looked for is not there (AWS's NotFoundException).
 */
async function changeSubscribers(
  ctx: OperationContext<BillingServices>,
  input: SubscriberChangeInput,
  failedAction: string,
  change: (subscribers: Subscriber[]) => Subscriber[] | undefined,
): Promise<Record<string, never>> {
  const accountId = ownAccount(input.AccountId);
  return budgetWrite(ctx.services.billing, accountId, async (db) => {
    const stored = await requireBudget(db, accountId, input.BudgetName ?? '', failedAction);
    const index = notificationIndex(stored, input.Notification, failedAction);
    const subscribers = change(stored.notifications[index]!.Subscribers);
    if (subscribers === undefined)
      throw notFound(`${failedAction}: ${stored.budget.BudgetName} - the subscriber doesn't exist.`);
    // Deleting a notification's last subscriber deletes the notification, as in AWS.
    const list = stored.notifications.flatMap((n, i) =>
      i !== index ? [n] : subscribers.length === 0 ? [] : [{ ...n, Subscribers: subscribers }],
    );
    const checked = checkNotifications(list, stored.budget.TimeUnit);
    await saveNotifications(ctx, db, accountId, stored.budget.BudgetName, checked);
    return {};
  });
}

export const createSubscriber: Operation<BillingServices, SubscriberChangeInput> = {
  service: 'budgets',
  name: 'CreateSubscriber',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: (input, ctx) =>
    changeSubscribers(ctx, input, 'Unable to create subscriber', (subscribers) => {
      if (input.Subscriber === undefined) throw invalidParameter('Subscriber is required.');
      if (subscribers.some((s) => sameSubscriber(s, input.Subscriber))) {
        throw duplicateRecord(
          `Unable to create subscriber: ${input.BudgetName ?? ''} - the subscriber already exists.`,
        );
      }
      return [...subscribers, input.Subscriber];
    }),
};

export const updateSubscriber: Operation<BillingServices, SubscriberChangeInput> = {
  service: 'budgets',
  name: 'UpdateSubscriber',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: (input, ctx) =>
    changeSubscribers(ctx, input, 'Unable to update subscriber', (subscribers) => {
      if (!subscribers.some((s) => sameSubscriber(s, input.OldSubscriber))) return undefined;
      if (input.NewSubscriber === undefined) throw invalidParameter('NewSubscriber is required.');
      if (
        !sameSubscriber(input.NewSubscriber, input.OldSubscriber) &&
        subscribers.some((s) => sameSubscriber(s, input.NewSubscriber))
      ) {
        throw duplicateRecord(
          `Unable to update subscriber: ${input.BudgetName ?? ''} - the subscriber already exists.`,
        );
      }
      return subscribers.map((s) => (sameSubscriber(s, input.OldSubscriber) ? input.NewSubscriber! : s));
    }),
};

export const deleteSubscriber: Operation<BillingServices, SubscriberChangeInput> = {
  service: 'budgets',
  name: 'DeleteSubscriber',
  access: (input, ctx) => access(ctx, 'budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: (input, ctx) =>
    changeSubscribers(ctx, input, 'Unable to delete subscriber', (subscribers) => {
      const kept = subscribers.filter((s) => !sameSubscriber(s, input.Subscriber));
      return kept.length === subscribers.length ? undefined : kept;
    }),
};

interface PerformanceHistoryInput extends NamedBudgetInput {
  TimePeriod?: { Start?: Date; End?: Date };
}

/**
 * The budget's periods from its start (or the requested start) to the current one (or the requested end), in
 * order, each with the amount budgeted for it and the spend in it; a CUSTOM budget has one period, its own.
 */
export const describeBudgetPerformanceHistory: Operation<BillingServices, PerformanceHistoryInput> = {
  service: 'budgets',
  name: 'DescribeBudgetPerformanceHistory',
  access: (input, ctx) => access(ctx, 'budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(input.AccountId);
    const { budget } = await requireBudget(
      ctx.services.billing.db,
      accountId,
      input.BudgetName ?? '',
      'Unable to get budget',
    );
    const budgetStart = new Date(String(budget.TimePeriod?.Start)).getTime();
    const budgetEnd = new Date(String(budget.TimePeriod?.End)).getTime();
    const from = Math.max(budgetStart, input.TimePeriod?.Start?.getTime() ?? budgetStart);
    const until = Math.min(budgetEnd, input.TimePeriod?.End?.getTime() ?? Infinity, ctx.facts.now.getTime() + 1);
    const periods: { start: string; end: string }[] = [];
    if (budget.TimeUnit === 'CUSTOM') {
      if (from < until) periods.push(budgetPeriod('CUSTOM', ctx.facts.now, budget.TimePeriod));
    } else {
      for (let p = budgetPeriod(budget.TimeUnit, new Date(from)); Date.parse(p.start) < until;) {
        periods.push(p);
        p = budgetPeriod(budget.TimeUnit, new Date(p.end));
      }
    }
    const { page, next } = pageOf(periods, input.MaxResults, input.NextToken);
    const amounts = [];
    for (const period of page) {
      const start = new Date(`${period.start}T00:00:00Z`);
      const end = new Date(`${period.end}T00:00:00Z`);
      // Each period is measured as it stood at its close (or now, for the current one).
      const asOf = new Date(Math.min(ctx.facts.now.getTime(), end.getTime() - 1));
      const spend = await spendOf(ctx.services.billing, accountId, budget, asOf);
      // The period's own limit (planned or auto-adjusted) where spend is measured; else the budget's.
      const budgeted =
        spend === undefined
          ? budget.BudgetLimit
          : spend.limit === undefined
            ? undefined
            : { Amount: spend.limit, Unit: spend.unit };
      amounts.push({
        ...(budgeted !== undefined ? { BudgetedAmount: budgeted } : {}),
        ...(spend !== undefined ? { ActualAmount: { Amount: spend.actual, Unit: spend.unit } } : {}),
        TimePeriod: { Start: start, End: end },
      });
    }
    return {
      BudgetPerformanceHistory: {
        BudgetName: budget.BudgetName,
        BudgetType: budget.BudgetType,
        ...(budget.CostFilters !== undefined ? { CostFilters: budget.CostFilters } : {}),
        ...(budget.CostTypes !== undefined ? { CostTypes: budget.CostTypes } : {}),
        TimeUnit: budget.TimeUnit,
        BudgetedAndActualAmountsList: amounts,
      },
      ...(next !== undefined ? { NextToken: next } : {}),
    };
  },
};

export const budgetsOperations = [
  ...budgetTagOperations,
  createBudget,
  describeBudget,
  describeBudgets,
  updateBudget,
  deleteBudget,
  describeBudgetPerformanceHistory,
  describeNotificationsForBudget,
  describeBudgetNotificationsForAccount,
  createNotification,
  updateNotification,
  deleteNotification,
  describeSubscribersForNotification,
  createSubscriber,
  updateSubscriber,
  deleteSubscriber,
];
