import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { CARD_BRAND_NAMES, PAYMENT_CURRENCIES } from '../../../../src/contracts/payments';
import {
  paymentsApi,
  type NewPaymentInstrument,
  type PaymentInstrument,
  type PaymentPreferences,
} from '../../client/operations';
import { ConfirmModal } from '../../components/confirm-modal';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const BRAND_OPTIONS: SelectProps.Option[] = Object.entries(CARD_BRAND_NAMES).map(([value, label]) => ({
  value,
  label,
}));

const currencyNames = new Intl.DisplayNames(undefined, { type: 'currency' });
const currencyLabel = (code: string) => `${code} - ${currencyNames.of(code) ?? code}`;
const CURRENCY_OPTIONS: SelectProps.Option[] = PAYMENT_CURRENCIES.map((code) => ({
  value: code,
  label: currencyLabel(code),
}));

const MONTH_OPTIONS: SelectProps.Option[] = Array.from({ length: 12 }, (_, i) => ({
  value: String(i + 1),
  label: `${String(i + 1).padStart(2, '0')} - ${new Date(2000, i, 1).toLocaleString(undefined, { month: 'long' })}`,
}));

const brandName = (brand: string) => (CARD_BRAND_NAMES as Record<string, string>)[brand] ?? brand;
const expiry = (card: PaymentInstrument) => `${String(card.ExpiryMonth).padStart(2, '0')}/${card.ExpiryYear}`;
const describe = (card: PaymentInstrument) => `${brandName(card.Brand)} ending in ${card.LastFourDigits}`;

interface CardDraft {
  brand: SelectProps.Option | null;
  lastFour: string;
  month: SelectProps.Option | null;
  year: string;
  name: string;
  makeDefault: boolean;
}
const EMPTY_DRAFT: CardDraft = { brand: null, lastFour: '', month: null, year: '', name: '', makeDefault: false };

/** Only what a display record needs; a full card number is never asked for (and the server refuses one). */
function AddPaymentMethodForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const notify = useNotify();
  const [draft, setDraft] = useState<CardDraft>(EMPTY_DRAFT);
  const { busy, submit } = useSubmit();
  const [submitted, setSubmitted] = useState(false);
  const set = (change: Partial<CardDraft>) => setDraft({ ...draft, ...change });
  const errors = {
    brand: draft.brand === null ? 'Choose the card brand.' : undefined,
    lastFour: /^\d{4}$/.test(draft.lastFour) ? undefined : 'Enter exactly the last four digits of the card.',
    month: draft.month === null ? 'Choose the expiry month.' : undefined,
    year: /^\d{4}$/.test(draft.year) ? undefined : 'Enter the four-digit expiry year.',
    name: draft.name.trim() === '' ? 'Enter the name on the card.' : undefined,
  };
  const shown = (message: string | undefined) => (submitted ? message : undefined);

  const add = async () => {
    setSubmitted(true);
    if (Object.values(errors).some((e) => e !== undefined)) return;
    const input: NewPaymentInstrument = {
      Brand: draft.brand!.value!,
      LastFourDigits: draft.lastFour,
      ExpiryMonth: Number(draft.month!.value),
      ExpiryYear: Number(draft.year),
      CardholderName: draft.name.trim(),
      ...(draft.makeDefault ? { Default: true } : {}),
    };
    await submit(async () => {
      const card = await paymentsApi.createPaymentInstrument(input);
      notify.success(`${describe(card)} was added.`);
      onDone();
    });
  };

  return (
    <Container header={<Header variant="h2">Add payment method</Header>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onCancel}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy}>
                Add payment method
              </Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <ColumnLayout columns={2}>
              <FormField label="Card brand" errorText={shown(errors.brand)}>
                <Select
                  selectedOption={draft.brand}
                  onChange={(e) => set({ brand: e.detail.selectedOption })}
                  options={BRAND_OPTIONS}
                  placeholder="Choose a brand"
                  ariaLabel="Card brand"
                />
              </FormField>
              <FormField
                label="Last four digits"
                description="Only the last four digits; the full card number is never stored."
                errorText={shown(errors.lastFour)}
              >
                <Input
                  value={draft.lastFour}
                  onChange={(e) => set({ lastFour: e.detail.value.replace(/\D/g, '').slice(0, 4) })}
                  inputMode="numeric"
                  placeholder="1234"
                  ariaLabel="Last four digits"
                />
              </FormField>
              <FormField label="Expiry month" errorText={shown(errors.month)}>
                <Select
                  selectedOption={draft.month}
                  onChange={(e) => set({ month: e.detail.selectedOption })}
                  options={MONTH_OPTIONS}
                  placeholder="Month"
                  ariaLabel="Expiry month"
                />
              </FormField>
              <FormField label="Expiry year" errorText={shown(errors.year)}>
                <Input
                  value={draft.year}
                  onChange={(e) => set({ year: e.detail.value.replace(/\D/g, '').slice(0, 4) })}
                  inputMode="numeric"
                  placeholder="YYYY"
                  ariaLabel="Expiry year"
                />
              </FormField>
              <FormField label="Name on card" errorText={shown(errors.name)}>
                <Input
                  value={draft.name}
                  onChange={(e) => set({ name: e.detail.value })}
                  autoComplete="cc-name"
                  ariaLabel="Name on card"
                />
              </FormField>
            </ColumnLayout>
            <Checkbox checked={draft.makeDefault} onChange={(e) => set({ makeDefault: e.detail.checked })}>
              Make this my default payment method
            </Checkbox>
          </SpaceBetween>
        </Form>
      </form>
    </Container>
  );
}

