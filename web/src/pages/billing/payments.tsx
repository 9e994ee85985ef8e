import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Alert from '@cloudscape-design/components/alert';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { billingLedgerApi, type PaymentDue, type PaymentTransaction } from '../../client/billing-ledger';
import { paymentsApi } from '../../client/operations';
import { formatDate, formatMoney, formatMonth } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref } from '../../router';

/** The invoices' payment terms (the invoice PDF prints them). */
const PAYMENT_TERMS = '30 days';

const dayName = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** An unpaid bill is past due once its due date has gone by (today's date, as the browser knows it). */
const pastDue = (bill: PaymentDue) => bill.Status === 'UNPAID' && bill.DueDate < new Date().toISOString().slice(0, 10);

/**
 * The review step before paying, as AWS's "Complete payment" opens: what is paid, when it was due, and with
 * which payment method; without a default payment method there is nothing to pay with, and the page says so.
 */
function ReviewPayment({
  bill,
  busy,
  onPay,
  onDismiss,
}: {
  bill: PaymentDue;
  busy: boolean;
  onPay: () => void;
  onDismiss: () => void;
}) {
  const methods = useAsync(paymentsApi.listPaymentInstruments, []);
  const card = methods.data?.find((m) => m.Default);
  const noCard = methods.data !== undefined && card === undefined;
  const method =
    card !== undefined
      ? `${card.Brand} ending in ${card.LastFourDigits}`
      : methods.loading
        ? 'Loading…'
        : noCard
          ? 'None'
          : 'Your default payment method';
  const fields: [string, string][] = [
    ['Invoice ID', bill.InvoiceId],
    ['Billing period', formatMonth(bill.BillingPeriod)],
    ['Due date', dayName(bill.DueDate)],
    ['Amount', formatMoney(bill.Amount, bill.CurrencyCode)],
    ['Payment method', method],
  ];
  return (
    <Modal
      visible
      closeAriaLabel="Close dialog"
      onDismiss={onDismiss}
      header="Review payment"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} disabled={noCard || methods.loading} onClick={onPay}>
              Pay {formatMoney(bill.Amount, bill.CurrencyCode)}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        {noCard && (
          <Alert type="warning" header="No default payment method">
            Add a payment method and make it the default in{' '}
            <Link href="#/billing/payment-preferences" onFollow={followHref}>
              Payment preferences
            </Link>
            , then pay this bill.
          </Alert>
        )}
        <ColumnLayout columns={2} variant="text-grid">
          {fields.map(([label, value]) => (
            <div key={label} data-testid={`review-${label.toLowerCase().replace(/ /g, '-')}`}>
              <Box variant="awsui-key-label">{label}</Box>
              <div>{value}</div>
            </div>
          ))}
        </ColumnLayout>
      </SpaceBetween>
    </Modal>
  );
}

function Payments() {
  const notify = useNotify();
  const status = useAsync(billingLedgerApi.getPaymentStatus, []);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const { busy, submit } = useSubmit();
  const due = status.data?.PaymentsDue ?? [];
  const selected = due.find((d) => d.InvoiceId === selectedId);
  const [reviewing, setReviewing] = useState(false);

  const pay = (bill: PaymentDue) =>
    submit(async () => {
      const { Payment } = await billingLedgerApi.makePayment(bill.InvoiceId);
      notify.success(
        `Payment of ${formatMoney(Payment.Amount, Payment.CurrencyCode)} for invoice ${Payment.InvoiceId} was recorded with ${Payment.PaymentMethod}.`,
      );
      setSelectedId(undefined);
      status.reload();
    }).finally(() => setReviewing(false));

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
            description={`Issued bills and whether they are paid, each due ${PAYMENT_TERMS} after its invoice date. A payment uses your default payment method.`}
            actions={
              <Button
                variant="primary"
                disabled={selected === undefined || selected.Status !== 'UNPAID'}
                loading={busy}
                onClick={() => setReviewing(true)}
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
          { id: 'period', header: 'Billing period', cell: (d) => formatMonth(d.BillingPeriod) },
          { id: 'due', header: 'Due date', cell: (d) => dayName(d.DueDate) },
          { id: 'amount', header: 'Amount', cell: (d) => formatMoney(d.Amount, d.CurrencyCode) },
          {
            id: 'status',
            header: 'Status',
            cell: (d) =>
              d.Status === 'PAID' ? (
                <StatusIndicator type="success">Paid</StatusIndicator>
              ) : pastDue(d) ? (
                <StatusIndicator type="error">Past due</StatusIndicator>
              ) : (
                <StatusIndicator type="warning">Due</StatusIndicator>
              ),
          },
        ]}
        empty={<EmptyState title="No payments due" subtitle="No issued bills to pay." />}
      />
      {reviewing && selected !== undefined && (
        <ReviewPayment
          bill={selected}
          busy={busy}
          onPay={() => void pay(selected)}
          onDismiss={() => setReviewing(false)}
        />
      )}
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
          { id: 'period', header: 'Billing period', cell: (t) => formatMonth(t.BillingPeriod) },
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
