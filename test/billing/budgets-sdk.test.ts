/**
 * AWS Budgets through the real `@aws-sdk/client-budgets` against a server started here, over one month of CUR
 * data (October 2018, 279.6833821345 USD unblended): custom and every recurring period, the performance history,
 * notification and subscriber changes, and AWS's error shapes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BudgetsClient,
  CreateBudgetCommand,
  CreateNotificationCommand,
  CreateSubscriberCommand,
  DeleteSubscriberCommand,
  DescribeBudgetCommand,
  DescribeBudgetPerformanceHistoryCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  DuplicateRecordException,
  InvalidParameterException,
  NotFoundException,
  TimeUnit,
  UpdateBudgetCommand,
  UpdateNotificationCommand,
  UpdateSubscriberCommand,
  type Budget,
  type Notification,
} from '@aws-sdk/client-budgets';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import { serviceModels } from '../../src/models/services/index.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const CUR_PARQUET = '/work/shared/data/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet';
const OCTOBER_TOTAL = '279.6833821345';
const AccountId = ACCOUNT_ID;
type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

const cost = (name: string, timeUnit: Budget['TimeUnit'], start: string, end?: string): Budget => ({
  BudgetName: name,
  BudgetType: 'COST',
  TimeUnit: timeUnit,
  BudgetLimit: { Amount: '300', Unit: 'USD' },
  TimePeriod: { Start: new Date(start), ...(end !== undefined ? { End: new Date(end) } : {}) },
});
const ACTUAL_80: Notification = { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 };
const email = (Address: string) => ({ SubscriptionType: 'EMAIL' as const, Address });

describe('Budgets through the AWS SDK: periods, history, notifications and subscribers', () => {
  let server: BursarServer;
  let budgets: BudgetsClient;

  before(async () => {
    server = await startServer();
    budgets = new BudgetsClient(clientConfig(server));
    // Straight into the server's store: `bursar import --endpoint` (tested in sdk.test.ts) signs by the machine's
    // clock, which a server on a shifted test clock refuses.
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

  it("the pinned SDK's TimeUnit enum includes CUSTOM", () => {
    assert.equal(TimeUnit.CUSTOM, 'CUSTOM');
  });

  it("refuses what Budgets' model refuses before any rule of its own, and keeps nothing", async () => {
    const refused = async (budget: Budget, message: string) => {
      await assert.rejects(budgets.send(new CreateBudgetCommand({ AccountId, Budget: budget })), (e: AwsError) => {
        assert.equal(e.name, 'ValidationException', e.message);
        assert.equal(e.$metadata?.httpStatusCode, 400);
        assert.equal(e.message, message);
        return true;
      });
    };
    await refused(
      { ...cost('weekly', 'MONTHLY', '2018-10-01T00:00:00Z'), TimeUnit: 'WEEKLY' as TimeUnit },
      "1 validation error detected: Value 'WEEKLY' at 'budget.timeUnit' failed to satisfy constraint: Member must satisfy enum value set: [DAILY, MONTHLY, QUARTERLY, ANNUALLY, CUSTOM]",
    );
    await assert.rejects(
      budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'weekly' })),
      NotFoundException,
    );
    // The name's pattern, Java's `(?i)` and all: no ':' or '\\'.
    const { pattern } = serviceModels.budgets!.shapes.BudgetName!;
    for (const name of ['team:ec2', 'team\\ec2']) {
      await refused(
        cost(name, 'MONTHLY', '2018-10-01T00:00:00Z'),
        `1 validation error detected: Value '${name}' at 'budget.budgetName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
      );
    }
  });

  it('a CUSTOM budget needs a start and an end; its spend is that of its own period', async () => {
    await assert.rejects(
      budgets.send(
        new CreateBudgetCommand({ AccountId, Budget: { ...cost('open-custom', 'CUSTOM', '2018-10-01T00:00:00Z') } }),
      ),
      (e: unknown) =>
        e instanceof InvalidParameterException &&
        e.message === 'A CUSTOM budget needs a time period with a start and an end.',
    );
    await assert.rejects(
      budgets.send(
        new CreateBudgetCommand({
          AccountId,
          Budget: cost('backwards', 'CUSTOM', '2018-11-01T00:00:00Z', '2018-10-01T00:00:00Z'),
        }),
      ),
      InvalidParameterException,
    );
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: cost('october', 'CUSTOM', '2018-10-01T00:00:00Z', '2018-11-01T00:00:00Z'),
        NotificationsWithSubscribers: [{ Notification: ACTUAL_80, Subscribers: [email('finance@example.com')] }],
      }),
    );
    const { Budget: budget } = await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'october' }));
    assert.equal(budget!.TimeUnit, 'CUSTOM');
    assert.deepEqual(budget!.TimePeriod, {
      Start: new Date('2018-10-01T00:00:00Z'),
      End: new Date('2018-11-01T00:00:00Z'),
    });
    assert.equal(budget!.CalculatedSpend!.ActualSpend!.Amount, OCTOBER_TOTAL);
    // Ended: the forecast is the actual spend.
    assert.equal(budget!.CalculatedSpend!.ForecastedSpend!.Amount, OCTOBER_TOTAL);
    const history = await budgets.send(
      new DescribeBudgetPerformanceHistoryCommand({ AccountId, BudgetName: 'october' }),
    );
    assert.deepEqual(history.BudgetPerformanceHistory!.BudgetedAndActualAmountsList, [
      {
        BudgetedAmount: { Amount: '300', Unit: 'USD' },
        ActualAmount: { Amount: OCTOBER_TOTAL, Unit: 'USD' },
        TimePeriod: { Start: new Date('2018-10-01T00:00:00Z'), End: new Date('2018-11-01T00:00:00Z') },
      },
    ]);
    // 279.68 > 80% of 300 (240).
    const states = await budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName: 'october' }));
    assert.equal(states.Notifications![0]!.NotificationState, 'ALARM');
  });

  it('an expiring monthly budget has one history entry per month, October holding the spend', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: cost('autumn', 'MONTHLY', '2018-09-01T00:00:00Z', '2018-12-01T00:00:00Z'),
      }),
    );
    const history = await budgets.send(
      new DescribeBudgetPerformanceHistoryCommand({ AccountId, BudgetName: 'autumn' }),
    );
    assert.equal(history.BudgetPerformanceHistory!.TimeUnit, 'MONTHLY');
    assert.deepEqual(
      history.BudgetPerformanceHistory!.BudgetedAndActualAmountsList!.map((entry) => [
        entry.TimePeriod!.Start!.toISOString().slice(0, 10),
        entry.ActualAmount!.Amount,
      ]),
      [
        ['2018-09-01', '0'],
        ['2018-10-01', OCTOBER_TOTAL],
        ['2018-11-01', '0'],
      ],
    );
    // Pages of one, and a requested window.
    const first = await budgets.send(
      new DescribeBudgetPerformanceHistoryCommand({ AccountId, BudgetName: 'autumn', MaxResults: 1 }),
    );
    assert.equal(first.BudgetPerformanceHistory!.BudgetedAndActualAmountsList!.length, 1);
    const second = await budgets.send(
      new DescribeBudgetPerformanceHistoryCommand({
        AccountId,
        BudgetName: 'autumn',
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    assert.equal(
      second.BudgetPerformanceHistory!.BudgetedAndActualAmountsList![0]!.ActualAmount!.Amount,
      OCTOBER_TOTAL,
    );
    const windowed = await budgets.send(
      new DescribeBudgetPerformanceHistoryCommand({
        AccountId,
        BudgetName: 'autumn',
        TimePeriod: { Start: new Date('2018-10-01T00:00:00Z'), End: new Date('2018-11-01T00:00:00Z') },
      }),
    );
    assert.equal(windowed.BudgetPerformanceHistory!.BudgetedAndActualAmountsList!.length, 1);
  });

  it('quarterly and annual budgets measure their quarter and year; daily budgets refuse forecast alerts', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: cost('q4', 'QUARTERLY', '2018-10-01T00:00:00Z', '2019-01-01T00:00:00Z'),
      }),
    );
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: cost('y2018', 'ANNUALLY', '2018-01-01T00:00:00Z', '2019-01-01T00:00:00Z'),
      }),
    );
    for (const name of ['q4', 'y2018']) {
      const { Budget: budget } = await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: name }));
      assert.equal(budget!.CalculatedSpend!.ActualSpend!.Amount, OCTOBER_TOTAL, name);
    }
    const quarterly = await budgets.send(new DescribeBudgetPerformanceHistoryCommand({ AccountId, BudgetName: 'q4' }));
    assert.deepEqual(quarterly.BudgetPerformanceHistory!.BudgetedAndActualAmountsList![0]!.TimePeriod, {
      Start: new Date('2018-10-01T00:00:00Z'),
      End: new Date('2019-01-01T00:00:00Z'),
    });

    const daily = cost('daily', 'DAILY', '2018-10-15T00:00:00Z', '2018-10-18T00:00:00Z');
    await assert.rejects(
      budgets.send(
        new CreateBudgetCommand({
          AccountId,
          Budget: daily,
          NotificationsWithSubscribers: [
            { Notification: { ...ACTUAL_80, NotificationType: 'FORECASTED' }, Subscribers: [email('a@example.com')] },
          ],
        }),
      ),
      (e: unknown) =>
        e instanceof InvalidParameterException &&
        e.message === 'Forecasted notifications are not supported for DAILY budgets.',
    );
    await budgets.send(new CreateBudgetCommand({ AccountId, Budget: daily }));
    const days = await budgets.send(new DescribeBudgetPerformanceHistoryCommand({ AccountId, BudgetName: 'daily' }));
    const list = days.BudgetPerformanceHistory!.BudgetedAndActualAmountsList!;
    assert.deepEqual(
      list.map((entry) => entry.TimePeriod!.Start!.toISOString().slice(0, 10)),
      ['2018-10-15', '2018-10-16', '2018-10-17'],
    );
    assert.ok(list.every((entry) => Number(entry.ActualAmount!.Amount) > 0));
  });

  it('UpdateBudget can change the period; a duplicate name is a DuplicateRecordException', async () => {
    await assert.rejects(
      budgets.send(new CreateBudgetCommand({ AccountId, Budget: cost('q4', 'MONTHLY', '2018-10-01T00:00:00Z') })),
      (e: unknown) =>
        e instanceof DuplicateRecordException && e.message === 'Error creating budget: q4 - the budget already exists.',
    );
    await budgets.send(
      new UpdateBudgetCommand({
        AccountId,
        NewBudget: cost('q4', 'CUSTOM', '2018-10-15T00:00:00Z', '2018-10-16T00:00:00Z'),
      }),
    );
    const { Budget: budget } = await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'q4' }));
    assert.equal(budget!.TimeUnit, 'CUSTOM');
    assert.ok(Number(budget!.CalculatedSpend!.ActualSpend!.Amount) < Number(OCTOBER_TOTAL));
    await assert.rejects(
      budgets.send(
        new UpdateBudgetCommand({ AccountId, NewBudget: cost('missing', 'MONTHLY', '2018-10-01T00:00:00Z') }),
      ),
      (e: unknown) =>
        e instanceof NotFoundException && e.message === "Unable to update budget: missing - the budget doesn't exist.",
    );
    await assert.rejects(
      budgets.send(new DescribeBudgetPerformanceHistoryCommand({ AccountId, BudgetName: 'missing' })),
      (e: unknown) =>
        e instanceof NotFoundException && e.message === "Unable to get budget: missing - the budget doesn't exist.",
    );
    // A budget with a forecast alert cannot become daily.
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: cost('forecasting', 'MONTHLY', '2018-10-01T00:00:00Z'),
        NotificationsWithSubscribers: [
          { Notification: { ...ACTUAL_80, NotificationType: 'FORECASTED' }, Subscribers: [email('a@example.com')] },
        ],
      }),
    );
    await assert.rejects(
      budgets.send(
        new UpdateBudgetCommand({ AccountId, NewBudget: cost('forecasting', 'DAILY', '2018-10-01T00:00:00Z') }),
      ),
      (e: unknown) =>
        e instanceof InvalidParameterException &&
        e.message === 'Forecasted notifications are not supported for DAILY budgets.',
    );
  });

  it('UpdateNotification, CreateSubscriber, UpdateSubscriber and DeleteSubscriber, with AWS errors', async () => {
    const BudgetName = 'october';
    const at90: Notification = { ...ACTUAL_80, Threshold: 90 };
    await budgets.send(
      new UpdateNotificationCommand({ AccountId, BudgetName, OldNotification: ACTUAL_80, NewNotification: at90 }),
    );
    await assert.rejects(
      budgets.send(
        new UpdateNotificationCommand({ AccountId, BudgetName, OldNotification: ACTUAL_80, NewNotification: at90 }),
      ),
      (e: unknown) =>
        e instanceof NotFoundException &&
        e.message === "Unable to update notification: october - the notification doesn't exist.",
    );
    const forecast: Notification = {
      ...ACTUAL_80,
      NotificationType: 'FORECASTED',
      ThresholdType: 'ABSOLUTE_VALUE',
      Threshold: 250,
    };
    await budgets.send(
      new CreateNotificationCommand({
        AccountId,
        BudgetName,
        Notification: forecast,
        Subscribers: [email('b@example.com')],
      }),
    );
    await assert.rejects(
      budgets.send(
        new UpdateNotificationCommand({ AccountId, BudgetName, OldNotification: forecast, NewNotification: at90 }),
      ),
      DuplicateRecordException,
    );

    await budgets.send(
      new CreateSubscriberCommand({ AccountId, BudgetName, Notification: at90, Subscriber: email('c@example.com') }),
    );
    await assert.rejects(
      budgets.send(
        new CreateSubscriberCommand({ AccountId, BudgetName, Notification: at90, Subscriber: email('c@example.com') }),
      ),
      (e: unknown) =>
        e instanceof DuplicateRecordException &&
        e.message === 'Unable to create subscriber: october - the subscriber already exists.',
    );
    await budgets.send(
      new UpdateSubscriberCommand({
        AccountId,
        BudgetName,
        Notification: at90,
        OldSubscriber: email('c@example.com'),
        NewSubscriber: email('d@example.com'),
      }),
    );
    const subscribers = await budgets.send(
      new DescribeSubscribersForNotificationCommand({ AccountId, BudgetName, Notification: at90 }),
    );
    assert.deepEqual(subscribers.Subscribers, [email('finance@example.com'), email('d@example.com')]);
    await assert.rejects(
      budgets.send(
        new DeleteSubscriberCommand({ AccountId, BudgetName, Notification: at90, Subscriber: email('c@example.com') }),
      ),
      (e: unknown) =>
        e instanceof NotFoundException &&
        e.message === "Unable to delete subscriber: october - the subscriber doesn't exist.",
    );
    await budgets.send(
      new DeleteSubscriberCommand({ AccountId, BudgetName, Notification: at90, Subscriber: email('d@example.com') }),
    );

    // Deleting the last subscriber deletes its notification.
    await budgets.send(
      new DeleteSubscriberCommand({
        AccountId,
        BudgetName,
        Notification: forecast,
        Subscriber: email('b@example.com'),
      }),
    );
    const left = await budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName }));
    assert.deepEqual(
      left.Notifications!.map((n) => [n.NotificationType, n.Threshold, n.NotificationState]),
      [['ACTUAL', 90, 'ALARM']],
    );
    await assert.rejects(
      budgets.send(
        new CreateSubscriberCommand({
          AccountId,
          BudgetName: 'nope',
          Notification: at90,
          Subscriber: email('e@example.com'),
        }),
      ),
      (e: unknown) =>
        e instanceof NotFoundException && e.message === "Unable to create subscriber: nope - the budget doesn't exist.",
    );
  });

  it('an auto-adjusting budget needs no limit: HISTORICAL averages the periods before, FORECAST takes the forecast', async () => {
    // Judged on its last period (it has ended): November 2018 looks back on September (no data) and October.
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: {
          BudgetName: 'historical',
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          TimePeriod: { Start: new Date('2018-08-01T00:00:00Z'), End: new Date('2018-12-01T00:00:00Z') },
          AutoAdjustData: { AutoAdjustType: 'HISTORICAL', HistoricalOptions: { BudgetAdjustmentPeriod: 2 } },
        },
      }),
    );
    const { Budget: historical } = await budgets.send(
      new DescribeBudgetCommand({ AccountId, BudgetName: 'historical' }),
    );
    assert.deepEqual(historical!.BudgetLimit, { Amount: OCTOBER_TOTAL, Unit: 'USD' });
    assert.equal(historical!.AutoAdjustData!.HistoricalOptions!.LookBackAvailablePeriods, 1);
    assert.equal(historical!.AutoAdjustData!.LastAutoAdjustTime!.toISOString(), '2018-11-01T00:00:00.000Z');
    assert.equal(historical!.CalculatedSpend!.ActualSpend!.Amount, '0');

    // October alone: the forecast of a period that is over is its actual spend.
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: {
          BudgetName: 'forecast',
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          TimePeriod: { Start: new Date('2018-10-01T00:00:00Z'), End: new Date('2018-11-01T00:00:00Z') },
          AutoAdjustData: { AutoAdjustType: 'FORECAST' },
        },
      }),
    );
    const { Budget: forecast } = await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: 'forecast' }));
    assert.deepEqual(forecast!.BudgetLimit, { Amount: OCTOBER_TOTAL, Unit: 'USD' });
    assert.equal(forecast!.CalculatedSpend!.ActualSpend!.Amount, OCTOBER_TOTAL);

    for (const [Budget, message] of [
      [
        { ...cost('daily-adjusting', 'DAILY', '2018-10-01T00:00:00Z'), AutoAdjustData: { AutoAdjustType: 'FORECAST' } },
        /MONTHLY, QUARTERLY or ANNUALLY/,
      ],
      [
        { ...cost('no-history', 'MONTHLY', '2018-10-01T00:00:00Z'), AutoAdjustData: { AutoAdjustType: 'HISTORICAL' } },
        /BudgetAdjustmentPeriod from 1 to 60/,
      ],
    ] as const) {
      await assert.rejects(
        budgets.send(new CreateBudgetCommand({ AccountId, Budget: Budget as Budget })),
        (e: unknown) => e instanceof InvalidParameterException && message.test(e.message),
      );
    }
  });
});
