/**
 * `bursar import`'s engine: reads every file given (a file or a directory of them), recognises each one's
 * format, maps rows to line items, counts what it skipped and why, and hands the stream to CostStore in one
 * transaction: the whole import lands, or (on an unreadable file, or any error) nothing does.
 */
import type { CostLineItem } from '../cost-line-item.js';
import type { CostStore, ImportSummary } from '../cost-store.js';
import { detectFormat, formatReader } from './cost-formats.js';
import type { CostFormat } from './cost-formats.js';
import { listDataFiles, openRowSource } from './read-rows.js';

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

export interface ImportFilesOptions {
  ownerAccountId: string;
  importId: string;
  now: Date;
  /** Rows read so far across files, every `progressEvery` rows. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
}

export class ImportError extends Error {}

export async function importCostFiles(
  store: CostStore,
  path: string,
  options: ImportFilesOptions,
): Promise<ImportReport> {
  const paths = await listDataFiles(path);
  if (paths.length === 0) throw new ImportError(`no CSV, gzip or Parquet files under ${path}`);
  // Recognise every file before writing anything, so a wrong file fails fast and changes nothing.
  const sources = await Promise.all(paths.map(openRowSource));
  const plans = sources.map((source) => {
    const format = detectFormat(source.columns);
    if (format === undefined) {
      throw new ImportError(
        `${source.path}: not a FOCUS or AWS CUR export (no BilledCost, lineItem/UnblendedCost or line_item_unblended_cost column)`,
      );
    }
    return { source, reader: formatReader(format, source.columns) };
  });
  const files: FileReport[] = [];
  const every = options.progressEvery ?? 100_000;
  let readTotal = 0;

  async function* items(): AsyncGenerator<CostLineItem> {
    for (const { source, reader } of plans) {
      const report: FileReport = {
        path: source.path,
        container: source.container,
        format: reader.format,
        read: 0,
        imported: 0,
        skipped: 0,
        reasons: {},
      };
      files.push(report);
      for await (const row of source.rows(reader.wants)) {
        report.read += 1;
        readTotal += 1;
        if (options.onProgress !== undefined && readTotal % every === 0) options.onProgress(readTotal);
        const mapped = reader.map(row);
        if ('skip' in mapped) {
          report.skipped += 1;
          report.reasons[mapped.skip] = (report.reasons[mapped.skip] ?? 0) + 1;
          continue;
        }
        report.imported += 1;
        yield mapped.item;
      }
    }
  }

  const summary = await store.import(items(), {
    ownerAccountId: options.ownerAccountId,
    importId: options.importId,
    source: paths.length === 1 ? paths[0]! : path,
    format: [...new Set(plans.map((p) => `${p.reader.format}/${p.source.container}`))].join(','),
    now: options.now,
  });
  return { ...summary, files };
}
