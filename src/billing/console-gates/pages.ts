/**
 * The Billing and Cost Management console's pages and buttons, and the IAM actions each needs, in both
 * console action sets: the *existing* (legacy `aws-portal`) set and the *fine-grained* set. Data only,
 * from AWS's page tables (billing-permissions.md §3); the one place the console's gates are defined.
 *
 * Conventions:
 * - `view` is what opening the page needs; a button needs its own actions *and* the page's view actions
 *   (in the existing set, a Modify also needs its View: AWS documents that ModifyBilling works only
 *   together with ViewBilling, and so on).
 * - Fine-grained lists keep AWS's wildcard notation (`billing:Get*`); the gate expands them with the
 *   catalog and asks for every concrete action.
 * - `governed`: whether the "IAM user and role access to Billing information" switch guards the page.
 *   AWS lists some pages as governed, some as explicitly not; pages AWS lists neither way are treated
 *   as governed, the cautious reading.
 */

export type ConsoleActionSet = 'existing' | 'fine-grained';

export interface ActionsBySet {
  existing: readonly string[];
  fineGrained: readonly string[];
}

export interface ConsoleButton extends ActionsBySet {
  label: string;
}

export interface ConsolePage {
  id: string;
  title: string;
  /** The legacy console's hash route, as AWS's documentation links it. */
  route: string;
  governed: boolean;
  view: ActionsBySet;
  buttons: Readonly<Record<string, ConsoleButton>>;
}

