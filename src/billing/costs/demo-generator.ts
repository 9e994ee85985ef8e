/**
 * Deterministic demo cost data: for each account, months of daily line items over tens of AWS services and
 * several regions, with weekly rhythm, steady growth, a few spikes, `team`/`env` tags, and per month a tax
 * line, promotional credits and (once) a refund. Same options and seed → the same rows, byte for byte.
 * Rows are yielded one at a time, so tens of millions never sit in memory.
 */
import type { ChargeCategory, CostLineItem } from './cost-line-item.js';
import { REGIONS, SERVICES, type DemoRegion, type DemoService, type UsageKind } from './demo-catalog.js';
import { SeededRandom } from './seeded-random.js';

export interface DemoAccount {
  id: string;
  name: string;
}

export interface DemoOptions {
  seed: number;
  /** The payer (management or standalone) account; it is also a usage account. */
  payer: DemoAccount;
  /** Member accounts of a demo organization (their usage is billed to the payer). */
  members?: DemoAccount[];
  /** First billing month, `YYYY-MM`. */
  startMonth: string;
  months: number;
  /** Approximate number of line items to produce in total. */
  targetRows: number;
  /** Exclusive `YYYY-MM-DD`: no usage on or after this day (the current, still open month). */
  until?: string;
}

/** The tag keys of every tagged demo stream; the demo account activates them as cost allocation tags. */
export const DEMO_TAG_KEYS = ['team', 'env'] as const;
const TEAMS = ['platform', 'data', 'web', 'ml', 'payments'];
const ENVS = ['prod', 'staging', 'dev'];
const TAX_RATE_PER_MILLE = 80n;
const UNITS_PER_DOLLAR = 10_000_000_000;
const INVOICE_ISSUER = 'Amazon Web Services, Inc.';

/** Decimal text → money units per unit of usage, as a float factor used only to price a quantity. */
function pricePerUnit(price: string): number {
  return Number(price) * UNITS_PER_DOLLAR;
}

