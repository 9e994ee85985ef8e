/**
 * The columnar cost engine: one in-process DuckDB per Billing service over the cost parts the relational store
 * lists (billing_cost_part, the single source of truth, so every server on one PostgreSQL answers alike) and the
 * blob store keeps (blobs/). Each imported (owner, billing period) is a few Parquet parts of line items, ordered
 * by usage date, and one or more parts of each rollup, computed at import:
 *
 * | rollup | dimensions kept | grain | row order (zone maps skip the rest) |
 * |---|---|---|---|
 * | `svc_day`, `svc_month` | payer, linked account, service, record type | day, month | service, bucket |
 * | `tag_day`, `tag_month` | the same + one tag key and its value (`''` when the row lacks the key) | day, month | tag key, service, (value,) bucket |
 * | `full_month` | all seven dimensions | month | service, bucket |
 *
 * A period keeps only the rollups that aggregate its line items (cost-store.ts). A question names its owners and
 * dates; `leaseRollup` looks up (one indexed query) the parts of the rollup it reads whose periods meet the range —
 * and the line item parts of each period that rollup does not cover, read in its shape — and DuckDB reads those
 * Parquet files directly (projection and filter pushdown).
 * Nothing is loaded ahead: a starting server answers its first question as fast as its hundredth, and memory
 * holds only what a question reads — DuckDB is capped (`memory_limit`, spilling to a temporary directory), and
 * an object store's downloaded parts are an LRU cache. Measured, scanning millions of raw line items per
 * question takes far longer than the issue's 100 ms; the rollups keep common questions to a few thousand rows.
 *
 * Money sums are HUGEINT (exact); they leave DuckDB as text.
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBValue } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import { tempDirPrefix } from '../../platform/temp-dirs.js';
import type { Database } from '../../store/schema.js';
import type { BlobLease, BlobStore } from './blobs/blob-store.js';
import { DIMENSION_COLUMNS, METRIC_COLUMNS } from './line-item-columns.js';
import type { DimensionColumn } from './line-item-columns.js';

/** The dimensions the `svc` and `tag` rollups keep. */
export const SVC_DIMENSIONS = [
  'payer_account_id',
  'linked_account_id',
  'service',
  'record_type',
] as const satisfies readonly DimensionColumn[];

export const ROLLUP_NAMES = ['svc_day', 'svc_month', 'tag_day', 'tag_month', 'full_month'] as const;
export type RollupName = (typeof ROLLUP_NAMES)[number];
/** The rollups an import sizes to decide what a period keeps (cost-store.ts); a tag rollup follows one of them. */
export type BasisRollup = 'svc_day' | 'svc_month' | 'full_month';
/**
 * A rollup's basis: itself, or for a tag rollup the svc rollup of its grain — kept exactly where the tag rollup is,
 * so its parts tell whether a tag rollup covers a period (`leaseRollup`).
 */
export const basisOf = (kind: RollupName): BasisRollup =>
  kind === 'tag_day' ? 'svc_day' : kind === 'tag_month' ? 'svc_month' : kind;
/** What a part holds: line items, or one rollup. */
export type PartKind = 'line_items' | RollupName;

/** DuckDB's memory cap when none is configured (BURSAR_COST_MEMORY_LIMIT). */
export const DEFAULT_MEMORY_LIMIT = '512MB';

/** A SQL string literal. Only for engine-made values (paths, validated ids and periods); request values are bound. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `billing_period = '…'`, with the literal cast to the column's own type (no per-row cast of an ENUM to text). */
export function periodFilter(period: string, type?: string): string {
  return `billing_period = ${literal(period)}${type === undefined ? '' : `::${type}`}`;
}

/**
 * Runs one statement, reporting DuckDB's progress on it every `everyMs`. DuckDB tracks progress only with its
 * progress bar on, so the bar is turned on (not printed) for this statement.
 */
