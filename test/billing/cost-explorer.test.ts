/**
 * Cost Explorer answers (from rollups, or line items for what no rollup keeps) against sums computed here,
 * independently, with exact bigint arithmetic over the generator's rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import type { TestContext } from 'node:test';
import { Billing } from '../../src/billing/billing.js';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { DIMENSION_COLUMNS, LINE_ITEM_COLUMNS } from '../../src/billing/costs/line-item-columns.js';
import type { LineItemColumn } from '../../src/billing/costs/line-item-columns.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { formatMoney, parseMoney } from '../../src/billing/money.js';
import { getCostAndUsage, getDimensionValues, getTags, getCostForecast } from '../../src/operations/ce/operations.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { testCostStores } from './cost-stores.js';
import { activateTags, context, openTestBilling } from './helpers.js';

const PAYER = { id: '111111111111', name: 'Payer' };
const MEMBERS = [
  { id: '222222222222', name: 'Dev' },
  { id: '333333333333', name: 'Prod' },
];
const OPTIONS = { seed: 7, payer: PAYER, members: MEMBERS, startMonth: '2025-12', months: 12, targetRows: 6000 };

let billing: Billing;
let opened: OpenedDatabase;
const items: CostLineItem[] = [...generateDemoCosts(OPTIONS)];

function expectedSum(
  filter: (item: CostLineItem) => boolean,
  key: (item: CostLineItem) => string,
): Map<string, string> {
  const sums = new Map<string, bigint>();
  for (const item of items) {
    if (!filter(item)) continue;
    const k = key(item);
    sums.set(k, (sums.get(k) ?? 0n) + BigInt(item.billedCost));
  }
  return new Map([...sums].map(([k, v]) => [k, formatMoney(v)]));
}

type Result = {
  TimePeriod: { Start: string };
  Total: Record<string, { Amount: string }>;
  Groups: Array<{ Keys: string[]; Metrics: Record<string, { Amount: string }> }>;
};

async function allPages(input: Record<string, unknown>, accountId = PAYER.id): Promise<Result[]> {
  const results: Result[] = [];
  let token: string | undefined;
  do {
    const output = await getCostAndUsage.handler({ ...input, NextPageToken: token }, context(billing, accountId));
    results.push(...(output.ResultsByTime as Result[]));
    token = output.NextPageToken as string | undefined;
  } while (token !== undefined);
  return results;
}

function flatten(results: Result[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of results) {
    for (const g of r.Groups) {
      const key = `${r.TimePeriod.Start}|${g.Keys.join('|')}`;
      assert.equal(out.has(key), false, `group ${key} appears twice`);
      if (g.Metrics.UnblendedCost!.Amount !== '0') out.set(key, g.Metrics.UnblendedCost!.Amount);
    }
  }
  return out;
}

for (const store of await testCostStores()) {
  describe(`Cost Explorer over generated data (${store.label})`, { skip: store.skip }, () => {
    before(async () => {
      ({ billing, opened } = await openTestBilling(undefined, 37, store.open));
      await billing.store.import(items, {
        ownerAccountId: PAYER.id,
        importId: 'i1',
        source: 'demo',
        format: 'demo',
        now: new Date('2026-11-27T00:00:00Z'),
      });
      await activateTags(billing, PAYER.id, ['team', 'env']);
    });
    after(() => opened.close());

    it('MONTHLY by SERVICE over twelve months matches the raw rows (rollup month grain, paginated)', async () => {
      const results = await allPages({
        TimePeriod: { Start: '2025-12-01', End: '2026-12-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      });
      const expected = expectedSum(
        () => true,
        (i) => `${i.chargePeriodStart.slice(0, 7)}-01|${i.serviceName}`,
      );
      for (const [k, v] of [...expected]) if (v === '0') expected.delete(k);
      assert.deepEqual(flatten(results), expected);
    });

    it('DAILY by LINKED_ACCOUNT and TAG team, filtered by service and env, matches', async () => {
      const results = await allPages({
        TimePeriod: { Start: '2026-03-10', End: '2026-05-20' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
          { Type: 'TAG', Key: 'team' },
        ],
        Filter: {
          And: [
            {
              Dimensions: {
                Key: 'SERVICE',
                Values: ['Amazon Elastic Compute Cloud - Compute', 'Amazon Simple Storage Service'],
              },
            },
            { Not: { Tags: { Key: 'team', Values: ['web'] } } },
          ],
        },
      });
      const expected = expectedSum(
        (i) =>
          i.chargePeriodStart >= '2026-03-10' &&
          i.chargePeriodStart < '2026-05-20' &&
          ['Amazon Elastic Compute Cloud - Compute', 'Amazon Simple Storage Service'].includes(i.serviceName) &&
          i.tags?.team !== 'web',
        (i) => `${i.chargePeriodStart.slice(0, 10)}|${i.subAccountId}|team$${i.tags?.team ?? ''}`,
      );
      for (const [k, v] of [...expected]) if (v === '0') expected.delete(k);
      assert.deepEqual(flatten(results), expected);
    });

    it('a query no rollup keeps (two tag keys and a region) is answered from line items and matches', async () => {
      const results = await allPages({
        TimePeriod: { Start: '2026-01-15', End: '2026-03-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'TAG', Key: 'team' },
          { Type: 'TAG', Key: 'env' },
        ],
        Filter: { Dimensions: { Key: 'REGION', Values: ['us-east-1'] } },
      });
      const expected = expectedSum(
        (i) => i.chargePeriodStart >= '2026-01-15' && i.chargePeriodStart < '2026-03-01' && i.regionId === 'us-east-1',
        (i) =>
          `${i.chargePeriodStart.slice(0, 7) === '2026-01' ? '2026-01-15' : '2026-02-01'}|team$${i.tags?.team ?? ''}|env$${i.tags?.env ?? ''}`,
      );
      for (const [k, v] of [...expected]) if (v === '0') expected.delete(k);
      assert.deepEqual(flatten(results), expected);
    });

    it('ungrouped totals include tax, credits and the refund; RECORD_TYPE filters them', async () => {
      const output = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2025-12-01', End: '2026-12-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost', 'UsageQuantity'],
          Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Tax', 'Credit', 'Refund'] } },
        },
        context(billing, PAYER.id),
      );
      const results = output.ResultsByTime as Result[];
      assert.equal(results.length, 12);
      const expected = expectedSum(
        (i) => ['Tax', 'Credit', 'Refund'].includes(i.recordType),
        (i) => `${i.chargePeriodStart.slice(0, 7)}-01`,
      );
      for (const r of results) assert.equal(r.Total.UnblendedCost!.Amount, expected.get(r.TimePeriod.Start) ?? '0');
      assert.ok(
        items.some((i) => i.recordType === 'Refund') &&
          items.some((i) => i.recordType === 'Credit') &&
          items.some((i) => i.recordType === 'Tax'),
      );
    });

    it('marks the open month Estimated and reports account names', async () => {
      const output = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2026-10-01', End: '2026-12-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
        },
        context(billing, PAYER.id),
      );
      const results = output.ResultsByTime as Array<{ Estimated: boolean }>;
      assert.deepEqual(
        results.map((r) => r.Estimated),
        [false, true],
      );
      assert.deepEqual(
        output.DimensionValueAttributes,
        [PAYER, ...MEMBERS].map((a) => ({ Value: a.id, Attributes: { description: a.name } })),
      );
    });

    it('a member of the organization sees only its own usage; the management account sees all', async () => {
      const org = { managementAccountId: PAYER.id, memberAccountIds: [PAYER.id, ...MEMBERS.map((m) => m.id)] };
      const scoped = { billing: new Billing(opened.db, opened.dialect, { organizationOf: async () => org }) };
      const ask = async (account: string) => {
        const out = await getCostAndUsage.handler(
          {
            TimePeriod: { Start: '2025-12-01', End: '2026-12-01' },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost'],
            GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
          },
          context(scoped.billing, account),
        );
        return new Set((out.ResultsByTime as Result[]).flatMap((r) => r.Groups.map((g) => g.Keys[0])));
      };
      assert.deepEqual(await ask(MEMBERS[0]!.id), new Set([MEMBERS[0]!.id]));
      assert.deepEqual(await ask(PAYER.id), new Set([PAYER.id, ...MEMBERS.map((m) => m.id)]));
      // Without an organization, an account that owns no data sees nothing.
      const out = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2025-12-01', End: '2026-12-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        },
        context(billing, MEMBERS[0]!.id),
      );
      assert.ok((out.ResultsByTime as Result[]).every((r) => r.Total.UnblendedCost!.Amount === '0'));
    });

    it('rejects bad requests with ValidationException and changed requests with RequestChangedException', async () => {
      const input = {
        TimePeriod: { Start: '2026-01-01', End: '2026-12-01' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION' as const, Key: 'SERVICE' }],
      };
      await assert.rejects(
        getCostAndUsage.handler(
          { ...input, TimePeriod: { Start: '2026-02-01', End: '2026-01-01' } },
          context(billing, PAYER.id),
        ),
        { code: 'ValidationException' },
      );
      await assert.rejects(getCostAndUsage.handler({ ...input, Metrics: ['Bogus'] }, context(billing, PAYER.id)), {
        code: 'ValidationException',
      });
      await assert.rejects(
        getCostAndUsage.handler(
          { ...input, Filter: { Dimensions: { Key: 'SERVICE', Values: ['x'] }, Tags: { Key: 'team', Values: ['x'] } } },
          context(billing, PAYER.id),
        ),
        { code: 'ValidationException' },
      );
      const first = await getCostAndUsage.handler(input, context(billing, PAYER.id));
      assert.equal(typeof first.NextPageToken, 'string');
      await assert.rejects(
        getCostAndUsage.handler(
          { ...input, Granularity: 'MONTHLY', NextPageToken: first.NextPageToken as string },
          context(billing, PAYER.id),
        ),
        { code: 'RequestChangedException' },
      );
    });

    it('GetDimensionValues and GetTags list what the data holds', async () => {
      const services = await getDimensionValues.handler(
        { TimePeriod: { Start: '2025-12-01', End: '2026-12-01' }, Dimension: 'SERVICE' },
        context(billing, PAYER.id),
      );
      const expected = [...new Set(items.map((i) => i.serviceName))].sort();
      assert.deepEqual((services.DimensionValues as Array<{ Value: string }>).map((v) => v.Value).sort(), expected);
      const keys = await getTags.handler(
        { TimePeriod: { Start: '2025-12-01', End: '2026-12-01' } },
        context(billing, PAYER.id),
      );
      assert.deepEqual(keys.Tags, ['env', 'team']);
      const envs = await getTags.handler(
        { TimePeriod: { Start: '2025-12-01', End: '2026-12-01' }, TagKey: 'env' },
        context(billing, PAYER.id),
      );
      assert.deepEqual(envs.Tags, ['', 'dev', 'prod', 'staging']);
    });

    it('GetCostForecast projects the trailing daily average with an interval around it', async () => {
      const out = await getCostForecast.handler(
        { TimePeriod: { Start: '2026-11-27', End: '2026-12-01' }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY' },
        context(billing, PAYER.id),
      );
      const days = out.ForecastResultsByTime as Array<{
        MeanValue: string;
        PredictionIntervalLowerBound: string;
        PredictionIntervalUpperBound: string;
      }>;
      assert.equal(days.length, 4);
      const history = expectedSum(
        (i) => i.chargePeriodStart >= '2026-10-28' && i.chargePeriodStart < '2026-11-27',
        () => 'all',
      );
      const mean = Number(history.get('all')) / 30;
      assert.ok(Math.abs(Number(days[0]!.MeanValue) - mean) < 0.01);
      for (const d of days)
        assert.ok(
          Number(d.PredictionIntervalLowerBound) <= Number(d.MeanValue) &&
            Number(d.MeanValue) <= Number(d.PredictionIntervalUpperBound),
        );
      await assert.rejects(
        getCostForecast.handler(
          { TimePeriod: { Start: '2026-01-01', End: '2026-02-01' }, Metric: 'UNBLENDED_COST', Granularity: 'MONTHLY' },
          context(billing, PAYER.id),
        ),
        { code: 'ValidationException' },
      );
    });
  });
}

/** Rows a file reader would insert with SQL: `[period, day, linked account, service, unblended money units]`. */
function stagedRows(rows: Array<[string, string, string, string, bigint]>): string {
  return rows
    .map(
      ([period, day, account, service, cost]) =>
        `('${period}', '${PAYER.id}', '${account}', '${service}', 'us-east-1', 'BoxUsage', 'RunInstances', 'Usage',
          '${day}T00:00:00Z', '${day}'::date, 'Usage', 'USD', map {'team': 'web'}, ${cost}, ${cost}, 1.5)`,
    )
    .join(', ');
}

