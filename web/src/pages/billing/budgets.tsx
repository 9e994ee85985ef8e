import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { billingApi } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useIdentity } from '../../session';

function BudgetList() {
  const identity = useIdentity();
  const budgets = useAsync(() => billingApi.describeBudgets(identity.accountId), [identity.accountId]);
  return (
    <SpaceBetween size="m">
      {budgets.error && <ErrorAlert error={budgets.error} />}
      <Table
        header={
          <Header variant="h2" counter={`(${budgets.data?.length ?? 0})`}>
            Budgets
          </Header>
        }
        items={budgets.data ?? []}
        loading={budgets.loading}
        loadingText="Loading budgets"
        empty={<EmptyState title="No budgets" subtitle="This account has no budgets." />}
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (b) => b.BudgetName },
          { id: 'type', header: 'Type', cell: (b) => `${b.BudgetType} (${b.TimeUnit.toLowerCase()})` },
          {
            id: 'limit',
            header: 'Budgeted amount',
            cell: (b) => formatMoney(b.BudgetLimit?.Amount, b.BudgetLimit?.Unit),
          },
          {
            id: 'actual',
            header: 'Actual costs',
            cell: (b) => formatMoney(b.CalculatedSpend?.ActualSpend?.Amount, b.CalculatedSpend?.ActualSpend?.Unit),
          },
          {
            id: 'status',
            header: 'Status',
            cell: (b) => {
              const actual = Number(b.CalculatedSpend?.ActualSpend?.Amount ?? '0');
              const limit = Number(b.BudgetLimit?.Amount ?? '0');
              return limit > 0 && actual > limit ? (
                <StatusIndicator type="error">Exceeded</StatusIndicator>
              ) : (
                <StatusIndicator type="success">OK</StatusIndicator>
              );
            },
          },
        ]}
      />
    </SpaceBetween>
  );
}

export function BudgetsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Budgets</Header>
      <PageGate page="budgets">
        <BudgetList />
      </PageGate>
    </SpaceBetween>
  );
}