interface Stream {
  account: DemoAccount;
  accountIndex: number;
  spikeKey: number;
  regionId: string;
  usageType: string;
  description: string;
  service: DemoService;
  kind: UsageKind;
  region: DemoRegion;
  resourceId: string;
  tags: Record<string, string> | null;
  /** Units per day at the start, before growth and rhythm. */
  base: number;
  growthPerDay: number;
  unitPrice: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

function daysIn(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function weightedPick<T extends { weight: number }>(random: SeededRandom, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let at = random.next() * total;
  for (const item of items) {
    at -= item.weight;
    if (at < 0) return item;
  }
  return items[items.length - 1]!;
}

function resourceId(random: SeededRandom, account: DemoAccount, service: DemoService, region: DemoRegion): string {
  const hex = Array.from({ length: 17 }, () => '0123456789abcdef'[random.int(16)]).join('');
  switch (service.code) {
    case 'AmazonEC2':
      return `arn:aws:ec2:${region.id}:${account.id}:instance/i-${hex}`;
    case 'AmazonS3':
      return `arn:aws:s3:::demo-${account.id}-${hex.slice(0, 8)}`;
    case 'AWSLambda':
      return `arn:aws:lambda:${region.id}:${account.id}:function:fn-${hex.slice(0, 8)}`;
    default:
      return `arn:aws:${service.code.toLowerCase()}:${region.id}:${account.id}:resource/${hex}`;
  }
}

function usageTypeIn(region: DemoRegion, service: DemoService, kind: UsageKind): string {
  // AWS writes us-east-1 usage types without a prefix and global services' with their edge location's.
  if (service.global === true || region.id === 'us-east-1') return kind.usageType;
  return region.prefix + kind.usageType;
}

/** Plans every (account, service, region, usage type, resource) stream once, from the seed. */
function planStreams(options: DemoOptions, random: SeededRandom, streamsPerAccount: number): Stream[] {
  const accounts = [options.payer, ...(options.members ?? [])];
  const streams: Stream[] = [];
  for (const [accountIndex, account] of accounts.entries()) {
    // Every account uses most services, and its home region most.
    const services = SERVICES.filter((_, index) => index < 8 || random.next() < 0.75);
    const homeRegions = [REGIONS[0]!, weightedPick(random, REGIONS.slice(1)), weightedPick(random, REGIONS)];
    const scale = 0.3 + random.next() * 2.2;
    for (let i = 0; i < streamsPerAccount; i++) {
      const service = i < services.length ? services[i]! : weightedPick(random, services);
      const kind = random.pick(service.kinds);
      const region = service.global === true ? REGIONS[0]! : random.pick(homeRegions);
      const untagged = random.next() < 0.12;
      const tags = untagged ? null : { team: random.pick(TEAMS), env: random.pick(ENVS) };
      streams.push({
        account,
        accountIndex,
        spikeKey: accountIndex * 100 + SERVICES.indexOf(service),
        regionId: service.global === true ? 'global' : region.id,
        usageType: usageTypeIn(region, service, kind),
        description: `$${kind.price} per ${kind.unit} for ${kind.usageType}`,
        service,
        kind,
        region,
        resourceId: resourceId(random, account, service, region),
        tags,
        base: kind.daily * scale * (0.4 + random.next() * 1.2) * Math.max(service.weight / 6, 0.4),
        growthPerDay: 0.0005 + random.next() * 0.0025,
        unitPrice: pricePerUnit(kind.price),
      });
    }
  }
  return streams;
}

function lineItem(
  base: Pick<CostLineItem, 'billingAccountId' | 'billingAccountName' | 'subAccountId' | 'subAccountName'>,
  fields: Omit<
    CostLineItem,
    | 'billingAccountId'
    | 'billingAccountName'
    | 'subAccountId'
    | 'subAccountName'
    | 'blendedCost'
    | 'netUnblendedCost'
    | 'netAmortizedCost'
    | 'effectiveCost'
    | 'listCost'
    | 'currency'
    | 'provider'
    | 'invoiceIssuer'
    | 'normalizedUsageAmount'
  > & { normalizedUsageAmount?: number },
): CostLineItem {
  return {
    ...base,
    ...fields,
    effectiveCost: fields.billedCost,
    listCost: fields.billedCost,
    blendedCost: fields.billedCost,
    netUnblendedCost: fields.billedCost,
    netAmortizedCost: fields.billedCost,
    normalizedUsageAmount: fields.normalizedUsageAmount ?? fields.usageQuantity,
    currency: 'USD',
    provider: 'AWS',
    invoiceIssuer: INVOICE_ISSUER,
  };
}

/** Yields the demo line items, month by month, day by day. */
export function* generateDemoCosts(options: DemoOptions): Generator<CostLineItem> {
  const random = new SeededRandom(options.seed);
  const accounts = [options.payer, ...(options.members ?? [])];
  const totalDays = Array.from({ length: options.months }, (_, i) => daysIn(addMonths(options.startMonth, i))).reduce(
    (a, b) => a + b,
    0,
  );
  // Enough streams for tens of services; a stream that would overshoot the target skips days at random.
  const rowsPerAccountDay = options.targetRows / (accounts.length * totalDays);
  const streamsPerAccount = Math.max(SERVICES.length, Math.ceil(rowsPerAccountDay));
  const emitChance = Math.min(1, rowsPerAccountDay / streamsPerAccount);
  const streams = planStreams(options, random, streamsPerAccount);
  // A spike multiplies one account's use of one service for a day: keyed day × 100003 + account × 100 + service.
  const spikes = new Set<number>();
  for (let i = 0; i < 3 + accounts.length; i++) {
    spikes.add(random.int(totalDays) * 100_003 + random.int(accounts.length) * 100 + random.int(SERVICES.length));
  }
  const refundMonth = Math.min(options.months - 1, 4);
  const payer = { billingAccountId: options.payer.id, billingAccountName: options.payer.name };

  let dayIndex = 0;
  for (let m = 0; m < options.months; m++) {
    const month = addMonths(options.startMonth, m);
    const periodStart = `${month}-01`;
    const nextMonthStart = `${addMonths(month, 1)}-01`;
    const usage = accounts.map(() => 0n);
    const days = daysIn(month);
    for (let d = 1; d <= days; d++, dayIndex++) {
      const date = `${month}-${pad(d)}`;
      if (options.until !== undefined && date >= options.until) continue;
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const rhythm = weekday === 0 || weekday === 6 ? 0.82 : 1.04;
      const start = `${date}T00:00:00Z`;
      const end = new Date(Date.parse(start) + 86_400_000).toISOString().replace('.000Z', 'Z');
      for (let s = 0; s < streams.length; s++) {
        if (emitChance < 1 && random.next() >= emitChance) continue;
        const stream = streams[s]!;
        const spike = spikes.has(dayIndex * 100_003 + stream.spikeKey) ? 4 + random.next() * 4 : 1;
        const quantity =
          stream.base * (1 + stream.growthPerDay * dayIndex) * rhythm * (0.85 + random.next() * 0.3) * spike;
        const roundedQuantity = Math.round(quantity * 1e6) / 1e6;
        const cost = Math.round(roundedQuantity * stream.unitPrice);
        usage[stream.accountIndex]! += BigInt(cost);
        yield {
          billingAccountId: payer.billingAccountId,
          billingAccountName: payer.billingAccountName,
          subAccountId: stream.account.id,
          subAccountName: stream.account.name,
          billingPeriodStart: periodStart,
          chargePeriodStart: start,
          chargePeriodEnd: end,
          chargeCategory: 'Usage',
          recordType: 'Usage',
          chargeDescription: stream.description,
          serviceName: stream.service.name,
          serviceCode: stream.service.code,
          serviceCategory: stream.service.category,
          provider: 'AWS',
          invoiceIssuer: INVOICE_ISSUER,
          regionId: stream.regionId,
          usageType: stream.usageType,
          operation: stream.kind.operation,
          billedCost: cost,
          effectiveCost: cost,
          listCost: cost,
          blendedCost: cost,
          netUnblendedCost: cost,
          netAmortizedCost: cost,
          usageQuantity: roundedQuantity,
          normalizedUsageAmount: roundedQuantity,
          usageUnit: stream.kind.unit,
          resourceId: stream.resourceId,
          tags: stream.tags,
          currency: 'USD',
        };
      }
    }
    // Month-end lines: tax on each account's usage, a promotional credit for some, one refund in the year.
    for (const [index, account] of accounts.entries()) {
      const accountUsage = usage[index]!;
      if (accountUsage === 0n) continue;
      const owner = { ...payer, subAccountId: account.id, subAccountName: account.name };
      const monthly = (
        category: ChargeCategory,
        recordType: string,
        serviceName: string,
        amount: bigint,
        description: string,
      ) =>
        lineItem(owner, {
          billingPeriodStart: periodStart,
          chargePeriodStart: `${periodStart}T00:00:00Z`,
          chargePeriodEnd: `${nextMonthStart}T00:00:00Z`,
          chargeCategory: category,
          recordType,
          chargeDescription: description,
          serviceName,
          regionId: 'global',
          usageType: '',
          operation: '',
          billedCost: amount,
          usageQuantity: 0,
        });
      if (index % 3 === 0) {
        const credit = -(accountUsage / 20n < 1_000_000_000_000n ? accountUsage / 20n : 1_000_000_000_000n);
        yield monthly('Credit', 'Credit', 'AWS Promotional Credits', credit, 'AWS Activate credits');
      }
      if (m === refundMonth && index === 0) {
        yield monthly(
          'Adjustment',
          'Refund',
          'Amazon Elastic Compute Cloud - Compute',
          -(accountUsage / 50n),
          'Refund for service interruption',
        );
      }
      yield monthly('Tax', 'Tax', 'Tax', (accountUsage * TAX_RATE_PER_MILLE) / 1000n, 'Estimated sales tax');
    }
  }
}
