import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import { billingApi, type Bill } from '../../client/operations';
import { formatMoney, formatMonth } from '../../components/format';
import { regionName } from '../../components/regions';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

/**
 * A line of the charges by service: a service, one of its Regions, or a usage type in that Region. A service
 * expands into its Regions and a Region into its usage types, as AWS's Bills page does.
 */
interface ChargeLine {
  id: string;
  name: string;
  amount: string;
  children: ChargeLine[];
}

function chargeLines(bill: Bill): ChargeLine[] {
  return bill.ChargesByService.map((service) => ({
    id: service.Service,
    name: service.Service,
    amount: service.Amount,
    children: service.Regions.map((region) => ({
      id: `${service.Service}/${region.Region}`,
      name: regionName(region.Region),
      amount: region.Amount,
      children: region.UsageTypes.map((usage) => ({
        id: `${service.Service}/${region.Region}/${usage.UsageType}`,
        name: usage.UsageType === '' ? 'No usage type' : usage.UsageType,
        amount: usage.Amount,
        children: [],
      })),
    })),
  }));
}

function ChargesByService({ bill }: { bill: Bill }) {
  const [expanded, setExpanded] = useState<ChargeLine[]>([]);
  const items = chargeLines(bill);
  // Lines are rebuilt per render; expansion is kept by id.
  const expandedIds = new Set(expanded.map((line) => line.id));
  const flat = (lines: ChargeLine[]): ChargeLine[] => lines.flatMap((line) => [line, ...flat(line.children)]);
  return (
    <Table
      header={
        <Header variant="h2" description="Expand a service to see its charges by Region and usage type.">
          Charges by service
        </Header>
      }
      items={items}
      trackBy="id"
      ariaLabels={{
        expandButtonLabel: (line) => `Show ${line.name} in detail`,
        collapseButtonLabel: (line) => `Hide ${line.name} details`,
      }}
      expandableRows={{
        getItemChildren: (line) => line.children,
        isItemExpandable: (line) => line.children.length > 0,
        expandedItems: flat(items).filter((line) => expandedIds.has(line.id)),
        onExpandableItemToggle: ({ detail }) =>
          setExpanded((now) =>
            detail.expanded ? [...now, detail.item] : now.filter((line) => line.id !== detail.item.id),
          ),
      }}
      empty={<EmptyState title="No charges" subtitle="No charges for this billing period." />}
      columnDefinitions={[
        { id: 'service', header: 'Service', cell: (line) => line.name },
        { id: 'amount', header: 'Amount', cell: (line) => formatMoney(line.amount, bill.CurrencyCode) },
      ]}
    />
  );
}

const STATUS: Record<string, string> = { ISSUED: 'Issued', PENDING: 'Pending' };

function BillDetail() {
  const { busy, submit } = useSubmit();
  const summaries = useAsync(billingApi.listInvoiceSummaries, []);
  const [period, setPeriod] = useState<SelectProps.Option | null>(null);
  const options = (summaries.data ?? [])
    .map((s) => `${s.BillingPeriod.Year}-${String(s.BillingPeriod.Month).padStart(2, '0')}`)
    .sort()
    .reverse()
    .map((p) => ({ value: p, label: formatMonth(p) }));
  useEffect(() => {
    if (period === null && options[0] !== undefined) setPeriod(options[0]);
  }, [options, period]);
  const bill = useAsync(async () => (period?.value ? billingApi.getBill(period.value) : undefined), [period?.value]);

  const download = (invoiceId: string) =>
    submit(async () => {
      const url = await billingApi.getInvoicePdf(invoiceId);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${invoiceId}.pdf`;
      link.click();
    });

  if (summaries.loading) return <Loading />;
  if (summaries.error) return <ErrorAlert error={summaries.error} />;
  const b = bill.data;
  return (
    <SpaceBetween size="l">
      <FormField label="Billing period">
        <Select
          selectedOption={period}
          onChange={(e) => setPeriod(e.detail.selectedOption)}
          options={options}
          placeholder="Choose a billing period"
          empty="No bills yet"
          ariaLabel="Billing period"
        />
      </FormField>
      {bill.error && <ErrorAlert error={bill.error} />}
      {bill.loading && period !== null && <Loading label="Loading the bill" />}
      {b !== undefined && (
        <>
          <Container
            header={
              <Header
                variant="h2"
                actions={
                  b.InvoiceId !== undefined && (
                    <Button iconName="download" loading={busy} onClick={() => void download(b.InvoiceId!)}>
                      Download invoice
                    </Button>
                  )
                }
              >
                Bill summary — {formatMonth(b.BillingPeriod)}
              </Header>
            }
          >
            <ColumnLayout columns={4} variant="text-grid">
              <div>
                <Box variant="awsui-key-label">Total</Box>
                <Box variant="awsui-value-large">{formatMoney(b.Total, b.CurrencyCode)}</Box>
              </div>
              <SpaceBetween size="xxs">
                {(
                  [
                    ['Charges', b.Charges],
                    ['Credits', b.Credits],
                    ['Refunds', b.Refunds],
                    ['Tax', b.Tax],
                  ] as const
                ).map(([label, amount]) => (
                  <div key={label} data-testid={`bill-${label.toLowerCase()}`}>
                    <Box variant="awsui-key-label">{label}</Box>
                    <div>{formatMoney(amount, b.CurrencyCode)}</div>
                  </div>
                ))}
              </SpaceBetween>
              <div>
                <Box variant="awsui-key-label">Status</Box>
                <div>{STATUS[b.Status] ?? b.Status}</div>
              </div>
              <div>
                <Box variant="awsui-key-label">Invoice</Box>
                <div>{b.InvoiceId ?? 'Not issued yet'}</div>
              </div>
            </ColumnLayout>
          </Container>
          <ChargesByService bill={b} />
          <Table
            header={<Header variant="h2">Charges by Region</Header>}
            items={b.ChargesByRegion}
            empty={<EmptyState title="No charges" subtitle="No charges for this billing period." />}
            columnDefinitions={[
              { id: 'region', header: 'Region', cell: (r) => regionName(r.Region) },
              { id: 'amount', header: 'Amount', cell: (r) => formatMoney(r.Amount, b.CurrencyCode) },
            ]}
          />
        </>
      )}
    </SpaceBetween>
  );
}

export function BillsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Bills</Header>
      <PageGate page="bills">
        <BillDetail />
      </PageGate>
    </SpaceBetween>
  );
}
