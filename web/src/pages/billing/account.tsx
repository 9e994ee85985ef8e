import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import Link from '@cloudscape-design/components/link';
import Table from '@cloudscape-design/components/table';
import { accessApi, billingApi, type ContactInformation } from '../../client/operations';
import { AccessChangePreview } from '../../components/access-change-preview';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref } from '../../router';
import { useIdentity } from '../../session';

/** The IAM-access switch; `onChanged` after it is saved (who has access changes with it). */
function IamAccessSection({ onChanged }: { onChanged: () => void }) {
  const notify = useNotify();
  const access = useAsync(billingApi.getIamAccess, []);
  const [editing, setEditing] = useState(false);
  const [activate, setActivate] = useState(false);
  const { busy, submit } = useSubmit();
  if (access.loading) return <Loading />;
  if (access.error) return <ErrorAlert error={access.error} />;
  const on = access.data?.IamUserAccessToBilling === 'ALLOW';

  const update = () =>
    submit(async () => {
      await billingApi.updateIamAccess(activate);
      notify.success(
        activate
          ? 'IAM user/role access to billing information is activated.'
          : 'IAM user/role access to billing information is deactivated.',
      );
      setEditing(false);
      access.reload();
      onChanged();
    });

  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            !editing && (
              <Button
                onClick={() => {
                  setActivate(on);
                  setEditing(true);
                }}
                ariaLabel="Edit IAM User and Role Access to Billing Information"
              >
                Edit
              </Button>
            )
          }
          description="You can give IAM users and federated users with roles permissions to access billing information. This includes access to Account Settings, Payment Methods, and Report pages. You control which users and roles can see billing information by creating IAM policies."
        >
          IAM User and Role Access to Billing Information
        </Header>
      }
    >
      {editing ? (
        <SpaceBetween size="m">
          <Checkbox checked={activate} onChange={(e) => setActivate(e.detail.checked)}>
            Activate IAM Access
          </Checkbox>
          <AccessChangePreview
            pages
            changes={activate === on ? [] : [{ Type: 'SetIamAccessToBilling', IamAccessToBilling: activate }]}
          />
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => setEditing(false)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void update()}>
              Update
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      ) : (
        <StatusIndicator type={on ? 'success' : 'stopped'}>
          {on
            ? 'IAM user/role access to billing information is activated.'
            : 'IAM user/role access to billing information is deactivated.'}
        </StatusIndicator>
      )}
    </Container>
  );
}

const CONTACT_FIELDS: Array<[keyof ContactInformation, string]> = [
  ['FullName', 'Full name'],
  ['CompanyName', 'Company name'],
  ['AddressLine1', 'Address'],
  ['City', 'City'],
  ['StateOrRegion', 'State or region'],
  ['PostalCode', 'Postal code'],
  ['CountryCode', 'Country code'],
  ['PhoneNumber', 'Phone number'],
];

const EMPTY_CONTACT: ContactInformation = {
  FullName: '',
  AddressLine1: '',
  City: '',
  PostalCode: '',
  CountryCode: '',
  PhoneNumber: '',
};

function ContactSection() {
  const notify = useNotify();
  const contact = useAsync(billingApi.getContactInformation, []);
  const [draft, setDraft] = useState<ContactInformation | null>(null);
  const { busy, submit } = useSubmit();
  const missing = contact.error?.status === 404;
  const save = () =>
    submit(async () => {
      const cleaned = Object.fromEntries(
        Object.entries(draft!).filter(([, v]) => v !== ''),
      ) as unknown as ContactInformation;
      await billingApi.putContactInformation(cleaned);
      notify.success('Contact information updated.');
      setDraft(null);
      contact.reload();
    });
  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            draft === null && (
              <Button
                ariaLabel="Edit contact information"
                onClick={() => setDraft({ ...EMPTY_CONTACT, ...(contact.data ?? {}) })}
              >
                Edit
              </Button>
            )
          }
        >
          Contact information
        </Header>
      }
    >
      {draft !== null ? (
        <SpaceBetween size="m">
          <ColumnLayout columns={2}>
            {CONTACT_FIELDS.map(([key, label]) => (
              <FormField key={key} label={label}>
                <Input
                  value={draft[key] ?? ''}
                  onChange={(e) => setDraft({ ...draft, [key]: e.detail.value })}
                  ariaLabel={label}
                />
              </FormField>
            ))}
          </ColumnLayout>
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => setDraft(null)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void save()}>
              Update
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      ) : contact.loading ? (
        <Loading />
      ) : missing ? (
        <Box color="text-body-secondary">No contact information yet.</Box>
      ) : contact.error ? (
        <ErrorAlert error={contact.error} />
      ) : (
        <ColumnLayout columns={3} variant="text-grid">
          {CONTACT_FIELDS.filter(([key]) => contact.data?.[key]).map(([key, label]) => (
            <div key={key}>
              <Box variant="awsui-key-label">{label}</Box>
              <div>{contact.data?.[key]}</div>
            </div>
          ))}
        </ColumnLayout>
      )}
    </Container>
  );
}

