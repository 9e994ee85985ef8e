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
 * (the execution's folder only with CREATE_NEW_REPORT; OVERWRITE_REPORT replaces the period's files).
 *
 * Every execution is a row of `bcm_export_execution`, inserted before it runs: on-demand runs (an export created
 * or updated) under their own id, scheduled runs under their UTC day. The (export, slot) key is unique, so when
 * several servers over one PostgreSQL each try to schedule today's run, one insert succeeds and only that server
 * runs it. Every billing period the account has line items for is delivered on each run.
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
import type { CostScope } from '../costs/cost-scope.js';
import type { ExecutionStatusCode, Export } from '../../contracts/wire/bcm-data-exports.js';
import { parseExportQuery, type Selection } from './export-query.js';
import type { ColumnType } from './export-tables.js';

/** A delivered file's place: its key in the destination store and the S3 URI a manifest names it by. */
interface Delivered {
  key: string;
  uri: string;
}

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

export const exportKeyBase = (definition: Export) => {
  const { S3Bucket, S3Prefix } = definition.DestinationConfigurations.S3Destination;
  return [S3Bucket, ...S3Prefix.split('/'), definition.Name].filter((segment) => segment !== '').join('/');
};

export class ExportDeliveries {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly billing: Billing,
    /** Where delivered files go (the export destination setting). */
    readonly destination: BlobStore,
    private readonly logger: Logger,
  ) {}

  /**
   * Records an execution of the export claimed by `slot` (default: its own id) and starts it in the background.
   * Returns its id, or undefined when the slot was already claimed (by this server or another).
   */
  async request(accountId: string, exportId: string, definition: Export, slot?: string): Promise<string | undefined> {
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
   * The scheduler's tick: claims today's (UTC) run of every export that has none yet and starts the runs this
   * server claimed. Returns how many it claimed.
   */
  async runDue(): Promise<number> {
    const day = this.clock.now().toISOString().slice(0, 10);
    const exports = await this.db.selectFrom('bcm_export').select(['account_id', 'export_id', 'export']).execute();
    let claimed = 0;
    for (const row of exports) {
      const definition = JSON.parse(row.export) as Export;
      if ((await this.request(row.account_id, row.export_id, definition, `scheduled:${day}`)) !== undefined) {
        claimed += 1;
      }
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

  private async run(accountId: string, exportId: string, executionId: string, definition: Export): Promise<void> {
    let phase: ExecutionStatusCode = 'QUERY_IN_PROCESS';
    try {
      await this.setStatus(accountId, exportId, executionId, phase);
      const query = parseExportQuery(definition.DataQuery.QueryStatement, definition.DataQuery.TableConfigurations);
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
      const output = definition.DestinationConfigurations.S3Destination.S3OutputConfigurations;
      const parquet = output.Format === 'PARQUET';
      const newReport = output.Overwrite === 'CREATE_NEW_REPORT';
      const base = exportKeyBase(definition);
      const bucket = definition.DestinationConfigurations.S3Destination.S3Bucket;
      const uriOf = (key: string) => `s3://${bucket}/${key.slice(bucket.length + 1)}`;
      const written: string[] = [];
      for (const { billing_period: period } of periods) {
        phase = 'QUERY_IN_PROCESS';
        const file = await this.queryPeriod(query, scope, owners, period, parquet);
        phase = 'DELIVERY_IN_PROCESS';
        await this.setStatus(accountId, exportId, executionId, phase);
        const folder = `BILLING_PERIOD=${period}${newReport ? `/${executionId}` : ''}`;
        const data: Delivered = {
          key: `${base}/data/${folder}/${definition.Name}-00001.${parquet ? 'snappy.parquet' : 'csv.gz'}`,
          uri: '',
        };
        data.uri = uriOf(data.key);
        await this.destination.put(data.key, file);
        const manifestKey = `${base}/metadata/${folder}/${definition.Name}-Manifest.json`;
        const manifest = {
          executionId,
          exportArn: `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/${exportId}`,
          exportName: definition.Name,
          queryStatement: definition.DataQuery.QueryStatement,
          tableConfigurations: definition.DataQuery.TableConfigurations ?? {},
          billingPeriod: { start: `${period}-01T00:00:00.000Z`, end: `${nextMonth(period)}-01T00:00:00.000Z` },
          bucket,
          dataFiles: [data.uri],
          additionalOutputFiles: [],
          columns: query.selections.map((s) => ({
            name: s.name,
            type: s.key === undefined ? s.column.type : 'string',
          })),
          format: output.Format,
          compression: output.Compression,
          deliveryTimestamp: this.clock.now().toISOString(),
        };
        await this.putText(manifestKey, JSON.stringify(manifest, null, 2));
        written.push(data.key, manifestKey);
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

  /** One period's rows of the query as a local file (gzip CSV with a header, or Parquet). */
  private async queryPeriod(
    query: ReturnType<typeof parseExportQuery>,
    scope: CostScope,
    owners: string[],
    period: string,
    parquet: boolean,
  ): Promise<string> {
    const engine = this.billing.engine;
    const file = engine.newFile(parquet ? 'parquet' : 'csv.gz');
    const files = query.table.fromLineItems
      ? await engine.files(owners, 'line_items', `${period}-01`, `${nextMonth(period)}-01`)
      : [];
    const select = query.selections.map((s) => columnSql(s, !parquet)).join(', ');
    // A table Bursar has no rows for (carbon emissions, recommendations) is delivered with its columns and no rows.
    const from =
      files.length === 0
        ? 'from (select 1) where false'
        : `from ${parquetSource(files)} where billing_period = ${literal(period)} and ${scopeSql(scope)}
           order by charge_period_start, linked_account_id, service, usage_type`;
    const options = parquet ? `(format parquet, compression snappy)` : `(format csv, header true, compression gzip)`;
    await engine.query(`copy (select ${select} ${from}) to ${literal(file)} ${options}`);
    return file;
  }

  private async putText(key: string, text: string): Promise<void> {
    const file = this.billing.engine.newFile('json');
    writeFileSync(file, text);
    await this.destination.put(key, file);
  }
}
