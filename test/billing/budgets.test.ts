/** AWS Budgets over generated cost data: CRUD, AWS's errors, and spend evaluated against independent sums. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Billing } from '../../src/billing/billing.js';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { formatMoney } from '../../src/billing/money.js';
import {
  createBudget,
  createNotification,
  deleteBudget,
  describeBudget,
  describeBudgets,
  describeNotificationsForBudget,
  updateBudget,
} from '../../src/operations/budgets/operations.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { declaredAccess } from '../../src/operations/registry.js';
import { context, openTestBilling } from './helpers.js';

const ACCOUNT = '111111111111';
const NOW = '2026-11-20T12:00:00Z';
const items: CostLineItem[] = [
  ...generateDemoCosts({
    seed: 3,
    payer: { id: ACCOUNT, name: 'Payer' },
    startMonth: '2026-01',
    months: 11,
    targetRows: 4000,
    until: '2026-11-20',
  }),
];
interface BudgetShape {
  CalculatedSpend: { ActualSpend: { Amount: string }; ForecastedSpend: { Amount: string } };
  CostTypes: { IncludeTax: boolean };
  TimePeriod: { Start: unknown };
  BudgetLimit: { Amount: string };
}
let billing: Billing;
let opened: OpenedDatabase;
const ctx = () => context(billing, ACCOUNT, NOW);

function sum(filter: (i: CostLineItem) => boolean): bigint {
  return items.filter(filter).reduce((a, i) => a + BigInt(i.billedCost), 0n);
}

describe('Budgets', () => {
  before(async () => {
    ({ billing, opened } = await openTestBilling());
    await billing.store.import(items, {
      ownerAccountId: ACCOUNT,
      importId: 'i',
      source: 'demo',
      format: 'demo',
      now: new Date(NOW),
    });
  });
  after(() => opened.close());

  it('creates a monthly cost budget whose actual spend is the month so far, with a run-rate forecast', async () => {
    await createBudget.handler(
      {
        AccountId: ACCOUNT,
        Budget: {
          BudgetName: 'monthly',
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: '100', Unit: 'USD' },
        },
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'a@example.com' }],
          },
          {
            Notification: {
              NotificationType: 'ACTUAL',
              ComparisonOperator: 'GREATER_THAN',
              Threshold: 1e9,
              ThresholdType: 'ABSOLUTE_VALUE',
            },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'a@example.com' }],
          },
        ],
      },
      ctx(),
    );
    const { Budget } = (await describeBudget.handler({ AccountId: ACCOUNT, BudgetName: 'monthly' }, ctx())) as {
      Budget: BudgetShape;
    };
    const expected = sum((i) => i.chargePeriodStart.startsWith('2026-11'));
    assert.equal(Budget.CalculatedSpend.ActualSpend.Amount, formatMoney(expected));
    // 20 elapsed days (the 20th counts) of 30.
    assert.equal(Budget.CalculatedSpend.ForecastedSpend.Amount, formatMoney((expected * 30n) / 20n));
    assert.equal(Budget.CostTypes.IncludeTax, true);
    assert.ok(Budget.TimePeriod.Start instanceof Date);
    const { Notifications } = (await describeNotificationsForBudget.handler(
      { AccountId: ACCOUNT, BudgetName: 'monthly' },
      ctx(),
    )) as { Notifications: Array<{ NotificationState: string }> };
    assert.deepEqual(
      Notifications.map((n) => n.NotificationState),
      [expected > 80n * 10n ** 10n ? 'ALARM' : 'OK', 'OK'],
    );
  });

  it('applies CostTypes and CostFilters', async () => {
    await createBudget.handler(
      {
        AccountId: ACCOUNT,
        Budget: {
          BudgetName: 'ec2-no-tax',
          BudgetType: 'COST',
          TimeUnit: 'ANNUALLY',
          BudgetLimit: { Amount: '5000', Unit: 'USD' },
          CostFilters: { Service: ['Amazon Elastic Compute Cloud - Compute'] },
          CostTypes: { IncludeRefund: false },
        },
      },
      ctx(),
    );
    const { Budget } = (await describeBudget.handler({ AccountId: ACCOUNT, BudgetName: 'ec2-no-tax' }, ctx())) as {
      Budget: BudgetShape;
    };
    assert.equal(
      Budget.CalculatedSpend.ActualSpend.Amount,
      formatMoney(sum((i) => i.serviceName === 'Amazon Elastic Compute Cloud - Compute' && i.recordType !== 'Refund')),
    );
  });

  it('lists, updates, adds notifications and deletes, with AWS errors', async () => {
    await assert.rejects(
      createBudget.handler(
        {
          AccountId: ACCOUNT,
          Budget: {
            BudgetName: 'monthly',
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: '1', Unit: 'USD' },
          },
        },
        ctx(),
      ),
      { code: 'DuplicateRecordException' },
    );
    const listed = (await describeBudgets.handler({ AccountId: ACCOUNT, MaxResults: 1 }, ctx())) as {
      Budgets: Array<{ BudgetName: string }>;
      NextToken?: string;
    };
    assert.deepEqual(
      listed.Budgets.map((b) => b.BudgetName),
      ['ec2-no-tax'],
    );
    const rest = (await describeBudgets.handler(
      { AccountId: ACCOUNT, MaxResults: 1, NextToken: listed.NextToken },
      ctx(),
    )) as { Budgets: Array<{ BudgetName: string }>; NextToken?: string };
    assert.deepEqual(
      rest.Budgets.map((b) => b.BudgetName),
      ['monthly'],
    );
    assert.equal(rest.NextToken, undefined);
    await updateBudget.handler(
      {
        AccountId: ACCOUNT,
        NewBudget: {
          BudgetName: 'monthly',
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: '250.5', Unit: 'USD' },
        },
      },
      ctx(),
    );
    const { Budget } = (await describeBudget.handler({ AccountId: ACCOUNT, BudgetName: 'monthly' }, ctx())) as {
      Budget: BudgetShape;
    };
    assert.equal(Budget.BudgetLimit.Amount, '250.5');
    await createNotification.handler(
      {
        AccountId: ACCOUNT,
        BudgetName: 'monthly',
        Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 100 },
        Subscribers: [{ SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:111111111111:t' }],
      },
      ctx(),
    );
    const { Notifications } = (await describeNotificationsForBudget.handler(
      { AccountId: ACCOUNT, BudgetName: 'monthly' },
      ctx(),
    )) as { Notifications: unknown[] };
    assert.equal(Notifications.length, 3);
    await assert.rejects(
      updateBudget.handler(
        {
          AccountId: ACCOUNT,
          NewBudget: {
            BudgetName: 'nope',
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: '1', Unit: 'USD' },
          },
        },
        ctx(),
      ),
      { code: 'NotFoundException' },
    );
    await deleteBudget.handler({ AccountId: ACCOUNT, BudgetName: 'monthly' }, ctx());
    await assert.rejects(describeBudget.handler({ AccountId: ACCOUNT, BudgetName: 'monthly' }, ctx()), {
      code: 'NotFoundException',
    });
    await assert.rejects(deleteBudget.handler({ AccountId: ACCOUNT, BudgetName: 'monthly' }, ctx()), {
      code: 'NotFoundException',
    });
  });

  it("refuses another account's budgets whatever the policies say, as invoke() reports after them", async () => {
    const [request] = (await declaredAccess(deleteBudget, { AccountId: '999999999999', BudgetName: 'b' }, ctx()))!;
    assert.deepEqual(request?.refusedAfterPolicies, {
      message: 'You are not authorized to manage budgets of account 999999999999.',
      code: 'AccessDeniedException',
      status: 400,
    });
    // A malformed id is not a refusal: the handler answers it with InvalidParameterException.
    assert.equal(
      (await declaredAccess(deleteBudget, { AccountId: '99', BudgetName: 'b' }, ctx()))![0]?.refusedAfterPolicies,
      undefined,
    );
  });

  it('asks for budgets:ViewBudget / ModifyBudget on the budget ARN', () => {
    assert.deepEqual(declaredAccess(describeBudget, { AccountId: ACCOUNT, BudgetName: 'b' }, ctx()), [
      { action: 'budgets:ViewBudget', resource: `arn:aws:budgets::${ACCOUNT}:budget/b`, resourceAccount: ACCOUNT },
    ]);
    assert.deepEqual(declaredAccess(deleteBudget, { AccountId: ACCOUNT, BudgetName: 'b' }, ctx()), [
      { action: 'budgets:ModifyBudget', resource: `arn:aws:budgets::${ACCOUNT}:budget/b`, resourceAccount: ACCOUNT },
    ]);
  });
});
