/**
 * Answers Cost Explorer questions with SQL over the rollups: picks the coarsest rollup level that keeps every
 * dimension the query groups or filters by, the month grain when the range is whole months, and lets the
 * database sum. Queries that need what no rollup keeps (two tag keys, or a tag with region/usage type/operation)
 * fall back to the line items, still aggregated in SQL. Money comes back as exact decimal text.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import type { CostScope } from './cost-scope.js';
import type { DimensionColumn, RollupLevel, SqlDialect } from './cost-store.js';
import { ROLLUP_LEVELS } from './cost-store.js';
import { formatMoney, formatQuantity } from './money.js';

export const METRICS = {
  BlendedCost: 'blended_cost',
  UnblendedCost: 'unblended_cost',
  AmortizedCost: 'amortized_cost',
  NetUnblendedCost: 'net_unblended_cost',
  NetAmortizedCost: 'net_amortized_cost',
  UsageQuantity: 'usage_quantity',
  NormalizedUsageAmount: 'normalized_usage_amount',
} as const;
export type Metric = keyof typeof METRICS;
const QUANTITY_METRICS: ReadonlySet<Metric> = new Set(['UsageQuantity', 'NormalizedUsageAmount']);
export const isQuantityMetric = (metric: Metric) => QUANTITY_METRICS.has(metric);

/** Cost Explorer dimension keys Bursar's data answers, and the column each reads. */
export const DIMENSIONS: Record<string, DimensionColumn> = {
  SERVICE: 'service',
  LINKED_ACCOUNT: 'linked_account_id',
  PAYER_ACCOUNT: 'payer_account_id',
  REGION: 'region',
  USAGE_TYPE: 'usage_type',
  OPERATION: 'operation',
  RECORD_TYPE: 'record_type',
};

export interface DimensionValues {
  Key: string;
  Values?: string[];
  MatchOptions?: string[];
}

/** Cost Explorer's filter Expression (CostCategories are not supported: Bursar has no cost categories). */
export interface Expression {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Dimensions?: DimensionValues;
  Tags?: DimensionValues;
  CostCategories?: DimensionValues;
}

export interface GroupDefinition {
  Type: 'DIMENSION' | 'TAG' | 'COST_CATEGORY';
  Key: string;
}

export interface CostQuery {
  /** `YYYY-MM-DD`, inclusive. */
  start: string;
  /** `YYYY-MM-DD`, exclusive. */
  end: string;
  granularity: 'DAILY' | 'MONTHLY';
  metrics: Metric[];
  groupBy: GroupDefinition[];
  filter?: Expression;
  scope: CostScope;
}

export interface CostRow {
  /** Start of the day or month bucket, `YYYY-MM-DD`. */
  bucket: string;
  /** Group key values in GroupBy order (raw values; a TAG's untagged value is `''`). */
  keys: string[];
  /** Metric → decimal text. */
  amounts: Record<string, string>;
}

/** Thrown for a question the data model cannot answer; operations turn it into AWS's ValidationException. */
export class CostQueryError extends Error {}

interface Plan {
  source: 'rollup' | 'line_item';
  level?: RollupLevel;
  grain?: 'day' | 'month';
  tagKey?: string;
}

function walk(expression: Expression | undefined, visit: (e: Expression) => void): void {
  if (expression === undefined) return;
  visit(expression);
  for (const child of expression.And ?? []) walk(child, visit);
  for (const child of expression.Or ?? []) walk(child, visit);
  walk(expression.Not, visit);
}

export function dimensionColumn(key: string): DimensionColumn {
  const column = DIMENSIONS[key];
  if (column === undefined) throw new CostQueryError(`Dimension ${key} is not supported by this Cost Explorer.`);
  return column;
}

const isMonthStart = (date: string) => date.endsWith('-01');

function plan(query: CostQuery): Plan {
  const columns = new Set<DimensionColumn>();
  const tagKeys = new Set<string>();
  for (const group of query.groupBy) {
    if (group.Type === 'DIMENSION') columns.add(dimensionColumn(group.Key));
    else if (group.Type === 'TAG') tagKeys.add(group.Key);
    else throw new CostQueryError('Cost categories are not supported by this Cost Explorer.');
  }
  walk(query.filter, (e) => {
    if (e.Dimensions !== undefined) columns.add(dimensionColumn(e.Dimensions.Key));
    if (e.Tags !== undefined) tagKeys.add(e.Tags.Key);
    if (e.CostCategories !== undefined) {
      throw new CostQueryError('Cost categories are not supported by this Cost Explorer.');
    }
  });
  const grain =
    query.granularity === 'MONTHLY' && isMonthStart(query.start) && isMonthStart(query.end) ? 'month' : 'day';
  const within = (level: RollupLevel) =>
    [...columns].every((c) => (ROLLUP_LEVELS[level] as readonly string[]).includes(c));
  if (tagKeys.size === 0) return { source: 'rollup', level: within('svc') ? 'svc' : 'full', grain };
  if (tagKeys.size === 1 && within('tag')) return { source: 'rollup', level: 'tag', grain, tagKey: [...tagKeys][0]! };
  return { source: 'line_item' };
}

