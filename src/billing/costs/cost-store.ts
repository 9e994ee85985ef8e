/**
 * Writes cost data. An import stages its line items in the cost engine's DuckDB, writes each billing period as
 * ZSTD Parquet parts (at most CODED_BATCH_ROWS rows each, ordered by usage date) and its rollups as more parts,
 * puts each part into the blob store as soon as it is written (under a key carrying the import's new version,
 * never overwriting a blob), then in ONE relational transaction replaces the periods' part rows, `billing_import`
 * rows and account names. A failure, or a killed process, changes nothing that a question reads: until the
 * commit no part row names the new blobs, and afterwards none names the old ones.
 *
 * Blobs no part names are orphans (a failed or killed import's, a replaced period's): `collectOrphans` deletes
 * them, except those of a held version — an import in flight (renewed as it writes parts; a killed one is
 * recognised on its own host by its pid) or a period replaced less than a minute ago (questions may still read
 * it). Holds use the wall clock: they are about processes, not about billing dates.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { BasisRollup, CostEngine, PartKind, RollupName, RollupSource, RollupTables } from './cost-engine.js';
import {
  basisOf,
  emptyTables,
  literal,
  parquetSource,
  periodFilter,
  removeFiles,
  ROLLUP_NAMES,
} from './cost-engine.js';
import type { CostLineItem } from './cost-line-item.js';
import { CODED_BATCH_ROWS, LineItemCoder, codeStagedFiles } from './line-item-coder.js';
import type { StagedPiece } from './line-item-coder.js';
import { LINE_ITEM_COLUMNS, MONEY_COLUMNS } from './line-item-columns.js';
import { formatMoney } from '../money.js';
import { uuid, type IdSource } from '../../platform/ids.js';
import { processRuns } from '../../platform/temp-dirs.js';

export interface ImportOptions {
  ownerAccountId: string;
  importId: string;
  /** Where the rows came from (a file name, `demo`, `api`), recorded per period. */
  source: string;
  format: string;
  now: Date;
  /** Called every `progressEvery` rows with the count so far (iterable imports). */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Called as each billing period's line items are written to the blob store (after the rows are read). */
  onWritten?: (written: WriteProgress) => void;
  /**
   * `importStaged`: called about every `progressEveryMs` (default 1000) with how much (0–100) of its first read of
   * the rows handed over (every staged file, every range read in place) the store has done. For rows read in place
   * (`Staging.readInPlace`) that is the reading of the file before anything is stored.
   */
  onReadInPlace?: (percent: number) => void;
  progressEveryMs?: number;
}

/** How far an import has written its parts: rows and Parquet bytes so far, and the period just written. */
export interface WriteProgress {
  billingPeriod: string;
  rows: number;
  bytes: number;
}

export interface PeriodSummary {
  billingPeriod: string;
  lineItems: number;
  unblendedCost: string;
  replaced: boolean;
}

export interface ImportSummary {
  importId: string;
  lineItems: number;
  periods: PeriodSummary[];
}

/**
 * Where a file reader puts its rows. `stage(select)` gives a COPY statement writing the rows of `select` (every
 * LINE_ITEM_COLUMNS column and `skip_reason`, by name) to new Parquet files, and the relation reading them back. A
 * row with a reason is not stored; a reader stages its skipped rows too, so it counts them from its staged files
 * instead of reading its file a second time.
 *
 * `readInPlace(select, rowGroups)` hands over a Parquet file's rows without staging them: the store reads
 * `select(range)` (the same columns, of the file's rows numbered `from` ≤ n < `to`) twice, once for the text
 * columns' values and once per batch, cutting the file at its row groups (`rowGroups`: their row counts, in file
 * order) so that a batch reads only its own. Measured on a 1M-row FOCUS Parquet file, those two reads took about
 * 1.7 s against 2.4 s for staging it and reading the staged files: a Parquet file is read fast and needs no copy to
 * be cut into batches. The reader counts skipped rows itself, with a read of the few columns the reasons need.
 */
export interface Staging {
  connection: DuckDBConnection;
  stage(select: string): { copy: string; staged: string };
  readInPlace(select: (range: RowRange) => string, rowGroups: readonly number[]): void;
}

/** Rows `from` ≤ n < `to` of a file, numbered from 0. */
export interface RowRange {
  from: number;
  to: number;
}

/**
 * A file's row groups (their row counts, in order) as ranges of at most `most` rows, cut at row group boundaries;
 * a larger row group is cut within (it is then read once per range).
 */
