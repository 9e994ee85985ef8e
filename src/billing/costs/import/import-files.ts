/**
 * `bursar import`'s engine: finds the files given (a file or a directory of them), recognises each one's container
 * and format before anything is written, then has DuckDB read every file with its format's SQL (cost-formats.ts),
 * staging a CSV file's normalized rows as Parquet and handing a Parquet file over to be read in place, and count
 * what it skipped and why. The store keeps the whole import or (on an unreadable file, or any error) none of it.
 */
import { open, stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { runWithProgress } from '../cost-engine.js';
import { ImportDataError } from '../cost-store.js';
import type { CostStore, ImportSummary, Staging, WriteProgress } from '../cost-store.js';
import { detectFormat, normalizeSql } from './cost-formats.js';
import type { CostFormat, SourceColumn } from './cost-formats.js';
import { ImportError, describeSource, listDataFiles, openSource } from './source-files.js';
import { explainUnreadable } from './explain-unreadable.js';
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
  /** Bytes of the file read so far (of `fileBytes`), from DuckDB's progress. */
  bytes: number;
  fileBytes: number;
  /**
   * Rows read so far over all files: earlier files' counts, plus this file's share of its row count — exact from
   * a Parquet footer, estimated for CSV from the average length of its first lines (`estimated`), unknown for
   * gzip (then only earlier files count).
   */
  rows: number;
  estimated: boolean;
}

export interface ImportFilesOptions {
  ownerAccountId: string;
  importId: string;
  now: Date;
  /** Called about every `progressEveryMs` while a file is read. */
  onProgress?: (progress: ImportProgress) => void;
  progressEveryMs?: number;
  /** Called as each billing period's parts are written, once every file is read. */
  onWritten?: (written: WriteProgress) => void;
}

const literalPath = (path: string) => `'${path.replace(/'/g, "''")}'`;

interface Plan {
  source: SourceFile;
  columns: SourceColumn[];
  format: CostFormat;
  bytes: number;
  /** Rows in the file: a Parquet footer's count, or an estimate for plain CSV; undefined for gzip. */
  rows: number | undefined;
  estimated: boolean;
}

/** A plain CSV's row count, estimated from the average length of its first 256 KiB of lines. */
async function estimateCsvRows(path: string, bytes: number): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(bytes, 256 * 1024));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const lines = head.subarray(0, bytesRead).toString('latin1').split('\n').length - 1;
    return lines <= 1 ? undefined : Math.round((bytes / bytesRead) * lines) - 1;
  } finally {
    await handle.close();
  }
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
        throw new ImportError(path, await explainUnreadable(source, { columns: columns.map((c) => c.name) }));
      }
      const bytes = (await stat(path)).size;
      let rows: number | undefined;
      if (source.container === 'parquet') {
        const footer = await connection.runAndReadAll(
          `select sum(num_rows)::bigint as n from parquet_file_metadata(${literalPath(path)})`,
        );
        rows = Number(footer.getRowObjectsJS()[0]!.n);
      } else if (source.container === 'csv') {
        rows = await estimateCsvRows(path, bytes);
      }
      plans.push({ source, columns, format, bytes, rows, estimated: source.container !== 'parquet' });
    }
    return plans;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Hands one file's rows to the store and counts what it skips and why. A CSV file is staged: DuckDB parses and
 * normalizes it once, writing every row with its skip reason (NULL for a good row) to staged Parquet files, so the
 * rows read are the rows staged, and the skipped ones are counted from those files (a scan of one column) instead
 * of parsing the file again. A Parquet file is read in place (cost-store.ts `readInPlace`), cut at its row groups;
 * its skipped rows are counted with a read of the columns the skip reasons need.
 */
