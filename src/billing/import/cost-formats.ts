/**
 * Recognises a cost export by its columns and maps its rows onto CostLineItem: FOCUS 1.0–1.3, AWS CUR legacy
 * (`lineItem/UnblendedCost`, with `resourceTags/user:Key` columns) and AWS CUR "for Athena" / CUR 2.0
 * (`line_item_unblended_cost`, with `resource_tags_*` columns or a `resource_tags` map). A row that cannot be
 * used yields a reason instead of an item, so the importer can say what it skipped and why.
 */
import type { ChargeCategory, CostLineItem } from '../cost-line-item.js';
import { parseMoney } from '../money.js';
import type { RawRow } from './read-rows.js';

export type CostFormat = 'focus' | 'cur-legacy' | 'cur';

export type Mapped = { item: CostLineItem } | { skip: string };

export interface FormatReader {
  format: CostFormat;
  /** Which columns the mapper reads (Parquet reads only these). */
  wants(column: string): boolean;
  map(row: RawRow): Mapped;
}

/** `lineItem/UsageAccountId` → `line_item_usage_account_id` (AWS's own legacy → Athena rule). */
export function snakeColumn(legacy: string): string {
  return legacy
    .split('/')
    .map((part) => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^_/, ''))
    .join('_');
}

export function detectFormat(columns: string[]): CostFormat | undefined {
  const set = new Set(columns);
  if (set.has('BilledCost') && set.has('ChargePeriodStart')) return 'focus';
  if (set.has('lineItem/UnblendedCost')) return 'cur-legacy';
  if (set.has('line_item_unblended_cost')) return 'cur';
  return undefined;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  const s = String(value);
  return s === '' || s === 'NULL' ? null : s;
}

/** Accepts `2024-09-18 22:00:00`, `2024-06-13T00:00Z`, `2024-09-01T00:00:00.000Z`, Dates; returns `…T…Z`. */
export function normalizeTimestamp(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace('.000Z', 'Z');
  const s = text(value);
  if (s === null) return null;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]00:?00|UTC)?$/.exec(
    s.trim(),
  );
  if (match === null) return null;
  const [, date, hh = '00', mm = '00', ss = '00'] = match;
  return `${date}T${hh}:${mm}:${ss}Z`;
}

/** A number from a cell (CSV text, or a Parquet double/bigint) as money units; doubles go through their shortest text. */
function moneyOf(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? parseMoney(String(value)) : undefined;
  if (typeof value === 'bigint') return value * 10_000_000_000n;
  const s = text(value);
  return s === null ? undefined : parseMoney(s);
}

function quantityOf(value: unknown): number {
  const s = text(value);
  if (s === null) return 0;
  const n = Number(s);
  return Number.isFinite(n) ? n : 0;
}

