/**
 * Cost Explorer (JSON 1.1, `AWSInsightsIndexService`): GetCostAndUsage, GetDimensionValues, GetTags and
 * GetCostForecast over the caller's visible cost data (see src/billing/costs/cost-scope.ts). Amounts are decimal
 * strings, as AWS sends them. Actions are `ce:<Operation>` on resource `*`, as in AWS.
 */
import { createHash } from 'node:crypto';
import type { BillingServices } from '../../billing/billing.js';
import {
  CostQueryError,
  DIMENSIONS,
  RESOURCE_ID,
  METRICS,
  dimensionColumn,
  isQuantityMetric,
} from '../../billing/costs/cost-query.js';
import type { CostRow, Expression, GroupDefinition, Metric, ValuesQuestion } from '../../billing/costs/cost-query.js';
import { costCategoryRules, costCategoryStarts } from '../../billing/costs/cost-categories.js';
import { formatMoney, formatQuantity, moneyFromDecimal } from '../../billing/money.js';
import { ServiceError, validationException } from '../../core/errors.js';
import { invalidNextToken } from '../../billing/errors.js';
import type { Operation, OperationContext } from '../../core/operation.js';
import { isCalendarDay } from '../../platform/calendar.js';

interface DateInterval {
  Start: string;
  End: string;
}

interface GetCostAndUsageInput {
  TimePeriod?: DateInterval;
  Granularity?: string;
  Filter?: Expression;
  Metrics?: string[];
  GroupBy?: GroupDefinition[];
  NextPageToken?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkTimePeriod(period: DateInterval | undefined): DateInterval {
  if (period === undefined) throw validationException('TimePeriod is required.');
  for (const value of [period.Start, period.End]) {
    if (!isCalendarDay(value ?? '')) {
      throw validationException(`Unable to parse date: ${value}. The date format should be yyyy-MM-dd.`);
    }
  }
  if (period.Start >= period.End) {
    throw validationException('Start date (and hour) should be before end date (and hour)');
  }
  return period;
}

function checkMetric(name: string): Metric {
  // AWS accepts the metric names case-insensitively and echoes them as sent.
  const match = Object.keys(METRICS).find((m) => m.toLowerCase() === name.toLowerCase());
  if (match === undefined) throw validationException(`Invalid metric name: ${name}`);
  return match as Metric;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const nextMonth = (date: string) => {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};

const nextHour = (hour: string) => new Date(Date.parse(hour) + 3_600_000).toISOString().replace('.000Z', 'Z');

/** The result buckets of a range: hours, days, or months clipped to the range. */
export function buckets(start: string, end: string, granularity: 'HOURLY' | 'DAILY' | 'MONTHLY'): DateInterval[] {
  const out: DateInterval[] = [];
  for (let at = start; at < end;) {
    const next = granularity === 'HOURLY' ? nextHour(at) : granularity === 'DAILY' ? addDays(at, 1) : nextMonth(at);
    out.push({ Start: at, End: next < end ? next : end });
    at = next;
  }
  return out;
}

function withBillingErrors<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((error: unknown) => {
    if (error instanceof CostQueryError) throw validationException(error.message);
    throw error;
  });
}

const currentMonthStart = (now: Date) => `${now.toISOString().slice(0, 7)}-01`;

function requestHash(input: GetCostAndUsageInput): string {
  const { NextPageToken: _ignored, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16);
}

function decodeToken(token: string, hash: string): number {
  let parsed: { o?: unknown; h?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; h?: unknown };
  } catch {
    throw invalidNextToken();
  }
  if (typeof parsed.o !== 'number' || typeof parsed.h !== 'string') {
    throw invalidNextToken();
  }
  if (parsed.h !== hash) {
    throw new ServiceError(
      'RequestChangedException',
      'Your request parameters changed between pages. Try again with the old parameters or without a pagination token.',
    );
  }
  return parsed.o;
}

const encodeToken = (offset: number, hash: string) =>
  Buffer.from(JSON.stringify({ o: offset, h: hash })).toString('base64url');

const unitOf = (metric: Metric) => (isQuantityMetric(metric) ? 'N/A' : 'USD');
const zeroOf = (metric: Metric) => ({ Amount: '0', Unit: unitOf(metric) });

