import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import {
  billingLedgerApi,
  type AccountCredit,
  type PeriodCredits,
  type ServiceCredit,
} from '../../client/billing-ledger';
import { formatMoney, formatMonth } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';

function PeriodBreakdown({ period }: { period: PeriodCredits }) {
  return (
    <SpaceBetween size="l">
      <Table<ServiceCredit>
        variant="container"
        items={period.ByService}
        trackBy="Service"
        ariaLabels={{ tableLabel: 'Credits by service' }}
        header={
          <Header variant="h2" counter={`(${period.ByService.length})`}>
            Credits by service — {formatMonth(period.BillingPeriod)}
          </Header>
        }
        columnDefinitions={[
          { id: 'service', header: 'Service', cell: (r) => r.Service },
          { id: 'amount', header: 'Credits applied', cell: (r) => formatMoney(r.Amount, period.Unit) },
        ]}
        empty={<EmptyState title="No credits" subtitle="No credits were applied in this billing period." />}
      />
      {period.ByAccount !== undefined && (
        <Table<AccountCredit>
          variant="container"
          items={period.ByAccount}
          trackBy="AccountId"
          ariaLabels={{ tableLabel: 'Credits by account' }}
          header={
            <Header
              variant="h2"
              counter={`(${period.ByAccount.length})`}
              description="Credits applied to each account of your organization."
            >
              Credits by account — {formatMonth(period.BillingPeriod)}
            </Header>
          }
          columnDefinitions={[
            { id: 'account', header: 'Account ID', cell: (r) => r.AccountId },
            { id: 'name', header: 'Account name', cell: (r) => r.AccountName ?? '-' },
            { id: 'amount', header: 'Credits applied', cell: (r) => formatMoney(r.Amount, period.Unit) },
          ]}
          empty={<EmptyState title="No credits" subtitle="No credits were applied in this billing period." />}
        />
      )}
    </SpaceBetween>
  );
}

function Credits() {
  const credits = useAsync(billingLedgerApi.getCredits, []);
  const [selectedPeriod, setSelectedPeriod] = useState<string | undefined>(undefined);
  const rows = credits.data?.CreditsByPeriod ?? [];
  const selected = rows.find((r) => r.BillingPeriod === selectedPeriod) ?? rows[0];

  if (credits.error) return <ErrorAlert error={credits.error} />;
  return (
    <SpaceBetween size="l">
      <Table<PeriodCredits>
        variant="container"
        items={rows}
        loading={credits.loading}
        loadingText="Loading credits"
        trackBy="BillingPeriod"
        selectionType="single"
        selectedItems={selected ? [selected] : []}
        onSelectionChange={(e) => setSelectedPeriod(e.detail.selectedItems[0]?.BillingPeriod)}
        ariaLabels={{
          tableLabel: 'Credits by billing period',
          selectionGroupLabel: 'Billing period selection',
          itemSelectionLabel: (_s, r) => formatMonth(r.BillingPeriod),
        }}
        header={
          <Header
            variant="h2"
            counter={`(${rows.length})`}
            description={
              credits.data === undefined
                ? undefined
                : `Credits applied to this account's bills: ${formatMoney(credits.data.Total.Amount, credits.data.Total.Unit)}. Select a period to see them by service.`
            }
          >
            Credits by billing period
          </Header>
        }
        columnDefinitions={[
          { id: 'period', header: 'Billing period', cell: (r) => formatMonth(r.BillingPeriod) },
          { id: 'amount', header: 'Credits applied', cell: (r) => formatMoney(r.Amount, r.Unit) },
        ]}
        empty={<EmptyState title="No credits" subtitle="No credits were applied to this account's bills." />}
      />
      {selected !== undefined && <PeriodBreakdown key={selected.BillingPeriod} period={selected} />}
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
