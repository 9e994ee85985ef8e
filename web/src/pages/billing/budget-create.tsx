import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Multiselect from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tiles from '@cloudscape-design/components/tiles';
import Wizard from '@cloudscape-design/components/wizard';
import { useState } from 'react';
import {
  budgetsApi,
  NO_END,
  type Budget,
  type NotificationType,
  type NotificationWithSubscribers,
  type ThresholdType,
  type TimeUnit,
} from '../../client/budgets';
import { billingApi } from '../../client/operations';
import { exclusiveEndOf, formatMoney, lastDayOf } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { useIdentity } from '../../session';
import {
  dateOf,
  describeAlert,
  describePeriod,
  describeScope,
  FILTERS,
  PERIODS,
  type FilterKey,
} from './budget-format';

type BudgetType = 'COST' | 'USAGE';
type Renewal = 'RECURRING' | 'EXPIRING';

interface AlertDraft {
  threshold: string;
  thresholdType: ThresholdType;
  trigger: NotificationType;
  emails: string;
}
interface Draft {
  type: BudgetType;
  name: string;
  period: TimeUnit;
  renewal: Renewal;
  /** `YYYY-MM-DD`; the start of an expiring or custom budget (a recurring one starts with its current period). */
  start: string;
  end: string;
  amount: string;
  unit: string;
  scoped: boolean;
  filters: Record<FilterKey, string[]>;
  tagKey: string;
  tagValues: string;
  /** Filters the wizard does not edit (set through the API: Operation, RecordType…), kept as they are. */
  otherFilters: Record<string, string[]>;
  alerts: AlertDraft[];
}

const MAX_ALERTS = 5;
const MAX_RECIPIENTS = 10;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const newAlert = (): AlertDraft => ({ threshold: '80', thresholdType: 'PERCENTAGE', trigger: 'ACTUAL', emails: '' });
const emailsOf = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
const tagValuesOf = (draft: Draft) =>
  draft.tagValues
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

const EMPTY: Draft = {
  type: 'COST',
  name: '',
  period: 'MONTHLY',
  renewal: 'RECURRING',
  start: '',
  end: '',
  amount: '',
  unit: '',
  scoped: false,
  filters: { Service: [], LinkedAccount: [], Region: [], UsageType: [] },
  tagKey: '',
  tagValues: '',
  otherFilters: {},
  alerts: [newAlert()],
};

/** The wizard's form of a stored budget and its alerts, for editing. */
function draftOf(budget: Budget, alerts: NotificationWithSubscribers[]): Draft {
  const filters = budget.CostFilters ?? {};
  const tags = (filters.TagKeyValue ?? []).map((t) => t.replace(/^user:/, '').split('$'));
  const end = budget.TimePeriod?.End;
  return {
    type: budget.BudgetType === 'USAGE' ? 'USAGE' : 'COST',
    name: budget.BudgetName,
    period: budget.TimeUnit,
    renewal: end === undefined || new Date(end).getTime() >= new Date(NO_END).getTime() ? 'RECURRING' : 'EXPIRING',
    start: dateOf(budget.TimePeriod?.Start),
    // The form's End date is the last day included; the budget's End is the day after it.
    end: end !== undefined && new Date(end).getTime() < new Date(NO_END).getTime() ? lastDayOf(dateOf(end)) : '',
    amount: budget.BudgetLimit?.Amount ?? '',
    unit: budget.BudgetType === 'USAGE' ? (budget.BudgetLimit?.Unit ?? '') : '',
    scoped: Object.keys(filters).length > 0,
    filters: {
      Service: filters.Service ?? [],
      LinkedAccount: filters.LinkedAccount ?? [],
      Region: filters.Region ?? [],
      UsageType: filters.UsageType ?? [],
    },
    tagKey: tags[0]?.[0] ?? '',
    tagValues: tags.map((t) => t[1] ?? '').join(', '),
    otherFilters: Object.fromEntries(
      Object.entries(filters).filter(([key]) => key !== 'TagKeyValue' && !FILTERS.some((f) => f.key === key)),
    ),
    alerts: alerts.map(({ Notification: n, Subscribers }) => ({
      threshold: String(n.Threshold),
      thresholdType: n.ThresholdType ?? 'PERCENTAGE',
      trigger: n.NotificationType,
      emails: Subscribers.filter((s) => s.SubscriptionType === 'EMAIL')
        .map((s) => s.Address)
        .join(', '),
    })),
  };
}

