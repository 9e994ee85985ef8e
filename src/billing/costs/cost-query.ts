/**
 * Answers Cost Explorer questions with DuckDB SQL in the cost engine (cost-engine.ts): picks the coarsest
 * rollup that keeps every dimension the query groups or filters by (month grain when the range is whole
 * months) and lets DuckDB sum its Parquet parts; what no rollup keeps (two tag keys, a tag with region/usage
 * type/operation, or those dimensions by day) is aggregated from the line items' Parquet parts. Every value from a request is a
 * bound parameter. Money sums are exact (HUGEINT) and leave DuckDB as decimal text.
 *
 * As in AWS, a query sees only the tag keys the payer activated as cost allocation tags
 * (cost-allocation-tags.ts): an inactive key reads as absent everywhere (GroupBy, Filter, cost category rules,
 * GetTags), so its cost falls in the untagged group. Activation applies to every period held, as if backfilled.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { lineItemsAsRollup, parquetSource, SVC_DIMENSIONS } from './cost-engine.js';
import type { CostEngine, RollupName } from './cost-engine.js';
import { payerOf, type CostScope } from './cost-scope.js';
import { activeTagKeys } from './cost-allocation-tags.js';
import type { DimensionColumn } from './line-item-columns.js';
import { formatMoney, formatQuantity } from '../money.js';

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

/** Cost Explorer's filter Expression; CostCategories match the value a cost category's rules give (below). */
export interface Expression {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Dimensions?: DimensionValues;
  Tags?: DimensionValues;
  CostCategories?: DimensionValues;
}

/** One rule of a cost category (src/billing/costs/cost-categories.ts): AWS's `CostCategoryRule`. */
export interface CostCategoryRule {
  Value?: string;
  Rule?: Expression;
  InheritedValue?: { DimensionName?: string; DimensionKey?: string };
  Type?: 'REGULAR' | 'INHERITED_VALUE';
}

/**
 * What a query needs of a cost category: its rules, in order, and the value of what none matches; with
 * `EffectiveStart`, they apply from that day and `Previous` answers the days before.
 */
export interface CostCategoryRules {
  Rules: CostCategoryRule[];
  DefaultValue?: string;
  /** `YYYY-MM-DD`, the first day of a month. */
  EffectiveStart?: string;
  Previous?: CostCategoryRules;
}

/** A category's versions, latest first. */
function versionsOf(category: CostCategoryRules): CostCategoryRules[] {
  const out: CostCategoryRules[] = [];
  for (let at: CostCategoryRules | undefined = category; at !== undefined; at = at.Previous) out.push(at);
  return out;
}

export interface GroupDefinition {
  Type: 'DIMENSION' | 'TAG' | 'COST_CATEGORY';
  Key: string;
}

export interface CostQuery {
  /** `YYYY-MM-DD`, inclusive (HOURLY: `YYYY-MM-DDTHH:00:00Z`). */
  start: string;
  /** `YYYY-MM-DD`, exclusive (HOURLY: `YYYY-MM-DDTHH:00:00Z`). */
  end: string;
  granularity: 'DAILY' | 'MONTHLY' | 'HOURLY';
  metrics: Metric[];
  groupBy: GroupDefinition[];
  filter?: Expression;
  scope: CostScope;
  /** The caller's cost categories by name, for COST_CATEGORY groups and CostCategories filters. */
  categories?: ReadonlyMap<string, CostCategoryRules>;
}

/** A GetDimensionValues or GetTags question: the range, who sees what, and the optional search and filter. */
export interface ValuesQuestion {
  scope: CostScope;
  /** `YYYY-MM-DD`, inclusive. */
  start: string;
  /** `YYYY-MM-DD`, exclusive. */
  end: string;
  search?: string;
  filter?: Expression;
  categories?: ReadonlyMap<string, CostCategoryRules>;
}

export interface CostRow {
  /** Start of the day or month bucket, `YYYY-MM-DD`; of the hour, `YYYY-MM-DDTHH:00:00Z`. */
  bucket: string;
  /** Group key values in GroupBy order (raw values; a TAG's untagged value is `''`). */
  keys: string[];
  /** Metric → decimal text. */
  amounts: Record<string, string>;
}

/** Thrown for a question the data model cannot answer; operations turn it into AWS's ValidationException. */
export class CostQueryError extends Error {}

