/**
 * Writes cost data: line items of whole billing periods, and the rollups Cost Explorer reads. One import
 * runs in one transaction, so a failed import changes nothing; the first row of a billing period seen by
 * an import deletes what an earlier import stored for that (account, period), so re-importing replaces it.
 * Every aggregation is SQL (INSERT … SELECT … GROUP BY); JavaScript only streams rows in.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { BillingLineItemTable } from '../store/tables/billing.js';
import type { CostLineItem } from './cost-line-item.js';
import { formatMoney, moneyColumnValue } from './money.js';

export type SqlDialect = 'sqlite' | 'postgres';

export const DIMENSION_COLUMNS = [
  'payer_account_id',
  'linked_account_id',
  'service',
  'region',
  'usage_type',
  'operation',
  'record_type',
] as const;
export type DimensionColumn = (typeof DIMENSION_COLUMNS)[number];

export const MONEY_COLUMNS = [
  'unblended_cost',
  'blended_cost',
  'net_unblended_cost',
  'amortized_cost',
  'net_amortized_cost',
  'list_cost',
] as const;
export const QUANTITY_COLUMNS = ['usage_quantity', 'normalized_usage_amount'] as const;
export const METRIC_COLUMNS = [...MONEY_COLUMNS, ...QUANTITY_COLUMNS] as const;

/** The dimensions each rollup level keeps (the others hold `''`). */
export const ROLLUP_LEVELS = {
  svc: ['payer_account_id', 'linked_account_id', 'service', 'record_type'],
  full: DIMENSION_COLUMNS,
  tag: ['payer_account_id', 'linked_account_id', 'service', 'record_type'],
} as const satisfies Record<string, readonly DimensionColumn[]>;
export type RollupLevel = keyof typeof ROLLUP_LEVELS;

