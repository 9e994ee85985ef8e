/** How the Budgets pages word a budget: its period, scope, alerts and amounts. */
import {
  NO_END,
  type Budget,
  type NotificationType,
  type Spend,
  type ThresholdType,
  type TimeUnit,
} from '../../client/budgets';
import { formatMoney, lastDayOf } from '../../components/format';

/** The budget's scope: Cost Explorer dimensions by their Budgets CostFilters keys. */
export type FilterKey = 'Service' | 'LinkedAccount' | 'Region' | 'UsageType';

export const PERIODS: Record<TimeUnit, string> = {
  DAILY: 'Daily',
  MONTHLY: 'Monthly',
  QUARTERLY: 'Quarterly',
  ANNUALLY: 'Annually',
  CUSTOM: 'Custom',
};
export const FILTERS: { key: FilterKey; dimension: string; label: string }[] = [
  { key: 'Service', dimension: 'SERVICE', label: 'Service' },
  { key: 'LinkedAccount', dimension: 'LINKED_ACCOUNT', label: 'Linked account' },
  { key: 'Region', dimension: 'REGION', label: 'Region' },
  { key: 'UsageType', dimension: 'USAGE_TYPE', label: 'Usage type' },
];

export const dateOf = (iso: string | undefined) => (iso === undefined ? '' : iso.slice(0, 10));

/** An amount in the budget's unit: dollars for cost budgets, the usage unit otherwise. */
export const amountOf = (spend: Spend | undefined) =>
  spend === undefined ? '-' : spend.Unit === 'USD' ? formatMoney(spend.Amount) : `${spend.Amount} ${spend.Unit}`;

/**
 * Actual spend against the budgeted amount, as AWS's console prints "Current vs. budgeted": the share in percent
 * and as text, a whole percentage with the locale's grouping however far over ($4,175.09 spent of a $0.01
 * budget reads "41,750,907%"). Undefined for a limit of 0 or less, of which no share can be taken.
 */
export function percentUsed(
  actual: Spend | undefined,
  limit: Spend | undefined,
): { share: number; text: string } | undefined {
  const budgeted = Number(limit?.Amount ?? '0');
  if (!(budgeted > 0)) return undefined;
  const share = (Number(actual?.Amount ?? '0') / budgeted) * 100;
  return { share, text: `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(share)}%` };
}

/** How an alert reads on the review step and the detail page: "Actual > 80% ($200.00)". */
export function describeAlert(
  trigger: NotificationType,
  threshold: number,
  thresholdType: ThresholdType | undefined,
  limit: { Amount: string; Unit: string } | undefined,
): string {
  const money = (amount: string) =>
    limit?.Unit === 'USD' || limit === undefined ? formatMoney(amount) : `${amount} ${limit.Unit}`;
  const label = trigger === 'ACTUAL' ? 'Actual' : 'Forecasted';
  if (thresholdType === 'ABSOLUTE_VALUE') return `${label} > ${money(String(threshold))}`;
  const of = limit === undefined ? '' : ` (${money(((Number(limit.Amount) * threshold) / 100).toFixed(2))})`;
  return `${label} > ${threshold}%${of}`;
}

/**
 * Renewal and dates, as the review step and the detail page show them: the budget's End is exclusive (its
 * spend counts days before it), the console shows the last day included, as it does everywhere.
 */
export function describePeriod(budget: Budget): string {
  const start = dateOf(budget.TimePeriod?.Start);
  const end = budget.TimePeriod?.End;
  const last = end === undefined || Number.isNaN(Date.parse(end)) ? dateOf(end) : lastDayOf(dateOf(end));
  if (budget.TimeUnit === 'CUSTOM') return `Custom: ${start} to ${last}`;
  const expiring = end !== undefined && new Date(end).getTime() < new Date(NO_END).getTime();
  return `${PERIODS[budget.TimeUnit]}, ${expiring ? `expiring (${start} to ${last})` : 'recurring'}`;
}

export function describeScope(budget: Budget): string {
  const filters = Object.entries(budget.CostFilters ?? {});
  if (filters.length === 0) return 'All AWS services';
  return filters
    .map(([key, values]) => {
      const label = FILTERS.find((f) => f.key === key)?.label ?? (key === 'TagKeyValue' ? 'Tag' : key);
      const shown = key === 'TagKeyValue' ? values.map((v) => v.replace(/^user:/, '').replace('$', ' = ')) : values;
      return `${label}: ${shown.join(', ')}`;
    })
    .join('; ');
}
