import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { billingApi } from '../../client/operations';
import { CostChart, costBreakdown } from '../../components/cost-chart';
import { exclusiveEndOf, formatMoney, formatMonth, formatPeriod } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Six months of cost by service from Cost Explorer's GetCostAndUsage, the month to date first. */
function CostSummary() {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1));
  const costs = useAsync(
    () =>
      billingApi.getCostAndUsage({
        TimePeriod: { Start: isoDay(start), End: exclusiveEndOf(isoDay(now)) },
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
  const current = periods[periods.length - 1];
  const breakdown = costBreakdown(costs.data, 'SERVICE');
  const thisMonth = costBreakdown(current === undefined ? undefined : { ResultsByTime: [current] }, 'SERVICE');
  const top = thisMonth.rows.slice(0, 5);
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Cost summary</Header>}>
        <ColumnLayout columns={2} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Month-to-date cost</Box>
            <Box variant="awsui-value-large">{formatMoney(thisMonth.total, thisMonth.unit)}</Box>
          </div>
          <div>
            <Box variant="awsui-key-label">Period</Box>
            <div>{current ? formatPeriod(current.TimePeriod.Start, current.TimePeriod.End, ' – ') : '-'}</div>
          </div>
        </ColumnLayout>
      </Container>
      <Container header={<Header variant="h2">Cost by service (monthly)</Header>}>
        <CostChart
          breakdown={breakdown}
          periodLabel={formatMonth}
          height={260}
          xTitle="Month"
          ariaLabel="Cost by service"
          empty={<EmptyState title="No cost data" subtitle="There is no cost data for this period." />}
        />
      </Container>
      <Table
        header={<Header variant="h2">Top services this month</Header>}
        items={top}
        empty={<EmptyState title="No costs" subtitle="No costs this month." />}
        columnDefinitions={[
          { id: 'service', header: 'Service', cell: (r) => r.key },
          { id: 'amount', header: 'Cost', cell: (r) => formatMoney(r.total, thisMonth.unit) },
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
