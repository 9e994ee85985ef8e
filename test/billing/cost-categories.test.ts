/**
 * Cost Explorer's cost categories through `@aws-sdk/client-cost-explorer`: Create/Describe/Update/Delete/
 * ListCostCategoryDefinitions, what AWS refuses (ValidationException, ResourceNotFoundException,
 * ServiceQuotaExceededException), and authorization as `ce:<Operation>` on the category's ARN.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CostExplorerClient,
  CreateCostCategoryDefinitionCommand,
  DeleteCostCategoryDefinitionCommand,
  DescribeCostCategoryDefinitionCommand,
  GetCostAndUsageCommand,
  GetTagsCommand,
  ListCostCategoryDefinitionsCommand,
  UpdateCostCategoryDefinitionCommand,
  type CostCategoryRule,
} from '@aws-sdk/client-cost-explorer';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';
import { activateEveryTag } from './helpers.js';

const ARN = new RegExp(
  `^arn:aws:ce::${ACCOUNT_ID}:costcategory/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
);
const CUR_PARQUET = '/work/shared/data/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet';
const RuleVersion = 'CostCategoryExpression.v1';
const monthStart = (date: Date) => `${date.toISOString().slice(0, 7)}-01T00:00:00Z`;

const teamRules: CostCategoryRule[] = [
  { Value: 'Storage', Rule: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Simple Storage Service'] } } },
  {
    Value: 'Platform',
    Rule: {
      Or: [
        { Tags: { Key: 'team', Values: ['platform'] } },
        { Dimensions: { Key: 'REGION', Values: ['eu-west-1'], MatchOptions: ['EQUALS'] } },
      ],
    },
  },
];

describe('Cost Explorer: cost categories', () => {
  let server: BursarServer;
  let ce: CostExplorerClient;

  before(async () => {
    server = await startServer();
    ce = new CostExplorerClient(clientConfig(server));
  });
  after(async () => {
    ce.destroy();
    await server.close();
  });

  it('creates, describes, lists, updates and deletes a category', async () => {
    const created = await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Teams',
        RuleVersion,
        Rules: teamRules,
        DefaultValue: 'Unallocated',
        ResourceTags: [{ Key: 'owner', Value: 'finance' }],
      }),
    );
    assert.match(created.CostCategoryArn!, ARN);
    assert.equal(created.EffectiveStart, monthStart(testNow()));

    const { CostCategory } = await ce.send(
      new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: created.CostCategoryArn }),
    );
    assert.equal(CostCategory!.Name, 'Teams');
    assert.equal(CostCategory!.CostCategoryArn, created.CostCategoryArn);
    assert.equal(CostCategory!.RuleVersion, RuleVersion);
    assert.deepEqual(CostCategory!.Rules, teamRules);
    assert.equal(CostCategory!.DefaultValue, 'Unallocated');
    assert.equal(CostCategory!.EffectiveStart, monthStart(testNow()));
    assert.deepEqual(CostCategory!.ProcessingStatus, [{ Component: 'COST_EXPLORER', Status: 'APPLIED' }]);

    // A rule may refer to another category of the account.
    const derived = await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Business units',
        RuleVersion,
        Rules: [{ Value: 'Engineering', Rule: { CostCategories: { Key: 'Teams', Values: ['Platform', 'Storage'] } } }],
      }),
    );

    const listed = await ce.send(new ListCostCategoryDefinitionsCommand({}));
    assert.deepEqual(
      listed.CostCategoryReferences!.map((r) => [r.Name, r.NumberOfRules, r.Values, r.DefaultValue]),
      [
        ['Business units', 1, ['Engineering'], undefined],
        ['Teams', 2, ['Storage', 'Platform'], 'Unallocated'],
      ],
    );
    const first = await ce.send(new ListCostCategoryDefinitionsCommand({ MaxResults: 1 }));
    assert.deepEqual(
      first.CostCategoryReferences!.map((r) => r.Name),
      ['Business units'],
    );
    const second = await ce.send(new ListCostCategoryDefinitionsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    assert.deepEqual(
      second.CostCategoryReferences!.map((r) => r.Name),
      ['Teams'],
    );
    assert.equal(second.NextToken, undefined);

    const newRules: CostCategoryRule[] = [
      {
        Value: 'Compute',
        Rule: { Not: { Dimensions: { Key: 'USAGE_TYPE', Values: ['TimedStorage'], MatchOptions: ['STARTS_WITH'] } } },
      },
      { Value: 'Platform', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT_ID] } } },
    ];
    const updated = await ce.send(
      new UpdateCostCategoryDefinitionCommand({
        CostCategoryArn: created.CostCategoryArn,
        RuleVersion,
        Rules: newRules,
      }),
    );
    assert.equal(updated.CostCategoryArn, created.CostCategoryArn);
    const after = (
      await ce.send(new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: created.CostCategoryArn }))
    ).CostCategory!;
    assert.equal(after.Name, 'Teams');
    assert.deepEqual(after.Rules, newRules);
    assert.equal(after.DefaultValue, undefined);

    // A category another one's rules refer to stays until that rule goes.
    await rejectsWith(
      ce.send(new DeleteCostCategoryDefinitionCommand({ CostCategoryArn: created.CostCategoryArn })),
      'ValidationException',
      400,
      /referenced by cost category Business units/,
    );
    const deleted = await ce.send(
      new DeleteCostCategoryDefinitionCommand({ CostCategoryArn: derived.CostCategoryArn }),
    );
    assert.equal(deleted.CostCategoryArn, derived.CostCategoryArn);
    assert.ok(deleted.EffectiveEnd);
    await ce.send(new DeleteCostCategoryDefinitionCommand({ CostCategoryArn: created.CostCategoryArn }));
    await rejectsWith(
      ce.send(new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: created.CostCategoryArn })),
      'ResourceNotFoundException',
      400,
    );
    assert.deepEqual((await ce.send(new ListCostCategoryDefinitionsCommand({}))).CostCategoryReferences, []);

    // The writes are audited under their own names; reads are not.
    const events = await server
      .world()
      .database.db.selectFrom('audit_events')
      .select('event_name')
      .where('event_name', 'like', '%CostCategoryDefinition')
      .execute();
    const names = new Set(events.map((e) => e.event_name));
    for (const name of ['Create', 'Update', 'Delete']) assert.ok(names.has(`${name}CostCategoryDefinition`), name);
  });

  it('refuses what AWS refuses', async () => {
    const create = (input: Partial<ConstructorParameters<typeof CreateCostCategoryDefinitionCommand>[0]>) =>
      ce.send(new CreateCostCategoryDefinitionCommand({ Name: 'Refused', RuleVersion, Rules: teamRules, ...input }));
    // The model's pattern, in AWS's wording (Java's `[\p{Z}-_]`: '-' and '_' themselves, not a range).
    const badName =
      /^1 validation error detected: Value '.*' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: /;
    const month = testNow().toISOString().slice(0, 7);
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ Name: ' leading space' }, badName],
      [{ Name: 'x'.repeat(51) }, /length less than or equal to 50/],
      [{ Name: 'bad/name' }, badName],
      [{ Rules: [] }, /length greater than or equal to 1/],
      [
        { Rules: [{ Value: 'A', Rule: { Dimensions: { Key: 'INSTANCE_TYPE', Values: ['t3.micro'] } } }] },
        /Dimension INSTANCE_TYPE is not supported/,
      ],
      [{ Rules: [{ Value: 'A', Rule: { Dimensions: { Key: 'SERVICE', Values: [] } } }] }, /Values is required/],
      [{ Rules: [{ Value: 'A' }] }, /needs a Rule expression/],
      [{ Rules: [{ Rule: { Tags: { Key: 'team', Values: ['x'] } } }] }, /A rule Value must be/],
      [
        {
          Rules: [
            {
              Value: 'A',
              Rule: { Tags: { Key: 'team', Values: ['x'] }, Dimensions: { Key: 'SERVICE', Values: ['y'] } },
            },
          ],
        },
        /more than one roots/,
      ],
      [{ Rules: [{ Value: 'A', Rule: { And: [{ Tags: { Key: 'team', Values: ['x'] } }] } }] }, /at least two operands/],
      [
        { Rules: [{ Value: 'A', Rule: { CostCategories: { Key: 'Nowhere', Values: ['x'] } } }] },
        /Cost category Nowhere does not exist/,
      ],
      [
        { Rules: [{ Value: 'A', Rule: { CostCategories: { Key: 'Refused', Values: ['x'] } } }] },
        /cannot refer to itself/,
      ],
      [{ DefaultValue: 'trailing ' }, /Value 'trailing ' at 'defaultValue' failed to satisfy constraint/],
      [{ EffectiveStart: '2020-01-01T00:00:00Z' }, /cannot be in the future or more than 12 months/],
      [{ EffectiveStart: `${month}-15T00:00:00Z` }, /first day of a month/],
      [{ SplitChargeRules: [{ Source: 'Storage', Targets: ['Elsewhere'], Method: 'EVEN' }] }, /distinct values/],
    ];
    for (const [input, message] of refused) {
      await rejectsWith(create(input as never), 'ValidationException', 400, message);
    }

    await create({ Name: 'Once' });
    await rejectsWith(create({ Name: 'Once' }), 'ValidationException', 400, /already exists/);

    const missing = `arn:aws:ce::${ACCOUNT_ID}:costcategory/00000000-0000-4000-8000-000000000000`;
    for (const command of [
      new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: missing }),
      new DeleteCostCategoryDefinitionCommand({ CostCategoryArn: missing }),
      new UpdateCostCategoryDefinitionCommand({ CostCategoryArn: missing, RuleVersion, Rules: teamRules }),
      new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: `arn:aws:ce::999999999999:costcategory/x` }),
    ]) {
      await rejectsWith(ce.send(command as never), 'ResourceNotFoundException', 400);
    }
    await rejectsWith(
      ce.send(new ListCostCategoryDefinitionsCommand({ NextToken: 'not-a-token' })),
      'ValidationException',
      400,
    );
  });

  it('allows 50 categories per account and refuses the 51st with ServiceQuotaExceededException', async () => {
    const existing = (await ce.send(new ListCostCategoryDefinitionsCommand({}))).CostCategoryReferences!.length;
    for (let i = existing; i < 50; i++) {
      await ce.send(new CreateCostCategoryDefinitionCommand({ Name: `Quota ${i}`, RuleVersion, Rules: teamRules }));
    }
    await rejectsWith(
      ce.send(new CreateCostCategoryDefinitionCommand({ Name: 'One too many', RuleVersion, Rules: teamRules })),
      'ServiceQuotaExceededException',
      400,
    );
    const all = await ce.send(new ListCostCategoryDefinitionsCommand({}));
    assert.equal(all.CostCategoryReferences!.length, 50);
    for (const reference of all.CostCategoryReferences!) {
      await ce.send(new DeleteCostCategoryDefinitionCommand({ CostCategoryArn: reference.CostCategoryArn }));
    }
  });

  it('authorizes as ce:<Operation> on the category ARN, Create and List on *', async () => {
    const { CostCategoryArn: allowed } = await ce.send(
      new CreateCostCategoryDefinitionCommand({ Name: 'Allowed', RuleVersion, Rules: teamRules }),
    );
    const { CostCategoryArn: hidden } = await ce.send(
      new CreateCostCategoryDefinitionCommand({ Name: 'Hidden', RuleVersion, Rules: teamRules }),
    );
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'CategoryReader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'CategoryReader',
        PolicyName: 'read-one',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ce:ListCostCategoryDefinitions', Resource: '*' },
            { Effect: 'Allow', Action: 'ce:DescribeCostCategoryDefinition', Resource: allowed },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'CategoryReader' }));
    iam.destroy();
    const reader = new CostExplorerClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    try {
      assert.equal(
        (await reader.send(new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: allowed }))).CostCategory!.Name,
        'Allowed',
      );
      assert.ok((await reader.send(new ListCostCategoryDefinitionsCommand({}))).CostCategoryReferences!.length >= 2);
      await rejectsWith(
        reader.send(new DescribeCostCategoryDefinitionCommand({ CostCategoryArn: hidden })),
        'AccessDeniedException',
        403,
        new RegExp(`ce:DescribeCostCategoryDefinition on resource: ${hidden!.replace(/[/]/g, '\\/')}`),
      );
      await rejectsWith(
        reader.send(new DeleteCostCategoryDefinitionCommand({ CostCategoryArn: allowed })),
        'AccessDeniedException',
        403,
        /ce:DeleteCostCategoryDefinition/,
      );
      await rejectsWith(
        reader.send(new CreateCostCategoryDefinitionCommand({ Name: 'Reader', RuleVersion, Rules: teamRules })),
        'AccessDeniedException',
        403,
        /ce:CreateCostCategoryDefinition on resource: \*/,
      );
    } finally {
      reader.destroy();
    }
  });
});

