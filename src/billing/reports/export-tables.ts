/**
 * The Data Exports table dictionary as data, the one place it lives: each table AWS lets an export query
 * (ListTables, GetTable), its table properties (TableConfigurations) with their valid values and defaults, and
 * its columns as AWS's table dictionary publishes them (name, type, description; the CUR 2.0 and FOCUS 1.0/1.2
 * with AWS columns pages). Descriptions are shortened.
 *
 * A column also says how Bursar fills it from a stored line item (`sql`, over line-item-columns.ts's columns, `tags`
 * holding only activated keys, plus `cur_resource_tags`: export-delivery.ts; absent:
 * Bursar holds no such data and delivers NULL) and, where AWS adds it only under a table property, which
 * (`when`: CUR 2.0's `line_item_resource_id` only with INCLUDE_RESOURCES=TRUE, the split cost allocation columns
 * only with INCLUDE_SPLIT_COST_ALLOCATION_DATA=TRUE).
 */

/** A column's type as the table dictionary names it. */
export type ColumnType = 'string' | 'double' | 'timestamp' | 'map<string,string>';

export interface ExportColumn {
  name: string;
  type: ColumnType;
  description: string;
  /** DuckDB SQL over one stored line item; absent: NULL. */
  sql?: string;
  /** The table property (set to TRUE) that adds this column. */
  when?: string;
}

export interface TableProperty {
  name: string;
  validValues: string[];
  defaultValue: string;
  description: string;
}

export interface ExportTable {
  name: string;
  description: string;
  properties: TableProperty[];
  columns: ExportColumn[];
  /** Whether Bursar's line items are this table's rows (the CUR and FOCUS tables); else it delivers no rows. */
  fromLineItems: boolean;
}

/** Money units (10⁻¹⁰ USD, BIGINT) as the dictionary's double. */
const money = (column: string) => `${column} / 1e10`;
const periodStart = `strptime(billing_period || '-01', '%Y-%m-%d')`;
const periodEnd = `(${periodStart} + interval 1 month)`;
const ts = (column: string) => `(${column}::timestamptz at time zone 'UTC')`;

/** `name|type|description`, or `name|type|description|sql`: compact rows, expanded here. */
function columns(rows: string[], extra: Record<string, Partial<ExportColumn>> = {}): ExportColumn[] {
  return rows.map((row) => {
    // Only the first three bars separate: SQL may hold more (`||`).
    const [name, type, description, ...rest] = row.split('|') as [string, ColumnType, string, ...string[]];
    const sql = rest.length === 0 ? undefined : rest.join('|');
    return { name, type, description, ...(sql === undefined ? {} : { sql }), ...extra[name] };
  });
}

const TRUE_FALSE = ['TRUE', 'FALSE'];

const CUR_PROPERTIES: TableProperty[] = [
  {
    name: 'TIME_GRANULARITY',
    validValues: ['HOURLY', 'DAILY', 'MONTHLY'],
    defaultValue: 'HOURLY',
    description: 'Granularity of the line items in the export.',
  },
  {
    name: 'INCLUDE_RESOURCES',
    validValues: TRUE_FALSE,
    defaultValue: 'FALSE',
    description: 'Include a column with the resource ID of each line item.',
  },
  {
    name: 'INCLUDE_SPLIT_COST_ALLOCATION_DATA',
    validValues: TRUE_FALSE,
    defaultValue: 'FALSE',
    description: 'Include split cost allocation data for ECS and EKS containers.',
  },
  {
    name: 'INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY',
    validValues: TRUE_FALSE,
    defaultValue: 'FALSE',
    description: 'Include manual discounts in the legacy CUR format.',
  },
];