export function rowRanges(rowGroups: readonly number[], most: number): RowRange[] {
  const ranges: RowRange[] = [];
  let start = 0;
  let end = 0;
  for (const rows of rowGroups) {
    if (end > start && end - start + rows > most) {
      ranges.push({ from: start, to: end });
      start = end;
    }
    end += rows;
    while (end - start > most) {
      ranges.push({ from: start, to: start + most });
      start += most;
    }
  }
  if (end > start) ranges.push({ from: start, to: end });
  return ranges;
}

/**
 * How staged rows are written: measured on a million rows, a staging table in DuckDB's memory took about 600 bytes
 * a row, so beyond a few hundred thousand rows it spilled under the engine's memory cap and its inserts ran at half
 * speed, while a COPY into several Parquet files streams, writing them in parallel (snappy: the files live
 * seconds). Each file of 8 row groups (983,040 rows) is at most one batch of the import.
 */
const STAGING_OPTIONS = 'format parquet, compression snappy, row_groups_per_file 8';

/**
 * How parts are written. ZSTD at level 1, not DuckDB's default 3: measured on the import's money columns (varied
 * amounts, which hardly compress), level 1 halved the writer's CPU time for a few percent more bytes, and reads
 * decompress both alike.
 */
const PARQUET_OPTIONS = 'format parquet, compression zstd, compression_level 1';
/**
 * Rollup parts have smaller row groups (DuckDB's default is 122,880 rows): a question reads one tag key and a few
 * services of a rollup sorted by them, and each row group's statistics let DuckDB skip it unread. Measured on the
 * tag rollup parts of 10M demo rows, the scan and sum of a 90-day question by account and tag, filtered to two
 * services, took 27 ms (median) with 16,384-row groups against 33 ms with the default.
 */
const ROLLUP_PARQUET_OPTIONS = `${PARQUET_OPTIONS}, row_group_size 16384`;

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** How many rows an object import codes between turns of the event loop (about 20 ms of coding). */
const YIELD_EVERY = 4096;
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long an import's hold lasts without a new part (it is renewed with every part it writes). */
const IMPORT_LEASE_MS = 10 * 60_000;
/** How long a replaced period's blobs stay, for questions that looked its parts up before the replacement. */
const RETIRED_GRACE_MS = 60_000;

/** One part written to the blob store, not yet listed in the relational store. */
interface WrittenPart {
  kind: PartKind;
  part: number;
  rows: number;
  bytes: number;
  key: string;
  /** A tag rollup part's tag keys (billing_cost_part_tag_key). */
  tagKeys?: readonly string[];
}

/** What one import has written so far, per billing period. */
interface PendingPeriod {
  rows: number;
  unblended: bigint;
  parts: WrittenPart[];
  firstDay: string;
  lastDay: string;
  /**
   * Whether the period keeps each svc and full rollup, as the first batch with its rows decided (`writeRollups`):
   * later batches follow, so a period's rollup covers all of its line items or none.
   */
  kept: Partial<Record<BasisRollup, boolean>>;
}

const BASIS_ROLLUPS: readonly BasisRollup[] = ['svc_day', 'svc_month', 'full_month'];

/**
 * A rollup is kept where it aggregates: at most a quarter as many rows as the period's line items in the batch,
 * estimated before anything is built (CostEngine.estimateRollups). One that barely aggregates (hourly exports of
 * many distinct resources, random benchmark data) costs nearly as much to build, write and store as the line items
 * again — its tag rollup, with a row per tag key, several times that — for questions that read the line items
 * instead (CostEngine.leaseRollup) only somewhat slower. Measured on bench:import's 1M random rows: dropping its
 * svc_day (48 % of the line items), tag_day and full_month rollups took the import from 8.5 s to 5.2 s, and
 * questions reading the line items instead of that svc_day took 1.6–1.8 times as long (9.0 against 4.9 ms, 17.0
 * against 10.9 ms). A tag rollup has at least as many rows per key as the svc rollup of its grain, so it is kept
 * exactly where that one is (and a period with no tags at all is told apart by its svc parts). A batch holding few
 * of a period's rows (the tail of a month at a batch's end) keeps every rollup: small slices aggregate worse than
 * the whole month, and its decision is the period's.
 */
const AGGREGATION_FACTOR = 4;
const DECIDES_FROM_ROWS = 65_536;

/** One batch of staged line items: the relation to write as Parquet, and the one to build rollups from. */
export interface StagedBatch {
  lineItems: string;
  rollups: RollupSource;
  /** Whether the rows are already in usage date order (then the Parquet writer need not sort them). */
  sorted: boolean;
}