/** The budget AWS Budgets is sent; a recurring budget keeps the start it has (or takes the current period's). */
function budgetOf(draft: Draft, existing?: Budget): Budget {
  const costFilters: Record<string, string[]> = {};
  if (draft.scoped) {
    Object.assign(costFilters, draft.otherFilters);
    for (const { key } of FILTERS) if (draft.filters[key].length > 0) costFilters[key] = draft.filters[key];
    const tagValues = tagValuesOf(draft);
    if (draft.tagKey.trim() !== '') costFilters.TagKeyValue = tagValues.map((v) => `user:${draft.tagKey.trim()}$${v}`);
  }
  const dated = draft.period === 'CUSTOM' || draft.renewal === 'EXPIRING';
  const start = dated ? `${draft.start}T00:00:00.000Z` : existing?.TimePeriod?.Start;
  return {
    BudgetName: draft.name.trim(),
    BudgetType: draft.type,
    TimeUnit: draft.period,
    BudgetLimit: { Amount: draft.amount.trim(), Unit: draft.type === 'COST' ? 'USD' : draft.unit.trim() },
    CostFilters: costFilters,
    ...(existing?.CostTypes !== undefined ? { CostTypes: existing.CostTypes } : {}),
    TimePeriod: {
      ...(start !== undefined ? { Start: start } : {}),
      // While the date is being typed it is not one yet: kept as typed (the step's check refuses it).
      End: dated ? `${DATE.test(draft.end) ? exclusiveEndOf(draft.end) : draft.end}T00:00:00.000Z` : NO_END,
    },
  };
}

function alertsOf(draft: Draft): NotificationWithSubscribers[] {
  return draft.alerts.map((a) => ({
    Notification: {
      NotificationType: a.trigger,
      ComparisonOperator: 'GREATER_THAN',
      Threshold: Number(a.threshold),
      ThresholdType: a.thresholdType,
    },
    Subscribers: emailsOf(a.emails).map((Address) => ({ SubscriptionType: 'EMAIL' as const, Address })),
  }));
}

type Field = 'name' | 'amount' | 'unit' | 'start' | 'end' | 'scope';

/** Each field's problem (and each alert's), by step; the wizard moves on only from a step without any. */
function problems(draft: Draft): { fields: Record<Field, string | undefined>; alerts: Record<string, string>[] } {
  const name = draft.name.trim();
  const dated = draft.period === 'CUSTOM' || draft.renewal === 'EXPIRING';
  const amountOk = /^\d+(\.\d{1,2})?$/.test(draft.amount.trim()) && Number(draft.amount) > 0;
  const scopeEmpty =
    draft.scoped &&
    FILTERS.every(({ key }) => draft.filters[key].length === 0) &&
    draft.tagKey.trim() === '' &&
    Object.keys(draft.otherFilters).length === 0;
  return {
    fields: {
      name:
        name === ''
          ? 'Enter a budget name.'
          : name.length > 100 || /[:\\]/.test(name)
            ? "The name must be 1-100 characters and may not contain ':' or '\\'."
            : undefined,
      amount: amountOk
        ? undefined
        : draft.type === 'COST'
          ? 'Enter an amount greater than zero, in dollars (for example 100 or 99.50).'
          : 'Enter a quantity greater than zero.',
      unit:
        draft.type === 'USAGE' && draft.unit.trim() === ''
          ? 'Enter the unit of usage (for example Hrs or GB).'
          : undefined,
      start: dated && !DATE.test(draft.start) ? 'Enter a start date as YYYY-MM-DD.' : undefined,
      end: !dated
        ? undefined
        : !DATE.test(draft.end)
          ? 'Enter an end date as YYYY-MM-DD.'
          : DATE.test(draft.start) && draft.end <= draft.start
            ? 'The end date must be after the start date.'
            : undefined,
      scope: scopeEmpty
        ? 'Choose at least one value to filter by, or choose All AWS services.'
        : draft.scoped && draft.tagKey.trim() !== '' && tagValuesOf(draft).length === 0
          ? 'Enter one or more values of the tag.'
          : undefined,
    },
    alerts: draft.alerts.map((a) => {
      const found: Record<string, string> = {};
      if (!(/^\d+(\.\d+)?$/.test(a.threshold.trim()) && Number(a.threshold) > 0))
        found.threshold = 'Enter a threshold greater than zero.';
      const emails = emailsOf(a.emails);
      if (emails.length === 0 || emails.some((e) => !/^[^\s@]+@[^\s@]+$/.test(e)))
        found.emails = 'Enter one or more valid email addresses, separated by commas.';
      else if (emails.length > MAX_RECIPIENTS) found.emails = `Enter at most ${MAX_RECIPIENTS} email addresses.`;
      if (a.trigger === 'FORECASTED' && draft.period === 'DAILY')
        found.trigger = 'Daily budgets support only actual-cost alerts.';
      return found;
    }),
  };
}

