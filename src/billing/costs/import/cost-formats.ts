/**
 * Recognises a cost export by its columns and maps it onto the columnar line item (line-item-columns.ts) as one
 * DuckDB SELECT per format: FOCUS 1.0–1.3, AWS CUR legacy (`lineItem/UnblendedCost`, with `resourceTags/user:Key`
 * columns) and AWS CUR "for Athena" / CUR 2.0 (`line_item_unblended_cost`, with `resource_tags_*` columns or a
 * `resource_tags` map). The SELECT also yields `skip_reason`, NULL for a usable row and otherwise why the row is
 * skipped, so the importer counts skips with GROUP BY and stores only the good rows. Money is converted from the
 * file's decimal text (or Parquet number) through DECIMAL(38,10), never a double, into BIGINT money units.
 *
 * The SELECT needs the session time zone to be UTC, for naive timestamps that only the TIMESTAMPTZ cast reads.
 */
import { LINE_ITEM_COLUMNS } from '../line-item-columns.js';
import type { LineItemColumn } from '../line-item-columns.js';

export type CostFormat = 'focus' | 'cur-legacy' | 'cur';

/** A column of a source file as DuckDB reads it. */
export interface SourceColumn {
  /** The column's name in DuckDB (what SQL selects it by). */
  name: string;
  /** DuckDB type name (`VARCHAR` for every CSV column). */
  type: string;
  /**
   * The file's own header, when DuckDB had to rename the column: it names columns without regard to case, so the
   * second of `resourceTags/user:team` and `resourceTags/user:Team` (two tags: AWS tag keys are case sensitive)
   * becomes `resourceTags/user:Team_1`.
   */
  header?: string;
}

/** `lineItem/UsageAccountId` → `line_item_usage_account_id` (AWS's own legacy → Athena rule). */
export function snakeColumn(legacy: string): string {
  return legacy
    .split('/')
    .map((part) => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^_/, ''))
    .join('_');
}

export function detectFormat(columns: readonly string[]): CostFormat | undefined {
  const set = new Set(columns);
  if (set.has('BilledCost') && set.has('ChargePeriodStart')) return 'focus';
  if (set.has('lineItem/UnblendedCost')) return 'cur-legacy';
  if (set.has('line_item_unblended_cost')) return 'cur';
  return undefined;
}

/** CUR line item types → FOCUS ChargeCategory (billing-data.md §1.7; Refund is an Adjustment in FOCUS 1.x). */
const CUR_CATEGORY: Record<string, string> = {
  Usage: 'Usage',
  DiscountedUsage: 'Usage',
  SavingsPlanCoveredUsage: 'Usage',
  SavingsPlanNegation: 'Usage',
  BundledDiscount: 'Usage',
  Discount: 'Usage',
  PrivateRateDiscount: 'Usage',
  EdpDiscount: 'Usage',
  DistributorDiscount: 'Usage',
  Fee: 'Purchase',
  RIFee: 'Purchase',
  SavingsPlanUpfrontFee: 'Purchase',
  SavingsPlanRecurringFee: 'Purchase',
  Tax: 'Tax',
  Credit: 'Credit',
  Refund: 'Adjustment',
};

const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'];

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
const MAP_TYPE = `'"MAP(VARCHAR, VARCHAR)"'`;

/**
 * The BIGINT count of 10⁻¹⁰ behind a DECIMAL(18,10) `d`, exactly. `d * 10¹⁰` would widen to HUGEINT and cost ten
 * times more, so the value is taken apart in 64-bit steps: whole units, then the fraction five digits at a time
 * (each step's product still fits DECIMAL(18,10)). Signs agree throughout, so negative amounts work alike.
 */
function decimalUnits(d: string): string {
  const fraction = `cast(${d} - trunc(${d}) as decimal(10, 10))`;
  const high = `(${fraction} * 100000)`;
  const low = `cast(${high} - trunc(${high}) as decimal(10, 10))`;
  return `(cast(trunc(${d}) as bigint) * 10000000000 + cast(trunc(${high}) as bigint) * 100000 + cast(${low} * 100000 as bigint))`;
}

/** SQL expressions reading one source's columns by name, whatever type the file gave them. */
class Columns {
  private readonly byName: Map<string, SourceColumn>;