export class ImportDataError extends Error {}

/**
 * How a rollup table's money sums (HUGEINT) are written: Parquet has no HUGEINT (DuckDB would write a DOUBLE), so
 * each column goes as BIGINT when every sum in the table fits one — nearly always: 2⁶³ money units are 922 million
 * USD in one group — and as exact DECIMAL(38, 0) otherwise. Measured on a 27,000-group question, reading and
 * summing DECIMAL(38, 0) (16-byte values) took twice as long as BIGINT, and writing it cost most of the rollups'
 * write time. Readers of rollups read their parts by name (`union_by_name`), so a column's types may differ.
 */
async function exactMoney(connection: DuckDBConnection, table: string): Promise<string> {
  const bound = '9223372036854775807';
  const fits = (
    await connection.runAndReadAll(
      `select ${MONEY_COLUMNS.map((m) => `coalesce(bool_and(${m} between -${bound} and ${bound}), true)`).join(', ')}
       from ${table}`,
    )
  ).getRows()[0]!;
  return MONEY_COLUMNS.map((m, i) => `${m}::${fits[i] === true ? 'bigint' : 'decimal(38, 0)'} as ${m}`).join(', ');
}

/** A rollup table's billing periods: rows, and for a tag rollup the tag keys it holds. */
async function periodsOf(
  connection: DuckDBConnection,
  table: string,
  tagged: boolean,
): Promise<Map<string, { rows: number; tagKeys?: string[] }>> {
  const result = await connection.runAndReadAll(
    `select billing_period::varchar as billing_period, count(*) as n${
      tagged ? ', list(distinct tag_key::varchar order by tag_key::varchar) as keys' : ''
    } from ${table} group by all order by billing_period`,
  );
  return new Map(
    result
      .getRowObjectsJson()
      .map((row) => [
        String(row.billing_period),
        { rows: Number(row.n), ...(tagged ? { tagKeys: (row.keys as string[]).map(String) } : {}) },
      ]),
  );
}

/** Each Parquet file's row count, from its footer. */
async function rowsPerFile(connection: DuckDBConnection, files: readonly string[]): Promise<Map<string, number>> {
  if (files.length === 0) return new Map();
  const counts = await connection.runAndReadAll(
    `select file_name, sum(num_rows)::bigint as n from parquet_file_metadata([${files.map(literal).join(', ')}])
     group by all`,
  );
  return new Map(counts.getRowObjects().map((row) => [String(row.file_name), Number(row.n)]));
}

