/**
 * Why a file is no importable cost export, in the words of someone who exported it: what was expected and
 * what the file holds instead. DuckDB's own errors name server paths and quote its SQL, so they never reach
 * the user; when DuckDB refuses a file, the file's first bytes are looked at here to say why.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { detectFormat } from './cost-formats.js';
import type { SourceFile } from './source-files.js';

/** How much of the (decompressed) file is looked at: a header and the first rows. */
const HEAD_BYTES = 64 * 1024;
const EXPECTED =
  'expected FOCUS columns (BilledCost, ChargePeriodStart) or AWS CUR columns (lineItem/UnblendedCost or line_item_unblended_cost)';

/** A few names from the file, quoted and cut short, so the message shows what was found without echoing a flood. */
function sample(names: readonly string[]): string {
  const shown = names.slice(0, 6).map((name) => {
    const printable = name.replace(/[^\x20-\x7e]/g, '?');
    return JSON.stringify(printable.length > 40 ? `${printable.slice(0, 40)}…` : printable);
  });
  return `${shown.join(', ')}${names.length > 6 ? ` and ${names.length - 6} more` : ''}`;
}

/** The columns a file has, but none a cost export needs. */
export function noCostColumns(columns: readonly string[]): string {
  return `not a CSV or Parquet cost export: no header row with FOCUS or CUR columns (${EXPECTED}); its columns are ${sample(columns)}`;
}

async function rawHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Decompresses the whole gzip file, keeping only its first HEAD_BYTES: the head to look at, and whether the
 * compressed data ends early (a truncated download or upload).
 */
function gunzipHead(path: string): Promise<{ head: Buffer; complete: boolean; total: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    const gunzip = createGunzip();
    const finish = (complete: boolean) => resolve({ head: Buffer.concat(chunks), complete, total });
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (kept < HEAD_BYTES) {
        chunks.push(chunk.subarray(0, HEAD_BYTES - kept));
        kept += Math.min(chunk.length, HEAD_BYTES - kept);
      }
    });
    gunzip.on('end', () => finish(true));
    gunzip.on('error', () => finish(false));
    createReadStream(path)
      .on('error', () => finish(false))
      .pipe(gunzip);
  });
}

interface CsvHead {
  records: Array<{ line: number; fields: string[] }>;
  /** The line a quoted field opened on that had not closed where the text ended, if any. */
  openQuoteLine: number | undefined;
}

/** RFC 4180 records of `text` with the line each starts on; a record cut off by the end of `text` is dropped unless `whole`. */
function parseCsvHead(text: string, whole: boolean): CsvHead {
  const records: CsvHead['records'] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let quoteLine = 0;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (whole && !quoted && (field !== '' || fields.length > 0))
    records.push({ line: recordLine, fields: [...fields, field] });
  return { records, openQuoteLine: quoted ? quoteLine : undefined };
}

/** Bytes no text file has: NUL, and control characters other than tab, line feed and carriage return. */
function looksBinary(bytes: Buffer): boolean {
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  return control > bytes.length / 100;
}

/** The line holding the first byte that is not UTF-8, if any (a multi-byte character cut by the head's end is no error). */
function firstNonUtf8Line(bytes: Buffer, whole: boolean): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const end = whole ? bytes.length : Math.max(0, bytes.length - 4);
  try {
    decoder.decode(bytes.subarray(0, end));
    return undefined;
  } catch {
    let low = 0;
    let high = end;
    // The longest prefix that decodes: the bad byte follows it.
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid));
        low = mid;
      } catch {
        high = mid - 1;
      }
    }
    let line = 1;
    for (let i = 0; i < low; i++) if (bytes[i] === 0x0a) line++;
    return line;
  }
}

/**
 * What is wrong with a file DuckDB could not read (or read, but found no cost columns in): one clause for
 * the message `<file>: <clause>`. `columns` are the names DuckDB did find, when it found any;
 * `engineMessage` is DuckDB's error, only ever mined for a line number or the kind of damage.
 */
export async function explainUnreadable(
  source: SourceFile,
  found: { columns?: readonly string[]; engineMessage?: string } = {},
): Promise<string> {
  const { columns } = found;
  if (source.container === 'parquet') {
    if (columns === undefined) {
      return 'not a readable Parquet file: its footer (where Parquet keeps the schema) is missing or damaged; the file may be truncated';
    }
    if (detectFormat(columns) === undefined) return noCostColumns(columns);
    // Its footer and cost columns are there, but a page of values is not: the file is damaged.
    return /invalid string encoding/i.test(found.engineMessage ?? '')
      ? 'a Parquet file whose data cannot be read to the end: a text value in it is not UTF-8; the file may be damaged'
      : 'a Parquet file whose data cannot be read to the end; the file may be damaged';
  }
  let head: Buffer;
  let whole: boolean;
  if (source.container === 'csv.gz') {
    const gz = await gunzipHead(source.path);
    if (!gz.complete) {
      return `a gzip file whose compressed data ends early or is damaged: it decompresses only to ${gz.total} bytes; the file may be truncated`;
    }
    head = gz.head;
    whole = gz.total <= HEAD_BYTES;
  } else {
    head = await rawHead(source.path);
    whole = head.length < HEAD_BYTES;
  }
  if (looksBinary(head)) {
    return 'not a CSV or Parquet cost export: the file holds binary data that is neither text, gzip nor Parquet';
  }
  const badLine = firstNonUtf8Line(head, whole);
  if (badLine !== undefined)
    return `line ${badLine} is not UTF-8 text; cost exports are UTF-8 (save the file as UTF-8)`;
  const { records, openQuoteLine } = parseCsvHead(head.toString('utf8'), whole);
  const header = records[0]?.fields ?? [];
  if (detectFormat(header) === undefined) return noCostColumns(header);
  const ragged = records.find((r) => r.fields.length !== header.length);
  if (ragged !== undefined) {
    return `line ${ragged.line} has ${ragged.fields.length} comma-separated fields where the header has ${header.length}`;
  }
  if (whole && openQuoteLine !== undefined) return `line ${openQuoteLine} opens a quoted field that is never closed`;
  // Past the head: DuckDB names the line (and nothing else worth passing on).
  const line = /CSV Error on Line: (\d+)/.exec(found.engineMessage ?? '')?.[1];
  return line === undefined
    ? 'cannot be read to the end as comma-separated values with a header row (RFC 4180)'
    : `line ${line} cannot be read as comma-separated values (RFC 4180)`;
}
