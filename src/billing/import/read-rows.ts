/**
 * Streams the rows of a cost export file as header → value records: CSV (plain or gzip, recognised by its
 * magic bytes, not its name) through csv-parse, Parquet through hyparquet a row slice at a time with only the
 * columns asked for. Nothing holds a whole file's rows.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';

export type RawRow = Record<string, unknown>;

export interface RowSource {
  path: string;
  container: 'csv' | 'csv.gz' | 'parquet';
  /** Column names, in file order. */
  columns: string[];
  /** Rows, optionally read with only the columns `wanted` keeps (Parquet projects; CSV reads all). */
  rows(wanted?: (column: string) => boolean): AsyncIterable<RawRow>;
}

const PARQUET_SLICE = 50_000;

async function magic(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    await handle.read(buffer, 0, 4, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

function csvStream(path: string, gzip: boolean) {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  // pipeline() destroys the parser with any upstream error (a truncated gzip), so iterating it rejects
  // instead of leaving an unhandled stream error behind.
  const stages = gzip ? [createReadStream(path), createGunzip(), parser] : [createReadStream(path), parser];
  pipeline(stages, () => {});
  return parser;
}

async function csvHeader(path: string, gzip: boolean): Promise<string[]> {
  const parser = csvStream(path, gzip);
  for await (const record of parser) {
    parser.destroy();
    return record as string[];
  }
  return [];
}

export async function openRowSource(path: string): Promise<RowSource> {
  const head = await magic(path);
  if (head.toString('latin1') === 'PAR1') {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const columns = parquetSchema(metadata).children.map((child) => child.element.name);
    const total = Number(metadata.num_rows);
    return {
      path,
      container: 'parquet',
      columns,
      async *rows(wanted) {
        const selected = wanted === undefined ? columns : columns.filter(wanted);
        for (let rowStart = 0; rowStart < total; rowStart += PARQUET_SLICE) {
          const rows = await parquetReadObjects({
            file,
            metadata,
            columns: selected,
            rowStart,
            rowEnd: Math.min(total, rowStart + PARQUET_SLICE),
          });
          yield* rows as RawRow[];
        }
      },
    };
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const columns = await csvHeader(path, gzip);
  return {
    path,
    container: gzip ? 'csv.gz' : 'csv',
    columns,
    async *rows() {
      let header: string[] | undefined;
      for await (const record of csvStream(path, gzip)) {
        const fields = record as string[];
        if (header === undefined) {
          header = fields;
          continue;
        }
        const row: RawRow = {};
        for (let i = 0; i < header.length; i++) row[header[i]!] = fields[i];
        yield row;
      }
    },
  };
}

const DATA_FILE = /\.(csv|csv\.gz|gz|parquet)$/i;

/** The file itself, or every CSV/gz/Parquet file under a directory (sorted, recursively). */
export async function listDataFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listDataFiles(full)));
    else if (DATA_FILE.test(entry.name)) out.push(full);
  }
  return out;
}
