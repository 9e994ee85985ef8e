import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { iamApi, type Role } from '../../client/operations';
import { formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref } from '../../router';

export function RolesPage() {
  const roles = useAsync(iamApi.listRoles, []);
  return (
    <SpaceBetween size="m">
      {roles.error !== undefined && <ErrorAlert error={roles.error} />}
      <ResourceTable<Role>
        title="Roles"
        description="An IAM role is an identity you can create that has specific permissions with credentials that are valid for short durations."
        items={roles.data ?? []}
        loading={roles.loading}
        trackBy="RoleName"
        resourceName="role"
        filterPlaceholder="Find roles by name"
        columns={[
          {
            id: 'name',
            header: 'Role name',
            cell: (r) => (
              <Link href={`#/iam/role?name=${encodeURIComponent(r.RoleName)}`} onFollow={followHref}>
                {r.RoleName}
              </Link>
            ),
            sortingField: 'RoleName',
          },
          { id: 'arn', header: 'ARN', cell: (r) => r.Arn },
          { id: 'created', header: 'Creation time', cell: (r) => formatDate(r.CreateDate) },
        ]}
      />
    </SpaceBetween>
  );
}