function walk(expression: Expression | undefined, visit: (e: Expression) => void): void {
  if (expression === undefined) return;
  visit(expression);
  for (const child of expression.And ?? []) walk(child, visit);
  for (const child of expression.Or ?? []) walk(child, visit);
  walk(expression.Not, visit);
}

/** A column a query may group or filter by: a dimension's, or the resource id of GetCostAndUsageWithResources. */
type QueryColumn = DimensionColumn | 'resource_id';

/** GetCostAndUsageWithResources' own dimension, kept by the line items only. */
export const RESOURCE_ID = 'RESOURCE_ID';

export function dimensionColumn(key: string): QueryColumn {
  if (key === RESOURCE_ID) return 'resource_id';
  const column = DIMENSIONS[key];
  if (column === undefined) throw new CostQueryError(`Dimension ${key} is not supported by this Cost Explorer.`);
  return column;
}

const isMonthStart = (date: string) => date.endsWith('-01');
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Whether a tag key is an active cost allocation tag of the question's payer. */
type TagActive = (key: string) => boolean;

/** Where a question is answered: a rollup table, or the line items themselves. */
interface Plan {
  table: RollupName | 'line_item';
  tagKey?: string;
}

const isSvcDimension = (column: QueryColumn) => (SVC_DIMENSIONS as readonly string[]).includes(column);

/** The named cost category's rules; a name the caller has no category of is refused. */
function categoryOf(query: Pick<CostQuery, 'categories'>, name: string): CostCategoryRules {
  const category = query.categories?.get(name);
  if (category === undefined) throw new CostQueryError(`Cost category ${name} does not exist.`);
  return category;
}

function plan(
  query: Pick<CostQuery, 'start' | 'end' | 'granularity' | 'groupBy' | 'filter' | 'categories'>,
  active: TagActive,
): Plan {
  const columns = new Set<QueryColumn>();
  const tagKeys = new Set<string>();
  const seen = new Set<string>();
  // A cost category reads what its rules (and the categories they name) read.
  const category = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const rule of versionsOf(categoryOf(query, name)).flatMap((version) => version.Rules)) {
      if (rule.InheritedValue?.DimensionName === 'TAG') tagKeys.add(rule.InheritedValue.DimensionKey ?? '');
      walk(rule.Rule, visit);
    }
  };
  const visit = (e: Expression) => {
    if (e.Dimensions !== undefined) columns.add(dimensionColumn(e.Dimensions.Key));
    if (e.Tags !== undefined) tagKeys.add(e.Tags.Key);
    if (e.CostCategories !== undefined) category(e.CostCategories.Key);
  };
  for (const group of query.groupBy) {
    if (group.Type === 'DIMENSION') columns.add(dimensionColumn(group.Key));
    else if (group.Type === 'TAG') tagKeys.add(group.Key);
    else category(group.Key);
  }
  walk(query.filter, visit);
  // An inactive key reads as absent (the empty text), so it needs no rollup that keeps it.
  for (const key of tagKeys) if (!active(key)) tagKeys.delete(key);
  // Hours and resource ids are kept by the line items only.
  if (query.granularity === 'HOURLY' || columns.has('resource_id')) return { table: 'line_item' };
  const month = query.granularity === 'MONTHLY' && isMonthStart(query.start) && isMonthStart(query.end);
  const withinSvc = [...columns].every(isSvcDimension);
  if (tagKeys.size === 0) {
    if (withinSvc) return { table: month ? 'svc_month' : 'svc_day' };
    return { table: month ? 'full_month' : 'line_item' };
  }
  if (tagKeys.size === 1 && withinSvc) return { table: month ? 'tag_month' : 'tag_day', tagKey: [...tagKeys][0]! };
  return { table: 'line_item' };
}

/** Collects bound values; `bind` returns the placeholder. */
class Parameters {
  readonly values: DuckDBValue[] = [];

