/**
 * Export delivery: an execution of a BCM Data Exports export runs its query over the account's stored line items
 * (the cost parts the relational store lists, read by the cost engine's DuckDB), one file per billing period in
 * the export's format, and writes the files and AWS's `<name>-Manifest.json` to the destination — a blob store
 * (export destination setting: a directory by default, or an S3-compatible object store), under the export's own
 * S3 bucket and prefix as AWS lays them out:
 *
 *     <S3Bucket>/<S3Prefix>/<name>/data/BILLING_PERIOD=YYYY-MM/[<executionId>/]<name>-00001.csv.gz | .snappy.parquet
 *     <S3Bucket>/<S3Prefix>/<name>/metadata/BILLING_PERIOD=YYYY-MM/[<executionId>/]<name>-Manifest.json
 *
 * (the execution's folder only with CREATE_NEW_REPORT; OVERWRITE_REPORT replaces the period's files). A Cost
 * and Usage Report definition is delivered the same way as the legacy CUR: its columns under their legacy names
 * (`lineItem/UnblendedCost`; Athena's names in Parquet), its folders and its manifest (reportDelivery).
 *
 * Every execution is a row of `bcm_export_execution`, inserted before it runs: on-demand runs (an export or
 * report created or updated) under their own id, scheduled runs under their UTC day. The (export, slot) key is
 * unique, so when several servers over one PostgreSQL each try to schedule today's run, one insert succeeds and
 * only that server runs it. Every billing period the account has line items for is delivered on each run, at
 * the stored line items' grain or summed to days or months (TIME_GRANULARITY, a CUR's TimeUnit).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { ExportConfig } from '../../platform/config.js';
import { tempDirPrefix } from '../../platform/temp-dirs.js';
import type { Clock } from '../../platform/clock.js';
import { uuid, type IdSource } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import type { Database } from '../../store/schema.js';
import type { Billing } from '../billing.js';
import { openBlobStore, type BlobStore } from '../costs/blobs/blob-store.js';
import { literal, parquetSource } from '../costs/cost-engine.js';
import { METRIC_COLUMNS } from '../costs/line-item-columns.js';
import { payerOf, type CostScope } from '../costs/cost-scope.js';
import { activeTagKeys } from '../costs/cost-allocation-tags.js';
import type { ExecutionStatusCode, Export } from '../../contracts/wire/bcm-data-exports.js';
import type { ReportDefinition } from '../../contracts/wire/cur.js';
import { parseExportQuery, type Selection } from './export-query.js';
import { exportTable, type ColumnType } from './export-tables.js';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
  'map<string,string>': 'MAP(VARCHAR, VARCHAR)',
};

/** One output column's SQL; CSV carries timestamps as ISO-8601 UTC and maps as JSON, as AWS's CSV files do. */
function columnSql(selection: Selection, csv: boolean): string {
  const { column, key } = selection;
  const source = column.sql ?? `NULL::${DUCKDB_TYPES[column.type]}`;
  let sql = `(${source})::${DUCKDB_TYPES[column.type]}`;
  let type = column.type;
  if (key !== undefined) {
    sql = `(${sql})[${literal(key)}]`;
    type = 'string';
  }
  if (csv && type === 'timestamp') sql = `strftime(${sql}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (csv && type.startsWith('map')) sql = `to_json(${sql})`;
  return `${sql} as "${selection.name.replace(/"/g, '""')}"`;
}

/**
 * Line items summed per day or month: each group's charge period becomes the whole day or month, its metrics
 * sums; resource ids are kept only when the export includes them (else rows of different resources merge).
 */
function summed(rows: string, unit: 'day' | 'month', resources: boolean): string {
  const start = `date_trunc('${unit}', charge_period_start::timestamptz at time zone 'UTC')`;
  const iso = (sql: string) => `strftime(${sql}, '%Y-%m-%dT%H:%M:%SZ')`;
  return `(select * exclude (charge_period_start, charge_period_end, usage_date, resource_id, ${METRIC_COLUMNS.join(', ')}),
      ${resources ? 'resource_id' : 'NULL::VARCHAR as resource_id'},
      ${iso(start)} as charge_period_start, ${iso(`${start} + interval 1 ${unit}`)} as charge_period_end,
      ${METRIC_COLUMNS.map((m) => `sum(${m}) as ${m}`).join(', ')}
    from ${rows} group by all)`;
}