export interface ImportOptions {
  ownerAccountId: string;
  importId: string;
  /** Where the rows came from (a file name, `demo`, `api`), recorded per period. */
  source: string;
  format: string;
  now: Date;
  /** Called every `progressEvery` rows with the count so far. */
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

/**
 * Rows per INSERT. SQLite binds every value of a multi-row VALUES list (at most 32,766 per statement).
 * PostgreSQL gets one array per column instead (see POSTGRES_LINE_ITEM_INSERT), so its statement text and
 * parameter count do not grow with the batch and it can take far more rows per round trip.
 */
const BATCH_ROWS = { sqlite: 500, postgres: 5000 } as const satisfies Record<SqlDialect, number>;

/** The line item columns in insert order, and how each is read from a CostLineItem. */
const LINE_ITEM_FIELDS: [keyof BillingLineItemTable, (item: CostLineItem) => unknown][] = [
  ['billing_period', (i) => i.billingPeriodStart.slice(0, 7)],
  ['payer_account_id', (i) => i.billingAccountId],
  ['linked_account_id', (i) => i.subAccountId],
  ['service', (i) => i.serviceName],
  ['region', (i) => i.regionId],
  ['usage_type', (i) => i.usageType],
  ['operation', (i) => i.operation],
  ['record_type', (i) => i.recordType],
  ['billing_account_name', (i) => i.billingAccountName ?? null],
  ['linked_account_name', (i) => i.subAccountName ?? null],
  ['charge_period_start', (i) => i.chargePeriodStart],
  ['charge_period_end', (i) => i.chargePeriodEnd],
  ['usage_date', (i) => i.chargePeriodStart.slice(0, 10)],
  ['charge_category', (i) => i.chargeCategory],
  ['charge_description', (i) => i.chargeDescription ?? null],
  ['service_code', (i) => i.serviceCode ?? null],
  ['service_category', (i) => i.serviceCategory ?? null],
  ['provider', (i) => i.provider ?? null],
  ['invoice_issuer', (i) => i.invoiceIssuer ?? null],
  ['invoice_id', (i) => i.invoiceId ?? null],
  ['availability_zone', (i) => i.availabilityZone ?? null],
  ['sku_id', (i) => i.skuId ?? null],
  ['usage_unit', (i) => i.usageUnit ?? null],
  ['resource_id', (i) => i.resourceId ?? null],
  ['currency', (i) => i.currency],
  ['tags', (i) => (i.tags == null || Object.keys(i.tags).length === 0 ? null : JSON.stringify(i.tags))],
  ['unblended_cost', (i) => moneyColumnValue(i.billedCost)],
  ['blended_cost', (i) => moneyColumnValue(i.blendedCost)],
  ['net_unblended_cost', (i) => moneyColumnValue(i.netUnblendedCost)],
  ['amortized_cost', (i) => moneyColumnValue(i.effectiveCost)],
  ['net_amortized_cost', (i) => moneyColumnValue(i.netAmortizedCost)],
  ['list_cost', (i) => moneyColumnValue(i.listCost)],
  ['usage_quantity', (i) => i.usageQuantity],
  ['normalized_usage_amount', (i) => i.normalizedUsageAmount],
];
const FIELD_READERS = LINE_ITEM_FIELDS.map(([, read]) => read);
/** Owner and import id are the same for every row of an import: they are bound once per row as the first two. */
const LINE_ITEM_COLUMNS = ['owner_account_id', 'import_id', ...LINE_ITEM_FIELDS.map(([column]) => column)];

/** SQLite: `insert … values (?, …), …` for `rows` rows; cached per size. */
const insertTexts = new Map<number, string>();
function sqliteInsertText(rows: number): string {
  let text = insertTexts.get(rows);
  if (text === undefined) {
    const tuple = `(${LINE_ITEM_COLUMNS.map(() => '?').join(', ')})`;
    text = `insert into billing_line_item (${LINE_ITEM_COLUMNS.join(', ')}) values ${Array(rows).fill(tuple).join(', ')}`;
    insertTexts.set(rows, text);
  }
  return text;
}

/**
 * PostgreSQL: owner and import id once, then one array per column, zipped back into rows by `unnest`, so the
 * server parses and plans a statement of 36 parameters per batch instead of one with 18,000.
 */
const POSTGRES_LINE_ITEM_INSERT = (() => {
  const columnType = (column: string) =>
    (MONEY_COLUMNS as readonly string[]).includes(column)
      ? 'bigint'
      : (QUANTITY_COLUMNS as readonly string[]).includes(column)
        ? 'double precision'
        : 'text';
  const arrays = LINE_ITEM_FIELDS.map(([column], i) => `$${i + 3}::${columnType(column)}[]`);
  return `insert into billing_line_item (${LINE_ITEM_COLUMNS.join(', ')})
    select $1::text, $2::text, u.* from unnest(${arrays.join(', ')}) as u`;
})();

const sums = (prefix = '') => sql.raw(METRIC_COLUMNS.map((c) => `sum(${prefix}${c})`).join(', '));
const ROLLUP_INSERT = sql.raw(
  `insert into billing_cost_rollup (owner_account_id, billing_period, level, grain, bucket, tag_key, tag_value, ${DIMENSION_COLUMNS.join(', ')}, ${METRIC_COLUMNS.join(', ')}, line_items)`,
);

/** The dimension list of a level, with `''` in place of the dimensions it drops. */
function levelDimensions(level: RollupLevel, prefix = ''): { select: string; groupBy: string } {
  const kept: readonly string[] = ROLLUP_LEVELS[level];
  return {
    select: DIMENSION_COLUMNS.map((c) => (kept.includes(c) ? `${prefix}${c}` : `''`)).join(', '),
    groupBy: kept.map((c) => `${prefix}${c}`).join(', '),
  };
}

export class CostStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  /** Streams line items into the store, atomically, replacing the billing periods they belong to. */
  async import(
    items: AsyncIterable<CostLineItem> | Iterable<CostLineItem>,
    options: ImportOptions,
  ): Promise<ImportSummary> {
    const { ownerAccountId, importId } = options;
    return this.db.transaction().execute(async (trx) => {
      const periods = new Map<string, { rows: number; replaced: boolean; tagKeys: Set<string> }>();
      let batch: unknown[] = [];
      let batchRows = 0;
      let total = 0;
      const every = options.progressEvery ?? 100_000;
      for await (const item of items) {
        const billingPeriod = item.billingPeriodStart.slice(0, 7);
        let period = periods.get(billingPeriod);
        if (period === undefined) {
          const replaced = await this.clearPeriod(trx, ownerAccountId, billingPeriod);
          period = { rows: 0, replaced, tagKeys: new Set() };
          periods.set(billingPeriod, period);
        }
        period.rows += 1;
        if (item.tags != null) for (const key in item.tags) period.tagKeys.add(key);
        batch.push(ownerAccountId, importId);
        for (const read of FIELD_READERS) batch.push(read(item));
        batchRows += 1;
        if (batchRows === BATCH_ROWS[this.dialect]) {
          await this.insertLineItems(trx, batch, batchRows);
          batch = [];
          batchRows = 0;
        }
        total += 1;
        if (options.onProgress !== undefined && total % every === 0) options.onProgress(total);
      }
      if (batchRows > 0) await this.insertLineItems(trx, batch, batchRows);

      const summaries: PeriodSummary[] = [];
      for (const [billingPeriod, period] of [...periods].sort(([a], [b]) => a.localeCompare(b))) {
        await this.buildRollups(trx, ownerAccountId, billingPeriod, [...period.tagKeys].sort());
        const unblended = await sql<{ total: string | null }>`
          select cast(sum(unblended_cost) as text) as total from billing_line_item
          where owner_account_id = ${ownerAccountId} and billing_period = ${billingPeriod}`.execute(trx);
        const unblendedCost = formatMoney(unblended.rows[0]?.total ?? '0');
        await trx
          .insertInto('billing_import')
          .values({
            owner_account_id: ownerAccountId,
            billing_period: billingPeriod,
            import_id: importId,
            source: options.source,
            format: options.format,
            line_items: period.rows,
            unblended_cost: unblendedCost,
            imported_at: options.now.toISOString(),
          })
          .execute();
        await sql`
          insert into billing_account_name (owner_account_id, account_id, account_name)
          select ${ownerAccountId}, linked_account_id, max(linked_account_name) from billing_line_item
          where owner_account_id = ${ownerAccountId} and billing_period = ${billingPeriod}
            and linked_account_name is not null
          group by linked_account_id
          on conflict (owner_account_id, account_id) do update set account_name = excluded.account_name`.execute(trx);
        summaries.push({ billingPeriod, lineItems: period.rows, unblendedCost, replaced: period.replaced });
      }
      return { importId, lineItems: total, periods: summaries };
    });
  }

