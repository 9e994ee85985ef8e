import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { billingLedgerApi, type CostAllocationTag, type CostAllocationTagStatus } from '../../client/billing-ledger';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const ANY_STATUS: SelectProps.Option = { value: '', label: 'Any status' };
const STATUS_OPTIONS: SelectProps.Option[] = [
  ANY_STATUS,
  { value: 'Active', label: 'Active' },
  { value: 'Inactive', label: 'Inactive' },
];
const TYPE_LABELS: Record<CostAllocationTag['Type'], string> = {
  UserDefined: 'User-defined',
  AWSGenerated: 'AWS generated',
};

function CostAllocationTags() {
  const notify = useNotify();
  const tags = useAsync(billingLedgerApi.listCostAllocationTags, []);
  const [selected, setSelected] = useState<CostAllocationTag[]>([]);
  const [status, setStatus] = useState<SelectProps.Option>(ANY_STATUS);
  const { busy, submit } = useSubmit();
  const items = (tags.data ?? []).filter((t) => status.value === '' || t.Status === status.value);

  const change = (to: CostAllocationTagStatus) =>
    submit(async () => {
      const keys = selected.map((t) => t.TagKey);
      const { Errors } = await billingLedgerApi.updateCostAllocationTagsStatus(keys, to);
      const failed = new Set(Errors.map((e) => e.TagKey));
      const done = keys.filter((k) => !failed.has(k));
      if (done.length > 0) {
        notify.success(`${to === 'Active' ? 'Activated' : 'Deactivated'} ${done.join(', ')}.`);
      }
      for (const error of Errors)
        notify.error(new Error(`${error.TagKey ?? ''}: ${error.Message ?? error.Code ?? ''}`));
      setSelected([]);
      tags.reload();
    });

  if (tags.error) return <ErrorAlert error={tags.error} />;
  return (
    <ResourceTable<CostAllocationTag>
      title="Cost allocation tags"
      headerVariant="h2"
      description="Tag keys found in this account's cost data. Cost Explorer and budgets group and filter only by active keys, over every period held."
      items={items}
      loading={tags.loading}
      trackBy="TagKey"
      resourceName="tag"
      filterPlaceholder="Find tag keys"
      selectionType="multi"
      selectedItems={selected}
      onSelectionChange={setSelected}
      filters={
        <Select
          selectedOption={status}
          onChange={(e) => setStatus(e.detail.selectedOption)}
          options={STATUS_OPTIONS}
          ariaLabel="Filter by status"
        />
      }
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <Button disabled={selected.length === 0} loading={busy} onClick={() => void change('Inactive')}>
            Deactivate
          </Button>
          <Button
            variant="primary"
            disabled={selected.length === 0}
            loading={busy}
            onClick={() => void change('Active')}
          >
            Activate
          </Button>
        </SpaceBetween>
      }
      columns={[
        { id: 'key', header: 'Tag key', cell: (t) => t.TagKey, sortingField: 'TagKey' },
        { id: 'type', header: 'Type', cell: (t) => TYPE_LABELS[t.Type] },
        {
          id: 'status',
          header: 'Status',
          cell: (t) => (
            <StatusIndicator type={t.Status === 'Active' ? 'success' : 'stopped'}>{t.Status}</StatusIndicator>
          ),
        },
      ]}
    />
  );
}

export function CostAllocationTagsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Cost allocation tags</Header>
      <PageGate page="cost-allocation-tags">
        <CostAllocationTags />
      </PageGate>
    </SpaceBetween>
  );
}