/**
 * The tags an export carries: only the activated cost allocation tags, as AWS's exports hold them (billing-data.md),
 * NULL where a line item has none of them. CUR 2.0's `resource_tags` names a user-defined key `user_<key>` and an
 * AWS-generated one `aws_<key>` (`aws:createdBy` → `aws_createdBy`), the names the CUR importer reads back.
 */
function exportedTags(active: ReadonlySet<string>): { tags: string; resourceTags: string } {
  const kept = `list_filter(map_entries(tags), e -> list_contains([${[...active].map(literal).join(', ')}]::varchar[], e.key))`;
  const asMap = (entries: string) => `case when len(${entries}) = 0 then NULL else map_from_entries(${entries}) end`;
  const curKey = `case when starts_with(e.key, 'aws:') then 'aws_' || e.key[5:] else 'user_' || e.key end`;
  return {
    tags: asMap(kept),
    resourceTags: asMap(`list_transform(${kept}, e -> {'key': ${curKey}, 'value': e.value})`),
  };
}

/** The rows of these owners' line items the scope sees (a member's slice of its management account's data). */
function scopeSql(scope: CostScope): string {
  const owned = `owner_account_id in (${scope.owners.map(literal).join(', ')})`;
  if (scope.slice === undefined) return owned;
  return `(${owned} or (owner_account_id = ${literal(scope.slice.owner)} and linked_account_id = ${literal(scope.slice.linkedAccountId)}))`;
}

const nextMonth = (period: string) => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 7);
};

/** Temporary destinations (no data directory: ephemeral servers, tests), removed when the process exits. */
const temporary = new Set<string>();
process.once('exit', () => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});

/**
 * The export destination a server configures (BURSAR_EXPORT_STORE): else `<data dir>/exports`, else (ephemeral)
 * a temporary directory as short-lived as the store.
 */
export function configuredExportDestination(config: ExportConfig, dataDir?: string): BlobStore {
  let location = config.store ?? (dataDir === undefined ? undefined : join(dataDir, 'exports'));
  if (location === undefined) {
    location = mkdtempSync(tempDirPrefix('costs'));
    temporary.add(location);
  }
  return openBlobStore({
    location,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
  });
}

/** What one execution writes per billing period: its columns, format, keys and manifest. */
interface Delivery {
  selections: Selection[];
  fromLineItems: boolean;
  parquet: boolean;
  /** Line items summed to days or months (TIME_GRANULARITY, a CUR's TimeUnit); else as stored. */
  granularity?: 'day' | 'month';
  /** Whether rows keep their resource ids (INCLUDE_RESOURCES, the RESOURCES schema element) when summed. */
  resources: boolean;
  /** The period's data file and manifest keys in the destination (the first segment is the S3 bucket). */
  keys(period: string, executionId: string): { data: string; manifest: string };
  manifest(period: string, executionId: string, data: string): unknown;
}

const keyOf = (...segments: string[]) =>
  segments
    .flatMap((s) => s.split('/'))
    .filter((s) => s !== '')
    .join('/');
/** A destination key as the S3 URI it stands for (its first segment is the bucket). */
const uriOf = (key: string) => `s3://${key}`;

const granularityOf = (unit: string | undefined) =>
  unit === 'DAILY' ? ('day' as const) : unit === 'MONTHLY' ? ('month' as const) : undefined;