export class CostQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  /** One row per (bucket, group) with data, ordered by bucket then keys. */
  async costAndUsage(query: CostQuery): Promise<CostRow[]> {
    const how = plan(query);
    const table = how.source === 'rollup' ? sql.raw('billing_cost_rollup') : sql.raw('billing_line_item');
    const day = how.source === 'rollup' ? sql.ref('bucket') : sql.ref('usage_date');
    const bucket = query.granularity === 'MONTHLY' && how.grain !== 'month' ? sql`substr(${day}, 1, 7) || '-01'` : day;
    const tagValue = (key: string): RawBuilder<string> =>
      how.source === 'rollup' ? sql<string>`tag_value` : this.lineItemTag(key);

    const groupExpressions = query.groupBy.map((group) =>
      group.Type === 'DIMENSION' ? sql.ref(dimensionColumn(group.Key)) : tagValue(group.Key),
    );
    const conditions: RawBuilder<unknown>[] = [sql`${day} >= ${query.start}`, sql`${day} < ${query.end}`];
    if (how.source === 'rollup') {
      conditions.unshift(sql`level = ${how.level}`, sql`grain = ${how.grain}`, sql`tag_key = ${how.tagKey ?? ''}`);
    }
    conditions.push(scopeCondition(query.scope));
    if (query.filter !== undefined) conditions.push(this.filterSql(query.filter, tagValue));

    const metricColumns = query.metrics.map((metric) =>
      isQuantityMetric(metric)
        ? sql`sum(${sql.ref(METRICS[metric])})`
        : sql`cast(sum(${sql.ref(METRICS[metric])}) as text)`,
    );
    const selected = [
      sql`${bucket} as bucket`,
      ...groupExpressions.map((expression, i) => sql`${expression} as ${sql.ref(`k${i}`)}`),
      ...metricColumns.map((expression, i) => sql`${expression} as ${sql.ref(`m${i}`)}`),
    ];
    const grouping = [bucket, ...groupExpressions];
    const result = await sql<Record<string, unknown>>`
      select ${sql.join(selected)} from ${table}
      where ${sql.join(conditions, sql` and `)}
      group by ${sql.join(grouping)}
      order by ${sql.join(grouping)}`.execute(this.db);
    return result.rows.map((row) => ({
      // A range starting mid-month has its first monthly bucket start with the range.
      bucket: String(row.bucket) < query.start ? query.start : String(row.bucket),
      keys: query.groupBy.map((_, i) => String(row[`k${i}`] ?? '')),
      amounts: Object.fromEntries(
        query.metrics.map((metric, i) => {
          const value = row[`m${i}`];
          return [
            metric,
            isQuantityMetric(metric) ? formatQuantity(Number(value ?? 0)) : formatMoney(String(value ?? '0')),
          ];
        }),
      ),
    }));
  }

  /** Distinct values of a dimension with data in the range, for GetDimensionValues. */
  async dimensionValues(scope: CostScope, start: string, end: string, key: string, search?: string): Promise<string[]> {
    const column = sql.ref(dimensionColumn(key));
    const conditions = [
      sql`level = 'full'`,
      sql`grain = 'day'`,
      sql`tag_key = ''`,
      sql`bucket >= ${start}`,
      sql`bucket < ${end}`,
      sql`${column} <> ''`,
      scopeCondition(scope),
    ];
    if (search !== undefined && search !== '') {
      conditions.push(sql`lower(${column}) like ${`%${search.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`} escape '\\'`);
    }
    const rows = await sql<{ value: string }>`
      select distinct ${column} as value from billing_cost_rollup where ${sql.join(conditions, sql` and `)}
      order by value`.execute(this.db);
    return rows.rows.map((r) => r.value);
  }

  /** Tag keys (no key) or one key's values (with a key) seen in the range, for GetTags. */
  async tags(scope: CostScope, start: string, end: string, key?: string, search?: string): Promise<string[]> {
    const column = key === undefined ? sql.ref('tag_key') : sql.ref('tag_value');
    const conditions = [
      sql`level = 'tag'`,
      sql`grain = 'day'`,
      sql`bucket >= ${start}`,
      sql`bucket < ${end}`,
      key === undefined ? sql`tag_key <> ''` : sql`tag_key = ${key}`,
      scopeCondition(scope),
    ];
    if (search !== undefined && search !== '') {
      conditions.push(sql`lower(${column}) like ${`%${search.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`} escape '\\'`);
    }
    const rows = await sql<{ value: string }>`
      select distinct ${column} as value from billing_cost_rollup where ${sql.join(conditions, sql` and `)}
      order by value`.execute(this.db);
    return rows.rows.map((r) => r.value);
  }

  /** Display names of accounts, from the imported data's account names. */
  async accountNames(scope: CostScope, accountIds: string[]): Promise<Map<string, string>> {
    if (accountIds.length === 0) return new Map();
    const owners = [...scope.owners, ...(scope.slice ? [scope.slice.owner] : [])];
    const rows = await this.db
      .selectFrom('billing_account_name')
      .select(['account_id', 'account_name'])
      .where('owner_account_id', 'in', owners)
      .where('account_id', 'in', accountIds)
      .execute();
    return new Map(rows.map((r) => [r.account_id, r.account_name]));
  }

  private lineItemTag(key: string): RawBuilder<string> {
    // The key is inlined as a literal so that the select list and GROUP BY hold the same expression
    // (PostgreSQL does not equate two different parameters).
    return this.dialect === 'postgres'
      ? sql<string>`coalesce(tags::jsonb ->> ${sql.lit(key)}, '')`
      : sql<string>`coalesce(cast(json_extract(tags, ${sql.lit(`$."${key.replace(/"/g, '\\"')}"`)}) as text), '')`;
  }

  private filterSql(expression: Expression, tagValue: (key: string) => RawBuilder<string>): RawBuilder<unknown> {
    const roots = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter(
      (root) => expression[root] !== undefined,
    );
    if (roots.length !== 1) {
      throw new CostQueryError(
        'Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories',
      );
    }
    if (expression.And !== undefined) {
      return sql`(${sql.join(
        expression.And.map((e) => this.filterSql(e, tagValue)),
        sql` and `,
      )})`;
    }
    if (expression.Or !== undefined) {
      return sql`(${sql.join(
        expression.Or.map((e) => this.filterSql(e, tagValue)),
        sql` or `,
      )})`;
    }
    if (expression.Not !== undefined) return sql`not (${this.filterSql(expression.Not, tagValue)})`;
    if (expression.Dimensions !== undefined) {
      return matchSql(sql.ref(dimensionColumn(expression.Dimensions.Key)), expression.Dimensions);
    }
    const tags = expression.Tags!;
    return matchSql(tagValue(tags.Key), tags);
  }
}

