import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import type { DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useMemo, useState } from 'react';
import { billingApi, type CostReport } from '../../client/operations';
import { chartGroups, CostChart, costBreakdown, type CostBreakdown } from '../../components/cost-chart';
import { CostPeriodPicker, periodOf } from '../../components/cost-period-picker';
import { downloadCsv } from '../../components/csv';
import { centsOf, formatDate, formatMoney, formatPeriod, lastDayOf } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const GRANULARITIES: SelectProps.Option[] = [
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'DAILY', label: 'Daily' },
];
const GROUP_BY: SelectProps.Option[] = [
  { value: 'SERVICE', label: 'Service' },
  { value: 'LINKED_ACCOUNT', label: 'Linked account' },
  { value: 'REGION', label: 'Region' },
  { value: 'USAGE_TYPE', label: 'Usage type' },
  { value: 'TAG', label: 'Tag' },
];

/** The dimensions the console filters by, in the order of the filter controls. */
const FILTERS = [
  { key: 'SERVICE', label: 'Service', placeholder: 'All services' },
  { key: 'LINKED_ACCOUNT', label: 'Linked account', placeholder: 'All accounts' },
  { key: 'REGION', label: 'Region', placeholder: 'All regions' },
] as const;
type FilterKey = (typeof FILTERS)[number]['key'];
type Selections = Record<FilterKey, readonly MultiselectProps.Option[]>;
const NO_SELECTIONS: Selections = { SERVICE: [], LINKED_ACCOUNT: [], REGION: [] };

/** A tag filter: one tag key (a cost allocation tag) and the values kept. */
interface TagSelection {
  key: string | null;
  values: readonly MultiselectProps.Option[];
}
const NO_TAG: TagSelection = { key: null, values: [] };

type FilterPart = { Dimensions: { Key: string; Values: string[] } } | { Tags: { Key: string; Values: string[] } };
type FilterExpression = FilterPart | { And: FilterPart[] };

const valuesOf = (options: readonly MultiselectProps.Option[]) => options.map((o) => o.value ?? '');

/**
 * GetCostAndUsage's Filter: one Dimensions expression per filtered dimension and a Tags expression for the tag,
 * joined by And when several.
 */
function filterExpression(selections: Selections, tag: TagSelection): FilterExpression | undefined {
  const parts: FilterPart[] = FILTERS.flatMap(({ key }) => {
    const values = valuesOf(selections[key]).filter((v) => v !== '');
    return values.length > 0 ? [{ Dimensions: { Key: key, Values: values } }] : [];
  });
  if (tag.key !== null && tag.values.length > 0) parts.push({ Tags: { Key: tag.key, Values: valuesOf(tag.values) } });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

/** A tag value as the filter lists it: the untagged resources' blank value named as AWS names it. */
const tagOption = (value: string): MultiselectProps.Option => ({ value, label: value === '' ? 'No tag key' : value });

/** The selections a saved Filter stands for (the inverse of filterExpression). */
function selectionsOf(filter: FilterExpression | undefined): { selections: Selections; tag: TagSelection } {
  const parts = filter === undefined ? [] : 'And' in filter ? filter.And : [filter];
  const selections: Selections = { ...NO_SELECTIONS };
  let tag = NO_TAG;
  for (const part of parts) {
    if ('Tags' in part) {
      tag = { key: part.Tags.Key, values: part.Tags.Values.map(tagOption) };
      continue;
    }
    const key = FILTERS.find((f) => f.key === part.Dimensions.Key)?.key;
    if (key !== undefined) selections[key] = part.Dimensions.Values.map((value) => ({ value, label: value }));
  }
  return { selections, tag };
}

interface SavedQuery {
  TimePeriod: { Start: string; End: string };
  Granularity: string;
  GroupBy?: { Type: string; Key: string }[];
  Filter?: FilterExpression;
}

/** The breakdown shows one column per period up to this many (a year of months); beyond, only the total. */
const MAX_PERIOD_COLUMNS = 12;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Six months: the five before this one and this one to its last day, both ends shown and included. */
function defaultRange(): DateRangePickerProps.AbsoluteValue {
  const now = new Date();
  return {
    type: 'absolute',
    startDate: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1))),
    endDate: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0))),
  };
}