/** A staging SELECT from `from` of every line item column (`values`' SQL where given, else NULL), none skipped. */
const stagingSelect = (values: Partial<Record<LineItemColumn, string>>, from: string) =>
  `select ${LINE_ITEM_COLUMNS.map(([name, type]) => `(${values[name] ?? 'null'})::${type} as ${name}`).join(', ')},
     null::varchar as skip_reason from ${from}`;

async function importStaged(target: Billing, rows: Array<[string, string, string, string, bigint]>, fail = false) {
  // The columns of `stagedRows`, in order.
  const given: LineItemColumn[] = [
    'billing_period',
    ...DIMENSION_COLUMNS,
    'charge_period_start',
    'usage_date',
    'charge_category',
    'currency',
    'tags',
    'unblended_cost',
    'amortized_cost',
    'usage_quantity',
  ];
  return target.store.importStaged(
    async ({ connection, stage }) => {
      const values = Object.fromEntries(given.map((name) => [name, `v.${name}`]));
      await connection.run(stage(stagingSelect(values, `(values ${stagedRows(rows)}) v(${given.join(', ')})`)).copy);
      if (fail) throw new Error('reader failed half way');
    },
    {
      ownerAccountId: PAYER.id,
      importId: 'staged',
      source: 'x.csv',
      format: 'focus',
      now: new Date('2026-11-27T00:00:00Z'),
    },
  );
}

