import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { REGISTRATION_TYPES } from '../../../../src/contracts/payments';
import type { TaxRegistrationType } from '../../../../src/contracts/wire/tax';
import {
  taxApi,
  type ListedTaxRegistration,
  type TaxAddress,
  type TaxRegistrationEntry,
} from '../../client/operations';
import { ConfirmModal } from '../../components/confirm-modal';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { useIdentity } from '../../session';

const EMPTY_ENTRY: TaxRegistrationEntry = {
  registrationId: '',
  registrationType: 'VAT',
  legalName: '',
  legalAddress: { addressLine1: '', city: '', postalCode: '', countryCode: '' },
};

const ADDRESS_FIELDS: Array<[keyof TaxAddress, string, boolean]> = [
  ['addressLine1', 'Address line 1', true],
  ['addressLine2', 'Address line 2', false],
  ['city', 'City', true],
  ['stateOrRegion', 'State or region', false],
  ['postalCode', 'Postal code', true],
  ['countryCode', 'Country code', true],
];

const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });
function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const formatJurisdiction = ({
  countryCode,
  stateOrRegion,
}: ListedTaxRegistration['taxRegistration']['jurisdiction']) =>
  stateOrRegion === undefined ? countryName(countryCode) : `${stateOrRegion}, ${countryName(countryCode)}`;

/** Drops empty optional fields, so the server sees only what was entered. */
function cleaned(entry: TaxRegistrationEntry): TaxRegistrationEntry {
  const legalAddress = Object.fromEntries(
    Object.entries(entry.legalAddress).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as unknown as TaxAddress;
  return {
    registrationId: entry.registrationId.trim(),
    registrationType: entry.registrationType,
    legalName: entry.legalName.trim(),
    legalAddress: { ...legalAddress, countryCode: entry.legalAddress.countryCode.trim().toUpperCase() },
  };
}

function TaxRegistrationForm({
  accountId,
  initial,
  onDone,
  onCancel,
}: {
  accountId: string;
  initial: TaxRegistrationEntry;
  onDone: () => void;
  onCancel: () => void;
}) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [entry, setEntry] = useState<TaxRegistrationEntry>(initial);
  const editing = initial.registrationId !== '';
  const setAddress = (change: Partial<TaxAddress>) =>
    setEntry({ ...entry, legalAddress: { ...entry.legalAddress, ...change } });

  const save = () =>
    submit(async () => {
      await taxApi.putTaxRegistration(accountId, cleaned(entry));
      notify.success(editing ? 'Your tax registration was updated.' : 'Your tax registration was added.');
      onDone();
    });

  return (
    <Container header={<Header variant="h2">{editing ? 'Edit tax registration' : 'Add tax registration'}</Header>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onCancel}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy}>
                {editing ? 'Update' : 'Add'}
              </Button>
            </SpaceBetween>
          }
        >
          <ColumnLayout columns={2}>
            <FormField label="Registration type">
              <Select
                selectedOption={{ value: entry.registrationType, label: entry.registrationType }}
                onChange={(e) =>
                  setEntry({
                    ...entry,
                    registrationType: (e.detail.selectedOption.value ?? 'VAT') as TaxRegistrationType,
                  })
                }
                options={REGISTRATION_TYPES.map((t) => ({ value: t, label: t }))}
                ariaLabel="Registration type"
              />
            </FormField>
            <FormField label="Tax registration number">
              <Input
                value={entry.registrationId}
                onChange={(e) => setEntry({ ...entry, registrationId: e.detail.value })}
                ariaLabel="Tax registration number"
              />
            </FormField>
            <FormField label="Business legal name">
              <Input
                value={entry.legalName}
                onChange={(e) => setEntry({ ...entry, legalName: e.detail.value })}
                ariaLabel="Business legal name"
              />
            </FormField>
            {ADDRESS_FIELDS.map(([key, label, required]) => (
              <FormField
                key={key}
                label={label}
                description={key === 'countryCode' ? 'Two-letter ISO code, for example DE.' : undefined}
                constraintText={required ? undefined : 'Optional'}
              >
                <Input
                  value={entry.legalAddress[key] ?? ''}
                  onChange={(e) => setAddress({ [key]: e.detail.value })}
                  ariaLabel={label}
                />
              </FormField>
            ))}
          </ColumnLayout>
        </Form>
      </form>
    </Container>
  );
}

