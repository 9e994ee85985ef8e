/**
 * Every billing and account write commits with its audit event: with the audit table gone, each of them is
 * refused and leaves the account's billing rows as they were (a write run as a lone autocommitted statement
 * used to take effect and record its event afterwards, or not at all). The same calls succeed once the table
 * is back, so the refusals are the audit's and nothing else's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { World } from '../../src/server/world.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { testDatabases } from '../../src/store/test-databases.js';
import {
  budget,
  buildTestWorld,
  card,
  email,
  exportDefinition,
  facts,
  notification,
  reportDefinition,
  rootCaller,
} from './helpers.js';

const BILLING_TABLES = [
  'billing_budget',
  'billing_budget_action',
  'billing_budget_action_history',
  'cur_report_definition',
  'bcm_export',
  'billing_saved_report',
  'tax_registration',
  'payment_instrument',
  'payment_preferences',
  'billing_console_settings',
  'account_contact_information',
  'account_alternate_contact',
] as const;

const costQuery = JSON.stringify({
  TimePeriod: { Start: '2026-01-01', End: '2026-02-01' },
  Granularity: 'MONTHLY',
  Metrics: ['UnblendedCost'],
});

const taxEntry = {
  registrationId: 'DE123456789',
  registrationType: 'VAT',
  legalName: 'Example GmbH',
  legalAddress: { addressLine1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' },
};

for (const database of await testDatabases()) {
  describe(`billing writes and their audit events (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let world: World;
    let acct: string;
    const call = (service: string, operation: string, input: Record<string, unknown>) =>
      world.invoke(rootCaller(acct), facts(), service, operation, input);
    /** Every billing row of the account, table by table. */
    const billingRows = async () => {
      const rows: Record<string, unknown[]> = {};
      for (const table of BILLING_TABLES) {
        rows[table] = await opened.db.selectFrom(table).selectAll().where('account_id', '=', acct).execute();
      }
      return rows;
    };

    before(async () => {
      opened = await database.open();
      world = await buildTestWorld(opened);
      acct = (
        await world.accounts.signUp({ email: 'billing-audit@example.com', password: 'Passw0rd!', accountName: 'A' })
      ).accountId;
    });
    after(async () => opened?.close());

    test('with the audit table gone each write is refused and changes nothing; with it back each succeeds', async () => {
      await call('budgets', 'CreateBudget', {
        AccountId: acct,
        Budget: budget('kept'),
        NotificationsWithSubscribers: [{ Notification: notification(80), Subscribers: [email('a@example.com')] }],
      });
      await call('cur', 'PutReportDefinition', { ReportDefinition: reportDefinition('kept') });
      const { ExportArn } = (await call('bcm-data-exports', 'CreateExport', { Export: exportDefinition('kept') })) as {
        ExportArn: string;
      };
      const { Report } = (await call('bursar', 'CreateCostReport', { Name: 'kept', Query: costQuery })) as {
        Report: { ReportId: string };
      };
      await call('payments', 'CreatePaymentInstrument', card('1111'));
      const { PaymentInstrument } = (await call('payments', 'CreatePaymentInstrument', card('2222'))) as {
        PaymentInstrument: { PaymentInstrumentId: string };
      };
      const second = PaymentInstrument.PaymentInstrumentId;
      await call('account', 'PutAlternateContact', {
        AlternateContactType: 'BILLING',
        Name: 'Billing Owner',
        Title: 'CFO',
        EmailAddress: 'billing@example.com',
        PhoneNumber: '+1 555 0100',
      });

      const budgets = { AccountId: acct, BudgetName: 'kept' };
      const actionInput = {
        ...budgets,
        NotificationType: 'ACTUAL',
        ActionType: 'APPLY_IAM_POLICY',
        ActionThreshold: { ActionThresholdValue: 100, ActionThresholdType: 'PERCENTAGE' },
        Definition: {
          IamActionDefinition: { PolicyArn: `arn:aws:iam::${acct}:policy/Freeze`, Groups: ['Developers'] },
        },
        ExecutionRoleArn: `arn:aws:iam::${acct}:role/BudgetsActions`,
        ApprovalModel: 'MANUAL',
        Subscribers: [email('a@example.com')],
      };
      const { ActionId } = (await call('budgets', 'CreateBudgetAction', actionInput)) as { ActionId: string };
      // Waiting for approval (the account has no costs to cross the threshold), so it may be reset.
      await opened.db
        .updateTable('billing_budget_action')
        .set({ status: 'PENDING' })
        .where('action_id', '=', ActionId)
        .execute();
      const action = { ...budgets, ActionId };
      // In an order that succeeds when run one after another.
      const writes: Array<[service: string, operation: string, input: Record<string, unknown>]> = [
        ['budgets', 'CreateBudget', { AccountId: acct, Budget: budget('new') }],
        ['budgets', 'UpdateBudget', { AccountId: acct, NewBudget: { ...budget('kept'), TimeUnit: 'QUARTERLY' } }],
        [
          'budgets',
          'CreateNotification',
          { ...budgets, Notification: notification(90), Subscribers: [email('a@example.com')] },
        ],
        ['budgets', 'CreateSubscriber', { ...budgets, Notification: notification(80), Subscriber: email('b@x.com') }],
        ['budgets', 'DeleteNotification', { ...budgets, Notification: notification(90) }],
        ['budgets', 'CreateBudgetAction', actionInput],
        ['budgets', 'UpdateBudgetAction', { ...action, ApprovalModel: 'AUTOMATIC' }],
        ['budgets', 'ExecuteBudgetAction', { ...action, ExecutionType: 'RESET_BUDGET_ACTION' }],
        ['budgets', 'DeleteBudgetAction', action],
        ['cur', 'PutReportDefinition', { ReportDefinition: reportDefinition('new') }],
        ['cur', 'ModifyReportDefinition', { ReportName: 'kept', ReportDefinition: reportDefinition('kept') }],
        ['cur', 'TagResource', { ReportName: 'kept', Tags: [{ Key: 'team', Value: 'finance' }] }],
        ['bcm-data-exports', 'CreateExport', { Export: exportDefinition('new') }],
        ['bursar', 'UpdateCostReport', { ReportId: Report.ReportId, Name: 'renamed', Query: costQuery }],
        ['tax', 'PutTaxRegistration', { taxRegistrationEntry: taxEntry }],
        ['payments', 'UpdatePaymentPreferences', { Currency: 'AUD' }],
        ['payments', 'UpdatePaymentInstrument', { PaymentInstrumentId: second, Default: true }],
        ['billing', 'UpdateBillingPreferences', { InvoiceDeliveryByEmail: true }],
        ['billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' }],
        ['aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: 'FINE_GRAINED' }],
        [
          'account',
          'PutContactInformation',
          {
            ContactInformation: {
              FullName: 'Account Owner',
              AddressLine1: '1 Main Street',
              City: 'Springfield',
              PostalCode: '12345',
              CountryCode: 'US',
              PhoneNumber: '+1 555 0101',
            },
          },
        ],
        ['account', 'DeleteAlternateContact', { AlternateContactType: 'BILLING' }],
        ['tax', 'DeleteTaxRegistration', {}],
        ['bursar', 'DeleteCostReport', { ReportId: Report.ReportId }],
        ['bcm-data-exports', 'DeleteExport', { ExportArn }],
        ['cur', 'DeleteReportDefinition', { ReportName: 'kept' }],
        ['budgets', 'DeleteBudget', budgets],
      ];

      const before = await billingRows();
      const unrefused: string[] = [];
      await sql`alter table audit_events rename to audit_events_away`.execute(opened.db);
      try {
        for (const [service, operation, input] of writes) {
          const refused = await call(service, operation, input).then(
            () => false,
            () => true,
          );
          if (!refused) unrefused.push(operation);
        }
      } finally {
        await sql`alter table audit_events_away rename to audit_events`.execute(opened.db);
      }
      assert.deepEqual(unrefused, [], 'these writes took effect without their events');
      assert.deepEqual(await billingRows(), before);

      for (const [service, operation, input] of writes) await call(service, operation, input);
      const recorded = await world.audit.lookup(acct, {
        attribute: { key: 'ReadOnly', value: 'false' },
        maxResults: 50,
      });
      const names = recorded.events.map((e) => e.event.eventName);
      for (const [, operation] of writes) assert.ok(names.includes(operation), `${operation} has no event`);
    });
  });
}