/** A Data Exports export: AWS's `<name>/data/BILLING_PERIOD=…` layout and `<name>-Manifest.json`. */
function exportDelivery(accountId: string, exportId: string, definition: Export): Delivery {
  const query = parseExportQuery(definition.DataQuery.QueryStatement, definition.DataQuery.TableConfigurations);
  const { S3Bucket, S3Prefix, S3OutputConfigurations: output } = definition.DestinationConfigurations.S3Destination;
  const parquet = output.Format === 'PARQUET';
  const folder = (period: string, executionId: string) =>
    `BILLING_PERIOD=${period}${output.Overwrite === 'CREATE_NEW_REPORT' ? `/${executionId}` : ''}`;
  const base = keyOf(S3Bucket, S3Prefix, definition.Name);
  const granularity = granularityOf(query.properties.TIME_GRANULARITY);
  return {
    selections: query.selections,
    fromLineItems: query.table.fromLineItems,
    parquet,
    ...(granularity === undefined ? {} : { granularity }),
    resources: query.properties.INCLUDE_RESOURCES === 'TRUE',
    keys: (period, executionId) => ({
      data: `${base}/data/${folder(period, executionId)}/${definition.Name}-00001.${parquet ? 'snappy.parquet' : 'csv.gz'}`,
      manifest: `${base}/metadata/${folder(period, executionId)}/${definition.Name}-Manifest.json`,
    }),
    manifest: (period, executionId, data) => ({
      executionId,
      exportArn: `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/${exportId}`,
      exportName: definition.Name,
      queryStatement: definition.DataQuery.QueryStatement,
      tableConfigurations: definition.DataQuery.TableConfigurations ?? {},
      billingPeriod: { start: `${period}-01T00:00:00.000Z`, end: `${nextMonth(period)}-01T00:00:00.000Z` },
      bucket: S3Bucket,
      dataFiles: [uriOf(data)],
      additionalOutputFiles: [],
      columns: query.selections.map((s) => ({ name: s.name, type: s.key === undefined ? s.column.type : 'string' })),
      format: output.Format,
      compression: output.Compression,
    }),
  };
}

/**
 * The legacy CUR's columns: (category, name) as its CSV header writes `category/name`, its Athena Parquet name,
 * and the CUR 2.0 column (and map key) with the same content.
 */
const LEGACY_CUR_COLUMNS: [category: string, name: string, parquet: string, cur: string, key?: string][] = [
  ['identity', 'LineItemId', 'identity_line_item_id', 'identity_line_item_id'],
  ['identity', 'TimeInterval', 'identity_time_interval', 'identity_time_interval'],
  ['bill', 'InvoiceId', 'bill_invoice_id', 'bill_invoice_id'],
  ['bill', 'InvoicingEntity', 'bill_invoicing_entity', 'bill_invoicing_entity'],
  ['bill', 'BillingEntity', 'bill_billing_entity', 'bill_billing_entity'],
  ['bill', 'BillType', 'bill_bill_type', 'bill_bill_type'],
  ['bill', 'PayerAccountId', 'bill_payer_account_id', 'bill_payer_account_id'],
  ['bill', 'BillingPeriodStartDate', 'bill_billing_period_start_date', 'bill_billing_period_start_date'],
  ['bill', 'BillingPeriodEndDate', 'bill_billing_period_end_date', 'bill_billing_period_end_date'],
  ['lineItem', 'UsageAccountId', 'line_item_usage_account_id', 'line_item_usage_account_id'],
  ['lineItem', 'LineItemType', 'line_item_line_item_type', 'line_item_line_item_type'],
  ['lineItem', 'UsageStartDate', 'line_item_usage_start_date', 'line_item_usage_start_date'],
  ['lineItem', 'UsageEndDate', 'line_item_usage_end_date', 'line_item_usage_end_date'],
  ['lineItem', 'ProductCode', 'line_item_product_code', 'line_item_product_code'],
  ['lineItem', 'UsageType', 'line_item_usage_type', 'line_item_usage_type'],
  ['lineItem', 'Operation', 'line_item_operation', 'line_item_operation'],
  ['lineItem', 'AvailabilityZone', 'line_item_availability_zone', 'line_item_availability_zone'],
  ['lineItem', 'ResourceId', 'line_item_resource_id', 'line_item_resource_id'],
  ['lineItem', 'UsageAmount', 'line_item_usage_amount', 'line_item_usage_amount'],
  ['lineItem', 'NormalizedUsageAmount', 'line_item_normalized_usage_amount', 'line_item_normalized_usage_amount'],
  ['lineItem', 'CurrencyCode', 'line_item_currency_code', 'line_item_currency_code'],
  ['lineItem', 'UnblendedCost', 'line_item_unblended_cost', 'line_item_unblended_cost'],
  ['lineItem', 'BlendedCost', 'line_item_blended_cost', 'line_item_blended_cost'],
  ['lineItem', 'NetUnblendedCost', 'line_item_net_unblended_cost', 'line_item_net_unblended_cost'],
  ['lineItem', 'LineItemDescription', 'line_item_line_item_description', 'line_item_line_item_description'],
  ['lineItem', 'LegalEntity', 'line_item_legal_entity', 'line_item_legal_entity'],
  ['product', 'ProductName', 'product_product_name', 'product', 'product_name'],
  ['product', 'region', 'product_region', 'product_region_code'],
  ['product', 'servicecode', 'product_servicecode', 'product_servicecode'],
  ['product', 'sku', 'product_sku', 'product_sku'],
  ['pricing', 'publicOnDemandCost', 'pricing_public_on_demand_cost', 'pricing_public_on_demand_cost'],
  ['pricing', 'unit', 'pricing_unit', 'pricing_unit'],
];

