/**
 * Puts CostLineItem objects into DuckDB fast. Measured on the 2-core machine: one appender call per value,
 * or the data-chunk API's per-value setters, cost 1–2 µs a row for the 34 columns; DuckDB's parquet writer
 * spends more than 10 µs a row on VARCHAR columns but under 1 µs on ENUM columns. So strings are coded here
 * through one dictionary per column (the demo data and real exports repeat a few thousand values), written as
 * ENUM indexes, and numbers go in as whole typed arrays: one native copy per column per 2,048 rows.
 * The result is a table of ENUM columns and a view over it with exactly LINE_ITEM_COLUMNS.
 */
import bindings from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBEnumType, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CostLineItem, MoneyUnits } from './cost-line-item.js';
import type { CostEngine, RollupSource } from './cost-engine.js';
import { runWithProgress } from './cost-engine.js';
import type { StagedBatch } from './cost-store.js';
import { LINE_ITEM_COLUMNS, MONEY_COLUMNS, QUANTITY_COLUMNS } from './line-item-columns.js';
import type { LineItemColumn } from './line-item-columns.js';

/** Rows coded before they are handed to DuckDB: one Parquet part at most, and bounded memory (≈ 170 MB). */
export const CODED_BATCH_ROWS = 1 << 20;
const CHUNK_ROWS = 2048;

type StringField = [LineItemColumn, (item: CostLineItem) => string | null | undefined, ((raw: string) => string)?];

/** Every VARCHAR line item column and where it comes from (an optional derivation after the read). */
const STRING_FIELDS: StringField[] = [
  ['billing_period', (i) => i.billingPeriodStart, (raw) => raw.slice(0, 7)],
  ['payer_account_id', (i) => i.billingAccountId],
  ['linked_account_id', (i) => i.subAccountId],
  ['service', (i) => i.serviceName],
  ['region', (i) => i.regionId],
  ['usage_type', (i) => i.usageType],
  ['operation', (i) => i.operation],
  ['record_type', (i) => i.recordType],
  ['billing_account_name', (i) => i.billingAccountName],
  ['linked_account_name', (i) => i.subAccountName],
  ['charge_period_start', (i) => i.chargePeriodStart],
  ['charge_period_end', (i) => i.chargePeriodEnd],
  ['charge_category', (i) => i.chargeCategory],
  ['charge_description', (i) => i.chargeDescription],
  ['service_code', (i) => i.serviceCode],
  ['service_category', (i) => i.serviceCategory],
  ['provider', (i) => i.provider],
  ['invoice_issuer', (i) => i.invoiceIssuer],
  ['invoice_id', (i) => i.invoiceId],
  ['availability_zone', (i) => i.availabilityZone],
  ['sku_id', (i) => i.skuId],
  ['usage_unit', (i) => i.usageUnit],
  ['resource_id', (i) => i.resourceId],
  ['currency', (i) => i.currency],
];

const MONEY_FIELDS: Record<(typeof MONEY_COLUMNS)[number], (item: CostLineItem) => MoneyUnits> = {
  unblended_cost: (i) => i.billedCost,
  blended_cost: (i) => i.blendedCost,
  net_unblended_cost: (i) => i.netUnblendedCost,
  amortized_cost: (i) => i.effectiveCost,
  net_amortized_cost: (i) => i.netAmortizedCost,
  list_cost: (i) => i.listCost,
};
const MONEY_READERS = MONEY_COLUMNS.map((c) => MONEY_FIELDS[c]);
const QUANTITY_FIELDS: Record<(typeof QUANTITY_COLUMNS)[number], (item: CostLineItem) => number> = {
  usage_quantity: (i) => i.usageQuantity,
  normalized_usage_amount: (i) => i.normalizedUsageAmount,
};
const QUANTITY_READERS = QUANTITY_COLUMNS.map((c) => QUANTITY_FIELDS[c]);

const TWO_32 = 4294967296;

/** The ENUM type of each coded text column (`types`: in STRING_FIELDS order), as RollupSource names them. */
const enumTypes = (types: readonly string[]): RollupSource['types'] =>
  Object.fromEntries(STRING_FIELDS.map(([column], f) => [column, types[f]!]));

