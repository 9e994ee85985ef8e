/**
 * The wire shapes of the Billing console's own operations, which AWS's console calls but publishes no model for
 * (`billing:GetBillingPreferences`, `billing:GetBillingData`, `bursar:CheckConsoleAccess`): one copy for the
 * server's handlers and the console's pages.
 */

export type ConsoleActionSet = 'EXISTING' | 'FINE_GRAINED';

/** GetBillingPreferences / UpdateBillingPreferences. */
export interface BillingPreferences {
  InvoiceDeliveryByEmail: boolean;
  FreeTierUsageAlerts: boolean;
  FreeTierAlertEmail: string | null;
  BillingAlerts: boolean;
}

/** Why a page or a button is refused: the "You Need Permissions" blocker or an "Access Denied" alert. */
export interface GateDenial {
  Kind: 'PAGE' | 'ACTION';
  Title: string;
  Message: string;
  /** The account's IAM-access switch refused an IAM identity, or the policies did not allow. */
  Reason: 'IAM_ACCESS_OFF' | 'POLICY';
  MissingActions: string[];
  ActionSet: ConsoleActionSet;
}

/** CheckConsoleAccess: the page's decision and each asked button's. */
export interface ConsoleAccess {
  Allowed: boolean;
  Denial?: GateDenial;
  ButtonDenials: Record<string, GateDenial>;
}

/** One month's bill (GetBillingData), pending or issued. */
export interface Bill {
  AccountId: string;
  /** `YYYY-MM`. */
  BillingPeriod: string;
  Status: 'PENDING' | 'ISSUED';
  InvoiceId?: string;
  CurrencyCode: string;
  /** Each service with its Regions and their usage types, which add up to the service's amount. */
  ChargesByService: {
    Service: string;
    Amount: string;
    Regions: { Region: string; Amount: string; UsageTypes: { UsageType: string; Amount: string }[] }[];
  }[];
  ChargesByRegion: { Region: string; Amount: string }[];
  ChargesByAccount: { AccountId: string; AccountName?: string; Amount: string }[];
  Charges: string;
  Credits: string;
  Refunds: string;
  Tax: string;
  Total: string;
}

/** The policy editor's operations (Bursar's `SearchServices`, `ListServiceActions`, `ValidatePolicyDocument`). */
export interface ServiceSummary {
  Prefix: string;
  Name: string;
  DisplayName: string;
}

/** The Service Authorization Reference's access levels. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface ServiceAction {
  Action: string;
  Name: string;
  AccessLevel: AccessLevel;
  Description: string;
}

/** How serious a policy validation finding is (Access Analyzer's four kinds; the policy engine reports them). */
export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

/** One policy validation finding; `Path` points into the document (`[]`: the whole document). */
export interface Finding {
  FindingType: FindingType;
  IssueCode: string;
  FindingDetails: string;
  Path: (string | number)[];
  LearnMoreLink?: string;
}
