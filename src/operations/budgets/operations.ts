/**
 * AWS Budgets (JSON 1.1, `AWSBudgetServiceGateway`): cost and usage budgets with notifications and
 * subscribers, each evaluated against the cost data on read (CalculatedSpend, NotificationState).
 * Reads need `budgets:ViewBudget`, changes `budgets:ModifyBudget`, on `arn:aws:budgets::ACCOUNT:budget/NAME`.
 */
import type { BillingServices } from '../../billing/billing.js';
import { budgetSpend, notificationState } from '../../billing/budget-spend.js';
import type { BudgetSpendInput, NotificationInput } from '../../billing/budget-spend.js';
import { parseMoney } from '../../billing/money.js';
import { ServiceError } from '../errors.js';
import type { AccessRequest, Operation, OperationContext } from '../types.js';

interface Subscriber {
  SubscriptionType: string;
  Address: string;
}
interface NotificationWithSubscribers {
  Notification: NotificationInput;
  Subscribers: Subscriber[];
}
interface BudgetInput extends BudgetSpendInput {
  BudgetName: string;
  PlannedBudgetLimits?: Record<string, { Amount: string; Unit: string }>;
  AutoAdjustData?: unknown;
}

const invalidParameter = (message: string) => new ServiceError('InvalidParameterException', message, 400);
const notFound = (message: string) => new ServiceError('NotFoundException', message, 400);

const budgetArn = (accountId: string, name: string) => `arn:aws:budgets::${accountId}:budget/${name}`;
const access = (action: string, accountId: string | undefined, name: string): AccessRequest[] => [
  { action, resource: budgetArn(accountId ?? '', name), resourceAccount: accountId },
];

const COST_TYPE_DEFAULTS = {
  IncludeTax: true,
  IncludeSubscription: true,
  UseBlended: false,
  IncludeRefund: true,
  IncludeCredit: true,
  IncludeUpfront: true,
  IncludeRecurring: true,
  IncludeOtherSubscription: true,
  IncludeSupport: true,
  IncludeDiscount: true,
  UseAmortized: false,
};
/** AWS's open end of a budget with no end date. */
const FOREVER = '2087-06-15T00:00:00.000Z';
const BUDGET_TYPES = new Set([
  'USAGE',
  'COST',
  'RI_UTILIZATION',
  'RI_COVERAGE',
  'SAVINGS_PLANS_UTILIZATION',
  'SAVINGS_PLANS_COVERAGE',
]);
const TIME_UNITS = new Set(['DAILY', 'MONTHLY', 'QUARTERLY', 'ANNUALLY', 'CUSTOM']);

function ownAccount(ctx: OperationContext<BillingServices>, accountId: string | undefined): string {
  if (accountId === undefined || !/^\d{12}$/.test(accountId))
    throw invalidParameter('Account ID must be a 12-digit number.');
  if (accountId !== ctx.caller.accountId) {
    throw new ServiceError(
      'AccessDeniedException',
      `You are not authorized to manage budgets of account ${accountId}.`,
      400,
    );
  }
  return accountId;
}

const iso = (value: string | Date | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

function periodStart(timeUnit: string, now: Date): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const startMonth = timeUnit === 'ANNUALLY' ? 0 : timeUnit === 'QUARTERLY' ? Math.floor(m / 3) * 3 : m;
  const day = timeUnit === 'DAILY' ? now.getUTCDate() : 1;
  return new Date(Date.UTC(y, startMonth, day)).toISOString();
}

