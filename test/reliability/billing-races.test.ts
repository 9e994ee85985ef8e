/**
 * Billing writes under concurrency: each quota, uniqueness rule and read-modify-write of Budgets, Cost and
 * Usage Reports, BCM Data Exports, payment methods and preferences, and the billing console's settings holds
 * for parallel bursts, with the counts asserted, and no burst ends in a 500. On PostgreSQL the calls
 * alternate between two instances over one schema; SQLite runs them through one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { World } from '../../src/server/world.js';
import { testDatabases } from '../../src/store/test-databases.js';
import {
  budget,
  openWorlds,
  card,
  email,
  exportDefinition,
  facts,
  notification,
  outcomes,
  policyDocument,
  reportDefinition,
  rootCaller,
} from './helpers.js';

const ROUNDS = 4;

for (const database of await testDatabases()) {
  describe(`billing writes under concurrency (${database.label})`, { skip: database.skip }, () => {
    let worlds: World[];
    let close: () => Promise<void>;
    let accounts = 0;

    /** A fresh account for each test, so one test's quotas never count another's. */
    const newAccount = async () =>
      (
        await worlds[0]!.accounts.signUp({
          email: `billing-races-${++accounts}@example.com`,
          password: 'Passw0rd!',
          accountName: 'Billing races',
        })
      ).accountId;
    /** The i-th call of a burst goes to instance i mod n. */
    const caller = (acct: string) => (i: number, service: string, operation: string, input: Record<string, unknown>) =>
      worlds[i % worlds.length]!.invoke(rootCaller(acct), facts(), service, operation, input);

    before(async () => {
      ({ worlds, close } = await openWorlds(database));
    });
    after(async () => close?.());

    describe('Budgets', () => {
      let acct: string;
      let call: ReturnType<typeof caller>;
      const budgets = (i: number, operation: string, input: Record<string, unknown>) =>
        call(i, 'budgets', operation, { AccountId: acct, ...input });
      const notificationsOf = async (name: string) =>
        (
          (await budgets(0, 'DescribeNotificationsForBudget', { BudgetName: name })) as {
            Notifications: { Threshold: number; NotificationType: string }[];
          }
        ).Notifications;
      before(async () => {
        acct = await newAccount();
        call = caller(acct);
      });

      test('4 parallel CreateBudget of one name make one budget and answer DuplicateRecordException 3 times', async () => {
        const result = await outcomes(
          Array.from({ length: 4 }, (_, i) => budgets(i, 'CreateBudget', { Budget: budget('twin') })),
        );
        assert.deepEqual(result, { ok: 1, errors: { DuplicateRecordException: 3 } });
        const { Budgets } = (await budgets(0, 'DescribeBudgets', {})) as { Budgets: { BudgetName: string }[] };
        assert.deepEqual(
          Budgets.map((b) => b.BudgetName),
          ['twin'],
        );
      });

      test('8 parallel CreateNotification of distinct thresholds leave 5 (notifications per budget)', async () => {
        await budgets(0, 'CreateBudget', { Budget: budget('alerted') });
        const result = await outcomes(
          Array.from({ length: 8 }, (_, i) =>
            budgets(i, 'CreateNotification', {
              BudgetName: 'alerted',
              Notification: notification(10 * (i + 1)),
              Subscribers: [email('ops@example.com')],
            }),
          ),
        );
        assert.deepEqual(result, { ok: 5, errors: { CreationLimitExceededException: 3 } });
        assert.equal((await notificationsOf('alerted')).length, 5);
      });

      test('12 parallel CreateSubscriber of distinct addresses leave 11 on the notification (subscribers per notification)', async () => {
        await budgets(0, 'CreateBudget', {
          Budget: budget('subscribed'),
          NotificationsWithSubscribers: [{ Notification: notification(80), Subscribers: [email('first@example.com')] }],
        });
        const result = await outcomes(
          Array.from({ length: 12 }, (_, i) =>
            budgets(i, 'CreateSubscriber', {
              BudgetName: 'subscribed',
              Notification: notification(80),
              Subscriber: email(`s${i}@example.com`),
            }),
          ),
        );
        assert.deepEqual(result, { ok: 10, errors: { CreationLimitExceededException: 2 } });
        const { Subscribers } = (await budgets(0, 'DescribeSubscribersForNotification', {
          BudgetName: 'subscribed',
          Notification: notification(80),
        })) as { Subscribers: unknown[] };
        assert.equal(Subscribers.length, 11);
      });

      test('UpdateBudget to DAILY racing CreateNotification FORECASTED: one wins, never a daily budget with a forecast alert', async () => {
        for (let round = 0; round < ROUNDS; round++) {
          const name = `daily-${round}`;
          await budgets(0, 'CreateBudget', { Budget: budget(name) });
          const result = await outcomes([
            budgets(0, 'UpdateBudget', { NewBudget: budget(name, 'DAILY') }),
            budgets(1, 'CreateNotification', {
              BudgetName: name,
              Notification: notification(90, 'FORECASTED'),
              Subscribers: [email('ops@example.com')],
            }),
          ]);
          assert.deepEqual(result, { ok: 1, errors: { InvalidParameterException: 1 } });
          const { Budget } = (await budgets(0, 'DescribeBudget', { BudgetName: name })) as {
            Budget: { TimeUnit: string };
          };
          const forecasts = (await notificationsOf(name)).filter((n) => n.NotificationType === 'FORECASTED');
          assert.equal(Budget.TimeUnit === 'DAILY', forecasts.length === 0, `round ${round}`);
        }
      });

      test('parallel UpdateNotification and DeleteNotification of different notifications keep both changes', async () => {
        for (let round = 0; round < ROUNDS; round++) {
          const name = `pair-${round}`;
          await budgets(0, 'CreateBudget', {
            Budget: budget(name),
            NotificationsWithSubscribers: [
              { Notification: notification(50), Subscribers: [email('a@example.com')] },
              { Notification: notification(70), Subscribers: [email('a@example.com')] },
            ],
          });
          const result = await outcomes([
            budgets(0, 'UpdateNotification', {
              BudgetName: name,
              OldNotification: notification(50),
              NewNotification: notification(55),
            }),
            budgets(1, 'DeleteNotification', { BudgetName: name, Notification: notification(70) }),
          ]);
          assert.deepEqual(result, { ok: 2, errors: {} });
          assert.deepEqual(
            (await notificationsOf(name)).map((n) => n.Threshold),
            [55],
          );
        }
      });
      test('2 parallel ExecuteBudgetAction APPROVE of one action (one per instance): one runs it, the other is refused', async () => {
        const iam = (operation: string, input: Record<string, unknown>) => call(0, 'iam', operation, input);
        await iam('CreateGroup', { GroupName: 'Racers' });
        const { Policy } = (await iam('CreatePolicy', {
          PolicyName: 'Freeze',
          PolicyDocument: policyDocument('Deny', 'ec2:RunInstances'),
        })) as { Policy: { Arn: string } };
        await iam('CreateRole', {
          RoleName: 'BudgetsRacer',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        });
        await iam('PutRolePolicy', {
          RoleName: 'BudgetsRacer',
          PolicyName: 'Apply',
          PolicyDocument: policyDocument('Allow', ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy']),
        });
        for (let round = 0; round < ROUNDS; round++) {
          const name = `actioned-${round}`;
          await budgets(0, 'CreateBudget', { Budget: budget(name) });
          const { ActionId } = (await budgets(0, 'CreateBudgetAction', {
            BudgetName: name,
            NotificationType: 'ACTUAL',
            ActionType: 'APPLY_IAM_POLICY',
            ActionThreshold: { ActionThresholdValue: 100, ActionThresholdType: 'PERCENTAGE' },
            Definition: { IamActionDefinition: { PolicyArn: Policy.Arn, Groups: ['Racers'] } },
            ExecutionRoleArn: `arn:aws:iam::${acct}:role/BudgetsRacer`,
            ApprovalModel: 'MANUAL',
            Subscribers: [email('ops@example.com')],
          })) as { ActionId: string };
          // The account has no costs to cross the threshold: the action is put where crossing it would leave it.
          await worlds[0]!.database.db
            .updateTable('billing_budget_action')
            .set({ status: 'PENDING' })
            .where('action_id', '=', ActionId)
            .execute();
          const execute = (i: number) =>
            budgets(i, 'ExecuteBudgetAction', { BudgetName: name, ActionId, ExecutionType: 'APPROVE_BUDGET_ACTION' });
          const result = await outcomes([execute(0), execute(1)]);
          // The loser finds the action running (locked) or already run (no longer PENDING), by timing.
          assert.equal(result.ok, 1, JSON.stringify(result));
          assert.deepEqual(
            Object.entries(result.errors).filter(
              ([code]) => code !== 'ResourceLockedException' && code !== 'InvalidParameterException',
            ),
            [],
          );
          const { ActionHistories } = (await budgets(0, 'DescribeBudgetActionHistories', {
            BudgetName: name,
            ActionId,
          })) as { ActionHistories: { Status: string }[] };
          assert.deepEqual(
            ActionHistories.map((h) => h.Status),
            ['STANDBY', 'EXECUTION_IN_PROGRESS', 'EXECUTION_SUCCESS'],
            `round ${round}`,
          );
          await budgets(0, 'ExecuteBudgetAction', {
            BudgetName: name,
            ActionId,
            ExecutionType: 'REVERSE_BUDGET_ACTION',
          });
        }
        const { AttachedPolicies } = (await iam('ListAttachedGroupPolicies', { GroupName: 'Racers' })) as {
          AttachedPolicies: unknown[];
        };
        assert.deepEqual(AttachedPolicies, []);
      });
    });

    describe('Cost and Usage Reports', () => {
      let acct: string;
      let call: ReturnType<typeof caller>;
      const cur = (i: number, operation: string, input: Record<string, unknown>) => call(i, 'cur', operation, input);
      const defined = async () =>
        (
          (await cur(0, 'DescribeReportDefinitions', {})) as { ReportDefinitions: { ReportName: string }[] }
        ).ReportDefinitions.map((r) => r.ReportName);
      before(async () => {
        acct = await newAccount();
        call = caller(acct);
      });

      test('4 parallel PutReportDefinition of one name define it once and answer DuplicateReportNameException 3 times', async () => {
        const result = await outcomes(
          Array.from({ length: 4 }, (_, i) =>
            cur(i, 'PutReportDefinition', { ReportDefinition: reportDefinition('twin') }),
          ),
        );
        assert.deepEqual(result, { ok: 1, errors: { DuplicateReportNameException: 3 } });
        assert.deepEqual(await defined(), ['twin']);
        await cur(0, 'DeleteReportDefinition', { ReportName: 'twin' });
      });

      test('8 parallel PutReportDefinition of distinct names leave 5 (reports per account)', async () => {
        const result = await outcomes(
          Array.from({ length: 8 }, (_, i) =>
            cur(i, 'PutReportDefinition', { ReportDefinition: reportDefinition(`report-${i}`) }),
          ),
        );
        assert.deepEqual(result, { ok: 5, errors: { ReportLimitReachedException: 3 } });
        // Counted in the table: DescribeReportDefinitions answers at most 5 a page.
        const stored = await worlds[0]!.database.db
          .selectFrom('cur_report_definition')
          .select('report_name')
          .where('account_id', '=', acct)
          .execute();
        assert.equal(stored.length, 5);
      });

      test('6 parallel TagResource of distinct keys keep all 6 tags', async () => {
        const [name] = await defined();
        const result = await outcomes(
          Array.from({ length: 6 }, (_, i) =>
            cur(i, 'TagResource', { ReportName: name, Tags: [{ Key: `key-${i}`, Value: String(i) }] }),
          ),
        );
        assert.deepEqual(result, { ok: 6, errors: {} });
        const { Tags } = (await cur(0, 'ListTagsForResource', { ReportName: name })) as { Tags: unknown[] };
        assert.equal(Tags.length, 6);
      });
    });

    test('4 parallel CreateExport of one name make one export and refuse the rest as a sequential duplicate is', async () => {
      const call = caller(await newAccount());
      const result = await outcomes(
        Array.from({ length: 4 }, (_, i) =>
          call(i, 'bcm-data-exports', 'CreateExport', { Export: exportDefinition('twin') }),
        ),
      );
      assert.deepEqual(result, { ok: 1, errors: { ValidationException: 3 } });
      const { Exports } = (await call(0, 'bcm-data-exports', 'ListExports', {})) as { Exports: unknown[] };
      assert.equal(Exports.length, 1);
    });

    describe('payment methods and preferences', () => {
      let call: ReturnType<typeof caller>;
      const payments = (i: number, operation: string, input: Record<string, unknown>) =>
        call(i, 'payments', operation, input);
      const instruments = async () =>
        (
          (await payments(0, 'ListPaymentInstruments', {})) as {
            PaymentInstruments: { PaymentInstrumentId: string; Default: boolean }[];
          }
        ).PaymentInstruments;
      before(async () => {
        call = caller(await newAccount());
      });

      test('6 parallel CreatePaymentInstrument on an account with none leave exactly one default', async () => {
        const result = await outcomes(
          Array.from({ length: 6 }, (_, i) => payments(i, 'CreatePaymentInstrument', card(`100${i}`))),
        );
        assert.deepEqual(result, { ok: 6, errors: {} });
        const all = await instruments();
        assert.equal(all.length, 6);
        assert.equal(all.filter((m) => m.Default).length, 1);
      });

      test('DeletePaymentInstrument racing UpdatePaymentInstrument (Default) of one method: the account keeps one default', async () => {
        for (let round = 0; round < ROUNDS; round++) {
          const { PaymentInstrument } = (await payments(0, 'CreatePaymentInstrument', card(`200${round}`))) as {
            PaymentInstrument: { PaymentInstrumentId: string };
          };
          const id = PaymentInstrument.PaymentInstrumentId;
          const result = await outcomes([
            payments(0, 'UpdatePaymentInstrument', { PaymentInstrumentId: id, Default: true }),
            payments(1, 'DeletePaymentInstrument', { PaymentInstrumentId: id }),
          ]);
          // Either order is AWS's: made default then refused deletion, or deleted then not found.
          assert.equal(result.ok, 1, JSON.stringify(result));
          assert.equal(result.errors.ConflictException ?? result.errors.ResourceNotFoundException, 1);
          assert.equal((await instruments()).filter((m) => m.Default).length, 1, `round ${round}`);
        }
      });

      test('parallel UpdatePaymentPreferences of different fields keep both', async () => {
        for (let round = 0; round < ROUNDS; round++) {
          const currency = round % 2 === 0 ? 'AUD' : 'USD';
          const invoiceEmail = `invoices-${round}@example.com`;
          const result = await outcomes([
            payments(0, 'UpdatePaymentPreferences', { Currency: currency }),
            payments(1, 'UpdatePaymentPreferences', { InvoiceEmail: invoiceEmail }),
          ]);
          assert.deepEqual(result, { ok: 2, errors: {} });
          const { PaymentPreferences } = (await payments(0, 'ListPaymentPreferences', {})) as {
            PaymentPreferences: { Currency: string; InvoiceEmail: string };
          };
          assert.deepEqual(PaymentPreferences, { Currency: currency, InvoiceEmail: invoiceEmail }, `round ${round}`);
        }
      });
    });

    test('the IAM-access switch racing the console action set: both changes kept', async () => {
      const call = caller(await newAccount());
      for (let round = 0; round < ROUNDS; round++) {
        const access = round % 2 === 0 ? 'ALLOW' : 'DENY';
        const set = round % 2 === 0 ? 'FINE_GRAINED' : 'EXISTING';
        const result = await outcomes([
          call(0, 'billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: access }),
          call(1, 'aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: set }),
        ]);
        assert.deepEqual(result, { ok: 2, errors: {} });
        const iam = (await call(0, 'billing', 'GetIAMAccessPreference', {})) as { IamUserAccessToBilling: string };
        const actions = (await call(0, 'aws-portal', 'GetConsoleActionSetEnforced', {})) as {
          ConsoleActionSet: string;
        };
        assert.deepEqual([iam.IamUserAccessToBilling, actions.ConsoleActionSet], [access, set], `round ${round}`);
      }
    });
  });
}