async function linkedAccountAttributes(
  ctx: OperationContext<BillingServices>,
  accountIds: string[],
): Promise<Array<{ Value: string; Attributes: Record<string, string> }>> {
  const { billing } = ctx.services;
  const names = await billing.queries.accountNames(await billing.scopeOf(ctx.caller.accountId), accountIds);
  return accountIds.map((id) => ({ Value: id, Attributes: { description: names.get(id) ?? id } }));
}

function mentionsLinkedAccount(input: GetCostAndUsageInput): boolean {
  if ((input.GroupBy ?? []).some((g) => g.Type === 'DIMENSION' && g.Key === 'LINKED_ACCOUNT')) return true;
  return JSON.stringify(input.Filter ?? {}).includes('"LINKED_ACCOUNT"');
}

/** Whether the request groups or filters by a cost category, so the caller's categories are read. */
function mentionsCostCategory(input: GetCostAndUsageInput): boolean {
  if ((input.GroupBy ?? []).some((g) => g.Type === 'COST_CATEGORY')) return true;
  return JSON.stringify(input.Filter ?? {}).includes('"CostCategories"');
}

/** How far back HOURLY granularity and resource-level data reach, in days, as in AWS. */
export const FINE_DATA_DAYS = 14;

const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/;

/**
 * An HOURLY TimePeriod: whole hours as `yyyy-MM-ddTHH:mm:ssZ` (a plain date is its midnight), within the last
 * FINE_DATA_DAYS days.
 */
function checkHourlyPeriod(period: DateInterval | undefined, now: Date): DateInterval {
  if (period === undefined) throw validationException('TimePeriod is required.');
  const [start, end] = [period.Start, period.End].map((value) => {
    const hour = DATE.test(value ?? '') ? `${value}T00:00:00Z` : (value ?? '');
    if (!HOUR.test(hour) || Number.isNaN(Date.parse(hour))) {
      throw validationException(
        `Unable to parse date: ${value}. The date format for HOURLY granularity should be yyyy-MM-ddTHH:mm:ssZ, on a whole hour.`,
      );
    }
    return hour;
  });
  if (start! >= end!) throw validationException('Start date (and hour) should be before end date (and hour)');
  checkFineDataStart(start!, now, 'hourly');
  return { Start: start!, End: end! };
}

/** Hourly and resource-level data exist for the last FINE_DATA_DAYS days only. */
function checkFineDataStart(start: string, now: Date, what: string): void {
  const earliest = addDays(now.toISOString().slice(0, 10), -FINE_DATA_DAYS);
  if (start.slice(0, 10) < earliest) {
    throw validationException(
      `${what === 'hourly' ? 'Hourly' : 'Resource-level'} data is available for the last ${FINE_DATA_DAYS} days only: start on ${earliest} or later.`,
    );
  }
}

const mentionsResourceId = (input: GetCostAndUsageInput) =>
  (input.GroupBy ?? []).some((g) => g.Type === 'DIMENSION' && g.Key === RESOURCE_ID) ||
  JSON.stringify(input.Filter ?? {}).includes(`"${RESOURCE_ID}"`);

/** An answer's rows by bucket, and each group key's distinct values: made once, read by every page of it. */
interface AnswerIndex {
  byBucket: Map<string, CostRow[]>;
  valuesOf: (key: number) => string[];
}
const answerIndexes = new WeakMap<CostRow[], AnswerIndex>();

function indexOf(rows: CostRow[]): AnswerIndex {
  let index = answerIndexes.get(rows);
  if (index === undefined) {
    const byBucket = new Map<string, CostRow[]>();
    for (const row of rows) {
      const list = byBucket.get(row.bucket);
      if (list === undefined) byBucket.set(row.bucket, [row]);
      else list.push(row);
    }
    const values = new Map<number, string[]>();
    const valuesOf = (key: number) => {
      let list = values.get(key);
      if (list === undefined) {
        list = [...new Set(rows.map((r) => r.keys[key]!))].sort();
        values.set(key, list);
      }
      return list;
    };
    index = { byBucket, valuesOf };
    answerIndexes.set(rows, index);
  }
  return index;
}

/**
 * GetCostAndUsage and GetCostAndUsageWithResources: one ResultByTime per bucket (hour, day or month), its
 * total or its groups, paged by groups. `resources` admits the RESOURCE_ID dimension.
 */