/** Validates a budget and fills AWS's defaults; the stored form has ISO text timestamps. */
function normalizeBudget(budget: BudgetInput | undefined, now: Date): BudgetInput {
  if (budget === undefined) throw invalidParameter('Budget is required.');
  const name = budget.BudgetName ?? '';
  if (name.length < 1 || name.length > 100 || /[:\\]/.test(name)) {
    throw invalidParameter(
      `Invalid budget name: ${name}. The name must be 1-100 characters and may not contain ':' or '\\'.`,
    );
  }
  if (!BUDGET_TYPES.has(budget.BudgetType)) throw invalidParameter(`Invalid budget type: ${budget.BudgetType}`);
  if (!TIME_UNITS.has(budget.TimeUnit)) throw invalidParameter(`Invalid time unit: ${budget.TimeUnit}`);
  if (
    (budget.BudgetType === 'COST' || budget.BudgetType === 'USAGE') &&
    budget.BudgetLimit === undefined &&
    budget.PlannedBudgetLimits === undefined
  ) {
    throw invalidParameter('A budget limit is required for COST and USAGE budgets.');
  }
  if (budget.BudgetLimit !== undefined && parseMoney(budget.BudgetLimit.Amount ?? '') === undefined) {
    throw invalidParameter(`Invalid budget limit amount: ${budget.BudgetLimit.Amount}`);
  }
  if (
    budget.TimeUnit === 'CUSTOM' &&
    (budget.TimePeriod?.Start === undefined || budget.TimePeriod?.End === undefined)
  ) {
    throw invalidParameter('A CUSTOM budget needs a time period with a start and an end.');
  }
  const {
    CalculatedSpend: _spend,
    LastUpdatedTime: _updated,
    ...rest
  } = budget as BudgetInput & { CalculatedSpend?: unknown; LastUpdatedTime?: unknown };
  return {
    ...rest,
    CostTypes: budget.BudgetType === 'COST' ? { ...COST_TYPE_DEFAULTS, ...budget.CostTypes } : budget.CostTypes,
    TimePeriod: {
      Start: iso(budget.TimePeriod?.Start) ?? periodStart(budget.TimeUnit, now),
      End: iso(budget.TimePeriod?.End) ?? FOREVER,
    },
  };
}

function checkNotifications(list: NotificationWithSubscribers[]): NotificationWithSubscribers[] {
  if (list.length > 5) throw invalidParameter('A budget can have at most 5 notifications.');
  for (const { Notification: n, Subscribers: subscribers } of list) {
    if (!['ACTUAL', 'FORECASTED'].includes(n.NotificationType))
      throw invalidParameter(`Invalid notification type: ${n.NotificationType}`);
    if (!['GREATER_THAN', 'LESS_THAN', 'EQUAL_TO'].includes(n.ComparisonOperator))
      throw invalidParameter(`Invalid comparison operator: ${n.ComparisonOperator}`);
    if (n.ThresholdType !== undefined && !['PERCENTAGE', 'ABSOLUTE_VALUE'].includes(n.ThresholdType))
      throw invalidParameter(`Invalid threshold type: ${n.ThresholdType}`);
    if (!(n.Threshold >= 0)) throw invalidParameter('Threshold must be a non-negative number.');
    if ((subscribers ?? []).length < 1 || subscribers.length > 11)
      throw invalidParameter('A notification needs between 1 and 11 subscribers.');
    if (subscribers.filter((s) => s.SubscriptionType === 'SNS').length > 1)
      throw invalidParameter('A notification can have at most one SNS subscriber.');
    if (subscribers.some((s) => !['EMAIL', 'SNS'].includes(s.SubscriptionType)))
      throw invalidParameter('SubscriptionType must be EMAIL or SNS.');
  }
  const keys = list.map(
    ({ Notification: n }) =>
      `${n.NotificationType}|${n.ComparisonOperator}|${n.Threshold}|${n.ThresholdType ?? 'PERCENTAGE'}`,
  );
  if (new Set(keys).size !== keys.length)
    throw new ServiceError('DuplicateRecordException', 'Duplicate notifications are not allowed in a budget.', 400);
  return list.map(({ Notification: n, Subscribers: s }) => ({
    Notification: {
      NotificationType: n.NotificationType,
      ComparisonOperator: n.ComparisonOperator,
      Threshold: n.Threshold,
      ThresholdType: n.ThresholdType ?? 'PERCENTAGE',
    },
    Subscribers: s.map((x) => ({ SubscriptionType: x.SubscriptionType, Address: x.Address })),
  }));
}

interface StoredBudget {
  budget: BudgetInput;
  notifications: NotificationWithSubscribers[];
  updatedAt: string;
}

const fromRow = (row: { budget: string; notifications: string; updated_at: string }): StoredBudget => ({
  budget: JSON.parse(row.budget) as BudgetInput,
  notifications: JSON.parse(row.notifications) as NotificationWithSubscribers[],
  updatedAt: row.updated_at,
});

async function load(
  ctx: OperationContext<BillingServices>,
  accountId: string,
  name: string,
): Promise<StoredBudget | undefined> {
  const row = await ctx.services.billing.db
    .selectFrom('billing_budget')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The stored budget, or AWS's NotFoundException worded `<failed action>: <name> - the budget doesn't exist.` */
async function requireBudget(
  ctx: OperationContext<BillingServices>,
  accountId: string,
  name: string,
  failedAction: string,
): Promise<StoredBudget> {
  const stored = await load(ctx, accountId, name);
  if (stored === undefined) throw notFound(`${failedAction}: ${name} - the budget doesn't exist.`);
  return stored;
}

