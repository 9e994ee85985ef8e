import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Alert from '@cloudscape-design/components/alert';
import { billingApi } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState } from '../../components/states';
import { useAsync } from '../../components/use-async';

/** This month's charges by service, from Cost Explorer (the Bills page's "Charges by service"). */
function Charges() {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  const costs = useAsync(
    () =>
      billingApi.getCostAndUsage({
        TimePeriod: { Start: start, End: end },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      }),
    [],
  );
  if (costs.error) {
    return (
      <Alert type="info" header="Charges are not available">
        {costs.error.message}
      </Alert>
    );
  }
  const rows = (costs.data?.ResultsByTime[0]?.Groups ?? []).map((g) => ({
    service: g.Keys[0] ?? 'Other',
    amount: g.Metrics.UnblendedCost?.Amount ?? '0',
    unit: g.Metrics.UnblendedCost?.Unit ?? 'USD',
  }));
  return (
    <Table
      header={<Header variant="h2">Charges by service</Header>}
      items={rows}
      loading={costs.loading}
      loadingText="Loading charges"
      empty={<EmptyState title="No charges" subtitle="No charges for this billing period." />}
      columnDefinitions={[
        { id: 'service', header: 'Service', cell: (r) => r.service },
        { id: 'amount', header: 'Amount', cell: (r) => formatMoney(r.amount, r.unit) },
      ]}
    />
  );
}

export function BillsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Bills</Header>
      <PageGate page="bills">
        <Charges />
      </PageGate>
    </SpaceBetween>
  );
}