for (const store of await testCostStores()) {
  describe(`importStaged: rows a file reader stages with SQL (${store.label})`, { skip: store.skip }, () => {
    let staged: { billing: Billing; opened: OpenedDatabase };
    before(async () => {
      staged = await openTestBilling(undefined, undefined, store.open);
      await activateTags(staged.billing, PAYER.id, ['team']);
    });
    after(async () => {
      await staged.billing.close();
      await staged.opened.close();
    });

    const monthly = async (target: Billing) => {
      const out = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2026-01-01', End: '2026-04-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost', 'UsageQuantity'],
          GroupBy: [{ Type: 'TAG', Key: 'team' }],
        },
        context(target, PAYER.id),
      );
      return (out.ResultsByTime as Result[]).map((r) => [
        r.TimePeriod.Start,
        ...r.Groups.map((g) => `${g.Keys[0]}=${g.Metrics.UnblendedCost!.Amount}/${g.Metrics.UsageQuantity!.Amount}`),
      ]);
    };

    it('stores every period, replaces a re-imported one, and a failed fill or bad period changes nothing', async () => {
      const { billing: target, opened: store } = staged;
      const big = 9_000_000_000_000_000_000n; // 900 million USD: past a float's exact range
      const first = await importStaged(target, [
        ['2026-01', '2026-01-05', MEMBERS[0]!.id, 'Amazon EC2', big],
        ['2026-01', '2026-01-06', MEMBERS[0]!.id, 'Amazon EC2', 3n],
        ['2026-02', '2026-02-01', MEMBERS[1]!.id, 'Amazon S3', 12_345_678_901n],
      ]);
      assert.deepEqual(first, {
        importId: 'staged',
        lineItems: 3,
        periods: [
          { billingPeriod: '2026-01', lineItems: 2, unblendedCost: '900000000.0000000003', replaced: false },
          { billingPeriod: '2026-02', lineItems: 1, unblendedCost: '1.2345678901', replaced: false },
        ],
      });
      const expected = [
        ['2026-01-01', 'team$web=900000000.0000000003/3'],
        ['2026-02-01', 'team$web=1.2345678901/1.5'],
        ['2026-03-01'],
      ];
      assert.deepEqual(await monthly(target), expected);
      // Another server on the same store loads the partitions from their Parquet blobs.
      const other = new Billing(store.db, store.dialect);
      assert.deepEqual(await monthly(other), expected);

      await assert.rejects(importStaged(target, [['2026-02', '2026-02-02', PAYER.id, 'Amazon S3', 1n]], true), {
        message: 'reader failed half way',
      });
      await assert.rejects(importStaged(target, [['2026-13', '2026-02-02', PAYER.id, 'Amazon S3', 1n]]), /YYYY-MM/);
      assert.deepEqual(await monthly(other), expected);

      const again = await importStaged(target, [['2026-02', '2026-02-03', PAYER.id, 'Amazon S3', 7n]]);
      assert.deepEqual(again.periods, [
        { billingPeriod: '2026-02', lineItems: 1, unblendedCost: '0.0000000007', replaced: true },
      ]);
      const replaced = [expected[0], ['2026-02-01', 'team$web=0.0000000007/1.5'], ['2026-03-01']];
      assert.deepEqual(await monthly(target), replaced);
      assert.deepEqual(await monthly(other), replaced);
      await other.close();
      const imports = await store.db
        .selectFrom('billing_import')
        .select(['billing_period', 'line_items', 'unblended_cost'])
        .orderBy('billing_period')
        .execute();
      assert.deepEqual(
        imports.map((r) => [r.billing_period, Number(r.line_items), r.unblended_cost]),
        [
          ['2026-01', 2, '900000000.0000000003'],
          ['2026-02', 1, '0.0000000007'],
        ],
      );
    });
  });
}

