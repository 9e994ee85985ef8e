/**
 * AWS Budgets' budgets: what a valid budget and its notifications are (AWS's defaults filled in), how they are
 * kept (`billing_budget`, one row per account and name) and how a budget reads back with its spend. The
 * operations over them are in src/operations/budgets.
 */
import type { Billing } from '../billing.js';
import { parseMoney } from '../money.js';
import { duplicateRecord, invalidParameter, notFound, overLimit, tagQuotaExceeded } from './errors.js';
import { budgetSpend, type BudgetSpendInput } from './spend.js';
import type { Expression, NotificationWithSubscribers } from '../../contracts/wire/budgets.js';
import type { Kysely } from 'kysely';
import { accountWrite } from '../../store/locks.js';
import { retagged, type ResourceTag } from '../resource-tags.js';
import type { Database } from '../../store/schema.js';

export interface BudgetInput extends BudgetSpendInput {
  BudgetName: string;
}

/** How many periods a HISTORICAL auto-adjusting budget may look back on, by time unit (AWS's ranges). */
const LOOK_BACK_LIMITS: Record<string, number> = { MONTHLY: 60, QUARTERLY: 20, ANNUALLY: 5 };

export const ACCOUNT_ID = /^\d{12}$/;

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

/** The account whose budgets a call manages: the caller's own (invoke() refused any other). */
export function ownAccount(accountId: string | undefined): string {
  if (accountId === undefined || !ACCOUNT_ID.test(accountId))
    throw invalidParameter('Account ID must be a 12-digit number.');
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

/**
 * Checks what Budgets' model cannot say about a budget and fills AWS's defaults; the stored form has ISO
 * text timestamps. The name (its length, and no ':', '\' or `/action/`, which would make the budget's ARN read
 * as one of its actions'), the type and time unit are the model's, checked by invoke() before a handler runs.
 */
export function normalizeBudget(budget: BudgetInput, now: Date): BudgetInput {
  const adjust = budget.AutoAdjustData;
  if (
    (budget.BudgetType === 'COST' || budget.BudgetType === 'USAGE') &&
    budget.BudgetLimit === undefined &&
    budget.PlannedBudgetLimits === undefined &&
    adjust === undefined
  ) {
    throw invalidParameter('A budget limit is required for COST and USAGE budgets.');
  }
  if (adjust !== undefined) {
    const most = LOOK_BACK_LIMITS[budget.TimeUnit];
    if (budget.BudgetType !== 'COST' || most === undefined) {
      throw invalidParameter('Only COST budgets with a MONTHLY, QUARTERLY or ANNUALLY time unit can auto-adjust.');
    }
    const periods = adjust.HistoricalOptions?.BudgetAdjustmentPeriod;
    if (adjust.AutoAdjustType === 'HISTORICAL' && (periods === undefined || periods < 1 || periods > most)) {
      throw invalidParameter(
        `A HISTORICAL auto-adjusting ${budget.TimeUnit} budget needs a BudgetAdjustmentPeriod from 1 to ${most}.`,
      );
    }
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
  if (
    budget.TimePeriod?.Start !== undefined &&
    budget.TimePeriod?.End !== undefined &&
    new Date(budget.TimePeriod.Start).getTime() >= new Date(budget.TimePeriod.End).getTime()
  ) {
    throw invalidParameter('The start date of the time period must be before its end date.');
  }
  if (budget.FilterExpression !== undefined) checkExpression(budget.FilterExpression);
  const {
    CalculatedSpend: _spend,
    LastUpdatedTime: _updated,
    ...rest
  } = budget as BudgetInput & { CalculatedSpend?: unknown; LastUpdatedTime?: unknown };
  // An auto-adjusting budget's limit, and its adjustment's time and look-back, are computed, never kept.
  const { BudgetLimit: _given, ...adjusting } = rest;
  return {
    ...(adjust === undefined
      ? rest
      : {
          ...adjusting,
          AutoAdjustData: {
            AutoAdjustType: adjust.AutoAdjustType,
            ...(adjust.HistoricalOptions === undefined
              ? {}
              : { HistoricalOptions: { BudgetAdjustmentPeriod: adjust.HistoricalOptions.BudgetAdjustmentPeriod } }),
          },
        }),
    CostTypes: budget.BudgetType === 'COST' ? { ...COST_TYPE_DEFAULTS, ...budget.CostTypes } : budget.CostTypes,
    TimePeriod: {
      Start: iso(budget.TimePeriod?.Start) ?? periodStart(budget.TimeUnit, now),
      End: iso(budget.TimePeriod?.End) ?? FOREVER,
    },
  };
}

/**
 * A FilterExpression as Cost Explorer's filters take it: one root per node, a key for every tag or category
 * match (the model leaves them optional), and no cost categories (Bursar keeps none to match).
 */
function checkExpression(expression: Expression): void {
  const roots = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter(
    (root) => expression[root] !== undefined,
  );
  if (roots.length !== 1) {
    throw invalidParameter(
      'Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories',
    );
  }
  if (expression.CostCategories !== undefined) throw invalidParameter('Cost categories are not supported.');
  if (expression.Tags !== undefined && (expression.Tags.Key ?? '') === '') {
    throw invalidParameter('A Tags expression needs a Key.');
  }
  for (const inner of [
    ...(expression.And ?? []),
    ...(expression.Or ?? []),
    ...(expression.Not ? [expression.Not] : []),
  ])
    checkExpression(inner);
}

export function checkNotifications(
  list: NotificationWithSubscribers[],
  timeUnit: string,
): NotificationWithSubscribers[] {
  // The model bounds each request's list; these counts also bound a stored list a call adds to.
  if (list.length > 5) throw overLimit('A budget can have at most 5 notifications.');
  for (const { Notification: n, Subscribers: subscribers } of list) {
    // As in AWS, a daily budget has no forecast to alert on.
    if (n.NotificationType === 'FORECASTED' && timeUnit === 'DAILY')
      throw invalidParameter('Forecasted notifications are not supported for DAILY budgets.');
    if (subscribers.length < 1) throw invalidParameter('A notification needs at least 1 subscriber.');
    if (subscribers.length > 11) throw overLimit('A notification can have at most 11 subscribers.');
    if (subscribers.filter((s) => s.SubscriptionType === 'SNS').length > 1)
      throw invalidParameter('A notification can have at most one SNS subscriber.');
    const addresses = subscribers.map((s) => `${s.SubscriptionType}|${s.Address}`);
    if (new Set(addresses).size !== addresses.length)
      throw duplicateRecord('Duplicate subscribers are not allowed in a notification.');
  }
  const keys = list.map(
    ({ Notification: n }) =>
      `${n.NotificationType}|${n.ComparisonOperator}|${n.Threshold}|${n.ThresholdType ?? 'PERCENTAGE'}`,
  );
  if (new Set(keys).size !== keys.length) throw duplicateRecord('Duplicate notifications are not allowed in a budget.');
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

export interface StoredBudget {
  budget: BudgetInput;
  notifications: NotificationWithSubscribers[];
  updatedAt: string;
}

export const fromRow = (row: { budget: string; notifications: string; updated_at: string }): StoredBudget => ({
  budget: JSON.parse(row.budget) as BudgetInput,
  notifications: JSON.parse(row.notifications) as NotificationWithSubscribers[],
  updatedAt: row.updated_at,
});

export async function load(db: Kysely<Database>, accountId: string, name: string): Promise<StoredBudget | undefined> {
  const row = await db
    .selectFrom('billing_budget')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The stored budget, or AWS's NotFoundException worded `<failed action>: <name> - the budget doesn't exist.` */
export async function requireBudget(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  failedAction: string,
): Promise<StoredBudget> {
  const stored = await load(db, accountId, name);
  if (stored === undefined) throw notFound(`${failedAction}: ${name} - the budget doesn't exist.`);
  return stored;
}

/**
 * Runs a change to the account's budgets in one transaction holding the account's row: every budget write
 * reads, checks (names, notification and subscriber limits) and writes without another one in between, and
 * its audit event is written in the same transaction.
 */
export const budgetWrite = <T>(
  billing: Billing,
  accountId: string,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> => accountWrite(billing.db, accountId, work);

/** Keeps a new budget (the caller checked that its name is free, in the same transaction). */
export async function insertBudget(
  db: Kysely<Database>,
  accountId: string,
  budget: BudgetInput,
  notifications: NotificationWithSubscribers[],
  tags: ResourceTag[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('billing_budget')
    .values({
      account_id: accountId,
      budget_name: budget.BudgetName,
      budget: JSON.stringify(budget),
      notifications: JSON.stringify(notifications),
      tags: JSON.stringify(tags),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}

/** The account's budgets in name order. */
export async function listBudgets(db: Kysely<Database>, accountId: string): Promise<StoredBudget[]> {
  const rows = await db
    .selectFrom('billing_budget')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('budget_name')
    .execute();
  return rows.map(fromRow);
}

/** Deletes a budget; false when there was none of that name. */
export async function deleteBudget(db: Kysely<Database>, accountId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('billing_budget')
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Writes columns of one stored budget, stamping its update time. */
export async function saveBudget(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  columns: { budget: string } | { notifications: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('billing_budget')
    .set({ ...columns, updated_at: now.toISOString() })
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .execute();
}

/** Actual and forecasted spend as of a moment, for the budget types measured against cost data. */
export const spendOf = (billing: Billing, accountId: string, budget: BudgetInput, asOf: Date) =>
  budget.BudgetType === 'COST' || budget.BudgetType === 'USAGE'
    ? budgetSpend(billing, accountId, budget, asOf)
    : Promise.resolve(undefined);

/**
 * The budget as AWS returns it: timestamps as Dates (the codec writes epoch seconds), CalculatedSpend live, the
 * FilterExpression only when the call asked for it (`ShowFilterExpression`).
 */
export async function present(
  billing: Billing,
  accountId: string,
  stored: StoredBudget,
  now: Date,
  showFilterExpression = false,
): Promise<Record<string, unknown>> {
  const { FilterExpression, ...budget } = stored.budget;
  const out: Record<string, unknown> = {
    ...budget,
    ...(showFilterExpression && FilterExpression !== undefined ? { FilterExpression } : {}),
    TimePeriod: { Start: new Date(String(budget.TimePeriod?.Start)), End: new Date(String(budget.TimePeriod?.End)) },
    LastUpdatedTime: new Date(stored.updatedAt),
  };
  const spend = await spendOf(billing, accountId, stored.budget, now);
  if (spend !== undefined) {
    out.CalculatedSpend = {
      ActualSpend: { Amount: spend.actual, Unit: spend.unit },
      ForecastedSpend: { Amount: spend.forecasted, Unit: spend.unit },
    };
  }
  const adjust = stored.budget.AutoAdjustData;
  if (adjust !== undefined && spend?.autoAdjusted !== undefined) {
    const { lookBackAvailablePeriods, since } = spend.autoAdjusted;
    out.BudgetLimit = { Amount: spend.limit ?? '0', Unit: spend.unit };
    out.AutoAdjustData = {
      ...adjust,
      ...(adjust.HistoricalOptions === undefined
        ? {}
        : { HistoricalOptions: { ...adjust.HistoricalOptions, LookBackAvailablePeriods: lookBackAvailablePeriods } }),
      LastAutoAdjustTime: new Date(`${since}T00:00:00Z`),
    };
  }
  return out;
}

/** AWS's limit of tags on one resource (ServiceQuotaExceededException past it). */
const MAX_TAGS = 50;

/** Tags a call gives: `aws:` keys are AWS's own, and one key appears once. */
export function checkResourceTags(tags: ResourceTag[]): ResourceTag[] {
  if (tags.some((tag) => tag.Key.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter('Tag keys may not begin with aws:, which AWS reserves.');
  }
  if (new Set(tags.map((tag) => tag.Key)).size !== tags.length) {
    throw invalidParameter('Tag keys must be unique in one request.');
  }
  if (tags.length > MAX_TAGS) throw tagQuotaExceeded(MAX_TAGS);
  return tags;
}

/** A budget's tags, or NotFoundException when there is no such budget. */
export async function budgetTags(db: Kysely<Database>, accountId: string, name: string): Promise<ResourceTag[]> {
  const row = await db
    .selectFrom('billing_budget')
    .select('tags')
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .executeTakeFirst();
  if (row === undefined) throw notFound(`Unable to get tags: ${name} - the budget doesn't exist.`);
  return JSON.parse(row.tags) as ResourceTag[];
}

/** A budget's or action's tags after a change (`add` set, `remove`'s keys gone) as stored, within the quota. */
export function changedTags(current: ResourceTag[], add: ResourceTag[], remove: string[] = []): string {
  const next = retagged(JSON.stringify(current), checkResourceTags(add), remove);
  if ((JSON.parse(next) as unknown[]).length > MAX_TAGS) throw tagQuotaExceeded(MAX_TAGS);
  return next;
}

/** Sets `add` and removes `remove`'s keys from a budget's tags (`db`: the budgetWrite transaction). */
export async function retagBudget(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  add: ResourceTag[],
  remove: string[] = [],
): Promise<void> {
  const next = changedTags(await budgetTags(db, accountId, name), add, remove);
  await db
    .updateTable('billing_budget')
    .set({ tags: next })
    .where('account_id', '=', accountId)
    .where('budget_name', '=', name)
    .execute();
}
