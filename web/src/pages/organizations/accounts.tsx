import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Icon from '@cloudscape-design/components/icon';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { organizationsApi } from '../../client/operations';
import { ConfirmModal } from '../../components/confirm-modal';
import { useNotify } from '../../components/notifications';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import {
  describeOrganizationOrNone,
  flatten,
  KIND_LABEL,
  loadOrganization,
  type OrgNode,
  type OrgView,
} from './org-tree';

/** An account's status in words, as AWS's console shows it: ACTIVE → "Active", PENDING_CLOSURE → "Pending closure". */
const accountStatus = (status: string) => status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');

/**
 * For an account in no organization: AWS's "Create an organization" start page. Creating one changes who pays
 * for what, so it is confirmed first, as AWS's console asks.
 */
function CreateOrganization({ onCreated }: { onCreated: () => void }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [confirming, setConfirming] = useState(false);
  const create = () =>
    submit(async () => {
      const organization = await organizationsApi.createOrganization();
      notify.success(`You created organization ${organization.Id}. This account is its management account.`);
      setConfirming(false);
      onCreated();
    });
  return (
    <Container header={<Header variant="h2">Create an organization</Header>}>
      <SpaceBetween size="m">
        <Box variant="p">
          This account is not in an organization. Create one to manage several AWS accounts from this account: it
          becomes the organization&apos;s management account, pays for every member account and can apply service
          control policies to them.
        </Box>
        <Button variant="primary" onClick={() => setConfirming(true)}>
          Create an organization
        </Button>
      </SpaceBetween>
      <ConfirmModal
        visible={confirming}
        header="Create an organization?"
        action="Create organization"
        busy={busy}
        onConfirm={() => void create()}
        onCancel={() => setConfirming(false)}
      >
        <Box variant="p">
          This account becomes the management account of a new organization with all features enabled. It will pay for
          the accounts you add or invite, and it can apply service control policies to them.
        </Box>
      </ConfirmModal>
    </Container>
  );
}

function CreateUnitModal({ parent, onClose }: { parent: OrgNode; onClose: (created: boolean) => void }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [name, setName] = useState('');
  const create = () =>
    submit(async () => {
      await organizationsApi.createOrganizationalUnit(parent.id, name.trim());
      notify.success(`Organizational unit ${name.trim()} was created in ${parent.name}.`);
      onClose(true);
    });
  return (
    <Modal
      visible
      onDismiss={() => onClose(false)}
      header="Create organizational unit"
      closeAriaLabel="Close dialog"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => onClose(false)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} disabled={name.trim() === ''} onClick={() => void create()}>
              Create organizational unit
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          Parent: <b>{parent.name}</b> ({parent.id})
        </Box>
        <FormField label="Organizational unit name" constraintText="1 to 128 characters.">
          <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Organizational unit name" />
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}

function MoveAccountModal({
  account,
  view,
  onClose,
}: {
  account: OrgNode;
  view: OrgView;
  onClose: (moved: boolean) => void;
}) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const destinations = flatten(view.tree).filter((n) => n.kind !== 'ACCOUNT' && n.id !== account.parentId);
  const [destination, setDestination] = useState<OrgNode | undefined>(undefined);
  const move = () =>
    submit(async () => {
      if (destination === undefined || account.parentId === undefined) return;
      await organizationsApi.moveAccount(account.id, account.parentId, destination.id);
      notify.success(`${account.name} was moved to ${destination.name}.`);
      onClose(true);
    });
  return (
    <Modal
      visible
      onDismiss={() => onClose(false)}
      header={`Move AWS account ${account.name}`}
      closeAriaLabel="Close dialog"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => onClose(false)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} disabled={destination === undefined} onClick={() => void move()}>
              Move AWS account
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <FormField label="Destination" description="The root or organizational unit to move the account to.">
        <Select
          selectedOption={destination ? { value: destination.id, label: destination.name } : null}
          onChange={(e) => setDestination(destinations.find((n) => n.id === e.detail.selectedOption.value))}
          options={destinations.map((n) => ({
            value: n.id,
            label: n.name,
            description: `${KIND_LABEL[n.kind]} ${n.id}`,
          }))}
          placeholder="Choose a destination"
          ariaLabel="Destination"
        />
      </FormField>
    </Modal>
  );
}

