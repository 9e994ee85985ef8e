import BarChart from '@cloudscape-design/components/bar-chart';
import Container from '@cloudscape-design/components/container';
import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useMemo, useState } from 'react';
import { billingApi } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';

const GRANULARITIES: SelectProps.Option[] = [
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'DAILY', label: 'Daily' },
];
const GROUP_BY: SelectProps.Option[] = [
  { value: 'SERVICE', label: 'Service' },
  { value: 'LINKED_ACCOUNT', label: 'Linked account' },
  { value: 'REGION', label: 'Region' },
  { value: 'USAGE_TYPE', label: 'Usage type' },
];

const day = (d: Date) => d.toISOString().slice(0, 10);

function defaultRange(): { start: string; end: string } {
  const now = new Date();
  return {
    start: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1))),
    end: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))),
  };
}

function CostExplorer() {
  const [range, setRange] = useState<DateRangePickerProps.Value | null>(() => ({
    type: 'absolute',
    startDate: defaultRange().start,
    endDate: defaultRange().end,
  }));
  const [granularity, setGranularity] = useState<SelectProps.Option>(GRANULARITIES[0]!);
  const [groupBy, setGroupBy] = useState<SelectProps.Option>(GROUP_BY[0]!);
  const period =
    range?.type === 'absolute' ? { Start: range.startDate.slice(0, 10), End: range.endDate.slice(0, 10) } : null;
  const costs = useAsync(
    async () =>
      period === null
        ? undefined
        : billingApi.getCostAndUsage({
            TimePeriod: period,
            Granularity: granularity.value,
            Metrics: ['UnblendedCost'],
            GroupBy: [{ Type: 'DIMENSION', Key: groupBy.value }],
          }),
    [period?.Start, period?.End, granularity.value, groupBy.value],
  );

  const { series, rows } = useMemo(() => {
    const byKey = new Map<string, { x: string; y: number }[]>();
    const totals = new Map<string, number>();
    for (const result of costs.data?.ResultsByTime ?? []) {
      for (const group of result.Groups ?? []) {
        const key = group.Keys[0] ?? 'Other';
        const amount = Number(group.Metrics.UnblendedCost?.Amount ?? '0');
        byKey.set(key, [...(byKey.get(key) ?? []), { x: result.TimePeriod.Start, y: amount }]);
        totals.set(key, (totals.get(key) ?? 0) + amount);
      }
    }
    const ranked = [...totals].sort((a, b) => b[1] - a[1]);
    return {
      series: ranked.slice(0, 10).map(([title]) => ({ title, type: 'bar' as const, data: byKey.get(title)! })),
      rows: ranked.map(([key, total]) => ({ key, total: total.toFixed(2) })),
    };
  }, [costs.data]);

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Report parameters</Header>}>
        <SpaceBetween direction="horizontal" size="l">
          <FormField label="Date range">
            <DateRangePicker
              value={range}
              onChange={(e) => setRange(e.detail.value)}
              relativeOptions={[]}
              rangeSelectorMode="absolute-only"
              dateOnly
              isValidRange={(r) =>
                r?.type === 'absolute' && r.startDate < r.endDate
                  ? { valid: true }
                  : { valid: false, errorMessage: 'Choose a start date before the end date.' }
              }
              placeholder="Choose a date range"
              ariaLabel="Date range"
            />
          </FormField>
          <FormField label="Granularity">
            <Select
              selectedOption={granularity}
              onChange={(e) => setGranularity(e.detail.selectedOption)}
              options={GRANULARITIES}
              ariaLabel="Granularity"
            />
          </FormField>
          <FormField label="Group by">
            <Select
              selectedOption={groupBy}
              onChange={(e) => setGroupBy(e.detail.selectedOption)}
              options={GROUP_BY}
              ariaLabel="Group by"
            />
          </FormField>
        </SpaceBetween>
      </Container>
      {costs.error && <ErrorAlert error={costs.error} />}
      <Container header={<Header variant="h2">Costs ($)</Header>}>
        <BarChart
          series={series}
          stackedBars
          xScaleType="categorical"
          height={300}
          xTitle={granularity.label}
          yTitle="Cost (USD)"
          statusType={costs.loading ? 'loading' : costs.error ? 'error' : 'finished'}
          loadingText="Loading costs"
          ariaLabel="Costs"
          hideFilter
          empty={<EmptyState title="No cost data" subtitle="There is no cost data for this period." />}
        />
      </Container>
      <Table
        header={<Header variant="h2">Cost and usage breakdown</Header>}
        items={rows}
        loading={costs.loading}
        loadingText="Loading costs"
        empty={<EmptyState title="No costs" subtitle="No costs in this period." />}
        columnDefinitions={[
          { id: 'key', header: groupBy.label, cell: (r) => r.key },
          { id: 'total', header: 'Total cost', cell: (r) => formatMoney(r.total) },
        ]}
      />
    </SpaceBetween>
  );
}

export function CostExplorerPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Visualize, understand, and manage your AWS costs and usage over time.">
        Cost Explorer
      </Header>
      <PageGate page="cost-explorer">
        <CostExplorer />
      </PageGate>
    </SpaceBetween>
  );
}
