import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Wizard from '@cloudscape-design/components/wizard';
import { useState } from 'react';
import { billingApi } from '../../client/operations';
import { formatMoney } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { navigate } from '../../router';
import { useIdentity } from '../../session';

type Trigger = 'ACTUAL' | 'FORECASTED';

interface Draft {
  name: string;
  amount: string;
  alert: boolean;
  threshold: string;
  trigger: Trigger;
  email: string;
}

const TRIGGERS: Record<Trigger, string> = { ACTUAL: 'Actual', FORECASTED: 'Forecasted' };

/** Each step's problems, by field; the wizard only moves on from a step without any. */
function problems(draft: Draft): Record<'name' | 'amount' | 'threshold' | 'email', string | undefined> {
  const name = draft.name.trim();
  return {
    name:
      name === ''
        ? 'Enter a budget name.'
        : name.length > 100 || /[:\\]/.test(name)
          ? "The name must be 1-100 characters and may not contain ':' or '\\'."
          : undefined,
    amount:
      /^\d+(\.\d{1,2})?$/.test(draft.amount.trim()) && Number(draft.amount) > 0
        ? undefined
        : 'Enter an amount greater than zero, in dollars (for example 100 or 99.50).',
    threshold:
      !draft.alert || (/^\d+(\.\d+)?$/.test(draft.threshold.trim()) && Number(draft.threshold) > 0)
        ? undefined
        : 'Enter a percentage greater than zero.',
    email: !draft.alert || /^[^\s@]+@[^\s@]+$/.test(draft.email.trim()) ? undefined : 'Enter a valid email address.',
  };
}

function BudgetWizard() {
  const identity = useIdentity();
  const notify = useNotify();
  const [step, setStep] = useState(0);
  const [shown, setShown] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<Draft>({
    name: '',
    amount: '',
    alert: true,
    threshold: '80',
    trigger: 'ACTUAL',
    email: '',
  });
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const found = problems(draft);
  const stepFields: (keyof typeof found)[][] = [[], ['name', 'amount'], ['threshold', 'email'], []];
  // A field's error shows once its step has been submitted, not while the user is still typing it in.
  const errorOf = (field: keyof typeof found, ofStep: number) => (shown.has(ofStep) ? found[field] : undefined);

  const create = async () => {
    setBusy(true);
    try {
      await billingApi.createBudget(identity.accountId, {
        BudgetName: draft.name.trim(),
        Amount: draft.amount.trim(),
        ...(draft.alert
          ? {
              Alert: {
                Threshold: Number(draft.threshold),
                NotificationType: draft.trigger,
                Email: draft.email.trim(),
              },
            }
          : {}),
      });
      notify.success(`Budget ${draft.name.trim()} created.`, undefined, true);
      navigate('/billing/budgets');
    } catch (e) {
      notify.error(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Wizard
      activeStepIndex={step}
      isLoadingNextStep={busy}
      onNavigate={({ detail }) => {
        if (detail.requestedStepIndex > step) {
          setShown((s) => new Set(s).add(step));
          if ((stepFields[step] ?? []).some((field) => found[field] !== undefined)) return;
        }
        setStep(detail.requestedStepIndex);
      }}
      onCancel={() => navigate('/billing/budgets')}
      onSubmit={() => void create()}
      submitButtonText="Create budget"
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
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
              <RadioGroup
                value="COST"
                ariaLabel="Budget type"
                items={[
                  {
                    value: 'COST',
                    label: 'Cost budget',
                    description:
                      'Monitor your costs against a specified dollar amount and receive alerts when your user-defined thresholds are met.',
                  },
                ]}
              />
            </Container>
          ),
        },
        {
          title: 'Set your budget',
          content: (
            <Container header={<Header variant="h2">Details</Header>}>
              <SpaceBetween size="l">
                <FormField
                  label="Budget name"
                  description="Provide a descriptive name for this budget."
                  constraintText="Up to 100 characters; not ':' or '\'."
                  errorText={errorOf('name', 1)}
                >
                  <Input value={draft.name} onChange={(e) => set({ name: e.detail.value })} ariaRequired />
                </FormField>
                <FormField label="Period" description="Budgets reset at the start of each period.">
                  <Select
                    selectedOption={{ value: 'MONTHLY', label: 'Monthly' }}
                    options={[{ value: 'MONTHLY', label: 'Monthly' }]}
                    disabled
                  />
                </FormField>
                <FormField
                  label="Budgeted amount ($)"
                  description="The monthly amount you plan to spend, in US dollars."
                  errorText={errorOf('amount', 1)}
                >
                  <Input
                    value={draft.amount}
                    onChange={(e) => set({ amount: e.detail.value })}
                    inputMode="decimal"
                    placeholder="100.00"
                    ariaRequired
                  />
                </FormField>
              </SpaceBetween>
            </Container>
          ),
        },
        {
          title: 'Configure alerts',
          content: (
            <Container header={<Header variant="h2">Alert threshold</Header>}>
              <SpaceBetween size="l">
                <Checkbox checked={draft.alert} onChange={(e) => set({ alert: e.detail.checked })}>
                  Send an email alert for this budget
                </Checkbox>
                {draft.alert && (
                  <>
                    <FormField
                      label="Threshold (% of budgeted amount)"
                      description="Alert when costs are greater than this percentage of the budgeted amount."
                      errorText={errorOf('threshold', 2)}
                    >
                      <Input
                        value={draft.threshold}
                        onChange={(e) => set({ threshold: e.detail.value })}
                        inputMode="decimal"
                      />
                    </FormField>
                    <FormField label="Trigger">
                      <RadioGroup
                        value={draft.trigger}
                        onChange={(e) => set({ trigger: e.detail.value as Trigger })}
                        ariaLabel="Trigger"
                        items={[
                          { value: 'ACTUAL', label: 'Actual', description: 'Costs already incurred.' },
                          { value: 'FORECASTED', label: 'Forecasted', description: 'Costs forecast for the month.' },
                        ]}
                      />
                    </FormField>
                    <FormField label="Email recipient" errorText={errorOf('email', 2)}>
                      <Input
                        value={draft.email}
                        onChange={(e) => set({ email: e.detail.value })}
                        type="email"
                        placeholder="name@example.com"
                      />
                    </FormField>
                  </>
                )}
              </SpaceBetween>
            </Container>
          ),
        },
        {
          title: 'Review and create',
          content: (
            <Container header={<Header variant="h2">Budget</Header>}>
              <KeyValuePairs
                columns={3}
                items={[
                  { label: 'Budget type', value: 'Cost budget' },
                  { label: 'Budget name', value: draft.name.trim() },
                  { label: 'Period', value: 'Monthly' },
                  { label: 'Budgeted amount', value: formatMoney(draft.amount.trim()) },
                  {
                    label: 'Alert',
                    value: draft.alert ? (
                      `${TRIGGERS[draft.trigger]} costs > ${draft.threshold}% (${formatMoney(
                        ((Number(draft.amount) * Number(draft.threshold)) / 100).toFixed(2),
                      )})`
                    ) : (
                      <Box color="text-status-inactive">No alert</Box>
                    ),
                  },
                  { label: 'Email recipient', value: draft.alert ? draft.email.trim() : '-' },
                ]}
              />
            </Container>
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
        <BudgetWizard />
      </PageGate>
    </SpaceBetween>
  );
}
