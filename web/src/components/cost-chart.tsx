import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import type { ReactNode } from 'react';
import { formatMoney, sumAmounts } from './format';

/** The chart draws this many groups; the rest are stacked as one "Others" bar so each bar is the whole spend. */
export const CHART_GROUPS = 8;
export const OTHERS = 'Others';

/** The part of GetCostAndUsage's answer a cost chart reads. */
export interface CostResults {
  ResultsByTime: {
    TimePeriod: { Start: string; End: string };
    Groups?: { Keys: string[]; Metrics: Record<string, { Amount: string; Unit: string } | undefined> }[];
    Total?: Record<string, { Amount: string; Unit: string } | undefined>;
  }[];
}

export interface CostRow {
  key: string;
  /** Exact decimal amounts, by period start, and over the whole range. */
  byPeriod: Map<string, string>;
  total: string;
}

export interface CostBreakdown {
  unit: string;
  /** Period starts, in order. */
  periods: string[];
  /** Every group, largest total first. */
  rows: CostRow[];
  /** Every group's spend added up, by period start and over the whole range. */
  totalByPeriod: Map<string, string>;
  total: string;
}

/**
 * A group's name as AWS's console shows it: a tag group's value without its `key$` prefix, and a blank key
 * named ("No usage type", "No tag key").
 */
export function groupName(dimension: string, key: string | undefined): string {
  if (dimension === 'TAG') {
    const value = key?.slice(key.indexOf('$') + 1);
    return value !== undefined && value !== '' ? value : 'No tag key';
  }
  return key !== undefined && key !== '' ? key : `No ${dimension.toLowerCase().replace(/_/g, ' ')}`;
}

/** Every group's cost by period, summed exactly: the chart and the table both read this, so they agree. */
export function costBreakdown(
  results: CostResults | undefined,
  dimension: string,
  metric = 'UnblendedCost',
): CostBreakdown {
  const periods: string[] = [];
  const amounts = new Map<string, Map<string, string[]>>();
  const periodAmounts = new Map<string, string[]>();
  let unit = 'USD';
  for (const result of results?.ResultsByTime ?? []) {
    const period = result.TimePeriod.Start.slice(0, 10);
    periods.push(period);
    periodAmounts.set(period, []);
    for (const group of result.Groups ?? []) {
      const cost = group.Metrics[metric];
      if (cost === undefined) continue;
      unit = cost.Unit;
      const key = groupName(dimension, group.Keys[0]);
      const byPeriod = amounts.get(key) ?? new Map<string, string[]>();
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), cost.Amount]);
      amounts.set(key, byPeriod);
      periodAmounts.get(period)!.push(cost.Amount);
    }
  }
  const rows = [...amounts].map(([key, byPeriodAmounts]) => {
    const byPeriod = new Map([...byPeriodAmounts].map(([period, list]) => [period, sumAmounts(list)] as const));
    return { key, byPeriod, total: sumAmounts([...byPeriod.values()]) };
  });
  rows.sort((a, b) => Number(b.total) - Number(a.total) || a.key.localeCompare(b.key));
  const totalByPeriod = new Map([...periodAmounts].map(([period, list]) => [period, sumAmounts(list)] as const));
  return { unit, periods, rows, totalByPeriod, total: sumAmounts([...totalByPeriod.values()]) };
}

/** The largest groups, then the rest as one "Others" group: every period's groups add up to its total. */
export function chartGroups(breakdown: CostBreakdown): { title: string; byPeriod: Map<string, string> }[] {
  const shown = breakdown.rows.slice(0, CHART_GROUPS).map((row) => ({ title: row.key, byPeriod: row.byPeriod }));
  const rest = breakdown.rows.slice(CHART_GROUPS);
  if (rest.length === 0) return shown;
  const others = breakdown.periods.map(
    (period) => [period, sumAmounts(rest.map((row) => row.byPeriod.get(period) ?? '0'))] as const,
  );
  return [...shown, { title: OTHERS, byPeriod: new Map(others) }];
}

function chartSeries(breakdown: CostBreakdown, label: (period: string) => string) {
  return chartGroups(breakdown).map((group) => ({
    title: group.title,
    type: 'bar' as const,
    data: breakdown.periods.map((period) => ({ x: label(period), y: Number(group.byPeriod.get(period) ?? '0') })),
  }));
}

/** A stacked bar chart of a breakdown, its money formatted as the tables format it, with each period's total. */
export function CostChart(props: {
  breakdown: CostBreakdown;
  periodLabel: (period: string) => string;
  xTitle: string;
  ariaLabel: string;
  height: number;
  statusType?: 'loading' | 'error' | 'finished';
  loadingText?: string;
  empty: ReactNode;
}) {
  const { breakdown, periodLabel } = props;
  const money = (value: number) => formatMoney(String(value), breakdown.unit);
  const totalOf = new Map(
    breakdown.periods.map((period) => [periodLabel(period), breakdown.totalByPeriod.get(period)]),
  );
  return (
    <BarChart
      series={chartSeries(breakdown, periodLabel).map((s) => ({ ...s, valueFormatter: money }))}
      stackedBars
      xScaleType="categorical"
      height={props.height}
      xTitle={props.xTitle}
      yTitle={`Cost (${breakdown.unit})`}
      yTickFormatter={money}
      detailPopoverFooter={(x) => (
        <Box>
          <Box variant="awsui-key-label">Total</Box>
          {formatMoney(totalOf.get(String(x)), breakdown.unit)}
        </Box>
      )}
      ariaLabel={props.ariaLabel}
      i18nStrings={{
        legendAriaLabel: `${props.ariaLabel}: legend`,
        detailPopoverDismissAriaLabel: 'Dismiss',
        chartAriaRoleDescription: 'stacked bar chart',
        xAxisAriaRoleDescription: 'x axis',
        yAxisAriaRoleDescription: 'y axis',
      }}
      {...(props.statusType !== undefined ? { statusType: props.statusType } : {})}
      {...(props.loadingText !== undefined ? { loadingText: props.loadingText } : {})}
      hideFilter
      empty={props.empty}
    />
  );
}
