import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type Role } from '../../client/operations';
import { formatDate } from '../../components/format';
import { downloadCsv } from '../../components/csv';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';
import { DeleteModal, roleDeleteSteps } from './delete-modal';

export function RolesPage() {
  const roles = useAsync(iamApi.listRoles, []);
  const [selected, setSelected] = useState<Role[]>([]);
  const [deleting, setDeleting] = useState(false);
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
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={roles.reload} />
            <Button
              iconName="download"
              disabled={(roles.data ?? []).length === 0}
              onClick={() =>
                downloadCsv('roles.csv', [
                  ['Role name', 'Description', 'ARN', 'Creation time'],
                  ...(roles.data ?? []).map((r) => [r.RoleName, r.Description ?? '', r.Arn, r.CreateDate]),
                ])
              }
            >
              Download .csv
            </Button>
            <Button disabled={selected.length === 0} onClick={() => setDeleting(true)}>
              Delete
            </Button>
            <Button variant="primary" onClick={() => navigate('/iam/roles/create')}>
              Create role
            </Button>
          </SpaceBetween>
        }
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
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="role"
        names={selected.map((r) => r.RoleName)}
        steps={roleDeleteSteps}
        onDeleted={() => {
          setSelected([]);
          roles.reload();
        }}
      >
        <Box variant="p">
          Deleting a role deletes its inline policies and detaches its managed policies. Anyone using the role loses
          access when their session ends.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
