/**
 * Writes cost data. An import stages its line items in the cost engine's DuckDB, writes each billing period
 * as ZSTD Parquet parts (at most CODED_BATCH_ROWS rows each, ordered by usage date), then in ONE relational
 * transaction replaces the periods' partitions, `billing_import` rows and account names: a failure changes
 * nothing, and re-importing a period replaces it. Afterwards the importing engine adopts the new partitions
 * (rollups built from the staged rows) so it need not fetch them back.
 */
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { CostEngine, HeldPartition, RollupSource } from './cost-engine.js';
import { emptyTables, literal, periodFilter } from './cost-engine.js';
import type { CostLineItem } from './cost-line-item.js';
import { CODED_BATCH_ROWS, LineItemCoder, codeStagedTable } from './line-item-coder.js';
import { LINE_ITEM_COLUMNS, lineItemTableDdl } from './line-item-columns.js';
import { formatMoney } from '../money.js';
import { uuid, type IdSource } from '../../platform/ids.js';

export type SqlDialect = 'sqlite' | 'postgres';

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

/** A DuckDB table with exactly LINE_ITEM_COLUMNS (`lineItemTableDdl`), for a file reader to fill. */
export interface StagingTable {
  connection: DuckDBConnection;
  table: string;
}

/** Rows per Parquet part: a blob stays a few tens of MB at most. */
export const PART_ROWS = CODED_BATCH_ROWS;

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** What one import has written so far, per billing period. */
interface PendingPeriod {
  rows: number;
  unblended: bigint;
  parts: Array<{ file: string; rows: number }>;
  partition: HeldPartition;
}

/** One batch of staged line items: the relation to write as Parquet, and the one to build rollups from. */
export interface StagedBatch {
  lineItems: string;
  rollups: RollupSource;
  /** Whether the rows are already in usage date order (then the Parquet writer need not sort them). */
  sorted: boolean;
}

