/**
 * `bursar import`'s engine: finds the files given (a file or a directory of them), recognises each one's container
 * and format before anything is written, then has DuckDB read every file, normalize it with its format's SQL
 * (cost-formats.ts) into the store's staging table, and count what it skipped and why. The store keeps the whole
 * import or (on an unreadable file, or any error) none of it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CostLineItem } from '../cost-line-item.js';
import type { CostStore, ImportOptions, ImportSummary } from '../cost-store.js';
import { lineItemTableDdl } from '../line-item-columns.js';
import { detectFormat, normalizeSql } from './cost-formats.js';
import type { CostFormat, SourceColumn } from './cost-formats.js';
import { ImportError, describeSource, listDataFiles, openSource } from './source-files.js';
import type { SourceFile } from './source-files.js';

export interface FileReport {
  path: string;
  container: string;
  format: CostFormat;
  read: number;
  imported: number;
  skipped: number;
  /** Skip reason → how many rows. */
  reasons: Record<string, number>;
}

export interface ImportReport extends ImportSummary {
  files: FileReport[];
}

export interface ImportProgress {
  path: string;
  /** How much of the file DuckDB has read, 0–100. */
  percent: number;
}

export interface ImportFilesOptions {
  ownerAccountId: string;
  importId: string;
  now: Date;
  /** Called about every `progressEveryMs` while a file is read. */
  onProgress?: (progress: ImportProgress) => void;
  progressEveryMs?: number;
}

interface Plan {
  source: SourceFile;
  columns: SourceColumn[];
  format: CostFormat;
}

/** Recognises every file (container from its bytes, format from its columns) without reading its rows. */
async function planFiles(paths: string[]): Promise<Plan[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const plans: Plan[] = [];
    for (const path of paths) {
      const source = await openSource(path);
      const columns = await describeSource(connection, source);
      const format = detectFormat(columns.map((c) => c.name));
      if (format === undefined) {
        throw new ImportError(
          `${path}: not a FOCUS or AWS CUR export (no BilledCost, lineItem/UnblendedCost or line_item_unblended_cost column)`,
        );
      }
      plans.push({ source, columns, format });
    }
    return plans;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs one statement, reporting DuckDB's progress on it every `everyMs`. */
async function withProgress<T>(
  connection: DuckDBConnection,
  work: Promise<T>,
  report: ((percent: number) => void) | undefined,
  everyMs: number,
): Promise<T> {
  if (report === undefined) return work;
  const timer = setInterval(() => {
    const { percentage } = connection.progress;
    if (percentage >= 0) report(Math.min(100, percentage));
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Reads one file into `table`: the normalized rows (bad ones with their reason) land in a temporary table once,
 * so the file is parsed once; the good rows are copied to the staging table and the bad ones counted.
 */
async function stageFile(
  connection: DuckDBConnection,
  table: string,
  plan: Plan,
  options: ImportFilesOptions,
): Promise<FileReport> {
  const rows = 'bursar_import_rows';
  await withProgress(
    connection,
    connection.run(
      `create or replace temp table ${rows} as ${normalizeSql(plan.format, plan.columns, plan.source.from)}`,
    ),
    options.onProgress && ((percent) => options.onProgress!({ path: plan.source.path, percent })),
    options.progressEveryMs ?? 1000,
  );
  try {
    await connection.run(
      `insert into ${table} by name select * exclude (skip_reason) from ${rows} where skip_reason is null`,
    );
    const counts = (
      await connection.runAndReadAll(`select skip_reason, count(*) as n from ${rows} group by skip_reason`)
    ).getRowObjectsJS();
    const report: FileReport = {
      path: plan.source.path,
      container: plan.source.container,
      format: plan.format,
      read: 0,
      imported: 0,
      skipped: 0,
      reasons: {},
    };
    for (const { skip_reason: reason, n } of counts) {
      const count = Number(n);
      report.read += count;
      if (reason === null) {
        report.imported += count;
      } else {
        report.skipped += count;
        report.reasons[String(reason)] = count;
      }
    }
    return report;
  } finally {
    await connection.run(`drop table if exists ${rows}`);
  }
}

export async function importCostFiles(
  store: CostStore,
  path: string,
  options: ImportFilesOptions,
): Promise<ImportReport> {
  const paths = await listDataFiles(path);
  if (paths.length === 0) throw new ImportError(`no CSV, gzip or Parquet files under ${path}`);
  // Recognise every file before writing anything, so a wrong file fails fast and changes nothing.
  const plans = await planFiles(paths);
  const files: FileReport[] = [];
  const summary = await importStaged(
    store,
    async ({ connection, table }) => {
      // Timestamps without an offset are UTC, and the mappings print UTC.
      await connection.run(`set TimeZone = 'UTC'`);
      for (const plan of plans) files.push(await stageFile(connection, table, plan, options));
    },
    {
      ownerAccountId: options.ownerAccountId,
      importId: options.importId,
      source: paths.length === 1 ? paths[0]! : path,
      format: [...new Set(plans.map((p) => `${p.format}/${p.source.container}`))].join(','),
      now: options.now,
    },
  );
  return { ...summary, files };
}

type Fill = (staging: { connection: DuckDBConnection; table: string }) => Promise<void>;

/**
 * Until the store takes a DuckDB staging table itself: stage in a private in-memory DuckDB, then stream the
 * staged rows into CostStore.import.
 */
async function importStaged(store: CostStore, fill: Fill, options: ImportOptions): Promise<ImportSummary> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(lineItemTableDdl('staging'));
    await fill({ connection, table: 'staging' });
    const result = await connection.stream(
      `select billing_period || '-01', payer_account_id, linked_account_id, service, region, usage_type, operation,
        record_type, billing_account_name, linked_account_name, charge_period_start, charge_period_end,
        charge_category, charge_description, service_code, service_category, provider, invoice_issuer, invoice_id,
        availability_zone, sku_id, usage_unit, resource_id, currency, cast(to_json(tags) as varchar),
        unblended_cost, blended_cost, net_unblended_cost, amortized_cost, net_amortized_cost, list_cost,
        usage_quantity, normalized_usage_amount
      from staging`,
    );
    async function* items(): AsyncGenerator<CostLineItem> {
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) return;
        for (const r of chunk.getRows()) {
          const s = (i: number) => r[i] as string;
          const n = (i: number) => r[i] as string | null;
          yield {
            billingPeriodStart: s(0),
            billingAccountId: s(1),
            subAccountId: s(2),
            serviceName: s(3),
            regionId: s(4),
            usageType: s(5),
            operation: s(6),
            recordType: s(7),
            billingAccountName: n(8),
            subAccountName: n(9),
            chargePeriodStart: s(10),
            chargePeriodEnd: s(11),
            chargeCategory: s(12) as CostLineItem['chargeCategory'],
            chargeDescription: n(13),
            serviceCode: n(14),
            serviceCategory: n(15),
            provider: n(16),
            invoiceIssuer: n(17),
            invoiceId: n(18),
            availabilityZone: n(19),
            skuId: n(20),
            usageUnit: n(21),
            resourceId: n(22),
            currency: s(23),
            tags: n(24) === null ? null : (JSON.parse(s(24)) as Record<string, string>),
            billedCost: r[25] as bigint,
            blendedCost: r[26] as bigint,
            netUnblendedCost: r[27] as bigint,
            effectiveCost: r[28] as bigint,
            netAmortizedCost: r[29] as bigint,
            listCost: r[30] as bigint,
            usageQuantity: r[31] as number,
            normalizedUsageAmount: r[32] as number,
          };
        }
      }
    }
    return await store.import(items(), options);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