export class CostStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: CostEngine,
    private readonly ids: IdSource,
  ) {}

  /** Streams line items into the store, atomically, replacing the billing periods they belong to. */
  async import(
    items: AsyncIterable<CostLineItem> | Iterable<CostLineItem>,
    options: ImportOptions,
  ): Promise<ImportSummary> {
    return this.store(options, async (connection, write) => {
      // Two stages overlap: JavaScript codes the next batch (one core) while DuckDB, on the store's connection,
      // writes the last one's parts and rollups. The coder stages on a connection of its own. Writes stay in batch
      // order, one at a time (a period's part numbers depend on it).
      const staging = await this.engine.connect();
      const coder = new LineItemCoder(staging, this.engine);
      let writing: Promise<void> = Promise.resolve();
      const handOver = async () => {
        const staged = await coder.stage();
        if (staged === undefined) return;
        try {
          await writing;
        } catch (error) {
          await staged.drop(staging);
          throw error;
        }
        writing = write(staged.batch).finally(() => staged.drop(connection));
        // Awaited by the next hand-over or at the end; until then a failure must not count as unhandled.
        writing.catch(() => undefined);
      };
      const every = options.progressEvery ?? 100_000;
      let total = 0;
      // Whether to stop reading for a moment: to hand a full batch over, or to let the writing stage's statements
      // continue (on the event loop, which a synchronous source never yields). A synchronous source is otherwise
      // read synchronously: awaiting every row costs a promise and a microtask each.
      const add = (item: CostLineItem) => {
        coder.add(item);
        total += 1;
        if (options.onProgress !== undefined && total % every === 0) options.onProgress(total);
        return coder.full || total % YIELD_EVERY === 0;
      };
      const pause = () => (coder.full ? handOver() : yieldToEvents());
      try {
        if (Symbol.iterator in items) {
          for (const item of items) if (add(item)) await pause();
        } else {
          for await (const item of items) if (add(item)) await pause();
        }
        await handOver();
        await writing;
      } finally {
        await writing.catch(() => undefined);
        await coder.close();
        staging.closeSync();
      }
    });
  }

  /**
   * For native file readers: lets `fill` stage the rows as Parquet files (`Staging`), then codes and stores those
   * without a skip reason, a batch of staged files at a time, as `import` does.
   */
  async importStaged(fill: (staging: Staging) => Promise<void>, options: ImportOptions): Promise<ImportSummary> {
    return this.store(options, async (connection, write) => {
      const root = this.engine.newFile('staged');
      mkdirSync(root);
      const directories: string[] = [];
      const pieces: StagedPiece[] = [];
      const columns = LINE_ITEM_COLUMNS.map(([name, type]) => `${name}::${type} as ${name}`).join(', ');
      const normalized = (select: string) => `select ${columns}, skip_reason::varchar as skip_reason from (${select})`;
      try {
        await fill({
          connection,
          stage: (select) => {
            const directory = join(root, String(directories.length));
            directories.push(directory);
            return {
              copy: `copy (${normalized(select)}) to ${literal(directory)} (${STAGING_OPTIONS})`,
              staged: `read_parquet(${literal(join(directory, '*.parquet'))})`,
            };
          },
          readInPlace: (select, rowGroups) => {
            for (const range of rowRanges(rowGroups, CODED_BATCH_ROWS)) {
              pieces.push({ relation: `(${normalized(select(range))})`, rows: range.to - range.from });
            }
          },
        });
        const files = directories.flatMap((directory) =>
          readdirSync(directory)
            .filter((name) => name.endsWith('.parquet'))
            .map((name) => join(directory, name)),
        );
        for (const [file, rows] of await rowsPerFile(connection, files)) {
          pieces.push({ relation: parquetSource([file]), rows });
        }
        await codeStagedFiles(connection, this.engine, pieces, write, {
          report: options.onReadInPlace,
          everyMs: options.progressEveryMs ?? 1000,
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }

  private async store(
    options: ImportOptions,
    produce: (connection: DuckDBConnection, write: (batch: StagedBatch) => Promise<void>) => Promise<void>,
  ): Promise<ImportSummary> {
    const owner = options.ownerAccountId;
    const connection = await this.engine.connect();
    const periods = new Map<string, PendingPeriod>();
    const names = new Map<string, string>();
    const version = uuid(this.ids);
    await this.hold(version);
    try {
      const written = { rows: 0, bytes: 0 };
      await produce(connection, async (batch) => {
        await this.writeBatch(connection, batch, owner, version, periods, (billingPeriod, rows, bytes) => {
          written.rows += rows;
          written.bytes += bytes;
          options.onWritten?.({ billingPeriod, ...written });
        });
        const named = await connection.runAndReadAll(
          `select linked_account_id::varchar as id, max(linked_account_name::varchar) as name from ${batch.lineItems}
           where linked_account_name is not null and linked_account_id is not null group by all`,
        );
        for (const row of named.getRowObjects()) names.set(String(row.id), String(row.name));
      });
      const ordered = [...periods].sort(([a], [b]) => a.localeCompare(b));
      const summaries = await this.db.transaction().execute(async (trx) => {
        const out: PeriodSummary[] = [];
        for (const [billingPeriod, period] of ordered) {
          const existing = await trx
            .deleteFrom('billing_import')
            .where('owner_account_id', '=', owner)
            .where('billing_period', '=', billingPeriod)
            .executeTakeFirst();
          await this.replaceParts(trx, owner, billingPeriod, version, options.importId, period);
          const unblendedCost = formatMoney(period.unblended);
          await trx
            .insertInto('billing_import')
            .values({
              owner_account_id: owner,
              billing_period: billingPeriod,
              import_id: options.importId,
              source: options.source,
              format: options.format,
              line_items: period.rows,
              unblended_cost: unblendedCost,
              imported_at: options.now.toISOString(),
            })
            .execute();
          out.push({
            billingPeriod,
            lineItems: period.rows,
            unblendedCost,
            replaced: Number(existing.numDeletedRows) > 0,
          });
        }
        for (const [accountId, accountName] of names) {
          await trx
            .insertInto('billing_account_name')
            .values({ owner_account_id: owner, account_id: accountId, account_name: accountName })
            .onConflict((oc) =>
              oc.columns(['owner_account_id', 'account_id']).doUpdateSet({ account_name: accountName }),
            )
            .execute();
        }
        await trx.deleteFrom('billing_cost_hold').where('version', '=', version).execute();
        return out;
      });
      return {
        importId: options.importId,
        lineItems: summaries.reduce((n, p) => n + p.lineItems, 0),
        periods: summaries,
      };
    } catch (error) {
      // Nothing names these blobs: they go now (and, should this fail too, with the next collection).
      await this.forget(
        version,
        [...periods.values()].flatMap((p) => p.parts.map((part) => part.key)),
      );
      throw error;
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Within the import's transaction: the period's part rows become the new ones, and the versions they replace
   * are held a minute for questions that already looked them up.
   */
  private async replaceParts(
    trx: Kysely<Database>,
    owner: string,
    billingPeriod: string,
    version: string,
    importId: string,
    period: PendingPeriod,
  ): Promise<void> {
    const old = await trx
      .selectFrom('billing_cost_part')
      .select('version')
      .distinct()
      .where('owner_account_id', '=', owner)
      .where('billing_period', '=', billingPeriod)
      .execute();
    const until = new Date(Date.now() + RETIRED_GRACE_MS).toISOString();
    for (const { version: retired } of old) {
      await trx
        .insertInto('billing_cost_hold')
        .values({ version: retired, holder_host: null, holder_pid: null, expires_at: until })
        .onConflict((oc) => oc.column('version').doUpdateSet({ expires_at: until }))
        .execute();
    }
    await trx
      .deleteFrom('billing_cost_part')
      .where('owner_account_id', '=', owner)
      .where('billing_period', '=', billingPeriod)
      .execute();
    await trx
      .deleteFrom('billing_cost_part_tag_key')
      .where('owner_account_id', '=', owner)
      .where('billing_period', '=', billingPeriod)
      .execute();
    const tagKeys = period.parts.flatMap((part) =>
      (part.tagKeys ?? []).map((tagKey) => ({
        blob_key: part.key,
        tag_key: tagKey,
        owner_account_id: owner,
        billing_period: billingPeriod,
      })),
    );
    for (let i = 0; i < tagKeys.length; i += 500) {
      await trx
        .insertInto('billing_cost_part_tag_key')
        .values(tagKeys.slice(i, i + 500))
        .execute();
    }
    for (const part of period.parts) {
      await trx
        .insertInto('billing_cost_part')
        .values({
          owner_account_id: owner,
          billing_period: billingPeriod,
          kind: part.kind,
          part: part.part,
          version,
          import_id: importId,
          line_items: part.rows,
          bytes: part.bytes,
          first_day: period.firstDay,
          last_day: period.lastDay,
          blob_key: part.key,
        })
        .execute();
    }
  }

  /** Holds (or renews the hold of) an import's version, in its own statement, before its blobs are written. */
  private async hold(version: string): Promise<void> {
    const until = new Date(Date.now() + IMPORT_LEASE_MS).toISOString();
    await this.db
      .insertInto('billing_cost_hold')
      .values({ version, holder_host: hostname(), holder_pid: process.pid, expires_at: until })
      .onConflict((oc) => oc.column('version').doUpdateSet({ expires_at: until }))
      .execute();
  }

  private async forget(version: string, keys: string[]): Promise<void> {
    try {
      for (const key of keys) await this.engine.blobs.delete(key);
      await this.db.deleteFrom('billing_cost_hold').where('version', '=', version).execute();
    } catch {
      // The hold stays until it expires; the next collection deletes what is left.
    }
  }

  /** Writes a file to the blob store as one part of `period`, renewing the import's hold. */
  private async putPart(
    file: string,
    owner: string,
    billingPeriod: string,
    version: string,
    kind: PartKind,
    rows: number,
    period: PendingPeriod,
    tagKeys?: readonly string[],
  ): Promise<void> {
    const part = period.parts.filter((p) => p.kind === kind).length;
    const key = `costs/${owner}/${billingPeriod}/${version}/${kind}-${part}.parquet`;
    const bytes = statSync(file).size;
    await this.hold(version);
    // Listed before the put: should the put fail half way, the failure path still deletes the key.
    period.parts.push({ kind, part, rows, bytes, key, ...(tagKeys === undefined ? {} : { tagKeys }) });
    await this.engine.blobs.put(key, file);
  }

  /** Writes a batch as Parquet parts per billing period, and their rollups, adding to `periods`. */
  private async writeBatch(
    connection: DuckDBConnection,
    batch: StagedBatch,
    owner: string,
    version: string,
    periods: Map<string, PendingPeriod>,
    onWritten: (billingPeriod: string, rows: number, bytes: number) => void,
  ): Promise<void> {
    const totals = await connection.runAndReadAll(
      `select billing_period::varchar as period, count(*) as n, sum(unblended_cost)::varchar as unblended,
         strftime(min(usage_date), '%Y-%m-%d') as first, strftime(max(usage_date), '%Y-%m-%d') as last,
         count(usage_date) as dated
       from ${batch.lineItems} group by all order by all`,
    );
    const inBatch = new Map<string, PendingPeriod>();
    const batchRows = new Map<string, number>();
    for (const row of totals.getRowObjects()) {
      const billingPeriod = row.period === null ? '' : String(row.period);
      if (!PERIOD.test(billingPeriod)) {
        throw new ImportDataError(`Line items need a billing period written YYYY-MM (got '${billingPeriod}').`);
      }
      const rows = Number(row.n);
      if (Number(row.dated) !== rows) throw new ImportDataError(`Line items of ${billingPeriod} lack a usage_date.`);
      let period = periods.get(billingPeriod);
      if (period === undefined) {
        period = {
          rows: 0,
          unblended: 0n,
          parts: [],
          firstDay: String(row.first),
          lastDay: String(row.last),
          kept: {},
        };
        periods.set(billingPeriod, period);
      }
      const target = period;
      inBatch.set(billingPeriod, target);
      batchRows.set(billingPeriod, rows);
      target.rows += rows;
      target.unblended += BigInt(String(row.unblended ?? '0'));
      if (String(row.first) < target.firstDay) target.firstDay = String(row.first);
      if (String(row.last) > target.lastDay) target.lastDay = String(row.last);
    }
    await this.writeLineItems(connection, batch, owner, version, inBatch, batchRows, onWritten);
    await this.writeRollups(connection, batch.rollups, owner, version, inBatch, batchRows);
  }

  /**
   * Writes a batch's line items as one part per billing period, in usage date order, with one COPY partitioned by
   * billing period: measured on a million coded rows, it took 0.53–0.65 s against 0.77–0.95 s for a COPY per
   * period, as the writer runs on every thread instead of one. Its threads may append their runs of a partition
   * out of turn (three places in a million sorted rows), which only widens a row group's date range there.
   * A batch is at most CODED_BATCH_ROWS rows, so a period's part is too.
   */
  private async writeLineItems(
    connection: DuckDBConnection,
    batch: StagedBatch,
    owner: string,
    version: string,
    periods: ReadonlyMap<string, PendingPeriod>,
    batchRows: ReadonlyMap<string, number>,
    onWritten: (billingPeriod: string, rows: number, bytes: number) => void,
  ): Promise<void> {
    const directory = this.engine.newFile('line_items');
    const columns = LINE_ITEM_COLUMNS.map(([name]) => name).join(', ');
    try {
      await connection.run(
        `copy (select ${literal(owner)} as owner_account_id, ${columns} from ${batch.lineItems}
           ${batch.sorted ? '' : 'order by billing_period, usage_date'})
         to ${literal(directory)} (${PARQUET_OPTIONS}, partition_by (billing_period), write_partition_columns true)`,
      );
      for (const [billingPeriod, period] of periods) {
        const folder = join(directory, `billing_period=${billingPeriod}`);
        const files = readdirSync(folder)
          .sort()
          .map((name) => join(folder, name));
        const rowsOf = await rowsPerFile(connection, files);
        const partsBefore = period.parts.length;
        for (const file of files) {
          await this.putPart(file, owner, billingPeriod, version, 'line_items', rowsOf.get(file) ?? 0, period);
        }
        onWritten(
          billingPeriod,
          batchRows.get(billingPeriod) ?? 0,
          period.parts.slice(partsBefore).reduce((n, p) => n + p.bytes, 0),
        );
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /**
   * Builds the rollups of every period in `source` at once, then writes each period of each rollup table it keeps
   * (`AGGREGATION_FACTOR`; every one without `batchRows`, the batch's line items per period) as one part, with a
   * COPY filtered on the table's leading sort column (billing period), so the part keeps the table's row order and
   * its row groups' statistics stay narrow. Measured: a COPY partitioned by billing period cost a third less CPU,
   * but wrote rows out of order, and a question then read every row group of a tag rollup.
   */
  private async writeRollups(
    connection: DuckDBConnection,
    source: RollupSource,
    owner: string,
    version: string,
    periods: ReadonlyMap<string, PendingPeriod>,
    batchRows?: ReadonlyMap<string, number>,
  ): Promise<void> {
    const tables: RollupTables = emptyTables();
    const periodOf = (billingPeriod: string) => {
      const period = periods.get(billingPeriod);
      if (period === undefined) throw new Error(`a rollup row of a period not in the batch: ${billingPeriod}`);
      return period;
    };
    try {
      if (batchRows === undefined) {
        for (const period of periods.values()) for (const kind of BASIS_ROLLUPS) period.kept[kind] ??= true;
      } else if (
        [...periods.values()].some((period) => BASIS_ROLLUPS.some((kind) => period.kept[kind] === undefined))
      ) {
        // Only a period's first batch decides, so a batch whose periods have all decided is not estimated.
        for (const [billingPeriod, estimate] of await this.engine.estimateRollups(connection, source)) {
          const lineItems = batchRows.get(billingPeriod) ?? 0;
          for (const kind of BASIS_ROLLUPS) {
            periodOf(billingPeriod).kept[kind] ??=
              lineItems < DECIDES_FROM_ROWS || estimate[kind] * AGGREGATION_FACTOR <= lineItems;
          }
        }
      }
      const kept = new Set<RollupName>(
        ROLLUP_NAMES.filter((kind) => [...periods.values()].some((period) => period.kept[basisOf(kind)] === true)),
      );
      await this.engine.buildRollups(connection, source, owner, tables, kept);
      for (const kind of ROLLUP_NAMES) {
        const tagged = kind === 'tag_day' || kind === 'tag_month';
        for (const table of tables.tables[kind]) {
          let exact: string | undefined;
          // A period with no rollup rows (no tags, say) gets no part of this rollup.
          for (const [billingPeriod, summary] of await periodsOf(connection, table, tagged)) {
            const period = periodOf(billingPeriod);
            if (period.kept[basisOf(kind)] !== true) continue;
            exact ??= await exactMoney(connection, table);
            const file = this.engine.newFile();
            try {
              await connection.run(
                `copy (select * replace (${exact}) from ${table} where ${periodFilter(billingPeriod, source.types?.billing_period)})
                 to ${literal(file)} (${ROLLUP_PARQUET_OPTIONS})`,
              );
              await this.putPart(file, owner, billingPeriod, version, kind, summary.rows, period, summary.tagKeys);
            } finally {
              removeFiles([file]);
            }
          }
        }
      }
    } finally {
      await this.engine.drop(connection, tables);
    }
  }

  /**
   * Deletes the blobs no part row names and no live hold keeps: what a failed or killed import wrote, and
   * replaced periods past their grace. Run at start (and after each import is committed, by the caller).
   */
  async collectOrphans(): Promise<string[]> {
    // In this order: a listed blob's import had its hold written before the blob, so the holds read next include
    // it; should that import commit meanwhile, the part rows read last name the blob.
    const keys = await this.engine.blobs.list('costs/');
    const now = new Date().toISOString();
    const host = hostname();
    const holds = await this.db.selectFrom('billing_cost_hold').selectAll().execute();
    const dead = holds.filter(
      (h) =>
        h.expires_at <= now ||
        (h.holder_host === host && h.holder_pid !== null && h.holder_pid !== process.pid && !processRuns(h.holder_pid)),
    );
    if (dead.length > 0) {
      await this.db
        .deleteFrom('billing_cost_hold')
        .where(
          'version',
          'in',
          dead.map((h) => h.version),
        )
        .execute();
    }
    const held = new Set(holds.filter((h) => !dead.includes(h)).map((h) => h.version));
    const named = new Set(
      (await this.db.selectFrom('billing_cost_part').select('blob_key').execute()).map((r) => r.blob_key),
    );
    const orphans = keys.filter((key) => !named.has(key) && !held.has(key.split('/')[3] ?? ''));
    for (const key of orphans) await this.engine.blobs.delete(key);
    return orphans;
  }

  /**
   * Lists the tag keys of tag rollup parts written before `billing_cost_part_tag_key` (migration 0033), reading
   * each such part's keys once; until then questions grouping by a tag read line items there. A part it cannot read
   * now (replaced meanwhile by another server's import, or its blob store unreachable) stays unlisted, for the next
   * start: that costs speed, never an answer, so it does not stop the server. Servers starting together list the
   * same rows, which is harmless. Returns how many parts it listed.
   */
  async recordTagKeys(): Promise<number> {
    const unlisted = await this.db
      .selectFrom('billing_cost_part as p')
      .leftJoin('billing_cost_part_tag_key as k', 'k.blob_key', 'p.blob_key')
      .select(['p.blob_key', 'p.owner_account_id', 'p.billing_period'])
      .where('p.kind', 'in', ['tag_day', 'tag_month'])
      .where('k.blob_key', 'is', null)
      .orderBy('p.blob_key')
      .execute();
    let listed = 0;
    for (const part of unlisted) {
      let keys: string[];
      try {
        const lease = await this.engine.blobs.lease([part.blob_key]);
        try {
          // In key order: servers starting together insert the same rows, and rows inserted in different orders
          // by two statements deadlock on PostgreSQL (measured: two servers over one store at once).
          const rows = await this.engine.query(
            `select distinct tag_key from ${parquetSource(lease.files)} order by tag_key`,
          );
          keys = rows.map((row) => String(row.tag_key));
        } finally {
          lease.release();
        }
      } catch {
        continue;
      }
      if (keys.length === 0) continue;
      await this.db
        .insertInto('billing_cost_part_tag_key')
        .values(
          keys.map((tagKey) => ({
            blob_key: part.blob_key,
            tag_key: tagKey,
            owner_account_id: part.owner_account_id,
            billing_period: part.billing_period,
          })),
        )
        .onConflict((oc) => oc.columns(['blob_key', 'tag_key']).doNothing())
        .execute();
      listed += 1;
    }
    return listed;
  }

  /**
   * Moves partitions stored before the blob store (0009's `billing_cost_partition`, Parquet in the relational
   * store) into parts: each (owner, period) gets its rollups computed once from its Parquet and its bytes put in
   * the blob store, then one transaction lists the parts and deletes the old rows — unless another server moved
   * that period meanwhile, which leaves this copy to the orphan collector. Returns how many periods moved.
   */
  async backfill(): Promise<number> {
    const legacy = await this.db
      .selectFrom('billing_cost_partition')
      .select(['owner_account_id', 'billing_period', 'version', 'import_id'])
      .distinct()
      .execute();
    let moved = 0;
    for (const { owner_account_id: owner, billing_period: billingPeriod, version: old, import_id } of legacy) {
      const rows = await this.db
        .selectFrom('billing_cost_partition')
        .select(['part', 'line_items', 'data'])
        .where('owner_account_id', '=', owner)
        .where('billing_period', '=', billingPeriod)
        .where('version', '=', old)
        .orderBy('part')
        .execute();
      if (rows.length === 0) continue;
      const version = uuid(this.ids);
      await this.hold(version);
      const period: PendingPeriod = { rows: 0, unblended: 0n, parts: [], firstDay: '', lastDay: '', kept: {} };
      const connection = await this.engine.connect();
      const files: string[] = [];
      try {
        for (const row of rows) {
          const file = this.engine.newFile();
          writeFileSync(file, row.data);
          files.push(file);
        }
        const [range] = (
          await connection.runAndReadAll(
            `select strftime(min(usage_date), '%Y-%m-%d'), strftime(max(usage_date), '%Y-%m-%d') from ${parquetSource(files)}`,
          )
        ).getRows();
        period.firstDay = String(range![0]);
        period.lastDay = String(range![1]);
        await this.writeRollups(
          connection,
          { from: parquetSource(files), tags: { column: 'tags' } },
          owner,
          version,
          new Map([[billingPeriod, period]]),
        );
        for (const [index, row] of rows.entries()) {
          // A copy: putPart moves the file, and the rollups above were read from these files.
          const copy = this.engine.newFile();
          copyFileSync(files[index]!, copy);
          await this.putPart(copy, owner, billingPeriod, version, 'line_items', Number(row.line_items), period);
        }
        const done = await this.db.transaction().execute(async (trx) => {
          const deleted = await trx
            .deleteFrom('billing_cost_partition')
            .where('owner_account_id', '=', owner)
            .where('billing_period', '=', billingPeriod)
            .where('version', '=', old)
            .executeTakeFirst();
          if (Number(deleted.numDeletedRows) === 0) return false;
          await this.replaceParts(trx, owner, billingPeriod, version, import_id, period);
          await trx.deleteFrom('billing_cost_hold').where('version', '=', version).execute();
          return true;
        });
        if (!done)
          await this.forget(
            version,
            period.parts.map((p) => p.key),
          );
        else moved += 1;
      } catch (error) {
        await this.forget(
          version,
          period.parts.map((p) => p.key),
        );
        throw error;
      } finally {
        removeFiles(files);
        connection.closeSync();
      }
    }
    return moved;
  }
}