function costAndUsage(input: GetCostAndUsageInput, ctx: OperationContext<BillingServices>, resources: boolean) {
  return withBillingErrors(async () => {
    const granularity = input.Granularity ?? 'MONTHLY';
    if (granularity !== 'DAILY' && granularity !== 'MONTHLY' && granularity !== 'HOURLY') {
      throw validationException(`Granularity ${granularity} is not valid; use DAILY, MONTHLY or HOURLY.`);
    }
    const period =
      granularity === 'HOURLY' ? checkHourlyPeriod(input.TimePeriod, ctx.facts.now) : checkTimePeriod(input.TimePeriod);
    if (resources) checkFineDataStart(period.Start, ctx.facts.now, 'resource');
    else if (mentionsResourceId(input)) {
      throw validationException(`Dimension ${RESOURCE_ID} is only available with GetCostAndUsageWithResources.`);
    }
    const metrics = (input.Metrics ?? []).map(checkMetric);
    if (metrics.length === 0) throw validationException('Metrics is required.');
    const groupBy = input.GroupBy ?? [];
    if (groupBy.length > 2) throw validationException('You can only group by up to two different groups.');
    for (const group of groupBy) {
      if (group.Type === 'DIMENSION') dimensionColumn(group.Key);
      else if (group.Type !== 'TAG' && group.Type !== 'COST_CATEGORY') {
        throw validationException(`Group by ${group.Type} is not supported by this Cost Explorer.`);
      }
    }
    const hash = requestHash(input);
    const offset = input.NextPageToken === undefined ? 0 : decodeToken(input.NextPageToken, hash);

    const { billing } = ctx.services;
    const scope = await billing.scopeOf(ctx.caller.accountId);
    const categories = mentionsCostCategory(input) ? await costCategoryRules(billing, ctx.caller.accountId) : undefined;
    // Later pages read the result the first page computed (for a minute), so paging a large answer costs one
    // query, and every page comes from the same snapshot. Cost categories are the caller's account's own, so an
    // answer using them is the caller's alone.
    const cacheKey = `${hash}|${scope.owners.join(',')}|${scope.slice?.owner ?? ''}|${scope.slice?.linkedAccountId ?? ''}${categories === undefined ? '' : `|${ctx.caller.accountId}`}`;
    const rows =
      (offset > 0 ? billing.pageCache.get(cacheKey, ctx.facts.now) : undefined) ??
      (await billing.queries.costAndUsage({
        start: period.Start,
        end: period.End,
        granularity,
        metrics,
        groupBy,
        filter: input.Filter,
        scope,
        categories,
      }));
    const { byBucket } = indexOf(rows);
    const openMonth = currentMonthStart(ctx.facts.now);
    const units = metrics.map(unitOf);
    // Plain loops and object literals: an answer can hold tens of thousands of groups, and per-group closures and
    // Object.fromEntries showed up in its time.
    const metricsOf = (row: CostRow) => {
      const out: Record<string, { Amount: string; Unit: string }> = {};
      for (let m = 0; m < metrics.length; m++)
        out[metrics[m]!] = { Amount: row.amounts[metrics[m]!] ?? '0', Unit: units[m]! };
      return out;
    };
    const prefixes = groupBy.map((g) => (g.Type === 'DIMENSION' ? '' : `${g.Key}$`));
    const keyOf = (row: CostRow) => {
      const keys = new Array<string>(row.keys.length);
      for (let k = 0; k < row.keys.length; k++) keys[k] = prefixes[k]! + row.keys[k]!;
      return keys;
    };

    const results: Array<Record<string, unknown>> = [];
    let seen = 0;
    let emitted = 0;
    let nextOffset: number | undefined;
    for (const bucket of buckets(period.Start, period.End, granularity)) {
      const bucketRows = byBucket.get(bucket.Start) ?? [];
      const estimated = bucket.End > openMonth;
      if (groupBy.length === 0) {
        if (seen++ < offset) continue;
        if (emitted >= billing.costPageSize) {
          nextOffset = seen - 1;
          break;
        }
        const row = bucketRows[0];
        const total = row ? metricsOf(row) : Object.fromEntries(metrics.map((m) => [m, zeroOf(m)]));
        results.push({ TimePeriod: bucket, Total: total, Groups: [], Estimated: estimated });
        emitted++;
        continue;
      }
      // An empty bucket still takes one slot, so it shows up (with no groups) exactly once across pages.
      const slots = Math.max(1, bucketRows.length);
      if (seen + slots <= offset) {
        seen += slots;
        continue;
      }
      const groups: Array<Record<string, unknown>> = [];
      let slotted = false;
      // Rows come ordered by bucket and group keys from the engine, the same order on every page.
      for (let i = 0; i < slots; i++) {
        if (seen++ < offset) continue;
        if (emitted >= billing.costPageSize) {
          nextOffset = seen - 1;
          break;
        }
        const row = bucketRows[i];
        if (row !== undefined) groups.push({ Keys: keyOf(row), Metrics: metricsOf(row) });
        slotted = true;
        emitted++;
      }
      if (slotted) results.push({ TimePeriod: bucket, Total: {}, Groups: groups, Estimated: estimated });
      if (nextOffset !== undefined) break;
    }

    const output: Record<string, unknown> = {
      GroupDefinitions: groupBy.length > 0 ? groupBy.map((g) => ({ Type: g.Type, Key: g.Key })) : undefined,
      ResultsByTime: results,
      DimensionValueAttributes: [],
    };
    if (mentionsLinkedAccount(input)) {
      const index = groupBy.findIndex((g) => g.Type === 'DIMENSION' && g.Key === 'LINKED_ACCOUNT');
      const ids = index >= 0 ? indexOf(rows).valuesOf(index) : [];
      output.DimensionValueAttributes = await linkedAccountAttributes(ctx, ids);
    }
    if (nextOffset !== undefined) {
      output.NextPageToken = encodeToken(nextOffset, hash);
      billing.pageCache.set(cacheKey, rows, ctx.facts.now);
    }
    return output;
  });
}