  constructor(columns: readonly SourceColumn[], rename: (name: string) => string = (name) => name) {
    this.byName = new Map(columns.map((column) => [rename(column.name), column]));
  }

  private column(name: string): { sql: string; type: string } | undefined {
    const column = this.byName.get(name);
    return column === undefined ? undefined : { sql: identifier(column.name), type: column.type };
  }

  /** Text, with `''` and the literal `NULL` some exports write read as missing. */
  text(name: string): string {
    const c = this.column(name);
    if (c === undefined) return 'null::varchar';
    return c.type === 'VARCHAR' ? `nullif(nullif(${c.sql}, ''), 'NULL')` : `cast(${c.sql} as varchar)`;
  }

  /**
   * Money units (BIGINT) from decimal text, E-notation or a Parquet number; NULL when not a number. See
   * `decimalUnits`; amounts of 10⁸ USD and more go through DECIMAL(38,10) and its text instead.
   */
  money(name: string): string {
    const c = this.column(name);
    if (c === undefined) return 'null::bigint';
    const wide = `try_cast(replace(cast(try_cast(${c.sql} as decimal(38, 10)) as varchar), '.', '') as bigint)`;
    return `coalesce(${decimalUnits(`try_cast(${c.sql} as decimal(18, 10))`)}, ${wide})`;
  }

  /**
   * The skip reason of a row whose `name` holds a number money units cannot (BIGINT tenths of nano-units: at
   * most ±922,337,203.6854775807 per line item), given the column's money value (`money`, NULL for it):
   * reported as such rather than as "not a number", or, for a column with a fallback, never silently replaced.
   */
  tooLarge(name: string, money: string): string {
    const c = this.column(name);
    if (c === undefined) return '';
    return `when ${money} is null and try_cast(${c.sql} as double) is not null
      then ${literal(`${name} is beyond ±922,337,203.6854775807, the most one line item can hold`)}`;
  }

  /**
   * The skip reason of a row billed in another currency than USD: Bursar's cost data, bills, budgets and Cost
   * Explorer answers are in USD, as AWS's are, and would otherwise show such an amount as dollars.
   */
  currencyOtherThanUsd(name: string): string {
    const currency = this.text(name);
    return `when ${currency} is not null and ${currency} <> 'USD'
      then ${currency} || ${literal(` amounts: Bursar keeps cost data in USD only (${name})`)}`;
  }

  /** A usage quantity (DOUBLE), NULL when missing or not a number. */
  quantity(name: string): string {
    const c = this.column(name);
    return c === undefined ? 'null::double' : `try_cast(${c.sql} as double)`;
  }

  /**
   * A UTC TIMESTAMP from `2024-09-18 22:00:00` (the common case, cast directly: naive times are UTC),
   * `2024-09-01T00:00:00.000Z` or `…+02:00` (through TIMESTAMPTZ), `2024-06-13T00:00Z` (no seconds, which
   * DuckDB's casts refuse, so they are added) or a Parquet timestamp; NULL when not a date.
   */
  timestamp(name: string): string {
    const c = this.column(name);
    if (c === undefined) return 'null::timestamp';
    if (c.type === 'TIMESTAMP WITH TIME ZONE') return `timezone('UTC', ${c.sql})`;
    if (c.type !== 'VARCHAR') return `try_cast(${c.sql} as timestamp)`;
    const withSeconds = `regexp_replace(${c.sql}, '^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2})([^:\\d]*)$', '\\1:00\\2')`;
    return `coalesce(
      case when length(${c.sql}) <= 19 then try_cast(${c.sql} as timestamp) end,
      timezone('UTC', coalesce(try_cast(${c.sql} as timestamptz), try_cast(${withSeconds} as timestamptz))))`;
  }