async function handOverFile(
  staging: Staging,
  plan: Plan,
  options: ImportFilesOptions,
  rowsBefore: number,
): Promise<FileReport> {
  const connection = staging.connection;
  let read: number;
  let skipped: Array<Record<string, unknown>>;
  if (plan.source.container === 'parquet') {
    const path = literalPath(plan.source.path);
    const groups = await connection.runAndReadAll(
      `select row_group_num_rows as n from parquet_metadata(${path}) group by row_group_id, row_group_num_rows
       order by row_group_id`,
    );
    staging.readInPlace(
      (range) =>
        normalizeSql(
          plan.format,
          plan.columns,
          `(select * exclude (file_row_number) from read_parquet(${path}, file_row_number = true)
            where file_row_number >= ${range.from} and file_row_number < ${range.to})`,
        ),
      groups.getRowObjectsJS().map((row) => Number(row.n)),
    );
    // A read of the few columns the skip reasons need; the store reports its own read of the file (importCostFiles).
    const counts = (
      await connection.runAndReadAll(
        `select skip_reason, count(*) as n from (${normalizeSql(plan.format, plan.columns, plan.source.from)})
         group by all order by all`,
      )
    ).getRowObjectsJS();
    read = counts.reduce((n, row) => n + Number(row.n), 0);
    skipped = counts.filter((row) => row.skip_reason !== null);
  } else {
    const report = options.onProgress;
    const progress =
      report &&
      ((percent: number) =>
        report({
          path: plan.source.path,
          percent,
          bytes: Math.round((plan.bytes * percent) / 100),
          fileBytes: plan.bytes,
          rows: rowsBefore + Math.round(((plan.rows ?? 0) * percent) / 100),
          estimated: plan.estimated,
        }));
    const { copy, staged } = staging.stage(normalizeSql(plan.format, plan.columns, plan.source.from));
    read = Number((await runWithProgress(connection, copy, progress, options.progressEveryMs ?? 1000)).rowsChanged);
    skipped = (
      await connection.runAndReadAll(
        `select skip_reason, count(*) as n from ${staged} where skip_reason is not null group by all order by all`,
      )
    ).getRowObjectsJS();
  }
  const fileReport: FileReport = {
    path: plan.source.path,
    container: plan.source.container,
    format: plan.format,
    read,
    imported: read,
    skipped: 0,
    reasons: {},
  };
  for (const { skip_reason: reason, n } of skipped) {
    fileReport.reasons[String(reason)] = Number(n);
    fileReport.skipped += Number(n);
  }
  fileReport.imported = read - fileReport.skipped;
  return fileReport;
}

/** Two files of `costFileTotals`' answer that hold the same billing period, if any. */
export function sharedPeriod(
  totals: ReadonlyMap<string, ReadonlyMap<string, bigint>>,
): { period: string; files: [string, string] } | undefined {
  const owner = new Map<string, string>();
  for (const [file, periods] of totals) {
    for (const period of periods.keys()) {
      const first = owner.get(period);
      if (first !== undefined) return { period, files: [first, file] };
      owner.set(period, file);
    }
  }
  return undefined;
}

/**
 * What importing each of `paths` would store, per billing period (`YYYY-MM`): the unblended cost of the rows an
 * import keeps, read with the import's own mapping and skip rules, without storing anything. `bursar scenario
 * apply` compares it with Cost Explorer to tell whether a scenario's cost data is imported already.
 */