export const getCostAndUsage: Operation<BillingServices, GetCostAndUsageInput> = {
  service: 'ce',
  name: 'GetCostAndUsage',
  access: () => [{ action: 'ce:GetCostAndUsage', resource: '*' }],
  mutates: false,
  handler: (input, ctx) => costAndUsage(input, ctx, false),
};

/**
 * GetCostAndUsageWithResources: GetCostAndUsage over the last FINE_DATA_DAYS days with the RESOURCE_ID
 * dimension (line items' resource ids) for GroupBy and Filter. As AWS, the Filter is required and must select
 * a SERVICE.
 */
export const getCostAndUsageWithResources: Operation<BillingServices, GetCostAndUsageInput> = {
  service: 'ce',
  name: 'GetCostAndUsageWithResources',
  access: () => [{ action: 'ce:GetCostAndUsageWithResources', resource: '*' }],
  mutates: false,
  handler: (input, ctx) => {
    if (input.Filter === undefined || !JSON.stringify(input.Filter).includes('"SERVICE"')) {
      throw validationException('GetCostAndUsageWithResources requires a Filter on the SERVICE dimension.');
    }
    return costAndUsage(input, ctx, true);
  },
};

interface GetDimensionValuesInput {
  SearchString?: string;
  TimePeriod?: DateInterval;
  Dimension?: string;
  Context?: string;
  Filter?: Expression;
  MaxResults?: number;
  NextPageToken?: string;
}

export function page<T>(values: T[], maxResults: number | undefined, token: string | undefined, limit: number) {
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0) {
    throw invalidNextToken();
  }
  const size = Math.min(maxResults ?? limit, limit);
  const slice = values.slice(start, start + size);
  const next = start + size < values.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { slice, next };
}

/** What GetDimensionValues, GetTags and GetCostCategories share: the caller's scope, the range, search and filter. */
async function valuesQuestion(
  ctx: OperationContext<BillingServices>,
  period: DateInterval,
  input: { SearchString?: string; Filter?: Expression },
): Promise<ValuesQuestion> {
  const { billing } = ctx.services;
  return {
    scope: await billing.scopeOf(ctx.caller.accountId),
    start: period.Start,
    end: period.End,
    search: input.SearchString,
    filter: input.Filter,
    categories: JSON.stringify(input.Filter ?? {}).includes('"CostCategories"')
      ? await costCategoryRules(billing, ctx.caller.accountId)
      : undefined,
  };
}