/** The view over a coded table with exactly LINE_ITEM_COLUMNS, tag sets looked up by index in `tagTable`. */
function lineItemView(view: string, table: string, tagTable: string): string {
  // Tag sets by index into one constant list: measured 15× faster than a join, which also scrambles the row
  // order the Parquet writer's compression depends on.
  const tagSets = `(select list(tags order by code) from ${tagTable})`;
  return `create view ${view} as
    select ${LINE_ITEM_COLUMNS.map(([name]) =>
      name === 'tags' ? `case when tags_code = 0 then null else ${tagSets}[tags_code] end as tags` : name,
    ).join(', ')}
    from ${table}`;
}

/** Rows a file reader handed over (cost-store.ts `Staging`): a relation of LINE_ITEM_COLUMNS and `skip_reason`. */
export interface StagedPiece {
  relation: string;
  rows: number;
}

/**
 * Codes staged rows (`pieces`: staged Parquet files, or row ranges of a Parquet file read in place) in DuckDB the
 * way LineItemCoder codes objects: one ENUM per text column (its distinct values over every piece), tag maps as
 * integer tag set codes. Measured at 1M rows, the Parquet writer and the rollups then run on codes instead of text.
 * The pieces are then coded a batch at a time (at most CODED_BATCH_ROWS rows, so memory stays bounded), each
 * batch's rows sorted by billing period and usage date; `use` is called with each coded batch, largest first, as
 * the first batch holding a period's rows decides which rollups it keeps (cost-store.ts). Rows with a skip reason
 * are left out. Drops what it made.
 */
export async function codeStagedFiles(
  connection: DuckDBConnection,
  engine: CostEngine,
  pieces: readonly StagedPiece[],
  use: (batch: StagedBatch) => Promise<void>,
  progress: { report?: (percent: number) => void; everyMs: number },
): Promise<void> {
  if (pieces.length === 0) return;
  const c = connection;
  const prefix = engine.uniqueName('staged_');
  const types = STRING_FIELDS.map((_, f) => `${prefix}_e${f}`);
  const tagText = `${prefix}_text`;
  const tagTable = `${prefix}_tags`;
  const pairs = `${prefix}_pairs`;
  const table = `${prefix}_coded`;
  const distinct = `${prefix}_distinct`;
  const good = (from: readonly StagedPiece[]) =>
    `(select * from (${from.map((p) => `select * from ${p.relation}`).join(' union all ')}) where skip_reason is null)`;
  try {
    // Every column's distinct values, and every tag map's, in one pass over the pieces (measured: half the time of
    // a pass per column), then one ENUM each, its members ordered so codes sort like the text (billing periods in
    // date order). An ENUM needs a member; '' serves a column that is NULL throughout. A tag map is coded by its
    // JSON text (unambiguous, unlike its VARCHAR cast); code 0 is a NULL map. This is the first read of every
    // piece: the one `progress` reports on.
    await runWithProgress(
      c,
      `create temp table ${distinct} as
        select ${STRING_FIELDS.map(([column], f) => `list(distinct ${column}) as d${f}`).join(', ')},
          list(distinct to_json(tags)::varchar) filter (where tags is not null) as tag_text
        from ${good(pieces)}`,
      progress.report,
      progress.everyMs,
    );
    for (const f of STRING_FIELDS.keys()) {
      await c.run(`create type ${types[f]} as enum (
        select v from (select unnest(d${f}) as v from ${distinct} union select '') order by v)`);
    }
    await c.run(`create type ${tagText} as enum (
      select v from (select unnest(tag_text) as v from ${distinct} union select '{}') order by v)`);
    await c.run(`create table ${tagTable} as
      select enum_code(t::${tagText})::integer + 1 as code, t::json::map(varchar, varchar) as tags
      from (select unnest(enum_range(null::${tagText})) as t)`);
    await c.run(`create table ${pairs} as
      select code, unnest(map_keys(tags)) as tag_key, unnest(map_values(tags)) as tag_value from ${tagTable}`);
    for (const batch of batchesOf(pieces)) {
      await c.run(`create table ${table} as
        select ${STRING_FIELDS.map(([column], f) => `${column}::${types[f]} as ${column}`).join(', ')}, usage_date,
          ${[...MONEY_COLUMNS, ...QUANTITY_COLUMNS].join(', ')},
          coalesce(enum_code(to_json(tags)::varchar::${tagText})::integer + 1, 0) as tags_code
        from ${good(batch)} order by billing_period, usage_date`);
      try {
        await c.run(lineItemView(`${table}_v`, table, tagTable));
        await use({
          lineItems: `${table}_v`,
          rollups: { from: table, types: enumTypes(types), tags: { column: 'tags_code', pairs } },
          sorted: true,
        });
      } finally {
        await c.run(`drop view if exists ${table}_v`);
        await c.run(`drop table if exists ${table}`);
      }
    }
  } finally {
    for (const name of [distinct, pairs, tagTable]) await c.run(`drop table if exists ${name}`);
    for (const type of [tagText, ...types]) await c.run(`drop type if exists ${type}`);
  }
}