export async function runWithProgress(
  connection: DuckDBConnection,
  sql: string,
  report: ((percent: number) => void) | undefined,
  everyMs: number,
): Promise<DuckDBMaterializedResult> {
  if (report === undefined) return connection.run(sql);
  await connection.run('set enable_progress_bar = true; set enable_progress_bar_print = false');
  const timer = setInterval(() => {
    const { percentage } = connection.progress;
    if (percentage >= 0) report(Math.min(100, percentage));
  }, everyMs);
  try {
    return await connection.run(sql);
  } finally {
    clearInterval(timer);
    await connection.run('reset enable_progress_bar; reset enable_progress_bar_print');
  }
}

/** Parquet files as a relation; `unionByName` when their column types may differ (rollup money: cost-store.ts). */
export function parquetSource(files: readonly string[], unionByName = false): string {
  return `read_parquet([${files.map(literal).join(', ')}]${unionByName ? ', union_by_name = true' : ''})`;
}

/**
 * Line items to build rollups from: a relation with the line item columns, whose tags are either the `tags`
 * MAP column, or (the coded import) an integer tag set code and a table of its (code, tag_key, tag_value).
 */
export interface RollupSource {
  from: string;
  /**
   * The coded import's ENUM type of each text column (every one with a '' member). The rollup tables keep them:
   * measured on a day tag rollup of 836,000 rows, building it took 549 against 632 ms and writing its parts 185
   * against 338 ms with ENUM columns instead of text, as DuckDB's Parquet writer codes text value by value. The
   * parts hold the same strings either way.
   */
  types?: Partial<Record<'billing_period' | DimensionColumn, string>>;
  tags: { column: 'tags'; pairs?: undefined } | { column: string; pairs: string };
}

/** One set of rollup tables a batch of an import built (rollup → DuckDB tables), and the ENUM types they use. */
export interface RollupTables {
  tables: Record<RollupName, string[]>;
  types: string[];
}

export const emptyTables = (): RollupTables => ({
  tables: { svc_day: [], svc_month: [], tag_day: [], tag_month: [], full_month: [] },
  types: [],
});