/** The values a filter can take, from the last year of cost data (as Cost Explorer lists them). */
function useDimensionValues(dimension: string, enabled: boolean) {
  return useAsync(async () => {
    if (!enabled) return [];
    const end = new Date();
    const start = new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth(), 1));
    const values = await billingApi.getDimensionValues(dimension, {
      Start: start.toISOString().slice(0, 10),
      End: new Date(end.getTime() + 86_400_000).toISOString().slice(0, 10),
    });
    return values.map((v) => ({ value: v.Value, label: v.Value, description: v.Attributes?.description }));
  }, [dimension, enabled]);
}

function FilterField({
  filter,
  draft,
  onChange,
}: {
  filter: (typeof FILTERS)[number];
  draft: Draft;
  onChange: (values: string[]) => void;
}) {
  const options = useDimensionValues(filter.dimension, draft.scoped);
  const selected = draft.filters[filter.key];
  return (
    <FormField label={filter.label} errorText={options.error?.message}>
      <Multiselect
        selectedOptions={selected.map((value) => ({ value, label: value }))}
        onChange={(e) => onChange(e.detail.selectedOptions.map((o) => o.value ?? ''))}
        options={options.data ?? []}
        statusType={options.loading ? 'loading' : 'finished'}
        loadingText="Loading values"
        filteringType="auto"
        placeholder={`Choose ${filter.label.toLowerCase()} values`}
        ariaLabel={`Filter by ${filter.label.toLowerCase()}`}
        deselectAriaLabel={(o) => `Remove ${o.label ?? ''}`}
        empty="No values in the last year"
      />
    </FormField>
  );
}

function AlertEditor({
  index,
  alert,
  errors,
  daily,
  unitLabel,
  onChange,
  onRemove,
}: {
  index: number;
  alert: AlertDraft;
  errors: Record<string, string> | undefined;
  daily: boolean;
  unitLabel: string;
  onChange: (change: Partial<AlertDraft>) => void;
  onRemove: () => void;
}) {
  const title = `Alert ${index + 1}`;
  return (
    <section aria-label={title}>
      <Container
        header={
          <Header
            variant="h2"
            actions={
              <Button onClick={onRemove} ariaLabel={`Remove alert ${index + 1}`}>
                Remove
              </Button>
            }
          >
            {title}
          </Header>
        }
      >
        <SpaceBetween size="l">
          <ColumnLayout columns={2}>
            <FormField label="Threshold" errorText={errors?.threshold}>
              <Input
                value={alert.threshold}
                onChange={(e) => onChange({ threshold: e.detail.value })}
                inputMode="decimal"
                ariaRequired
              />
            </FormField>
            <FormField label="Threshold type">
              <Select
                selectedOption={{
                  value: alert.thresholdType,
                  label:
                    alert.thresholdType === 'PERCENTAGE' ? '% of budgeted amount' : `Absolute value (${unitLabel})`,
                }}
                onChange={(e) => onChange({ thresholdType: e.detail.selectedOption.value as ThresholdType })}
                options={[
                  { value: 'PERCENTAGE', label: '% of budgeted amount' },
                  { value: 'ABSOLUTE_VALUE', label: `Absolute value (${unitLabel})` },
                ]}
              />
            </FormField>
          </ColumnLayout>
          <FormField
            label="Trigger"
            errorText={errors?.trigger}
            description={daily ? 'Daily budgets alert on actual amounts only.' : undefined}
          >
            <RadioGroup
              value={alert.trigger}
              onChange={(e) => onChange({ trigger: e.detail.value as NotificationType })}
              ariaLabel={`Trigger of alert ${index + 1}`}
              items={[
                { value: 'ACTUAL', label: 'Actual', description: 'Amounts already incurred.' },
                {
                  value: 'FORECASTED',
                  label: 'Forecasted',
                  description: 'Amounts forecast for the whole period.',
                  disabled: daily,
                },
              ]}
            />
          </FormField>
          <FormField
            label="Email recipients"
            constraintText={`Up to ${MAX_RECIPIENTS} addresses, separated by commas.`}
            errorText={errors?.emails}
          >
            <Input
              value={alert.emails}
              onChange={(e) => onChange({ emails: e.detail.value })}
              type="email"
              placeholder="name@example.com"
              ariaRequired
            />
          </FormField>
        </SpaceBetween>
      </Container>
    </section>
  );
}

