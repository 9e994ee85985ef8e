/**
 * Cost Explorer's value lists through `@aws-sdk/client-cost-explorer`, against sets and sums computed here from
 * the generator's rows: `Filter` on GetDimensionValues and GetTags (answered from a rollup, or from the line
 * items when the filter reads what the rollup lacks), GetCostCategories (names, values, SortBy, SearchString,
 * paging, Filter), and ListTagsForResource/TagResource/UntagResource on cost categories and anomaly monitors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CostExplorerClient,
  CreateAnomalyMonitorCommand,
  CreateCostCategoryDefinitionCommand,
  DeleteCostCategoryDefinitionCommand,
  DescribeCostCategoryDefinitionCommand,
  GetCostAndUsageCommand,
  GetCostCategoriesCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCostCategoryDefinitionCommand,
  type Expression,
} from '@aws-sdk/client-cost-explorer';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { formatMoney } from '../../src/billing/money.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith } from '../compat/harness.js';
import { testNow } from '../test-clock.js';
import { testCostStores } from './cost-stores.js';
import { activateEveryTag, costExplorerOver } from './helpers.js';

const MEMBER = { id: '444455556666', name: 'Analytics' };
const month = (back: number) => {
  const d = new Date(`${testNow().toISOString().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 10);
};
/** Last month, whole: every rollup answers it. */
const TimePeriod = { Start: month(1), End: month(0) };
const RuleVersion = 'CostCategoryExpression.v1';
const COMPUTE = 'Amazon Elastic Compute Cloud - Compute';

const items: CostLineItem[] = [
  ...generateDemoCosts({
    seed: 5,
    payer: { id: ACCOUNT_ID, name: 'Payer' },
    members: [MEMBER],
    startMonth: month(2).slice(0, 7),
    months: 2,
    targetRows: 3000,
  }),
];
const inPeriod = (item: CostLineItem) =>
  item.chargePeriodStart.slice(0, 10) >= TimePeriod.Start && item.chargePeriodStart.slice(0, 10) < TimePeriod.End;
const distinct = (pick: (item: CostLineItem) => string | undefined, keep: (item: CostLineItem) => boolean) =>
  [
    ...new Set(
      items
        .filter((i) => inPeriod(i) && keep(i))
        .map(pick)
        .filter((v): v is string => v !== undefined && v !== ''),
    ),
  ].sort();