/** One line item of a member account's usage on `day` (a one-hour charge period), for the edge-case tests. */
const lineItem = (day: string, service: string, cost: bigint | number, extra: Partial<CostLineItem> = {}) =>
  ({
    billingAccountId: PAYER.id,
    subAccountId: MEMBERS[0]!.id,
    billingPeriodStart: `${day.slice(0, 7)}-01`,
    chargePeriodStart: `${day}T00:00:00Z`,
    chargePeriodEnd: `${day}T01:00:00Z`,
    chargeCategory: 'Usage',
    recordType: 'Usage',
    serviceName: service,
    regionId: 'eu-west-1',
    usageType: 'Requests',
    operation: 'Get',
    billedCost: cost,
    effectiveCost: cost,
    listCost: cost,
    blendedCost: cost,
    netUnblendedCost: cost,
    netAmortizedCost: cost,
    usageQuantity: 2.25,
    normalizedUsageAmount: 0,
    currency: 'USD',
    ...extra,
  }) satisfies CostLineItem;

describe('import of line item objects: NULL fields, amounts beyond a double, rows out of date order', () => {
  it('answers the same from the importing engine and from a fresh one reading the Parquet blobs', async () => {
    const { billing: target, opened: store } = await openTestBilling();
    const huge = 8_000_000_000_000_000_000n; // 800 million USD in money units: not exact as a double
    try {
      await target.store.import(
        [
          lineItem('2026-03-09', 'Amazon S3', huge, { tags: { team: 'data' }, resourceId: 'bucket-1' }),
          lineItem('2026-03-02', 'Amazon S3', huge, { tags: { team: 'data' } }),
          lineItem('2026-03-05', 'AWS Lambda', -1234, { tags: null, subAccountName: null, skuId: null }),
          lineItem('2026-03-05', 'AWS Lambda', 2 ** 40, { tags: {} }),
        ],
        { ownerAccountId: PAYER.id, importId: 'edge', source: 'test', format: 'demo', now: new Date() },
      );
      await activateTags(target, PAYER.id, ['team']);
      const ask = async (billing: Billing) => {
        const out = await getCostAndUsage.handler(
          {
            TimePeriod: { Start: '2026-03-01', End: '2026-04-01' },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost', 'UsageQuantity'],
            GroupBy: [
              { Type: 'DIMENSION', Key: 'SERVICE' },
              { Type: 'TAG', Key: 'team' },
            ],
          },
          context(billing, PAYER.id),
        );
        return (out.ResultsByTime as Result[])[0]!.Groups.map((g) => [
          ...g.Keys,
          g.Metrics.UnblendedCost!.Amount,
          g.Metrics.UsageQuantity!.Amount,
        ]);
      };
      const expected = [
        ['AWS Lambda', 'team$', formatMoney(2n ** 40n - 1234n), '4.5'],
        ['Amazon S3', 'team$data', formatMoney(2n * huge), '4.5'],
      ];
      assert.deepEqual(await ask(target), expected);
      const fresh = new Billing(store.db, store.dialect);
      assert.deepEqual(await ask(fresh), expected);
      const days = await getDimensionValues.handler(
        { TimePeriod: { Start: '2026-03-01', End: '2026-04-01' }, Dimension: 'SERVICE' },
        context(fresh, PAYER.id),
      );
      assert.deepEqual(
        (days.DimensionValues as Array<{ Value: string }>).map((v) => v.Value),
        ['AWS Lambda', 'Amazon S3'],
      );
      await fresh.close();
    } finally {
      await target.close();
      await store.close();
    }
  });
});

