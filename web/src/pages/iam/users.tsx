import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type User } from '../../client/operations';
import { formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';
import { DeleteModal, userDeleteSteps } from './delete-modal';

export function UsersPage() {
  const users = useAsync(iamApi.listUsers, []);
  const [selected, setSelected] = useState<User[]>([]);
  const [deleting, setDeleting] = useState(false);
  return (
    <SpaceBetween size="m">
      {users.error !== undefined && <ErrorAlert error={users.error} />}
      <ResourceTable<User>
        title="Users"
        description="An IAM user is an identity with long-term credentials that is used to interact with AWS in an account."
        items={users.data ?? []}
        loading={users.loading}
        trackBy="UserName"
        resourceName="user"
        filterPlaceholder="Find users by username"
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={users.reload} />
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
          { id: 'arn', header: 'ARN', cell: (u) => u.Arn },
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
          users.reload();
        }}
      >
        <Box variant="p">
          Deleting a user also deletes its console password, access keys, MFA devices, user group memberships and inline
          policies, and detaches its managed policies. This can't be undone.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