const CUR_COLUMNS = columns(
  [
    `bill_bill_type|string|The type of bill: Anniversary, Purchase or Refund.|'Anniversary'`,
    `bill_billing_entity|string|Whether the line item is billed by AWS or AWS Marketplace.|'AWS'`,
    `bill_billing_period_end_date|timestamp|The exclusive end of the billing period.|${periodEnd}`,
    `bill_billing_period_start_date|timestamp|The start of the billing period.|${periodStart}`,
    `bill_invoice_id|string|The ID of the invoice the line item is on.|invoice_id`,
    `bill_invoicing_entity|string|The AWS entity that issues the invoice.|invoice_issuer`,
    `bill_payer_account_id|string|The account ID of the paying account.|payer_account_id`,
    `bill_payer_account_name|string|The name of the paying account.|billing_account_name`,
    `cost_category|map<string,string>|Cost category names and values of the line item.`,
    `discount|map<string,string>|Discounts applied to the line item.`,
    `discount_bundled_discount|double|The bundled discount applied to the line item.`,
    `discount_total_discount|double|The sum of all discounts applied to the line item.`,
    `identity_line_item_id|string|An ID of the line item, unique within its partition.|md5(concat_ws('|', owner_account_id, linked_account_id, charge_period_start, usage_type, operation, resource_id, record_type, unblended_cost::varchar))`,
    `identity_time_interval|string|The time interval of the line item (start/end).|charge_period_start || '/' || charge_period_end`,
    `line_item_availability_zone|string|The Availability Zone of the line item.|availability_zone`,
    `line_item_blended_cost|double|The blended rate multiplied by the usage amount.|${money('blended_cost')}`,
    `line_item_blended_rate|string|The average cost incurred per unit across the organization.`,
    `line_item_currency_code|string|The currency of the line item.|currency`,
    `line_item_legal_entity|string|The seller of record of the line item.|invoice_issuer`,
    `line_item_line_item_description|string|The description of the line item.|charge_description`,
    `line_item_line_item_type|string|The type of charge: Usage, Tax, Credit, Refund, Fee, RIFee…|record_type`,
    `line_item_net_unblended_cost|double|The unblended cost after discounts.|${money('net_unblended_cost')}`,
    `line_item_net_unblended_rate|string|The unblended rate after discounts.`,
    `line_item_normalization_factor|double|The normalization factor of the instance size.`,
    `line_item_normalized_usage_amount|double|The usage amount in normalized units.|normalized_usage_amount`,
    `line_item_operation|string|The operation of the line item.|operation`,
    `line_item_product_code|string|The code of the product measured.|service_code`,
    `line_item_resource_id|string|The resource ID of the line item.|resource_id`,
    `line_item_tax_type|string|The type of tax AWS applied to the line item.`,
    `line_item_unblended_cost|double|The unblended rate multiplied by the usage amount.|${money('unblended_cost')}`,
    `line_item_unblended_rate|string|The rate of the line item's usage.`,
    `line_item_usage_account_id|string|The account ID that used the line item.|linked_account_id`,
    `line_item_usage_account_name|string|The name of the account that used the line item.|linked_account_name`,
    `line_item_usage_amount|double|The amount of usage in the line item.|usage_quantity`,
    `line_item_usage_end_date|timestamp|The exclusive end of the line item's usage.|${ts('charge_period_end')}`,
    `line_item_usage_start_date|timestamp|The start of the line item's usage.|${ts('charge_period_start')}`,
    `line_item_usage_type|string|The usage type of the line item.|usage_type`,
    `pricing_currency|string|The currency of the pricing rate.|currency`,
    `pricing_lease_contract_length|string|The length of a reservation's term.`,
    `pricing_offering_class|string|The offering class of a Reserved Instance.`,
    `pricing_public_on_demand_cost|double|The cost of the line item at public on-demand rates.|${money('list_cost')}`,
    `pricing_public_on_demand_rate|string|The public on-demand rate of the line item.`,
    `pricing_purchase_option|string|How the line item was paid for (All Upfront, No Upfront…).`,
    `pricing_rate_code|string|A unique code for a product, offer and pricing tier.`,
    `pricing_rate_id|string|The ID of the rate of the line item.`,
    `pricing_term|string|Whether the usage is Reserved or On-Demand.`,
    `pricing_unit|string|The pricing unit of the line item.|usage_unit`,
    `product|map<string,string>|Product attributes of the line item.|map {'product_name': service, 'region': region}`,
    `product_comment|string|A comment about the product.`,
    `product_fee_code|string|The code of a fee.`,
    `product_fee_description|string|The description of a fee.`,
    `product_from_location|string|Where the usage came from.`,
    `product_from_location_type|string|The type of the location the usage came from.`,
    `product_from_region_code|string|The Region code the usage came from.`,
    `product_instance_family|string|The instance family.`,
    `product_instance_type|string|The instance type.`,
    `product_instancesku|string|The SKU of the instance.`,
    `product_location|string|The Region the usage was in, by name.`,
    `product_location_type|string|The type of the location.`,
    `product_operation|string|The operation of the product.|operation`,
    `product_pricing_unit|string|The smallest billing unit of the product.|usage_unit`,
    `product_product_family|string|The category of the product.|service_category`,
    `product_region_code|string|The Region code of the usage.|region`,
    `product_servicecode|string|The code of the service.|service_code`,
    `product_sku|string|The SKU of the product.|sku_id`,
    `product_to_location|string|Where the usage went to.`,
    `product_to_location_type|string|The type of the location the usage went to.`,
    `product_to_region_code|string|The Region code the usage went to.`,
    `product_usagetype|string|The usage type of the product.|usage_type`,
    `reservation_amortized_upfront_cost_for_usage|double|The upfront cost of a reservation amortized over the usage.`,
    `reservation_amortized_upfront_fee_for_billing_period|double|A reservation's upfront fee amortized over the billing period.`,
    `reservation_availability_zone|string|The Availability Zone of a reservation.`,
    `reservation_effective_cost|double|The upfront and hourly rate of a reservation, averaged per hour.`,
    `reservation_end_time|string|The end of a reservation.`,
    `reservation_modification_status|string|Whether a reservation was modified.`,
    `reservation_net_amortized_upfront_cost_for_usage|double|The amortized upfront cost for usage after discounts.`,
    `reservation_net_amortized_upfront_fee_for_billing_period|double|The amortized upfront fee after discounts.`,
    `reservation_net_effective_cost|double|The effective cost of a reservation after discounts.`,
    `reservation_net_recurring_fee_for_usage|double|The recurring fee for usage after discounts.`,
    `reservation_net_unused_amortized_upfront_fee_for_billing_period|double|The unused amortized upfront fee after discounts.`,
    `reservation_net_unused_recurring_fee|double|The unused recurring fee after discounts.`,
    `reservation_net_upfront_value|double|The upfront value of a reservation after discounts.`,
    `reservation_normalized_units_per_reservation|string|The normalized units of each reservation.`,
    `reservation_number_of_reservations|string|The number of reservations.`,
    `reservation_recurring_fee_for_usage|double|The recurring fee of a reservation for the usage.`,
    `reservation_reservation_a_r_n|string|The ARN of the reservation.`,
    `reservation_start_time|string|The start of a reservation.`,
    `reservation_subscription_id|string|The ID of the reservation's subscription.`,
    `reservation_total_reserved_normalized_units|string|The total normalized units reserved.`,
    `reservation_total_reserved_units|string|The total units reserved.`,
    `reservation_units_per_reservation|string|The units of each reservation.`,
    `reservation_unused_amortized_upfront_fee_for_billing_period|double|The unused part of the amortized upfront fee.`,
    `reservation_unused_normalized_unit_quantity|double|The unused normalized units.`,
    `reservation_unused_quantity|double|The unused reserved units.`,
    `reservation_unused_recurring_fee|double|The unused part of the recurring fee.`,
    `reservation_upfront_value|double|The upfront price paid for a reservation.`,
    `resource_tags|map<string,string>|The cost allocation tags of the line item's resource.|cur_resource_tags`,
    `savings_plan_amortized_upfront_commitment_for_billing_period|double|A Savings Plan's upfront commitment amortized over the billing period.`,
    `savings_plan_end_time|string|The end of a Savings Plan.`,
    `savings_plan_instance_type_family|string|The instance family of a Savings Plan.`,
    `savings_plan_net_amortized_upfront_commitment_for_billing_period|double|The amortized upfront commitment after discounts.`,
    `savings_plan_net_recurring_commitment_for_billing_period|double|The recurring commitment after discounts.`,
    `savings_plan_net_savings_plan_effective_cost|double|The effective cost of a Savings Plan after discounts.`,
    `savings_plan_offering_type|string|The type of Savings Plan.`,
    `savings_plan_payment_option|string|The payment option of a Savings Plan.`,
    `savings_plan_purchase_term|string|The term of a Savings Plan.`,
    `savings_plan_recurring_commitment_for_billing_period|double|A Savings Plan's monthly recurring fee.`,
    `savings_plan_region|string|The Region of a Savings Plan.`,
    `savings_plan_savings_plan_a_r_n|string|The ARN of the Savings Plan.`,
    `savings_plan_savings_plan_effective_cost|double|The share of a Savings Plan's commitment allocated to the usage.`,
    `savings_plan_savings_plan_rate|double|The Savings Plan rate of the usage.`,
    `savings_plan_start_time|string|The start of a Savings Plan.`,
    `savings_plan_total_commitment_to_date|double|The total commitment of a Savings Plan to date.`,
    `savings_plan_used_commitment|double|The commitment of a Savings Plan used to date.`,
    `split_line_item_actual_usage|double|The usage of a container's resources.`,
    `split_line_item_net_split_cost|double|The split cost after discounts.`,
    `split_line_item_net_unused_cost|double|The unused cost after discounts.`,
    `split_line_item_parent_resource_id|string|The instance the container ran on.`,
    `split_line_item_public_on_demand_split_cost|double|The split cost at public on-demand rates.`,
    `split_line_item_public_on_demand_unused_cost|double|The unused cost at public on-demand rates.`,
    `split_line_item_reserved_usage|double|The usage of reserved resources.`,
    `split_line_item_split_cost|double|The cost allocated to the container.`,
    `split_line_item_split_usage|double|The usage allocated to the container.`,
    `split_line_item_split_usage_ratio|double|The share of the instance's usage allocated to the container.`,
    `split_line_item_unused_cost|double|The unused cost allocated to the container.`,
  ],
  {
    line_item_resource_id: { when: 'INCLUDE_RESOURCES' },
    ...Object.fromEntries(
      [
        'actual_usage',
        'net_split_cost',
        'net_unused_cost',
        'parent_resource_id',
        'public_on_demand_split_cost',
        'public_on_demand_unused_cost',
        'reserved_usage',
        'split_cost',
        'split_usage',
        'split_usage_ratio',
        'unused_cost',
      ].map((c) => [`split_line_item_${c}`, { when: 'INCLUDE_SPLIT_COST_ALLOCATION_DATA' }]),
    ),
  },
);

