import Alert from '@cloudscape-design/components/alert';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { billingApi } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const sumOf = (points: { y: number }[]) => points.reduce((sum, p) => sum + p.y, 0);

/** Six months of cost by service from Cost Explorer's GetCostAndUsage, the month to date first. */
function CostSummary() {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const costs = useAsync(
    () =>
      billingApi.getCostAndUsage({
        TimePeriod: { Start: isoDay(start), End: isoDay(end) },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      }),
    [],
  );
  if (costs.loading) return <Loading label="Loading costs" />;
  if (costs.error) {
    return (
      <Alert
        type={costs.error.status === 403 ? 'error' : 'info'}
        header={costs.error.status === 403 ? 'Access Denied' : 'Cost data is not available'}
      >
        {costs.error.message}
      </Alert>
    );
  }
  const periods = costs.data?.ResultsByTime ?? [];
  const services = new Map<string, { x: string; y: number }[]>();
  for (const period of periods) {
    for (const group of period.Groups ?? []) {
      const name = group.Keys[0] ?? 'Other';
      const series = services.get(name) ?? [];
      series.push({ x: period.TimePeriod.Start.slice(0, 7), y: Number(group.Metrics.UnblendedCost?.Amount ?? '0') });
      services.set(name, series);
    }
  }
  const current = periods[periods.length - 1];
  const top = (current?.Groups ?? [])
    .map((g) => ({
      service: g.Keys[0] ?? 'Other',
      amount: g.Metrics.UnblendedCost?.Amount ?? '0',
      unit: g.Metrics.UnblendedCost?.Unit ?? 'USD',
    }))
    .sort((a, b) => Number(b.amount) - Number(a.amount))
    .slice(0, 5);
  const total = (current?.Groups ?? []).reduce((sum, g) => sum + Number(g.Metrics.UnblendedCost?.Amount ?? '0'), 0);
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Cost summary</Header>}>
        <ColumnLayout columns={2} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Month-to-date cost</Box>
            <Box variant="awsui-value-large">{formatMoney(total.toFixed(2))}</Box>
          </div>
          <div>
            <Box variant="awsui-key-label">Period</Box>
            <div>{current ? `${current.TimePeriod.Start} – ${current.TimePeriod.End}` : '-'}</div>
          </div>
        </ColumnLayout>
      </Container>
      <Container header={<Header variant="h2">Cost by service (monthly)</Header>}>
        <BarChart
          series={[...services]
            .sort((a, b) => sumOf(b[1]) - sumOf(a[1]))
            .slice(0, 8)
            .map(([title, data]) => ({ title, type: 'bar' as const, data }))}
          stackedBars
          xScaleType="categorical"
          height={260}
          xTitle="Month"
          yTitle="Cost (USD)"
          ariaLabel="Cost by service"
          empty={<EmptyState title="No cost data" subtitle="There is no cost data for this period." />}
          hideFilter
        />
      </Container>
      <Table
        header={<Header variant="h2">Top services this month</Header>}
        items={top}
        empty={<EmptyState title="No costs" subtitle="No costs this month." />}
        columnDefinitions={[
          { id: 'service', header: 'Service', cell: (r) => r.service },
          { id: 'amount', header: 'Cost', cell: (r) => formatMoney(r.amount, r.unit) },
        ]}
      />
    </SpaceBetween>
  );
}

export function BillingHomePage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Billing and Cost Management home</Header>
      <PageGate page="billing-home">
        <CostSummary />
      </PageGate>
    </SpaceBetween>
  );
}