const page = (p: ConsolePage): ConsolePage => p;

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  page({
    id: 'billing-home',
    title: 'Billing and Cost Management home',
    route: '/billing/home#/',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: ['account:GetAccountInformation', 'billing:Get*', 'payments:List*', 'tax:List*'],
    },
    buttons: {},
  }),
  page({
    id: 'bills',
    title: 'Bills',
    route: '/billing/home#/bills',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: [
        'account:GetAccountInformation',
        'billing:Get*',
        'consolidatedbilling:Get*',
        'consolidatedbilling:List*',
        'invoicing:List*',
        'payments:List*',
      ],
    },
    buttons: {
      'download-invoice': {
        label: 'Download invoice',
        existing: ['aws-portal:ViewBilling'],
        fineGrained: ['invoicing:Get*'],
      },
      'download-csv': { label: 'Download all to CSV', existing: ['aws-portal:ViewBilling'], fineGrained: ['cur:Get*'] },
    },
  }),
  page({
    id: 'payments',
    title: 'Payments',
    route: '/billing/home#/paymentsoverview',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: ['account:GetAccountInformation', 'billing:Get*', 'payments:Get*', 'payments:List*'],
    },
    buttons: {
      'make-payment': {
        label: 'Complete payment',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['payments:Make*', 'invoicing:Get*'],
      },
    },
  }),
  page({
    id: 'credits',
    title: 'Credits',
    route: '/billing/home#/credits',
    governed: true,
    view: { existing: ['aws-portal:ViewBilling'], fineGrained: ['billing:Get*', 'account:GetAccountInformation'] },
    buttons: {
      'redeem-credit': {
        label: 'Redeem credit',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['billing:RedeemCredits'],
      },
    },
  }),
  page({
    id: 'cost-and-usage-reports',
    title: 'Cost and usage reports',
    route: '/billing/home#/reports',
    governed: true,
    view: {
      existing: ['aws-portal:ViewUsage', 'aws-portal:ViewBilling', 'cur:DescribeReportDefinitions'],
      fineGrained: ['cur:GetClassic*', 'cur:DescribeReportDefinitions'],
    },
    buttons: {
      'create-report': {
        label: 'Create report',
        existing: ['cur:PutReportDefinition'],
        fineGrained: ['cur:Validate*', 'cur:PutReportDefinition'],
      },
      'edit-report': {
        label: 'Edit',
        existing: ['cur:ModifyReportDefinition'],
        fineGrained: ['cur:Validate*', 'cur:ModifyReportDefinition'],
      },
      'delete-report': {
        label: 'Delete',
        existing: ['cur:DeleteReportDefinition'],
        fineGrained: ['cur:DeleteReportDefinition'],
      },
    },
  }),
  page({
    id: 'cost-allocation-tags',
    title: 'Cost allocation tags',
    route: '/billing/home#/tags',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: [
        'account:GetAccountInformation',
        'ce:ListCostAllocationTags',
        'consolidatedbilling:GetAccountBillingRole',
      ],
    },
    buttons: {
      activate: {
        label: 'Activate',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['ce:UpdateCostAllocationTagsStatus'],
      },
    },
  }),
  page({
    id: 'budgets',
    title: 'Budgets',
    route: '/billing/home#/budgets',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling', 'budgets:ViewBudget'],
      fineGrained: ['budgets:ViewBudget', 'budgets:DescribeBudgetActionsForAccount'],
    },
    buttons: {
      'create-budget': {
        label: 'Create budget',
        existing: ['aws-portal:ModifyBilling', 'budgets:ModifyBudget'],
        fineGrained: ['budgets:ModifyBudget'],
      },
    },
  }),
  page({
    id: 'free-tier',
    title: 'Free Tier',
    route: '/billing/home#/freetier',
    governed: true,
    view: { existing: ['aws-portal:ViewBilling'], fineGrained: ['billing:Get*', 'freetier:Get*'] },
    buttons: {},
  }),
  page({
    id: 'billing-preferences',
    title: 'Billing preferences',
    route: '/billing/home#/preferences',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: [
        'account:GetAccountInformation',
        'billing:Get*',
        'consolidatedbilling:Get*',
        'consolidatedbilling:List*',
        'freetier:Get*',
        'invoicing:Get*',
      ],
    },
    buttons: {
      'save-preferences': {
        label: 'Save preferences',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['billing:UpdateBillingPreferences', 'freetier:PutFreeTierAlertPreference'],
      },
    },
  }),
  page({
    id: 'payment-preferences',
    title: 'Payment preferences',
    route: '/billing/home#/paymentmethods',
    governed: true,
    view: {
      existing: ['aws-portal:ViewPaymentMethods'],
      fineGrained: [
        'account:GetAccountInformation',
        'billing:Get*',
        'payments:GetPaymentInstrument',
        'payments:List*',
        'payments:GetPaymentStatus',
      ],
    },
    buttons: {
      'add-payment-method': {
        label: 'Add payment method',
        existing: ['aws-portal:ModifyPaymentMethods'],
        fineGrained: ['payments:CreatePaymentInstrument', 'payments:Update*'],
      },
      'make-default': {
        label: 'Make default',
        existing: ['aws-portal:ModifyPaymentMethods'],
        fineGrained: ['payments:UpdatePaymentInstrument'],
      },
      'remove-payment-method': {
        label: 'Remove',
        existing: ['aws-portal:ModifyPaymentMethods'],
        fineGrained: ['payments:DeletePaymentInstrument'],
      },
      'edit-payment-preferences': {
        label: 'Edit payment preferences',
        existing: ['aws-portal:ModifyPaymentMethods'],
        fineGrained: ['payments:UpdatePaymentPreferences'],
      },
    },
  }),
  page({
    id: 'tax-settings',
    title: 'Tax settings',
    route: '/billing/home#/tax',
    governed: true,
    view: { existing: ['aws-portal:ViewBilling'], fineGrained: ['tax:List*', 'tax:Get*'] },
    buttons: {
      'edit-tax-registration': {
        label: 'Edit',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['tax:BatchPut*'],
      },
    },
  }),
  page({
    id: 'account',
    title: 'Account',
    route: '/billing/home#/account',
    governed: true,
    view: {
      existing: ['aws-portal:ViewAccount'],
      fineGrained: ['account:Get*', 'account:List*', 'billing:Get*', 'payments:List*'],
    },
    buttons: {
      'edit-contact-information': {
        label: 'Edit',
        existing: ['aws-portal:ModifyAccount'],
        fineGrained: ['account:PutContactInformation'],
      },
      'edit-alternate-contacts': {
        label: 'Edit',
        existing: ['aws-portal:ModifyAccount'],
        fineGrained: ['account:PutAlternateContact'],
      },
      'edit-iam-access': {
        label: 'Edit',
        existing: ['aws-portal:ModifyAccount'],
        fineGrained: ['billing:UpdateIAMAccessPreference'],
      },
    },
  }),
  page({
    id: 'cost-explorer',
    title: 'Cost Explorer',
    route: '/cost-management/home#/cost-explorer',
    governed: true,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: ['ce:GetDimensionValues', 'ce:GetCostAndUsage', 'ce:GetCostForecast', 'ce:GetTags'],
    },
    buttons: {
      'save-report': {
        label: 'Save to report library',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['ce:CreateReport'],
      },
    },
  }),
  page({
    id: 'cost-management-preferences',
    title: 'Cost Management preferences',
    route: '/cost-management/home#/settings',
    governed: true,
    view: { existing: ['aws-portal:ViewBilling'], fineGrained: ['ce:GetPreferences'] },
    buttons: {
      'save-preferences': {
        label: 'Save preferences',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['ce:UpdatePreferences'],
      },
    },
  }),
  page({
    id: 'anomaly-detection',
    title: 'Cost Anomaly Detection',
    route: '/cost-management/home#/anomaly-detection',
    governed: false,
    view: {
      existing: ['aws-portal:ViewBilling'],
      fineGrained: ['ce:GetAnomalyMonitors', 'ce:GetAnomalySubscriptions', 'ce:GetAnomalies'],
    },
    buttons: {
      'create-monitor': {
        label: 'Create monitor',
        existing: ['aws-portal:ModifyBilling'],
        fineGrained: ['ce:CreateAnomalyMonitor'],
      },
    },
  }),
  // Bursar's own page (AWS has none): the console's form of `bursar import`. Its one action is the upload, so
  // opening it asks for that action in both sets; the switch governs it like every page of billing data.
  page({
    id: 'upload-cost-data',
    title: 'Upload cost data',
    route: '/billing/home#/upload',
    governed: true,
    view: { existing: ['bursar:ImportCostData'], fineGrained: ['bursar:ImportCostData'] },
    buttons: {},
  }),
];