  bind(value: string): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** How a plan's source spells the day, a dimension and a tag's value. */
interface Source {
  from: string;
  day: string;
  dimension: (column: QueryColumn) => string;
  tagValue: (key: string) => string;
}

const ownersOf = (scope: CostScope) => [...scope.owners, ...(scope.slice ? [scope.slice.owner] : [])];

export class CostQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: CostEngine,
  ) {}

  /** One row per (bucket, group) with data, ordered by bucket then keys. */
  async costAndUsage(query: CostQuery): Promise<CostRow[]> {
    const active = await this.tagActive(query.scope);
    const how = plan(query, active);
    const p = new Parameters();
    const hourly = query.granularity === 'HOURLY';
    // An hour's line items are those whose charge period starts in it (ISO-8601 UTC text: its first 13
    // characters name the hour); their usage dates narrow the parts read.
    const [startDay, endDay] = hourly
      ? [query.start.slice(0, 10), nextDay(query.end.slice(0, 10))]
      : [query.start, query.end];
    const answer = await this.withSource(how, query.scope, startDay, endDay, p, active, async (source) => {
      const day = source.day;
      const bucket = hourly
        ? `left(charge_period_start::varchar, 13)`
        : query.granularity === 'MONTHLY' && !how.table.endsWith('_month')
          ? `date_trunc('month', ${day})::date`
          : day;
      const sql = sqlContext(source, p, query.categories);
      const groups = query.groupBy.map((group) =>
        group.Type === 'DIMENSION'
          ? source.dimension(dimensionColumn(group.Key))
          : group.Type === 'TAG'
            ? source.tagValue(group.Key)
            : categorySql(group.Key, sql),
      );
      const conditions = [`${day} >= ${p.bind(startDay)}::date`, `${day} < ${p.bind(endDay)}::date`];
      if (hourly) {
        conditions.push(
          `${bucket} >= ${p.bind(query.start.slice(0, 13))}`,
          `${bucket} < ${p.bind(query.end.slice(0, 13))}`,
        );
      }
      if (how.tagKey !== undefined) conditions.push(`tag_key = ${p.bind(how.tagKey)}`);
      conditions.push(scopeCondition(query.scope, p, source));
      if (query.filter !== undefined) conditions.push(filterSql(query.filter, sql));
      const keys = groups.map((_, i) => `k${i}`);
      // Rollup parts keep money sums as BIGINT, or DECIMAL(38, 0) where one does not fit (cost-store.ts); either is
      // summed back as HUGEINT, exactly.
      const sums = query.metrics.map((metric, i) =>
        isQuantityMetric(metric) ? `sum(${METRICS[metric]}) as m${i}` : `sum(${METRICS[metric]})::hugeint as m${i}`,
      );
      // The whole answer leaves DuckDB as one JSON text, each row a JSON list made by `to_json` and joined in
      // order by `string_agg`; money leaves as the sum's integer text and `formatMoney` cuts it in JavaScript.
      // Measured on a 27,000-group answer: converting rows value by value through the client API, or building
      // one list (`list(… order by …)`) and formatting money in SQL, each took longer than the query itself.
      const fields = [
        hourly ? `bucket || ':00:00Z'` : `strftime(bucket, '%Y-%m-%d')`,
        ...keys,
        ...query.metrics.map((_, i) => `m${i}::varchar`),
      ];
      const [result] = await this.engine.query(
        `select '[' || coalesce(string_agg(to_json([${fields.join(', ')}])::varchar, ',' order by ${['bucket', ...keys].join(', ')}), '') || ']' as rows
         from (select ${[`${bucket} as bucket`, ...groups.map((g, i) => `${g} as k${i}`), ...sums].join(', ')}
               from ${source.from} where ${conditions.join(' and ')} group by all)`,
        p.values,
      );
      const width = keys.length;
      const quantity = query.metrics.map(isQuantityMetric);
      // Plain loops: tens of thousands of rows, where closures and Object.fromEntries per row showed up.
      const parsed = JSON.parse(String(result!.rows)) as string[][];
      const out = new Array<CostRow>(parsed.length);
      for (let r = 0; r < parsed.length; r++) {
        const row = parsed[r]!;
        const amounts: Record<string, string> = {};
        for (let i = 0; i < query.metrics.length; i++) {
          const value = row[1 + width + i]!;
          amounts[query.metrics[i]!] = quantity[i] ? formatQuantity(Number(value)) : formatMoney(value);
        }
        // A range starting mid-month has its first monthly bucket start with the range.
        out[r] = { bucket: row[0]! < query.start ? query.start : row[0]!, keys: row.slice(1, 1 + width), amounts };
      }
      return out;
    });
    return answer ?? [];
  }

  /**
   * Distinct values of a dimension with data in the range, for GetDimensionValues; with a filter, only those of
   * the cost the filter keeps (read from the rollup that keeps the dimension and everything the filter reads).
   */
  async dimensionValues(question: ValuesQuestion & { key: string }): Promise<string[]> {
    const { scope, start, end, key, search, filter } = question;
    const column = dimensionColumn(key);
    const p = new Parameters();
    const active = await this.tagActive(scope);
    const how: Plan =
      filter !== undefined
        ? plan({ ...question, granularity: 'MONTHLY', groupBy: [{ Type: 'DIMENSION', Key: key }] }, active)
        : isSvcDimension(column)
          ? { table: 'svc_day' }
          : isMonthStart(start) && isMonthStart(end)
            ? { table: 'full_month' }
            : { table: 'line_item' };
    const answer = await this.withSource(how, scope, start, end, p, active, async (source) => {
      const value = source.dimension(column);
      const conditions = [
        `${source.day} >= ${p.bind(start)}::date`,
        `${source.day} < ${p.bind(end)}::date`,
        `${value} <> ''`,
        scopeCondition(scope, p, source),
      ];
      if (how.tagKey !== undefined) conditions.push(`tag_key = ${p.bind(how.tagKey)}`);
      if (filter !== undefined) conditions.push(filterSql(filter, sqlContext(source, p, question.categories)));
      if (search !== undefined && search !== '') conditions.push(containsSql(value, search, p));
      const rows = await this.engine.query(
        `select distinct ${value} as value from ${source.from} where ${conditions.join(' and ')} order by value`,
        p.values,
      );
      return rows.map((r) => String(r.value));
    });
    return answer ?? [];
  }

  /** The usage units of the line items a question's filter keeps, for GetUsageForecast. */
  async usageUnits(question: ValuesQuestion): Promise<string[]> {
    const p = new Parameters();
    const active = await this.tagActive(question.scope);
    const answer = await this.withSource(
      { table: 'line_item' },
      question.scope,
      question.start,
      question.end,
      p,
      active,
      async (source) => {
        const conditions = [
          `${source.day} >= ${p.bind(question.start)}::date`,
          `${source.day} < ${p.bind(question.end)}::date`,
          scopeCondition(question.scope, p, source),
        ];
        if (question.filter !== undefined) {
          conditions.push(filterSql(question.filter, sqlContext(source, p, question.categories)));
        }
        const rows = await this.engine.query(
          `select distinct coalesce(usage_unit, '') as unit from ${source.from} where ${conditions.join(' and ')} order by unit`,
          p.values,
        );
        return rows.map((r) => String(r.unit));
      },
    );
    return answer ?? [];
  }

  /**
   * Active tag keys (no key) or one active key's values (with a key) seen in the range, for GetTags; with
   * `inactiveToo`, every key, for discovering the keys that may be activated. A key's values are those grouping
   * by it shows, `''` where cost lacks the key (as AWS's console lists "No tag key"), whichever parts answer
   * (the tag rollup, or line items in its shape or raw). A filter over the
   * account-and-service dimensions is applied to the tag rollup; one reading anything else (another tag, a
   * region, a cost category) to the line items.
   */
  async tags(question: ValuesQuestion & { key?: string; inactiveToo?: boolean }): Promise<string[]> {
    const { scope, start, end, key, search, filter } = question;
    const active: TagActive = question.inactiveToo === true ? () => true : await this.tagActive(scope);
    if (key !== undefined && !active(key)) return [];
    const p = new Parameters();
    const onRollup =
      filter === undefined || plan({ ...question, granularity: 'DAILY', groupBy: [] }, active).table === 'svc_day';
    const answer = await this.withSource(
      onRollup ? { table: 'tag_day', ...(key === undefined ? {} : { tagKey: key }) } : { table: 'line_item' },
      scope,
      start,
      end,
      p,
      active,
      async (source) => {
        const column = onRollup
          ? key === undefined
            ? 'tag_key'
            : 'tag_value'
          : key === undefined
            ? 'unnest(map_keys(tags))'
            : source.tagValue(key);
        const conditions = [
          `${source.day} >= ${p.bind(start)}::date`,
          `${source.day} < ${p.bind(end)}::date`,
          scopeCondition(scope, p, source),
        ];
        if (onRollup) conditions.push(key === undefined ? `tag_key <> ''` : `tag_key = ${p.bind(key)}`);
        if (filter !== undefined) conditions.push(filterSql(filter, sqlContext(source, p, question.categories)));
        const searched = search !== undefined && search !== '' ? `where ${containsSql('value', search, p)}` : '';
        const rows = await this.engine.query(
          `select distinct value from (select ${column} as value from ${source.from} where ${conditions.join(' and ')})
         ${searched} order by value`,
          p.values,
        );
        const values = rows.map((r) => String(r.value));
        // Keys are few: an inactive one is dropped here rather than in the SQL.
        return key === undefined ? values.filter(active) : values;
      },
    );
    return answer ?? [];
  }

  /**
   * The earliest billing period (`YYYY-MM`) with cost data the scope may see, from the relational store's
   * partitions; undefined when there is none. Lists of periods (bills, invoices, credits) start here, so
   * imported history stays reachable however old it is.
   */
  async firstPeriod(scope: CostScope): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('billing_cost_part')
      .select((eb) => eb.fn.min('billing_period').as('first'))
      .where('owner_account_id', 'in', ownersOf(scope))
      .executeTakeFirst();
    return row?.first ?? undefined;
  }

  /** Display names of accounts, from the imported data's account names. */
  async accountNames(scope: CostScope, accountIds: string[]): Promise<Map<string, string>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('billing_account_name')
      .select(['account_id', 'account_name'])
      .where('owner_account_id', 'in', ownersOf(scope))
      .where('account_id', 'in', accountIds)
      .execute();
    return new Map(rows.map((r) => [r.account_id, r.account_name]));
  }

  /** Which tag keys the scope's payer has activated: the one place queries learn it. */
  private async tagActive(scope: CostScope): Promise<TagActive> {
    const keys = await activeTagKeys(this.db, payerOf(scope));
    return (key) => keys.has(key);
  }

  /**
   * Calls `use` with the relation a plan reads: the rollup (or line item) parts of the scope's periods whose usage
   * dates meet the range, as Parquet DuckDB reads directly — for a rollup plan, each period the rollup does not
   * cover read from its line items in the rollup's shape (`leaseRollup`); undefined (and `use` is not called) when
   * there are none. The parts' local files are leased for the question: an object store's cache keeps them until it
   * ends. An inactive tag key's value is the empty text, as when a row lacks the key.
   */
  private async withSource<T>(
    how: Plan,
    scope: CostScope,
    start: string,
    end: string,
    p: Parameters,
    active: TagActive,
    use: (source: Source) => Promise<T>,
  ): Promise<T | undefined> {
    if (how.table === 'line_item') {
      const lease = await this.engine.leaseParts(ownersOf(scope), 'line_items', start, end);
      try {
        if (lease.files.length === 0) return undefined;
        return await use({
          from: parquetSource(lease.files),
          day: 'usage_date',
          dimension: (c) => `coalesce(${c}, '')`,
          tagValue: (key) => (active(key) ? `coalesce(tags[${p.bind(key)}], '')` : `''`),
        });
      } finally {
        lease.release();
      }
    }
    const { lease, rollup, lineItems } = await this.engine.leaseRollup(
      ownersOf(scope),
      how.table,
      start,
      end,
      how.tagKey,
    );
    try {
      // A rollup's money columns are BIGINT in most parts and DECIMAL(38, 0) in a few: read by name, DuckDB gives each
      // column the type every part's values fit (BIGINT unless one part is wider).
      const relations = [
        ...(rollup.length > 0 ? [parquetSource(rollup, true)] : []),
        ...(lineItems.length > 0
          ? [lineItemsAsRollup(how.table, lineItems, how.tagKey === undefined ? undefined : p.bind(how.tagKey))]
          : []),
      ];
      if (relations.length === 0) return undefined;
      const from =
        relations.length === 1
          ? relations[0]!
          : `(${relations.map((relation) => `select * from ${relation}`).join(' union all by name ')})`;
      return await use({
        from,
        day: 'bucket',
        dimension: (c) => c,
        tagValue: (key) => (active(key) ? 'tag_value' : `''`),
      });
    } finally {
      lease.release();
    }
  }
}