function matchSql(
  column: RawBuilder<unknown> | ReturnType<typeof sql.ref>,
  match: DimensionValues,
): RawBuilder<unknown> {
  const options = new Set(match.MatchOptions ?? ['EQUALS']);
  const values = match.Values ?? [];
  if (options.has('ABSENT')) return sql`${column} = ''`;
  const insensitive = options.has('CASE_INSENSITIVE');
  const subject = insensitive ? sql`lower(${column})` : column;
  const normalized = insensitive ? values.map((v) => v.toLowerCase()) : values;
  if (normalized.length === 0) return sql`1 = 0`;
  const like = (pattern: (v: string) => string) =>
    sql`(${sql.join(
      normalized.map((v) => sql`${subject} like ${pattern(v.replace(/[%_\\]/g, '\\$&'))} escape '\\'`),
      sql` or `,
    )})`;
  if (options.has('STARTS_WITH')) return like((v) => `${v}%`);
  if (options.has('ENDS_WITH')) return like((v) => `%${v}`);
  if (options.has('CONTAINS')) return like((v) => `%${v}%`);
  return sql`${subject} in (${sql.join(normalized)})`;
}

function scopeCondition(scope: CostScope): RawBuilder<unknown> {
  const owned = sql`owner_account_id in (${sql.join(scope.owners)})`;
  if (scope.slice === undefined) return owned;
  return sql`(${owned} or (owner_account_id = ${scope.slice.owner} and linked_account_id = ${scope.slice.linkedAccountId}))`;
}
