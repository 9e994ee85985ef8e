import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import MixedLineBarChart from '@cloudscape-design/components/mixed-line-bar-chart';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { budgetsApi, type Budget, type PerformanceEntry } from '../../client/budgets';
import { formatDate, formatMonth, formatPeriod, lastDayOf } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { useIdentity } from '../../session';
import { amountOf, describeAlert, describePeriod, describeScope, percentUsed } from './budget-format';
import { BudgetStatus, DeleteBudgetModal } from './budgets';

function SpendSummary({ budget }: { budget: Budget }) {
  const actual = budget.CalculatedSpend?.ActualSpend;
  const percent = percentUsed(actual, budget.BudgetLimit);
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
        {/* A budget of 0 has no share of it to draw; its status says whether it was exceeded. */}
        {percent !== undefined && (
          <ProgressBar
            label="Actual against budgeted amount"
            value={Math.min(100, percent.share)}
            additionalInfo={`${percent.text} of the budgeted amount used this period`}
            status={percent.share > 100 ? 'error' : 'in-progress'}
            resultText={`${percent.text} used (over budget)`}
          />
        )}
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

/** A period as the chart's axis names it: the month for monthly budgets, else its first and last day. */
function periodLabel(timeUnit: string, entry: PerformanceEntry): string {
  const start = entry.TimePeriod?.Start ?? '';
  const end = entry.TimePeriod?.End ?? '';
  if (timeUnit === 'MONTHLY') return formatMonth(start);
  if (timeUnit === 'DAILY') return start.slice(0, 10);
  return formatPeriod(start, end, ' to ');
}

/**
 * Actual spend against the budgeted amount, period by period, and this period's forecast, as AWS's budget
 * page charts them: bars for actual and forecasted spend, a line for the budgeted amount.
 */
function HistoryChart({ budget, history, loading }: { budget: Budget; history: PerformanceEntry[]; loading: boolean }) {
  const unit = budget.BudgetLimit?.Unit ?? 'USD';
  const money = (value: number) => amountOf({ Amount: String(value), Unit: unit });
  const labelled = history.map((entry) => ({ entry, x: periodLabel(budget.TimeUnit, entry) }));
  const now = new Date().toISOString().slice(0, 10);
  // The forecast belongs to the period that is running now, the last of the history.
  const current = labelled.find(
    ({ entry }) => (entry.TimePeriod?.Start ?? '') <= now && now <= lastDayOf(entry.TimePeriod?.End ?? now),
  );
  const forecast = budget.CalculatedSpend?.ForecastedSpend?.Amount;
  return (
    <Container header={<Header variant="h2">Budget history</Header>} data-testid="budget-history-chart">
      <MixedLineBarChart
        series={[
          {
            title: 'Actual',
            type: 'bar',
            data: labelled.map(({ entry, x }) => ({ x, y: Number(entry.ActualAmount?.Amount ?? '0') })),
            valueFormatter: money,
          },
          ...(current !== undefined && forecast !== undefined
            ? [
                {
                  title: 'Forecasted',
                  type: 'bar' as const,
                  data: [{ x: current.x, y: Number(forecast) }],
                  valueFormatter: money,
                },
              ]
            : []),
          {
            title: 'Budgeted',
            type: 'line',
            data: labelled.map(({ entry, x }) => ({ x, y: Number(entry.BudgetedAmount?.Amount ?? '0') })),
            valueFormatter: money,
          },
        ]}
        xDomain={labelled.map(({ x }) => x)}
        xScaleType="categorical"
        xTitle="Period"
        yTitle={`Amount (${unit})`}
        yTickFormatter={money}
        height={260}
        statusType={loading ? 'loading' : 'finished'}
        loadingText="Loading history"
        ariaLabel="Budget history: actual, forecasted and budgeted amounts"
        i18nStrings={{
          legendAriaLabel: 'Budget history: legend',
          detailPopoverDismissAriaLabel: 'Dismiss',
          chartAriaRoleDescription: 'bar and line chart',
          xAxisAriaRoleDescription: 'x axis',
          yAxisAriaRoleDescription: 'y axis',
        }}
        hideFilter
        empty={<Box color="text-status-inactive">No history yet.</Box>}
      />
    </Container>
  );
}

/** Budgeted and actual amounts of the recent periods: a chart, oldest first, then a table, newest first. */
function BudgetHistory({ budget }: { budget: Budget }) {
  const identity = useIdentity();
  const history = useAsync(
    () => budgetsApi.performanceHistory(identity.accountId, budget.BudgetName, historyStart(budget.TimeUnit)),
    [identity.accountId, budget.BudgetName, budget.TimeUnit],
  );
  return (
    <>
      {history.error !== undefined && <ErrorAlert error={history.error} />}
      <HistoryChart budget={budget} history={history.data ?? []} loading={history.loading} />
      <Table
        header={<Header variant="h2">Budget history by period</Header>}
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
