import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { iamApi, type Group } from '../../client/operations';
import { AccessChangePreview } from '../../components/access-change-preview';
import { formatDate } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref } from '../../router';
import { AttachedPolicies } from './attached-policies';
import { DeleteModal, userDeleteSteps } from './delete-modal';
import { UserCredentials } from './user-credentials';

/** The user's summary, as AWS's user page opens: ARN, created, console access, last sign-in, MFA. */
function UserSummary({ userName }: { userName: string }) {
  const summary = useAsync(async () => {
    const [user, consoleAccess, mfa] = await Promise.all([
      iamApi.getUser(userName),
      iamApi.getLoginProfile(userName),
      iamApi.listMfaDevices(userName),
    ]);
    return { user, consoleAccess, mfa };
  }, [userName]);
  if (summary.error) return <ErrorAlert error={summary.error} />;
  if (summary.data === undefined) return <Loading label="Loading the user" />;
  const { user, consoleAccess, mfa } = summary.data;
  const fields: [string, string][] = [
    ['ARN', user.Arn],
    ['Created', formatDate(user.CreateDate)],
    ['Console access', consoleAccess ? (mfa.length > 0 ? 'Enabled with MFA' : 'Enabled without MFA') : 'Disabled'],
    ['Last console sign-in', user.PasswordLastUsed === undefined ? 'Never' : formatDate(user.PasswordLastUsed)],
    ['MFA', mfa.length === 0 ? 'Not assigned' : `${mfa.length} device${mfa.length === 1 ? '' : 's'} assigned`],
  ];
  return (
    <Container header={<Header variant="h2">Summary</Header>}>
      <ColumnLayout columns={3} variant="text-grid">
        {fields.map(([label, value]) => (
          <div key={label} data-testid={`user-summary-${label.toLowerCase().replace(/ /g, '-')}`}>
            <Box variant="awsui-key-label">{label}</Box>
            <div>{value}</div>
          </div>
        ))}
      </ColumnLayout>
    </Container>
  );
}

/** "Add user to groups", as AWS's user page offers it: the groups the user is not in, and what access it gains. */
function AddToGroupsModal({
  userName,
  memberOf,
  visible,
  onDismiss,
  onAdded,
}: {
  userName: string;
  memberOf: readonly Group[];
  visible: boolean;
  onDismiss: () => void;
  onAdded: () => void;
}) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const allGroups = useAsync(iamApi.listGroups, []);
  const [picked, setPicked] = useState<Group[]>([]);
  const add = () =>
    submit(async () => {
      for (const g of picked) await iamApi.addUserToGroup(g.GroupName, userName);
      notify.success(`${userName} added to ${picked.map((g) => g.GroupName).join(', ')}.`);
      setPicked([]);
      onAdded();
    });
  return (
    <Modal
      closeAriaLabel="Close dialog"
      visible={visible}
      onDismiss={onDismiss}
      header={`Add ${userName} to groups`}
      size="large"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void add()} disabled={picked.length === 0}>
              Add to groups
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <AccessChangePreview
          changes={picked.map((g) => ({ Type: 'AddUserToGroup', UserName: userName, GroupName: g.GroupName }))}
        />
        <ResourceTable<Group>
          headerVariant="h2"
          title="User groups"
          items={(allGroups.data ?? []).filter((g) => !memberOf.some((m) => m.GroupName === g.GroupName))}
          loading={allGroups.loading}
          trackBy="GroupName"
          resourceName="group"
          filterPlaceholder="Find groups"
          selectionType="multi"
          selectedItems={picked}
          onSelectionChange={setPicked}
          columns={[{ id: 'name', header: 'Group name', cell: (g) => g.GroupName }]}
        />
      </SpaceBetween>
    </Modal>
  );
}

export function UserDetailPage({ userName }: { userName: string }) {
  const groups = useAsync(() => iamApi.listGroupsForUser(userName), [userName]);
  const [deleting, setDeleting] = useState(false);
  const [adding, setAdding] = useState(false);
  return (
    <SpaceBetween size="l">
      <Header variant="h1" actions={<Button onClick={() => setDeleting(true)}>Delete</Button>}>
        {userName}
      </Header>
      <UserSummary userName={userName} />
      <Tabs
        tabs={[
          {
            id: 'permissions',
            label: 'Permissions',
            content: <AttachedPolicies kind="User" name={userName} />,
          },
          {
            id: 'groups',
            label: 'Groups',
            content: (
              <SpaceBetween size="s">
                {groups.error && <ErrorAlert error={groups.error} />}
                <Table
                  header={
                    <Header variant="h2" actions={<Button onClick={() => setAdding(true)}>Add to groups</Button>}>
                      User groups membership
                    </Header>
                  }
                  items={groups.data ?? []}
                  loading={groups.loading}
                  loadingText="Loading groups"
                  empty={<EmptyState title="No groups" subtitle="This user is in no group." />}
                  columnDefinitions={[
                    {
                      id: 'name',
                      header: 'Group name',
                      cell: (g) => (
                        <Link href={`#/iam/group?name=${encodeURIComponent(g.GroupName)}`} onFollow={followHref}>
                          {g.GroupName}
                        </Link>
                      ),
                    },
                  ]}
                />
              </SpaceBetween>
            ),
          },
          {
            id: 'security-credentials',
            label: 'Security credentials',
            content: <UserCredentials userName={userName} />,
          },
        ]}
      />
      <AddToGroupsModal
        userName={userName}
        memberOf={groups.data ?? []}
        visible={adding}
        onDismiss={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          groups.reload();
        }}
      />
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="user"
        names={[userName]}
        steps={userDeleteSteps}
        returnTo="/iam/users"
      >
        <Box variant="p">
          Deleting a user also deletes its console password, access keys, MFA devices, user group memberships and inline
          policies, and detaches its managed policies. This can't be undone.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
