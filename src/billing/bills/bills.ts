/**
 * Bills: one per billing period (a calendar month) over the billing data's rollups, asked through its
 * query API (CostQueries), so the database sums and JavaScript handles a few dozen rows per bill.
 * A bill shows charges by service, by region and by account (a management account's bill covers every
 * member; a member's bill only itself, through the same CostScope Cost Explorer uses), then credits, tax,
 * refunds and the total. The current month is pending (estimated); earlier months with charges are issued.
 * Money stays exact: money units (bigint) in arithmetic, decimal text out.
 */
import type { Billing } from '../billing.js';
import type { CostRow } from '../costs/cost-query.js';
import { formatMoney, parseMoney } from '../money.js';

export type BillStatus = 'PENDING' | 'ISSUED';

export interface BillLine {
  /** The service, region code or account id the charges belong to. */
  key: string;
  /** Decimal text, exact. */
  amount: string;
  /** The account's display name, for account lines when the cost data names it. */
  name?: string;
}

/** A service's charges in one Region, line by usage type, as AWS's Bills page expands a service. */
export interface ServiceRegionDetail {
  region: string;
  amount: string;
  usageTypes: BillLine[];
}

/** A service's line with its Regions and their usage types (they add up to the service's amount). */
export interface ServiceLine extends BillLine {
  regions: ServiceRegionDetail[];
}

export interface Bill {
  accountId: string;
  /** `YYYY-MM`. */
  period: string;
  status: BillStatus;
  /** Present once the period is issued. */
  invoiceId?: string;
  currency: 'USD';
  chargesByService: ServiceLine[];
  chargesByRegion: BillLine[];
  chargesByAccount: BillLine[];
  charges: string;
  credits: string;
  tax: string;
  refunds: string;
  total: string;
}

export interface BillSummary {
  period: string;
  status: BillStatus;
  invoiceId?: string;
  totalBeforeTax: string;
  tax: string;
  total: string;
}

/** Record types that are not charges for usage or purchases (Cost Explorer's RECORD_TYPE values). */
const CREDIT = 'Credit';
const TAX = 'Tax';
const REFUND = 'Refund';
const NOT_CHARGES = new Set([CREDIT, TAX, REFUND]);

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export class BillPeriodError extends Error {}

function monthStart(period: string): string {
  return `${period}-01`;
}

function addMonths(period: string, months: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function currentPeriod(now: Date): string {
  return now.toISOString().slice(0, 7);
}

export function checkPeriod(period: unknown, now: Date): string {
  if (typeof period !== 'string' || !PERIOD.test(period)) {
    throw new BillPeriodError('BillingPeriod must be a month written YYYY-MM.');
  }
  if (period > currentPeriod(now)) throw new BillPeriodError(`Billing period ${period} has not started yet.`);
  return period;
}

/** Invoice numbers are derived, not stored: one invoice per account and issued period. */
export function invoiceIdOf(accountId: string, period: string): string {
  return `BRS-${accountId}-${period.replace('-', '')}`;
}

/** The invoice date: the first day after the period, when AWS issues the month's invoice. */
export function invoiceDateOf(period: string): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}

/** Payment terms printed on the invoice and used for its due date: net 30 days from the invoice date. */
export const PAYMENT_TERMS_DAYS = 30;

/** `YYYY-MM-DD`: the day an issued invoice is due. */
export function dueDateOf(period: string): string {
  const invoiced = invoiceDateOf(period);
  return new Date(invoiced.getTime() + PAYMENT_TERMS_DAYS * 86_400_000).toISOString().slice(0, 10);
}

export function parseInvoiceId(invoiceId: string): { accountId: string; period: string } | undefined {
  const match = /^BRS-(\d{12})-(\d{4})(\d{2})$/.exec(invoiceId);
  if (match === null) return undefined;
  return { accountId: match[1]!, period: `${match[2]}-${match[3]}` };
}

const units = (amount: string | undefined) => parseMoney(amount ?? '0') ?? 0n;

/** Sums the rows' UnblendedCost by their group key at `index`, for the rows `keep` accepts. */
function linesBy(rows: CostRow[], index: number, keep: (row: CostRow) => boolean): BillLine[] {
  const totals = new Map<string, bigint>();
  for (const row of rows) {
    if (!keep(row)) continue;
    const key = row.keys[index] ?? '';
    totals.set(key, (totals.get(key) ?? 0n) + units(row.amounts.UnblendedCost));
  }
  return [...totals]
    .filter(([, amount]) => amount !== 0n)
    .sort(([a, x], [b, y]) => (x === y ? a.localeCompare(b) : x > y ? -1 : 1))
    .map(([key, amount]) => ({ key, amount: formatMoney(amount) }));
}

/**
 * The charges of each service by Region and usage type, from rows keyed (record type, service, Region,
 * usage type). Lines keep AWS's order (largest first); a usage type's line keeps its exact decimal.
 */