/** What an expression's SQL is written against; `visiting` holds the categories being expanded. */
interface SqlContext {
  source: Source;
  p: Parameters;
  categories: CostQuery['categories'];
  visiting: Set<string>;
}

const sqlContext = (source: Source, p: Parameters, categories: CostQuery['categories']): SqlContext => ({
  source,
  p,
  categories,
  visiting: new Set(),
});

/**
 * A cost category's value for a row: the first rule that matches gives it (a REGULAR rule its Value, an
 * INHERITED_VALUE rule of a TAG the row's value of that tag when it has one), else DefaultValue, else ''.
 */
function categorySql(name: string, sql: SqlContext): string {
  const category = categoryOf(sql, name);
  // Each update checks only that the categories named exist, so two may come to name each other.
  if (sql.visiting.has(name)) throw new CostQueryError(`Cost category ${name} refers to itself through its rules.`);
  sql.visiting.add(name);
  const rulesSql = (version: CostCategoryRules) => {
    const whens = version.Rules.map((rule) => {
      if (rule.Type === 'INHERITED_VALUE') {
        if (rule.InheritedValue?.DimensionName !== 'TAG') {
          throw new CostQueryError('Cost category values inherited from LINKED_ACCOUNT_NAME are not supported.');
        }
        const value = sql.source.tagValue(rule.InheritedValue.DimensionKey ?? '');
        return `when ${value} <> '' then ${value}`;
      }
      return `when ${filterSql(rule.Rule!, sql)} then ${sql.p.bind(rule.Value!)}`;
    });
    return `(case ${whens.join(' ')} else ${sql.p.bind(version.DefaultValue ?? '')} end)`;
  };
  // Each version answers from its EffectiveStart (a month's first day, so a month bucket falls wholly in one).
  const versioned = (version: CostCategoryRules): string =>
    version.Previous === undefined || version.EffectiveStart === undefined
      ? rulesSql(version)
      : `(case when ${sql.source.day} >= ${sql.p.bind(version.EffectiveStart)}::date then ${rulesSql(version)}
          else ${versioned(version.Previous)} end)`;
  const value = versioned(category);
  sql.visiting.delete(name);
  return value;
}