/** The legacy manifest's column types, by the dictionary's. */
const LEGACY_TYPES: Record<ColumnType, string> = {
  string: 'String',
  double: 'BigDecimal',
  timestamp: 'DateTime',
  'map<string,string>': 'String',
};

const compactDate = (period: string) => `${period.replace('-', '')}01`;

/**
 * A Cost and Usage Report definition (legacy CUR): CSV under `<prefix>/<name>/<yyyymmdd-yyyymmdd>/` (an
 * assembly folder per execution with CREATE_NEW_REPORT) and its `<name>-Manifest.json` there; Parquet under
 * `<prefix>/<name>/<name>/year=YYYY/month=M/`. Resource ids only with the RESOURCES schema element.
 */
function reportDelivery(accountId: string, definition: ReportDefinition): Delivery {
  const cur = exportTable('COST_AND_USAGE_REPORT')!;
  const parquet = definition.Format === 'Parquet';
  const resources = definition.AdditionalSchemaElements.includes('RESOURCES');
  const columns = LEGACY_CUR_COLUMNS.filter(([, name]) => resources || name !== 'ResourceId');
  const selections: Selection[] = columns.map(([category, name, athena, column, key]) => ({
    name: parquet ? athena : `${category}/${name}`,
    column: cur.columns.find((c) => c.name === column)!,
    ...(key === undefined ? {} : { key }),
  }));
  const base = keyOf(definition.S3Bucket, definition.S3Prefix, definition.ReportName);
  const range = (period: string) => `${compactDate(period)}-${compactDate(nextMonth(period))}`;
  const newReport = definition.ReportVersioning !== 'OVERWRITE_REPORT';
  const granularity = granularityOf(definition.TimeUnit);
  return {
    selections,
    fromLineItems: true,
    parquet,
    ...(granularity === undefined ? {} : { granularity }),
    resources,
    keys: (period, executionId) => {
      const [year, month] = period.split('-').map(Number) as [number, number];
      return {
        data: parquet
          ? `${base}/${definition.ReportName}/year=${year}/month=${month}/${definition.ReportName}-00001.snappy.parquet`
          : `${base}/${range(period)}/${newReport ? `${executionId}/` : ''}${definition.ReportName}-00001.csv.gz`,
        manifest: `${base}/${range(period)}/${definition.ReportName}-Manifest.json`,
      };
    },
    manifest: (period, executionId, data) => ({
      assemblyId: executionId,
      account: accountId,
      columns: columns.map(([category, name], i) => ({
        category,
        name,
        type: LEGACY_TYPES[selections[i]!.key === undefined ? selections[i]!.column.type : 'string'],
      })),
      charset: 'UTF-8',
      compression: parquet ? 'Parquet' : 'GZIP',
      contentType: parquet ? 'application/parquet' : 'text/csv',
      reportId: executionId,
      reportName: definition.ReportName,
      billingPeriod: {
        start: `${compactDate(period)}T000000.000Z`,
        end: `${compactDate(nextMonth(period))}T000000.000Z`,
      },
      bucket: definition.S3Bucket,
      reportKeys: [data.slice(definition.S3Bucket.length + 1)],
      additionalArtifactKeys: [],
    }),
  };
}

