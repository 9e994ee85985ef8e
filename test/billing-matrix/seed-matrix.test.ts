/**
 * The seed matrix: who may see and change billing data, table-driven over both console vocabularies
 * (existing `aws-portal` / fine-grained) and both positions of the "IAM user and role access to Billing
 * information" switch, for the seed's principals — root, FinanceManager (aws-portal:*), FinanceUser
 * (aws-portal:View*), a user with no policy, a user with AdministratorAccess plus AWS's "allow everything
 * except billing" deny (billing-permissions.md §5.9), and a member-account administrator under an SCP that
 * denies billing — against every billing operation:
 *   - from the API, each operation answers to its own service action, whatever the switch says;
 *   - from the console, each operation answers to its page (and button) in the account's action set, and to
 *     the switch; CheckConsoleAccess reports every page and button.
 * Everything runs through the real composition root's invoke() (and so the console gate, the engine, SCPs
 * and the audit). The expected outcomes come from a small model of each principal's policies (which
 * actions they allow, and why not), never from the engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { YOU_NEED_PERMISSIONS, YOU_NEED_PERMISSIONS_BODY } from '../../src/billing/console-gates/gate.js';
import { BillingConsoleSettingsStore } from '../../src/billing/console-gates/settings.js';
import {
  CONSOLE_OPERATION_GATES,
  CONSOLE_PAGES,
  consolePage,
  requiredActions,
  type ConsoleActionSet,
} from '../../src/billing/console-gates/pages.js';
import { catalog } from '../../src/catalog/index.js';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import { FixedClock } from '../../src/platform/clock.js';
import { seededIdSource } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { buildWorld, type World } from '../../src/server/world.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/database.js';
import { billingDirectory } from '../../src/organizations/billing-directory.js';

const MGMT = '123456789012';
const EXPORT_ARN = (accountId: string) => `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/matrix-0`;
const NOW = new Date('2026-11-20T10:00:00Z');

/** Service prefixes the member account's SCP denies. */
const BILLING_PREFIXES = [
  'aws-portal',
  'billing',
  'ce',
  'budgets',
  'payments',
  'tax',
  'invoicing',
  'account',
  'cur',
  'consolidatedbilling',
  'freetier',
  'purchase-orders',
];
const prefixOf = (action: string) => action.slice(0, action.indexOf(':'));

/** Why a principal's policies do not allow an action (null: they allow it). */
type Refusal = 'implicit' | 'explicit' | 'scp' | null;

interface Principal {
  label: string;
  caller: Caller;
  refusal: (action: string) => Refusal;
}

// --- the operations under test -------------------------------------------------------------------------

interface BillingOperation {
  service: string;
  name: string;
  /** The action the API asks (the operation's own service action). */
  action: string;
  input: (accountId: string) => Record<string, unknown>;
  /**
   * `api` for those a console call authorizes exactly as an API call (account-wide switches, not pages);
   * every other one answers to the page CONSOLE_OPERATION_GATES names.
   */
  console?: 'api';
  /** Other actions the API asks too (CreateBudgetAction's `iam:PassRole`), after the operation's own. */
  alsoAsks?: string[];
}

/** The first action of an operation a principal's policies refuse, or undefined when they allow them all. */
const refusedAction = (principal: Principal, op: BillingOperation): string | undefined =>
  [op.action, ...(op.alsoAsks ?? [])].find((action) => principal.refusal(action) !== null);

const CONTACT = {
  AddressLine1: '1 Main St',
  City: 'Seattle',
  CountryCode: 'US',
  FullName: 'Root Owner',
  PhoneNumber: '+12065550100',
  PostalCode: '98101',
};
const ALTERNATE = { Name: 'Bea', Title: 'CFO', EmailAddress: 'bea@example.com', PhoneNumber: '+12065550101' };
const CARD = { Brand: 'VISA', LastFourDigits: '4242', ExpiryMonth: 1, ExpiryYear: 2030, CardholderName: 'Root Owner' };
const TAX_ENTRY = {
  registrationId: 'US123456',
  registrationType: 'TIN',
  legalName: 'Example Corp',
  legalAddress: { addressLine1: '1 Main St', city: 'Seattle', postalCode: '98101', countryCode: 'US' },
};

const BUDGET = {
  BudgetName: 'Monthly',
  BudgetLimit: { Amount: '100', Unit: 'USD' },
  TimeUnit: 'MONTHLY',
  BudgetType: 'COST',
};
const NOTIFICATION = { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 };
const SUBSCRIBER = { SubscriptionType: 'EMAIL', Address: 'cfo@example.com' };
const DATA_EXPORT = {
  Name: 'matrix-export',
  DataQuery: { QueryStatement: 'SELECT line_item_unblended_cost FROM COST_AND_USAGE_REPORT' },
  DestinationConfigurations: {
    S3Destination: {
      S3Bucket: 'example-exports',
      S3Prefix: 'exports',
      S3Region: 'us-east-1',
      S3OutputConfigurations: {
        OutputType: 'CUSTOM',
        Format: 'PARQUET',
        Compression: 'PARQUET',
        Overwrite: 'OVERWRITE_REPORT',
      },
    },
  },
  RefreshCadence: { Frequency: 'SYNCHRONOUS' },
};
const REPORT = {
  ReportName: 'matrix-report',
  TimeUnit: 'DAILY',
  Format: 'textORcsv',
  Compression: 'GZIP',
  AdditionalSchemaElements: ['RESOURCES'],
  S3Bucket: 'example-reports',
  S3Prefix: 'cur',
  S3Region: 'us-east-1',
};

/** Operations the matrix leaves to their own tests: they flip the very settings the matrix iterates over. */
const SETTINGS_SWITCHES = ['billing:UpdateIAMAccessPreference', 'aws-portal:UpdateConsoleActionSetEnforced'];
const BILLING_SERVICES = [
  'account',
  'payments',
  'tax',
  'invoicing',
  'billing',
  'ce',
  'budgets',
  'aws-portal',
  'cur',
  'bcm-data-exports',
];