/**
 * Operations the console pages call (Cost Explorer, Budgets, the billing preferences…) and the page (and
 * button) whose gate a console call of them answers to (invoke() asks it through BillingConsoleGate.rule). From the APIs they need their own actions, as in AWS; from the console
 * the page's actions in the account's action set, as AWS's console pages do, so a legacy `aws-portal:ViewBilling`
 * user sees costs.
 */
export const CONSOLE_OPERATION_GATES: Readonly<Record<string, { page: string; button?: string }>> = {
  'billing:GetBillingPreferences': { page: 'billing-preferences' },
  'billing:UpdateBillingPreferences': { page: 'billing-preferences', button: 'save-preferences' },
  'billing:GetIAMAccessPreference': { page: 'account' },
  'ce:GetCostAndUsage': { page: 'cost-explorer' },
  'ce:GetCostForecast': { page: 'cost-explorer' },
  'ce:GetDimensionValues': { page: 'cost-explorer' },
  'ce:GetTags': { page: 'cost-explorer' },
  'bursar:DescribeCostReports': { page: 'cost-explorer' },
  'bursar:CreateCostReport': { page: 'cost-explorer', button: 'save-report' },
  'bursar:UpdateCostReport': { page: 'cost-explorer', button: 'save-report' },
  'bursar:DeleteCostReport': { page: 'cost-explorer', button: 'save-report' },
  'budgets:DescribeBudgets': { page: 'budgets' },
  'budgets:DescribeBudget': { page: 'budgets' },
  'budgets:CreateBudget': { page: 'budgets', button: 'create-budget' },
  'budgets:UpdateBudget': { page: 'budgets', button: 'create-budget' },
  'budgets:DeleteBudget': { page: 'budgets', button: 'create-budget' },
  'budgets:DescribeNotificationsForBudget': { page: 'budgets' },
  'budgets:DescribeSubscribersForNotification': { page: 'budgets' },
  'budgets:CreateNotification': { page: 'budgets', button: 'create-budget' },
  'budgets:DeleteNotification': { page: 'budgets', button: 'create-budget' },
  'budgets:UpdateNotification': { page: 'budgets', button: 'create-budget' },
  'budgets:CreateSubscriber': { page: 'budgets', button: 'create-budget' },
  'budgets:UpdateSubscriber': { page: 'budgets', button: 'create-budget' },
  'budgets:DeleteSubscriber': { page: 'budgets', button: 'create-budget' },
  'budgets:DescribeBudgetPerformanceHistory': { page: 'budgets' },
  'budgets:DescribeBudgetNotificationsForAccount': { page: 'budgets' },
  'budgets:ListTagsForResource': { page: 'budgets' },
  'budgets:TagResource': { page: 'budgets', button: 'create-budget' },
  'budgets:UntagResource': { page: 'budgets', button: 'create-budget' },
  'account:GetContactInformation': { page: 'account' },
  'account:GetAlternateContact': { page: 'account' },
  'account:PutContactInformation': { page: 'account', button: 'edit-contact-information' },
  'account:PutAlternateContact': { page: 'account', button: 'edit-alternate-contacts' },
  'account:DeleteAlternateContact': { page: 'account', button: 'edit-alternate-contacts' },
  'payments:ListPaymentInstruments': { page: 'payment-preferences' },
  'payments:GetPaymentInstrument': { page: 'payment-preferences' },
  'payments:ListPaymentPreferences': { page: 'payment-preferences' },
  'payments:CreatePaymentInstrument': { page: 'payment-preferences', button: 'add-payment-method' },
  'payments:UpdatePaymentInstrument': { page: 'payment-preferences', button: 'make-default' },
  'payments:DeletePaymentInstrument': { page: 'payment-preferences', button: 'remove-payment-method' },
  'payments:UpdatePaymentPreferences': { page: 'payment-preferences', button: 'edit-payment-preferences' },
  'tax:GetTaxRegistration': { page: 'tax-settings' },
  'tax:ListTaxRegistrations': { page: 'tax-settings' },
  'tax:PutTaxRegistration': { page: 'tax-settings', button: 'edit-tax-registration' },
  'tax:DeleteTaxRegistration': { page: 'tax-settings', button: 'edit-tax-registration' },
  'tax:BatchPutTaxRegistration': { page: 'tax-settings', button: 'edit-tax-registration' },
  'tax:BatchDeleteTaxRegistration': { page: 'tax-settings', button: 'edit-tax-registration' },
  'invoicing:ListInvoiceSummaries': { page: 'bills' },
  'billing:GetBillingData': { page: 'bills' },
  'invoicing:GetInvoicePDF': { page: 'bills', button: 'download-invoice' },
  'cur:DescribeReportDefinitions': { page: 'cost-and-usage-reports' },
  'cur:PutReportDefinition': { page: 'cost-and-usage-reports', button: 'create-report' },
  'cur:ModifyReportDefinition': { page: 'cost-and-usage-reports', button: 'edit-report' },
  'cur:DeleteReportDefinition': { page: 'cost-and-usage-reports', button: 'delete-report' },
  'cur:ListTagsForResource': { page: 'cost-and-usage-reports' },
  'cur:TagResource': { page: 'cost-and-usage-reports', button: 'edit-report' },
  'cur:UntagResource': { page: 'cost-and-usage-reports', button: 'edit-report' },
  'billing:GetCredits': { page: 'credits' },
  'payments:GetPaymentStatus': { page: 'payments' },
  'payments:MakePayment': { page: 'payments', button: 'make-payment' },
  'ce:ListCostAllocationTags': { page: 'cost-allocation-tags' },
  'ce:UpdateCostAllocationTagsStatus': { page: 'cost-allocation-tags', button: 'activate' },
};

