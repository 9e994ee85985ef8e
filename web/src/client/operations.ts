/** Typed wrappers over `consoleApi.call` for the operations the pages use; names and shapes are AWS's. */
import { ApiError, consoleApi } from './api';

export interface User {
  UserName: string;
  UserId: string;
  Arn: string;
  Path?: string;
  CreateDate?: string;
}
export interface Group {
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate?: string;
}
export interface Role {
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate?: string;
  AssumeRolePolicyDocument?: string;
  Description?: string;
}
export interface ManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  Description?: string;
  CreateDate?: string;
  UpdateDate?: string;
}
export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}
export interface Tag {
  Key: string;
  Value: string;
}
export interface AccessKey {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate?: string;
  UserName?: string;
}
export interface SimulationResult {
  EvalActionName: string;
  EvalResourceName?: string;
  EvalDecision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  MatchedStatements?: { SourcePolicyId: string; SourcePolicyType?: string }[];
}
/** A billing period the Bills page offers: an issued invoice (the Invoicing API's shape) or the pending month. */
export interface InvoiceSummary {
  BillingPeriod: { Month: number; Year: number };
  Status: 'ISSUED' | 'PENDING';
  InvoiceId?: string;
  BaseCurrencyAmount?: { CurrencyCode: string; TotalAmount: string };
}
export interface Bill {
  BillingPeriod: string;
  Status: string;
  InvoiceId?: string;
  CurrencyCode: string;
  ChargesByService: { Service: string; Amount: string }[];
  ChargesByRegion: { Region: string; Amount: string }[];
  Tax: string;
  Total: string;
}
export interface CostReport {
  ReportId: string;
  Name: string;
  /** The saved GetCostAndUsage request, as JSON text. */
  Query: string;
  CreatedAt?: string;
  UpdatedAt?: string;
}
export interface ContactInformation {
  FullName: string;
  AddressLine1: string;
  City: string;
  PostalCode: string;
  CountryCode: string;
  PhoneNumber: string;
  CompanyName?: string;
  StateOrRegion?: string;
}
export interface Finding {
  FindingType: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';
  IssueCode: string;
  FindingDetails: string;
  Path: (string | number)[];
}
export interface ServiceSummary {
  Prefix: string;
  Name: string;
  DisplayName: string;
}
export interface ServiceAction {
  Action: string;
  Name: string;
  AccessLevel: 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';
  Description: string;
}
export interface GateDenial {
  Kind: 'PAGE' | 'ACTION';
  Title: string;
  Message: string;
  Reason: 'IAM_ACCESS_OFF' | 'POLICY';
  MissingActions: string[];
}
export interface BillingPreferences {
  InvoiceDeliveryByEmail: boolean;
  FreeTierUsageAlerts: boolean;
  FreeTierAlertEmail: string | null;
  BillingAlerts: boolean;
}

export interface PaymentInstrument {
  PaymentInstrumentId: string;
  Brand: string;
  LastFourDigits: string;
  ExpiryMonth: number;
  ExpiryYear: number;
  CardholderName: string;
  Default: boolean;
}
export interface NewPaymentInstrument {
  Brand: string;
  LastFourDigits: string;
  ExpiryMonth: number;
  ExpiryYear: number;
  CardholderName: string;
  Default?: boolean;
}
export interface PaymentPreferences {
  Currency: string;
  InvoiceEmail: string | null;
}
export interface TaxAddress {
  addressLine1: string;
  addressLine2?: string;
  city: string;
  postalCode: string;
  countryCode: string;
  stateOrRegion?: string;
}
export interface TaxRegistrationEntry {
  registrationId: string;
  registrationType: string;
  legalName: string;
  legalAddress: TaxAddress;
}
export interface TaxRegistration extends TaxRegistrationEntry {
  status: string;
}
/** ListTaxRegistrations names each registration's jurisdiction rather than its legal address. */
export interface ListedTaxRegistration {
  accountId: string;
  taxRegistration: Omit<TaxRegistration, 'legalAddress'> & {
    jurisdiction: { countryCode: string; stateOrRegion?: string };
  };
}

export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

const iam = <T>(operation: string, input: object = {}) => consoleApi.call<T>('iam', operation, input);