describe('rollup money columns: BIGINT where the sums fit, DECIMAL(38, 0) where one does not', () => {
  it('reads both kinds of part in one question, exactly', async () => {
    const { billing: target, opened: store } = await openTestBilling();
    const huge = 8_000_000_000_000_000_000n; // two of these in one group pass 2⁶³ money units
    const options = (importId: string) => ({
      ownerAccountId: PAYER.id,
      importId,
      source: 'test',
      format: 'demo',
      now: new Date(),
    });
    try {
      // Narrow first: without reading by name, DuckDB would take the first part's BIGINT for every part.
      await target.store.import([lineItem('2026-03-02', 'Amazon S3', 12_345)], options('narrow'));
      await target.store.import(
        [lineItem('2026-04-02', 'Amazon S3', huge), lineItem('2026-04-02', 'Amazon S3', huge)],
        options('wide'),
      );
      // What each month's svc_day part holds: March's sum fits a BIGINT, April's does not.
      const parts = await store.db
        .selectFrom('billing_cost_part')
        .select(['billing_period', 'blob_key'])
        .where('kind', '=', 'svc_day')
        .orderBy('billing_period')
        .execute();
      const lease = await target.engine.blobs.lease(parts.map((p) => p.blob_key));
      try {
        const types = await Promise.all(
          lease.files.map(async (file) => {
            const [row] = await target.engine.query(
              `select type, logical_type::varchar as logical from parquet_schema('${file}') where name = 'unblended_cost'`,
            );
            return `${String(row!.type)} ${String(row!.logical)}`;
          }),
        );
        assert.match(types[0]!, /^INT64/, 'March: BIGINT');
        assert.match(types[1]!, /DECIMAL.*precision=38/i, 'April: DECIMAL(38, 0)');
      } finally {
        lease.release();
      }
      const out = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2026-03-01', End: '2026-05-01' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        },
        context(target, PAYER.id),
      );
      const amounts = (out.ResultsByTime as Result[]).flatMap((r) =>
        r.Groups.map((g) => [r.TimePeriod.Start, g.Metrics.UnblendedCost!.Amount]),
      );
      assert.deepEqual(amounts, [
        ['2026-03-02', formatMoney(12_345n)],
        ['2026-04-02', formatMoney(2n * huge)],
      ]);
    } finally {
      await target.close();
      await store.close();
    }
  });
});

/**
 * Which kinds of part `billing`'s questions read since the last call, per billing period (`2026-03 tag_month`), from
 * the keys of the blobs leased (`costs/<owner>/<period>/<version>/<kind>-<part>.parquet`).
 */
const watchReads = (t: TestContext, billing: Billing) => {
  const read = t.mock.method(billing.engine.blobs, 'lease');
  return () => {
    const kinds = new Set(
      read.mock.calls.flatMap((call) =>
        call.arguments[0].map((key) => {
          const [, , period, , file] = key.split('/');
          return `${period} ${file!.replace(/-\d+\.parquet$/, '')}`;
        }),
      ),
    );
    read.mock.resetCalls();
    return kinds;
  };
};

