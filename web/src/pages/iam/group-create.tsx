import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type ManagedPolicy, type User } from '../../client/operations';
import { policyType } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';

export function GroupCreatePage() {
  const notify = useNotify();
  const users = useAsync(iamApi.listUsers, []);
  const policies = useAsync(() => iamApi.listPolicies('All'), []);
  const [groupName, setGroupName] = useState('');
  const [selectedUsers, setSelectedUsers] = useState<User[]>([]);
  const [selectedPolicies, setSelectedPolicies] = useState<ManagedPolicy[]>([]);
  const { busy, submit } = useSubmit();

  const create = () =>
    submit(async () => {
      await iamApi.createGroup(groupName);
      for (const u of selectedUsers) await iamApi.addUserToGroup(groupName, u.UserName);
      for (const p of selectedPolicies) await iamApi.attachGroupPolicy(groupName, p.Arn);
      notify.success(`${groupName} user group created.`, undefined, true);
      navigate('/iam/groups');
    });

  return (
    <form onSubmit={(e) => e.preventDefault()} aria-label="Create user group">
      <Form
        header={<Header variant="h1">Create user group</Header>}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => navigate('/iam/groups')}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} disabled={groupName === ''} onClick={() => void create()}>
              Create user group
            </Button>
          </SpaceBetween>
        }
      >
        <SpaceBetween size="l">
          <Container header={<Header variant="h2">Name the group</Header>}>
            <FormField label="User group name" constraintText="Maximum 128 characters.">
              <Input value={groupName} onChange={(e) => setGroupName(e.detail.value)} ariaLabel="User group name" />
            </FormField>
          </Container>
          <ResourceTable<User>
            headerVariant="h2"
            title="Add users to the group - Optional"
            items={users.data ?? []}
            loading={users.loading}
            trackBy="UserName"
            resourceName="user"
            filterPlaceholder="Find users"
            selectionType="multi"
            selectedItems={selectedUsers}
            onSelectionChange={setSelectedUsers}
            columns={[{ id: 'name', header: 'User name', cell: (u) => u.UserName, sortingField: 'UserName' }]}
          />
          <ResourceTable<ManagedPolicy>
            headerVariant="h2"
            title="Attach permissions policies - Optional"
            items={policies.data ?? []}
            loading={policies.loading}
            trackBy="Arn"
            resourceName="policy"
            filterPlaceholder="Filter policies by property or policy name"
            selectionType="multi"
            selectedItems={selectedPolicies}
            onSelectionChange={setSelectedPolicies}
            columns={[
              { id: 'name', header: 'Policy name', cell: (p) => p.PolicyName, sortingField: 'PolicyName' },
              { id: 'type', header: 'Type', cell: (p) => policyType(p.Arn) },
            ]}
          />
        </SpaceBetween>
      </Form>
    </form>
  );
}