/** A blob member (AWS's Base32StringSeed) as the text it holds, however the server serialised it. */
export function blobText(blob: unknown): string {
  if (typeof blob === 'string') return /^[A-Z2-7=]+$/.test(blob) ? blob : atob(blob);
  const bytes = (blob as { data?: number[] } | null)?.data;
  return Array.isArray(bytes) ? String.fromCharCode(...bytes) : '';
}

/** A binary blob member (AWS's QRCodePNG) as a `data:` URL of the given type, for an <img>. */
export function blobDataUrl(blob: unknown, type: string): string {
  const bytes = (blob as { data?: number[] } | null)?.data;
  if (typeof blob === 'string') return `data:${type};base64,${blob}`;
  return Array.isArray(bytes) ? `data:${type};base64,${btoa(String.fromCharCode(...bytes))}` : '';
}

/** AWS's Query API returns policy documents URL-encoded; the console shows them as JSON. */
export function decodePolicyDocument(document: unknown): string {
  if (typeof document !== 'string') return JSON.stringify(document, null, 2);
  const text = document.trim().startsWith('{') ? document : decodeURIComponent(document);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export const iamApi = {
  listUsers: async () => (await iam<{ Users: User[] }>('ListUsers', { MaxItems: 1000 })).Users,
  createUser: (UserName: string) => iam('CreateUser', { UserName }),
  createLoginProfile: (UserName: string, Password: string, PasswordResetRequired: boolean) =>
    iam('CreateLoginProfile', { UserName, Password, PasswordResetRequired }),
  listGroupsForUser: async (UserName: string) =>
    (await iam<{ Groups: Group[] }>('ListGroupsForUser', { UserName })).Groups,
  listAttachedUserPolicies: async (UserName: string) =>
    (await iam<{ AttachedPolicies: AttachedPolicy[] }>('ListAttachedUserPolicies', { UserName })).AttachedPolicies,
  listGroups: async () => (await iam<{ Groups: Group[] }>('ListGroups', { MaxItems: 1000 })).Groups,
  createGroup: (GroupName: string) => iam('CreateGroup', { GroupName }),
  getGroup: (GroupName: string) => iam<{ Group: Group; Users: User[] }>('GetGroup', { GroupName }),
  addUserToGroup: (GroupName: string, UserName: string) => iam('AddUserToGroup', { GroupName, UserName }),
  removeUserFromGroup: (GroupName: string, UserName: string) => iam('RemoveUserFromGroup', { GroupName, UserName }),
  listAttachedGroupPolicies: async (GroupName: string) =>
    (await iam<{ AttachedPolicies: AttachedPolicy[] }>('ListAttachedGroupPolicies', { GroupName })).AttachedPolicies,
  listRoles: async () => (await iam<{ Roles: Role[] }>('ListRoles', { MaxItems: 1000 })).Roles,
  listPolicies: async (Scope: 'All' | 'AWS' | 'Local') =>
    (await iam<{ Policies: ManagedPolicy[] }>('ListPolicies', { Scope, MaxItems: 1000 })).Policies,
  getPolicy: async (PolicyArn: string) => (await iam<{ Policy: ManagedPolicy }>('GetPolicy', { PolicyArn })).Policy,
  getPolicyDocument: async (PolicyArn: string, VersionId: string) =>
    decodePolicyDocument(
      (await iam<{ PolicyVersion: { Document: unknown } }>('GetPolicyVersion', { PolicyArn, VersionId })).PolicyVersion
        .Document,
    ),
  listEntitiesForPolicy: (PolicyArn: string) =>
    iam<{
      PolicyGroups: { GroupName: string }[];
      PolicyUsers: { UserName: string }[];
      PolicyRoles: { RoleName: string }[];
    }>('ListEntitiesForPolicy', { PolicyArn }),
  createPolicy: (PolicyName: string, PolicyDocument: string, Description?: string, Tags: Tag[] = []) =>
    iam<{ Policy: ManagedPolicy }>('CreatePolicy', {
      PolicyName,
      PolicyDocument,
      ...(Description ? { Description } : {}),
      ...(Tags.length > 0 ? { Tags } : {}),
    }),
  simulatePrincipalPolicy: async (PolicySourceArn: string, ActionNames: string[], ResourceArns: string[]) =>
    (
      await iam<{ EvaluationResults: SimulationResult[] }>('SimulatePrincipalPolicy', {
        PolicySourceArn,
        ActionNames,
        ...(ResourceArns.length > 0 ? { ResourceArns } : {}),
      })
    ).EvaluationResults,
  listAccountAliases: async () => (await iam<{ AccountAliases: string[] }>('ListAccountAliases')).AccountAliases,
  deleteAccountAlias: (AccountAlias: string) => iam('DeleteAccountAlias', { AccountAlias }),
  getAccountSummary: async () => (await iam<{ SummaryMap: Record<string, number> }>('GetAccountSummary')).SummaryMap,
  /** The caller's own access keys (no UserName: AWS answers for the signed-in user). */
  listOwnAccessKeys: async () => (await iam<{ AccessKeyMetadata: AccessKey[] }>('ListAccessKeys')).AccessKeyMetadata,
  createOwnAccessKey: async () =>
    (await iam<{ AccessKey: AccessKey & { SecretAccessKey: string } }>('CreateAccessKey')).AccessKey,
  updateOwnAccessKey: (AccessKeyId: string, Status: 'Active' | 'Inactive') =>
    iam('UpdateAccessKey', { AccessKeyId, Status }),
  deleteOwnAccessKey: (AccessKeyId: string) => iam('DeleteAccessKey', { AccessKeyId }),
  listOwnMfaDevices: async () =>
    (await iam<{ MFADevices: { SerialNumber: string; EnableDate?: string }[] }>('ListMFADevices')).MFADevices,
  createVirtualMfaDevice: async (VirtualMFADeviceName: string) =>
    (
      await iam<{ VirtualMFADevice: { SerialNumber: string; Base32StringSeed: unknown; QRCodePNG: unknown } }>(
        'CreateVirtualMFADevice',
        {
          VirtualMFADeviceName,
        },
      )
    ).VirtualMFADevice,
  enableOwnMfaDevice: (
    SerialNumber: string,
    AuthenticationCode1: string,
    AuthenticationCode2: string,
    UserName?: string,
  ) =>
    iam('EnableMFADevice', {
      SerialNumber,
      AuthenticationCode1,
      AuthenticationCode2,
      ...(UserName ? { UserName } : {}),
    }),
  attachUserPolicy: (UserName: string, PolicyArn: string) => iam('AttachUserPolicy', { UserName, PolicyArn }),
  attachGroupPolicy: (GroupName: string, PolicyArn: string) => iam('AttachGroupPolicy', { GroupName, PolicyArn }),
  attachRolePolicy: (RoleName: string, PolicyArn: string) => iam('AttachRolePolicy', { RoleName, PolicyArn }),
  getRole: async (RoleName: string) => (await iam<{ Role: Role }>('GetRole', { RoleName })).Role,
  listAttachedRolePolicies: async (RoleName: string) =>
    (await iam<{ AttachedPolicies: AttachedPolicy[] }>('ListAttachedRolePolicies', { RoleName })).AttachedPolicies,
  listPolicyVersions: async (PolicyArn: string) =>
    (
      await iam<{ Versions: { VersionId: string; IsDefaultVersion: boolean; CreateDate?: string }[] }>(
        'ListPolicyVersions',
        { PolicyArn },
      )
    ).Versions,
  createAccountAlias: (AccountAlias: string) => iam('CreateAccountAlias', { AccountAlias }),
  deleteUser: (UserName: string) => iam('DeleteUser', { UserName }),
  /** The user's console password, or null when it has none (NoSuchEntity). */
  getLoginProfile: async (UserName: string) =>
    iam('GetLoginProfile', { UserName }).then(
      () => true,
      (e: unknown) => (e instanceof ApiError && e.code === 'NoSuchEntity' ? false : Promise.reject(e)),
    ),
  deleteLoginProfile: (UserName: string) => iam('DeleteLoginProfile', { UserName }),
  updateLoginProfile: (UserName: string, Password: string, PasswordResetRequired: boolean) =>
    iam('UpdateLoginProfile', { UserName, Password, PasswordResetRequired }),
  createAccessKey: async (UserName: string) =>
    (await iam<{ AccessKey: AccessKey & { SecretAccessKey: string } }>('CreateAccessKey', { UserName })).AccessKey,
  updateAccessKey: (UserName: string, AccessKeyId: string, Status: 'Active' | 'Inactive') =>
    iam('UpdateAccessKey', { UserName, AccessKeyId, Status }),
  listAccessKeys: async (UserName: string) =>
    (await iam<{ AccessKeyMetadata: AccessKey[] }>('ListAccessKeys', { UserName })).AccessKeyMetadata,
  deleteAccessKey: (UserName: string, AccessKeyId: string) => iam('DeleteAccessKey', { UserName, AccessKeyId }),
  listMfaDevices: async (UserName: string) =>
    (await iam<{ MFADevices: { SerialNumber: string }[] }>('ListMFADevices', { UserName })).MFADevices,
  deactivateMfaDevice: (UserName: string, SerialNumber: string) =>
    iam('DeactivateMFADevice', { UserName, SerialNumber }),
  deleteVirtualMfaDevice: (SerialNumber: string) => iam('DeleteVirtualMFADevice', { SerialNumber }),
  /** Inline policy names of a user, group or role (ListUserPolicies, ListGroupPolicies, ListRolePolicies). */
  listInlinePolicies: async (kind: 'User' | 'Group' | 'Role', name: string) =>
    (await iam<{ PolicyNames: string[] }>(`List${kind}Policies`, { [`${kind}Name`]: name })).PolicyNames,
  deleteInlinePolicy: (kind: 'User' | 'Group' | 'Role', name: string, PolicyName: string) =>
    iam(`Delete${kind}Policy`, { [`${kind}Name`]: name, PolicyName }),
  detachPolicy: (kind: 'User' | 'Group' | 'Role', name: string, PolicyArn: string) =>
    iam(`Detach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn }),
  deleteGroup: (GroupName: string) => iam('DeleteGroup', { GroupName }),
  createRole: async (input: {
    RoleName: string;
    AssumeRolePolicyDocument: string;
    Description?: string;
    MaxSessionDuration?: number;
    Tags?: Tag[];
  }) => (await iam<{ Role: Role }>('CreateRole', input)).Role,
  updateAssumeRolePolicy: (RoleName: string, PolicyDocument: string) =>
    iam('UpdateAssumeRolePolicy', { RoleName, PolicyDocument }),
  deleteRole: (RoleName: string) => iam('DeleteRole', { RoleName }),
  deletePolicy: (PolicyArn: string) => iam('DeletePolicy', { PolicyArn }),
  /** A new version of a customer managed policy, made the default as the console's Edit policy does. */
  createPolicyVersion: (PolicyArn: string, PolicyDocument: string) =>
    iam('CreatePolicyVersion', { PolicyArn, PolicyDocument, SetAsDefault: true }),
  setDefaultPolicyVersion: (PolicyArn: string, VersionId: string) =>
    iam('SetDefaultPolicyVersion', { PolicyArn, VersionId }),
  deletePolicyVersion: (PolicyArn: string, VersionId: string) => iam('DeletePolicyVersion', { PolicyArn, VersionId }),
  /** The account's password policy, or null when none is set (AWS answers NoSuchEntity). */
  getAccountPasswordPolicy: async () =>
    iam<{ PasswordPolicy: PasswordPolicy }>('GetAccountPasswordPolicy').then(
      (r) => r.PasswordPolicy,
      (e: unknown) => (e instanceof ApiError && e.code === 'NoSuchEntity' ? null : Promise.reject(e)),
    ),
  updateAccountPasswordPolicy: (policy: Partial<PasswordPolicy>) => iam('UpdateAccountPasswordPolicy', policy),
  deleteAccountPasswordPolicy: () => iam('DeleteAccountPasswordPolicy'),
};

export const editorApi = {
  searchServices: async (Text: string) =>
    (await consoleApi.call<{ Services: ServiceSummary[] }>('bursar', 'SearchServices', { Text })).Services,
  listServiceActions: (Prefix: string) =>
    consoleApi.call<{ Service: ServiceSummary; Actions: ServiceAction[] }>('bursar', 'ListServiceActions', { Prefix }),
  /** `PolicyKind` as the server's validator names it: `managed` (the default), `scp`, `rcp`, `trust`… */
  /**
   * Without access-analyzer:ValidatePolicy the editor says so and still lets the document be saved: the
   * write itself is checked by IAM, as in AWS's console.
   */
  validate: (PolicyDocument: string, PolicyKind = 'managed'): Promise<Finding[]> =>
    consoleApi.call<{ Findings: Finding[] }>('bursar', 'ValidatePolicyDocument', { PolicyDocument, PolicyKind }).then(
      (r) => r.Findings,
      (e: unknown) =>
        e instanceof ApiError && e.code === 'AccessDenied'
          ? [
              {
                FindingType: 'WARNING' as const,
                IssueCode: 'POLICY_VALIDATION_NOT_AUTHORIZED',
                FindingDetails:
                  'Policy validation needs the access-analyzer:ValidatePolicy permission; the policy was not checked.',
                Path: [],
              },
            ]
          : Promise.reject(e),
    ),
};

export const billingApi = {
  checkAccess: (Page: string, Buttons: string[] = []) =>
    consoleApi.call<{ Allowed: boolean; Denial?: GateDenial; ButtonDenials: Record<string, GateDenial> }>(
      'bursar',
      'CheckConsoleAccess',
      { Page, Buttons },
    ),
  getPreferences: () => consoleApi.call<BillingPreferences>('billing', 'GetBillingPreferences'),
  updatePreferences: (input: Partial<BillingPreferences>) =>
    consoleApi.call<BillingPreferences>('billing', 'UpdateBillingPreferences', input),
  getIamAccess: () =>
    consoleApi.call<{ IamUserAccessToBilling: 'ALLOW' | 'DENY' }>('billing', 'GetIAMAccessPreference'),
  updateIamAccess: (allow: boolean) =>
    consoleApi.call('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: allow ? 'ALLOW' : 'DENY' }),
  getConsoleActionSet: () =>
    consoleApi.call<{ ConsoleActionSet: 'EXISTING' | 'FINE_GRAINED' }>('aws-portal', 'GetConsoleActionSetEnforced'),
  updateConsoleActionSet: (ConsoleActionSet: 'EXISTING' | 'FINE_GRAINED') =>
    consoleApi.call('aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet }),
  /** The pending month's bill (GetBillingData without a period), then the account's invoices, newest first. */
  listInvoiceSummaries: async (): Promise<InvoiceSummary[]> => {
    const { Account } = await consoleApi.call<{ Account: string }>('sts', 'GetCallerIdentity');
    const [invoices, pending] = await Promise.all([
      consoleApi.call<{ InvoiceSummaries: Omit<InvoiceSummary, 'Status'>[] }>('invoicing', 'ListInvoiceSummaries', {
        Selector: { ResourceType: 'ACCOUNT_ID', Value: Account },
      }),
      consoleApi.call<{ Bill: Bill }>('billing', 'GetBillingData'),
    ]);
    const [year, month] = pending.Bill.BillingPeriod.split('-').map(Number) as [number, number];
    return [
      { BillingPeriod: { Month: month, Year: year }, Status: 'PENDING' },
      ...invoices.InvoiceSummaries.map((s) => ({ ...s, Status: 'ISSUED' as const })),
    ];
  },
  getBill: async (BillingPeriod: string) =>
    (await consoleApi.call<{ Bill: Bill }>('billing', 'GetBillingData', { BillingPeriod })).Bill,
  getInvoicePdf: async (InvoiceId: string) =>
    (await consoleApi.call<{ InvoicePDF: { DocumentUrl: string } }>('invoicing', 'GetInvoicePDF', { InvoiceId }))
      .InvoicePDF.DocumentUrl,
  getDimensionValues: async (Dimension: string, TimePeriod: { Start: string; End: string }) =>
    (
      await consoleApi.call<{ DimensionValues: { Value: string; Attributes?: Record<string, string> }[] }>(
        'ce',
        'GetDimensionValues',
        { Dimension, TimePeriod },
      )
    ).DimensionValues,
  createCostReport: async (Name: string, query: object) =>
    (
      await consoleApi.call<{ Report: CostReport }>('bursar', 'CreateCostReport', {
        Name,
        Query: JSON.stringify(query),
      })
    ).Report,
  describeCostReports: async () =>
    (await consoleApi.call<{ Reports: CostReport[] }>('bursar', 'DescribeCostReports')).Reports,
  getContactInformation: async () =>
    (await consoleApi.call<{ ContactInformation: ContactInformation }>('account', 'GetContactInformation'))
      .ContactInformation,
  putContactInformation: (ContactInformation: ContactInformation) =>
    consoleApi.call('account', 'PutContactInformation', { ContactInformation }),
  getCostAndUsage: (input: object) =>
    consoleApi.call<{
      ResultsByTime: {
        TimePeriod: { Start: string; End: string };
        Total?: Record<string, { Amount: string; Unit: string }>;
        Groups?: { Keys: string[]; Metrics: Record<string, { Amount: string; Unit: string }> }[];
      }[];
    }>('ce', 'GetCostAndUsage', input),
};

/** Payment methods are display records only: brand, last four digits, expiry, name — never a card number. */
export const paymentsApi = {
  listPaymentInstruments: async () =>
    (await consoleApi.call<{ PaymentInstruments: PaymentInstrument[] }>('payments', 'ListPaymentInstruments'))
      .PaymentInstruments,
  createPaymentInstrument: async (input: NewPaymentInstrument) =>
    (await consoleApi.call<{ PaymentInstrument: PaymentInstrument }>('payments', 'CreatePaymentInstrument', input))
      .PaymentInstrument,
  makeDefault: (PaymentInstrumentId: string) =>
    consoleApi.call('payments', 'UpdatePaymentInstrument', { PaymentInstrumentId, Default: true }),
  deletePaymentInstrument: (PaymentInstrumentId: string) =>
    consoleApi.call('payments', 'DeletePaymentInstrument', { PaymentInstrumentId }),
  listPaymentPreferences: async () =>
    (await consoleApi.call<{ PaymentPreferences: PaymentPreferences }>('payments', 'ListPaymentPreferences'))
      .PaymentPreferences,
  updatePaymentPreferences: async (input: PaymentPreferences) =>
    (await consoleApi.call<{ PaymentPreferences: PaymentPreferences }>('payments', 'UpdatePaymentPreferences', input))
      .PaymentPreferences,
};

/** The Tax Settings API: `accountId` is the caller's own account or, from a management account, a member. */
export const taxApi = {
  listTaxRegistrations: async () =>
    (await consoleApi.call<{ accountDetails: ListedTaxRegistration[] }>('tax', 'ListTaxRegistrations')).accountDetails,
  getTaxRegistration: async (accountId: string) =>
    (await consoleApi.call<{ taxRegistration: TaxRegistration }>('tax', 'GetTaxRegistration', { accountId }))
      .taxRegistration,
  putTaxRegistration: (accountId: string, taxRegistrationEntry: TaxRegistrationEntry) =>
    consoleApi.call<{ status: string }>('tax', 'PutTaxRegistration', { accountId, taxRegistrationEntry }),
  deleteTaxRegistration: (accountId: string) => consoleApi.call('tax', 'DeleteTaxRegistration', { accountId }),
};

/** An AWS Cost and Usage Report definition (the Cost and Usage Report Service API's shape). */
export interface ReportDefinition {
  ReportName: string;
  TimeUnit: 'HOURLY' | 'DAILY' | 'MONTHLY';
  Format: 'textORcsv' | 'Parquet';
  Compression: 'ZIP' | 'GZIP' | 'Parquet';
  AdditionalSchemaElements: string[];
  S3Bucket: string;
  S3Prefix: string;
  S3Region: string;
  AdditionalArtifacts?: string[];
  RefreshClosedReports?: boolean;
  ReportVersioning?: 'CREATE_NEW_REPORT' | 'OVERWRITE_REPORT';
}

export const curApi = {
  /** Every definition, following DescribeReportDefinitions' pages. */
  describeReportDefinitions: async () => {
    const definitions: ReportDefinition[] = [];
    let NextToken: string | undefined;
    do {
      const page = await consoleApi.call<{ ReportDefinitions: ReportDefinition[]; NextToken?: string }>(
        'cur',
        'DescribeReportDefinitions',
        NextToken === undefined ? {} : { NextToken },
      );
      definitions.push(...page.ReportDefinitions);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return definitions;
  },
  putReportDefinition: (ReportDefinition: ReportDefinition) =>
    consoleApi.call('cur', 'PutReportDefinition', { ReportDefinition }),
  deleteReportDefinition: (ReportName: string) => consoleApi.call('cur', 'DeleteReportDefinition', { ReportName }),
};

export interface Organization {
  Id: string;
  Arn: string;
  FeatureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  MasterAccountId: string;
  MasterAccountEmail: string;
}
export interface OrgRoot {
  Id: string;
  Arn: string;
  Name: string;
  PolicyTypes: { Type: string; Status: string }[];
}
export interface OrgUnit {
  Id: string;
  Arn: string;
  Name: string;
}
export interface OrgAccount {
  Id: string;
  Arn: string;
  Email: string;
  Name: string;
  Status: string;
  JoinedMethod?: string;
  JoinedTimestamp?: string;
}
export interface CreateAccountStatus {
  Id: string;
  AccountName: string;
  State: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  AccountId?: string;
  FailureReason?: string;
}
export interface OrgPolicySummary {
  Id: string;
  Arn: string;
  Name: string;
  Description?: string;
  Type: string;
  AwsManaged: boolean;
}
export interface PolicyTarget {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
}

const org = <T>(operation: string, input: object = {}) => consoleApi.call<T>('organizations', operation, input);

export const organizationsApi = {
  describeOrganization: async () => (await org<{ Organization: Organization }>('DescribeOrganization')).Organization,
  createOrganization: async () =>
    (await org<{ Organization: Organization }>('CreateOrganization', { FeatureSet: 'ALL' })).Organization,
  listRoots: async () => (await org<{ Roots: OrgRoot[] }>('ListRoots')).Roots,
  listOrganizationalUnitsForParent: async (ParentId: string) =>
    (await org<{ OrganizationalUnits: OrgUnit[] }>('ListOrganizationalUnitsForParent', { ParentId }))
      .OrganizationalUnits,
  listAccountsForParent: async (ParentId: string) =>
    (await org<{ Accounts: OrgAccount[] }>('ListAccountsForParent', { ParentId })).Accounts,
  createOrganizationalUnit: async (ParentId: string, Name: string) =>
    (await org<{ OrganizationalUnit: OrgUnit }>('CreateOrganizationalUnit', { ParentId, Name })).OrganizationalUnit,
  createAccount: async (AccountName: string, Email: string) =>
    (await org<{ CreateAccountStatus: CreateAccountStatus }>('CreateAccount', { AccountName, Email }))
      .CreateAccountStatus,
  moveAccount: (AccountId: string, SourceParentId: string, DestinationParentId: string) =>
    org('MoveAccount', { AccountId, SourceParentId, DestinationParentId }),
  enablePolicyType: async (RootId: string, PolicyType: string) =>
    (await org<{ Root: OrgRoot }>('EnablePolicyType', { RootId, PolicyType })).Root,
  listPolicies: async (Filter: string) =>
    (await org<{ Policies: OrgPolicySummary[] }>('ListPolicies', { Filter })).Policies,
  describePolicy: async (PolicyId: string) =>
    (await org<{ Policy: { PolicySummary: OrgPolicySummary; Content: string } }>('DescribePolicy', { PolicyId }))
      .Policy,
  createPolicy: async (Name: string, Description: string, Content: string, Type: string) =>
    (await org<{ Policy: { PolicySummary: OrgPolicySummary } }>('CreatePolicy', { Name, Description, Content, Type }))
      .Policy.PolicySummary,
  listTargetsForPolicy: async (PolicyId: string) =>
    (await org<{ Targets: PolicyTarget[] }>('ListTargetsForPolicy', { PolicyId })).Targets,
  attachPolicy: (PolicyId: string, TargetId: string) => org('AttachPolicy', { PolicyId, TargetId }),
  detachPolicy: (PolicyId: string, TargetId: string) => org('DetachPolicy', { PolicyId, TargetId }),
};

export interface ImportResult {
  ImportId: string;
  LineItems: number;
  Periods: { BillingPeriod: string; LineItems: number; UnblendedCost: string; Replaced: boolean }[];
  /** The import's plain-text report, as `bursar import` prints it: rows read, skipped and why, periods. */
  Report: string;
}

export const importApi = {
  /** One cost export file (FOCUS or CUR; CSV, CSV.gz or Parquet) as base64, into the caller's own account. */
  importCostData: (AccountId: string, FileName: string, Content: string) =>
    consoleApi.call<ImportResult>('bursar', 'ImportCostData', { AccountId, FileName, Content }),
};
