/**
 * Bursar's one internal cost row, shaped on FOCUS 1.2 (with the AWS extras Cost Explorer needs: usage type,
 * operation, record type, blended and net costs). Importers of every format and the demo generator produce it.
 */

/** Integer money units (10⁻¹⁰ USD, see money.ts): a bigint, or a number while it is a safe integer. */
export type MoneyUnits = bigint | number;

/** FOCUS ChargeCategory values. */
export type ChargeCategory = 'Usage' | 'Purchase' | 'Tax' | 'Credit' | 'Adjustment';

export interface CostLineItem {
  billingAccountId: string;
  billingAccountName?: string | null;
  subAccountId: string;
  subAccountName?: string | null;
  /** `YYYY-MM-DD`, inclusive start of the invoice month. */
  billingPeriodStart: string;
  /** ISO-8601 UTC, inclusive. */
  chargePeriodStart: string;
  /** ISO-8601 UTC, exclusive. */
  chargePeriodEnd: string;
  chargeCategory: ChargeCategory;
  /**
   * Cost Explorer's RECORD_TYPE (`Usage`, `Tax`, `Credit`, `Refund`, `Recurring reservation fee`,
   * `Savings Plan Covered Usage`…), finer than ChargeCategory.
   */
  recordType: string;
  chargeDescription?: string | null;
  serviceName: string;
  serviceCode?: string | null;
  serviceCategory?: string | null;
  provider?: string | null;
  invoiceIssuer?: string | null;
  invoiceId?: string | null;
  regionId: string;
  availabilityZone?: string | null;
  usageType: string;
  operation: string;
  skuId?: string | null;
  /** FOCUS BilledCost = Cost Explorer UnblendedCost. */
  billedCost: MoneyUnits;
  /** FOCUS EffectiveCost = Cost Explorer AmortizedCost. */
  effectiveCost: MoneyUnits;
  listCost: MoneyUnits;
  blendedCost: MoneyUnits;
  netUnblendedCost: MoneyUnits;
  netAmortizedCost: MoneyUnits;
  usageQuantity: number;
  normalizedUsageAmount: number;
  usageUnit?: string | null;
  resourceId?: string | null;
  tags?: Record<string, string> | null;
  currency: string;
}