export const getDimensionValues: Operation<BillingServices, GetDimensionValuesInput> = {
  service: 'ce',
  name: 'GetDimensionValues',
  access: () => [{ action: 'ce:GetDimensionValues', resource: '*' }],
  mutates: false,
  handler: (input, ctx) =>
    withBillingErrors(async () => {
      const period = checkTimePeriod(input.TimePeriod);
      const key = input.Dimension ?? '';
      if (DIMENSIONS[key] === undefined)
        throw validationException(`Dimension ${key} is not supported by this Cost Explorer.`);
      const { billing } = ctx.services;
      const values = await billing.queries.dimensionValues({
        ...(await valuesQuestion(ctx, period, input)),
        key,
      });
      const { slice, next } = page(values, input.MaxResults, input.NextPageToken, 1000);
      const dimensionValues =
        key === 'LINKED_ACCOUNT'
          ? await linkedAccountAttributes(ctx, slice)
          : slice.map((value) => ({ Value: value, Attributes: {} }));
      return {
        DimensionValues: dimensionValues,
        ReturnSize: slice.length,
        TotalSize: values.length,
        ...(next !== undefined ? { NextPageToken: next } : {}),
      };
    }),
};

interface GetTagsInput {
  SearchString?: string;
  TimePeriod?: DateInterval;
  TagKey?: string;
  Filter?: Expression;
  MaxResults?: number;
  NextPageToken?: string;
}

export const getTags: Operation<BillingServices, GetTagsInput> = {
  service: 'ce',
  name: 'GetTags',
  access: () => [{ action: 'ce:GetTags', resource: '*' }],
  mutates: false,
  handler: (input, ctx) =>
    withBillingErrors(async () => {
      const period = checkTimePeriod(input.TimePeriod);
      const tags = await ctx.services.billing.queries.tags({
        ...(await valuesQuestion(ctx, period, input)),
        key: input.TagKey,
      });
      const { slice, next } = page(tags, input.MaxResults, input.NextPageToken, 1000);
      return {
        Tags: slice,
        ReturnSize: slice.length,
        TotalSize: tags.length,
        ...(next !== undefined ? { NextPageToken: next } : {}),
      };
    }),
};

interface GetCostCategoriesInput {
  SearchString?: string;
  TimePeriod?: DateInterval;
  CostCategoryName?: string;
  Filter?: Expression;
  SortBy?: Array<{ Key: string; SortOrder?: string }>;
  MaxResults?: number;
  NextPageToken?: string;
}

/** GetCostCategories' page: 1,000 at most, as AWS's quota. */
const COST_CATEGORY_PAGE = 1000;

/**
 * GetCostCategories: without CostCategoryName, the names of the caller's cost categories whose rules apply in
 * the range (EffectiveStart before its end); with one, that category's values carrying cost in the range (after
 * Filter), alphabetically or by the sum of a SortBy metric. A name the caller has no category of has no values.
 */
export const getCostCategories: Operation<BillingServices, GetCostCategoriesInput> = {
  service: 'ce',
  name: 'GetCostCategories',
  access: () => [{ action: 'ce:GetCostCategories', resource: '*' }],
  mutates: false,
  handler: (input, ctx) =>
    withBillingErrors(async () => {
      const period = checkTimePeriod(input.TimePeriod);
      const sortBy = input.SortBy ?? [];
      if (sortBy.length > 1) throw validationException('SortBy can only take one sort definition.');
      const sort = sortBy[0];
      const sortMetric = sort === undefined ? undefined : checkMetric(sort.Key);
      if (sort?.SortOrder !== undefined && sort.SortOrder !== 'ASCENDING' && sort.SortOrder !== 'DESCENDING') {
        throw validationException(`SortOrder ${sort.SortOrder} is not valid; use ASCENDING or DESCENDING.`);
      }
      if (input.MaxResults !== undefined && input.MaxResults > COST_CATEGORY_PAGE) {
        throw validationException(`MaxResults must be at most ${COST_CATEGORY_PAGE}.`);
      }
      const { billing } = ctx.services;
      const categories = await costCategoryRules(billing, ctx.caller.accountId);
      const question = await valuesQuestion(ctx, period, input);
      const search = (values: string[]) =>
        input.SearchString ? values.filter((v) => v.toLowerCase().includes(input.SearchString!.toLowerCase())) : values;
      if (input.CostCategoryName === undefined) {
        const starts = await costCategoryStarts(billing, ctx.caller.accountId);
        const names = search([...categories.keys()].filter((name) => starts.get(name)! < `${period.End}T00:00:00Z`));
        const { slice, next } = page(names.sort(), input.MaxResults, input.NextPageToken, COST_CATEGORY_PAGE);
        return {
          CostCategoryNames: slice,
          ReturnSize: slice.length,
          TotalSize: names.length,
          ...(next !== undefined ? { NextPageToken: next } : {}),
        };
      }
      let values: string[] = [];
      if (categories.has(input.CostCategoryName)) {
        const metric = sortMetric ?? 'UnblendedCost';
        const rows = await billing.queries.costAndUsage({
          ...question,
          granularity: 'MONTHLY',
          metrics: [metric],
          groupBy: [{ Type: 'COST_CATEGORY', Key: input.CostCategoryName }],
          categories,
        });
        // Months of one value are added up (exactly: money units, or quantities) to order by the sort metric.
        const totals = new Map<string, number | bigint>();
        for (const row of rows) {
          const [value] = row.keys;
          if (value === undefined || value === '') continue;
          const amount = row.amounts[metric]!;
          const previous = totals.get(value) ?? (isQuantityMetric(metric) ? 0 : 0n);
          totals.set(
            value,
            typeof previous === 'bigint' ? previous + moneyFromDecimal(amount) : previous + Number(amount),
          );
        }
        values = search([...totals.keys()].sort());
        if (sort !== undefined) {
          const direction = sort.SortOrder === 'DESCENDING' ? -1 : 1;
          values.sort((a, b) => {
            const [x, y] = [totals.get(a)!, totals.get(b)!];
            return (x < y ? -1 : x > y ? 1 : 0) * direction;
          });
        }
      }
      const { slice, next } = page(values, input.MaxResults, input.NextPageToken, COST_CATEGORY_PAGE);
      return {
        CostCategoryNames: [input.CostCategoryName],
        CostCategoryValues: slice,
        ReturnSize: slice.length,
        TotalSize: values.length,
        ...(next !== undefined ? { NextPageToken: next } : {}),
      };
    }),
};

