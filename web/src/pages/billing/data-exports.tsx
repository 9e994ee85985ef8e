import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { curApi, type ReportDefinition } from '../../client/operations';
import { ConfirmModal } from '../../components/confirm-modal';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const TIME_UNITS: SelectProps.Option[] = [
  { value: 'HOURLY', label: 'Hourly' },
  { value: 'DAILY', label: 'Daily' },
  { value: 'MONTHLY', label: 'Monthly' },
];

/** The format and compression pairs the service accepts (Parquet is only Parquet-compressed). */
const FORMATS: Array<
  SelectProps.Option & { format: ReportDefinition['Format']; compression: ReportDefinition['Compression'] }
> = [
  { value: 'csv-gzip', label: 'CSV (GZIP)', format: 'textORcsv', compression: 'GZIP' },
  { value: 'csv-zip', label: 'CSV (ZIP)', format: 'textORcsv', compression: 'ZIP' },
  { value: 'parquet', label: 'Parquet', format: 'Parquet', compression: 'Parquet' },
];

const VERSIONING: SelectProps.Option[] = [
  { value: 'CREATE_NEW_REPORT', label: 'Create new report version' },
  { value: 'OVERWRITE_REPORT', label: 'Overwrite existing report' },
];

const labelOf = (options: SelectProps.Option[], value: string | undefined) =>
  options.find((o) => o.value === value)?.label ?? value ?? '';

/** ReportStatus.lastDelivery (`20261120T100000Z`) as the console shows it. */
function lastDeliveryOf(report: ReportDefinition): string {
  const match = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)\d\dZ$/.exec(report.ReportStatus?.lastDelivery ?? '');
  if (match === null) return 'Not delivered yet';
  const [, year, month, day, hour, minute] = match;
  return `${year}-${month}-${day} ${hour}:${minute} UTC`;
}

interface Draft {
  name: string;
  timeUnit: SelectProps.Option;
  format: (typeof FORMATS)[number];
  resourceIds: boolean;
  bucket: string;
  prefix: string;
  region: string;
  versioning: SelectProps.Option;
}

const EMPTY: Draft = {
  name: '',
  timeUnit: TIME_UNITS[1]!,
  format: FORMATS[0]!,
  resourceIds: true,
  bucket: '',
  prefix: '',
  region: 'us-east-1',
  versioning: VERSIONING[0]!,
};

function definitionOf(d: Draft): ReportDefinition {
  return {
    ReportName: d.name.trim(),
    TimeUnit: d.timeUnit.value as ReportDefinition['TimeUnit'],
    Format: d.format.format,
    Compression: d.format.compression,
    AdditionalSchemaElements: d.resourceIds ? ['RESOURCES'] : [],
    S3Bucket: d.bucket.trim(),
    S3Prefix: d.prefix.trim(),
    S3Region: d.region.trim() as ReportDefinition['S3Region'],
    RefreshClosedReports: true,
    ReportVersioning: d.versioning.value as ReportDefinition['ReportVersioning'],
  };
}

function CreateReportForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  const save = () =>
    submit(async () => {
      const definition = definitionOf(draft);
      await curApi.putReportDefinition(definition);
      notify.success(`Report ${definition.ReportName} was created.`);
      onDone();
    });

  return (
    <Container header={<Header variant="h2">Create report</Header>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onCancel}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy}>
                Create report
              </Button>
            </SpaceBetween>
          }
        >
          <ColumnLayout columns={2}>
            <FormField label="Report name" constraintText="Letters, digits and ! - _ . * ' ( ) only.">
              <Input value={draft.name} onChange={(e) => set({ name: e.detail.value })} ariaLabel="Report name" />
            </FormField>
            <FormField label="Time granularity">
              <Select
                selectedOption={draft.timeUnit}
                onChange={(e) => set({ timeUnit: e.detail.selectedOption })}
                options={TIME_UNITS}
                ariaLabel="Time granularity"
              />
            </FormField>
            <FormField label="Report format">
              <Select
                selectedOption={draft.format}
                onChange={(e) => set({ format: FORMATS.find((f) => f.value === e.detail.selectedOption.value)! })}
                options={FORMATS}
                ariaLabel="Report format"
              />
            </FormField>
            <FormField label="Report versioning">
              <Select
                selectedOption={draft.versioning}
                onChange={(e) => set({ versioning: e.detail.selectedOption })}
                options={VERSIONING}
                ariaLabel="Report versioning"
              />
            </FormField>
            <FormField label="S3 bucket">
              <Input value={draft.bucket} onChange={(e) => set({ bucket: e.detail.value })} ariaLabel="S3 bucket" />
            </FormField>
            <FormField label="S3 path prefix" constraintText="Optional">
              <Input
                value={draft.prefix}
                onChange={(e) => set({ prefix: e.detail.value })}
                ariaLabel="S3 path prefix"
              />
            </FormField>
            <FormField label="S3 bucket Region">
              <Input
                value={draft.region}
                onChange={(e) => set({ region: e.detail.value })}
                ariaLabel="S3 bucket Region"
              />
            </FormField>
            <FormField label="Report content">
              <Checkbox checked={draft.resourceIds} onChange={(e) => set({ resourceIds: e.detail.checked })}>
                Include resource IDs
              </Checkbox>
            </FormField>
          </ColumnLayout>
        </Form>
      </form>
    </Container>
  );
}

function CostAndUsageReports() {
  const notify = useNotify();
  const reports = useAsync(curApi.describeReportDefinitions, []);
  const [selected, setSelected] = useState<ReportDefinition[]>([]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { busy, submit } = useSubmit();
  const report = selected[0];

  const remove = async (name: string) => {
    await submit(async () => {
      await curApi.deleteReportDefinition(name);
      notify.success(`Report ${name} was deleted.`);
      setSelected([]);
      reports.reload();
    });
    setDeleting(false);
  };

  if (reports.error) return <ErrorAlert error={reports.error} />;
  return (
    <SpaceBetween size="l">
      <ResourceTable<ReportDefinition>
        title="Cost and usage reports"
        description="Legacy AWS Cost and Usage Report definitions: what each report holds and the S3 bucket it is delivered to."
        headerVariant="h2"
        items={reports.data ?? []}
        loading={reports.loading}
        resourceName="report"
        filterPlaceholder="Find reports"
        trackBy="ReportName"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={setSelected}
        onRefresh={reports.reload}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button disabled={report === undefined} onClick={() => setDeleting(true)}>
              Delete
            </Button>
            <Button variant="primary" disabled={creating} onClick={() => setCreating(true)}>
              Create report
            </Button>
          </SpaceBetween>
        }
        columns={[
          { id: 'name', header: 'Report name', cell: (r) => r.ReportName, sortingField: 'ReportName' },
          { id: 'granularity', header: 'Time granularity', cell: (r) => labelOf(TIME_UNITS, r.TimeUnit) },
          {
            id: 'format',
            header: 'Format',
            cell: (r) =>
              FORMATS.find((f) => f.format === r.Format && f.compression === r.Compression)?.label ?? r.Format,
          },
          {
            id: 'destination',
            header: 'S3 destination',
            cell: (r) => `s3://${r.S3Bucket}/${r.S3Prefix}${r.S3Prefix === '' ? '' : '/'} (${r.S3Region})`,
          },
          { id: 'versioning', header: 'Report versioning', cell: (r) => labelOf(VERSIONING, r.ReportVersioning) },
          { id: 'delivered', header: 'Last delivery', cell: lastDeliveryOf },
        ]}
      />
      {creating && (
        <CreateReportForm
          onCancel={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            reports.reload();
          }}
        />
      )}
      <ConfirmModal
        visible={deleting}
        header="Delete report"
        action="Delete"
        busy={busy}
        onCancel={() => setDeleting(false)}
        onConfirm={() => report && void remove(report.ReportName)}
      >
        {report && (
          <>
            Delete the report <b>{report.ReportName}</b>? Reports already delivered to its S3 bucket stay there.
          </>
        )}
      </ConfirmModal>
    </SpaceBetween>
  );
}

export function DataExportsPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Data exports</Header>
      <PageGate page="cost-and-usage-reports">
        <CostAndUsageReports />
      </PageGate>
    </SpaceBetween>
  );
}
