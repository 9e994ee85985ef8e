/**
 * The files of an import, as DuckDB reads them: the container (CSV, gzip CSV or Parquet) is recognised from the
 * file's first bytes, not its name, and each file becomes a `read_csv(…)` / `read_parquet(…)` table function that
 * the format mappings (cost-formats.ts) select from. DuckDB parses the files itself; no row passes through
 * JavaScript.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SourceColumn } from './cost-formats.js';
import { explainUnreadable } from './explain-unreadable.js';

/**
 * A file that cannot be imported as it is. `problem` says why in the user's words and names no server path
 * (the console's upload puts the file in a temporary directory): whoever reports it names the file as the
 * user knows it.
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${problem}`, options);
  }
}

export type Container = 'csv' | 'csv.gz' | 'parquet';

export interface SourceFile {
  path: string;
  container: Container;
  /** The table function reading it. */
  from: string;
  /** A CSV's: the table function reading its header row as data. */
  headerAsData?: string;
}

/** How DuckDB renames the repeat of a column name (`name_1`). */
const DEDUPED = /_\d+$/;

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Recognises the container from the magic bytes; an empty file is refused here. */
export async function openSource(path: string): Promise<SourceFile> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead === 0) throw new ImportError(path, 'the file is empty');
  } finally {
    await handle.close();
  }
  if (head.toString('latin1') === 'PAR1') return { path, container: 'parquet', from: `read_parquet(${literal(path)})` };
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  // Every column as text: the mappings convert what they use (money exactly as decimals), and a bad value
  // skips its row instead of failing the file. `NULL` is how some FOCUS exports write an empty cell. The dialect
  // is given (cost exports are RFC 4180): sniffing it from a damaged file guesses one column and hides the damage.
  const read = (header: boolean) =>
    `read_csv(${literal(path)}, header = ${header}, delim = ',', quote = '"', escape = '"', all_varchar = true, nullstr = ['', 'NULL'], compression = ${gzip ? "'gzip'" : "'none'"})`;
  return { path, container: gzip ? 'csv.gz' : 'csv', from: read(true), headerAsData: read(false) };
}

/** The file's columns and their types (reads the header or the Parquet footer only). */
export async function describeSource(connection: DuckDBConnection, source: SourceFile): Promise<SourceColumn[]> {
  try {
    const reader = await connection.runAndReadAll(`describe select * from ${source.from}`);
    const columns: SourceColumn[] = reader
      .getRowObjectsJS()
      .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    // DuckDB names columns without regard to case and renames a repeat `name_1`: then the header row itself,
    // read as data, says what the file called each column.
    if (source.headerAsData !== undefined && columns.some((column) => DEDUPED.test(column.name))) {
      const raw = await connection.runAndReadAll(`select * from ${source.headerAsData} limit 1`);
      const header = Object.values(raw.getRowObjectsJS()[0] ?? {}).map(String);
      if (header.length === columns.length) {
        columns.forEach((column, i) => {
          if (header[i] !== column.name) column.header = header[i]!;
        });
      }
    }
    return columns;
  } catch (error) {
    const engineMessage = error instanceof Error ? error.message : String(error);
    throw new ImportError(source.path, await explainUnreadable(source, { engineMessage }), { cause: error });
  }
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