interface GetCostForecastInput {
  TimePeriod?: DateInterval;
  Metric?: string;
  Granularity?: string;
  Filter?: Expression;
  PredictionIntervalLevel?: number;
}

/** GetCostForecast's metric names (UPPER_SNAKE) → GetCostAndUsage's. */
const FORECAST_METRICS: Record<string, Metric> = {
  BLENDED_COST: 'BlendedCost',
  UNBLENDED_COST: 'UnblendedCost',
  AMORTIZED_COST: 'AmortizedCost',
  NET_UNBLENDED_COST: 'NetUnblendedCost',
  NET_AMORTIZED_COST: 'NetAmortizedCost',
};

/** The trailing window the forecast averages over, in days. */
export const FORECAST_WINDOW_DAYS = 30;

/** Two-sided normal quantiles for the prediction interval levels AWS accepts (51–99). */
function zFor(level: number): number {
  // Acklam-free approximation is overkill here: interpolate a small table of exact quantiles.
  const table: Array<[number, number]> = [
    [50, 0.674],
    [60, 0.842],
    [70, 1.036],
    [80, 1.282],
    [90, 1.645],
    [95, 1.96],
    [99, 2.576],
  ];
  for (let i = 1; i < table.length; i++) {
    const [l1, z1] = table[i - 1]!;
    const [l2, z2] = table[i]!;
    if (level <= l2) return z1 + ((z2 - z1) * (level - l1)) / (l2 - l1);
  }
  return 2.576;
}

/**
 * A documented, simple forecast: the mean and standard deviation of the metric's daily amount over the
 * FORECAST_WINDOW_DAYS days before today; each forecast day's mean is that average, a period's mean is the
 * sum over its days, and its prediction interval is mean ± z·σ·√days (z for PredictionIntervalLevel, 80 by
 * default), never below zero at the lower bound.
 */