function filterSql(expression: Expression, sql: SqlContext): string {
  const { source, p } = sql;
  const roots = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter(
    (root) => expression[root] !== undefined,
  );
  if (roots.length !== 1) {
    throw new CostQueryError(
      'Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories',
    );
  }
  if (expression.And !== undefined) return `(${expression.And.map((e) => filterSql(e, sql)).join(' and ')})`;
  if (expression.Or !== undefined) return `(${expression.Or.map((e) => filterSql(e, sql)).join(' or ')})`;
  if (expression.Not !== undefined) return `not (${filterSql(expression.Not, sql)})`;
  if (expression.CostCategories !== undefined) {
    return matchSql(categorySql(expression.CostCategories.Key, sql), expression.CostCategories, p);
  }
  if (expression.Dimensions !== undefined) {
    return matchSql(source.dimension(dimensionColumn(expression.Dimensions.Key)), expression.Dimensions, p);
  }
  const tags = expression.Tags!;
  return matchSql(source.tagValue(tags.Key), tags, p);
}

const likeEscape = (value: string) => value.replace(/[%_\\]/g, '\\$&');

function matchSql(column: string, match: DimensionValues, p: Parameters): string {
  const options = new Set(match.MatchOptions ?? ['EQUALS']);
  const values = match.Values ?? [];
  if (options.has('ABSENT')) return `${column} = ''`;
  const insensitive = options.has('CASE_INSENSITIVE');
  const subject = insensitive ? `lower(${column})` : column;
  const normalized = insensitive ? values.map((v) => v.toLowerCase()) : values;
  if (normalized.length === 0) return 'false';
  const like = (pattern: (v: string) => string) =>
    `(${normalized.map((v) => `${subject} like ${p.bind(pattern(likeEscape(v)))} escape '\\'`).join(' or ')})`;
  if (options.has('STARTS_WITH')) return like((v) => `${v}%`);
  if (options.has('ENDS_WITH')) return like((v) => `%${v}`);
  if (options.has('CONTAINS')) return like((v) => `%${v}%`);
  return `${subject} in (${normalized.map((v) => p.bind(v)).join(', ')})`;
}

function containsSql(column: string, search: string, p: Parameters): string {
  return `lower(${column}) like ${p.bind(`%${likeEscape(search.toLowerCase())}%`)} escape '\\'`;
}

function scopeCondition(scope: CostScope, p: Parameters, source: Source): string {
  const owned = `owner_account_id in (${scope.owners.map((o) => p.bind(o)).join(', ')})`;
  if (scope.slice === undefined) return owned;
  const linked = source.dimension('linked_account_id');
  return `(${owned} or (owner_account_id = ${p.bind(scope.slice.owner)} and ${linked} = ${p.bind(scope.slice.linkedAccountId)}))`;
}
