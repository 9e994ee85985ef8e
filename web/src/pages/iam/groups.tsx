import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { iamApi, type Group } from '../../client/operations';
import { formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';

export function GroupsPage() {
  const groups = useAsync(iamApi.listGroups, []);
  return (
    <SpaceBetween size="m">
      {groups.error !== undefined && <ErrorAlert error={groups.error} />}
      <ResourceTable<Group>
        title="User groups"
        description="A user group is a collection of IAM users. Use groups to specify permissions for a collection of users."
        items={groups.data ?? []}
        loading={groups.loading}
        trackBy="GroupName"
        resourceName="user group"
        filterPlaceholder="Find groups by name"
        actions={
          <Button variant="primary" onClick={() => navigate('/iam/groups/create')}>
            Create group
          </Button>
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
          { id: 'created', header: 'Creation time', cell: (g) => formatDate(g.CreateDate) },
        ]}
      />
    </SpaceBetween>
  );
}