async function forecast(
  input: GetCostForecastInput,
  ctx: OperationContext<BillingServices>,
  metric: Metric,
  unit: string,
): Promise<Record<string, unknown>> {
  const period = checkTimePeriod(input.TimePeriod);
  const today = ctx.facts.now.toISOString().slice(0, 10);
  if (period.Start < today)
    throw validationException(
      `Start date must be equal to or later than the current date to avoid mismatched historical and forecasted values.`,
    );
  const granularity = input.Granularity ?? 'MONTHLY';
  if (granularity !== 'DAILY' && granularity !== 'MONTHLY')
    throw validationException(`Granularity ${granularity} is not supported; use DAILY or MONTHLY.`);
  const level = input.PredictionIntervalLevel ?? 80;
  if (level < 51 || level > 99) throw validationException('PredictionIntervalLevel must be between 51 and 99.');

  const { billing } = ctx.services;
  const windowStart = addDays(today, -FORECAST_WINDOW_DAYS);
  const history = await billing.queries.costAndUsage({
    ...(await valuesQuestion(ctx, { Start: windowStart, End: today }, { Filter: input.Filter })),
    granularity: 'DAILY',
    metrics: [metric],
    groupBy: [],
  });
  // Money → float only here, for the statistics of a forecast (an estimate, not an amount owed).
  const byDay = new Map(history.map((row) => [row.bucket, Number(row.amounts[metric])]));
  const daily = buckets(windowStart, today, 'DAILY').map((b) => byDay.get(b.Start) ?? 0);
  const mean = daily.reduce((a, b) => a + b, 0) / daily.length;
  const variance = daily.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, daily.length - 1);
  const sigma = Math.sqrt(variance);
  const z = zFor(level);
  const amount = (value: number) =>
    isQuantityMetric(metric) ? formatQuantity(value) : formatMoney(moneyFromDecimal(value.toFixed(10)));
  const results = buckets(period.Start, period.End, granularity).map((bucket) => {
    const days = buckets(bucket.Start, bucket.End, 'DAILY').length;
    const m = mean * days;
    const spread = z * sigma * Math.sqrt(days);
    return {
      TimePeriod: bucket,
      MeanValue: amount(m),
      PredictionIntervalLowerBound: amount(Math.max(0, m - spread)),
      PredictionIntervalUpperBound: amount(m + spread),
    };
  });
  const totalDays = buckets(period.Start, period.End, 'DAILY').length;
  return {
    Total: { Amount: amount(mean * totalDays), Unit: unit },
    ForecastResultsByTime: results,
  };
}

export const getCostForecast: Operation<BillingServices, GetCostForecastInput> = {
  service: 'ce',
  name: 'GetCostForecast',
  access: () => [{ action: 'ce:GetCostForecast', resource: '*' }],
  mutates: false,
  handler: (input, ctx) =>
    withBillingErrors(async () => {
      const metric = FORECAST_METRICS[input.Metric ?? ''];
      if (metric === undefined) throw validationException(`Invalid metric: ${input.Metric ?? ''}`);
      return forecast(input, ctx, metric, 'USD');
    }),
};

/** GetUsageForecast's metric names → GetCostAndUsage's. */
const USAGE_FORECAST_METRICS: Record<string, Metric> = {
  USAGE_QUANTITY: 'UsageQuantity',
  NORMALIZED_USAGE_AMOUNT: 'NormalizedUsageAmount',
};

/**
 * GetUsageForecast: GetCostForecast's method over a usage quantity. As AWS, the Filter must select usage types
 * (a USAGE_TYPE dimension) whose usage shares one unit, which the answer carries; otherwise the quantities could
 * not be added up, and the answer is UnresolvableUsageUnitException.
 */
export const getUsageForecast: Operation<BillingServices, GetCostForecastInput> = {
  service: 'ce',
  name: 'GetUsageForecast',
  access: () => [{ action: 'ce:GetUsageForecast', resource: '*' }],
  mutates: false,
  handler: (input, ctx) =>
    withBillingErrors(async () => {
      const metric = USAGE_FORECAST_METRICS[input.Metric ?? ''];
      if (metric === undefined) {
        throw validationException(
          `Metric ${input.Metric ?? ''} is not a usage metric; use USAGE_QUANTITY or NORMALIZED_USAGE_AMOUNT.`,
        );
      }
      const unresolvable = () =>
        new ServiceError(
          'UnresolvableUsageUnitException',
          'Cost Explorer was unable to identify the usage unit. Provide UsageType/UsageTypeGroup filter selections that contain matching units, for example: hours.',
          400,
        );
      if (!JSON.stringify(input.Filter ?? {}).includes('"USAGE_TYPE"')) throw unresolvable();
      const today = ctx.facts.now.toISOString().slice(0, 10);
      const units = await ctx.services.billing.queries.usageUnits(
        await valuesQuestion(ctx, { Start: addDays(today, -FORECAST_WINDOW_DAYS), End: today }, input),
      );
      if (units.length !== 1) throw unresolvable();
      return forecast(input, ctx, metric, units[0]!);
    }),
};

export const costExplorerOperations = [
  getCostAndUsage,
  getDimensionValues,
  getTags,
  getCostAndUsageWithResources,
  getCostForecast,
  getUsageForecast,
  getCostCategories,
];