export class ImportDataError extends Error {}

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
      const coder = new LineItemCoder(connection, this.engine);
      const every = options.progressEvery ?? 100_000;
      let total = 0;
      const add = (item: CostLineItem) => {
        coder.add(item);
        total += 1;
        if (options.onProgress !== undefined && total % every === 0) options.onProgress(total);
        return coder.full;
      };
      try {
        // A synchronous source is read synchronously: `for await` costs a promise and a microtask per row.
        if (Symbol.iterator in items) {
          for (const item of items) if (add(item)) await coder.flush(write);
        } else {
          for await (const item of items) if (add(item)) await coder.flush(write);
        }
        await coder.flush(write);
      } finally {
        await coder.close();
      }
    });
  }

  /**
   * For native file readers: creates a DuckDB staging table with `lineItemTableDdl`, lets `fill` insert the
   * rows (e.g. `insert into <table> select … from read_csv(…)`), then stores them exactly as `import` does.
   */
  async importStaged(fill: (staging: StagingTable) => Promise<void>, options: ImportOptions): Promise<ImportSummary> {
    return this.store(options, async (connection, write) => {
      const table = this.engine.uniqueName('staging_');
      await connection.run(lineItemTableDdl(table));
      try {
        await fill({ connection, table });
        await codeStagedTable(connection, this.engine, table, write);
      } finally {
        await connection.run(`drop table if exists ${table}`);
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
    try {
      await produce(connection, async (batch) => {
        await this.writeBatch(connection, batch, owner, periods);
        const named = await connection.runAndReadAll(
          `select linked_account_id::varchar as id, max(linked_account_name::varchar) as name from ${batch.lineItems}
           where linked_account_name is not null and linked_account_id is not null group by all`,
        );
        for (const row of named.getRowObjects()) names.set(String(row.id), String(row.name));
      });
      const version = uuid(this.ids);
      const ordered = [...periods].sort(([a], [b]) => a.localeCompare(b));
      const summaries = await this.db.transaction().execute(async (trx) => {
        const out: PeriodSummary[] = [];
        for (const [billingPeriod, period] of ordered) {
          const existing = await trx
            .deleteFrom('billing_import')
            .where('owner_account_id', '=', owner)
            .where('billing_period', '=', billingPeriod)
            .executeTakeFirst();
          await trx
            .deleteFrom('billing_cost_partition')
            .where('owner_account_id', '=', owner)
            .where('billing_period', '=', billingPeriod)
            .execute();
          for (const [part, { file, rows }] of period.parts.entries()) {
            await trx
              .insertInto('billing_cost_partition')
              .values({
                owner_account_id: owner,
                billing_period: billingPeriod,
                part,
                version,
                import_id: options.importId,
                line_items: rows,
                data: readFileSync(file),
              })
              .execute();
          }
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
        return out;
      });
      // The store is committed; the engine now holds the same partitions without fetching them back.
      await this.engine.exclusive(async () =>
        this.engine.adopt(ordered.map(([, period]) => ({ ...period.partition, version }))),
      );
      return {
        importId: options.importId,
        lineItems: summaries.reduce((n, p) => n + p.lineItems, 0),
        periods: summaries,
      };
    } catch (error) {
      for (const period of periods.values()) await this.engine.discard(connection, period.partition);
      throw error;
    } finally {
      connection.closeSync();
    }
  }

  /** Writes a batch as Parquet parts per billing period and builds their rollups, adding to `periods`. */
  private async writeBatch(
    connection: DuckDBConnection,
    batch: StagedBatch,
    owner: string,
    periods: Map<string, PendingPeriod>,
  ): Promise<void> {
    const totals = await connection.runAndReadAll(
      `select billing_period::varchar as period, count(*) as n, sum(unblended_cost)::varchar as unblended,
         strftime(min(usage_date), '%Y-%m-%d') as first, strftime(max(usage_date), '%Y-%m-%d') as last,
         count(usage_date) as dated
       from ${batch.lineItems} group by all order by all`,
    );
    const columns = LINE_ITEM_COLUMNS.map(([name]) => name).join(', ');
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
          partition: {
            owner,
            period: billingPeriod,
            version: '',
            files: [],
            tables: emptyTables(),
            firstDay: String(row.first),
            lastDay: String(row.last),
          },
        };
        periods.set(billingPeriod, period);
      }
      const partition = period.partition;
      period.rows += rows;
      period.unblended += BigInt(String(row.unblended ?? '0'));
      if (String(row.first) < partition.firstDay) partition.firstDay = String(row.first);
      if (String(row.last) > partition.lastDay) partition.lastDay = String(row.last);
      const select = `select ${literal(owner)} as owner_account_id, ${columns} from ${batch.lineItems}
        where ${periodFilter(billingPeriod, batch.rollups.periodType)}${batch.sorted ? '' : ' order by usage_date'}`;
      const write = async (query: string, count: number) => {
        const file = this.engine.newFile();
        partition.files.push(file);
        await connection.run(`copy (${query}) to ${literal(file)} (format parquet, compression zstd)`);
        period.parts.push({ file, rows: count });
      };
      if (rows <= PART_ROWS) {
        await write(select, rows);
      } else {
        // Too many rows for one part: sort once, then cut the sorted table (its scan keeps insertion order).
        const sorted = this.engine.uniqueName('sorted_');
        await connection.run(`create table ${sorted} as ${select}`);
        try {
          for (let offset = 0; offset < rows; offset += PART_ROWS) {
            await write(
              `select * from ${sorted} limit ${PART_ROWS} offset ${offset}`,
              Math.min(PART_ROWS, rows - offset),
            );
          }
        } finally {
          await connection.run(`drop table if exists ${sorted}`);
        }
      }
      await this.engine.buildRollups(connection, batch.rollups, owner, billingPeriod, partition);
    }
  }
}
