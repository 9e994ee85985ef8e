import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';

interface Identity {
  key: string;
  name: string;
  type: 'User' | 'Group' | 'Role';
}

/** Policies → Actions → Attach: search users, user groups and roles, select, Attach policy. */
export function PolicyAttachPage({ policyArn }: { policyArn: string }) {
  const notify = useNotify();
  const policyName = policyArn.split('/').pop() ?? policyArn;
  const identities = useAsync(async () => {
    const [users, groups, roles] = await Promise.all([iamApi.listUsers(), iamApi.listGroups(), iamApi.listRoles()]);
    return [
      ...groups.map((g): Identity => ({ key: `group:${g.GroupName}`, name: g.GroupName, type: 'Group' })),
      ...users.map((u): Identity => ({ key: `user:${u.UserName}`, name: u.UserName, type: 'User' })),
      ...roles.map((r): Identity => ({ key: `role:${r.RoleName}`, name: r.RoleName, type: 'Role' })),
    ];
  }, []);
  const [selected, setSelected] = useState<Identity[]>([]);
  const { busy, submit } = useSubmit();

  const attach = () =>
    submit(async () => {
      for (const identity of selected) {
        if (identity.type === 'User') await iamApi.attachUserPolicy(identity.name, policyArn);
        if (identity.type === 'Group') await iamApi.attachGroupPolicy(identity.name, policyArn);
        if (identity.type === 'Role') await iamApi.attachRolePolicy(identity.name, policyArn);
      }
      notify.success(`Policy ${policyName} attached to ${selected.map((s) => s.name).join(', ')}.`, undefined, true);
      navigate('/iam/policies');
    });

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={`Attach the policy ${policyName} to users, user groups or roles.`}>
        Attach policy
      </Header>
      {identities.error && <ErrorAlert error={identities.error} />}
      <ResourceTable<Identity>
        headerVariant="h2"
        title="IAM entities"
        items={identities.data ?? []}
        loading={identities.loading}
        trackBy="key"
        resourceName="entity"
        filterPlaceholder="Filter entities by name"
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={setSelected}
        columns={[
          { id: 'name', header: 'Name', cell: (i) => i.name, sortingField: 'name' },
          { id: 'type', header: 'Type', cell: (i) => i.type, sortingField: 'type' },
        ]}
      />
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={() => navigate('/iam/policies')}>
          Cancel
        </Button>
        <Button variant="primary" loading={busy} disabled={selected.length === 0} onClick={() => void attach()}>
          Attach policy
        </Button>
      </SpaceBetween>
    </SpaceBetween>
  );
}
