import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { ApiError } from '../../client/api';
import { iamApi, type User, type UserOverview } from '../../client/operations';
import { downloadCsv } from '../../components/csv';
import { formatAge, formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';
import { DeleteModal, userDeleteSteps } from './delete-modal';

/** A listed user and, when the caller may read them, its groups, credentials and activity. */
type UserRow = User & { overview?: UserOverview };

/** The age of the oldest active access key: the one due for rotation first, as AWS's list shows it. */
function activeKeyAge(overview: UserOverview | undefined): string {
  const active = (overview?.AccessKeys ?? []).filter((k) => k.Status === 'Active').map((k) => k.CreateDate);
  return active.length === 0 ? (overview === undefined ? '-' : 'None') : formatAge(active.sort()[0]);
}

/** "Never", "Today", "3 days ago". */
function lastActivity(iso: string | undefined): string {
  if (iso === undefined) return 'Never';
  const age = formatAge(iso);
  return age === 'Today' ? age : `${age} ago`;
}

const columnsOf = (u: UserRow) => {
  const o = u.overview;
  return {
    groups: o === undefined ? '-' : o.Groups.length === 0 ? 'None' : o.Groups.join(', '),
    activity: o === undefined ? '-' : lastActivity(o.LastActivity),
    mfa: o === undefined ? '-' : o.MfaActive ? 'Virtual' : 'None',
    passwordAge: o === undefined ? '-' : o.PasswordEnabled ? formatAge(o.PasswordLastChanged) : 'None',
    keyAge: activeKeyAge(o),
  };
};

/** The list as a .csv file, every column shown and the ARN and creation time in full. */
function usersCsv(rows: UserRow[]): string[][] {
  return [
    ['User name', 'Path', 'Groups', 'Last activity', 'MFA', 'Password age', 'Active key age', 'ARN', 'Creation time'],
    ...rows.map((u) => {
      const c = columnsOf(u);
      return [u.UserName, u.Path ?? '/', c.groups, c.activity, c.mfa, c.passwordAge, c.keyAge, u.Arn, u.CreateDate];
    }),
  ];
}

export function UsersPage() {
  const users = useAsync(iamApi.listUsers, []);
  // One call for every user's groups, credentials and activity; a caller allowed only ListUsers still gets the
  // list, with those columns empty and the missing permission named.
  const overviews = useAsync(iamApi.listUserOverviews, []);
  const [selected, setSelected] = useState<UserRow[]>([]);
  const [deleting, setDeleting] = useState(false);
  const byName = new Map((overviews.data ?? []).map((o) => [o.UserName, o]));
  const rows: UserRow[] = (users.data ?? []).map((u) => ({ ...u, overview: byName.get(u.UserName) }));
  const reload = () => {
    users.reload();
    overviews.reload();
  };
  const denied = overviews.error instanceof ApiError && overviews.error.code === 'AccessDenied';
  return (
    <SpaceBetween size="m">
      {users.error !== undefined && <ErrorAlert error={users.error} />}
      {denied && (
        <Alert type="info" header="Some columns need more permissions">
          Groups, Last activity, MFA, Password age and Active key age need <code>iam:GetCredentialReport</code>.
        </Alert>
      )}
      {overviews.error !== undefined && !denied && <ErrorAlert error={overviews.error} />}
      <ResourceTable<UserRow>
        title="Users"
        description="An IAM user is an identity with long-term credentials that is used to interact with AWS in an account."
        items={rows}
        loading={users.loading}
        trackBy="UserName"
        resourceName="user"
        filterPlaceholder="Find users by username"
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={reload} />
            <Button
              iconName="download"
              disabled={rows.length === 0}
              onClick={() => downloadCsv('users.csv', usersCsv(rows))}
            >
              Download .csv
            </Button>
            <Button disabled={selected.length === 0} onClick={() => setDeleting(true)}>
              Delete
            </Button>
            <Button variant="primary" onClick={() => navigate('/iam/users/create')}>
              Create user
            </Button>
          </SpaceBetween>
        }
        columns={[
          {
            id: 'name',
            header: 'User name',
            cell: (u) => (
              <Link href={`#/iam/user?name=${encodeURIComponent(u.UserName)}`} onFollow={followHref}>
                {u.UserName}
              </Link>
            ),
            sortingField: 'UserName',
          },
          { id: 'path', header: 'Path', cell: (u) => u.Path ?? '/' },
          { id: 'groups', header: 'Groups', cell: (u) => columnsOf(u).groups },
          { id: 'activity', header: 'Last activity', cell: (u) => columnsOf(u).activity },
          { id: 'mfa', header: 'MFA', cell: (u) => columnsOf(u).mfa },
          { id: 'password-age', header: 'Password age', cell: (u) => columnsOf(u).passwordAge },
          { id: 'key-age', header: 'Active key age', cell: (u) => columnsOf(u).keyAge },
          { id: 'created', header: 'Creation time', cell: (u) => formatDate(u.CreateDate), sortingField: 'CreateDate' },
        ]}
      />
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="user"
        names={selected.map((u) => u.UserName)}
        steps={userDeleteSteps}
        onDeleted={() => {
          setSelected([]);
          reload();
        }}
      >
        <Box variant="p">
          Deleting a user also deletes its console password, access keys, MFA devices, user group memberships and inline
          policies, and detaches its managed policies. This can&apos;t be undone.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