  /** Deletes one (account, billing period) and reports whether anything was there. */
  private async clearPeriod(
    trx: Transaction<Database>,
    ownerAccountId: string,
    billingPeriod: string,
  ): Promise<boolean> {
    const existing = await trx
      .deleteFrom('billing_import')
      .where('owner_account_id', '=', ownerAccountId)
      .where('billing_period', '=', billingPeriod)
      .executeTakeFirst();
    await trx
      .deleteFrom('billing_line_item')
      .where('owner_account_id', '=', ownerAccountId)
      .where('billing_period', '=', billingPeriod)
      .execute();
    await trx
      .deleteFrom('billing_cost_rollup')
      .where('owner_account_id', '=', ownerAccountId)
      .where('billing_period', '=', billingPeriod)
      .execute();
    return Number(existing.numDeletedRows) > 0;
  }

  private async insertLineItems(trx: Transaction<Database>, params: unknown[], rows: number): Promise<void> {
    // Precompiled text: Kysely's builder would spend more time compiling tens of thousands of parameters than
    // the database spends inserting them.
    if (this.dialect === 'sqlite') {
      await trx.executeQuery(CompiledQuery.raw(sqliteInsertText(rows), params));
      return;
    }
    const width = LINE_ITEM_COLUMNS.length;
    const columns = FIELD_READERS.map((_, c) => {
      const values = new Array<unknown>(rows);
      for (let r = 0; r < rows; r++) values[r] = params[r * width + 2 + c];
      return values;
    });
    await trx.executeQuery(CompiledQuery.raw(POSTGRES_LINE_ITEM_INSERT, [params[0], params[1], ...columns]));
  }

  /**
   * Line items → daily `full` and daily `tag` rollups (the two scans of the raw rows), then every coarser
   * rollup from a finer one: `svc` daily from `full` daily, and each level's months from its days.
   */
  private async buildRollups(
    trx: Transaction<Database>,
    owner: string,
    period: string,
    tagKeys: string[],
  ): Promise<void> {
    const full = levelDimensions('full');
    await sql`${ROLLUP_INSERT}
      select owner_account_id, billing_period, 'full', 'day', usage_date, '', '', ${sql.raw(full.select)}, ${sums()}, count(*)
      from billing_line_item where owner_account_id = ${owner} and billing_period = ${period}
      group by owner_account_id, billing_period, usage_date, ${sql.raw(full.groupBy)}`.execute(trx);

    if (tagKeys.length > 0) {
      const tag = levelDimensions('tag', 'li.');
      const keys = sql.join(
        tagKeys.map((key) => sql`select cast(${key} as text) as tag_key`),
        sql` union all `,
      );
      const value =
        this.dialect === 'postgres'
          ? sql`coalesce(li.tags::jsonb ->> k.tag_key, '')`
          : sql`coalesce(cast(json_extract(li.tags, '$."' || k.tag_key || '"') as text), '')`;
      await sql`${ROLLUP_INSERT}
        select li.owner_account_id, li.billing_period, 'tag', 'day', li.usage_date, k.tag_key, ${value},
          ${sql.raw(tag.select)}, ${sums('li.')}, count(*)
        from billing_line_item li cross join (${keys}) k
        where li.owner_account_id = ${owner} and li.billing_period = ${period}
        group by li.owner_account_id, li.billing_period, li.usage_date, k.tag_key, ${value}, ${sql.raw(tag.groupBy)}`.execute(
        trx,
      );
    }

    const svc = levelDimensions('svc');
    await sql`${ROLLUP_INSERT}
      select owner_account_id, billing_period, 'svc', 'day', bucket, '', '', ${sql.raw(svc.select)}, ${sums()}, sum(line_items)
      from billing_cost_rollup
      where owner_account_id = ${owner} and billing_period = ${period} and level = 'full' and grain = 'day'
      group by owner_account_id, billing_period, bucket, ${sql.raw(svc.groupBy)}`.execute(trx);

    for (const level of ['full', 'svc', 'tag'] as const) {
      const dims = levelDimensions(level);
      const month = sql`substr(bucket, 1, 7) || '-01'`;
      await sql`${ROLLUP_INSERT}
        select owner_account_id, billing_period, cast(${level} as text), 'month', ${month}, tag_key, tag_value, ${sql.raw(dims.select)}, ${sums()}, sum(line_items)
        from billing_cost_rollup
        where owner_account_id = ${owner} and billing_period = ${period} and level = ${level} and grain = 'day'
        group by owner_account_id, billing_period, ${month}, tag_key, tag_value, ${sql.raw(dims.groupBy)}`.execute(trx);
    }
  }
}