function BudgetWizard({
  initial,
  existing,
}: {
  initial: Draft;
  existing?: { budget: Budget; alerts: NotificationWithSubscribers[] };
}) {
  const identity = useIdentity();
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [step, setStep] = useState(0);
  const [shown, setShown] = useState<Set<number>>(new Set());
  const [draft, setDraft] = useState<Draft>(initial);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const setAlert = (index: number, change: Partial<AlertDraft>) =>
    setDraft((d) => ({ ...d, alerts: d.alerts.map((a, i) => (i === index ? { ...a, ...change } : a)) }));
  const found = problems(draft);
  const editing = existing !== undefined;
  const stepFields: Field[][] = [[], ['name', 'amount', 'unit', 'start', 'end', 'scope'], [], []];
  const stepBlocked = (s: number) =>
    (stepFields[s] ?? []).some((field) => found.fields[field] !== undefined) ||
    (s === 2 && found.alerts.some((a) => Object.keys(a).length > 0));
  // A field's error shows once its step has been submitted, not while the user is still typing it in.
  const errorOf = (field: Field) => (shown.has(1) ? found.fields[field] : undefined);
  const budget = budgetOf(draft, existing?.budget);
  const alerts = alertsOf(draft);
  const dated = draft.period === 'CUSTOM' || draft.renewal === 'EXPIRING';
  const unitLabel = draft.type === 'COST' ? '$' : draft.unit.trim() || 'units';

  const save = () =>
    void submit(async () => {
      if (existing === undefined) {
        await budgetsApi.createBudget(identity.accountId, budget, alerts);
        notify.success(`Budget ${budget.BudgetName} created.`, undefined, true);
        navigate('/billing/budgets');
      } else {
        await budgetsApi.updateBudget(identity.accountId, budget, existing.alerts, alerts);
        notify.success(`Budget ${budget.BudgetName} updated.`, undefined, true);
        navigate(`/billing/budget?name=${encodeURIComponent(budget.BudgetName)}`);
      }
    });

  return (
    <Wizard
      activeStepIndex={step}
      isLoadingNextStep={busy}
      onNavigate={({ detail }) => {
        if (detail.requestedStepIndex > step) {
          setShown((s) => new Set(s).add(step));
          for (let s = step; s < detail.requestedStepIndex; s++) if (stepBlocked(s)) return setStep(s);
        }
        setStep(detail.requestedStepIndex);
      }}
      onCancel={() => navigate(editing ? `/billing/budget?name=${encodeURIComponent(draft.name)}` : '/billing/budgets')}
      onSubmit={save}
      submitButtonText={editing ? 'Save budget' : 'Create budget'}
      allowSkipTo
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
        skipToButtonLabel: (target) => `Skip to ${target.title}`,
        navigationAriaLabel: 'Steps',
        cancelButton: 'Cancel',
        previousButton: 'Previous',
        nextButton: 'Next',
        optional: 'optional',
      }}
      steps={[
        {
          title: 'Choose budget type',
          content: (
            <Container header={<Header variant="h2">Budget types</Header>}>
              <Tiles
                value={draft.type}
                onChange={(e) => set({ type: e.detail.value as BudgetType })}
                ariaLabel="Budget type"
                columns={2}
                items={[
                  {
                    value: 'COST',
                    label: 'Cost budget',
                    description:
                      'Monitor your costs against a specified dollar amount and receive alerts when your user-defined thresholds are met.',
                    disabled: editing && draft.type !== 'COST',
                  },
                  {
                    value: 'USAGE',
                    label: 'Usage budget',
                    description:
                      'Monitor your usage of one or more usage types and receive alerts when your user-defined thresholds are met.',
                    disabled: editing && draft.type !== 'USAGE',
                  },
                ]}
              />
            </Container>
          ),
        },
        {
          title: 'Set your budget',
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Details</Header>}>
                <FormField
                  label="Budget name"
                  description="Provide a descriptive name for this budget."
                  constraintText={editing ? 'A budget keeps its name.' : "Up to 100 characters; not ':' or '\\'."}
                  errorText={errorOf('name')}
                >
                  <Input
                    value={draft.name}
                    onChange={(e) => set({ name: e.detail.value })}
                    readOnly={editing}
                    ariaRequired
                  />
                </FormField>
              </Container>
              <Container header={<Header variant="h2">Set budget amount</Header>}>
                <SpaceBetween size="l">
                  <FormField label="Period" description="How often the budget resets, or a custom range of dates.">
                    <Select
                      selectedOption={{ value: draft.period, label: PERIODS[draft.period] }}
                      onChange={(e) => set({ period: e.detail.selectedOption.value as TimeUnit })}
                      options={Object.entries(PERIODS).map(([value, label]) => ({ value, label }))}
                    />
                  </FormField>
                  {draft.period !== 'CUSTOM' && (
                    <FormField label="Budget renewal type">
                      <RadioGroup
                        value={draft.renewal}
                        onChange={(e) => set({ renewal: e.detail.value as Renewal })}
                        ariaLabel="Budget renewal type"
                        items={[
                          {
                            value: 'RECURRING',
                            label: 'Recurring budget',
                            description: 'Renews at the start of every period.',
                          },
                          {
                            value: 'EXPIRING',
                            label: 'Expiring budget',
                            description: 'Stops renewing after the end date.',
                          },
                        ]}
                      />
                    </FormField>
                  )}
                  {dated && (
                    <ColumnLayout columns={2}>
                      <FormField label="Start date" constraintText="YYYY-MM-DD" errorText={errorOf('start')}>
                        <Input
                          value={draft.start}
                          onChange={(e) => set({ start: e.detail.value })}
                          placeholder="YYYY-MM-DD"
                          ariaRequired
                        />
                      </FormField>
                      <FormField
                        label="End date"
                        constraintText="YYYY-MM-DD; the budget covers days before it."
                        errorText={errorOf('end')}
                      >
                        <Input
                          value={draft.end}
                          onChange={(e) => set({ end: e.detail.value })}
                          placeholder="YYYY-MM-DD"
                          ariaRequired
                        />
                      </FormField>
                    </ColumnLayout>
                  )}
                  <ColumnLayout columns={draft.type === 'USAGE' ? 2 : 1}>
                    <FormField
                      label={draft.type === 'COST' ? 'Budgeted amount ($)' : 'Budgeted usage'}
                      description={`The ${draft.period === 'CUSTOM' ? 'total' : PERIODS[draft.period].toLowerCase()} amount you plan to ${draft.type === 'COST' ? 'spend, in US dollars' : 'use'}.`}
                      errorText={errorOf('amount')}
                    >
                      <Input
                        value={draft.amount}
                        onChange={(e) => set({ amount: e.detail.value })}
                        inputMode="decimal"
                        placeholder="100.00"
                        ariaRequired
                      />
                    </FormField>
                    {draft.type === 'USAGE' && (
                      <FormField label="Usage unit" errorText={errorOf('unit')}>
                        <Input
                          value={draft.unit}
                          onChange={(e) => set({ unit: e.detail.value })}
                          placeholder="Hrs"
                          ariaRequired
                        />
                      </FormField>
                    )}
                  </ColumnLayout>
                </SpaceBetween>
              </Container>
              <Container header={<Header variant="h2">Budget scope</Header>}>
                <SpaceBetween size="l">
                  <FormField label="Scope options" errorText={errorOf('scope')}>
                    <RadioGroup
                      value={draft.scoped ? 'FILTERED' : 'ALL'}
                      onChange={(e) => set({ scoped: e.detail.value === 'FILTERED' })}
                      ariaLabel="Scope options"
                      items={[
                        {
                          value: 'ALL',
                          label: 'All AWS services (Recommended)',
                          description: 'Track every cost in this account.',
                        },
                        {
                          value: 'FILTERED',
                          label: 'Filter specific AWS cost dimensions',
                          description: 'Track only the services, accounts, Regions, usage types or tag you choose.',
                        },
                      ]}
                    />
                  </FormField>
                  {draft.scoped && (
                    <ColumnLayout columns={2}>
                      {FILTERS.map((filter) => (
                        <FilterField
                          key={filter.key}
                          filter={filter}
                          draft={draft}
                          onChange={(values) => set({ filters: { ...draft.filters, [filter.key]: values } })}
                        />
                      ))}
                      <FormField label="Tag key">
                        <Input value={draft.tagKey} onChange={(e) => set({ tagKey: e.detail.value })} />
                      </FormField>
                      <FormField label="Tag values" constraintText="Separated by commas.">
                        <Input value={draft.tagValues} onChange={(e) => set({ tagValues: e.detail.value })} />
                      </FormField>
                    </ColumnLayout>
                  )}
                </SpaceBetween>
              </Container>
            </SpaceBetween>
          ),
        },
        {
          title: 'Configure alerts',
          isOptional: true,
          content: (
            <SpaceBetween size="l">
              {draft.alerts.length === 0 && (
                <Container>
                  <Box color="text-status-inactive">No alerts. Add one to be emailed when a threshold is crossed.</Box>
                </Container>
              )}
              {draft.alerts.map((alert, index) => (
                <AlertEditor
                  key={index}
                  index={index}
                  alert={alert}
                  errors={shown.has(2) ? found.alerts[index] : undefined}
                  daily={draft.period === 'DAILY'}
                  unitLabel={unitLabel}
                  onChange={(change) => setAlert(index, change)}
                  onRemove={() => set({ alerts: draft.alerts.filter((_, i) => i !== index) })}
                />
              ))}
              <Box>
                <Button
                  iconName="add-plus"
                  disabled={draft.alerts.length >= MAX_ALERTS}
                  onClick={() => set({ alerts: [...draft.alerts, newAlert()] })}
                >
                  Add an alert threshold
                </Button>
                <Box variant="small" display="block" color="text-body-secondary">
                  Up to {MAX_ALERTS} alerts per budget.
                </Box>
              </Box>
            </SpaceBetween>
          ),
        },
        {
          title: editing ? 'Review and save' : 'Review and create',
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Budget</Header>}>
                <KeyValuePairs
                  columns={3}
                  items={[
                    { label: 'Budget type', value: draft.type === 'COST' ? 'Cost budget' : 'Usage budget' },
                    { label: 'Budget name', value: budget.BudgetName },
                    {
                      label: 'Period',
                      value: describePeriod(budget),
                    },
                    {
                      label: 'Budgeted amount',
                      value:
                        draft.type === 'COST'
                          ? formatMoney(draft.amount.trim())
                          : `${draft.amount.trim()} ${draft.unit.trim()}`,
                    },
                    { label: 'Scope', value: describeScope(budget) },
                  ]}
                />
              </Container>
              <Table
                header={
                  <Header variant="h2" counter={`(${alerts.length})`}>
                    Alerts
                  </Header>
                }
                items={alerts}
                empty={<Box color="text-status-inactive">No alerts</Box>}
                columnDefinitions={[
                  {
                    id: 'threshold',
                    header: 'Threshold',
                    cell: ({ Notification: n }) =>
                      describeAlert(n.NotificationType, n.Threshold, n.ThresholdType, budget.BudgetLimit),
                  },
                  {
                    id: 'recipients',
                    header: 'Email recipients',
                    cell: (a) => a.Subscribers.map((s) => s.Address).join(', '),
                  },
                ]}
              />
            </SpaceBetween>
          ),
        },
      ]}
    />
  );
}

export function BudgetCreatePage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Create budget</Header>
      <PageGate page="budgets">
        <BudgetWizard initial={EMPTY} />
      </PageGate>
    </SpaceBetween>
  );
}

function BudgetEditor({ name }: { name: string }) {
  const identity = useIdentity();
  const loaded = useAsync(async () => {
    const [budget, alerts] = await Promise.all([
      budgetsApi.describeBudget(identity.accountId, name),
      budgetsApi.describeAlerts(identity.accountId, name),
    ]);
    return { budget, alerts };
  }, [identity.accountId, name]);
  if (loaded.error !== undefined) return <ErrorAlert error={loaded.error} />;
  if (loaded.data === undefined) return <Loading label="Loading the budget" />;
  return <BudgetWizard initial={draftOf(loaded.data.budget, loaded.data.alerts)} existing={loaded.data} />;
}

export function BudgetEditPage({ name }: { name: string }) {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Edit budget {name}</Header>
      <PageGate page="budgets">
        <BudgetEditor name={name} />
      </PageGate>
    </SpaceBetween>
  );
}
