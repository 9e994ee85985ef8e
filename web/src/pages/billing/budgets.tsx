import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { billingApi, type Budget } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { navigate } from '../../router';
import { useIdentity } from '../../session';

/** Spend against the limit, as the Budgets list's status column shows it. */
function BudgetStatus({ budget }: { budget: Budget }) {
  const limit = Number(budget.BudgetLimit?.Amount ?? '0');
  const actual = Number(budget.CalculatedSpend?.ActualSpend?.Amount ?? '0');
  const forecast = Number(budget.CalculatedSpend?.ForecastedSpend?.Amount ?? '0');
  if (limit <= 0) return <StatusIndicator type="info">No limit</StatusIndicator>;
  const used = `${Math.round((actual / limit) * 100)}% used`;
  if (actual > limit) return <StatusIndicator type="error">Exceeded ({used})</StatusIndicator>;
  if (forecast > limit) return <StatusIndicator type="warning">Forecast exceeds budget ({used})</StatusIndicator>;
  return <StatusIndicator type="success">OK ({used})</StatusIndicator>;
}

function BudgetList() {
  const identity = useIdentity();
  const notify = useNotify();
  const budgets = useAsync(() => billingApi.describeBudgets(identity.accountId), [identity.accountId]);
  const [selected, setSelected] = useState<Budget[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const target = selected[0];

  // Creating and deleting are always offered; the server decides, and a refusal is shown as AWS shows it.
  const remove = async () => {
    if (target === undefined) return;
    setDeleting(true);
    try {
      await billingApi.deleteBudget(identity.accountId, target.BudgetName);
      notify.success(`Budget ${target.BudgetName} deleted.`);
      setSelected([]);
      budgets.reload();
    } catch (e) {
      notify.error(e);
    } finally {
      setDeleting(false);
      setConfirming(false);
    }
  };

  const createButton = (
    <Button variant="primary" onClick={() => navigate('/billing/budgets/create')}>
      Create budget
    </Button>
  );
  return (
    <SpaceBetween size="m">
      {budgets.error && <ErrorAlert error={budgets.error} />}
      <Table
        header={
          <Header
            variant="h2"
            counter={`(${budgets.data?.length ?? 0})`}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button disabled={target === undefined} onClick={() => setConfirming(true)}>
                  Delete
                </Button>
                {createButton}
              </SpaceBetween>
            }
          >
            Budgets
          </Header>
        }
        items={budgets.data ?? []}
        loading={budgets.loading}
        loadingText="Loading budgets"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
        trackBy="BudgetName"
        ariaLabels={{
          selectionGroupLabel: 'Budget selection',
          itemSelectionLabel: (_, b) => `Select budget ${b.BudgetName}`,
          allItemsSelectionLabel: () => 'Select all budgets',
        }}
        empty={<EmptyState title="No budgets" subtitle="This account has no budgets." action={createButton} />}
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
            id: 'forecast',
            header: 'Forecasted costs',
            cell: (b) =>
              formatMoney(b.CalculatedSpend?.ForecastedSpend?.Amount, b.CalculatedSpend?.ForecastedSpend?.Unit),
          },
          { id: 'status', header: 'Status', cell: (b) => <BudgetStatus budget={b} /> },
        ]}
      />
      <Modal
        visible={confirming}
        onDismiss={() => setConfirming(false)}
        header="Delete budget"
        closeAriaLabel="Close dialog"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
              <Button variant="primary" loading={deleting} onClick={() => void remove()}>
                Delete
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        Permanently delete budget <b>{target?.BudgetName}</b> and its alerts? You can&apos;t undo this action.
      </Modal>
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