describe('Cost Explorer: cost categories in GetCostAndUsage', () => {
  let server: BursarServer;
  let ce: CostExplorerClient;
  const TimePeriod = { Start: '2018-10-01', End: '2018-11-01' };
  const S3 = 'Amazon Simple Storage Service';

  /** Exact decimal arithmetic over AWS's amounts, in 10⁻¹⁰ units. */
  const units = (amount: string) => {
    const [whole, fraction = ''] = amount.replace('-', '').split('.');
    const value = BigInt(whole!) * 10_000_000_000n + BigInt(fraction.padEnd(10, '0'));
    return amount.startsWith('-') ? -value : value;
  };

  const grouped = async (
    GroupBy: Array<{ Type: 'DIMENSION' | 'TAG' | 'COST_CATEGORY'; Key: string }>,
    Filter?: object,
  ) => {
    const out = await ce.send(
      new GetCostAndUsageCommand({ TimePeriod, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], GroupBy, Filter }),
    );
    return new Map(
      out.ResultsByTime![0]!.Groups!.map((g) => [g.Keys!.join('|'), units(g.Metrics!.UnblendedCost!.Amount!)]),
    );
  };
  const total = async (Filter?: object) => {
    const out = await ce.send(
      new GetCostAndUsageCommand({ TimePeriod, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], Filter }),
    );
    return units(out.ResultsByTime![0]!.Total!.UnblendedCost!.Amount!);
  };

  before(async () => {
    server = await startServer();
    ce = new CostExplorerClient(clientConfig(server));
    await importCostFiles(server.world().billing.store, CUR_PARQUET, {
      ownerAccountId: ACCOUNT_ID,
      importId: 'october-2018',
      now: testNow(),
    });
    await activateEveryTag(server.world().billing, ACCOUNT_ID, testNow());
  });
  after(async () => {
    ce.destroy();
    await server.close();
  });

  it('groups and filters by a category, evaluating its rules in order per line item', async () => {
    await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Kinds',
        RuleVersion,
        Rules: [
          { Value: 'Storage', Rule: { Dimensions: { Key: 'SERVICE', Values: [S3] } } },
          {
            Value: 'Compute',
            Rule: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute'], MatchOptions: ['STARTS_WITH'] } },
          },
          // Matches every line item: only what the rules above left reaches it, so the default is never used.
          { Value: 'Rest', Rule: { Not: { Dimensions: { Key: 'SERVICE', Values: ['no such service'] } } } },
        ],
        DefaultValue: 'Unreached',
      }),
    );
    const byService = await grouped([{ Type: 'DIMENSION', Key: 'SERVICE' }]);
    const sum = (pick: (service: string) => boolean) =>
      [...byService].filter(([service]) => pick(service)).reduce((a, [, v]) => a + v, 0n);
    const storage = sum((s) => s === S3);
    const compute = sum((s) => s.startsWith('Amazon Elastic Compute'));
    const all = await total();
    assert.ok(storage > 0n && compute > 0n && all > storage + compute, 'the sample has S3, EC2 and more');

    assert.deepEqual(
      await grouped([{ Type: 'COST_CATEGORY', Key: 'Kinds' }]),
      new Map([
        ['Kinds$Compute', compute],
        ['Kinds$Rest', all - storage - compute],
        ['Kinds$Storage', storage],
      ]),
    );
    assert.equal(await total({ CostCategories: { Key: 'Kinds', Values: ['Storage', 'Compute'] } }), storage + compute);

    // A category of categories, grouped with a dimension.
    await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Units',
        RuleVersion,
        Rules: [{ Value: 'Infra', Rule: { CostCategories: { Key: 'Kinds', Values: ['Storage', 'Compute'] } } }],
      }),
    );
    const units2 = await grouped([
      { Type: 'COST_CATEGORY', Key: 'Units' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ]);
    assert.equal(units2.get(`Units$Infra|${S3}`), storage);
    // With no DefaultValue, what no rule matches has the empty value, as an untagged TAG group does.
    assert.equal(
      [...units2].filter(([k]) => k.startsWith('Units$|')).reduce((a, [, v]) => a + v, 0n),
      all - storage - compute,
    );

    // Tag rules, and a value inherited from a tag, against the same tag's own groups.
    const { Tags } = await ce.send(new GetTagsCommand({ TimePeriod }));
    const tagKey = Tags!.find((key) => !key.startsWith('aws:'))!;
    const byTag = await grouped([{ Type: 'TAG', Key: tagKey }]);
    const [tagged, taggedAmount] = [...byTag].find(([k]) => !k.endsWith('$'))!;
    const tagValue = tagged.slice(tagKey.length + 1);
    await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Tagged',
        RuleVersion,
        Rules: [{ Value: 'Yes', Rule: { Tags: { Key: tagKey, Values: [tagValue] } } }],
        DefaultValue: 'No',
      }),
    );
    assert.deepEqual(
      await grouped([{ Type: 'COST_CATEGORY', Key: 'Tagged' }]),
      new Map([
        ['Tagged$No', all - taggedAmount],
        ['Tagged$Yes', taggedAmount],
      ]),
    );
    await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Inherited',
        RuleVersion,
        Rules: [{ Type: 'INHERITED_VALUE', InheritedValue: { DimensionName: 'TAG', DimensionKey: tagKey } }],
      }),
    );
    const inherited = await grouped([{ Type: 'COST_CATEGORY', Key: 'Inherited' }]);
    assert.deepEqual(
      [...inherited].map(([k, v]) => [k.slice('Inherited$'.length), v]),
      [...byTag].map(([k, v]) => [k.slice(tagKey.length + 1), v]),
    );

    await rejectsWith(
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod,
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'COST_CATEGORY', Key: 'Nowhere' }],
        }),
      ),
      'ValidationException',
      400,
      /Cost category Nowhere does not exist/,
    );
  });
});
