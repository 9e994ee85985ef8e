import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Checkbox from '@cloudscape-design/components/checkbox';
import Link from '@cloudscape-design/components/link';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type ManagedPolicy } from '../../client/operations';
import { policyType } from '../../components/format';
import { AWS_MANAGED_POLICY_DESCRIPTIONS } from '../../../../src/contracts/aws-managed-policies';
import { downloadCsv } from '../../components/csv';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref, navigate } from '../../router';
import { DeleteModal, policyDeleteSteps } from './delete-modal';

const TYPES: SelectProps.Option[] = [
  { value: 'All', label: 'All types' },
  { value: 'AWS', label: 'AWS managed' },
  { value: 'Local', label: 'Customer managed' },
];

/**
 * A policy's description. ListPolicies leaves descriptions out, as AWS's does: AWS managed policies' are AWS's
 * published text; customer managed policies' come from one GetAccountAuthorizationDetails.
 */
const descriptionOf = (p: ManagedPolicy, local: Map<string, string>) =>
  AWS_MANAGED_POLICY_DESCRIPTIONS[p.Arn] ?? local.get(p.Arn) ?? '';

const usedAs = (p: ManagedPolicy) => ((p.AttachmentCount ?? 0) > 0 ? 'Permissions policy' : 'None');

export function PoliciesPage() {
  const [scope, setScope] = useState<SelectProps.Option>(TYPES[0]!);
  const policies = useAsync(() => iamApi.listPolicies(scope.value as 'All' | 'AWS' | 'Local'), [scope.value]);
  const details = useAsync(() => iamApi.getAuthorizationDetails(['LocalManagedPolicy']), []);
  const local = new Map((details.data?.Policies ?? []).map((p) => [p.Arn ?? '', p.Description ?? '']));
  const [selected, setSelected] = useState<ManagedPolicy[]>([]);
  const one = selected.length === 1 ? selected[0] : undefined;
  const [deleting, setDeleting] = useState(false);
  const [detach, setDetach] = useState(false);
  const customerManaged = selected.length > 0 && selected.every((p) => policyType(p.Arn) === 'Customer managed');
  const attachments = selected.reduce((n, p) => n + (p.AttachmentCount ?? 0), 0);

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
        selectionType="multi"
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
            <Button
              iconName="download"
              disabled={(policies.data ?? []).length === 0}
              onClick={() =>
                downloadCsv('policies.csv', [
                  ['Policy name', 'Type', 'Used as', 'Description', 'ARN'],
                  ...(policies.data ?? []).map((p) => [
                    p.PolicyName,
                    policyType(p.Arn),
                    usedAs(p),
                    descriptionOf(p, local),
                    p.Arn,
                  ]),
                ])
              }
            >
              Download .csv
            </Button>
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
            <Button
              disabled={!customerManaged}
              onClick={() => {
                setDetach(false);
                setDeleting(true);
              }}
            >
              Delete
            </Button>
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
            cell: usedAs,
          },
          { id: 'description', header: 'Description', cell: (p) => descriptionOf(p, local) },
        ]}
      />
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="policy"
        names={selected.map((p) => p.PolicyName)}
        steps={(name) => policyDeleteSteps(selected.find((p) => p.PolicyName === name)!.Arn, detach)}
        onDeleted={() => {
          setSelected([]);
          policies.reload();
        }}
      >
        <SpaceBetween size="s">
          <Box variant="p">Deleting a customer managed policy deletes all its versions. This can't be undone.</Box>
          {attachments > 0 && (
            <Box variant="p">
              {selected.length === 1 ? 'This policy is' : 'These policies are'} attached to {attachments}{' '}
              {attachments === 1 ? 'entity' : 'entities'}. A policy in use can't be deleted until it is detached.
            </Box>
          )}
          <Checkbox checked={detach} onChange={(e) => setDetach(e.detail.checked)}>
            Detach from all users, user groups and roles first
          </Checkbox>
        </SpaceBetween>
      </DeleteModal>
    </SpaceBetween>
  );
}