function serviceDetails(rows: CostRow[], keep: (row: CostRow) => boolean): Map<string, ServiceRegionDetail[]> {
  const byService = new Map<string, CostRow[]>();
  for (const row of rows) {
    if (!keep(row)) continue;
    const service = row.keys[1] ?? '';
    const list = byService.get(service);
    if (list === undefined) byService.set(service, [row]);
    else list.push(row);
  }
  const details = new Map<string, ServiceRegionDetail[]>();
  for (const [service, serviceRows] of byService) {
    details.set(
      service,
      linesBy(serviceRows, 2, () => true).map((region) => ({
        region: region.key,
        amount: region.amount,
        usageTypes: linesBy(serviceRows, 3, (row) => (row.keys[2] ?? '') === region.key),
      })),
    );
  }
  return details;
}

export class Bills {
  constructor(private readonly billing: Billing) {}

  private statusOf(period: string, now: Date): BillStatus {
    return period < currentPeriod(now) ? 'ISSUED' : 'PENDING';
  }

  /**
   * Every period with cost data the account may see, newest first, however old: imported history is never
   * hidden by a window counted from today.
   */
  async list(accountId: string, now: Date): Promise<BillSummary[]> {
    const scope = await this.billing.scopeOf(accountId);
    const current = currentPeriod(now);
    const first = await this.billing.queries.firstPeriod(scope);
    if (first === undefined) return [];
    const rows = await this.billing.queries.costAndUsage({
      start: monthStart(first < current ? first : current),
      end: monthStart(addMonths(current, 1)),
      granularity: 'MONTHLY',
      metrics: ['UnblendedCost'],
      groupBy: [{ Type: 'DIMENSION', Key: 'RECORD_TYPE' }],
      scope,
    });
    const byPeriod = new Map<string, { all: bigint; tax: bigint }>();
    for (const row of rows) {
      const period = row.bucket.slice(0, 7);
      const entry = byPeriod.get(period) ?? { all: 0n, tax: 0n };
      const amount = units(row.amounts.UnblendedCost);
      entry.all += amount;
      if (row.keys[0] === TAX) entry.tax += amount;
      byPeriod.set(period, entry);
    }
    return [...byPeriod]
      .sort(([a], [b]) => b.localeCompare(a))
      .map(([period, { all, tax }]) => {
        const status = this.statusOf(period, now);
        return {
          period,
          status,
          ...(status === 'ISSUED' ? { invoiceId: invoiceIdOf(accountId, period) } : {}),
          totalBeforeTax: formatMoney(all - tax),
          tax: formatMoney(tax),
          total: formatMoney(all),
        };
      });
  }

  async bill(accountId: string, period: string, now: Date): Promise<Bill> {
    const scope = await this.billing.scopeOf(accountId);
    const query = (...keys: string[]) =>
      this.billing.queries.costAndUsage({
        start: monthStart(period),
        end: monthStart(addMonths(period, 1)),
        granularity: 'MONTHLY',
        metrics: ['UnblendedCost'],
        groupBy: [
          { Type: 'DIMENSION', Key: 'RECORD_TYPE' },
          ...keys.map((Key) => ({ Type: 'DIMENSION' as const, Key })),
        ],
        scope,
      });
    const [byService, byRegion, byAccount, byUsage] = await Promise.all([
      query('SERVICE'),
      query('REGION'),
      query('LINKED_ACCOUNT'),
      query('SERVICE', 'REGION', 'USAGE_TYPE'),
    ]);
    const isCharge = (row: CostRow) => !NOT_CHARGES.has(row.keys[0] ?? '');
    const sumOf = (recordType: string) =>
      byService
        .filter((row) => row.keys[0] === recordType)
        .reduce((sum, row) => sum + units(row.amounts.UnblendedCost), 0n);
    const charges = byService.filter(isCharge).reduce((sum, row) => sum + units(row.amounts.UnblendedCost), 0n);
    const credits = sumOf(CREDIT);
    const tax = sumOf(TAX);
    const refunds = sumOf(REFUND);
    const status = this.statusOf(period, now);
    const chargesByAccount = linesBy(byAccount, 1, isCharge);
    const details = serviceDetails(byUsage, isCharge);
    const names = await this.billing.queries.accountNames(
      scope,
      chargesByAccount.map((line) => line.key),
    );
    return {
      accountId,
      period,
      status,
      ...(status === 'ISSUED' ? { invoiceId: invoiceIdOf(accountId, period) } : {}),
      currency: 'USD',
      chargesByService: linesBy(byService, 1, isCharge).map((line) => ({
        ...line,
        regions: details.get(line.key) ?? [],
      })),
      chargesByRegion: linesBy(byRegion, 1, isCharge),
      chargesByAccount: chargesByAccount.map((line) => {
        const name = names.get(line.key);
        return name === undefined ? line : { ...line, name };
      }),
      charges: formatMoney(charges),
      credits: formatMoney(credits),
      tax: formatMoney(tax),
      refunds: formatMoney(refunds),
      total: formatMoney(charges + credits + tax + refunds),
    };
  }
}