function PaymentMethodsSection() {
  const notify = useNotify();
  const cards = useAsync(paymentsApi.listPaymentInstruments, []);
  const [selected, setSelected] = useState<PaymentInstrument[]>([]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PaymentInstrument | null>(null);
  const { busy, submit } = useSubmit();
  const card = selected[0];

  // The confirmation closes either way, so a refusal's flash message is not hidden behind it.
  const run = async (action: () => Promise<unknown>, done: string) => {
    await submit(async () => {
      await action();
      notify.success(done);
      setSelected([]);
      cards.reload();
    });
    setRemoving(null);
  };

  if (cards.error) return <ErrorAlert error={cards.error} />;
  return (
    <SpaceBetween size="l">
      <ResourceTable<PaymentInstrument>
        title="Payment methods"
        description="The cards on file for this account. Only the brand, last four digits, expiry and name are kept."
        headerVariant="h2"
        items={cards.data ?? []}
        loading={cards.loading}
        resourceName="payment method"
        filterPlaceholder="Find payment methods"
        trackBy="PaymentInstrumentId"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={setSelected}
        onRefresh={cards.reload}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              disabled={card === undefined || card.Default}
              loading={busy && removing === null}
              onClick={() =>
                card &&
                void run(
                  () => paymentsApi.makeDefault(card.PaymentInstrumentId),
                  `${describe(card)} is now the default.`,
                )
              }
            >
              Make default
            </Button>
            <Button disabled={card === undefined} onClick={() => card && setRemoving(card)}>
              Remove
            </Button>
            <Button variant="primary" onClick={() => setAdding(true)} disabled={adding}>
              Add payment method
            </Button>
          </SpaceBetween>
        }
        columns={[
          { id: 'brand', header: 'Brand', cell: (c) => brandName(c.Brand), sortingField: 'Brand' },
          { id: 'last-four', header: 'Card number', cell: (c) => `•••• ${c.LastFourDigits}` },
          { id: 'expiry', header: 'Expires', cell: expiry },
          { id: 'name', header: 'Cardholder name', cell: (c) => c.CardholderName, sortingField: 'CardholderName' },
          {
            id: 'default',
            header: 'Default',
            cell: (c) => (c.Default ? <StatusIndicator type="success">Default</StatusIndicator> : '-'),
          },
        ]}
      />
      {adding && (
        <AddPaymentMethodForm
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            cards.reload();
          }}
        />
      )}
      <ConfirmModal
        visible={removing !== null}
        header="Remove payment method"
        action="Remove"
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          void run(
            () => paymentsApi.deletePaymentInstrument(removing.PaymentInstrumentId),
            `${describe(removing)} was removed.`,
          )
        }
      >
        {removing && (
          <>
            Remove <b>{describe(removing)}</b> (expires {expiry(removing)}) from this account?
          </>
        )}
      </ConfirmModal>
    </SpaceBetween>
  );
}

function PaymentPreferencesSection() {
  const notify = useNotify();
  const prefs = useAsync(paymentsApi.listPaymentPreferences, []);
  const [draft, setDraft] = useState<PaymentPreferences | null>(null);
  const { busy, submit } = useSubmit();

  const save = () =>
    submit(async () => {
      await paymentsApi.updatePaymentPreferences({
        Currency: draft!.Currency,
        InvoiceEmail: draft!.InvoiceEmail?.trim() ? draft!.InvoiceEmail.trim() : null,
      });
      notify.success('Your payment preferences have been saved.');
      setDraft(null);
      prefs.reload();
    });

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="The currency you pay in and where invoices are sent."
          actions={
            draft === null &&
            prefs.data !== undefined && (
              <Button ariaLabel="Edit payment preferences" onClick={() => setDraft({ ...prefs.data! })}>
                Edit
              </Button>
            )
          }
        >
          Default payment preferences
        </Header>
      }
    >
      {prefs.loading && draft === null ? (
        <Loading />
      ) : prefs.error ? (
        <ErrorAlert error={prefs.error} />
      ) : draft !== null ? (
        <SpaceBetween size="m">
          <ColumnLayout columns={2}>
            <FormField label="Payment currency">
              <Select
                selectedOption={{ value: draft.Currency, label: currencyLabel(draft.Currency) }}
                onChange={(e) => setDraft({ ...draft, Currency: e.detail.selectedOption.value ?? 'USD' })}
                options={CURRENCY_OPTIONS}
                filteringType="auto"
                ariaLabel="Payment currency"
              />
            </FormField>
            <FormField label="Invoice email" description="Leave empty to use the account's email address.">
              <Input
                value={draft.InvoiceEmail ?? ''}
                onChange={(e) => setDraft({ ...draft, InvoiceEmail: e.detail.value })}
                type="email"
                ariaLabel="Invoice email"
              />
            </FormField>
          </ColumnLayout>
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => setDraft(null)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void save()}>
              Save
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      ) : (
        <ColumnLayout columns={2} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Payment currency</Box>
            <div data-testid="payment-currency">{currencyLabel(prefs.data?.Currency ?? 'USD')}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Invoice email</Box>
            <div data-testid="invoice-email">{prefs.data?.InvoiceEmail ?? "The account's email address"}</div>
          </div>
        </ColumnLayout>
      )}
    </Container>
  );
}

export function PaymentPreferencesPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Payment preferences</Header>
      <PageGate page="payment-preferences">
        <SpaceBetween size="l">
          <PaymentMethodsSection />
          <PaymentPreferencesSection />
        </SpaceBetween>
      </PageGate>
    </SpaceBetween>
  );
}
