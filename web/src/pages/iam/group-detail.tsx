import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Box from '@cloudscape-design/components/box';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { iamApi, type User } from '../../client/operations';
import { AccessChangePreview } from '../../components/access-change-preview';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref } from '../../router';
import { AttachedPolicies } from './attached-policies';
import { DeleteModal, groupDeleteSteps } from './delete-modal';

export function GroupDetailPage({ groupName }: { groupName: string }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const group = useAsync(() => iamApi.getGroup(groupName), [groupName]);
  const allUsers = useAsync(iamApi.listUsers, []);
  const [addingUsers, setAddingUsers] = useState(false);
  const [pickUsers, setPickUsers] = useState<User[]>([]);
  const [deleting, setDeleting] = useState(false);
  const addUsers = () =>
    submit(async () => {
      for (const u of pickUsers) await iamApi.addUserToGroup(groupName, u.UserName);
      notify.success(`Users added to ${groupName}.`);
      setAddingUsers(false);
      setPickUsers([]);
      group.reload();
    });
  const members = group.data?.Users ?? [];

  return (
    <SpaceBetween size="l">
      <Header variant="h1" actions={<Button onClick={() => setDeleting(true)}>Delete</Button>}>
        {groupName}
      </Header>
      {group.error && <ErrorAlert error={group.error} />}
      <Tabs
        tabs={[
          {
            id: 'users',
            label: `Users (${members.length})`,
            content: (
              <ResourceTable<User>
                headerVariant="h2"
                title="Users in this group"
                items={members}
                loading={group.loading}
                trackBy="UserName"
                resourceName="user"
                filterPlaceholder="Find users"
                actions={<Button onClick={() => setAddingUsers(true)}>Add users</Button>}
                columns={[
                  {
                    id: 'name',
                    header: 'User name',
                    cell: (u) => (
                      <Link href={`#/iam/user?name=${encodeURIComponent(u.UserName)}`} onFollow={followHref}>
                        {u.UserName}
                      </Link>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            id: 'permissions',
            label: 'Permissions',
            content: <AttachedPolicies kind="Group" name={groupName} />,
          },
        ]}
      />
      <Modal
        closeAriaLabel="Close dialog"
        visible={addingUsers}
        onDismiss={() => setAddingUsers(false)}
        header={`Add users to ${groupName}`}
        size="large"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setAddingUsers(false)}>
                Cancel
              </Button>
              <Button
                variant="primary"
                loading={busy}
                onClick={() => void addUsers()}
                disabled={pickUsers.length === 0}
              >
                Add users
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <SpaceBetween size="m">
          <AccessChangePreview
            changes={pickUsers.map((u) => ({ Type: 'AddUserToGroup', UserName: u.UserName, GroupName: groupName }))}
          />
          <ResourceTable<User>
            headerVariant="h2"
            title="Other users in this account"
            items={(allUsers.data ?? []).filter((u) => !members.some((m) => m.UserName === u.UserName))}
            loading={allUsers.loading}
            trackBy="UserName"
            resourceName="user"
            filterPlaceholder="Find users"
            selectionType="multi"
            selectedItems={pickUsers}
            onSelectionChange={setPickUsers}
            columns={[{ id: 'name', header: 'User name', cell: (u) => u.UserName }]}
          />
        </SpaceBetween>
      </Modal>
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="user group"
        names={[groupName]}
        steps={groupDeleteSteps}
        returnTo="/iam/groups"
      >
        <Box variant="p">
          Deleting a user group removes its users from it, deletes its inline policies and detaches its managed
          policies. The users themselves are not deleted.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