describe('a tag key some imports lack', () => {
  const item = (day: string, cost: number, tags: Record<string, string> | null) =>
    lineItem(day, 'Amazon S3', cost, { tags });
  const options = (importId: string) => ({
    ownerAccountId: PAYER.id,
    importId,
    source: 'test',
    format: 'demo',
    now: new Date(),
  });

  it("puts those imports' cost under the key's empty value, as for rows without the key", async (t) => {
    const { billing: target, opened: store } = await openTestBilling();
    // Which parts each question reads: the tag rollup where every import in range holds the key, else line items.
    const kindsRead = watchReads(t, target);
    try {
      // March has the key; April's import has no tags at all; May's has only another key.
      await target.store.import([item('2026-03-03', 10_000_000_000, { team: 'data' }), item('2026-03-04', 5, null)], {
        ...options('march'),
      });
      await target.store.import([item('2026-04-02', 20_000_000_000, null)], options('april'));
      await target.store.import([item('2026-05-02', 30_000_000_000, { env: 'prod' })], options('may'));
      await activateTags(target, PAYER.id, ['team', 'env']);
      const grouped = async (
        granularity: string,
        groupBy: Array<{ Type: 'TAG' | 'DIMENSION'; Key: string }>,
        end = '2026-06-01',
      ) => {
        const out = await getCostAndUsage.handler(
          {
            TimePeriod: { Start: '2026-03-01', End: end },
            Granularity: granularity,
            Metrics: ['UnblendedCost'],
            GroupBy: groupBy,
          },
          context(target, PAYER.id),
        );
        const sums = new Map<string, bigint>();
        for (const r of out.ResultsByTime as Result[]) {
          for (const g of r.Groups) {
            const key = `${r.TimePeriod.Start.slice(0, 7)}|${g.Keys.at(-1)}`;
            sums.set(key, (sums.get(key) ?? 0n) + parseMoney(g.Metrics.UnblendedCost!.Amount)!);
          }
        }
        return sums;
      };
      const want = new Map([
        ['2026-03|team$data', 10_000_000_000n],
        ['2026-03|team$', 5n],
        ['2026-04|team$', 20_000_000_000n],
        ['2026-05|team$', 30_000_000_000n],
      ]);
      // Month and day grain, and a question only line items answer (a region beside the tag), agree; April and May
      // lack the key, so the first two read those months' line items beside March's tag rollup.
      const mixed = (rollup: string) => new Set([`2026-03 ${rollup}`, '2026-04 line_items', '2026-05 line_items']);
      assert.deepEqual(await grouped('MONTHLY', [{ Type: 'TAG', Key: 'team' }]), want);
      assert.deepEqual(kindsRead(), mixed('tag_month'));
      assert.deepEqual(await grouped('DAILY', [{ Type: 'TAG', Key: 'team' }]), want);
      assert.deepEqual(kindsRead(), mixed('tag_day'));
      assert.deepEqual(
        await grouped('MONTHLY', [
          { Type: 'DIMENSION', Key: 'REGION' },
          { Type: 'TAG', Key: 'team' },
        ]),
        want,
      );
      // March alone: its import holds the key, so the tag rollups answer, and alike.
      const march = new Map([...want].filter(([key]) => key.startsWith('2026-03')));
      kindsRead();
      assert.deepEqual(await grouped('MONTHLY', [{ Type: 'TAG', Key: 'team' }], '2026-04-01'), march);
      assert.deepEqual(kindsRead(), new Set(['2026-03 tag_month']));
      assert.deepEqual(await grouped('DAILY', [{ Type: 'TAG', Key: 'team' }], '2026-04-01'), march);
      assert.deepEqual(kindsRead(), new Set(['2026-03 tag_day']));
    } finally {
      await target.close();
      await store.close();
    }
  });

  it('lists the keys of tag parts written before keys were listed at start; until then line items answer', async (t) => {
    const { billing: target, opened: store } = await openTestBilling();
    const fresh = new Billing(store.db, store.dialect);
    const kindsRead = watchReads(t, fresh);
    const listed = () =>
      store.db.selectFrom('billing_cost_part_tag_key').select(['blob_key', 'tag_key']).orderBy('blob_key').execute();
    const byTeam = async () => {
      const out = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2026-03-01', End: '2026-04-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'TAG', Key: 'team' }],
        },
        context(fresh, PAYER.id),
      );
      return (out.ResultsByTime as Result[])[0]!.Groups.map((g) => [...g.Keys, g.Metrics.UnblendedCost!.Amount]);
    };
    try {
      await target.store.import(
        [item('2026-03-03', 10_000_000_000, { team: 'data', env: 'prod' }), item('2026-03-04', 5, null)],
        options('march'),
      );
      await activateTags(target, PAYER.id, ['team']);
      const written = await listed();
      // The day and month tag parts, each with both keys.
      assert.deepEqual(
        written.map((row) => `${row.blob_key.split('/').pop()} ${row.tag_key}`),
        ['tag_day-0.parquet env', 'tag_day-0.parquet team', 'tag_month-0.parquet env', 'tag_month-0.parquet team'],
      );
      const want = [
        ['team$', '0.0000000005'],
        ['team$data', '1'],
      ];
      // As a store migrated from before the keys were listed holds them: no rows.
      await store.db.deleteFrom('billing_cost_part_tag_key').execute();
      kindsRead();
      assert.deepEqual(await byTeam(), want);
      assert.deepEqual(kindsRead(), new Set(['2026-03 line_items']));
      assert.deepEqual(await fresh.start(), { backfilled: 0, tagKeysListed: 2, orphans: 0 });
      assert.deepEqual(await listed(), written);
      kindsRead();
      assert.deepEqual(await byTeam(), want);
      assert.deepEqual(kindsRead(), new Set(['2026-03 tag_month']));
      assert.equal((await fresh.start()).tagKeysListed, 0, 'listed once');
      // A part that cannot be read at start (its blob gone) stays unlisted without stopping the start; questions
      // on it are answered from the line items, alike.
      await store.db.deleteFrom('billing_cost_part_tag_key').execute();
      const monthPart = written.find((row) => row.blob_key.endsWith('/tag_month-0.parquet'))!.blob_key;
      await fresh.engine.blobs.delete(monthPart);
      assert.equal((await fresh.start()).tagKeysListed, 1);
      kindsRead();
      assert.deepEqual(await byTeam(), want);
      assert.deepEqual(kindsRead(), new Set(['2026-03 line_items']));
    } finally {
      await fresh.close();
      await target.close();
      await store.close();
    }
  });
});

