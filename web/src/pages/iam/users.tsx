import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { iamApi, type User } from '../../client/operations';
import { formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';

export function UsersPage() {
  const users = useAsync(iamApi.listUsers, []);
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
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={users.reload} />
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
    </SpaceBetween>
  );
}
