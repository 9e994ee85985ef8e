import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { budgetsApi, type Budget } from '../../client/budgets';
import { formatDate, formatPeriod } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { useIdentity } from '../../session';
import { amountOf, describeAlert, describePeriod, describeScope } from './budget-format';
import { BudgetStatus, DeleteBudgetModal } from './budgets';

function SpendSummary({ budget }: { budget: Budget }) {
  const limit = Number(budget.BudgetLimit?.Amount ?? '0');
  const actual = budget.CalculatedSpend?.ActualSpend;
  const used = limit > 0 ? (Number(actual?.Amount ?? '0') / limit) * 100 : 0;
  return (
    <Container header={<Header variant="h2">Spend against budget</Header>} data-testid="budget-spend">
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Budgeted amount', value: amountOf(budget.BudgetLimit) },
            { label: 'Actual', value: amountOf(actual) },
            { label: 'Forecasted', value: amountOf(budget.CalculatedSpend?.ForecastedSpend) },
            { label: 'Status', value: <BudgetStatus budget={budget} /> },
          ]}
        />
        <ProgressBar
          label="Actual against budgeted amount"
          value={Math.min(100, Math.round(used))}
          additionalInfo={`${Math.round(used)}% of the budgeted amount used this period`}
          status={used > 100 ? 'error' : 'in-progress'}
          resultText={`${Math.round(used)}% used (over budget)`}
        />
      </SpaceBetween>
    </Container>
  );
}

/** Where the history table starts: the last 30 days, 12 months, 8 quarters or 5 years (a custom budget has one period). */
function historyStart(timeUnit: string): Date {
  if (timeUnit === 'CUSTOM') return new Date(0);
  const now = new Date();
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  if (timeUnit === 'DAILY') return new Date(Date.UTC(y, m, d - 29));
  if (timeUnit === 'QUARTERLY') return new Date(Date.UTC(y, m - 21, 1));
  if (timeUnit === 'ANNUALLY') return new Date(Date.UTC(y - 4, 0, 1));
  return new Date(Date.UTC(y, m - 11, 1));
}

/** Budgeted and actual amounts of the recent periods, newest first. */
function BudgetHistory({ budget }: { budget: Budget }) {
  const identity = useIdentity();
  const history = useAsync(
    () => budgetsApi.performanceHistory(identity.accountId, budget.BudgetName, historyStart(budget.TimeUnit)),
    [identity.accountId, budget.BudgetName, budget.TimeUnit],
  );
  return (
    <>
      {history.error !== undefined && <ErrorAlert error={history.error} />}
      <Table
        header={<Header variant="h2">Budget history</Header>}
        items={[...(history.data ?? [])].reverse()}
        loading={history.loading}
        loadingText="Loading history"
        empty={<Box color="text-status-inactive">No history yet.</Box>}
        columnDefinitions={[
          {
            id: 'period',
            header: 'Period',
            cell: (h) => (h.TimePeriod ? formatPeriod(h.TimePeriod.Start ?? '', h.TimePeriod.End ?? '', ' to ') : ''),
          },
          { id: 'budgeted', header: 'Budgeted', cell: (h) => amountOf(h.BudgetedAmount) },
          { id: 'actual', header: 'Actual', cell: (h) => amountOf(h.ActualAmount) },
        ]}
      />
    </>
  );
}

function BudgetDetail({ name }: { name: string }) {
  const identity = useIdentity();
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const budget = useAsync(() => budgetsApi.describeBudget(identity.accountId, name), [identity.accountId, name]);
  const alerts = useAsync(() => budgetsApi.describeAlerts(identity.accountId, name), [identity.accountId, name]);

  if (budget.error !== undefined) return <ErrorAlert error={budget.error} />;
  if (budget.data === undefined) return <Loading label="Loading the budget" />;
  const b = budget.data;
  const remove = () =>
    void submit(async () => {
      await budgetsApi.deleteBudget(identity.accountId, name);
      notify.success(`Budget ${name} deleted.`, undefined, true);
      navigate('/billing/budgets');
    });

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <DeleteBudgetModal name={name} busy={busy} onDelete={remove} />
            <Button onClick={() => navigate(`/billing/budgets/edit?name=${encodeURIComponent(name)}`)}>Edit</Button>
          </SpaceBetween>
        }
      >
        {name}
      </Header>
      <SpendSummary budget={b} />
      <Container header={<Header variant="h2">Details</Header>}>
        <KeyValuePairs
          columns={3}
          items={[
            {
              label: 'Budget type',
              value: b.BudgetType === 'COST' ? 'Cost budget' : b.BudgetType === 'USAGE' ? 'Usage budget' : b.BudgetType,
            },
            { label: 'Period', value: describePeriod(b) },
            { label: 'Scope', value: describeScope(b) },
            { label: 'Last updated', value: formatDate(b.LastUpdatedTime) },
          ]}
        />
      </Container>
      {alerts.error !== undefined && <ErrorAlert error={alerts.error} />}
      <Table
        header={
          <Header variant="h2" counter={`(${alerts.data?.length ?? 0})`}>
            Alerts
          </Header>
        }
        items={alerts.data ?? []}
        loading={alerts.loading}
        loadingText="Loading alerts"
        empty={<Box color="text-status-inactive">This budget has no alerts.</Box>}
        columnDefinitions={[
          {
            id: 'threshold',
            header: 'Threshold',
            cell: ({ Notification: n }) =>
              describeAlert(n.NotificationType, n.Threshold, n.ThresholdType, b.BudgetLimit),
          },
          {
            id: 'state',
            header: 'State',
            cell: ({ Notification: n }) =>
              n.NotificationState === 'ALARM' ? (
                <StatusIndicator type="error">Threshold exceeded</StatusIndicator>
              ) : (
                <StatusIndicator type="success">OK</StatusIndicator>
              ),
          },
          {
            id: 'recipients',
            header: 'Email recipients',
            cell: (a) => a.Subscribers.map((s) => s.Address).join(', '),
          },
        ]}
      />
      <BudgetHistory budget={b} />
    </SpaceBetween>
  );
}

export function BudgetDetailPage({ name }: { name: string }) {
  return (
    <PageGate page="budgets">
      <BudgetDetail name={name} />
    </PageGate>
  );
}