  /** A string → string map from a MAP column, or from JSON object text (non-string values as JSON text). */
  map(name: string): string | undefined {
    const c = this.column(name);
    if (c === undefined) return undefined;
    if (c.type.startsWith('MAP(')) return `cast(${c.sql} as map(varchar, varchar))`;
    const json = c.type === 'VARCHAR' ? c.sql : `to_json(${c.sql})`;
    return `case when json_valid(${json}) then try_cast(json_transform(${json}, ${MAP_TYPE}) as map(varchar, varchar)) end`;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
}

/** The map, or NULL when it has no entries (a row without tags). */
const nonEmpty = (map: string) => `case when cardinality(${map}) > 0 then ${map} end`;

/** `resource_tags_user_team` → `team`, `resource_tags_aws_created_by` → `aws:created_by`, `user:Team` → `Team`. */
function tagKey(column: string): string | undefined {
  if (column.startsWith('resourceTags/')) {
    const key = column.slice('resourceTags/'.length);
    return key.startsWith('user:') ? key.slice(5) : key;
  }
  if (column.startsWith('resource_tags_user_')) return column.slice('resource_tags_user_'.length);
  if (column.startsWith('resource_tags_aws_')) return `aws:${column.slice('resource_tags_aws_'.length)}`;
  return undefined;
}

/** The normalized row of one format: an expression per line item column, plus `skip_reason`. */
type Mapping = Record<LineItemColumn | 'skip_reason', string>;

/**
 * A format's mapping: `inner` are the values used more than once (named `_…`, computed once in an inner SELECT
 * beside the source columns), `outer` every line item column and the skip reason.
 */
function focusMapping(c: Columns): { inner: Record<string, string>; outer: Mapping } {
  const inner = {
    _billed: c.money('BilledCost'),
    _effective: c.money('EffectiveCost'),
    _list: c.money('ListCost'),
    _category: c.text('ChargeCategory'),
    _charge_start: c.timestamp('ChargePeriodStart'),
    _charge_end: c.timestamp('ChargePeriodEnd'),
    _period_start: c.timestamp('BillingPeriodStart'),
    _account: c.text('BillingAccountId'),
    _tags: c.map('Tags') ?? 'null::map(varchar, varchar)',
  };
  const quantity = `coalesce(${c.quantity('ConsumedQuantity')}, ${c.quantity('PricingQuantity')}, 0)`;
  const outer: Mapping = {
    billing_period: `strftime(_period_start, '%Y-%m')`,
    payer_account_id: '_account',
    linked_account_id: `coalesce(${c.text('SubAccountId')}, _account)`,
    service: `coalesce(${c.text('ServiceName')}, 'Unknown')`,
    region: `coalesce(${c.text('RegionId')}, 'NoRegion')`,
    usage_type: `coalesce(${c.text('x_UsageType')}, '')`,
    operation: `coalesce(${c.text('x_Operation')}, '')`,
    record_type: '_category',
    billing_account_name: c.text('BillingAccountName'),
    linked_account_name: c.text('SubAccountName'),
    charge_period_start: `strftime(_charge_start, '%Y-%m-%dT%H:%M:%SZ')`,
    charge_period_end: `strftime(coalesce(_charge_end, _charge_start), '%Y-%m-%dT%H:%M:%SZ')`,
    usage_date: 'cast(_charge_start as date)',
    charge_category: '_category',
    charge_description: c.text('ChargeDescription'),
    service_code: c.text('x_ServiceCode'),
    service_category: c.text('ServiceCategory'),
    provider: `coalesce(${c.text('ServiceProviderName')}, ${c.text('ProviderName')})`,
    invoice_issuer: c.text('InvoiceIssuerName'),
    invoice_id: c.text('InvoiceId'),
    availability_zone: c.text('AvailabilityZone'),
    sku_id: c.text('SkuId'),
    usage_unit: `coalesce(${c.text('ConsumedUnit')}, ${c.text('PricingUnit')})`,
    resource_id: c.text('ResourceId'),
    currency: `coalesce(${c.text('BillingCurrency')}, 'USD')`,
    tags: nonEmpty('_tags'),
    unblended_cost: '_billed',
    blended_cost: '_billed',
    net_unblended_cost: '_billed',
    amortized_cost: 'coalesce(_effective, _billed)',
    net_amortized_cost: 'coalesce(_effective, _billed)',
    list_cost: 'coalesce(_list, _billed)',
    usage_quantity: quantity,
    normalized_usage_amount: quantity,
    skip_reason: `case
      ${c.tooLarge('BilledCost', '_billed')}
      ${c.tooLarge('EffectiveCost', '_effective')}
      ${c.tooLarge('ListCost', '_list')}
      when _billed is null then 'BilledCost is missing or not a number'
      ${c.currencyOtherThanUsd('BillingCurrency')}
      when _category is null or not list_contains([${CHARGE_CATEGORIES.map(literal).join(', ')}], _category)
        then 'unknown ChargeCategory ' || coalesce(_category, '(empty)')
      when _charge_start is null or _period_start is null then 'ChargePeriodStart or BillingPeriodStart is not a date'
      when _account is null then 'BillingAccountId is missing'
    end`,
  };
  return { inner, outer };
}

/** CUR, either naming: legacy headers are looked up by their Athena names. Amortized cost per billing-data.md §2.4. */
function curMapping(c: Columns, columns: readonly SourceColumn[]): { inner: Record<string, string>; outer: Mapping } {
  // Tag columns become map entries; a CUR 2.0 `resource_tags` map's keys are named the same way (`user_team` →
  // `team`, `aws_created_by` → `aws:created_by`).
  const tagEntries = columns.flatMap((column) => {
    const key = tagKey(column.header ?? column.name);
    if (key === undefined) return [];
    const value = column.type === 'VARCHAR' ? `nullif(${identifier(column.name)}, '')` : identifier(column.name);
    return [`{'key': ${literal(key)}, 'value': cast(${value} as varchar)}`];
  });
  const tagMaps: string[] = [];
  if (tagEntries.length > 0)
    tagMaps.push(`map_from_entries(list_filter([${tagEntries.join(', ')}], e -> e.value is not null))`);
  const resourceTags = c.map('resource_tags');
  if (resourceTags !== undefined) {
    tagMaps.push(
      `map_from_entries(list_transform(map_entries(${resourceTags}), e -> {'key': case when starts_with(e.key, 'user_') then e.key[6:] when starts_with(e.key, 'aws_') then 'aws:' || e.key[5:] else e.key end, 'value': e.value}))`,
    );
  }
  const product = c.map('product');
  const m = (name: string) => `coalesce(${c.money(name)}, 0)`;
  const amortized = (net: boolean) => `case _type
      when 'SavingsPlanCoveredUsage' then ${net ? `coalesce(${c.money('savings_plan_net_savings_plan_effective_cost')}, ${m('savings_plan_savings_plan_effective_cost')})` : m('savings_plan_savings_plan_effective_cost')}
      when 'SavingsPlanRecurringFee' then ${m('savings_plan_total_commitment_to_date')} - ${m('savings_plan_used_commitment')}
      when 'SavingsPlanNegation' then 0
      when 'SavingsPlanUpfrontFee' then 0
      when 'DiscountedUsage' then ${net ? `coalesce(${c.money('reservation_net_effective_cost')}, ${m('reservation_effective_cost')})` : m('reservation_effective_cost')}
      when 'RIFee' then ${m('reservation_unused_amortized_upfront_fee_for_billing_period')} + ${m('reservation_unused_recurring_fee')}
      when 'Fee' then case when ${c.text('reservation_reservation_a_r_n')} is not null then 0 else ${net ? '_net_unblended' : '_unblended'} end
      else ${net ? '_net_unblended' : '_unblended'}
    end`;
  const inner = {
    _unblended: c.money('line_item_unblended_cost'),
    _net: c.money('line_item_net_unblended_cost'),
    // DuckDB lets a SELECT item use an alias defined before it.
    _net_unblended: 'coalesce(_net, _unblended)',
    _blended: c.money('line_item_blended_cost'),
    _public: c.money('pricing_public_on_demand_cost'),
    _type: `coalesce(${c.text('line_item_line_item_type')}, 'Usage')`,
    _category: `case _type ${Object.entries(CUR_CATEGORY)
      .map(([type, category]) => `when ${literal(type)} then ${literal(category)}`)
      .join(' ')} end`,
    _charge_start: c.timestamp('line_item_usage_start_date'),
    _charge_end: c.timestamp('line_item_usage_end_date'),
    _period_start: c.timestamp('bill_billing_period_start_date'),
    _payer: c.text('bill_payer_account_id'),
    _tags:
      tagMaps.length === 0
        ? 'null::map(varchar, varchar)'
        : tagMaps.length === 1
          ? tagMaps[0]!
          : `map_concat(${tagMaps.join(', ')})`,
  };
  const outer: Mapping = {
    billing_period: `strftime(_period_start, '%Y-%m')`,
    payer_account_id: '_payer',
    linked_account_id: `coalesce(${c.text('line_item_usage_account_id')}, _payer)`,
    service: `coalesce(${c.text('product_product_name')}, ${product === undefined ? 'null' : `(${product})['product_name']`}, ${c.text('line_item_product_code')}, 'Unknown')`,
    region: `coalesce(${c.text('product_region_code')}, ${c.text('product_region')}, ${product === undefined ? 'null' : `(${product})['region']`}, 'NoRegion')`,
    usage_type: `coalesce(${c.text('line_item_usage_type')}, '')`,
    operation: `coalesce(${c.text('line_item_operation')}, '')`,
    record_type: '_type',
    billing_account_name: c.text('bill_payer_account_name'),
    linked_account_name: c.text('line_item_usage_account_name'),
    charge_period_start: `strftime(_charge_start, '%Y-%m-%dT%H:%M:%SZ')`,
    charge_period_end: `strftime(coalesce(_charge_end, _charge_start), '%Y-%m-%dT%H:%M:%SZ')`,
    usage_date: 'cast(_charge_start as date)',
    charge_category: '_category',
    charge_description: c.text('line_item_line_item_description'),
    service_code: `coalesce(${c.text('product_servicecode')}, ${c.text('line_item_product_code')})`,
    service_category: 'null',
    provider: `'AWS'`,
    invoice_issuer: c.text('bill_invoicing_entity'),
    invoice_id: c.text('bill_invoice_id'),
    availability_zone: c.text('line_item_availability_zone'),
    sku_id: c.text('product_sku'),
    usage_unit: c.text('pricing_unit'),
    resource_id: c.text('line_item_resource_id'),
    currency: `coalesce(${c.text('line_item_currency_code')}, 'USD')`,
    tags: nonEmpty('_tags'),
    unblended_cost: '_unblended',
    blended_cost: 'coalesce(_blended, _unblended)',
    net_unblended_cost: '_net_unblended',
    amortized_cost: amortized(false),
    net_amortized_cost: amortized(true),
    list_cost: 'coalesce(_public, _unblended)',
    usage_quantity: `coalesce(${c.quantity('line_item_usage_amount')}, 0)`,
    normalized_usage_amount: `coalesce(${c.quantity('line_item_normalized_usage_amount')}, 0)`,
    skip_reason: `case
      ${c.tooLarge('line_item_unblended_cost', '_unblended')}
      ${c.tooLarge('line_item_net_unblended_cost', '_net')}
      ${c.tooLarge('line_item_blended_cost', '_blended')}
      ${c.tooLarge('pricing_public_on_demand_cost', '_public')}
      when _unblended is null then 'line_item_unblended_cost is missing or not a number'
      ${c.currencyOtherThanUsd('line_item_currency_code')}
      when _category is null then 'unknown line item type ' || _type
      when _charge_start is null or _period_start is null then 'usage start or billing period start is not a date'
      when _payer is null then 'bill_payer_account_id is missing'
    end`,
  };
  return { inner, outer };
}

/**
 * `select <every line item column>, skip_reason from (select <intermediates>, <source columns> from <from>)`:
 * one source file's rows normalized, bad rows included (with their reason).
 */
export function normalizeSql(format: CostFormat, columns: readonly SourceColumn[], from: string): string {
  const { inner, outer } =
    format === 'focus'
      ? focusMapping(new Columns(columns))
      : curMapping(
          new Columns(columns, (name) =>
            format === 'cur-legacy' && tagKey(name) === undefined ? snakeColumn(name) : name,
          ),
          columns,
        );
  const innerList = Object.entries(inner).map(([name, expression]) => `${expression} as ${name}`);
  const outerList = [...LINE_ITEM_COLUMNS.map(([name]) => name), 'skip_reason' as const].map(
    (name) => `${outer[name]} as ${name}`,
  );
  return `select ${outerList.join(',\n  ')}\nfrom (select ${innerList.join(',\n  ')}, * from ${from})`;
}