for (const store of await testCostStores(['sqlite, local blobs', 'postgres, s3 blobs'])) {
  describe(
    `Cost Explorer: value lists, cost category values and resource tags (${store.label})`,
    { skip: store.skip },
    () => {
      let server: BursarServer;
      let ce: CostExplorerClient;
      let close: () => Promise<void>;

      before(async () => {
        ({ server, ce, close } = await costExplorerOver(items, await store.server()));
        await activateEveryTag(server.world().billing, ACCOUNT_ID, testNow());
      });
      after(() => close?.());

      const dimensionValues = async (Dimension: 'SERVICE' | 'REGION' | 'USAGE_TYPE', Filter?: Expression) =>
        (
          await ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension, Filter, MaxResults: 1000 }))
        ).DimensionValues!.map((v) => v.Value!);
      const tags = async (TagKey: string | undefined, Filter?: Expression) =>
        (await ce.send(new GetTagsCommand({ TimePeriod, TagKey, Filter }))).Tags!;

      it('filters GetDimensionValues by dimensions, tags and cost categories', async () => {
        const member = (i: CostLineItem) => i.subAccountId === MEMBER.id;
        const memberServices = await dimensionValues('SERVICE', {
          Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MEMBER.id] },
        });
        assert.deepEqual(
          memberServices,
          distinct((i) => i.serviceName, member),
        );
        assert.ok(memberServices.length > 0);

        // A tag filter with REGION: no rollup keeps both, so the line items answer.
        const platform = (i: CostLineItem) => i.tags?.team === 'platform';
        assert.deepEqual(
          await dimensionValues('REGION', { Tags: { Key: 'team', Values: ['platform'] } }),
          distinct((i) => i.regionId, platform),
        );
        assert.deepEqual(
          await dimensionValues('USAGE_TYPE', {
            And: [
              { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } },
              { Not: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MEMBER.id] } } },
            ],
          }),
          distinct(
            (i) => i.usageType,
            (i) => i.serviceName === COMPUTE && !member(i),
          ),
        );

        await ce.send(
          new CreateCostCategoryDefinitionCommand({
            Name: 'Owners',
            RuleVersion,
            Rules: [{ Value: 'Member', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MEMBER.id] } } }],
            DefaultValue: 'Payer',
          }),
        );
        assert.deepEqual(
          await dimensionValues('SERVICE', { CostCategories: { Key: 'Owners', Values: ['Member'] } }),
          memberServices,
        );

        await rejectsWith(
          ce.send(
            new GetDimensionValuesCommand({
              TimePeriod,
              Dimension: 'SERVICE',
              Filter: { Dimensions: { Key: 'SERVICE', Values: ['x'] }, Tags: { Key: 'team', Values: ['x'] } },
            }),
          ),
          'ValidationException',
          400,
          /more than one roots/,
        );
        await rejectsWith(
          ce.send(
            new GetDimensionValuesCommand({
              TimePeriod,
              Dimension: 'SERVICE',
              Filter: { CostCategories: { Key: 'Nothing', Values: ['x'] } },
            }),
          ),
          'ValidationException',
          400,
          /Cost category Nothing does not exist/,
        );
      });

      it('filters GetTags keys and values', async () => {
        const compute = (i: CostLineItem) => i.serviceName === COMPUTE;
        assert.deepEqual(
          await tags(undefined, { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } }),
          [...new Set(items.filter((i) => inPeriod(i) && compute(i)).flatMap((i) => Object.keys(i.tags ?? {})))].sort(),
        );
        // Values of one key where another tag has a value: the line items answer.
        const prod = (i: CostLineItem) => i.tags?.env === 'prod';
        assert.deepEqual(
          await tags('team', { Tags: { Key: 'env', Values: ['prod'] } }),
          distinct((i) => i.tags?.team, prod),
        );
        const euProd = (i: CostLineItem) => prod(i) && i.regionId.startsWith('eu-');
        assert.deepEqual(
          await tags('team', {
            And: [
              { Tags: { Key: 'env', Values: ['prod'] } },
              { Dimensions: { Key: 'REGION', Values: ['eu-'], MatchOptions: ['STARTS_WITH'] } },
            ],
          }),
          distinct((i) => i.tags?.team, euProd),
        );
        // SearchString still narrows a filtered answer.
        assert.deepEqual(
          (
            await ce.send(
              new GetTagsCommand({
                TimePeriod,
                TagKey: 'team',
                SearchString: 'PLAT',
                Filter: { Tags: { Key: 'env', Values: ['prod'] } },
              }),
            )
          ).Tags,
          distinct((i) => i.tags?.team, prod).filter((v) => v.includes('plat')),
        );
      });

      it('lists cost category names and values with SortBy, SearchString, paging and Filter', async () => {
        await ce.send(
          new CreateCostCategoryDefinitionCommand({
            Name: 'Kinds',
            RuleVersion,
            Rules: [
              { Value: 'Compute', Rule: { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } } },
              { Value: 'Storage', Rule: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Simple Storage Service'] } } },
              { Value: 'Unused', Rule: { Dimensions: { Key: 'SERVICE', Values: ['No such service'] } } },
            ],
            DefaultValue: 'Other',
          }),
        );
        const names = await ce.send(new GetCostCategoriesCommand({ TimePeriod }));
        // The categories apply from this month: last month has none of them.
        assert.deepEqual(names.CostCategoryNames, []);
        const thisMonth = {
          Start: month(0),
          End: new Date(Date.parse(month(0)) + 40 * 86_400_000).toISOString().slice(0, 10),
        };
        const current = await ce.send(new GetCostCategoriesCommand({ TimePeriod: thisMonth }));
        assert.deepEqual(current.CostCategoryNames, ['Kinds', 'Owners']);
        assert.equal(current.TotalSize, 2);
        const searched = await ce.send(new GetCostCategoriesCommand({ TimePeriod: thisMonth, SearchString: 'kin' }));
        assert.deepEqual(searched.CostCategoryNames, ['Kinds']);

        const units = (filter: (i: CostLineItem) => boolean) =>
          items.filter((i) => inPeriod(i) && filter(i)).reduce((a, i) => a + BigInt(i.billedCost), 0n);
        const byValue = new Map([
          ['Compute', units((i) => i.serviceName === COMPUTE)],
          ['Storage', units((i) => i.serviceName === 'Amazon Simple Storage Service')],
          ['Other', units((i) => i.serviceName !== COMPUTE && i.serviceName !== 'Amazon Simple Storage Service')],
        ]);
        const values = await ce.send(new GetCostCategoriesCommand({ TimePeriod, CostCategoryName: 'Kinds' }));
        assert.deepEqual(values.CostCategoryNames, ['Kinds']);
        // Values with cost in the range only: 'Unused' matches nothing.
        assert.deepEqual(values.CostCategoryValues, ['Compute', 'Other', 'Storage']);
        assert.equal(values.TotalSize, 3);
        const descending = await ce.send(
          new GetCostCategoriesCommand({
            TimePeriod,
            CostCategoryName: 'Kinds',
            SortBy: [{ Key: 'UnblendedCost', SortOrder: 'DESCENDING' }],
          }),
        );
        assert.deepEqual(
          descending.CostCategoryValues,
          [...byValue].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0)).map(([v]) => v),
        );
        const filtered = await ce.send(
          new GetCostCategoriesCommand({
            TimePeriod,
            CostCategoryName: 'Kinds',
            Filter: { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } },
          }),
        );
        assert.deepEqual(filtered.CostCategoryValues, ['Compute']);

        const first = await ce.send(
          new GetCostCategoriesCommand({ TimePeriod, CostCategoryName: 'Kinds', MaxResults: 2 }),
        );
        assert.deepEqual(first.CostCategoryValues, ['Compute', 'Other']);
        assert.equal(first.ReturnSize, 2);
        assert.equal(first.TotalSize, 3);
        const second = await ce.send(
          new GetCostCategoriesCommand({
            TimePeriod,
            CostCategoryName: 'Kinds',
            MaxResults: 2,
            NextPageToken: first.NextPageToken,
          }),
        );
        assert.deepEqual(second.CostCategoryValues, ['Storage']);
        assert.equal(second.NextPageToken, undefined);

        const missing = await ce.send(new GetCostCategoriesCommand({ TimePeriod, CostCategoryName: 'Missing' }));
        assert.deepEqual([missing.CostCategoryValues, missing.TotalSize], [[], 0]);
        await rejectsWith(
          ce.send(new GetCostCategoriesCommand({ TimePeriod, CostCategoryName: 'Kinds', SortBy: [{ Key: 'Bytes' }] })),
          'ValidationException',
          400,
          /Invalid metric name: Bytes/,
        );
        await rejectsWith(
          ce.send(new GetCostCategoriesCommand({ TimePeriod, MaxResults: 1001 })),
          'ValidationException',
          400,
        );
        await rejectsWith(
          ce.send(new GetCostCategoriesCommand({ TimePeriod: { Start: TimePeriod.End, End: TimePeriod.Start } })),
          'ValidationException',
          400,
        );
      });

      it('applies each version of a cost category from its EffectiveStart', async () => {
        const S3 = 'Amazon Simple Storage Service';
        const earlier = { Start: month(2), End: month(1) };
        const { CostCategoryArn } = await ce.send(
          new CreateCostCategoryDefinitionCommand({
            Name: 'Versions',
            RuleVersion,
            EffectiveStart: `${month(2)}T00:00:00Z`,
            Rules: [{ Value: 'Compute', Rule: { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } } }],
            DefaultValue: 'Other',
          }),
        );
        const updated = await ce.send(
          new UpdateCostCategoryDefinitionCommand({
            CostCategoryArn,
            RuleVersion,
            EffectiveStart: `${month(1)}T00:00:00Z`,
            Rules: [{ Value: 'Storage', Rule: { Dimensions: { Key: 'SERVICE', Values: [S3] } } }],
            DefaultValue: 'Other',
          }),
        );
        assert.equal(updated.EffectiveStart, `${month(1)}T00:00:00Z`);
        const inRange = (range: { Start: string; End: string }) => (i: CostLineItem) =>
          i.chargePeriodStart.slice(0, 10) >= range.Start && i.chargePeriodStart.slice(0, 10) < range.End;
        const expected = (range: { Start: string; End: string }, valueOf: (i: CostLineItem) => string) =>
          new Map(
            [
              ...items
                .filter(inRange(range))
                .reduce(
                  (m, i) => m.set(valueOf(i), (m.get(valueOf(i)) ?? 0n) + BigInt(i.billedCost)),
                  new Map<string, bigint>(),
                ),
            ].map(([k, v]) => [`Versions$${k}`, formatMoney(v)]),
          );
        const grouped = async (Granularity: 'MONTHLY' | 'DAILY', range: { Start: string; End: string }) => {
          const out = await ce.send(
            new GetCostAndUsageCommand({
              TimePeriod: range,
              Granularity,
              Metrics: ['UnblendedCost'],
              GroupBy: [{ Type: 'COST_CATEGORY', Key: 'Versions' }],
            }),
          );
          return out.ResultsByTime!.map(
            (r) => new Map(r.Groups!.map((g) => [g.Keys![0]!, g.Metrics!.UnblendedCost!.Amount!])),
          );
        };
        const first = (i: CostLineItem) => (i.serviceName === COMPUTE ? 'Compute' : 'Other');
        const second = (i: CostLineItem) => (i.serviceName === S3 ? 'Storage' : 'Other');
        assert.deepEqual(await grouped('MONTHLY', { Start: month(2), End: month(0) }), [
          expected(earlier, first),
          expected(TimePeriod, second),
        ]);
        // Across the boundary by day: the last day of the earlier month under the first rules, the next under the new.
        const lastDay = new Date(Date.parse(month(1)) - 86_400_000).toISOString().slice(0, 10);
        const nextDay = new Date(Date.parse(month(1)) + 86_400_000).toISOString().slice(0, 10);
        assert.deepEqual(await grouped('DAILY', { Start: lastDay, End: nextDay }), [
          expected({ Start: lastDay, End: month(1) }, first),
          expected({ Start: month(1), End: nextDay }, second),
        ]);
        assert.deepEqual(
          (
            await ce.send(
              new GetCostCategoriesCommand({
                TimePeriod: { Start: month(2), End: month(0) },
                CostCategoryName: 'Versions',
              }),
            )
          ).CostCategoryValues,
          ['Compute', 'Other', 'Storage'],
        );

        // Describe answers the version in force now, or on EffectiveOn.
        const now = await ce.send(new DescribeCostCategoryDefinitionCommand({ CostCategoryArn }));
        assert.equal(now.CostCategory!.EffectiveStart, `${month(1)}T00:00:00Z`);
        assert.equal(now.CostCategory!.EffectiveEnd, undefined);
        assert.equal(now.CostCategory!.Rules![0]!.Value, 'Storage');
        const then = await ce.send(
          new DescribeCostCategoryDefinitionCommand({ CostCategoryArn, EffectiveOn: `${lastDay}T12:00:00Z` }),
        );
        assert.equal(then.CostCategory!.EffectiveStart, `${month(2)}T00:00:00Z`);
        assert.equal(then.CostCategory!.EffectiveEnd, `${month(1)}T00:00:00Z`);
        assert.equal(then.CostCategory!.Rules![0]!.Value, 'Compute');
        await rejectsWith(
          ce.send(new DescribeCostCategoryDefinitionCommand({ CostCategoryArn, EffectiveOn: '2026-13-45T00:00:00Z' })),
          'ValidationException',
          400,
          /EffectiveOn/,
        );

        // An update from an earlier month replaces every version from then on.
        await ce.send(
          new UpdateCostCategoryDefinitionCommand({
            CostCategoryArn,
            RuleVersion,
            EffectiveStart: `${month(2)}T00:00:00Z`,
            Rules: [{ Value: 'Storage', Rule: { Dimensions: { Key: 'SERVICE', Values: [S3] } } }],
            DefaultValue: 'Other',
          }),
        );
        assert.deepEqual(await grouped('MONTHLY', { Start: month(2), End: month(0) }), [
          expected(earlier, second),
          expected(TimePeriod, second),
        ]);
        await ce.send(new DeleteCostCategoryDefinitionCommand({ CostCategoryArn }));
      });

      it('tags, lists and untags cost categories and anomaly monitors, with AWS limits', async () => {
        const { CostCategoryArn } = await ce.send(
          new CreateCostCategoryDefinitionCommand({
            Name: 'Tagged',
            RuleVersion,
            Rules: [{ Value: 'All', Rule: { Not: { Dimensions: { Key: 'SERVICE', Values: ['x'] } } } }],
            ResourceTags: [{ Key: 'owner', Value: 'finance' }],
          }),
        );
        const { MonitorArn } = await ce.send(
          new CreateAnomalyMonitorCommand({
            AnomalyMonitor: { MonitorName: 'Services', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
          }),
        );
        const list = async (ResourceArn: string) =>
          (await ce.send(new ListTagsForResourceCommand({ ResourceArn }))).ResourceTags;
        assert.deepEqual(await list(CostCategoryArn!), [{ Key: 'owner', Value: 'finance' }]);
        assert.deepEqual(await list(MonitorArn!), []);

        await ce.send(
          new TagResourceCommand({
            ResourceArn: CostCategoryArn,
            ResourceTags: [
              { Key: 'owner', Value: 'fpa' },
              { Key: 'env', Value: 'prod' },
            ],
          }),
        );
        assert.deepEqual(await list(CostCategoryArn!), [
          { Key: 'owner', Value: 'fpa' },
          { Key: 'env', Value: 'prod' },
        ]);
        await ce.send(
          new TagResourceCommand({ ResourceArn: MonitorArn, ResourceTags: [{ Key: 'team', Value: 'ops' }] }),
        );
        assert.deepEqual(await list(MonitorArn!), [{ Key: 'team', Value: 'ops' }]);
        await ce.send(new UntagResourceCommand({ ResourceArn: CostCategoryArn, ResourceTagKeys: ['owner', 'absent'] }));
        assert.deepEqual(await list(CostCategoryArn!), [{ Key: 'env', Value: 'prod' }]);

        const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
        await rejectsWith(
          ce.send(new TagResourceCommand({ ResourceArn: CostCategoryArn, ResourceTags: fifty })),
          'TooManyTagsException',
          400,
          /at most 50/,
        );
        assert.deepEqual(
          await list(CostCategoryArn!),
          [{ Key: 'env', Value: 'prod' }],
          'a refused call changes nothing',
        );
        await rejectsWith(
          ce.send(new TagResourceCommand({ ResourceArn: MonitorArn, ResourceTags: [{ Key: 'aws:cost', Value: 'x' }] })),
          'ValidationException',
          400,
          /reserved/,
        );
        const unknown = `arn:aws:ce::${ACCOUNT_ID}:costcategory/00000000-0000-4000-8000-000000000000`;
        await rejectsWith(
          ce.send(new ListTagsForResourceCommand({ ResourceArn: unknown })),
          'ResourceNotFoundException',
          400,
        );
        await rejectsWith(
          ce.send(
            new TagResourceCommand({ ResourceArn: `arn:aws:ce::999999999999:anomalymonitor/abc`, ResourceTags: [] }),
          ),
          'ResourceNotFoundException',
          400,
        );

        await rejectsWith(
          ce.send(
            new CreateCostCategoryDefinitionCommand({
              Name: 'Overtagged',
              RuleVersion,
              Rules: [{ Value: 'All', Rule: { Not: { Dimensions: { Key: 'SERVICE', Values: ['x'] } } } }],
              ResourceTags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
            }),
          ),
          'TooManyTagsException',
          400,
        );

        const iam = new IAMClient(clientConfig(server));
        await iam.send(new CreateUserCommand({ UserName: 'Tagger' }));
        await iam.send(
          new PutUserPolicyCommand({
            UserName: 'Tagger',
            PolicyName: 'tag-monitor',
            PolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['ce:TagResource', 'ce:ListTagsForResource'],
                  Resource: MonitorArn,
                  Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
                },
              ],
            }),
          }),
        );
        const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'Tagger' }));
        iam.destroy();
        const tagger = new CostExplorerClient(
          clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
        );
        try {
          await tagger.send(
            new TagResourceCommand({ ResourceArn: MonitorArn, ResourceTags: [{ Key: 'team', Value: 'sre' }] }),
          );
          assert.deepEqual(await list(MonitorArn!), [{ Key: 'team', Value: 'sre' }]);
          await rejectsWith(
            tagger.send(
              new TagResourceCommand({ ResourceArn: MonitorArn, ResourceTags: [{ Key: 'cost', Value: 'x' }] }),
            ),
            'AccessDeniedException',
            403,
            /ce:TagResource/,
          );
          await rejectsWith(
            tagger.send(new ListTagsForResourceCommand({ ResourceArn: CostCategoryArn })),
            'AccessDeniedException',
            403,
            new RegExp(`ce:ListTagsForResource on resource: ${CostCategoryArn!.replace(/[/]/g, '\\/')}`),
          );
        } finally {
          tagger.destroy();
        }
      });
    },
  );
}