export async function costFileTotals(paths: string[]): Promise<Map<string, Map<string, bigint>>> {
  const plans = await planFiles(paths);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("set TimeZone = 'UTC'");
    const totals = new Map<string, Map<string, bigint>>();
    for (const plan of plans) {
      const rows = normalizeSql(plan.format, plan.columns, plan.source.from);
      const result = await connection.runAndReadAll(
        `select billing_period, sum(unblended_cost)::varchar as cost from (${rows}) where skip_reason is null group by 1 order by 1`,
      );
      totals.set(
        plan.source.path,
        new Map(result.getRowObjectsJS().map((r) => [String(r.billing_period), BigInt(String(r.cost))])),
      );
    }
    return totals;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Reports the store's read of the Parquet files read in place (after every other file is staged) as reading them:
 * their bytes and footer row counts, after the staged files' rows, under the file's path or, for several, the
 * import's.
 */
function readInPlaceProgress(
  plans: readonly Plan[],
  path: string,
  staged: readonly FileReport[],
  report: ((progress: ImportProgress) => void) | undefined,
): ((percent: number) => void) | undefined {
  const inPlace = plans.filter((plan) => plan.source.container === 'parquet');
  if (report === undefined || inPlace.length === 0) return undefined;
  const bytes = inPlace.reduce((n, plan) => n + plan.bytes, 0);
  const rows = inPlace.reduce((n, plan) => n + (plan.rows ?? 0), 0);
  return (percent) =>
    report({
      path: inPlace.length === 1 ? inPlace[0]!.source.path : path,
      percent,
      bytes: Math.round((bytes * percent) / 100),
      fileBytes: bytes,
      rows:
        staged.filter((file) => file.container !== 'parquet').reduce((n, file) => n + file.read, 0) +
        Math.round((rows * percent) / 100),
      estimated: false,
    });
}

/**
 * The store reads a Parquet file read in place after `fill` (cost-store.ts `readInPlace`), so DuckDB's error on a
 * damaged one surfaces there, naming server paths. This reads each such file to the end: the first that fails
 * becomes that file's ImportError, in the user's words; any other error is returned as it was.
 */
async function blameInPlace(plans: readonly Plan[], error: unknown): Promise<unknown> {
  const inPlace = plans.filter((plan) => plan.source.container === 'parquet');
  if (error instanceof ImportError || error instanceof ImportDataError || inPlace.length === 0) return error;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const plan of inPlace) {
      try {
        await connection.run(`select sum(hash(columns(*))) from ${plan.source.from}`);
      } catch (readError) {
        const engineMessage = readError instanceof Error ? readError.message : String(readError);
        const columns = plan.columns.map((c) => c.name);
        return new ImportError(plan.source.path, await explainUnreadable(plan.source, { columns, engineMessage }), {
          cause: error,
        });
      }
    }
    return error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Imports a file, every data file under a directory, or the files listed (whatever their names), as one import:
 * atomic, each billing period they hold replaced whole.
 */
export async function importCostFiles(
  store: CostStore,
  given: string | readonly string[],
  options: ImportFilesOptions,
): Promise<ImportReport> {
  const paths = typeof given === 'string' ? await listDataFiles(given) : [...given];
  const path = typeof given === 'string' ? given : (paths[0] ?? '');
  if (paths.length === 0) throw new ImportError(path, 'no CSV, gzip or Parquet files in this directory');
  // Recognise every file before writing anything, so a wrong file fails fast and changes nothing.
  const plans = await planFiles(paths);
  const files: FileReport[] = [];
  const summary = await store
    .importStaged(
      async (staging) => {
        // Timestamps without an offset are UTC, and the mappings print UTC.
        await staging.connection.run(`set TimeZone = 'UTC'`);
        for (const plan of plans) {
          try {
            files.push(
              await handOverFile(
                staging,
                plan,
                options,
                files.reduce((n, f) => n + f.read, 0),
              ),
            );
          } catch (error) {
            // DuckDB's message names paths and SQL; say what is wrong with the file instead.
            const engineMessage = error instanceof Error ? error.message : String(error);
            const problem = await explainUnreadable(plan.source, {
              columns: plan.columns.map((c) => c.name),
              engineMessage,
            });
            throw new ImportError(plan.source.path, problem, { cause: error });
          }
        }
      },
      {
        ownerAccountId: options.ownerAccountId,
        importId: options.importId,
        source: paths.length === 1 ? paths[0]! : path,
        format: [...new Set(plans.map((p) => `${p.format}/${p.source.container}`))].join(','),
        now: options.now,
        onWritten: options.onWritten,
        onReadInPlace: readInPlaceProgress(plans, path, files, options.onProgress),
        progressEveryMs: options.progressEveryMs,
      },
    )
    .catch(async (error: unknown) => {
      throw await blameInPlace(plans, error);
    });
  return { ...summary, files };
}
