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
import { formatMoney } from '../../components/format';
import { regionName } from '../../components/regions';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

/**
 * The bill as GetBillingData answers it: the client's Bill type omits the parts that, with the tax, make up
 * the total (the answer has them), so the summary can show how the total adds up.
 */
type BillWithTotals = Bill & { Charges: string; Credits: string; Refunds: string };

const STATUS: Record<string, string> = { ISSUED: 'Issued', PENDING: 'Pending' };

const monthName = (period: string) =>
  new Date(`${period}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

function BillDetail() {
  const { busy, submit } = useSubmit();
  const summaries = useAsync(billingApi.listInvoiceSummaries, []);
  const [period, setPeriod] = useState<SelectProps.Option | null>(null);
  const options = (summaries.data ?? [])
    .map((s) => `${s.BillingPeriod.Year}-${String(s.BillingPeriod.Month).padStart(2, '0')}`)
    .sort()
    .reverse()
    .map((p) => ({ value: p, label: monthName(p) }));
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
  const b = bill.data as BillWithTotals | undefined;
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
                Bill summary — {monthName(b.BillingPeriod)}
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
          <Table
            header={<Header variant="h2">Charges by service</Header>}
            items={b.ChargesByService}
            empty={<EmptyState title="No charges" subtitle="No charges for this billing period." />}
            columnDefinitions={[
              { id: 'service', header: 'Service', cell: (r) => r.Service },
              { id: 'amount', header: 'Amount', cell: (r) => formatMoney(r.Amount, b.CurrencyCode) },
            ]}
          />
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