/** Pieces in batches of at most CODED_BATCH_ROWS rows (a larger piece alone), the largest batches first. */
function batchesOf(pieces: readonly StagedPiece[]): StagedPiece[][] {
  const batches: Array<{ pieces: StagedPiece[]; rows: number }> = [];
  for (const piece of [...pieces].sort((a, b) => b.rows - a.rows)) {
    const batch = batches.find((b) => b.rows + piece.rows <= CODED_BATCH_ROWS);
    if (batch === undefined) batches.push({ pieces: [piece], rows: piece.rows });
    else {
      batch.pieces.push(piece);
      batch.rows += piece.rows;
    }
  }
  return batches.sort((a, b) => b.rows - a.rows).map((b) => b.pieces);
}

/** One column's values → 1-based codes (0 is NULL); remembers the last raw value, as rows repeat it. */
class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  private last: unknown = undefined;
  private lastCode = 0;
  /** How many values DuckDB already has. */
  sent = 0;

  constructor(private readonly derive?: (raw: string) => string) {}

  /** The code of a value the dictionary holds. */
  codeOf(value: string): number {
    const code = this.index.get(value);
    if (code === undefined) throw new Error(`not in the dictionary: ${value}`);
    return code;
  }

  code(raw: string | null | undefined): number {
    if (raw === this.last) return this.lastCode;
    this.last = raw;
    if (raw == null) return (this.lastCode = 0);
    const value = this.derive === undefined ? raw : this.derive(raw);
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.push(value);
      this.index.set(value, code);
    }
    return (this.lastCode = code);
  }
}

/** Codes line items into typed arrays, then hands each full batch to DuckDB as a view of line item columns. */
export class LineItemCoder {
  private readonly dictionaries = STRING_FIELDS.map(([, , derive]) => new Dictionary(derive));
  private readonly codes = STRING_FIELDS.map(() => new Uint32Array(CODED_BATCH_ROWS));
  private readonly days = new Int32Array(CODED_BATCH_ROWS);
  private readonly money = MONEY_COLUMNS.map(() => new BigInt64Array(CODED_BATCH_ROWS));
  private readonly moneyWords = this.money.map((column) => new Int32Array(column.buffer));
  private readonly quantities = QUANTITY_COLUMNS.map(() => new Float64Array(CODED_BATCH_ROWS));
  private readonly tagCodes = new Int32Array(CODED_BATCH_ROWS);
  private readonly tagJson: string[] = [];
  private readonly tagByText = new Map<string, number>();
  private readonly tagByObject = new WeakMap<object, number>();
  private tagsSent = 0;
  private lastTags: unknown = undefined;
  private lastTagCode = 0;
  private lastStart: string | undefined;
  private lastDay = 0;
  /** Whether this batch's usage dates never went down (the demo generator's are in order). */
  private sorted = true;
  rows = 0;
  private readonly prefix: string;
  private batch = 0;
  private prepared = false;

  constructor(
    private readonly connection: DuckDBConnection,
    engine: CostEngine,
  ) {
    this.prefix = engine.uniqueName('coded_');
  }

  get full(): boolean {
    return this.rows === CODED_BATCH_ROWS;
  }