function TaxRegistrations() {
  const notify = useNotify();
  const { accountId: ownAccount } = useIdentity();
  const registrations = useAsync(taxApi.listTaxRegistrations, []);
  const [selected, setSelected] = useState<ListedTaxRegistration[]>([]);
  const [form, setForm] = useState<{ accountId: string; entry: TaxRegistrationEntry } | null>(null);
  const [deleting, setDeleting] = useState(false);
  const { busy, submit } = useSubmit();
  const rows = registrations.data ?? [];
  const row = selected[0];

  const remove = async (accountId: string) => {
    await submit(async () => {
      await taxApi.deleteTaxRegistration(accountId);
      notify.success('Your tax registration was deleted.');
      setSelected([]);
      registrations.reload();
    });
    setDeleting(false);
  };

  // The list names only the jurisdiction; editing starts from the full registration.
  const edit = (accountId: string) =>
    submit(async () => {
      const { registrationId, registrationType, legalName, legalAddress } = await taxApi.getTaxRegistration(accountId);
      setForm({ accountId, entry: { registrationId, registrationType, legalName, legalAddress } });
    });

  if (registrations.error) return <ErrorAlert error={registrations.error} />;
  return (
    <SpaceBetween size="l">
      <ResourceTable<ListedTaxRegistration>
        title="Tax registrations"
        description="The tax registration number and legal address that appear on this account's invoices."
        headerVariant="h2"
        items={rows}
        loading={registrations.loading}
        resourceName="tax registration"
        filterPlaceholder="Find tax registrations"
        trackBy="accountId"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button disabled={row === undefined} onClick={() => row && setDeleting(true)}>
              Delete
            </Button>
            <Button disabled={row === undefined || form !== null} onClick={() => row && void edit(row.accountId)}>
              Edit
            </Button>
            {/* One registration per account: a second Add would replace it, so Add is for an account with none. */}
            <Button
              variant="primary"
              disabled={registrations.loading || rows.some((r) => r.accountId === ownAccount) || form !== null}
              onClick={() => setForm({ accountId: ownAccount, entry: EMPTY_ENTRY })}
            >
              Add tax registration
            </Button>
          </SpaceBetween>
        }
        columns={[
          { id: 'account', header: 'Account ID', cell: (r) => r.accountId },
          { id: 'type', header: 'Type', cell: (r) => r.taxRegistration.registrationType },
          { id: 'number', header: 'Tax registration number', cell: (r) => r.taxRegistration.registrationId },
          { id: 'name', header: 'Business legal name', cell: (r) => r.taxRegistration.legalName },
          {
            id: 'jurisdiction',
            header: 'Jurisdiction',
            cell: (r) => formatJurisdiction(r.taxRegistration.jurisdiction),
          },
          {
            id: 'status',
            header: 'Status',
            cell: (r) => <StatusIndicator type="success">{r.taxRegistration.status}</StatusIndicator>,
          },
        ]}
      />
      {form !== null && (
        <TaxRegistrationForm
          accountId={form.accountId}
          initial={form.entry}
          onCancel={() => setForm(null)}
          onDone={() => {
            setForm(null);
            setSelected([]);
            registrations.reload();
          }}
        />
      )}
      <ConfirmModal
        visible={deleting}
        header="Delete tax registration"
        action="Delete"
        busy={busy}
        onCancel={() => setDeleting(false)}
        onConfirm={() => row && void remove(row.accountId)}
      >
        {row && (
          <>
            Delete the {row.taxRegistration.registrationType} registration <b>{row.taxRegistration.registrationId}</b>{' '}
            of account {row.accountId}?
          </>
        )}
      </ConfirmModal>
    </SpaceBetween>
  );
}

export function TaxSettingsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Tax settings</Header>
      <PageGate page="tax-settings">
        <TaxRegistrations />
      </PageGate>
    </SpaceBetween>
  );
}
