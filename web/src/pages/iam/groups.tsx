import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import { ApiError } from '../../client/api';
import { iamApi, type AuthorizationDetails, type Group } from '../../client/operations';
import { downloadCsv } from '../../components/csv';
import { formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';
import { DeleteModal, groupDeleteSteps } from './delete-modal';

/** A listed group and, when the caller may read them, how many users it has and how many policies. */
type GroupRow = Group & { users?: number; permissions?: number };

/** Each group's members and policies (managed and inline) counted from one GetAccountAuthorizationDetails. */
function countsOf(details: AuthorizationDetails | undefined) {
  const counts = new Map<string, { users: number; permissions: number }>();
  if (details === undefined) return counts;
  for (const group of details.GroupDetailList ?? []) {
    const permissions = (group.AttachedManagedPolicies?.length ?? 0) + (group.GroupPolicyList?.length ?? 0);
    counts.set(group.GroupName ?? '', { users: 0, permissions });
  }
  for (const user of details.UserDetailList ?? []) {
    for (const name of user.GroupList ?? []) {
      const count = counts.get(name);
      if (count !== undefined) count.users++;
    }
  }
  return counts;
}

const countText = (n: number | undefined) => (n === undefined ? '-' : String(n));

export function GroupsPage() {
  const groups = useAsync(iamApi.listGroups, []);
  const details = useAsync(() => iamApi.getAuthorizationDetails(['User', 'Group']), []);
  const [selected, setSelected] = useState<GroupRow[]>([]);
  const [deleting, setDeleting] = useState(false);
  const counts = countsOf(details.data);
  const rows: GroupRow[] = (groups.data ?? []).map((g) => ({ ...g, ...counts.get(g.GroupName) }));
  const reload = () => {
    groups.reload();
    details.reload();
  };
  const denied = details.error instanceof ApiError && details.error.code === 'AccessDenied';
  const csv = () =>
    downloadCsv('user-groups.csv', [
      ['Group name', 'Users', 'Permissions', 'ARN', 'Creation time'],
      ...rows.map((g) => [g.GroupName, countText(g.users), countText(g.permissions), g.Arn, g.CreateDate]),
    ]);
  return (
    <SpaceBetween size="m">
      {groups.error !== undefined && <ErrorAlert error={groups.error} />}
      {denied && (
        <Alert type="info" header="Some columns need more permissions">
          Users and Permissions need <code>iam:GetAccountAuthorizationDetails</code>.
        </Alert>
      )}
      {details.error !== undefined && !denied && <ErrorAlert error={details.error} />}
      <ResourceTable<GroupRow>
        title="User groups"
        description="A user group is a collection of IAM users. Use groups to specify permissions for a collection of users."
        items={rows}
        loading={groups.loading}
        trackBy="GroupName"
        resourceName="user group"
        filterPlaceholder="Find groups by name"
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={reload} />
            <Button iconName="download" disabled={rows.length === 0} onClick={csv}>
              Download .csv
            </Button>
            <Button disabled={selected.length === 0} onClick={() => setDeleting(true)}>
              Delete
            </Button>
            <Button variant="primary" onClick={() => navigate('/iam/groups/create')}>
              Create group
            </Button>
          </SpaceBetween>
        }
        columns={[
          {
            id: 'name',
            header: 'Group name',
            cell: (g) => (
              <Link href={`#/iam/group?name=${encodeURIComponent(g.GroupName)}`} onFollow={followHref}>
                {g.GroupName}
              </Link>
            ),
            sortingField: 'GroupName',
          },
          { id: 'users', header: 'Users', cell: (g) => countText(g.users) },
          { id: 'permissions', header: 'Permissions', cell: (g) => countText(g.permissions) },
          { id: 'created', header: 'Creation time', cell: (g) => formatDate(g.CreateDate) },
        ]}
      />
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="user group"
        names={selected.map((g) => g.GroupName)}
        steps={groupDeleteSteps}
        onDeleted={() => {
          setSelected([]);
          reload();
        }}
      >
        <Box variant="p">
          Deleting a user group removes its users from it, deletes its inline policies and detaches its managed
          policies. The users themselves are not deleted.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
