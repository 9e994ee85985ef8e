/**
 * AWS Budgets' current model through `@aws-sdk/client-budgets`: resource tags (CreateBudget's ResourceTags,
 * ListTagsForResource — which Terraform's aws_budgets_budget reads on every refresh — TagResource, UntagResource)
 * with their authorization, and the FilterExpression and Metrics members, kept and applied to the spend (a tag
 * filter reading only active cost allocation tags).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BudgetsClient,
  CreateBudgetCommand,
  DescribeBudgetCommand,
  DescribeBudgetNotificationsForAccountCommand,
  DescribeBudgetsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Budget,
} from '@aws-sdk/client-budgets';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { costAllocationTags } from '../../src/billing/costs/cost-allocation-tags.js';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';
import { activateTags } from './helpers.js';

const CUR_PARQUET = '/work/shared/data/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet';
const OCTOBER_TOTAL = '279.6833821345';
const AccountId = ACCOUNT_ID;
const arnOf = (name: string) => `arn:aws:budgets::${ACCOUNT_ID}:budget/${name}`;

const october = (name: string, extra: Partial<Budget> = {}): Budget => ({
  BudgetName: name,
  BudgetType: 'COST',
  TimeUnit: 'CUSTOM',
  BudgetLimit: { Amount: '300', Unit: 'USD' },
  TimePeriod: { Start: new Date('2018-10-01T00:00:00Z'), End: new Date('2018-11-01T00:00:00Z') },
  ...extra,
});

describe('Budgets: resource tags, FilterExpression and Metrics', () => {
  let server: BursarServer;
  let budgets: BudgetsClient;

  before(async () => {
    server = await startServer();
    budgets = new BudgetsClient(clientConfig(server));
    await importCostFiles(server.world().billing.store, CUR_PARQUET, {
      ownerAccountId: ACCOUNT_ID,
      importId: 'october-2018',
      now: testNow(),
    });
  });
  after(async () => {
    budgets.destroy();
    await server.close();
  });

  it('keeps ResourceTags from CreateBudget, and lists, sets and removes tags on the budget ARN', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: october('tagged'),
        ResourceTags: [{ Key: 'team', Value: 'finance' }],
      }),
    );
    const list = async () =>
      (await budgets.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('tagged') }))).ResourceTags;
    assert.deepEqual(await list(), [{ Key: 'team', Value: 'finance' }]);
    await budgets.send(
      new TagResourceCommand({
        ResourceARN: arnOf('tagged'),
        ResourceTags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'env', Value: 'ci' },
        ],
      }),
    );
    assert.deepEqual(await list(), [
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'ci' },
    ]);
    await budgets.send(new UntagResourceCommand({ ResourceARN: arnOf('tagged'), ResourceTagKeys: ['team', 'none'] }));
    assert.deepEqual(await list(), [{ Key: 'env', Value: 'ci' }]);

    await budgets.send(new CreateBudgetCommand({ AccountId, Budget: october('untagged') }));
    assert.deepEqual(
      (await budgets.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('untagged') }))).ResourceTags,
      [],
    );
  });

  it('refuses what Budgets refuses: unknown budgets, bad ARNs, aws: keys, more than 50 tags', async () => {
    await rejectsWith(
      budgets.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('missing') })),
      'NotFoundException',
      400,
      /missing - the budget doesn't exist/,
    );
    await rejectsWith(
      budgets.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:s3:::bucket' })),
      'InvalidParameterException',
      400,
      /Invalid resource ARN/,
    );
    await rejectsWith(
      budgets.send(
        new TagResourceCommand({ ResourceARN: arnOf('tagged'), ResourceTags: [{ Key: 'aws:owner', Value: 'x' }] }),
      ),
      'InvalidParameterException',
      400,
      /reserves/,
    );
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(
      budgets.send(new TagResourceCommand({ ResourceARN: arnOf('tagged'), ResourceTags: many })),
      'ServiceQuotaExceededException',
      400,
      /at most 50 tags/,
    );
    await rejectsWith(
      budgets.send(
        new CreateBudgetCommand({ AccountId, Budget: october('too-many'), ResourceTags: [...many, many[0]!] }),
      ),
      'InvalidParameterException',
      400,
    );
    await rejectsWith(
      budgets.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:budgets::999988887777:budget/tagged' })),
      'AccessDeniedException',
      403,
      /budgets:ListTagsForResource on resource: arn:aws:budgets::999988887777:budget\/tagged/,
    );
  });

  it('authorizes tag calls as budgets:… on the budget, CreateBudget with tags as budgets:TagResource too', async () => {
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'BudgetEditor' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'BudgetEditor',
        PolicyName: 'budgets-no-tags',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['budgets:ModifyBudget', 'budgets:ViewBudget'], Resource: '*' },
            { Effect: 'Allow', Action: 'budgets:ListTagsForResource', Resource: arnOf('tagged') },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'BudgetEditor' }));
    iam.destroy();
    const editor = new BudgetsClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    try {
      await editor.send(new CreateBudgetCommand({ AccountId, Budget: october('editor-plain') }));
      await rejectsWith(
        editor.send(
          new CreateBudgetCommand({
            AccountId,
            Budget: october('editor-tagged'),
            ResourceTags: [{ Key: 'team', Value: 'x' }],
          }),
        ),
        'AccessDeniedException',
        403,
        /budgets:TagResource on resource: arn:aws:budgets::\d{12}:budget\/editor-tagged/,
      );
      assert.deepEqual(
        (await editor.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('tagged') }))).ResourceTags,
        [{ Key: 'env', Value: 'ci' }],
      );
      await rejectsWith(
        editor.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('editor-plain') })),
        'AccessDeniedException',
        403,
        /budgets:ListTagsForResource/,
      );
      await rejectsWith(
        editor.send(new UntagResourceCommand({ ResourceARN: arnOf('tagged'), ResourceTagKeys: ['env'] })),
        'AccessDeniedException',
        403,
        /budgets:UntagResource/,
      );
    } finally {
      editor.destroy();
    }
  });

  it('keeps FilterExpression and Metrics, shows the expression when asked, and measures spend through it', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: october('filtered', {
          FilterExpression: { Dimensions: { Key: 'SERVICE', Values: ['No Such Service'] } },
          Metrics: ['UnblendedCost'],
        }),
      }),
    );
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: october('everything-but', {
          FilterExpression: { Not: { Dimensions: { Key: 'SERVICE', Values: ['No Such Service'] } } },
        }),
      }),
    );
    const plain = (await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'filtered' }))).Budget!;
    assert.equal(plain.FilterExpression, undefined);
    assert.deepEqual(plain.Metrics, ['UnblendedCost']);
    assert.equal(plain.CalculatedSpend!.ActualSpend!.Amount, '0');
    const shown = (
      await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'filtered', ShowFilterExpression: true }))
    ).Budget!;
    assert.deepEqual(shown.FilterExpression, { Dimensions: { Key: 'SERVICE', Values: ['No Such Service'] } });
    const all = await budgets.send(new DescribeBudgetsCommand({ AccountId, ShowFilterExpression: true }));
    const but = all.Budgets!.find((b) => b.BudgetName === 'everything-but')!;
    assert.deepEqual(but.FilterExpression, { Not: { Dimensions: { Key: 'SERVICE', Values: ['No Such Service'] } } });
    assert.equal(but.CalculatedSpend!.ActualSpend!.Amount, OCTOBER_TOTAL);

    await rejectsWith(
      budgets.send(
        new CreateBudgetCommand({
          AccountId,
          Budget: october('two-roots', {
            FilterExpression: {
              Dimensions: { Key: 'SERVICE', Values: ['a'] },
              Tags: { Key: 'team', Values: ['b'] },
            },
          }),
        }),
      ),
      'InvalidParameterException',
      400,
      /more than one roots/,
    );
    await rejectsWith(
      budgets.send(
        new CreateBudgetCommand({
          AccountId,
          Budget: october('keyless', { FilterExpression: { And: [{ Tags: { Values: ['b'] } }] } }),
        }),
      ),
      'InvalidParameterException',
      400,
      /needs a Key/,
    );
  });

  it('measures a tag filter only once its key is an active cost allocation tag', async () => {
    const billing = server.world().billing;
    const key = [...(await costAllocationTags(billing, ACCOUNT_ID, testNow())).keys()].find(
      (tag) => !tag.startsWith('aws:'),
    )!;
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: october('by-tag', { FilterExpression: { Not: { Tags: { Key: key, MatchOptions: ['ABSENT'] } } } }),
      }),
    );
    const spend = async () =>
      Number(
        (await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'by-tag' }))).Budget!.CalculatedSpend!
          .ActualSpend!.Amount,
      );
    // Inactive, the key is absent from every line item, as in Cost Explorer.
    assert.equal(await spend(), 0);
    await activateTags(billing, ACCOUNT_ID, [key], testNow());
    const tagged = await spend();
    assert.ok(tagged > 0 && tagged < Number(OCTOBER_TOTAL), `${key}: ${tagged}`);
  });

  it('DescribeBudgetNotificationsForAccount lists the budgets with notifications, each with their states', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: october('alerting'),
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
          },
        ],
      }),
    );
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: october('alerting-too', { BudgetLimit: { Amount: '1000', Unit: 'USD' } }),
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 50 },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
          },
        ],
      }),
    );
    const first = await budgets.send(new DescribeBudgetNotificationsForAccountCommand({ AccountId, MaxResults: 1 }));
    // 279.68 > 80 % of 300; under 50 % of 1000.
    assert.deepEqual(first.BudgetNotificationsForAccount, [
      {
        BudgetName: 'alerting',
        Notifications: [
          {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 80,
            ThresholdType: 'PERCENTAGE',
            NotificationState: 'ALARM',
          },
        ],
      },
    ]);
    const rest = await budgets.send(
      new DescribeBudgetNotificationsForAccountCommand({ AccountId, MaxResults: 1000, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      rest.BudgetNotificationsForAccount!.map((b) => [b.BudgetName, b.Notifications![0]!.NotificationState]),
      [['alerting-too', 'OK']],
    );
    assert.equal(rest.NextToken, undefined);
    await rejectsWith(
      budgets.send(new DescribeBudgetNotificationsForAccountCommand({ AccountId, NextToken: 'bogus' })),
      'InvalidNextTokenException',
      400,
    );
  });
});