/** The execution-table id of a report definition's runs (exports use their ARN's id). */
export const reportExecutionId = (reportName: string) => `cur:${reportName}`;

export class ExportDeliveries {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly billing: Billing,
    /** Where delivered files go (the export destination setting). */
    private readonly destination: BlobStore,
    private readonly logger: Logger,
  ) {}

  /**
   * Records an execution of the export (or report definition, `cur:NAME`) claimed by `slot` (default: its own
   * id) and starts it in the background. Returns its id, or undefined when the slot was already claimed (by this
   * server or another).
   */
  async request(
    accountId: string,
    exportId: string,
    definition: Export | ReportDefinition,
    slot?: string,
  ): Promise<string | undefined> {
    const executionId = uuid(this.ids);
    const now = this.clock.now().toISOString();
    const inserted = await this.db
      .insertInto('bcm_export_execution')
      .values({
        account_id: accountId,
        export_id: exportId,
        execution_id: executionId,
        slot: slot ?? `on-demand:${executionId}`,
        status_code: 'INITIATION_IN_PROCESS',
        status_reason: null,
        definition: JSON.stringify(definition),
        files: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
      })
      .onConflict((oc) => oc.columns(['account_id', 'export_id', 'slot']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
    const run: Promise<void> = this.run(accountId, exportId, executionId, definition).finally(() =>
      this.running.delete(run),
    );
    this.running.add(run);
    return executionId;
  }

  /**
   * The scheduler's tick: claims today's (UTC) run of every export and report definition that has none yet and
   * starts the runs this server claimed. Returns how many it claimed.
   */
  async runDue(): Promise<number> {
    const slot = `scheduled:${this.clock.now().toISOString().slice(0, 10)}`;
    const exports = await this.db.selectFrom('bcm_export').select(['account_id', 'export_id', 'export']).execute();
    const reports = await this.db
      .selectFrom('cur_report_definition')
      .select(['account_id', 'report_name', 'definition'])
      .execute();
    const due: [string, string, Export | ReportDefinition][] = [
      ...exports.map((r) => [r.account_id, r.export_id, JSON.parse(r.export) as Export] as [string, string, Export]),
      ...reports.map(
        (r) =>
          [r.account_id, reportExecutionId(r.report_name), JSON.parse(r.definition) as ReportDefinition] as [
            string,
            string,
            ReportDefinition,
          ],
      ),
    ];
    let claimed = 0;
    for (const [accountId, id, definition] of due) {
      if ((await this.request(accountId, id, definition, slot)) !== undefined) claimed += 1;
    }
    return claimed;
  }

  /** Resolves when every run this server started has finished (before the store closes). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async setStatus(
    accountId: string,
    exportId: string,
    executionId: string,
    status: ExecutionStatusCode,
    more: { files?: string[]; reason?: string } = {},
  ): Promise<void> {
    const now = this.clock.now().toISOString();
    const done = status === 'DELIVERY_SUCCESS' || status === 'DELIVERY_FAILURE' || status === 'QUERY_FAILURE';
    await this.db
      .updateTable('bcm_export_execution')
      .set({
        status_code: status,
        updated_at: now,
        ...(done ? { completed_at: now } : {}),
        ...(more.files === undefined ? {} : { files: JSON.stringify(more.files) }),
        ...(more.reason === undefined ? {} : { status_reason: more.reason }),
      })
      .where('account_id', '=', accountId)
      .where('export_id', '=', exportId)
      .where('execution_id', '=', executionId)
      .execute();
  }

  private async run(
    accountId: string,
    exportId: string,
    executionId: string,
    definition: Export | ReportDefinition,
  ): Promise<void> {
    let phase: ExecutionStatusCode = 'QUERY_IN_PROCESS';
    try {
      await this.setStatus(accountId, exportId, executionId, phase);
      const delivery =
        'ReportName' in definition
          ? reportDelivery(accountId, definition)
          : exportDelivery(accountId, exportId, definition);
      const scope = await this.billing.scopeOf(accountId);
      const owners = [...scope.owners, ...(scope.slice === undefined ? [] : [scope.slice.owner])];
      const periods = await this.db
        .selectFrom('billing_cost_part')
        .select('billing_period')
        .distinct()
        .where('owner_account_id', 'in', owners)
        .where('kind', '=', 'line_items')
        .orderBy('billing_period')
        .execute();
      const written: string[] = [];
      for (const { billing_period: period } of periods) {
        phase = 'QUERY_IN_PROCESS';
        const file = await this.queryPeriod(delivery, scope, owners, period);
        phase = 'DELIVERY_IN_PROCESS';
        await this.setStatus(accountId, exportId, executionId, phase);
        const keys = delivery.keys(period, executionId);
        await this.destination.put(keys.data, file);
        await this.putText(keys.manifest, JSON.stringify(delivery.manifest(period, executionId, keys.data), null, 2));
        written.push(keys.data, keys.manifest);
      }
      await this.setStatus(accountId, exportId, executionId, 'DELIVERY_SUCCESS', { files: written });
    } catch (error) {
      this.logger.warn('export execution failed', { exportId, executionId, error: String(error) });
      const failed = phase === 'DELIVERY_IN_PROCESS' ? 'DELIVERY_FAILURE' : 'QUERY_FAILURE';
      await this.setStatus(accountId, exportId, executionId, failed, { reason: 'INTERNAL_FAILURE' }).catch(
        (second: unknown) => this.logger.error('export execution status not recorded', { error: String(second) }),
      );
    }
  }

  /** One period's rows as a local file (gzip CSV with a header, or Parquet). */
  private async queryPeriod(delivery: Delivery, scope: CostScope, owners: string[], period: string): Promise<string> {
    const engine = this.billing.engine;
    const file = engine.newFile(delivery.parquet ? 'parquet' : 'csv.gz');
    const lease = delivery.fromLineItems
      ? await engine.leaseParts(owners, 'line_items', `${period}-01`, `${nextMonth(period)}-01`)
      : undefined;
    try {
      const files = lease?.files ?? [];
      const select = delivery.selections.map((s) => columnSql(s, !delivery.parquet)).join(', ');
      // A table Bursar has no rows for (carbon emissions, recommendations) is delivered with its columns and no rows.
      const tags = exportedTags(await activeTagKeys(this.billing.db, payerOf(scope)));
      const rows = `(select * replace (${tags.tags} as tags), ${tags.resourceTags} as cur_resource_tags
        from ${parquetSource(files)} where billing_period = ${literal(period)} and ${scopeSql(scope)})`;
      const from =
        files.length === 0
          ? 'from (select 1) where false'
          : `from ${delivery.granularity === undefined ? rows : summed(rows, delivery.granularity, delivery.resources)}
           order by charge_period_start, linked_account_id, service, usage_type`;
      const options = delivery.parquet
        ? `(format parquet, compression snappy)`
        : `(format csv, header true, compression gzip)`;
      await engine.query(`copy (select ${select} ${from}) to ${literal(file)} ${options}`);
    } finally {
      lease?.release();
    }
    return file;
  }

  private async putText(key: string, text: string): Promise<void> {
    const file = this.billing.engine.newFile('json');
    writeFileSync(file, text);
    await this.destination.put(key, file);
  }
}