  add(item: CostLineItem): void {
    const row = this.rows;
    for (let f = 0; f < STRING_FIELDS.length; f++) {
      this.codes[f]![row] = this.dictionaries[f]!.code(STRING_FIELDS[f]![1](item));
    }
    const start = item.chargePeriodStart;
    if (start !== this.lastStart) {
      this.lastStart = start;
      const day = Date.parse(`${start.slice(0, 10)}T00:00:00Z`) / 86_400_000;
      if (row > 0 && day < this.lastDay) this.sorted = false;
      this.lastDay = day;
    }
    this.days[row] = this.lastDay;
    for (let m = 0; m < MONEY_READERS.length; m++) {
      const value = MONEY_READERS[m]!(item);
      if (typeof value === 'number') {
        // Two 32-bit words (little endian), so no BigInt is made for the common, safe-integer amount.
        const high = Math.floor(value / TWO_32);
        this.moneyWords[m]![row * 2] = value - high * TWO_32;
        this.moneyWords[m]![row * 2 + 1] = high;
      } else {
        if (BigInt.asIntN(64, value) !== value) throw new RangeError(`money amount out of range: ${value}`);
        this.money[m]![row] = value;
      }
    }
    for (let q = 0; q < QUANTITY_READERS.length; q++) this.quantities[q]![row] = QUANTITY_READERS[q]!(item);
    this.tagCodes[row] = this.tagCode(item.tags);
    this.rows = row + 1;
  }

  private tagCode(tags: Record<string, string> | null | undefined): number {
    if (tags === this.lastTags) return this.lastTagCode;
    this.lastTags = tags;
    if (tags == null) return (this.lastTagCode = 0);
    let code = this.tagByObject.get(tags);
    if (code === undefined) {
      const text = JSON.stringify(tags);
      code = text === '{}' ? 0 : this.tagByText.get(text);
      if (code === undefined) {
        code = this.tagJson.push(text);
        this.tagByText.set(text, code);
      }
      this.tagByObject.set(tags, code);
    }
    return (this.lastTagCode = code);
  }

  /**
   * Appends the coded rows to a fresh ENUM table and returns a view of it with exactly the line item columns (and
   * the table itself, with tag set codes, for rollups), and how to drop both once written; starts the next batch.
   * The coder's buffers are free again when this returns, so the caller may code the next batch while another
   * connection writes this one. Undefined when no row is waiting.
   */
  async stage(): Promise<{ batch: StagedBatch; drop: (connection: DuckDBConnection) => Promise<void> } | undefined> {
    if (this.rows === 0) return undefined;
    const c = this.connection;
    await this.sendDictionaries();
    this.batch += 1;
    const table = `${this.prefix}_${this.batch}`;
    const types = STRING_FIELDS.map((_, f) => `${table}_e${f}`);
    const drop = async (on: DuckDBConnection) => {
      await on.run(`drop view if exists ${table}_v`);
      await on.run(`drop table if exists ${table}`);
      for (const type of types) await on.run(`drop type if exists ${type}`);
    };
    try {
      for (let f = 0; f < STRING_FIELDS.length; f++) {
        await c.run(
          `create type ${types[f]} as enum (select value from ${this.prefix}_dict where field = ${f} order by value)`,
        );
      }
      const columns = [
        ...STRING_FIELDS.map(([column], f) => `${column} ${types[f]}`),
        'usage_date date',
        ...MONEY_COLUMNS.map((m) => `${m} bigint`),
        ...QUANTITY_COLUMNS.map((q) => `${q} double`),
        'tags_code integer',
      ];
      await c.run(`create table ${table} (${columns.join(', ')})`);
      await this.append(table);
      await c.run(lineItemView(`${table}_v`, table, `${this.prefix}_tags`));
      return {
        batch: {
          lineItems: `${table}_v`,
          rollups: {
            from: table,
            types: enumTypes(types),
            tags: { column: 'tags_code', pairs: `${this.prefix}_pairs` },
          },
          sorted: this.sorted,
        },
        drop,
      };
    } catch (error) {
      await drop(c);
      throw error;
    } finally {
      this.rows = 0;
      this.sorted = true;
    }
  }

  async close(): Promise<void> {
    if (!this.prepared) return;
    await this.connection.run(`drop table if exists ${this.prefix}_dict`);
    await this.connection.run(`drop table if exists ${this.prefix}_tags`);
    await this.connection.run(`drop table if exists ${this.prefix}_pairs`);
  }