/** The FOCUS 1.0 columns (with AWS's `x_` columns); FOCUS 1.2 adds those in FOCUS_1_2_ONLY. */
const FOCUS_COLUMNS = columns([
  `AvailabilityZone|string|The provider-assigned identifier of a physically separated area within a Region.|availability_zone`,
  `BilledCost|double|A charge serving as the basis for invoicing, after discounts and without amortization.|${money('unblended_cost')}`,
  `BillingAccountId|string|The identifier assigned to a billing account by the provider.|payer_account_id`,
  `BillingAccountName|string|The display name assigned to a billing account.|billing_account_name`,
  `BillingCurrency|string|The currency that a charge was billed in.|currency`,
  `BillingPeriodEnd|timestamp|The exclusive end of the billing period.|${periodEnd}`,
  `BillingPeriodStart|timestamp|The inclusive start of the billing period.|${periodStart}`,
  `ChargeCategory|string|The highest-level classification of a charge (Usage, Purchase, Tax, Credit, Adjustment).|charge_category`,
  `ChargeClass|string|Whether the row is a correction to a previous charge.`,
  `ChargeDescription|string|A self-contained summary of the charge's purpose and price.|charge_description`,
  `ChargeFrequency|string|How often a charge occurs.|'Usage-Based'`,
  `ChargePeriodEnd|timestamp|The exclusive end of the charge period.|${ts('charge_period_end')}`,
  `ChargePeriodStart|timestamp|The inclusive start of the charge period.|${ts('charge_period_start')}`,
  `CommitmentDiscountCategory|string|Whether a commitment discount is based on usage or spend.`,
  `CommitmentDiscountId|string|The identifier of a commitment discount.`,
  `CommitmentDiscountName|string|The display name of a commitment discount.`,
  `CommitmentDiscountStatus|string|Whether the charge uses a commitment discount or is its unused part.`,
  `CommitmentDiscountType|string|The type of commitment discount applied.`,
  `ConsumedQuantity|double|The volume of a resource or service used, in ConsumedUnit.|usage_quantity`,
  `ConsumedUnit|string|The unit of ConsumedQuantity.|usage_unit`,
  `ContractedCost|double|The cost at the contracted unit price.|${money('unblended_cost')}`,
  `ContractedUnitPrice|double|The agreed-upon unit price of a SKU.`,
  `EffectiveCost|double|The amortized cost of the charge after discounts.|${money('amortized_cost')}`,
  `InvoiceIssuerName|string|The entity responsible for invoicing the resources or services.|invoice_issuer`,
  `ListCost|double|The cost at the list unit price.|${money('list_cost')}`,
  `ListUnitPrice|double|The suggested provider-published unit price of a SKU.`,
  `PricingCategory|string|The pricing model of the charge (Standard, Dynamic, Committed, Other).`,
  `PricingQuantity|double|The volume of a SKU used or purchased, in PricingUnit.|usage_quantity`,
  `PricingUnit|string|The provider's unit of measure for pricing.|usage_unit`,
  `ProviderName|string|The name of the entity that made the resources or services available.|provider`,
  `PublisherName|string|The name of the entity that produced the resources or services.|provider`,
  `RegionId|string|The provider-assigned identifier of a Region.|region`,
  `RegionName|string|The name of a Region.`,
  `ResourceId|string|The identifier assigned to a resource by the provider.|resource_id`,
  `ResourceName|string|The display name of a resource.`,
  `ResourceType|string|The kind of resource the charge applies to.`,
  `ServiceCategory|string|The highest-level classification of a service.|service_category`,
  `ServiceName|string|The offering that can be purchased from a provider.|service`,
  `SkuId|string|The identifier of the SKU.|sku_id`,
  `SkuPriceId|string|The identifier of the price of a SKU.`,
  `SubAccountId|string|The identifier of the account that used the resources.|linked_account_id`,
  `SubAccountName|string|The name of the account that used the resources.|linked_account_name`,
  `Tags|map<string,string>|The tags of the resource.|tags`,
  `x_CostCategories|map<string,string>|AWS: cost category names and values of the line item.`,
  `x_Discounts|map<string,string>|AWS: the discounts applied to the line item.`,
  `x_Operation|string|AWS: the operation of the line item.|operation`,
  `x_ServiceCode|string|AWS: the code of the service.|service_code`,
  `x_UsageType|string|AWS: the usage type of the line item.|usage_type`,
]);