const none = () => ({});
/** Budget actions have no console page yet; an id no action has is NotFound for whoever may ask. */
const actionInput = (accountId: string) => ({
  AccountId: accountId,
  BudgetName: 'Monthly',
  ActionId: '00000000-0000-4000-8000-000000000000',
});
const OPERATIONS: BillingOperation[] = [
  { service: 'account', name: 'GetContactInformation', action: 'account:GetContactInformation', input: none },
  {
    service: 'account',
    name: 'PutContactInformation',
    action: 'account:PutContactInformation',
    input: () => ({ ContactInformation: CONTACT }),
  },
  {
    service: 'account',
    name: 'GetAlternateContact',
    action: 'account:GetAlternateContact',
    input: () => ({ AlternateContactType: 'BILLING' }),
  },
  {
    service: 'account',
    name: 'PutAlternateContact',
    action: 'account:PutAlternateContact',
    input: () => ({ AlternateContactType: 'BILLING', ...ALTERNATE }),
  },
  {
    service: 'account',
    name: 'DeleteAlternateContact',
    action: 'account:DeleteAlternateContact',
    input: () => ({ AlternateContactType: 'SECURITY' }),
  },
  { service: 'payments', name: 'ListPaymentInstruments', action: 'payments:ListPaymentInstruments', input: none },
  {
    service: 'payments',
    name: 'GetPaymentInstrument',
    action: 'payments:GetPaymentInstrument',
    input: () => ({ PaymentInstrumentId: 'pi-none' }),
  },
  {
    service: 'payments',
    name: 'CreatePaymentInstrument',
    action: 'payments:CreatePaymentInstrument',
    input: () => CARD,
  },
  {
    service: 'payments',
    name: 'UpdatePaymentInstrument',
    action: 'payments:UpdatePaymentInstrument',
    input: () => ({ PaymentInstrumentId: 'pi-none', Default: true }),
  },
  {
    service: 'payments',
    name: 'DeletePaymentInstrument',
    action: 'payments:DeletePaymentInstrument',
    input: () => ({ PaymentInstrumentId: 'pi-none' }),
  },
  { service: 'payments', name: 'ListPaymentPreferences', action: 'payments:ListPaymentPreferences', input: none },
  { service: 'payments', name: 'GetPaymentStatus', action: 'payments:GetPaymentStatus', input: none },
  {
    service: 'payments',
    name: 'MakePayment',
    action: 'payments:MakePayment',
    input: (accountId) => ({ InvoiceId: `BRS-${accountId}-202610` }),
  },
  { service: 'billing', name: 'GetCredits', action: 'billing:GetCredits', input: none },
  {
    service: 'payments',
    name: 'UpdatePaymentPreferences',
    action: 'payments:UpdatePaymentPreferences',
    input: () => ({ Currency: 'USD' }),
  },
  { service: 'tax', name: 'GetTaxRegistration', action: 'tax:GetTaxRegistration', input: none },
  { service: 'tax', name: 'ListTaxRegistrations', action: 'tax:ListTaxRegistrations', input: none },
  {
    service: 'tax',
    name: 'PutTaxRegistration',
    action: 'tax:PutTaxRegistration',
    input: () => ({ taxRegistrationEntry: TAX_ENTRY }),
  },
  {
    service: 'tax',
    name: 'BatchPutTaxRegistration',
    action: 'tax:BatchPutTaxRegistration',
    input: (accountId) => ({ accountIds: [accountId], taxRegistrationEntry: TAX_ENTRY }),
  },
  {
    service: 'invoicing',
    name: 'ListInvoiceSummaries',
    action: 'invoicing:ListInvoiceSummaries',
    input: (accountId) => ({ Selector: { ResourceType: 'ACCOUNT_ID', Value: accountId } }),
  },
  {
    service: 'billing',
    name: 'GetBillingData',
    action: 'billing:GetBillingData',
    input: () => ({ BillingPeriod: '2026-10' }),
  },
  {
    service: 'invoicing',
    name: 'GetInvoicePDF',
    action: 'invoicing:GetInvoicePDF',
    input: (accountId) => ({ InvoiceId: `BRS-${accountId}-202610` }),
  },
  {
    service: 'ce',
    name: 'GetCostAndUsage',
    action: 'ce:GetCostAndUsage',
    input: () => ({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
    }),
  },
  {
    service: 'ce',
    name: 'GetCostForecast',
    action: 'ce:GetCostForecast',
    input: () => ({
      TimePeriod: { Start: '2026-11-21', End: '2026-12-01' },
      Metric: 'UNBLENDED_COST',
      Granularity: 'MONTHLY',
    }),
  },
  {
    service: 'ce',
    name: 'GetDimensionValues',
    action: 'ce:GetDimensionValues',
    input: () => ({ TimePeriod: { Start: '2026-10-01', End: '2026-11-01' }, Dimension: 'SERVICE' }),
  },
  {
    service: 'ce',
    name: 'GetTags',
    action: 'ce:GetTags',
    input: () => ({ TimePeriod: { Start: '2026-10-01', End: '2026-11-01' } }),
  },
  { service: 'ce', name: 'ListCostAllocationTags', action: 'ce:ListCostAllocationTags', input: none },
  // Cost categories have no console page in Bursar yet: a console call answers to its own action, as from the API.
  {
    service: 'ce',
    name: 'CreateCostCategoryDefinition',
    action: 'ce:CreateCostCategoryDefinition',
    input: () => ({
      Name: 'Teams',
      RuleVersion: 'CostCategoryExpression.v1',
      Rules: [
        {
          Value: 'Compute',
          Rule: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } },
        },
      ],
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'ListCostCategoryDefinitions',
    action: 'ce:ListCostCategoryDefinitions',
    input: none,
    console: 'api',
  },
  {
    service: 'ce',
    name: 'DescribeCostCategoryDefinition',
    action: 'ce:DescribeCostCategoryDefinition',
    input: (accountId) => ({
      CostCategoryArn: `arn:aws:ce::${accountId}:costcategory/00000000-0000-4000-8000-000000000000`,
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'UpdateCostCategoryDefinition',
    action: 'ce:UpdateCostCategoryDefinition',
    input: (accountId) => ({
      CostCategoryArn: `arn:aws:ce::${accountId}:costcategory/00000000-0000-4000-8000-000000000000`,
      RuleVersion: 'CostCategoryExpression.v1',
      Rules: [
        {
          Value: 'Compute',
          Rule: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } },
        },
      ],
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'DeleteCostCategoryDefinition',
    action: 'ce:DeleteCostCategoryDefinition',
    input: (accountId) => ({
      CostCategoryArn: `arn:aws:ce::${accountId}:costcategory/00000000-0000-4000-8000-000000000000`,
    }),
    console: 'api',
  },
  // Anomaly detection, cost category values and Cost Explorer resource tags have no console page either.
  {
    service: 'ce',
    name: 'GetCostCategories',
    action: 'ce:GetCostCategories',
    input: () => ({ TimePeriod: { Start: '2026-10-01', End: '2026-11-01' } }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'GetCostAndUsageWithResources',
    action: 'ce:GetCostAndUsageWithResources',
    input: () => ({
      TimePeriod: { Start: '2026-11-10', End: '2026-11-20' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } },
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'GetUsageForecast',
    action: 'ce:GetUsageForecast',
    input: () => ({
      TimePeriod: { Start: '2026-11-21', End: '2026-12-01' },
      Metric: 'USAGE_QUANTITY',
      Granularity: 'MONTHLY',
      Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: ['BoxUsage:m7g.large'] } },
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'CreateAnomalyMonitor',
    action: 'ce:CreateAnomalyMonitor',
    input: () => ({
      AnomalyMonitor: { MonitorName: 'Services', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'GetAnomalyMonitors',
    action: 'ce:GetAnomalyMonitors',
    input: none,
    console: 'api',
  },
  {
    service: 'ce',
    name: 'UpdateAnomalyMonitor',
    action: 'ce:UpdateAnomalyMonitor',
    input: (accountId) => ({
      MonitorArn: `arn:aws:ce::${accountId}:anomalymonitor/00000000-0000-4000-8000-000000000000`,
      MonitorName: 'x',
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'DeleteAnomalyMonitor',
    action: 'ce:DeleteAnomalyMonitor',
    input: (accountId) => ({
      MonitorArn: `arn:aws:ce::${accountId}:anomalymonitor/00000000-0000-4000-8000-000000000000`,
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'CreateAnomalySubscription',
    action: 'ce:CreateAnomalySubscription',
    input: (accountId) => ({
      AnomalySubscription: {
        SubscriptionName: 'Finance',
        MonitorArnList: [`arn:aws:ce::${accountId}:anomalymonitor/00000000-0000-4000-8000-000000000000`],
        Subscribers: [{ Type: 'EMAIL', Address: 'cfo@example.com' }],
        Frequency: 'DAILY',
        ThresholdExpression: {
          Dimensions: {
            Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
            MatchOptions: ['GREATER_THAN_OR_EQUAL'],
            Values: ['100'],
          },
        },
      },
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'GetAnomalySubscriptions',
    action: 'ce:GetAnomalySubscriptions',
    input: none,
    console: 'api',
  },
  {
    service: 'ce',
    name: 'UpdateAnomalySubscription',
    action: 'ce:UpdateAnomalySubscription',
    input: (accountId) => ({
      SubscriptionArn: `arn:aws:ce::${accountId}:anomalysubscription/00000000-0000-4000-8000-000000000000`,
      Frequency: 'WEEKLY',
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'DeleteAnomalySubscription',
    action: 'ce:DeleteAnomalySubscription',
    input: (accountId) => ({
      SubscriptionArn: `arn:aws:ce::${accountId}:anomalysubscription/00000000-0000-4000-8000-000000000000`,
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'GetAnomalies',
    action: 'ce:GetAnomalies',
    input: () => ({ DateInterval: { StartDate: '2026-11-01', EndDate: '2026-11-19' } }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'ProvideAnomalyFeedback',
    action: 'ce:ProvideAnomalyFeedback',
    input: () => ({ AnomalyId: '00000000-0000-4000-8000-000000000000', Feedback: 'YES' }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'ListTagsForResource',
    action: 'ce:ListTagsForResource',
    input: (accountId) => ({
      ResourceArn: `arn:aws:ce::${accountId}:costcategory/00000000-0000-4000-8000-000000000000`,
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'TagResource',
    action: 'ce:TagResource',
    input: (accountId) => ({
      ResourceArn: `arn:aws:ce::${accountId}:costcategory/00000000-0000-4000-8000-000000000000`,
      ResourceTags: [{ Key: 'team', Value: 'fpa' }],
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'UntagResource',
    action: 'ce:UntagResource',
    input: (accountId) => ({
      ResourceArn: `arn:aws:ce::${accountId}:costcategory/00000000-0000-4000-8000-000000000000`,
      ResourceTagKeys: ['team'],
    }),
    console: 'api',
  },
  {
    service: 'ce',
    name: 'UpdateCostAllocationTagsStatus',
    action: 'ce:UpdateCostAllocationTagsStatus',
    input: () => ({ CostAllocationTagsStatus: [{ TagKey: 'team', Status: 'Active' }] }),
  },
  {
    service: 'budgets',
    name: 'DescribeBudgets',
    action: 'budgets:ViewBudget',
    input: (accountId) => ({ AccountId: accountId }),
  },
  {
    service: 'budgets',
    name: 'DescribeBudget',
    action: 'budgets:ViewBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly' }),
  },
  {
    service: 'budgets',
    name: 'CreateBudget',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({ AccountId: accountId, Budget: BUDGET }),
  },
  {
    service: 'budgets',
    name: 'UpdateBudget',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({ AccountId: accountId, NewBudget: BUDGET }),
  },
  {
    service: 'budgets',
    name: 'DescribeNotificationsForBudget',
    action: 'budgets:ViewBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly' }),
  },
  {
    service: 'budgets',
    name: 'CreateNotification',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({
      AccountId: accountId,
      BudgetName: 'Monthly',
      Notification: NOTIFICATION,
      Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
    }),
  },
  {
    service: 'budgets',
    name: 'DescribeSubscribersForNotification',
    action: 'budgets:ViewBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly', Notification: NOTIFICATION }),
  },
  {
    service: 'budgets',
    name: 'UpdateNotification',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({
      AccountId: accountId,
      BudgetName: 'Monthly',
      OldNotification: NOTIFICATION,
      NewNotification: NOTIFICATION,
    }),
  },
  {
    service: 'budgets',
    name: 'CreateSubscriber',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({
      AccountId: accountId,
      BudgetName: 'Monthly',
      Notification: NOTIFICATION,
      Subscriber: SUBSCRIBER,
    }),
  },
  {
    service: 'budgets',
    name: 'UpdateSubscriber',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({
      AccountId: accountId,
      BudgetName: 'Monthly',
      Notification: NOTIFICATION,
      OldSubscriber: SUBSCRIBER,
      NewSubscriber: { ...SUBSCRIBER, Address: 'controller@example.com' },
    }),
  },
  {
    service: 'budgets',
    name: 'DeleteSubscriber',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({
      AccountId: accountId,
      BudgetName: 'Monthly',
      Notification: NOTIFICATION,
      Subscriber: { ...SUBSCRIBER, Address: 'controller@example.com' },
    }),
  },
  {
    service: 'budgets',
    name: 'DescribeBudgetPerformanceHistory',
    action: 'budgets:ViewBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly' }),
  },
  {
    service: 'budgets',
    name: 'DeleteNotification',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly', Notification: NOTIFICATION }),
  },
  {
    service: 'budgets',
    name: 'DescribeBudgetNotificationsForAccount',
    action: 'budgets:ViewBudget',
    input: (accountId) => ({ AccountId: accountId }),
  },
  {
    service: 'budgets',
    name: 'TagResource',
    action: 'budgets:TagResource',
    input: (accountId) => ({
      ResourceARN: `arn:aws:budgets::${accountId}:budget/Monthly`,
      ResourceTags: [{ Key: 'team', Value: 'finance' }],
    }),
  },
  {
    service: 'budgets',
    name: 'ListTagsForResource',
    action: 'budgets:ListTagsForResource',
    input: (accountId) => ({ ResourceARN: `arn:aws:budgets::${accountId}:budget/Monthly` }),
  },
  {
    service: 'budgets',
    name: 'UntagResource',
    action: 'budgets:UntagResource',
    input: (accountId) => ({ ResourceARN: `arn:aws:budgets::${accountId}:budget/Monthly`, ResourceTagKeys: ['team'] }),
  },
  {
    service: 'budgets',
    name: 'CreateBudgetAction',
    action: 'budgets:CreateBudgetAction',
    alsoAsks: ['iam:PassRole'],
    input: (accountId) => ({
      AccountId: accountId,
      BudgetName: 'Monthly',
      NotificationType: 'ACTUAL',
      ActionType: 'APPLY_IAM_POLICY',
      ActionThreshold: { ActionThresholdValue: 90, ActionThresholdType: 'PERCENTAGE' },
      Definition: {
        IamActionDefinition: { PolicyArn: 'arn:aws:iam::aws:policy/AWSDenyAll', Groups: ['Developers'] },
      },
      ExecutionRoleArn: `arn:aws:iam::${accountId}:role/BudgetsActions`,
      ApprovalModel: 'MANUAL',
      Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
    }),
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'DescribeBudgetAction',
    action: 'budgets:DescribeBudgetAction',
    input: actionInput,
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'DescribeBudgetActionsForBudget',
    action: 'budgets:DescribeBudgetActionsForBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly' }),
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'DescribeBudgetActionsForAccount',
    action: 'budgets:DescribeBudgetActionsForAccount',
    input: (accountId) => ({ AccountId: accountId }),
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'DescribeBudgetActionHistories',
    action: 'budgets:DescribeBudgetActionHistories',
    input: actionInput,
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'UpdateBudgetAction',
    action: 'budgets:UpdateBudgetAction',
    alsoAsks: ['iam:PassRole'],
    input: (accountId) => ({
      ...actionInput(accountId),
      ExecutionRoleArn: `arn:aws:iam::${accountId}:role/BudgetsActions`,
    }),
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'ExecuteBudgetAction',
    action: 'budgets:ExecuteBudgetAction',
    input: (accountId) => ({ ...actionInput(accountId), ExecutionType: 'APPROVE_BUDGET_ACTION' }),
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'DeleteBudgetAction',
    action: 'budgets:DeleteBudgetAction',
    input: actionInput,
    console: 'api',
  },
  {
    service: 'budgets',
    name: 'DeleteBudget',
    action: 'budgets:ModifyBudget',
    input: (accountId) => ({ AccountId: accountId, BudgetName: 'Monthly' }),
  },
  { service: 'cur', name: 'DescribeReportDefinitions', action: 'cur:DescribeReportDefinitions', input: none },
  {
    service: 'cur',
    name: 'PutReportDefinition',
    action: 'cur:PutReportDefinition',
    input: () => ({ ReportDefinition: REPORT, Tags: [{ Key: 'team', Value: 'finance' }] }),
  },
  {
    service: 'cur',
    name: 'ModifyReportDefinition',
    action: 'cur:ModifyReportDefinition',
    input: () => ({ ReportName: REPORT.ReportName, ReportDefinition: { ...REPORT, TimeUnit: 'HOURLY' } }),
  },
  {
    service: 'cur',
    name: 'TagResource',
    action: 'cur:TagResource',
    input: () => ({ ReportName: REPORT.ReportName, Tags: [{ Key: 'owner', Value: 'bea' }] }),
  },
  {
    service: 'cur',
    name: 'ListTagsForResource',
    action: 'cur:ListTagsForResource',
    input: () => ({ ReportName: REPORT.ReportName }),
  },
  {
    service: 'cur',
    name: 'UntagResource',
    action: 'cur:UntagResource',
    input: () => ({ ReportName: REPORT.ReportName, TagKeys: ['owner'] }),
  },
  {
    service: 'cur',
    name: 'DeleteReportDefinition',
    action: 'cur:DeleteReportDefinition',
    input: () => ({ ReportName: REPORT.ReportName }),
  },
  // BCM Data Exports has no console page of its own yet: from the console it answers as from the API.
  {
    service: 'bcm-data-exports',
    name: 'CreateExport',
    action: 'bcm-data-exports:CreateExport',
    input: () => ({ Export: DATA_EXPORT }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'ListExports',
    action: 'bcm-data-exports:ListExports',
    input: none,
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'GetExport',
    action: 'bcm-data-exports:GetExport',
    input: (accountId) => ({ ExportArn: `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/matrix-0` }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'UpdateExport',
    action: 'bcm-data-exports:UpdateExport',
    input: (accountId) => ({ ExportArn: EXPORT_ARN(accountId), Export: DATA_EXPORT }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'TagResource',
    action: 'bcm-data-exports:TagResource',
    input: (accountId) => ({ ResourceArn: EXPORT_ARN(accountId), ResourceTags: [{ Key: 'team', Value: 'finance' }] }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'ListTagsForResource',
    action: 'bcm-data-exports:ListTagsForResource',
    input: (accountId) => ({ ResourceArn: EXPORT_ARN(accountId) }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'UntagResource',
    action: 'bcm-data-exports:UntagResource',
    input: (accountId) => ({ ResourceArn: EXPORT_ARN(accountId), ResourceTagKeys: ['team'] }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'ListExecutions',
    action: 'bcm-data-exports:ListExecutions',
    input: (accountId) => ({ ExportArn: EXPORT_ARN(accountId) }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'GetExecution',
    action: 'bcm-data-exports:GetExecution',
    input: (accountId) => ({ ExportArn: EXPORT_ARN(accountId), ExecutionId: 'none' }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'ListTables',
    action: 'bcm-data-exports:ListTables',
    input: none,
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'GetTable',
    action: 'bcm-data-exports:GetTable',
    input: () => ({ TableName: 'COST_AND_USAGE_REPORT' }),
    console: 'api',
  },
  {
    service: 'bcm-data-exports',
    name: 'DeleteExport',
    action: 'bcm-data-exports:DeleteExport',
    input: (accountId) => ({ ExportArn: `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/matrix-0` }),
    console: 'api',
  },
  { service: 'tax', name: 'DeleteTaxRegistration', action: 'tax:DeleteTaxRegistration', input: none },
  {
    service: 'tax',
    name: 'BatchDeleteTaxRegistration',
    action: 'tax:BatchDeleteTaxRegistration',
    input: (accountId) => ({ accountIds: [accountId] }),
  },
  {
    service: 'billing',
    name: 'GetIAMAccessPreference',
    action: 'billing:GetIAMAccessPreference',
    input: none,
  },
  {
    service: 'aws-portal',
    name: 'GetConsoleActionSetEnforced',
    action: 'aws-portal:GetConsoleActionSetEnforced',
    input: none,
    console: 'api',
  },
  {
    service: 'billing',
    name: 'GetBillingPreferences',
    action: 'billing:GetBillingPreferences',
    input: none,
  },
  {
    service: 'billing',
    name: 'UpdateBillingPreferences',
    action: 'billing:UpdateBillingPreferences',
    input: () => ({ InvoiceDeliveryByEmail: true }),
  },
];

const consoleGateOf = (op: BillingOperation) => op.console ?? CONSOLE_OPERATION_GATES[`${op.service}:${op.name}`];

// --- the oracle ----------------------------------------------------------------------------------------

const REASON_TEXT: Record<Exclude<Refusal, null>, (action: string) => string> = {
  implicit: (action) => `because no identity-based policy allows the ${action} action`,
  explicit: () => 'with an explicit deny in an identity-based policy',
  scp: () => 'with an explicit deny in a service control policy',
};

const expand = (pattern: string): readonly string[] => {
  if (!pattern.includes('*')) return [pattern];
  const concrete = catalog().expandAction(pattern);
  return concrete.length > 0 ? concrete : [pattern];
};

interface ExpectedDenial {
  kind: 'page' | 'action';
  reason: 'iam-access-off' | 'policy';
  missing: string[];
  message: string;
}

function missingOf(principal: Principal, patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => expand(pattern).some((action) => principal.refusal(action) !== null));
}

function buttonMessage(missing: string[]): string {
  const names = [...new Set(missing.map((a) => (a.startsWith('aws-portal:') ? a.slice('aws-portal:'.length) : a)))];
  return `You need ${names.join(' and ')} permissions to make changes to this page. Contact your AWS administrator if you need help.`;
}

function expectedGate(
  principal: Principal,
  set: ConsoleActionSet,
  switchOn: boolean,
  pageId: string,
  button?: string,
): ExpectedDenial | null {
  const page = consolePage(pageId)!;
  const pageDenial = (reason: ExpectedDenial['reason'], missing: string[]): ExpectedDenial => ({
    kind: 'page',
    reason,
    missing,
    message: `${YOU_NEED_PERMISSIONS}: ${YOU_NEED_PERMISSIONS_BODY}`,
  });
  if (principal.caller.kind !== 'root' && page.governed && !switchOn) return pageDenial('iam-access-off', []);
  const view = requiredActions(page, set);
  const viewMissing = missingOf(principal, view);
  if (viewMissing.length > 0) return pageDenial('policy', viewMissing);
  if (button === undefined) return null;
  const buttonOnly = requiredActions(page, set, button).filter((a) => !view.includes(a));
  const buttonMissing = missingOf(principal, buttonOnly);
  if (buttonMissing.length === 0) return null;
  return { kind: 'action', reason: 'policy', missing: buttonMissing, message: buttonMessage(buttonMissing) };
}

// --- the world -----------------------------------------------------------------------------------------

let opened: OpenedDatabase;
let world: World;
let memberAccount: string;
const principals: Principal[] = [];

const facts = (via: RequestFacts['via']): RequestFacts => ({
  requestId: 'matrix',
  sourceIp: '203.0.113.10',
  userAgent: 'seed-matrix',
  now: NOW,
  via,
});
const rootOf = (accountId: string): Caller => ({
  kind: 'root',
  accountId,
  arn: `arn:aws:iam::${accountId}:root`,
  userId: accountId,
});
const asRoot = (accountId: string, service: string, name: string, input: Record<string, unknown> = {}) =>
  world.invoke(rootOf(accountId), facts('json'), service, name, input);

async function createUser(accountId: string, userName: string, policyArns: string[]): Promise<Caller> {
  const { User } = (await asRoot(accountId, 'iam', 'CreateUser', { UserName: userName })) as {
    User: { UserId: string; Arn: string };
  };
  for (const arn of policyArns) {
    await asRoot(accountId, 'iam', 'AttachUserPolicy', { UserName: userName, PolicyArn: arn });
  }
  return { kind: 'user', accountId, arn: User.Arn, userId: User.UserId, name: userName };
}

async function createPolicy(accountId: string, name: string, document: unknown): Promise<string> {
  const { Policy } = (await asRoot(accountId, 'iam', 'CreatePolicy', {
    PolicyName: name,
    PolicyDocument: JSON.stringify(document),
  })) as { Policy: { Arn: string } };
  return Policy.Arn;
}

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

before(async () => {
  opened = await openDatabase({ ephemeral: true });
  world = await buildWorld({
    database: opened,
    clock: new FixedClock(NOW),
    ids: seededIdSource('seed-matrix'),
    logger: silentLogger,
    region: 'us-east-1',
    passwordHashCost: 1024,
  });
  await world.accounts.signUp({
    email: 'root@example.com',
    password: 'Root-Passw0rd!',
    accountName: 'Example',
    accountId: MGMT,
  });

  // The seed tutorial's two customer managed policies, and AWS's §5.9 deny.
  const fullAccess = await createPolicy(MGMT, 'BillingFullAccess', {
    Version: '2012-10-17',
    Statement: [{ Sid: 'VisualEditor0', Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }],
  });
  const viewAccess = await createPolicy(MGMT, 'BillingViewAccess', {
    Version: '2012-10-17',
    Statement: [{ Sid: 'VisualEditor0', Effect: 'Allow', Action: 'aws-portal:View*', Resource: '*' }],
  });
  const denyBilling = await createPolicy(MGMT, 'DenyBillingAndIam', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['aws-portal:*', 'iam:*'], Resource: '*' }],
  });

  // An organization whose member account sits under an SCP that denies billing.
  await asRoot(MGMT, 'organizations', 'CreateOrganization', { FeatureSet: 'ALL' });
  const { Roots } = (await asRoot(MGMT, 'organizations', 'ListRoots')) as { Roots: Array<{ Id: string }> };
  await asRoot(MGMT, 'organizations', 'EnablePolicyType', {
    RootId: Roots[0]!.Id,
    PolicyType: 'SERVICE_CONTROL_POLICY',
  });
  const created = (await asRoot(MGMT, 'organizations', 'CreateAccount', {
    Email: 'member@example.com',
    AccountName: 'Member',
  })) as { CreateAccountStatus: { AccountId: string } };
  memberAccount = created.CreateAccountStatus.AccountId;
  const scp = (await asRoot(MGMT, 'organizations', 'CreatePolicy', {
    Name: 'DenyBilling',
    Description: 'No billing in member accounts',
    Type: 'SERVICE_CONTROL_POLICY',
    Content: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: BILLING_PREFIXES.map((p) => `${p}:*`), Resource: '*' }],
    }),
  })) as { Policy: { PolicySummary: { Id: string } } };
  await asRoot(MGMT, 'organizations', 'AttachPolicy', {
    PolicyId: scp.Policy.PolicySummary.Id,
    TargetId: memberAccount,
  });

  principals.push(
    { label: 'root', caller: rootOf(MGMT), refusal: () => null },
    {
      label: 'FinanceManager (aws-portal:*)',
      caller: await createUser(MGMT, 'FinanceManager', [fullAccess]),
      refusal: (a) => (prefixOf(a) === 'aws-portal' ? null : 'implicit'),
    },
    {
      label: 'FinanceUser (aws-portal:View*)',
      caller: await createUser(MGMT, 'FinanceUser', [viewAccess]),
      refusal: (a) => (a.startsWith('aws-portal:View') ? null : 'implicit'),
    },
    { label: 'a user with no policy', caller: await createUser(MGMT, 'Nobody', []), refusal: () => 'implicit' },
    {
      label: 'AdministratorAccess + deny billing (§5.9)',
      caller: await createUser(MGMT, 'Builder', [ADMINISTRATOR_ACCESS, denyBilling]),
      refusal: (a) => (['aws-portal', 'iam'].includes(prefixOf(a)) ? 'explicit' : null),
    },
    {
      label: 'member administrator under a billing-deny SCP',
      caller: await createUser(memberAccount, 'MemberAdmin', [ADMINISTRATOR_ACCESS]),
      refusal: (a) => (BILLING_PREFIXES.includes(prefixOf(a)) ? 'scp' : null),
    },
  );

  // Data the reads find, so an allowed call succeeds rather than finding nothing.
  for (const account of [MGMT, memberAccount]) {
    await world.database.db
      .insertInto('account_contact_information')
      .values({ account_id: account, contact_information: JSON.stringify(CONTACT), updated_at: NOW.toISOString() })
      .execute();
  }
});

after(async () => {
  await opened.close();
});

async function outcome(
  caller: Caller,
  via: RequestFacts['via'],
  op: BillingOperation,
): Promise<{ denied: false } | { denied: true; message: string }> {
  try {
    await world.invoke(caller, facts(via), op.service, op.name, op.input(caller.accountId));
    return { denied: false };
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.code === 'AccessDenied') return { denied: true, message: e.message };
    return { denied: false };
  }
}

it('the matrix covers every billing operation the server registers', () => {
  const covered = new Set([...OPERATIONS.map((op) => `${op.service}:${op.name}`), ...SETTINGS_SWITCHES]);
  const registered = BILLING_SERVICES.flatMap((service) => world.registry.names(service).map((n) => `${service}:${n}`));
  assert.deepEqual(
    registered.filter((name) => !covered.has(name)),
    [],
  );
});

const SETS: ConsoleActionSet[] = ['existing', 'fine-grained'];
const WIRE_SET: Record<ConsoleActionSet, string> = { existing: 'EXISTING', 'fine-grained': 'FINE_GRAINED' };

for (const set of SETS) {
  for (const switchOn of [true, false]) {
    describe(`console action set ${set}, IAM access to billing ${switchOn ? 'on' : 'off'}`, () => {
      before(async () => {
        await asRoot(MGMT, 'aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: WIRE_SET[set] });
        await asRoot(MGMT, 'billing', 'UpdateIAMAccessPreference', {
          IamUserAccessToBilling: switchOn ? 'ALLOW' : 'DENY',
        });
        // The member's own root is bound by the SCP too (as in AWS), so its settings are set in the store.
        await new BillingConsoleSettingsStore(
          world.database.db,
          new FixedClock(NOW),
          billingDirectory(world.database.db),
        ).update(memberAccount, {
          consoleActionSet: set,
          iamAccessToBilling: switchOn,
        });
      });

      it('API calls answer to their own service actions, whatever the switch and action set', async () => {
        for (const principal of principals) {
          for (const op of OPERATIONS) {
            const action = refusedAction(principal, op);
            const refusal = action === undefined ? null : principal.refusal(action);
            const result = await outcome(principal.caller, 'json', op);
            const where = `${principal.label} → ${op.service}:${op.name} (API)`;
            assert.equal(result.denied, refusal !== null, where);
            if (result.denied && refusal !== null && action !== undefined) {
              const head = `User: ${principal.caller.arn} is not authorized to perform: ${action} on resource: `;
              assert.ok(result.message.startsWith(head), `${where}: ${result.message}`);
              assert.ok(result.message.endsWith(REASON_TEXT[refusal](action)), `${where}: ${result.message}`);
            }
          }
        }
      });

      it('console calls answer to their page and button, the action set and the switch', async () => {
        for (const principal of principals) {
          for (const op of OPERATIONS) {
            const gate = consoleGateOf(op);
            assert.ok(gate !== undefined, `${op.service}:${op.name} has a console page`);
            const result = await outcome(principal.caller, 'console', op);
            if (gate === 'api') {
              const where = `${principal.label} → ${op.service}:${op.name} (console, as the API)`;
              assert.equal(result.denied, refusedAction(principal, op) !== undefined, where);
              continue;
            }
            const expected = expectedGate(principal, set, switchOn, gate.page, gate.button);
            const where = `${principal.label} → ${op.service}:${op.name} (console, ${gate.page}/${gate.button ?? 'view'})`;
            assert.equal(result.denied, expected !== null, where);
            if (result.denied && expected !== null) assert.equal(result.message, expected.message, where);
          }
        }
      });

      it('the access matrix (GetAccessMatrix --pages billing) says the same for every principal, page and button', async () => {
        const matrix = (await asRoot(MGMT, 'bursar', 'GetAccessMatrix', { Pages: 'billing', Explain: true })) as {
          Columns: { Id: string; PageId: string; ButtonId?: string }[];
          Principals: {
            Arn: string;
            AccountId: string;
            Name: string;
            Decisions: string[];
            Cells: { Reason?: string; MissingActions: string[] }[];
          }[];
        };
        for (const principal of principals) {
          const arn =
            principal.caller.kind === 'root' ? `arn:aws:iam::${principal.caller.accountId}:root` : principal.caller.arn;
          const row = matrix.Principals.find((p) => p.Arn === arn);
          assert.ok(row !== undefined, `${principal.label} is in the matrix`);
          for (const [i, column] of matrix.Columns.entries()) {
            const where = `${principal.label} → ${column.Id}`;
            const expected = expectedGate(principal, set, switchOn, column.PageId, column.ButtonId);
            assert.equal(row.Decisions[i], expected === null ? 'allowed' : 'denied', where);
            if (expected !== null) {
              assert.equal(row.Cells[i]!.Reason, expected.reason, where);
              assert.deepEqual(row.Cells[i]!.MissingActions, expected.missing, where);
            }
          }
        }
        // Every page and button of the map is a column, and the member account's root is a row (under its SCP).
        assert.equal(
          matrix.Columns.length,
          CONSOLE_PAGES.reduce((n, page) => n + 1 + Object.keys(page.buttons).length, 0),
        );
        assert.ok(matrix.Principals.some((p) => p.AccountId === memberAccount && p.Name === 'root'));
      });

      it('CheckConsoleAccess reports every page and button as the map, the set and the switch say', async () => {
        for (const principal of principals) {
          for (const page of CONSOLE_PAGES) {
            const buttons = Object.keys(page.buttons);
            const answer = (await world.invoke(principal.caller, facts('console'), 'bursar', 'CheckConsoleAccess', {
              Page: page.id,
              Buttons: buttons,
            })) as {
              Allowed: boolean;
              Denial?: { Kind: string; Reason: string; MissingActions: string[]; Message: string };
              ButtonDenials: Record<string, { Kind: string; MissingActions: string[]; Message: string }>;
            };
            const where = `${principal.label} → page ${page.id}`;
            const expected = expectedGate(principal, set, switchOn, page.id);
            assert.equal(answer.Allowed, expected === null, where);
            if (expected !== null) {
              assert.equal(answer.Denial?.Kind, 'PAGE', where);
              assert.equal(
                answer.Denial?.Reason,
                expected.reason === 'iam-access-off' ? 'IAM_ACCESS_OFF' : 'POLICY',
                where,
              );
              assert.deepEqual(answer.Denial?.MissingActions, expected.missing, where);
              assert.equal(answer.Denial?.Message, YOU_NEED_PERMISSIONS_BODY, where);
              continue;
            }
            const expectedButtons = Object.fromEntries(
              buttons.flatMap((button) => {
                const denial = expectedGate(principal, set, switchOn, page.id, button);
                return denial === null ? [] : [[button, { missing: denial.missing, message: denial.message }]];
              }),
            );
            assert.deepEqual(
              Object.fromEntries(
                Object.entries(answer.ButtonDenials).map(([button, d]) => [
                  button,
                  { missing: d.MissingActions, message: d.Message },
                ]),
              ),
              expectedButtons,
              where,
            );
          }
        }
      });
    });
  }
}

describe('the seed tutorial, spelled out', () => {
  before(async () => {
    await asRoot(MGMT, 'aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: 'EXISTING' });
    await asRoot(MGMT, 'billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
  });

  it('FinanceUser opens Billing preferences but Save preferences needs ModifyBilling', async () => {
    const financeUser = principals.find((p) => p.label.startsWith('FinanceUser'))!.caller;
    await world.invoke(financeUser, facts('console'), 'billing', 'GetBillingPreferences', {});
    await assert.rejects(
      world.invoke(financeUser, facts('console'), 'billing', 'UpdateBillingPreferences', {
        InvoiceDeliveryByEmail: true,
      }),
      (error: Error) => {
        assert.equal(
          error.message,
          'You need ModifyBilling permissions to make changes to this page. Contact your AWS administrator if you need help.',
        );
        return true;
      },
    );
  });

  it('FinanceManager saves preferences and sees bills; from the API neither has any billing action', async () => {
    const manager = principals.find((p) => p.label.startsWith('FinanceManager'))!.caller;
    await world.invoke(manager, facts('console'), 'billing', 'UpdateBillingPreferences', {
      InvoiceDeliveryByEmail: true,
    });
    const selector = { Selector: { ResourceType: 'ACCOUNT_ID', Value: MGMT } };
    await world.invoke(manager, facts('console'), 'invoicing', 'ListInvoiceSummaries', selector);
    await assert.rejects(
      world.invoke(manager, facts('json'), 'invoicing', 'ListInvoiceSummaries', selector),
      /invoicing:ListInvoiceSummaries/,
    );
  });

  it('a card number is refused before the gate, so not even a denied call records it', async () => {
    const financeUser = principals.find((p) => p.label.startsWith('FinanceUser'))!.caller;
    for (const via of ['console', 'json'] as const) {
      await assert.rejects(
        world.invoke(financeUser, facts(via), 'payments', 'CreatePaymentInstrument', {
          ...CARD,
          CardNumber: '4000 0566 5566 5556',
        }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'ValidationException');
          return true;
        },
      );
    }
    const events = await world.database.db.selectFrom('audit_events').select('event').execute();
    assert.ok(!events.some((row) => row.event.includes('5566')));
  });

  it('only root flips the IAM-access switch; FinanceManager (aws-portal:*) cannot', async () => {
    const manager = principals.find((p) => p.label.startsWith('FinanceManager'))!.caller;
    await assert.rejects(
      world.invoke(manager, facts('console'), 'billing', 'UpdateIAMAccessPreference', {
        IamUserAccessToBilling: 'DENY',
      }),
      (error: Error & { code?: string }) => error.code === 'AccessDenied',
    );
    const { IamUserAccessToBilling } = await asRoot(MGMT, 'billing', 'GetIAMAccessPreference');
    assert.equal(IamUserAccessToBilling, 'ALLOW');
  });

  it("a console call answers to its page and still to the operation's own refusals", async () => {
    const manager = principals.find((p) => p.label.startsWith('FinanceManager'))!.caller;
    const outsider = '999999999999';
    // aws-portal:ViewAccount opens the Account page, but no page lets anyone act on another account.
    await world.invoke(manager, facts('console'), 'account', 'GetContactInformation', {});
    await assert.rejects(
      world.invoke(manager, facts('console'), 'account', 'GetContactInformation', { AccountId: outsider }),
      { code: 'AccessDenied', message: new RegExp(`is not authorized to act on account ${outsider}`) },
    );
    // Root passes every page; another account's budgets stay refused.
    await assert.rejects(
      world.invoke(rootOf(MGMT), facts('console'), 'budgets', 'DescribeBudgets', { AccountId: outsider }),
      { code: 'AccessDeniedException', message: `You are not authorized to manage budgets of account ${outsider}.` },
    );
  });

  it('console billing calls are audited as Allowed or denied, with the page actions evaluated', async () => {
    const who = (prefix: string) => principals.find((p) => p.label.startsWith(prefix))!.caller;
    await new BillingConsoleSettingsStore(
      world.database.db,
      new FixedClock(NOW),
      billingDirectory(world.database.db),
    ).update(memberAccount, {
      consoleActionSet: 'existing',
      iamAccessToBilling: false,
    });
    const costs = OPERATIONS.find((op) => op.name === 'GetCostAndUsage')!.input(MGMT);
    const calls: Array<[string, Caller, string, string, Record<string, unknown>]> = [
      ['manager-saves', who('FinanceManager'), 'billing', 'UpdateBillingPreferences', { InvoiceDeliveryByEmail: true }],
      ['user-saves', who('FinanceUser'), 'billing', 'UpdateBillingPreferences', { InvoiceDeliveryByEmail: false }],
      ['user-reads', who('FinanceUser'), 'billing', 'GetBillingPreferences', {}],
      ['nobody-reads', who('a user with no policy'), 'billing', 'GetBillingPreferences', {}],
      ['builder-reads-costs', who('AdministratorAccess'), 'ce', 'GetCostAndUsage', costs],
      ['member-reads-switch-off', who('member administrator'), 'billing', 'GetBillingPreferences', {}],
    ];
    for (const [requestId, caller, service, name, input] of calls) {
      await world.invoke(caller, { ...facts('console'), requestId }, service, name, input).catch(() => undefined);
    }
    const rows = await world.database.db.selectFrom('audit_events').select('event').execute();
    const recorded = new Map(
      rows
        .map((row) => JSON.parse(row.event) as { requestID: string; decision: string; evaluatedActions?: string[] })
        .filter((event) => calls.some(([requestId]) => requestId === event.requestID))
        .map((event) => [event.requestID, [event.decision, event.evaluatedActions]]),
    );
    const modify = ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling'];
    assert.deepEqual(Object.fromEntries(recorded), {
      'manager-saves': ['Allowed', modify],
      'user-saves': ['ImplicitlyDenied', modify],
      // An allowed read is not recorded, from the console as from the APIs: the trail keeps changes and denials.
      'nobody-reads': ['ImplicitlyDenied', ['aws-portal:ViewBilling']],
      'builder-reads-costs': ['ExplicitlyDenied', ['aws-portal:ViewBilling']],
      'member-reads-switch-off': ['ExplicitlyDenied', ['aws-portal:ViewBilling']],
    });
  });

  it('denied calls are audited', async () => {
    const denied = await world.database.db
      .selectFrom('audit_events')
      .select(['event_name'])
      .where('error_code', '=', 'AccessDenied')
      .execute();
    assert.ok(denied.some((row) => row.event_name === 'UpdateBillingPreferences'));
  });
});
