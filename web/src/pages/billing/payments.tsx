import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { billingLedgerApi, type PaymentDue, type PaymentTransaction } from '../../client/billing-ledger';
import { formatDate, formatMoney } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const monthName = (period: string) =>
  new Date(`${period}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

function Payments() {
  const notify = useNotify();
  const status = useAsync(billingLedgerApi.getPaymentStatus, []);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const { busy, submit } = useSubmit();
  const due = status.data?.PaymentsDue ?? [];
  const selected = due.find((d) => d.InvoiceId === selectedId);

  const pay = (bill: PaymentDue) =>
    submit(async () => {
      const { Payment } = await billingLedgerApi.makePayment(bill.InvoiceId);
      notify.success(
        `Payment of ${formatMoney(Payment.Amount, Payment.CurrencyCode)} for invoice ${Payment.InvoiceId} was recorded with ${Payment.PaymentMethod}.`,
      );
      setSelectedId(undefined);
      status.reload();
    });

  if (status.error) return <ErrorAlert error={status.error} />;
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Payments overview</Header>}>
        <Box variant="awsui-key-label">Total amount due</Box>
        <Box variant="awsui-value-large" data-testid="total-due">
          {status.data === undefined
            ? '-'
            : formatMoney(status.data.TotalDue.Amount, status.data.TotalDue.CurrencyCode)}
        </Box>
      </Container>
      <Table<PaymentDue>
        variant="container"
        items={due}
        loading={status.loading}
        loadingText="Loading payments"
        trackBy="InvoiceId"
        selectionType="single"
        selectedItems={selected ? [selected] : []}
        onSelectionChange={(e) => setSelectedId(e.detail.selectedItems[0]?.InvoiceId)}
        isItemDisabled={(d) => d.Status === 'PAID'}
        ariaLabels={{
          tableLabel: 'Payments due',
          selectionGroupLabel: 'Invoice selection',
          itemSelectionLabel: (_s, d) => `Select ${d.InvoiceId}`,
        }}
        header={
          <Header
            variant="h2"
            counter={`(${due.filter((d) => d.Status === 'UNPAID').length})`}
            description="Issued bills and whether they are paid. A payment uses your default payment method."
            actions={
              <Button
                variant="primary"
                disabled={selected === undefined || selected.Status !== 'UNPAID'}
                loading={busy}
                onClick={() => selected !== undefined && void pay(selected)}
              >
                Complete payment
              </Button>
            }
          >
            Payments due
          </Header>
        }
        columnDefinitions={[
          { id: 'invoice', header: 'Invoice ID', cell: (d) => d.InvoiceId },
          { id: 'period', header: 'Billing period', cell: (d) => monthName(d.BillingPeriod) },
          { id: 'amount', header: 'Amount', cell: (d) => formatMoney(d.Amount, d.CurrencyCode) },
          {
            id: 'status',
            header: 'Status',
            cell: (d) =>
              d.Status === 'PAID' ? (
                <StatusIndicator type="success">Paid</StatusIndicator>
              ) : (
                <StatusIndicator type="warning">Due</StatusIndicator>
              ),
          },
        ]}
        empty={<EmptyState title="No payments due" subtitle="No issued bills to pay." />}
      />
      <Table<PaymentTransaction>
        variant="container"
        items={status.data?.Transactions ?? []}
        loading={status.loading}
        loadingText="Loading transactions"
        trackBy="PaymentId"
        ariaLabels={{ tableLabel: 'Transactions' }}
        header={
          <Header variant="h2" counter={`(${status.data?.Transactions.length ?? 0})`}>
            Transactions
          </Header>
        }
        columnDefinitions={[
          { id: 'date', header: 'Date', cell: (t) => formatDate(t.PaidAt) },
          { id: 'payment', header: 'Payment ID', cell: (t) => t.PaymentId },
          { id: 'invoice', header: 'Invoice ID', cell: (t) => t.InvoiceId },
          { id: 'period', header: 'Billing period', cell: (t) => monthName(t.BillingPeriod) },
          { id: 'method', header: 'Payment method', cell: (t) => t.PaymentMethod },
          { id: 'amount', header: 'Amount', cell: (t) => formatMoney(t.Amount, t.CurrencyCode) },
        ]}
        empty={<EmptyState title="No transactions" subtitle="No payments have been made yet." />}
      />
    </SpaceBetween>
  );
}

export function PaymentsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Payments</Header>
      <PageGate page="payments">
        <Payments />
      </PageGate>
    </SpaceBetween>
  );
}