/** Every temporary directory an engine made, removed when the process exits. */
const directories = new Set<string>();
process.once('exit', () => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** The month a line item's usage falls in: a month rollup's bucket. */
const USAGE_MONTH = `date_trunc('month', usage_date)::date`;
/** A rollup row's owner and billing period (its ENUM in a coded source, else text). */
const rollupHead = (owner: string, types: RollupSource['types'] = {}) =>
  `${literal(owner)} as owner_account_id, ${types.billing_period === undefined ? 'billing_period::varchar as ' : ''}billing_period`;
const metricSums = (prefix = '') => METRIC_COLUMNS.map((m) => `sum(${prefix}${m}) as ${m}`).join(', ');
/** Dimensions as rollups hold them: '' for NULL, in their ENUM types where `types` names them. */
const coalesced = (columns: readonly DimensionColumn[], types: RollupSource['types'] = {}) =>
  columns
    .map((c) => {
      const type = types[c];
      return type === undefined ? `coalesce(${c}::varchar, '') as ${c}` : `coalesce(${c}, ''::${type}) as ${c}`;
    })
    .join(', ');

export interface CostEngineOptions {
  /** DuckDB's `memory_limit` (e.g. `512MB`, `2GB`); beyond it DuckDB spills to the engine's directory. */
  memoryLimit?: string;
}

export class CostEngine {
  private instance: Promise<DuckDBInstance> | undefined;
  private directoryPath: string | undefined;
  private sequence = 0;

  constructor(
    private readonly db: Kysely<Database>,
    readonly blobs: BlobStore,
    private readonly options: CostEngineOptions = {},
  ) {}

  async connect(): Promise<DuckDBConnection> {
    // Bounded memory: the machine is shared, and DuckDB spills what does not fit to the engine's directory.
    // Parquet footers are cached: every question reads the same few parts' metadata again.
    this.instance ??= DuckDBInstance.create(':memory:', {
      memory_limit: this.options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      temp_directory: this.newFile('spill'),
    }).then(async (instance) => {
      const connection = await instance.connect();
      await connection.run('set global parquet_metadata_cache = true');
      connection.closeSync();
      return instance;
    });
    return (await this.instance).connect();
  }

  /** A fresh name for an engine-local file or table. */
  uniqueName(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${this.sequence}`;
  }

  /** A new file path in the engine's own temporary directory. */
  newFile(extension = 'parquet'): string {
    if (this.directoryPath === undefined) {
      this.directoryPath = mkdtempSync(tempDirPrefix('costs'));
      directories.add(this.directoryPath);
    }
    return join(this.directoryPath, `${this.uniqueName('f')}.${extension}`);
  }

  async close(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance !== undefined) (await instance).closeSync();
    if (this.directoryPath !== undefined) {
      rmSync(this.directoryPath, { recursive: true, force: true });
      directories.delete(this.directoryPath);
      this.directoryPath = undefined;
    }
  }

  /** Runs one statement with bound values and returns its rows as objects. */
  async query(sqlText: string, values: DuckDBValue[] = []): Promise<Record<string, DuckDBValue>[]> {
    const connection = await this.connect();
    try {
      return (await connection.runAndReadAll(sqlText, values)).getRowObjects();
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Local files of the `kind` parts of these owners' periods whose usage dates meet [start, end): one indexed
   * query of the relational store, then the blob store's local copies (fetched now if it is an object store),
   * leased until the caller releases them.
   */
  async leaseParts(owners: readonly string[], kind: PartKind, start: string, end: string): Promise<BlobLease> {
    if (owners.length === 0) return this.blobs.lease([]);
    const parts = await this.partsMeeting(owners, [kind], start, end)
      .select('blob_key')
      .orderBy('owner_account_id')
      .orderBy('billing_period')
      .orderBy('part')
      .execute();
    return this.blobs.lease(parts.map((part) => part.blob_key));
  }

  /**
   * What a rollup question reads, billing period by billing period: the `kind` parts of each period they cover,
   * and the line item parts of each period they do not. A period lacks a rollup its import did not write because
   * it would barely aggregate (cost-store.ts), and a tag rollup lacks a key where an import batch of the period had
   * no row with that key: such a batch's cost is missing from the rollup instead of under the key's empty value.
   * Every batch writes one part per period of each svc rollup it keeps, and a tag rollup only where the svc rollup
   * of its grain is kept, so a tag rollup covers a period when the period has svc parts and (for one key) as many
   * tag parts hold the key as there are svc parts. One indexed query of the relational store, which lists each tag
   * part's keys (billing_cost_part_tag_key); the files are leased until the caller releases them.
   */
  async leaseRollup(
    owners: readonly string[],
    kind: RollupName,
    start: string,
    end: string,
    tagKey?: string,
  ): Promise<{ lease: BlobLease; rollup: string[]; lineItems: string[] }> {
    const basis = basisOf(kind);
    const svc = basis === kind ? undefined : basis;
    const parts =
      owners.length === 0
        ? []
        : await this.partsMeeting(owners, [kind, 'line_items', ...(svc === undefined ? [] : [svc])], start, end)
            .select(['owner_account_id', 'billing_period', 'kind', 'blob_key'])
            .select((eb) =>
              (tagKey === undefined
                ? eb.lit(1)
                : eb
                    .case()
                    .when(
                      eb.exists(
                        eb
                          .selectFrom('billing_cost_part_tag_key as k')
                          .select('k.tag_key')
                          .whereRef('k.blob_key', '=', 'billing_cost_part.blob_key')
                          .where('k.tag_key', '=', tagKey),
                      ),
                    )
                    .then(1)
                    .else(0)
                    .end()
              ).as('holds'),
            )
            .orderBy('owner_account_id')
            .orderBy('billing_period')
            .orderBy('part')
            .execute();
    const periods = new Map<string, { rollup: string[]; lineItems: string[]; basis: number; holding: number }>();
    for (const part of parts) {
      const id = `${part.owner_account_id}/${part.billing_period}`;
      let period = periods.get(id);
      if (period === undefined) periods.set(id, (period = { rollup: [], lineItems: [], basis: 0, holding: 0 }));
      if (part.kind === 'line_items') period.lineItems.push(part.blob_key);
      else if (part.kind === svc) period.basis += 1;
      else {
        period.rollup.push(part.blob_key);
        if (Number(part.holds) === 1) period.holding += 1;
      }
    }
    const rollup: string[] = [];
    const lineItems: string[] = [];
    for (const period of periods.values()) {
      const covered =
        svc === undefined
          ? period.rollup.length > 0
          : period.basis > 0 && (tagKey === undefined || period.holding === period.basis);
      if (covered) rollup.push(...period.rollup);
      else lineItems.push(...period.lineItems);
    }
    const lease = await this.blobs.lease([...rollup, ...lineItems]);
    return { lease, rollup: lease.files.slice(0, rollup.length), lineItems: lease.files.slice(rollup.length) };
  }

  private partsMeeting(owners: readonly string[], kinds: readonly PartKind[], start: string, end: string) {
    return this.db
      .selectFrom('billing_cost_part')
      .where('owner_account_id', 'in', [...new Set(owners)])
      .where('kind', 'in', kinds)
      .where('first_day', '<', end)
      .where('last_day', '>=', start);
  }

  /**
   * How many rows each svc and full rollup would have per billing period of `source`, estimated (HyperLogLog, a few
   * percent off) in one pass that builds nothing: measured on a million line items, 40 ms against 600 ms to
   * build the three. The store keeps a rollup only where it aggregates, so it builds only those.
   */
  async estimateRollups(
    connection: DuckDBConnection,
    source: RollupSource,
  ): Promise<Map<string, Record<BasisRollup, number>>> {
    const svc = SVC_DIMENSIONS.join(', ');
    const result = await connection.runAndReadAll(
      `select billing_period::varchar as period, approx_count_distinct(hash(usage_date, ${svc})) as svc_day,
         approx_count_distinct(hash(${USAGE_MONTH}, ${svc})) as svc_month,
         approx_count_distinct(hash(${USAGE_MONTH}, ${DIMENSION_COLUMNS.join(', ')})) as full_month
       from ${source.from} group by all`,
    );
    return new Map(
      result
        .getRowObjects()
        .map((row) => [
          String(row.period),
          { svc_day: Number(row.svc_day), svc_month: Number(row.svc_month), full_month: Number(row.full_month) },
        ]),
    );
  }

  /**
   * Builds the rollup tables of `kinds` for every billing period in `source` at once and adds them to `into`: one
   * pass per rollup over the whole batch (grouping by billing period too), not one filtered pass per period —
   * measured, twelve passes cost most of an import. Each table is ordered by billing period first, so the store
   * cuts it into per-period parts with a filter on a sorted column. Grouping happens on the source's own column
   * types (ENUM codes for the coded import) before anything becomes text. A month rollup is summed from its day
   * rollup where that is built.
   */
  async buildRollups(
    connection: DuckDBConnection,
    source: RollupSource,
    owner: string,
    into: RollupTables,
    kinds: ReadonlySet<RollupName>,
  ): Promise<void> {
    const grouped = (bucket: string, dimensions: readonly DimensionColumn[]) =>
      `select ${rollupHead(owner, source.types)}, bucket, ${coalesced(dimensions, source.types)}, ${METRIC_COLUMNS.join(', ')}, line_items
       from (select billing_period, ${bucket} as bucket, ${dimensions.join(', ')}, ${metricSums()},
               count(*) as line_items
             from ${source.from} group by all order by billing_period, service, bucket)`;
    const svcDay = kinds.has('svc_day')
      ? await this.create(connection, into, 'svc_day', grouped('usage_date', SVC_DIMENSIONS))
      : undefined;
    if (kinds.has('svc_month')) {
      await this.create(
        connection,
        into,
        'svc_month',
        svcDay === undefined ? grouped(USAGE_MONTH, SVC_DIMENSIONS) : monthOf(svcDay, SVC_DIMENSIONS),
      );
    }
    if (kinds.has('full_month'))
      await this.create(connection, into, 'full_month', grouped(USAGE_MONTH, DIMENSION_COLUMNS));
    if (kinds.has('tag_day') || kinds.has('tag_month')) {
      await this.buildTagRollups(connection, source, owner, into, kinds.has('tag_day') ? 'day' : 'month');
    }
  }

  /**
   * Builds the tag rollup tables of `source` and adds them to `into`: `tag_day` and `tag_month` (from it) for
   * `day`, `tag_month` alone (grouped by month from the line items) for `month`.
   */
  private async buildTagRollups(
    connection: DuckDBConnection,
    source: RollupSource,
    owner: string,
    into: RollupTables,
    grain: 'day' | 'month',
  ): Promise<void> {
    // Every row counts once under each tag key its batch uses ('' when the row lacks the key), so a group by one
    // tag adds up to the untagged total. Rows are grouped by tag set first, keys and values are worked out per
    // distinct tag set (a few hundred), and the big GROUP BY runs on integer labels, not on text.
    // Separate temporary tables, not CTEs: measured, DuckDB's estimates for the CTE version were trillions of
    // rows and its aggregates ran an order of magnitude slower. Each rollup is sorted before its dimensions become
    // text: measured at 1M rows, sorting on ENUM codes took a third less time than on the text.
    const tags = source.tags;
    const grouped = this.uniqueName('tag_grouped_');
    const values = this.uniqueName('tag_values_');
    const labels = this.uniqueName('tag_labels_');
    const keyType = this.uniqueName('tag_key_');
    const valueType = this.uniqueName('tag_value_');
    const dimensions = SVC_DIMENSIONS.join(', ');
    // Never NULL, so the joins below are plain equi-joins.
    const tagSet = tags.pairs === undefined ? `coalesce(tags, map())` : tags.column;
    const pairs =
      tags.pairs === undefined
        ? `select tag_set, unnest(map_keys(tag_set)) as tag_key, unnest(map_values(tag_set)) as tag_value from sets`
        : `select code as tag_set, tag_key, tag_value from ${tags.pairs} where code in (select tag_set from sets)`;
    // Labels number (tag key, value) in that order, and key ranks number the keys; the key and value are looked up
    // by index in one constant list, which keeps the row order (a join would not). Rows are ordered by tag key,
    // then service, so a question's key and service filters skip most row groups by their statistics.
    const labelled = (column: 'tag_key' | 'tag_value') =>
      `(select list(${column}::${column === 'tag_key' ? keyType : valueType} order by label) from ${labels})[summed.label]
        as ${column}`;
    const bucket = grain === 'day' ? 'usage_date' : USAGE_MONTH;
    let tagged: string;
    try {
      await connection.run(`create temp table ${grouped} as
        select billing_period, ${bucket} as bucket, ${dimensions}, ${tagSet} as tag_set, ${metricSums()},
          count(*) as line_items
        from ${source.from} group by all`);
      await connection.run(`create temp table ${values} as
        with sets as (select distinct tag_set from ${grouped}), pairs as (${pairs})
        select s.tag_set, k.tag_key, coalesce(p.tag_value, '') as tag_value
        from sets s cross join (select distinct tag_key from pairs) k
        left join pairs p on p.tag_set = s.tag_set and p.tag_key = k.tag_key`);
      await connection.run(`create temp table ${labels} as
        select tag_key, tag_value, row_number() over (order by tag_key, tag_value) as label,
          dense_rank() over (order by tag_key) as key_rank
        from (select distinct tag_key, tag_value from ${values})`);
      // The tag rollups keep keys and values as ENUMs too (RollupSource.types), their members in text order.
      for (const [type, column] of [
        [keyType, 'tag_key'],
        [valueType, 'tag_value'],
      ] as const) {
        // An ENUM needs a member, and a batch may have no tags at all.
        await connection.run(
          `create type ${type} as enum (select v from (select ${column} as v from ${labels} union select '') order by v)`,
        );
        into.types.push(type);
      }
      tagged = await this.create(
        connection,
        into,
        grain === 'day' ? 'tag_day' : 'tag_month',
        `select ${rollupHead(owner, source.types)}, bucket, ${coalesced(SVC_DIMENSIONS, source.types)}, ${labelled('tag_key')},
           ${labelled('tag_value')}, ${METRIC_COLUMNS.join(', ')}, line_items
         from (select g.billing_period, g.bucket, ${SVC_DIMENSIONS.map((d) => `g.${d}`).join(', ')}, sl.key_rank,
                 sl.label, ${metricSums('g.')}, sum(g.line_items) as line_items
               from ${grouped} g
               join (select v.tag_set, l.label, l.key_rank from ${values} v
                     join ${labels} l on l.tag_key = v.tag_key and l.tag_value = v.tag_value) sl
                 on sl.tag_set = g.tag_set
               group by all
               order by g.billing_period, sl.key_rank, service, sl.label, bucket) summed`,
      );
    } finally {
      for (const table of [grouped, values, labels]) await connection.run(`drop table if exists ${table}`);
    }
    if (grain === 'day') {
      await this.create(connection, into, 'tag_month', monthOf(tagged, [...SVC_DIMENSIONS, 'tag_key', 'tag_value']));
    }
  }

  /** Creates one rollup table from `select` and adds it to `into`. */
  private async create(
    connection: DuckDBConnection,
    into: RollupTables,
    name: RollupName,
    select: string,
  ): Promise<string> {
    const table = this.uniqueName(`${name}_`);
    await connection.run(`create table ${table} as ${select}`);
    into.tables[name].push(table);
    return table;
  }

  /** Drops rollup tables, then their types (after they are written as parts, or when an import fails). */
  async drop(connection: DuckDBConnection, rollups: RollupTables): Promise<void> {
    for (const table of Object.values(rollups.tables).flat()) await connection.run(`drop table if exists ${table}`);
    for (const type of rollups.types) await connection.run(`drop type if exists ${type}`);
  }
}

/**
 * Line item parts read as rows of rollup `kind` (one row per line item, which sums alike), for the periods a
 * question reads that the rollup does not cover (`leaseRollup`). A tag rollup's rows are those of `tagKey` (a SQL
 * expression: a bound request value), its value `''` where a line item lacks the key; without a key, every key a
 * line item has.
 */
export function lineItemsAsRollup(kind: RollupName, files: readonly string[], tagKey?: string): string {
  const dimensions = kind === 'full_month' ? DIMENSION_COLUMNS : SVC_DIMENSIONS;
  const tags =
    kind === 'tag_day' || kind === 'tag_month'
      ? tagKey === undefined
        ? ['unnest(map_keys(tags)) as tag_key', 'unnest(map_values(tags)) as tag_value']
        : [`${tagKey} as tag_key`, `coalesce(tags[${tagKey}], '') as tag_value`]
      : [];
  return `(select owner_account_id, billing_period::varchar as billing_period,
      ${kind.endsWith('_month') ? USAGE_MONTH : 'usage_date'} as bucket, ${coalesced(dimensions)},
      ${[...tags, ...METRIC_COLUMNS].join(', ')}, 1::bigint as line_items
    from ${parquetSource(files)})`;
}

/** A month rollup from its day rollup table. */
function monthOf(dayTable: string, keys: readonly string[]): string {
  return `select owner_account_id, billing_period, date_trunc('month', bucket)::date as bucket, ${keys.join(', ')},
      ${METRIC_COLUMNS.map((m) => `sum(${m}) as ${m}`).join(', ')}, sum(line_items) as line_items
    from ${dayTable} group by all order by billing_period, ${keys.includes('tag_key') ? 'tag_key, ' : ''}service, bucket`;
}

export function removeFiles(files: string[]): void {
  for (const file of files) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone (with the engine's directory).
    }
  }
}
