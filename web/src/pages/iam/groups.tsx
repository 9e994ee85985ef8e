import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type Group } from '../../client/operations';
import { formatDate } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';
import { DeleteModal, groupDeleteSteps } from './delete-modal';

export function GroupsPage() {
  const groups = useAsync(iamApi.listGroups, []);
  const [selected, setSelected] = useState<Group[]>([]);
  const [deleting, setDeleting] = useState(false);
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
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={groups.reload} />
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
          groups.reload();
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