/** The breakdown table as a CSV file: its rows and columns, each amount to the cent as the table shows it. */
function breakdownCsv(
  breakdown: CostBreakdown,
  groupLabel: string,
  periodLabel: (period: string) => string,
  periods: readonly string[],
): string[][] {
  const line = (key: string, byPeriod: Map<string, string>, total: string) => [
    key,
    ...periods.map((period) => centsOf(byPeriod.get(period))),
    centsOf(total),
  ];
  return [
    [groupLabel, ...periods.map(periodLabel), `Total cost (${breakdown.unit})`],
    ...breakdown.rows.map((row) => line(row.key, row.byPeriod, row.total)),
    line('Total', breakdown.totalByPeriod, breakdown.total),
  ];
}

/** The chart's data as a CSV file: one line per period, one column per bar drawn ("Others" too) and the total. */
function chartCsv(breakdown: CostBreakdown, groupLabel: string, periodLabel: (period: string) => string): string[][] {
  const groups = chartGroups(breakdown);
  return [
    [`Period (${groupLabel}, ${breakdown.unit})`, ...groups.map((g) => g.title), 'Total'],
    ...breakdown.periods.map((period) => [
      periodLabel(period),
      ...groups.map((g) => centsOf(g.byPeriod.get(period))),
      centsOf(breakdown.totalByPeriod.get(period)),
    ]),
  ];
}