describe('a period split over two import batches', () => {
  it("decides once per period: a period split over two batches follows its first batch's decision", async () => {
    const { billing: target, opened: store } = await openTestBilling();
    // 1,100,000 rows of March, staged as two files (983,040 rows a file), so two batches. The rows of the first
    // file are each of their own service (no rollup aggregates them); the rest are of one service (all would).
    const split = 983_040;
    const rows = 1_100_000;
    const cost = (i: number) => 1 + (i % 1000);
    const estimates = mock.method(target.engine, 'estimateRollups');
    try {
      await target.store.importStaged(
        async ({ connection, stage }) => {
          const values: Partial<Record<LineItemColumn, string>> = {
            billing_period: `'2026-03'`,
            payer_account_id: `'${PAYER.id}'`,
            linked_account_id: `'${MEMBERS[0]!.id}'`,
            service: `case when i < ${split} then 'Svc ' || i else 'Svc X' end`,
            record_type: `'Usage'`,
            charge_period_start: `strftime(date '2026-03-01' + (i % 28)::integer, '%Y-%m-%dT00:00:00Z')`,
            usage_date: `date '2026-03-01' + (i % 28)::integer`,
            charge_category: `'Usage'`,
            currency: `'USD'`,
            unblended_cost: `1 + i % 1000`,
          };
          await connection.run(stage(stagingSelect(values, `range(${rows}) t(i)`)).copy);
        },
        { ownerAccountId: PAYER.id, importId: 'split', source: 'x.csv', format: 'focus', now: new Date() },
      );
      const parts = await store.db
        .selectFrom('billing_cost_part')
        .select(['kind', 'line_items'])
        .where('billing_period', '=', '2026-03')
        .execute();
      const count = (kind: string) => parts.filter((part) => part.kind === kind).length;
      assert.equal(count('line_items'), 2, 'two batches');
      assert.equal(estimates.mock.callCount(), 1, 'the second batch, whose period has decided, is not estimated');
      // Either every batch wrote its svc_day part or none did (with the decision of the first, none).
      assert.equal(count('svc_day'), 0);
      const out = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2026-03-01', End: '2026-04-01' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
        },
        context(target, PAYER.id),
      );
      const sums = new Map<string, bigint>();
      for (let i = 0; i < rows; i++) {
        const day = `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`;
        sums.set(day, (sums.get(day) ?? 0n) + BigInt(cost(i)));
      }
      const answered = new Map(
        (out.ResultsByTime as Result[])
          .filter((r) => r.Total.UnblendedCost!.Amount !== '0')
          .map((r) => [r.TimePeriod.Start, r.Total.UnblendedCost!.Amount]),
      );
      assert.deepEqual(answered, new Map([...sums].map(([day, sum]) => [day, formatMoney(sum)])));
    } finally {
      estimates.mock.restore();
      await target.close();
      await store.close();
    }
  });
});