  /** New dictionary values and tag sets since the last batch go to two small tables. */
  private async sendDictionaries(): Promise<void> {
    const c = this.connection;
    if (!this.prepared) {
      await c.run(`create table ${this.prefix}_dict (field integer, code integer, value varchar)`);
      await c.run(`create table ${this.prefix}_tags (code integer, tags map(varchar, varchar))`);
      await c.run(`create table ${this.prefix}_pairs (code integer, tag_key varchar, tag_value varchar)`);
      this.prepared = true;
    }
    const appender = await c.createAppender(`${this.prefix}_dict`);
    this.dictionaries.forEach((dictionary, f) => {
      // Every ENUM has a '' member: rollups hold a NULL dimension as '' (RollupSource.types), and an ENUM needs one.
      dictionary.code('');
      for (let i = dictionary.sent; i < dictionary.values.length; i++) {
        appender.appendInteger(f);
        appender.appendInteger(i);
        appender.appendVarchar(dictionary.values[i]!);
        appender.endRow();
      }
      dictionary.sent = dictionary.values.length;
    });
    appender.closeSync();
    if (this.tagsSent < this.tagJson.length) {
      await c.run(`create temp table ${this.prefix}_tag_text (code integer, text varchar)`);
      const text = await c.createAppender(`${this.prefix}_tag_text`);
      for (let i = this.tagsSent; i < this.tagJson.length; i++) {
        text.appendInteger(i + 1);
        text.appendVarchar(this.tagJson[i]!);
        text.endRow();
      }
      text.closeSync();
      await c.run(`insert into ${this.prefix}_tags
        select code, cast(text::json as map(varchar, varchar)) from ${this.prefix}_tag_text`);
      await c.run(`drop table ${this.prefix}_tag_text`);
      await c.run(`insert into ${this.prefix}_pairs
        select code, unnest(map_keys(tags)), unnest(map_values(tags)) from ${this.prefix}_tags where code > ${this.tagsSent}`);
      this.tagsSent = this.tagJson.length;
    }
  }

  private async append(table: string): Promise<void> {
    const appender = await this.connection.createAppender(table);
    const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
    // Each ENUM's members are in text order (as the coded file import's are), so sorting a rollup by its codes
    // sorts it by the text, and row group statistics (text) stay narrow. A dictionary code's member is its rank.
    const enums = STRING_FIELDS.map((_, f) => {
      const type = types[f];
      if (!(type instanceof DuckDBEnumType) || type.values.length !== this.dictionaries[f]!.values.length) {
        throw new Error(`coded column ${f} does not match its dictionary`);
      }
      return type;
    });
    const ranks = enums.map((type, f) => {
      const rank = new Uint32Array(type.values.length + 1);
      type.values.forEach((value, member) => (rank[this.dictionaries[f]!.codeOf(value)] = member));
      return rank;
    });
    const widths = enums.map((type) =>
      type.internalTypeId === DuckDBTypeId.UTINYINT
        ? new Uint8Array(CHUNK_ROWS)
        : type.internalTypeId === DuckDBTypeId.USMALLINT
          ? new Uint16Array(CHUNK_ROWS)
          : new Uint32Array(CHUNK_ROWS),
    );
    const validity = new Uint8Array(CHUNK_ROWS / 8);
    const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
    const vector = (column: number) => bindings.data_chunk_get_vector(chunk.chunk, column);
    const copy = (column: number, array: ArrayBufferView, from: number, count: number, bytes: number) =>
      bindings.copy_data_to_vector(
        vector(column),
        0,
        array.buffer as ArrayBuffer,
        array.byteOffset + from * bytes,
        count * bytes,
      );
    try {
      for (let from = 0; from < this.rows; from += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, this.rows - from);
        chunk.rowCount = count;
        for (let f = 0; f < STRING_FIELDS.length; f++) {
          const codes = this.codes[f]!;
          const rank = ranks[f]!;
          const out = widths[f]!;
          let nulls = false;
          for (let r = 0; r < count; r++) {
            const code = codes[from + r]!;
            if (code === 0) nulls = true;
            out[r] = rank[code]!;
          }
          copy(f, out, 0, count, out.BYTES_PER_ELEMENT);
          // Chunks are reused, so a column's validity is written whenever it differs from all-valid.
          validity.fill(0xff);
          if (nulls) for (let r = 0; r < count; r++) if (codes[from + r] === 0) validity[r >> 3]! &= ~(1 << (r & 7));
          bindings.vector_ensure_validity_writable(vector(f));
          bindings.copy_data_to_vector_validity(vector(f), 0, validity.buffer, 0, validity.byteLength);
        }
        let column = STRING_FIELDS.length;
        copy(column++, this.days, from, count, 4);
        for (const money of this.money) copy(column++, money, from, count, 8);
        for (const quantity of this.quantities) copy(column++, quantity, from, count, 8);
        copy(column, this.tagCodes, from, count, 4);
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
  }
}