const CHARGE_CATEGORIES: ReadonlySet<string> = new Set(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']);

function tagsFromJson(value: unknown): Record<string, string> | null {
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return stringValues(value as Record<string, unknown>);
  const s = text(value);
  if (s === null) return null;
  try {
    const parsed: unknown = JSON.parse(s);
    return parsed !== null && typeof parsed === 'object' ? stringValues(parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringValues(object: Record<string, unknown>): Record<string, string> | null {
  const entries = Object.entries(object).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const);
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

const FOCUS_COLUMNS = new Set([
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'ServiceProviderName',
  'ServiceName',
  'ServiceCategory',
  'RegionId',
  'AvailabilityZone',
  'SubAccountId',
  'SubAccountName',
  'ResourceId',
  'SkuId',
  'InvoiceIssuerName',
  'InvoiceId',
  'Tags',
  'x_UsageType',
  'x_Operation',
  'x_ServiceCode',
]);

function focusReader(): FormatReader {
  return {
    format: 'focus',
    wants: (column) => FOCUS_COLUMNS.has(column),
    map(row) {
      const billed = moneyOf(row.BilledCost);
      if (billed === undefined) return { skip: 'BilledCost is missing or not a number' };
      const category = text(row.ChargeCategory);
      if (category === null || !CHARGE_CATEGORIES.has(category))
        return { skip: `unknown ChargeCategory ${category ?? '(empty)'}` };
      const chargeStart = normalizeTimestamp(row.ChargePeriodStart);
      const chargeEnd = normalizeTimestamp(row.ChargePeriodEnd) ?? chargeStart;
      const periodStart = normalizeTimestamp(row.BillingPeriodStart);
      if (chargeStart === null || periodStart === null)
        return { skip: 'ChargePeriodStart or BillingPeriodStart is not a date' };
      const billingAccountId = text(row.BillingAccountId);
      if (billingAccountId === null) return { skip: 'BillingAccountId is missing' };
      const effective = moneyOf(row.EffectiveCost) ?? billed;
      return {
        item: {
          billingAccountId,
          billingAccountName: text(row.BillingAccountName),
          subAccountId: text(row.SubAccountId) ?? billingAccountId,
          subAccountName: text(row.SubAccountName),
          billingPeriodStart: periodStart.slice(0, 10),
          chargePeriodStart: chargeStart,
          chargePeriodEnd: chargeEnd!,
          chargeCategory: category as ChargeCategory,
          recordType: category,
          chargeDescription: text(row.ChargeDescription),
          serviceName: text(row.ServiceName) ?? 'Unknown',
          serviceCode: text(row.x_ServiceCode),
          serviceCategory: text(row.ServiceCategory),
          provider: text(row.ServiceProviderName) ?? text(row.ProviderName),
          invoiceIssuer: text(row.InvoiceIssuerName),
          invoiceId: text(row.InvoiceId),
          regionId: text(row.RegionId) ?? 'NoRegion',
          availabilityZone: text(row.AvailabilityZone),
          usageType: text(row.x_UsageType) ?? '',
          operation: text(row.x_Operation) ?? '',
          skuId: text(row.SkuId),
          billedCost: billed,
          effectiveCost: effective,
          listCost: moneyOf(row.ListCost) ?? billed,
          blendedCost: billed,
          netUnblendedCost: billed,
          netAmortizedCost: effective,
          usageQuantity: quantityOf(text(row.ConsumedQuantity) ?? row.PricingQuantity),
          normalizedUsageAmount: quantityOf(text(row.ConsumedQuantity) ?? row.PricingQuantity),
          usageUnit: text(row.ConsumedUnit) ?? text(row.PricingUnit),
          resourceId: text(row.ResourceId),
          tags: tagsFromJson(row.Tags),
          currency: text(row.BillingCurrency) ?? 'USD',
        },
      };
    },
  };
}

/** CUR line item types → FOCUS ChargeCategory (billing-data.md §1.7; Refund is an Adjustment in FOCUS 1.x). */
const CUR_CATEGORY: Record<string, ChargeCategory> = {
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

const CUR_COLUMNS = new Set([
  'bill_payer_account_id',
  'bill_payer_account_name',
  'bill_billing_period_start_date',
  'bill_invoice_id',
  'bill_invoicing_entity',
  'line_item_usage_account_id',
  'line_item_usage_account_name',
  'line_item_line_item_type',
  'line_item_usage_start_date',
  'line_item_usage_end_date',
  'line_item_product_code',
  'line_item_usage_type',
  'line_item_operation',
  'line_item_availability_zone',
  'line_item_usage_amount',
  'line_item_normalized_usage_amount',
  'line_item_currency_code',
  'line_item_unblended_cost',
  'line_item_blended_cost',
  'line_item_net_unblended_cost',
  'line_item_line_item_description',
  'line_item_resource_id',
  'product_product_name',
  'product_servicecode',
  'product_region_code',
  'product_region',
  'product_sku',
  'pricing_unit',
  'pricing_public_on_demand_cost',
  'reservation_effective_cost',
  'reservation_net_effective_cost',
  'reservation_reservation_a_r_n',
  'reservation_unused_amortized_upfront_fee_for_billing_period',
  'reservation_unused_recurring_fee',
  'savings_plan_savings_plan_effective_cost',
  'savings_plan_net_savings_plan_effective_cost',
  'savings_plan_total_commitment_to_date',
  'savings_plan_used_commitment',
  'resource_tags',
  'product',
]);

/** Amortized cost of a CUR row (billing-data.md §2.4, the focus_converters / CUDOS rule). */
function amortized(type: string, row: RawRow, unblended: bigint, net: boolean): bigint {
  const m = (column: string) => moneyOf(row[column]) ?? 0n;
  switch (type) {
    case 'SavingsPlanCoveredUsage':
      return net
        ? (moneyOf(row.savings_plan_net_savings_plan_effective_cost) ?? m('savings_plan_savings_plan_effective_cost'))
        : m('savings_plan_savings_plan_effective_cost');
    case 'SavingsPlanRecurringFee':
      return m('savings_plan_total_commitment_to_date') - m('savings_plan_used_commitment');
    case 'SavingsPlanNegation':
    case 'SavingsPlanUpfrontFee':
      return 0n;
    case 'DiscountedUsage':
      return net
        ? (moneyOf(row.reservation_net_effective_cost) ?? m('reservation_effective_cost'))
        : m('reservation_effective_cost');
    case 'RIFee':
      return m('reservation_unused_amortized_upfront_fee_for_billing_period') + m('reservation_unused_recurring_fee');
    case 'Fee':
      return text(row.reservation_reservation_a_r_n) !== null ? 0n : unblended;
    default:
      return unblended;
  }
}

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

function curReader(format: 'cur' | 'cur-legacy', columns: string[]): FormatReader {
  // Legacy headers are renamed to their Athena names once; tag columns are found once.
  const rename = new Map(
    columns.map((c) => [c, format === 'cur-legacy' && tagKey(c) === undefined ? snakeColumn(c) : c]),
  );
  const tagColumns = columns.flatMap((c) => {
    const key = tagKey(c);
    return key === undefined ? [] : [[c, key] as const];
  });
  return {
    format,
    wants: (column) => CUR_COLUMNS.has(rename.get(column) ?? column) || tagKey(column) !== undefined,
    map(raw) {
      const row: RawRow = format === 'cur-legacy' ? {} : raw;
      if (format === 'cur-legacy') for (const key in raw) row[rename.get(key) ?? key] = raw[key];
      const unblended = moneyOf(row.line_item_unblended_cost);
      if (unblended === undefined) return { skip: 'line_item_unblended_cost is missing or not a number' };
      const type = text(row.line_item_line_item_type) ?? 'Usage';
      const category = CUR_CATEGORY[type];
      if (category === undefined) return { skip: `unknown line item type ${type}` };
      const chargeStart = normalizeTimestamp(row.line_item_usage_start_date);
      const periodStart = normalizeTimestamp(row.bill_billing_period_start_date);
      if (chargeStart === null || periodStart === null)
        return { skip: 'usage start or billing period start is not a date' };
      const payer = text(row.bill_payer_account_id);
      if (payer === null) return { skip: 'bill_payer_account_id is missing' };
      const netUnblended = moneyOf(row.line_item_net_unblended_cost) ?? unblended;
      const tags: Record<string, string> = {};
      for (const [column, key] of tagColumns) {
        const value = text(raw[column]);
        if (value !== null) tags[key] = value;
      }
      const mapTags = tagsFromJson(row.resource_tags);
      if (mapTags !== null) {
        for (const [k, v] of Object.entries(mapTags)) tags[k.startsWith('user_') ? k.slice(5) : k] = v;
      }
      const product = tagsFromJson(row.product);
      const amortizedCost = amortized(type, row, unblended, false);
      return {
        item: {
          billingAccountId: payer,
          billingAccountName: text(row.bill_payer_account_name),
          subAccountId: text(row.line_item_usage_account_id) ?? payer,
          subAccountName: text(row.line_item_usage_account_name),
          billingPeriodStart: periodStart.slice(0, 10),
          chargePeriodStart: chargeStart,
          chargePeriodEnd: normalizeTimestamp(row.line_item_usage_end_date) ?? chargeStart,
          chargeCategory: category,
          recordType: type,
          chargeDescription: text(row.line_item_line_item_description),
          serviceName:
            text(row.product_product_name) ?? product?.product_name ?? text(row.line_item_product_code) ?? 'Unknown',
          serviceCode: text(row.product_servicecode) ?? text(row.line_item_product_code),
          provider: 'AWS',
          invoiceIssuer: text(row.bill_invoicing_entity),
          invoiceId: text(row.bill_invoice_id),
          regionId: text(row.product_region_code) ?? text(row.product_region) ?? product?.region ?? 'NoRegion',
          availabilityZone: text(row.line_item_availability_zone),
          usageType: text(row.line_item_usage_type) ?? '',
          operation: text(row.line_item_operation) ?? '',
          skuId: text(row.product_sku),
          billedCost: unblended,
          effectiveCost: amortizedCost,
          listCost: moneyOf(row.pricing_public_on_demand_cost) ?? unblended,
          blendedCost: moneyOf(row.line_item_blended_cost) ?? unblended,
          netUnblendedCost: netUnblended,
          netAmortizedCost: amortized(type, row, netUnblended, true),
          usageQuantity: quantityOf(row.line_item_usage_amount),
          normalizedUsageAmount: quantityOf(row.line_item_normalized_usage_amount),
          usageUnit: text(row.pricing_unit),
          resourceId: text(row.line_item_resource_id),
          tags: Object.keys(tags).length > 0 ? tags : null,
          currency: text(row.line_item_currency_code) ?? 'USD',
        },
      };
    },
  };
}

export function formatReader(format: CostFormat, columns: string[]): FormatReader {
  return format === 'focus' ? focusReader() : curReader(format, columns);
}