const FOCUS_1_2_ONLY = columns([
  `BillingAccountType|string|The provider's name for the kind of billing account.|'Billing Account'`,
  `CapacityReservationId|string|The identifier of a capacity reservation.`,
  `CapacityReservationStatus|string|Whether the charge consumes a capacity reservation or is its unused part.`,
  `CommitmentDiscountQuantity|double|The amount of a commitment discount used or purchased.`,
  `CommitmentDiscountUnit|string|The unit of CommitmentDiscountQuantity.`,
  `InvoiceId|string|The identifier of the invoice the charge is on.|invoice_id`,
  `PricingCurrency|string|The currency of the price list.|currency`,
  `ServiceSubcategory|string|The second-level classification of a service.`,
  `SkuMeter|string|The functionality being metered or measured by the SKU.|usage_type`,
  `SkuPriceDetails|map<string,string>|Properties of a SKU price.`,
  `SubAccountType|string|The provider's name for the kind of sub account.|'Linked Account'`,
]);

export const EXPORT_TABLES: readonly ExportTable[] = [
  {
    name: 'CARBON_EMISSIONS',
    description: 'Estimated carbon emissions of AWS usage, by account, Region and service.',
    properties: [],
    fromLineItems: false,
    columns: columns([
      'last_refresh_timestamp|timestamp|When the estimates were last refreshed.',
      'location|string|The Region or location of the usage.',
      'model_version|string|The version of the estimation model.',
      'payer_account_id|string|The account ID of the paying account.',
      'product_code|string|The code of the service.',
      'region_code|string|The Region code of the usage.',
      'total_lbm_emissions_unit|string|The unit of the location-based emissions.',
      'total_lbm_emissions_value|double|Location-based carbon emissions.',
      'total_mbm_emissions_unit|string|The unit of the market-based emissions.',
      'total_mbm_emissions_value|double|Market-based carbon emissions.',
      'usage_account_id|string|The account ID that used the service.',
      'usage_period_end|timestamp|The end of the usage period.',
      'usage_period_start|timestamp|The start of the usage period.',
    ]),
  },
  {
    name: 'COST_AND_USAGE_DASHBOARD',
    description: 'The Cost and Usage Dashboard powered by QuickSight: a subset of CUR 2.0 columns.',
    properties: [],
    fromLineItems: true,
    columns: CUR_COLUMNS.filter((c) =>
      [
        'bill_bill_type',
        'bill_billing_entity',
        'bill_billing_period_start_date',
        'bill_invoicing_entity',
        'bill_payer_account_id',
        'bill_payer_account_name',
        'line_item_legal_entity',
        'line_item_line_item_type',
        'line_item_net_unblended_cost',
        'line_item_operation',
        'line_item_product_code',
        'line_item_unblended_cost',
        'line_item_usage_account_id',
        'line_item_usage_account_name',
        'line_item_usage_amount',
        'line_item_usage_start_date',
        'line_item_usage_type',
        'pricing_public_on_demand_cost',
        'product_product_family',
        'product_region_code',
        'product_servicecode',
      ].includes(c.name),
    ),
  },
  {
    name: 'COST_AND_USAGE_REPORT',
    description: 'CUR 2.0: the most comprehensive set of cost and usage data, line item by line item.',
    properties: CUR_PROPERTIES,
    fromLineItems: true,
    columns: CUR_COLUMNS,
  },
  {
    name: 'COST_OPTIMIZATION_RECOMMENDATIONS',
    description: 'Cost optimization recommendations from Cost Optimization Hub.',
    properties: [
      {
        name: 'INCLUDE_ALL_RECOMMENDATIONS',
        validValues: TRUE_FALSE,
        defaultValue: 'FALSE',
        description: 'Include every recommendation, not only the highest-saving one per resource.',
      },
      {
        name: 'FILTER',
        validValues: [],
        defaultValue: '{}',
        description: 'A Cost Optimization Hub filter, as JSON.',
      },
    ],
    fromLineItems: false,
    columns: columns([
      'account_id|string|The account the recommendation is for.',
      'action_type|string|The type of action recommended.',
      'currency_code|string|The currency of the savings.',
      'current_resource_details|string|The current resource, as JSON.',
      'current_resource_summary|string|A summary of the current resource.',
      'current_resource_type|string|The type of the current resource.',
      'estimated_monthly_cost_after_discount|double|The monthly cost after discounts.',
      'estimated_monthly_savings_after_discount|double|The monthly savings after discounts.',
      'estimated_savings_percentage_after_discount|double|The savings as a percentage of the cost.',
      'implementation_effort|string|The effort of implementing the recommendation.',
      'last_refresh_timestamp|timestamp|When the recommendation was last refreshed.',
      'recommendation_id|string|The ID of the recommendation.',
      'recommendation_source|string|The service that made the recommendation.',
      'recommended_resource_details|string|The recommended resource, as JSON.',
      'recommended_resource_summary|string|A summary of the recommended resource.',
      'recommended_resource_type|string|The type of the recommended resource.',
      'region|string|The Region of the resource.',
      'resource_arn|string|The ARN of the resource.',
      'restart_needed|string|Whether the resource must restart.',
      'rollback_possible|string|Whether the change can be rolled back.',
      'tags|map<string,string>|The tags of the resource.',
    ]),
  },
  {
    name: 'FOCUS_1_0_AWS',
    description: 'FOCUS 1.0 with AWS columns: cost and usage in the FinOps Open Cost and Usage Specification.',
    properties: [],
    fromLineItems: true,
    columns: FOCUS_COLUMNS,
  },
  {
    name: 'FOCUS_1_2_AWS',
    description: 'FOCUS 1.2 with AWS columns: cost and usage in the FinOps Open Cost and Usage Specification.',
    properties: [],
    fromLineItems: true,
    columns: [...FOCUS_COLUMNS, ...FOCUS_1_2_ONLY].sort((a, b) => a.name.localeCompare(b.name)),
  },
];

export const exportTable = (name: string): ExportTable | undefined => EXPORT_TABLES.find((t) => t.name === name);

/** The table's properties with defaults filled in; unknown names and invalid values are the caller's to refuse. */
export function effectiveProperties(table: ExportTable, given: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(table.properties.map((p) => [p.name, given[p.name] ?? p.defaultValue]));
}

/** The table's columns under these (complete) properties: those a FALSE property leaves out are not there. */
export function schemaOf(table: ExportTable, properties: Record<string, string>): ExportColumn[] {
  return table.columns.filter((c) => c.when === undefined || properties[c.when] === 'TRUE');
}