/** AWS's migration switch between the existing (aws-portal) and the fine-grained Billing console actions. */
function ActionSetSection({ onChanged }: { onChanged: () => void }) {
  const notify = useNotify();
  const current = useAsync(billingApi.getConsoleActionSet, []);
  const [editing, setEditing] = useState(false);
  const [choice, setChoice] = useState<'EXISTING' | 'FINE_GRAINED'>('EXISTING');
  const { busy, submit } = useSubmit();
  const label = (set: string | undefined) =>
    set === 'FINE_GRAINED' ? 'Fine-grained actions' : 'Existing actions (aws-portal)';
  const update = () =>
    submit(async () => {
      await billingApi.updateConsoleActionSet(choice);
      notify.success(`The Billing console now uses ${label(choice).toLowerCase()}.`);
      setEditing(false);
      current.reload();
      onChanged();
    });
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Which IAM actions control access to the Billing, Cost Management and Account console pages."
          actions={
            !editing &&
            current.data !== undefined && (
              <Button
                ariaLabel="Edit IAM actions for Billing console access"
                onClick={() => {
                  setChoice(current.data!.ConsoleActionSet);
                  setEditing(true);
                }}
              >
                Edit
              </Button>
            )
          }
        >
          IAM actions for Billing console access
        </Header>
      }
    >
      {current.loading ? (
        <Loading />
      ) : current.error ? (
        <ErrorAlert error={current.error} />
      ) : editing ? (
        <SpaceBetween size="m">
          <RadioGroup
            value={choice}
            onChange={(e) => setChoice(e.detail.value as 'EXISTING' | 'FINE_GRAINED')}
            items={[
              { value: 'EXISTING', label: label('EXISTING'), description: 'ViewBilling, ModifyBilling, ViewAccount…' },
              {
                value: 'FINE_GRAINED',
                label: label('FINE_GRAINED'),
                description: 'billing:, ce:, payments:, account:… actions',
              },
            ]}
            ariaLabel="Console action set"
          />
          <AccessChangePreview
            pages
            changes={
              choice === current.data?.ConsoleActionSet
                ? []
                : [
                    {
                      Type: 'SetConsoleActionSet',
                      ConsoleActionSet: choice === 'FINE_GRAINED' ? 'fine-grained' : 'existing',
                    },
                  ]
            }
          />
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => setEditing(false)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void update()}>
              Update
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      ) : (
        <Box>{label(current.data?.ConsoleActionSet)}</Box>
      )}
    </Container>
  );
}

/**
 * Who has access: the principals who can open at least one Billing console page, with the pages they can open
 * and the buttons they can use (the access matrix, as on IAM's Access page).
 */
function WhoHasAccessSection({ settingsSaved }: { settingsSaved: number }) {
  const matrix = useAsync(() => accessApi.matrix({ Pages: 'billing' }), [settingsSaved]);
  const columns = matrix.data?.Columns ?? [];
  const rows = (matrix.data?.Principals ?? [])
    .map((p) => ({
      ...p,
      pages: columns.filter((c, i) => c.Kind === 'page' && p.Decisions[i] !== 'denied').map((c) => c.Label ?? ''),
      buttons: columns.filter((c, i) => c.Kind === 'button' && p.Decisions[i] !== 'denied').length,
    }))
    .filter((p) => p.pages.length > 0);
  return (
    <Table
      header={
        <Header
          variant="h2"
          counter={matrix.data === undefined ? undefined : `(${rows.length})`}
          description="The users, roles and root user who can open Billing console pages, after the IAM-access switch and their policies."
          actions={
            <Link href="#/iam/access" onFollow={followHref}>
              Open the access matrix
            </Link>
          }
        >
          Who has access
        </Header>
      }
      loading={matrix.loading}
      loadingText="Evaluating every principal"
      items={rows}
      trackBy="Arn"
      wrapLines
      ariaLabels={{ tableLabel: 'Who has access' }}
      empty={
        matrix.error ? (
          <ErrorAlert error={matrix.error} />
        ) : (
          <Box textAlign="center">No principal can open a Billing console page.</Box>
        )
      }
      columnDefinitions={[
        { id: 'name', header: 'Principal', cell: (p) => p.Name },
        { id: 'type', header: 'Type', cell: (p) => p.PrincipalType },
        {
          id: 'pages',
          header: 'Pages',
          cell: (p) => `${p.pages.length} of ${columns.filter((c) => c.Kind === 'page').length}`,
        },
        { id: 'buttons', header: 'Buttons', cell: (p) => String(p.buttons) },
        { id: 'which', header: 'Can open', cell: (p) => p.pages.join(', ') },
      ]}
    />
  );
}

export function AccountPage() {
  const identity = useIdentity();
  // Counts the console settings saved here, so that "Who has access" is evaluated again after each.
  const [settingsSaved, setSettingsSaved] = useState(0);
  const onChanged = () => setSettingsSaved((n) => n + 1);
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Account</Header>
      <PageGate page="account">
        <SpaceBetween size="l">
          <Container header={<Header variant="h2">Account settings</Header>}>
            <ColumnLayout columns={2} variant="text-grid">
              <div>
                <Box variant="awsui-key-label">Account ID</Box>
                <div>{identity.accountId}</div>
              </div>
              <div>
                <Box variant="awsui-key-label">Account alias</Box>
                <div>{identity.accountAlias ?? '-'}</div>
              </div>
            </ColumnLayout>
          </Container>
          <ContactSection />
          <IamAccessSection onChanged={onChanged} />
          <ActionSetSection onChanged={onChanged} />
          <WhoHasAccessSection settingsSaved={settingsSaved} />
        </SpaceBetween>
      </PageGate>
    </SpaceBetween>
  );
}