for (const costStore of await testCostStores(['sqlite, local blobs', 'postgres, s3 blobs'])) {
  describe(
    `periods some of whose rollups would barely aggregate (${costStore.label})`,
    { skip: costStore.skip },
    () => {
      it('keeps only the rollups that aggregate; questions read the line items of the other periods, and agree', async (t) => {
        const { billing: target, opened: store } = await openTestBilling(undefined, undefined, costStore.open);
        const kindsRead = watchReads(t, target);
        // 80,000 line items a month (enough for the month's decision), spread so that in March no rollup aggregates
        // (every (day, account, service) and (account, service) is nearly unique), in April only the month rollups
        // do (9,980 (account, service) pairs a month, but a day's 2,857 rows all distinct), and in May all do.
        const accounts = Array.from({ length: 20 }, (_, i) => String(700000000000 + i));
        const month = (period: string, services: number, sequence: number): CostLineItem[] =>
          Array.from({ length: 80_000 }, (_, i) =>
            lineItem(
              `${period}-${String(1 + Math.floor((i * 28) / 80_000)).padStart(2, '0')}`,
              `Svc ${i % services}`,
              1 + ((i * 7919 + sequence) % 100_000),
              {
                subAccountId: accounts[i % 20],
                tags: i % 4 === 0 ? null : { team: `t${i % 3}` },
              },
            ),
          );
        const items = [...month('2026-03', 4001, 1), ...month('2026-04', 499, 2), ...month('2026-05', 5, 3)];
        try {
          await target.store.import(items, {
            ownerAccountId: PAYER.id,
            importId: 'spread',
            source: 'test',
            format: 'demo',
            now: new Date(),
          });
          await activateTags(target, PAYER.id, ['team']);
          const parts = await store.db.selectFrom('billing_cost_part').select(['billing_period', 'kind']).execute();
          const kinds = (period: string) =>
            parts
              .filter((part) => part.billing_period === period)
              .map((part) => part.kind)
              .sort();
          assert.deepEqual(kinds('2026-03'), ['line_items']);
          assert.deepEqual(kinds('2026-04'), ['full_month', 'line_items', 'svc_month', 'tag_month']);
          assert.deepEqual(kinds('2026-05'), [
            'full_month',
            'line_items',
            'svc_day',
            'svc_month',
            'tag_day',
            'tag_month',
          ]);

          /** Every page's groups, `bucket|keys` → amount. */
          const answer = async (input: Record<string, unknown>) => {
            const out = new Map<string, string>();
            let token: string | undefined;
            do {
              const page = await getCostAndUsage.handler(
                {
                  TimePeriod: { Start: '2026-03-01', End: '2026-06-01' },
                  Metrics: ['UnblendedCost'],
                  ...input,
                  NextPageToken: token,
                },
                context(target, PAYER.id),
              );
              for (const r of page.ResultsByTime as Result[]) {
                for (const g of r.Groups)
                  out.set(`${r.TimePeriod.Start}|${g.Keys.join('|')}`, g.Metrics.UnblendedCost!.Amount);
              }
              token = page.NextPageToken as string | undefined;
            } while (token !== undefined);
            return out;
          };
          /** The same, summed here from the line items. */
          const summed = (bucket: (item: CostLineItem) => string, keys: (item: CostLineItem) => string[]) => {
            const sums = new Map<string, bigint>();
            for (const item of items) {
              const key = `${bucket(item)}|${keys(item).join('|')}`;
              sums.set(key, (sums.get(key) ?? 0n) + BigInt(item.billedCost));
            }
            return new Map([...sums].map(([key, sum]) => [key, formatMoney(sum)]));
          };
          const day = (item: CostLineItem) => item.chargePeriodStart.slice(0, 10);
          const monthOf = (item: CostLineItem) => `${item.chargePeriodStart.slice(0, 7)}-01`;
          const team = (item: CostLineItem) => `team$${item.tags?.team ?? ''}`;

          assert.deepEqual(
            await answer({ Granularity: 'MONTHLY', GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }),
            summed(monthOf, (item) => [item.serviceName]),
          );
          assert.deepEqual(kindsRead(), new Set(['2026-03 line_items', '2026-04 svc_month', '2026-05 svc_month']));
          assert.deepEqual(
            await answer({
              Granularity: 'DAILY',
              GroupBy: [
                { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
                { Type: 'TAG', Key: 'team' },
              ],
            }),
            summed(day, (item) => [item.subAccountId!, team(item)]),
          );
          assert.deepEqual(kindsRead(), new Set(['2026-03 line_items', '2026-04 line_items', '2026-05 tag_day']));
          assert.deepEqual(
            await answer({ Granularity: 'MONTHLY', GroupBy: [{ Type: 'TAG', Key: 'team' }] }),
            summed(monthOf, (item) => [team(item)]),
          );
          assert.deepEqual(kindsRead(), new Set(['2026-03 line_items', '2026-04 tag_month', '2026-05 tag_month']));
          assert.deepEqual(
            await answer({ Granularity: 'MONTHLY', GroupBy: [{ Type: 'DIMENSION', Key: 'REGION' }] }),
            summed(monthOf, (item) => [item.regionId!]),
          );
          assert.deepEqual(kindsRead(), new Set(['2026-03 line_items', '2026-04 full_month', '2026-05 full_month']));

          const period = { TimePeriod: { Start: '2026-03-01', End: '2026-06-01' } };
          const services = await getDimensionValues.handler(
            { ...period, Dimension: 'SERVICE' },
            context(target, PAYER.id),
          );
          assert.equal(services.TotalSize, 4001);
          assert.deepEqual(kindsRead(), new Set(['2026-03 line_items', '2026-04 line_items', '2026-05 svc_day']));
          const keys = await getTags.handler(period, context(target, PAYER.id));
          assert.deepEqual(keys.Tags, ['team']);
          const values = await getTags.handler({ ...period, TagKey: 'team' }, context(target, PAYER.id));
          assert.deepEqual(values.Tags, ['', 't0', 't1', 't2']);
          // A filter only the line items answer (a region) lists the same values, '' for the cost without the key.
          const filtered = await getTags.handler(
            { ...period, TagKey: 'team', Filter: { Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } } },
            context(target, PAYER.id),
          );
          assert.deepEqual(filtered.Tags, ['', 't0', 't1', 't2']);
        } finally {
          await target.close();
          await store.close();
        }
      });
    },
  );
}