function CostExplorer() {
  const notify = useNotify();
  const [range, setRange] = useState<DateRangePickerProps.Value | null>(defaultRange);
  const [granularity, setGranularity] = useState<SelectProps.Option>(GRANULARITIES[0]!);
  const [groupBy, setGroupBy] = useState<SelectProps.Option>(GROUP_BY[0]!);
  const [groupTagKey, setGroupTagKey] = useState<string | null>(null);
  const [selections, setSelections] = useState<Selections>(NO_SELECTIONS);
  const [tagFilter, setTagFilter] = useState<TagSelection>(NO_TAG);
  const [saving, setSaving] = useState(false);
  const { busy, submit } = useSubmit();
  const [reportName, setReportName] = useState('');
  const period = periodOf(range, new Date());
  const filter = filterExpression(selections, tagFilter);
  // Grouping by tag waits for its key; the API groups by one tag key at a time.
  const grouping =
    groupBy.value === 'TAG'
      ? groupTagKey === null
        ? undefined
        : { Type: 'TAG', Key: groupTagKey }
      : { Type: 'DIMENSION', Key: groupBy.value ?? 'SERVICE' };
  const query =
    period === null || grouping === undefined
      ? undefined
      : {
          TimePeriod: period,
          Granularity: granularity.value,
          Metrics: ['UnblendedCost'],
          GroupBy: [grouping],
          ...(filter !== undefined ? { Filter: filter } : {}),
        };
  const queryKey = JSON.stringify(query);
  // The answer keeps the query it answers, so the chart and table never label one range's costs with another's.
  const costs = useAsync(
    async () => (query === undefined ? undefined : { query, result: await billingApi.getCostAndUsage(query) }),
    [queryKey],
  );
  const dimensionValues = useAsync(
    async () =>
      period === null
        ? undefined
        : Object.fromEntries(
            await Promise.all(
              FILTERS.map(async ({ key }) => {
                const values = await billingApi.getDimensionValues(key, period);
                const options: MultiselectProps.Option[] = values.map((v) => ({
                  value: v.Value,
                  label: v.Value,
                  ...(v.Attributes?.description ? { description: v.Attributes.description } : {}),
                }));
                return [key, options] as const;
              }),
            ),
          ),
    [period?.Start, period?.End],
  );
  // The tag keys of the range's costs (the cost allocation tags), for grouping and filtering by tag.
  const tagKeys = useAsync(
    async () => (period === null ? [] : billingApi.getTags(period)),
    [period?.Start, period?.End],
  );
  const tagValues = useAsync(
    async () =>
      period === null || tagFilter.key === null ? [] : (await billingApi.getTags(period, tagFilter.key)).map(tagOption),
    [period?.Start, period?.End, tagFilter.key],
  );
  const tagKeyOptions = (tagKeys.data ?? []).map((key) => ({ value: key, label: key }));
  const reports = useAsync(billingApi.describeCostReports, []);

  const open = (report: CostReport) => {
    const saved = JSON.parse(report.Query) as SavedQuery;
    setRange({ type: 'absolute', startDate: saved.TimePeriod.Start, endDate: lastDayOf(saved.TimePeriod.End) });
    setGranularity(GRANULARITIES.find((g) => g.value === saved.Granularity) ?? GRANULARITIES[0]!);
    const savedGroup = saved.GroupBy?.[0];
    const tagGroup = savedGroup?.Type === 'TAG';
    setGroupBy(GROUP_BY.find((g) => g.value === (tagGroup ? 'TAG' : savedGroup?.Key)) ?? GROUP_BY[0]!);
    setGroupTagKey(tagGroup ? savedGroup.Key : null);
    const restored = selectionsOf(saved.Filter);
    setSelections(restored.selections);
    setTagFilter(restored.tag);
    notify.success(`Opened report ${report.Name}.`);
  };

  // Saving is always offered; the server decides, and a refusal is shown as AWS shows it.
  // The dialog closes either way, so a refusal's flash message is not hidden behind it.
  const save = async () => {
    if (query === undefined || reportName.trim() === '') return;
    await submit(async () => {
      await billingApi.createCostReport(reportName.trim(), query);
      notify.success(`Report ${reportName.trim()} saved to the report library.`);
      setReportName('');
      reports.reload();
    });
    setSaving(false);
  };

  const shown = costs.data?.query;
  const shownGroup = shown?.GroupBy[0];
  const shownDimension = shownGroup?.Type === 'TAG' ? 'TAG' : (shownGroup?.Key ?? '');
  const breakdown = useMemo(() => costBreakdown(costs.data?.result, shownDimension), [costs.data, shownDimension]);
  const shownLabel =
    shownGroup?.Type === 'TAG'
      ? `Tag: ${shownGroup.Key}`
      : (GROUP_BY.find((g) => g.value === shownDimension)?.label ?? groupBy.label ?? '');
  const periodLabel = (start: string) =>
    shown?.Granularity === 'MONTHLY'
      ? new Date(`${start}T00:00:00Z`).toLocaleDateString(undefined, {
          month: 'short',
          year: 'numeric',
          timeZone: 'UTC',
        })
      : start;
  const rows = [
    ...breakdown.rows.map((row) => ({ key: row.key, byPeriod: row.byPeriod, total: row.total, isTotal: false })),
    ...(breakdown.rows.length > 0
      ? [{ key: 'Total', byPeriod: breakdown.totalByPeriod, total: breakdown.total, isTotal: true }]
      : []),
  ];
  const money = (amount: string | undefined, bold: boolean) => {
    const text = formatMoney(amount ?? '0', breakdown.unit);
    return bold ? <Box fontWeight="bold">{text}</Box> : text;
  };
  // A column per period, as AWS's breakdown has, while they fit beside each other (a year of months).
  const columns = breakdown.periods.length <= MAX_PERIOD_COLUMNS ? breakdown.periods : [];
  const periodColumns = columns.map((period) => ({
    id: `period-${period}`,
    header: periodLabel(period),
    cell: (r: (typeof rows)[number]) => money(r.byPeriod.get(period), r.isTotal),
  }));

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Report parameters</Header>}>
        <SpaceBetween direction="horizontal" size="l">
          <FormField label="Date range">
            <CostPeriodPicker value={range} onChange={setRange} />
          </FormField>
          <FormField label="Granularity">
            <Select
              selectedOption={granularity}
              onChange={(e) => setGranularity(e.detail.selectedOption)}
              options={GRANULARITIES}
              ariaLabel="Granularity"
            />
          </FormField>
          <FormField label="Group by">
            <Select
              selectedOption={groupBy}
              onChange={(e) => setGroupBy(e.detail.selectedOption)}
              options={GROUP_BY}
              ariaLabel="Group by"
            />
          </FormField>
          {groupBy.value === 'TAG' && (
            <FormField label="Tag key">
              <Select
                selectedOption={groupTagKey === null ? null : { value: groupTagKey, label: groupTagKey }}
                onChange={(e) => setGroupTagKey(e.detail.selectedOption.value ?? null)}
                options={tagKeyOptions}
                statusType={tagKeys.loading ? 'loading' : tagKeys.error ? 'error' : 'finished'}
                loadingText="Loading tag keys"
                errorText="The tag keys could not be loaded."
                empty="No tags in this period"
                placeholder="Choose a tag key"
                ariaLabel="Group by tag key"
              />
            </FormField>
          )}
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2">Filters</Header>}>
        <SpaceBetween size="s">
          {dimensionValues.error && <ErrorAlert error={dimensionValues.error} />}
          <SpaceBetween direction="horizontal" size="l">
            {FILTERS.map(({ key, label, placeholder }) => (
              <FormField key={key} label={label}>
                <div style={{ minWidth: 240 }}>
                  <Multiselect
                    selectedOptions={selections[key]}
                    onChange={(e) => setSelections((s) => ({ ...s, [key]: e.detail.selectedOptions }))}
                    options={dimensionValues.data?.[key] ?? []}
                    statusType={dimensionValues.loading ? 'loading' : dimensionValues.error ? 'error' : 'finished'}
                    loadingText={`Loading ${label.toLowerCase()} values`}
                    errorText="The values could not be loaded."
                    empty="No values in this period"
                    filteringType="auto"
                    placeholder={placeholder}
                    ariaLabel={`Filter by ${label.toLowerCase()}`}
                    deselectAriaLabel={(o) => `Remove ${o.label ?? o.value ?? ''}`}
                    tokenLimit={3}
                  />
                </div>
              </FormField>
            ))}
            <FormField label="Tag">
              <div style={{ minWidth: 180 }}>
                <Select
                  selectedOption={tagFilter.key === null ? null : { value: tagFilter.key, label: tagFilter.key }}
                  onChange={(e) => setTagFilter({ key: e.detail.selectedOption.value ?? null, values: [] })}
                  options={tagKeyOptions}
                  statusType={tagKeys.loading ? 'loading' : tagKeys.error ? 'error' : 'finished'}
                  loadingText="Loading tag keys"
                  errorText="The tag keys could not be loaded."
                  empty="No tags in this period"
                  placeholder="Choose a tag key"
                  ariaLabel="Filter by tag key"
                />
              </div>
            </FormField>
            <FormField label="Tag values">
              <div style={{ minWidth: 240 }}>
                <Multiselect
                  disabled={tagFilter.key === null}
                  selectedOptions={tagFilter.values}
                  onChange={(e) => setTagFilter((t) => ({ ...t, values: e.detail.selectedOptions }))}
                  options={tagValues.data ?? []}
                  statusType={tagValues.loading ? 'loading' : tagValues.error ? 'error' : 'finished'}
                  loadingText="Loading tag values"
                  errorText="The tag values could not be loaded."
                  empty="No values in this period"
                  filteringType="auto"
                  placeholder="All tag values"
                  ariaLabel="Filter by tag value"
                  deselectAriaLabel={(o) => `Remove ${o.label ?? o.value ?? ''}`}
                  tokenLimit={3}
                />
              </div>
            </FormField>
          </SpaceBetween>
          <Box>
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                disabled={filter === undefined}
                onClick={() => {
                  setSelections(NO_SELECTIONS);
                  setTagFilter(NO_TAG);
                }}
              >
                Clear filters
              </Button>
              <Button disabled={query === undefined} onClick={() => setSaving(true)}>
                Save to report library
              </Button>
            </SpaceBetween>
          </Box>
        </SpaceBetween>
      </Container>
      {costs.error && <ErrorAlert error={costs.error} />}
      <Container
        header={
          <Header
            variant="h2"
            actions={
              <Button
                iconName="download"
                disabled={breakdown.rows.length === 0}
                onClick={() => downloadCsv('cost-explorer-chart.csv', chartCsv(breakdown, shownLabel, periodLabel))}
              >
                Download chart data (CSV)
              </Button>
            }
          >
            Costs ({breakdown.unit})
          </Header>
        }
      >
        <CostChart
          breakdown={breakdown}
          periodLabel={periodLabel}
          height={300}
          xTitle={granularity.label ?? ''}
          statusType={costs.loading ? 'loading' : costs.error ? 'error' : 'finished'}
          loadingText="Loading costs"
          ariaLabel="Costs"
          empty={<EmptyState title="No cost data" subtitle="There is no cost data for this period." />}
        />
      </Container>
      <Table
        header={
          <Header
            variant="h2"
            description={
              shown &&
              `${formatPeriod(shown.TimePeriod.Start, shown.TimePeriod.End)}, by ${shownGroup?.Type === 'TAG' ? shownLabel.replace('Tag', 'tag') : shownLabel.toLowerCase()}`
            }
            actions={
              <Button
                iconName="download"
                disabled={breakdown.rows.length === 0}
                onClick={() =>
                  downloadCsv('cost-explorer-breakdown.csv', breakdownCsv(breakdown, shownLabel, periodLabel, columns))
                }
              >
                Download table (CSV)
              </Button>
            }
          >
            Cost and usage breakdown
          </Header>
        }
        items={rows}
        loading={costs.loading}
        loadingText="Loading costs"
        // A column per period can be wider than the page: resizable columns give the scrolling table keyboard
        // stops (each column's resize handle), so a keyboard user can reach and scroll it (axe
        // scrollable-region-focusable, WCAG 2.1.1).
        resizableColumns
        empty={<EmptyState title="No costs" subtitle="No costs in this period." />}
        columnDefinitions={[
          { id: 'key', header: shownLabel, cell: (r) => (r.isTotal ? <Box fontWeight="bold">{r.key}</Box> : r.key) },
          ...periodColumns,
          { id: 'total', header: 'Total cost', cell: (r) => money(r.total, r.isTotal) },
        ]}
      />
      <Table
        header={
          <Header variant="h2" counter={`(${reports.data?.length ?? 0})`}>
            Report library
          </Header>
        }
        items={reports.data ?? []}
        loading={reports.loading}
        loadingText="Loading saved reports"
        empty={
          reports.error ? (
            <ErrorAlert error={reports.error} />
          ) : (
            <EmptyState title="No saved reports" subtitle="Save a report to open it again later." />
          )
        }
        columnDefinitions={[
          {
            id: 'name',
            header: 'Report name',
            cell: (r) => (
              <Button variant="inline-link" onClick={() => open(r)} ariaLabel={`Open report ${r.Name}`}>
                {r.Name}
              </Button>
            ),
          },
          { id: 'created', header: 'Created', cell: (r) => formatDate(r.CreatedAt) },
        ]}
      />
      <Modal
        visible={saving}
        onDismiss={() => setSaving(false)}
        header="Save to report library"
        closeAriaLabel="Close dialog"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setSaving(false)}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy} disabled={reportName.trim() === ''} onClick={() => void save()}>
                Save report
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <FormField label="Report name" description="The date range, granularity, grouping and filters are saved.">
          <Input value={reportName} onChange={(e) => setReportName(e.detail.value)} />
        </FormField>
      </Modal>
    </SpaceBetween>
  );
}

export function CostExplorerPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Visualize, understand, and manage your AWS costs and usage over time.">
        Cost Explorer
      </Header>
      <PageGate page="cost-explorer">
        <CostExplorer />
      </PageGate>
    </SpaceBetween>
  );
}