const BY_ID = new Map(CONSOLE_PAGES.map((p) => [p.id, p]));

export function consolePage(id: string): ConsolePage | undefined {
  return BY_ID.get(id);
}

/** In the existing set a Modify action carries its View (AWS: "ModifyBilling works only with ViewBilling"). */
const VIEW_OF_MODIFY: Readonly<Record<string, string>> = {
  'aws-portal:ModifyBilling': 'aws-portal:ViewBilling',
  'aws-portal:ModifyAccount': 'aws-portal:ViewAccount',
  'aws-portal:ModifyPaymentMethods': 'aws-portal:ViewPaymentMethods',
};

/** Every action (AWS notation, wildcards kept) a page, or one of its buttons, needs in an action set. */
export function requiredActions(page: ConsolePage, set: ConsoleActionSet, buttonId?: string): string[] {
  const pick = (a: ActionsBySet) => (set === 'existing' ? a.existing : a.fineGrained);
  const needed = [...pick(page.view)];
  if (buttonId !== undefined) {
    const button = page.buttons[buttonId];
    if (button === undefined) throw new Error(`unknown button ${buttonId} on page ${page.id}`);
    for (const action of pick(button)) {
      const view = VIEW_OF_MODIFY[action];
      if (view !== undefined) needed.push(view);
      needed.push(action);
    }
  }
  return [...new Set(needed)];
}
