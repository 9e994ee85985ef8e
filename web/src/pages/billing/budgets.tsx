import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { budgetsApi, type Budget } from '../../client/budgets';
import { ConfirmModal } from '../../components/confirm-modal';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref, navigate } from '../../router';
import { useIdentity } from '../../session';
import { amountOf, percentUsed, PERIODS } from './budget-format';

/** Spend against the limit, as the Budgets list's status column shows it. */
export function BudgetStatus({ budget }: { budget: Budget }) {
  if (budget.BudgetLimit === undefined) return <StatusIndicator type="info">No limit</StatusIndicator>;
  const limit = Number(budget.BudgetLimit.Amount);
  const actual = Number(budget.CalculatedSpend?.ActualSpend?.Amount ?? '0');
  const forecast = Number(budget.CalculatedSpend?.ForecastedSpend?.Amount ?? '0');
  // A limit of 0 has no share to show: the status alone says whether anything was spent against it.
  const percent = percentUsed(budget.CalculatedSpend?.ActualSpend, budget.BudgetLimit);
  const used = percent === undefined ? '' : ` (${percent.text} used)`;
  if (actual > limit) return <StatusIndicator type="error">Exceeded{used}</StatusIndicator>;
  if (forecast > limit) return <StatusIndicator type="warning">Forecast exceeds budget{used}</StatusIndicator>;
  return <StatusIndicator type="success">OK{used}</StatusIndicator>;
}

/** The Delete button and its confirmation dialog; `name` undefined disables the button. */
export function DeleteBudgetModal({
  name,
  busy,
  onDelete,
}: {
  name: string | undefined;
  busy: boolean;
  onDelete: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button disabled={name === undefined} onClick={() => setConfirming(true)}>
        Delete
      </Button>
      <ConfirmModal
        visible={confirming}
        header="Delete budget"
        action="Delete"
        busy={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          onDelete();
          setConfirming(false);
        }}
      >
        Permanently delete budget <b>{name}</b> and its alerts? You can&apos;t undo this action.
      </ConfirmModal>
    </>
  );
}

const detailHref = (name: string) => `#/billing/budget?name=${encodeURIComponent(name)}`;

function BudgetList() {
  const identity = useIdentity();
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const budgets = useAsync(() => budgetsApi.describeBudgets(identity.accountId), [identity.accountId]);
  const [selected, setSelected] = useState<Budget[]>([]);
  const target = selected[0];

  // Creating, editing and deleting are always offered; the server decides, and a refusal is shown as AWS shows it.
  const remove = () =>
    void submit(async () => {
      if (target === undefined) return;
      await budgetsApi.deleteBudget(identity.accountId, target.BudgetName);
      notify.success(`Budget ${target.BudgetName} deleted.`);
      setSelected([]);
      budgets.reload();
    });

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
                <DeleteBudgetModal name={target?.BudgetName} busy={busy} onDelete={remove} />
                <Button
                  disabled={target === undefined}
                  onClick={() =>
                    target !== undefined &&
                    navigate(`/billing/budgets/edit?name=${encodeURIComponent(target.BudgetName)}`)
                  }
                >
                  Edit
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
        // Long names and statuses wrap rather than widen the table: at a laptop's 1440 px beside the side
        // navigation every column, Status last, fits without scrolling sideways.
        wrapLines
        ariaLabels={{
          selectionGroupLabel: 'Budget selection',
          itemSelectionLabel: (_, b) => `Select budget ${b.BudgetName}`,
          allItemsSelectionLabel: () => 'Select all budgets',
        }}
        empty={<EmptyState title="No budgets" subtitle="This account has no budgets." action={createButton} />}
        columnDefinitions={[
          {
            id: 'name',
            header: 'Name',
            cell: (b) => (
              <Link href={detailHref(b.BudgetName)} onFollow={followHref}>
                {b.BudgetName}
              </Link>
            ),
          },
          {
            id: 'type',
            header: 'Type',
            cell: (b) => (b.BudgetType === 'COST' ? 'Cost' : b.BudgetType === 'USAGE' ? 'Usage' : b.BudgetType),
          },
          { id: 'period', header: 'Period', cell: (b) => PERIODS[b.TimeUnit] ?? b.TimeUnit },
          { id: 'limit', header: 'Budgeted', cell: (b) => amountOf(b.BudgetLimit) },
          { id: 'actual', header: 'Actual', cell: (b) => amountOf(b.CalculatedSpend?.ActualSpend) },
          { id: 'forecast', header: 'Forecasted', cell: (b) => amountOf(b.CalculatedSpend?.ForecastedSpend) },
          { id: 'status', header: 'Status', cell: (b) => <BudgetStatus budget={b} /> },
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