/** Writes columns of one stored budget, stamping its update time. */
async function saveBudget(
  ctx: OperationContext<BillingServices>,
  accountId: string,
  name: string,
  columns: { budget: string } | { notifications: string },
): Promise<void> {
  await ctx.services.billing.db
    .updateTable('billing_budget')
    .set({ ...columns, updated_at: ctx.facts.now.toISOString() })
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .execute();
}

/** Actual and forecasted spend, for the budget types measured against cost data. */
const spendOf = (ctx: OperationContext<BillingServices>, accountId: string, budget: BudgetInput) =>
  budget.BudgetType === 'COST' || budget.BudgetType === 'USAGE'
    ? budgetSpend(ctx.services.billing, accountId, budget, ctx.facts.now)
    : Promise.resolve(undefined);

/** The budget as AWS returns it: timestamps as Dates (the codec writes epoch seconds), CalculatedSpend live. */
async function present(
  ctx: OperationContext<BillingServices>,
  accountId: string,
  stored: StoredBudget,
): Promise<Record<string, unknown>> {
  const { budget } = stored;
  const out: Record<string, unknown> = {
    ...budget,
    TimePeriod: { Start: new Date(String(budget.TimePeriod?.Start)), End: new Date(String(budget.TimePeriod?.End)) },
    LastUpdatedTime: new Date(stored.updatedAt),
  };
  const spend = await spendOf(ctx, accountId, budget);
  if (spend !== undefined) {
    out.CalculatedSpend = {
      ActualSpend: { Amount: spend.actual, Unit: spend.unit },
      ForecastedSpend: { Amount: spend.forecasted, Unit: spend.unit },
    };
  }
  return out;
}

interface CreateBudgetInput {
  AccountId?: string;
  Budget?: BudgetInput;
  NotificationsWithSubscribers?: NotificationWithSubscribers[];
}

export const createBudget: Operation<BillingServices, CreateBudgetInput> = {
  service: 'budgets',
  name: 'CreateBudget',
  access: (input) => access('budgets:ModifyBudget', input.AccountId, input.Budget?.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const budget = normalizeBudget(input.Budget, ctx.facts.now);
    const notifications = checkNotifications(input.NotificationsWithSubscribers ?? []);
    if ((await load(ctx, accountId, budget.BudgetName)) !== undefined) {
      throw new ServiceError(
        'DuplicateRecordException',
        `Error creating budget: ${budget.BudgetName} - the budget already exists.`,
        400,
      );
    }
    const now = ctx.facts.now.toISOString();
    await ctx.services.billing.db
      .insertInto('billing_budget')
      .values({
        account_id: accountId,
        budget_name: budget.BudgetName,
        budget: JSON.stringify(budget),
        notifications: JSON.stringify(notifications),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return {};
  },
};

interface NamedBudgetInput {
  AccountId?: string;
  BudgetName?: string;
  MaxResults?: number;
  NextToken?: string;
}

export const describeBudget: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeBudget',
  access: (input) => access('budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const stored = await requireBudget(ctx, accountId, input.BudgetName ?? '', 'Unable to get budget');
    return { Budget: await present(ctx, accountId, stored) };
  },
};

function pageOf<T>(
  items: T[],
  maxResults: number | undefined,
  token: string | undefined,
): { page: T[]; next?: string } {
  const size = maxResults ?? 100;
  if (size < 1 || size > 100) throw invalidParameter('MaxResults must be between 1 and 100.');
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new ServiceError('InvalidNextTokenException', 'The pagination token is invalid.', 400);
  }
  const page = items.slice(start, start + size);
  return start + size < items.length
    ? { page, next: Buffer.from(String(start + size)).toString('base64url') }
    : { page };
}

export const describeBudgets: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeBudgets',
  access: (input) => access('budgets:ViewBudget', input.AccountId, '*'),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const rows = await ctx.services.billing.db
      .selectFrom('billing_budget')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('budget_name')
      .execute();
    const { page, next } = pageOf(rows, input.MaxResults, input.NextToken);
    const budgets = [];
    for (const row of page) budgets.push(await present(ctx, accountId, fromRow(row)));
    return { Budgets: budgets, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

interface UpdateBudgetInput {
  AccountId?: string;
  NewBudget?: BudgetInput;
}

export const updateBudget: Operation<BillingServices, UpdateBudgetInput> = {
  service: 'budgets',
  name: 'UpdateBudget',
  access: (input) => access('budgets:ModifyBudget', input.AccountId, input.NewBudget?.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const budget = normalizeBudget(input.NewBudget, ctx.facts.now);
    await requireBudget(ctx, accountId, budget.BudgetName, 'Unable to update budget');
    await saveBudget(ctx, accountId, budget.BudgetName, { budget: JSON.stringify(budget) });
    return {};
  },
};

export const deleteBudget: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DeleteBudget',
  access: (input) => access('budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const result = await ctx.services.billing.db
      .deleteFrom('billing_budget')
      .where('account_id', '=', accountId)
      .where('budget_name', '=', input.BudgetName ?? '')
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0)
      throw notFound(`Unable to delete budget: ${input.BudgetName ?? ''} - the budget doesn't exist.`);
    return {};
  },
};

