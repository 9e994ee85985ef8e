import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Link from '@cloudscape-design/components/link';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type ManagedPolicy } from '../../client/operations';
import { policyType } from '../../components/format';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';

const TYPES: SelectProps.Option[] = [
  { value: 'All', label: 'All types' },
  { value: 'AWS', label: 'AWS managed' },
  { value: 'Local', label: 'Customer managed' },
];

export function PoliciesPage() {
  const [scope, setScope] = useState<SelectProps.Option>(TYPES[0]!);
  const policies = useAsync(() => iamApi.listPolicies(scope.value as 'All' | 'AWS' | 'Local'), [scope.value]);
  const [selected, setSelected] = useState<ManagedPolicy[]>([]);
  const one = selected[0];

  return (
    <SpaceBetween size="m">
      {policies.error !== undefined && <ErrorAlert error={policies.error} />}
      <ResourceTable<ManagedPolicy>
        title="Policies"
        description="A policy is an object in AWS that defines permissions."
        items={policies.data ?? []}
        loading={policies.loading}
        trackBy="Arn"
        resourceName="policy"
        filterPlaceholder="Filter policies by property or policy name and press enter"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={setSelected}
        filters={
          <div style={{ minWidth: 200 }}>
            <Select
              selectedOption={scope}
              onChange={(e) => {
                setScope(e.detail.selectedOption);
                setSelected([]);
              }}
              options={TYPES}
              ariaLabel="Filter by type"
            />
          </div>
        }
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh" onClick={policies.reload} />
            <ButtonDropdown
              disabled={one === undefined}
              items={[
                { id: 'attach', text: 'Attach' },
                { id: 'view', text: 'View policy details' },
              ]}
              onItemClick={(e) => {
                if (one === undefined) return;
                const arn = encodeURIComponent(one.Arn);
                navigate(e.detail.id === 'attach' ? `/iam/policy/attach?arn=${arn}` : `/iam/policy?arn=${arn}`);
              }}
            >
              Actions
            </ButtonDropdown>
            <Button variant="primary" onClick={() => navigate('/iam/policies/create')}>
              Create policy
            </Button>
          </SpaceBetween>
        }
        columns={[
          {
            id: 'name',
            header: 'Policy name',
            cell: (p) => (
              <Link href={`#/iam/policy?arn=${encodeURIComponent(p.Arn)}`} onFollow={followHref}>
                {p.PolicyName}
              </Link>
            ),
            sortingField: 'PolicyName',
          },
          { id: 'type', header: 'Type', cell: (p) => policyType(p.Arn) },
          {
            id: 'used',
            header: 'Used as',
            cell: (p) => ((p.AttachmentCount ?? 0) > 0 ? 'Permissions policy' : 'None'),
          },
          { id: 'description', header: 'Description', cell: (p) => p.Description ?? '' },
        ]}
      />
    </SpaceBetween>
  );
}
