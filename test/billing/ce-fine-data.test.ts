/**
 * Cost Explorer's fine-grained answers through `@aws-sdk/client-cost-explorer`, against sums computed here from
 * the rows imported: HOURLY granularity (last 14 days, hours from the line items' charge periods),
 * GetCostAndUsageWithResources (RESOURCE_ID, last 14 days, a SERVICE filter required) and GetUsageForecast
 * (one usage unit, else UnresolvableUsageUnitException), with what AWS refuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import {
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
  GetCostForecastCommand,
  GetUsageForecastCommand,
} from '@aws-sdk/client-cost-explorer';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { formatMoney, formatQuantity } from '../../src/billing/money.js';
import { FORECAST_WINDOW_DAYS } from '../../src/operations/ce/operations.js';
import { ACCOUNT_ID, rejectsWith } from '../compat/harness.js';
import { costExplorerOver } from './helpers.js';
import { testNow } from '../test-clock.js';
import { testCostStores } from './cost-stores.js';

const DAY_MS = 86_400_000;
const dayOf = (offset: number) => new Date(testNow().getTime() + offset * DAY_MS).toISOString().slice(0, 10);
const COMPUTE = 'Amazon Elastic Compute Cloud - Compute';
const HOURLY_DAY = dayOf(-3);

/** Items charged by the hour on HOURLY_DAY: at 05:00 and 13:00, on two resources. */
const hourly: CostLineItem[] = [5, 13, 13].map((hour, n) => {
  const start = `${HOURLY_DAY}T${String(hour).padStart(2, '0')}:00:00Z`;
  const units = BigInt(n + 1) * 12_345_678_901n;
  return {
    billingAccountId: ACCOUNT_ID,
    subAccountId: ACCOUNT_ID,
    billingPeriodStart: `${HOURLY_DAY.slice(0, 7)}-01`,
    chargePeriodStart: start,
    chargePeriodEnd: start.replace(/T(\d\d)/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`),
    chargeCategory: 'Usage',
    recordType: 'Usage',
    serviceName: COMPUTE,
    regionId: 'us-east-1',
    usageType: 'BoxUsage:m7g.large',
    operation: 'RunInstances',
    billedCost: units,
    effectiveCost: units,
    listCost: units,
    blendedCost: units,
    netUnblendedCost: units,
    netAmortizedCost: units,
    usageQuantity: 1,
    normalizedUsageAmount: 4,
    usageUnit: 'Hrs',
    resourceId: `i-0hourly${n % 2}`,
    currency: 'USD',
  };
});

const monthBack = (back: number) => {
  const d = new Date(`${dayOf(0).slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
};
const items: CostLineItem[] = [
  ...generateDemoCosts({
    seed: 3,
    payer: { id: ACCOUNT_ID, name: 'Payer' },
    startMonth: monthBack(2),
    months: 3,
    targetRows: 3000,
    until: dayOf(0),
  }),
  ...hourly,
];

function sums(keep: (i: CostLineItem) => boolean, key: (i: CostLineItem) => string): Map<string, string> {
  const out = new Map<string, bigint>();
  for (const item of items.filter(keep)) out.set(key(item), (out.get(key(item)) ?? 0n) + BigInt(item.billedCost));
  return new Map([...out].map(([k, v]) => [k, formatMoney(v)]));
}

for (const store of await testCostStores(['sqlite, local blobs', 'postgres, s3 blobs'])) {
  describe(
    `Cost Explorer: hourly, resource-level and usage forecast answers (${store.label})`,
    { skip: store.skip },
    () => {
      let ce: CostExplorerClient;
      let close: () => Promise<void>;

      before(async () => {
        ({ ce, close } = await costExplorerOver(items, await store.server()));
      });
      after(() => close?.());

      it('answers HOURLY by the hour of each line item’s charge period, for the last 14 days', async () => {
        const TimePeriod = { Start: `${HOURLY_DAY}T00:00:00Z`, End: `${dayOf(-2)}T00:00:00Z` };
        const out = await ce.send(
          new GetCostAndUsageCommand({
            TimePeriod,
            Granularity: 'HOURLY',
            Metrics: ['UnblendedCost'],
            GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
          }),
        );
        assert.equal(out.ResultsByTime!.length, 24);
        assert.deepEqual(out.ResultsByTime![13]!.TimePeriod, {
          Start: `${HOURLY_DAY}T13:00:00Z`,
          End: `${HOURLY_DAY}T14:00:00Z`,
        });
        const got = new Map<string, string>();
        for (const result of out.ResultsByTime!) {
          for (const group of result.Groups!) {
            got.set(`${result.TimePeriod!.Start}|${group.Keys![0]}`, group.Metrics!.UnblendedCost!.Amount!);
          }
        }
        const onDay = (i: CostLineItem) => i.chargePeriodStart.slice(0, 10) === HOURLY_DAY;
        assert.deepEqual(
          got,
          sums(onDay, (i) => `${i.chargePeriodStart.slice(0, 13)}:00:00Z|${i.serviceName}`),
        );
        assert.equal(
          got.get(`${HOURLY_DAY}T13:00:00Z|${COMPUTE}`),
          formatMoney(2n * 12_345_678_901n + 3n * 12_345_678_901n),
        );

        // A plain date is its midnight; a range must start within 14 days and on whole hours.
        const total = await ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: HOURLY_DAY, End: `${HOURLY_DAY}T06:00:00Z` },
            Granularity: 'HOURLY',
            Metrics: ['UnblendedCost'],
          }),
        );
        assert.equal(total.ResultsByTime!.length, 6);
        assert.equal(total.ResultsByTime![5]!.Total!.UnblendedCost!.Amount, formatMoney(12_345_678_901n));
        const refused = async (Start: string, End: string, message: RegExp) =>
          rejectsWith(
            ce.send(
              new GetCostAndUsageCommand({
                TimePeriod: { Start, End },
                Granularity: 'HOURLY',
                Metrics: ['UnblendedCost'],
              }),
            ),
            'ValidationException',
            400,
            message,
          );
        await refused(`${dayOf(-15)}T00:00:00Z`, `${dayOf(-14)}T00:00:00Z`, /last 14 days/);
        await refused(`${HOURLY_DAY}T00:30:00Z`, `${HOURLY_DAY}T02:00:00Z`, /whole hour/);
        await refused(`${HOURLY_DAY}T02:00:00Z`, `${HOURLY_DAY}T02:00:00Z`, /before end date/);
      });

      it('answers GetCostAndUsageWithResources by RESOURCE_ID over the last 14 days', async () => {
        const TimePeriod = { Start: dayOf(-7), End: dayOf(0) };
        const out = await ce.send(
          new GetCostAndUsageWithResourcesCommand({
            TimePeriod,
            Granularity: 'DAILY',
            Metrics: ['UnblendedCost'],
            Filter: { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } },
            GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
          }),
        );
        const got = new Map<string, string>();
        for (const result of out.ResultsByTime!) {
          for (const group of result.Groups!) {
            got.set(`${result.TimePeriod!.Start}|${group.Keys![0]}`, group.Metrics!.UnblendedCost!.Amount!);
          }
        }
        const inRange = (i: CostLineItem) =>
          i.serviceName === COMPUTE &&
          i.chargePeriodStart.slice(0, 10) >= TimePeriod.Start &&
          i.chargePeriodStart.slice(0, 10) < TimePeriod.End;
        assert.deepEqual(
          got,
          sums(inRange, (i) => `${i.chargePeriodStart.slice(0, 10)}|${i.resourceId ?? ''}`),
        );
        assert.equal(got.get(`${HOURLY_DAY}|i-0hourly1`), formatMoney(2n * 12_345_678_901n));

        const one = await ce.send(
          new GetCostAndUsageWithResourcesCommand({
            TimePeriod,
            Granularity: 'MONTHLY',
            Metrics: ['UsageQuantity'],
            Filter: {
              And: [
                { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } },
                { Dimensions: { Key: 'RESOURCE_ID', Values: ['i-0hourly0'] } },
              ],
            },
          }),
        );
        assert.deepEqual(
          one.ResultsByTime!.map((r) => r.Total!.UsageQuantity!.Amount),
          one.ResultsByTime!.map((r) =>
            r.TimePeriod!.Start! <= HOURLY_DAY && HOURLY_DAY < r.TimePeriod!.End! ? '2' : '0',
          ),
        );

        const refused = async (input: object, message: RegExp) =>
          rejectsWith(
            ce.send(
              new GetCostAndUsageWithResourcesCommand({
                TimePeriod,
                Granularity: 'DAILY',
                Metrics: ['UnblendedCost'],
                Filter: { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } },
                ...input,
              }),
            ),
            'ValidationException',
            400,
            message,
          );
        await refused({ Filter: { Dimensions: { Key: 'REGION', Values: ['us-east-1'] } } }, /SERVICE/);
        await refused({ TimePeriod: { Start: dayOf(-20), End: dayOf(0) } }, /last 14 days/);
        await rejectsWith(
          ce.send(
            new GetCostAndUsageCommand({
              TimePeriod,
              Granularity: 'DAILY',
              Metrics: ['UnblendedCost'],
              GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
            }),
          ),
          'ValidationException',
          400,
          /GetCostAndUsageWithResources/,
        );
      });

      it('forecasts usage of usage types that share one unit, in that unit', async () => {
        const today = dayOf(0);
        const windowStart = dayOf(-FORECAST_WINDOW_DAYS);
        const usageTypes = new Map<string, Set<string>>();
        for (const item of items) {
          if (item.chargePeriodStart.slice(0, 10) < windowStart || item.chargePeriodStart.slice(0, 10) >= today)
            continue;
          const units = usageTypes.get(item.usageType) ?? new Set<string>();
          units.add(item.usageUnit ?? '');
          usageTypes.set(item.usageType, units);
        }
        const [usageType, units] = [...usageTypes].find(([type, u]) => u.size === 1 && type !== 'BoxUsage:m7g.large')!;
        const [unit] = [...units];
        const other = [...usageTypes].find(([, u]) => u.size === 1 && !u.has(unit!))![0];

        const TimePeriod = { Start: today, End: dayOf(10) };
        const out = await ce.send(
          new GetUsageForecastCommand({
            TimePeriod,
            Metric: 'USAGE_QUANTITY',
            Granularity: 'DAILY',
            Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: [usageType] } },
          }),
        );
        assert.equal(out.Total!.Unit, unit);
        assert.equal(out.ForecastResultsByTime!.length, 10);
        const used = items
          .filter(
            (i) =>
              i.usageType === usageType &&
              i.chargePeriodStart.slice(0, 10) >= windowStart &&
              i.chargePeriodStart.slice(0, 10) < today,
          )
          .reduce((a, i) => a + i.usageQuantity, 0);
        assert.ok(
          Math.abs(Number(out.Total!.Amount) - (used / FORECAST_WINDOW_DAYS) * 10) < 1e-6 * Math.max(1, used),
          `${out.Total!.Amount} ≈ ${formatQuantity((used / FORECAST_WINDOW_DAYS) * 10)}`,
        );
        for (const day of out.ForecastResultsByTime!) {
          assert.ok(Number(day.PredictionIntervalLowerBound) <= Number(day.MeanValue));
          assert.ok(Number(day.MeanValue) <= Number(day.PredictionIntervalUpperBound));
        }

        const refused = async (input: object, name: string, message?: RegExp) =>
          rejectsWith(
            ce.send(
              new GetUsageForecastCommand({
                TimePeriod,
                Metric: 'USAGE_QUANTITY',
                Granularity: 'MONTHLY',
                Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: [usageType] } },
                ...input,
              }),
            ),
            name,
            400,
            message,
          );
        await refused({ Filter: undefined }, 'UnresolvableUsageUnitException', /usage unit/);
        await refused(
          { Filter: { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } } },
          'UnresolvableUsageUnitException',
        );
        await refused(
          { Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: [usageType, other] } } },
          'UnresolvableUsageUnitException',
        );
        await refused({ Metric: 'UNBLENDED_COST' }, 'ValidationException', /not a usage metric/);
        await refused({ TimePeriod: { Start: dayOf(-2), End: dayOf(3) } }, 'ValidationException', /current date/);

        // GetCostForecast is unchanged by the shared method: money in USD.
        const cost = await ce.send(
          new GetCostForecastCommand({ TimePeriod, Metric: 'UNBLENDED_COST', Granularity: 'MONTHLY' }),
        );
        assert.equal(cost.Total!.Unit, 'USD');
      });
    },
  );
}
