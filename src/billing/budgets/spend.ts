/**
 * Evaluates an AWS Budgets budget against the cost data: the spend of the budget's current period (the
 * day, month, quarter or year containing now, or its CUSTOM time period) with its CostTypes and filters
 * applied, a linear run-rate forecast, and each notification's OK/ALARM state.
 */
import type * as budgets from '../../contracts/wire/budgets.js';
import type { Billing } from '../billing.js';
import type { Expression, Metric } from '../costs/cost-query.js';
import { formatMoney, moneyFromDecimal } from '../money.js';

export interface BudgetSpendInput {
  BudgetType: string;
  TimeUnit: string;
  BudgetLimit?: budgets.Spend;
  CostFilters?: Record<string, string[]>;
  /** AWS's current form of a budget's filter; normalizeBudget checked that its tag and category keys are given. */
  FilterExpression?: budgets.Expression;
  CostTypes?: budgets.CostTypes;
  TimePeriod?: { Start?: string | Date; End?: string | Date };
  /** Limits per period, by the period's start in epoch seconds. */
  PlannedBudgetLimits?: Record<string, budgets.Spend>;
  AutoAdjustData?: budgets.AutoAdjustData;
}

export interface Spend {
  actual: string;
  forecasted: string;
  unit: string;
  /**
   * The limit the period is judged against: its planned limit, the auto-adjusted one, else the budget's own;
   * undefined when there is none.
   */
  limit?: string;
  /** An auto-adjusted budget's: how many of the periods it looks back on had cost data, and since when it holds. */
  autoAdjusted?: { lookBackAvailablePeriods?: number; since: string };
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** [start, end) of the budget period containing `now`, as `YYYY-MM-DD`. */
export function budgetPeriod(
  timeUnit: string,
  now: Date,
  custom?: { Start?: string | Date; End?: string | Date },
): { start: string; end: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (timeUnit) {
    case 'DAILY':
      return { start: isoDate(Date.UTC(y, m, now.getUTCDate())), end: isoDate(Date.UTC(y, m, now.getUTCDate() + 1)) };
    case 'QUARTERLY': {
      const q = Math.floor(m / 3) * 3;
      return { start: isoDate(Date.UTC(y, q, 1)), end: isoDate(Date.UTC(y, q + 3, 1)) };
    }
    case 'ANNUALLY':
      return { start: isoDate(Date.UTC(y, 0, 1)), end: isoDate(Date.UTC(y + 1, 0, 1)) };
    case 'CUSTOM':
      return {
        start: custom?.Start === undefined ? isoDate(now.getTime()) : isoDate(new Date(custom.Start).getTime()),
        end: custom?.End === undefined ? isoDate(now.getTime() + DAY) : isoDate(new Date(custom.End).getTime()),
      };
    default:
      return { start: isoDate(Date.UTC(y, m, 1)), end: isoDate(Date.UTC(y, m + 1, 1)) };
  }
}

/** CostTypes flags that exclude record types when false (AWS's defaults are all true). */
const EXCLUDED_WHEN_FALSE: Partial<Record<keyof budgets.CostTypes, string[]>> = {
  IncludeTax: ['Tax'],
  IncludeCredit: ['Credit'],
  IncludeRefund: ['Refund', 'Adjustment'],
  IncludeUpfront: ['Fee', 'SavingsPlanUpfrontFee'],
  IncludeRecurring: ['RIFee', 'SavingsPlanRecurringFee'],
  IncludeDiscount: ['BundledDiscount', 'Discount', 'EdpDiscount', 'PrivateRateDiscount', 'DistributorDiscount'],
};

/** Budgets' legacy CostFilters keys → Cost Explorer dimensions. */
const COST_FILTER_DIMENSIONS: Record<string, string> = {
  Service: 'SERVICE',
  Region: 'REGION',
  LinkedAccount: 'LINKED_ACCOUNT',
  UsageType: 'USAGE_TYPE',
  Operation: 'OPERATION',
  RecordType: 'RECORD_TYPE',
};

export function budgetFilter(budget: BudgetSpendInput): Expression | undefined {
  const parts: Expression[] = [];
  if (budget.FilterExpression !== undefined) parts.push(budget.FilterExpression as Expression);
  for (const [key, values] of Object.entries(budget.CostFilters ?? {})) {
    if (key === 'TagKeyValue') {
      // Values are `user:Key$Value` (or `Key$Value`); one Tags expression per key.
      const byKey = new Map<string, string[]>();
      for (const value of values) {
        const [rawKey = '', tagValue = ''] = value.split('$');
        const tagKey = rawKey.replace(/^user:/, '');
        byKey.set(tagKey, [...(byKey.get(tagKey) ?? []), tagValue]);
      }
      for (const [tagKey, tagValues] of byKey) parts.push({ Tags: { Key: tagKey, Values: tagValues } });
      continue;
    }
    const dimension = COST_FILTER_DIMENSIONS[key];
    if (dimension !== undefined) parts.push({ Dimensions: { Key: dimension, Values: values } });
  }
  const excluded = Object.entries(EXCLUDED_WHEN_FALSE).flatMap(([flag, types]) =>
    budget.CostTypes?.[flag as keyof budgets.CostTypes] === false ? types : [],
  );
  if (excluded.length > 0) parts.push({ Not: { Dimensions: { Key: 'RECORD_TYPE', Values: excluded } } });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

function metricOf(budget: BudgetSpendInput): Metric {
  if (budget.BudgetType === 'USAGE') return 'UsageQuantity';
  if (budget.CostTypes?.UseAmortized === true) return 'AmortizedCost';
  if (budget.CostTypes?.UseBlended === true) return 'BlendedCost';
  return 'UnblendedCost';
}

/**
 * Actual spend of the current period (or the last one, once the budget has ended), and the forecast: actual ÷ elapsed days × the period's days (a
 * linear run rate; equal to actual once the period is over).
 */
export async function budgetSpend(
  billing: Billing,
  accountId: string,
  budget: BudgetSpendInput,
  clockNow: Date,
): Promise<Spend> {
  // A budget whose time period has ended is judged on its last period.
  const ended = budget.TimePeriod?.End === undefined ? undefined : new Date(budget.TimePeriod.End);
  const now = ended !== undefined && ended.getTime() <= clockNow.getTime() ? new Date(ended.getTime() - 1) : clockNow;
  const period = budgetPeriod(budget.TimeUnit, now, budget.TimePeriod);
  const metric = metricOf(budget);
  const rows = await billing.queries.costAndUsage({
    start: period.start,
    end: period.end,
    granularity: 'MONTHLY',
    metrics: [metric],
    groupBy: [],
    filter: budgetFilter(budget),
    scope: await billing.scopeOf(accountId),
  });
  const actual = rows.reduce((sum, row) => sum + moneyFromDecimal(row.amounts[metric] ?? '0'), 0n);
  const startMs = Date.parse(`${period.start}T00:00:00Z`);
  const endMs = Date.parse(`${period.end}T00:00:00Z`);
  const totalDays = BigInt(Math.max(1, Math.round((endMs - startMs) / DAY)));
  const elapsedDays = BigInt(Math.min(Number(totalDays), Math.max(1, Math.ceil((now.getTime() - startMs) / DAY))));
  const forecast = (actual * totalDays) / elapsedDays;
  const spend: Spend = {
    actual: formatMoney(actual),
    forecasted: formatMoney(forecast),
    unit: budget.BudgetLimit?.Unit ?? 'USD',
  };
  const adjust = budget.AutoAdjustData;
  if (adjust?.AutoAdjustType === 'FORECAST') {
    return { ...spend, limit: spend.forecasted, autoAdjusted: { since: period.start } };
  }
  if (adjust?.AutoAdjustType === 'HISTORICAL') {
    const history = await historicalAverage(billing, accountId, budget, period.start, metric, adjust);
    return {
      ...spend,
      limit: formatMoney(history.average),
      autoAdjusted: { ...history.lookBack, since: period.start },
    };
  }
  const planned = budget.PlannedBudgetLimits?.[String(Date.parse(`${period.start}T00:00:00Z`) / 1000)];
  const limit = planned?.Amount ?? budget.BudgetLimit?.Amount;
  return limit === undefined ? spend : { ...spend, limit };
}

/**
 * AWS's HISTORICAL auto-adjustment: the limit is the average actual spend of the BudgetAdjustmentPeriod periods
 * before this one, over those of them that have cost data (LookBackAvailablePeriods); 0 while none has.
 */
async function historicalAverage(
  billing: Billing,
  accountId: string,
  budget: BudgetSpendInput,
  currentStart: string,
  metric: Metric,
  adjust: budgets.AutoAdjustData,
): Promise<{ average: bigint; lookBack: { lookBackAvailablePeriods: number } }> {
  const count = adjust.HistoricalOptions?.BudgetAdjustmentPeriod ?? 1;
  const periods: Array<{ start: string; end: string }> = [];
  let before = Date.parse(`${currentStart}T00:00:00Z`) - 1;
  for (let i = 0; i < count; i += 1) {
    const period = budgetPeriod(budget.TimeUnit, new Date(before));
    periods.unshift(period);
    before = Date.parse(`${period.start}T00:00:00Z`) - 1;
  }
  const rows = await billing.queries.costAndUsage({
    start: periods[0]!.start,
    end: currentStart,
    granularity: 'MONTHLY',
    metrics: [metric],
    groupBy: [],
    filter: budgetFilter(budget),
    scope: await billing.scopeOf(accountId),
  });
  const totals = periods.map(({ start, end }) =>
    rows
      .filter((row) => row.bucket >= start && row.bucket < end)
      .reduce((sum, row) => sum + moneyFromDecimal(row.amounts[metric] ?? '0'), 0n),
  );
  const available = totals.filter((total) => total !== 0n);
  const sum = available.reduce((a, b) => a + b, 0n);
  return {
    average: available.length === 0 ? 0n : sum / BigInt(available.length),
    lookBack: { lookBackAvailablePeriods: available.length },
  };
}

/** Whether a notification is in ALARM for this spend and limit. */
export function notificationState(
  notification: budgets.Notification,
  spend: Spend,
  limit: string | undefined,
): 'OK' | 'ALARM' {
  const observed = moneyFromDecimal(notification.NotificationType === 'FORECASTED' ? spend.forecasted : spend.actual);
  // Threshold is a double on the wire; work in millionths of it so the comparison stays in integers.
  const thresholdMicros = BigInt(Math.round(notification.Threshold * 1_000_000));
  const threshold =
    notification.ThresholdType === 'ABSOLUTE_VALUE'
      ? (moneyFromDecimal('1') * thresholdMicros) / 1_000_000n
      : (moneyFromDecimal(limit ?? '0') * thresholdMicros) / 100_000_000n;
  const breached =
    notification.ComparisonOperator === 'LESS_THAN'
      ? observed < threshold
      : notification.ComparisonOperator === 'EQUAL_TO'
        ? observed === threshold
        : observed > threshold;
  return breached ? 'ALARM' : 'OK';
}