export const describeNotificationsForBudget: Operation<BillingServices, NamedBudgetInput> = {
  service: 'budgets',
  name: 'DescribeNotificationsForBudget',
  access: (input) => access('budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const stored = await requireBudget(ctx, accountId, input.BudgetName ?? '', 'Unable to get budget');
    const spend = await spendOf(ctx, accountId, stored.budget);
    const notifications = stored.notifications.map(({ Notification: n }) => ({
      ...n,
      NotificationState: spend === undefined ? 'OK' : notificationState(n, spend, stored.budget.BudgetLimit?.Amount),
    }));
    const { page, next } = pageOf(notifications, input.MaxResults, input.NextToken);
    return { Notifications: page, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

interface NotificationChangeInput {
  AccountId?: string;
  BudgetName?: string;
  Notification?: NotificationInput;
  Subscribers?: Subscriber[];
}

const sameNotification = (a: NotificationInput, b: NotificationInput) =>
  a.NotificationType === b.NotificationType &&
  a.ComparisonOperator === b.ComparisonOperator &&
  a.Threshold === b.Threshold &&
  (a.ThresholdType ?? 'PERCENTAGE') === (b.ThresholdType ?? 'PERCENTAGE');

const saveNotifications = (
  ctx: OperationContext<BillingServices>,
  accountId: string,
  name: string,
  list: NotificationWithSubscribers[],
) => saveBudget(ctx, accountId, name, { notifications: JSON.stringify(list) });

export const createNotification: Operation<BillingServices, NotificationChangeInput> = {
  service: 'budgets',
  name: 'CreateNotification',
  access: (input) => access('budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const stored = await requireBudget(ctx, accountId, input.BudgetName ?? '', 'Unable to create notification');
    if (input.Notification === undefined) throw invalidParameter('Notification is required.');
    const list = checkNotifications([
      ...stored.notifications,
      { Notification: input.Notification, Subscribers: input.Subscribers ?? [] },
    ]);
    await saveNotifications(ctx, accountId, stored.budget.BudgetName, list);
    return {};
  },
};

export const deleteNotification: Operation<BillingServices, NotificationChangeInput> = {
  service: 'budgets',
  name: 'DeleteNotification',
  access: (input) => access('budgets:ModifyBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const stored = await load(ctx, accountId, input.BudgetName ?? '');
    const notification = input.Notification;
    const kept = stored?.notifications.filter(
      (n) => notification === undefined || !sameNotification(n.Notification, notification),
    );
    if (stored === undefined || kept === undefined || kept.length === stored.notifications.length) {
      throw notFound(`Unable to delete notification: ${input.BudgetName ?? ''} - the notification doesn't exist.`);
    }
    await saveNotifications(ctx, accountId, stored.budget.BudgetName, kept);
    return {};
  },
};

export const describeSubscribersForNotification: Operation<
  BillingServices,
  NotificationChangeInput & { MaxResults?: number; NextToken?: string }
> = {
  service: 'budgets',
  name: 'DescribeSubscribersForNotification',
  access: (input) => access('budgets:ViewBudget', input.AccountId, input.BudgetName ?? ''),
  mutates: false,
  handler: async (input, ctx) => {
    const accountId = ownAccount(ctx, input.AccountId);
    const stored = await load(ctx, accountId, input.BudgetName ?? '');
    const match = stored?.notifications.find(
      (n) => input.Notification !== undefined && sameNotification(n.Notification, input.Notification),
    );
    if (match === undefined)
      throw notFound(`Unable to get subscribers: ${input.BudgetName ?? ''} - the notification doesn't exist.`);
    const { page, next } = pageOf(match.Subscribers, input.MaxResults, input.NextToken);
    return { Subscribers: page, ...(next !== undefined ? { NextToken: next } : {}) };
  },
};

export const budgetsOperations = [
  createBudget,
  describeBudget,
  describeBudgets,
  updateBudget,
  deleteBudget,
  describeNotificationsForBudget,
  createNotification,
  deleteNotification,
  describeSubscribersForNotification,
];