function OrganizationTree({ view, reload }: { view: OrgView; reload: () => void }) {
  const all = flatten(view.tree);
  // By id, not by object: a reload builds new nodes. Everything starts expanded.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const expanded = all.filter((n) => n.children.length > 0 && !collapsed.has(n.id));
  const selected = all.filter((n) => n.id === selectedId);
  const [dialog, setDialog] = useState<'create-ou' | 'move' | null>(null);
  const row = selected[0];
  const closed = (changed: boolean) => {
    setDialog(null);
    if (changed) reload();
  };

  return (
    <>
      <Table<OrgNode>
        variant="container"
        items={[view.tree]}
        trackBy="id"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={(e) => setSelectedId(e.detail.selectedItems[0]?.id)}
        expandableRows={{
          getItemChildren: (n) => n.children,
          isItemExpandable: (n) => n.children.length > 0,
          expandedItems: expanded,
          onExpandableItemToggle: ({ detail }) =>
            setCollapsed((current) => {
              const next = new Set(current);
              if (detail.expanded) next.delete(detail.item.id);
              else next.add(detail.item.id);
              return next;
            }),
        }}
        ariaLabels={{
          tableLabel: 'Organizational structure',
          selectionGroupLabel: 'Organization selection',
          itemSelectionLabel: (_s, n) => `Select ${n.name}`,
          expandButtonLabel: (n) => `Expand ${n.name}`,
          collapseButtonLabel: (n) => `Collapse ${n.name}`,
        }}
        header={
          <Header
            variant="h2"
            counter={`(${all.filter((n) => n.kind === 'ACCOUNT').length})`}
            description="The root, its organizational units and the AWS accounts in each (the count is of accounts)."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh" onClick={reload} />
                <ButtonDropdown
                  items={[
                    {
                      id: 'create-ou',
                      text: 'Create new organizational unit',
                      disabled: row === undefined || row.kind === 'ACCOUNT',
                      disabledReason: 'Select the root or an organizational unit as the parent.',
                    },
                    {
                      id: 'move',
                      text: 'Move AWS account',
                      disabled: row === undefined || row.kind !== 'ACCOUNT',
                      disabledReason: 'Select an AWS account.',
                    },
                  ]}
                  onItemClick={(e) => setDialog(e.detail.id as 'create-ou' | 'move')}
                >
                  Actions
                </ButtonDropdown>
                <Button variant="primary" onClick={() => navigate('/organizations/accounts/add')}>
                  Add an AWS account
                </Button>
              </SpaceBetween>
            }
          >
            Organizational structure
          </Header>
        }
        columnDefinitions={[
          {
            id: 'name',
            header: 'Name',
            cell: (n) => (
              <span>
                {/* The root is named Root; an OU is marked as one, as AWS's tree does with its icon. */}
                {n.kind === 'ORGANIZATIONAL_UNIT' && <Icon name="folder" ariaLabel="Organizational unit" />}{' '}
                <b>{n.name}</b>
                {n.account?.Id === view.organization.MasterAccountId && ' (management account)'}
              </span>
            ),
          },
          { id: 'id', header: 'ID', cell: (n) => n.id },
          { id: 'email', header: 'Email', cell: (n) => n.account?.Email ?? '-' },
          {
            id: 'status',
            header: 'Status',
            cell: (n) =>
              n.account === undefined ? (
                '-'
              ) : (
                <StatusIndicator type={n.account.Status === 'ACTIVE' ? 'success' : 'stopped'}>
                  {accountStatus(n.account.Status ?? '')}
                </StatusIndicator>
              ),
          },
        ]}
        empty={<EmptyState title="No accounts" />}
      />
      {dialog === 'create-ou' && row !== undefined && <CreateUnitModal parent={row} onClose={closed} />}
      {dialog === 'move' && row !== undefined && <MoveAccountModal account={row} view={view} onClose={closed} />}
    </>
  );
}

export function OrganizationAccountsPage() {
  const org = useAsync(loadOrganization, []);
  // Read on its own too: a member account may see which organization it is in, though not its structure.
  const described = useAsync(describeOrganizationOrNone, [org.data]);
  const organization = described.data;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={
          organization
            ? `Organization ${organization.Id}, managed by account ${organization.MasterAccountId} (${organization.MasterAccountEmail}).`
            : undefined
        }
      >
        AWS accounts
      </Header>
      {org.loading && org.data === undefined ? (
        <Loading label="Loading the organization" />
      ) : org.error ? (
        <ErrorAlert error={org.error} />
      ) : org.data === null ? (
        <CreateOrganization onCreated={org.reload} />
      ) : org.data ? (
        <OrganizationTree view={org.data} reload={org.reload} />
      ) : null}
    </SpaceBetween>
  );
}
