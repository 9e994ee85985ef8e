import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { billingApi } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';

/** Credits are the line items Cost Explorer calls RECORD_TYPE `Credit` (negative amounts). */
const CREDITS = { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } };
const METRIC = 'UnblendedCost';

const day = (d: Date) => d.toISOString().slice(0, 10);
const monthName = (start: string) =>
  new Date(`${start.slice(0, 7)}-01T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** The last twelve months, this one included, as Cost Explorer's TimePeriod (End exclusive). */
function lastTwelveMonths(): { Start: string; End: string } {
  const now = new Date();
  return {
    Start: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1))),
    End: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))),
  };
}

interface PeriodRow {
  start: string;
  end: string;
  amount: string;
  unit: string;
}
interface ServiceRow {
  service: string;
  amount: string;
  unit: string;
}

function CreditsByService({ period }: { period: PeriodRow }) {
  const services = useAsync(async () => {
    const result = await billingApi.getCostAndUsage({
      TimePeriod: { Start: period.start, End: period.end },
      Granularity: 'MONTHLY',
      Metrics: [METRIC],
      Filter: CREDITS,
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    return result.ResultsByTime.flatMap((r) => r.Groups ?? [])
      .map((g): ServiceRow => ({
        service: g.Keys[0] ?? '',
        amount: g.Metrics[METRIC]?.Amount ?? '0',
        unit: g.Metrics[METRIC]?.Unit ?? 'USD',
      }))
      .filter((r) => Number(r.amount) !== 0)
      .sort((a, b) => Number(a.amount) - Number(b.amount));
  }, [period.start]);
  if (services.error) return <ErrorAlert error={services.error} />;
  return (
    <Table<ServiceRow>
      variant="container"
      items={services.data ?? []}
      loading={services.loading}
      loadingText="Loading credits"
      trackBy="service"
      ariaLabels={{ tableLabel: 'Credits by service' }}
      header={
        <Header variant="h2" counter={`(${services.data?.length ?? 0})`}>
          Credits by service — {monthName(period.start)}
        </Header>
      }
      columnDefinitions={[
        { id: 'service', header: 'Service', cell: (r) => r.service },
        { id: 'amount', header: 'Credits applied', cell: (r) => formatMoney(r.amount, r.unit) },
      ]}
      empty={<EmptyState title="No credits" subtitle="No credits were applied in this billing period." />}
    />
  );
}

function Credits() {
  const range = lastTwelveMonths();
  const periods = useAsync(async () => {
    const result = await billingApi.getCostAndUsage({
      TimePeriod: range,
      Granularity: 'MONTHLY',
      Metrics: [METRIC],
      Filter: CREDITS,
    });
    return result.ResultsByTime.map((r): PeriodRow => ({
      start: r.TimePeriod.Start,
      end: r.TimePeriod.End,
      amount: r.Total?.[METRIC]?.Amount ?? '0',
      unit: r.Total?.[METRIC]?.Unit ?? 'USD',
    }))
      .filter((r) => Number(r.amount) !== 0)
      .reverse();
  }, [range.Start]);
  const [selectedStart, setSelectedStart] = useState<string | undefined>(undefined);
  const rows = periods.data ?? [];
  const selected = rows.find((r) => r.start === selectedStart) ?? rows[0];

  if (periods.error) return <ErrorAlert error={periods.error} />;
  return (
    <SpaceBetween size="l">
      <Table<PeriodRow>
        variant="container"
        items={rows}
        loading={periods.loading}
        loadingText="Loading credits"
        trackBy="start"
        selectionType="single"
        selectedItems={selected ? [selected] : []}
        onSelectionChange={(e) => setSelectedStart(e.detail.selectedItems[0]?.start)}
        ariaLabels={{
          tableLabel: 'Credits by billing period',
          selectionGroupLabel: 'Billing period selection',
          itemSelectionLabel: (_s, r) => monthName(r.start),
        }}
        header={
          <Header
            variant="h2"
            counter={`(${rows.length})`}
            description="Credits applied to this account's bills in the last twelve months. Select a period to see them by service."
          >
            Credits by billing period
          </Header>
        }
        columnDefinitions={[
          { id: 'period', header: 'Billing period', cell: (r) => monthName(r.start) },
          { id: 'amount', header: 'Credits applied', cell: (r) => formatMoney(r.amount, r.unit) },
        ]}
        empty={<EmptyState title="No credits" subtitle="No credits were applied in the last twelve months." />}
      />
      {selected !== undefined && <CreditsByService key={selected.start} period={selected} />}
    </SpaceBetween>
  );
}

export function CreditsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Credits</Header>
      <PageGate page="credits">
        <Credits />
      </PageGate>
    </SpaceBetween>
  );
}
