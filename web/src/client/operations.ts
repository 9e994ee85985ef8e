/** Typed wrappers over `consoleApi.call` for the operations the pages use; names and shapes are AWS's. */
import type * as account from '../../../src/contracts/wire/account';
import type * as bursar from '../../../src/contracts/wire/bursar';
import type * as cur from '../../../src/contracts/wire/cur';
import type * as iam from '../../../src/contracts/wire/iam';
import type * as invoicing from '../../../src/contracts/wire/invoicing';
import type {
  Bill,
  BillingPreferences,
  ConsoleAccess,
  ConsoleActionSet,
  Finding,
  ServiceAction,
  ServiceSummary,
} from '../../../src/contracts/console';
import type { ListedPolicyVersion, PasswordPolicy, PolicyEntities } from '../../../src/contracts/iam';
import type { CostAndUsage, DimensionValue } from '../../../src/contracts/ce';
import type { InvoicePdfLink } from '../../../src/contracts/invoicing';
import type { ListedTaxRegistration, TaxRegistration, TaxRegistrationEntry } from '../../../src/contracts/tax';
import type { Json, Returned } from '../../../src/contracts/json';
import type * as organizations from '../../../src/contracts/wire/organizations';
import type * as payments from '../../../src/contracts/payments';
import { ApiError, consoleApi } from './api';

export type User = Json<iam.User>;
export type UserOverview = bursar.UserOverview;
export type AuthorizationDetails = Json<iam.GetAccountAuthorizationDetailsResponse>;
export type Group = Json<iam.Group>;
export type Role = Json<iam.Role>;
export type ManagedPolicy = Returned<Json<iam.Policy>, 'PolicyName' | 'PolicyId' | 'Arn'>;
export type AttachedPolicy = Returned<iam.AttachedPolicy, 'PolicyName' | 'PolicyArn'>;
export type Tag = iam.Tag;
export type AccessKey = Returned<Json<iam.AccessKeyMetadata>, 'AccessKeyId' | 'Status'>;
export type SimulationResult = Json<iam.EvaluationResult>;
/** One principal's answer to "who can?": the analysis always names the principal and words its decision. */
export type PrincipalAccess = Returned<
  bursar.PrincipalAccess,
  'AccountId' | 'PrincipalType' | 'Name' | 'Arn' | 'Decision' | 'Explanation' | 'GrantedBy' | 'LimitedBy'
>;
export type { PasswordPolicy } from '../../../src/contracts/iam';
/** The access matrix: the analysis always fills these members. */
export type AccessMatrix = Returned<bursar.GetAccessMatrixResponse, 'Columns' | 'Accounts' | 'Principals'>;
export type AccessMatrixRow = Returned<
  bursar.AccessMatrixRow,
  'AccountId' | 'PrincipalType' | 'Name' | 'Arn' | 'Groups' | 'Decisions'
>;
export type AccessMatrixCell = bursar.AccessMatrixCell;
export type AccessChange = bursar.AccessChange;
export type PrincipalAccessChange = Returned<bursar.PrincipalAccessChange, 'Name' | 'Arn' | 'Gained' | 'Lost'>;
/** A billing period the Bills page offers: an issued invoice (the Invoicing API's shape) or the pending month. */
export type InvoiceSummary = Returned<Json<invoicing.InvoiceSummary>, 'BillingPeriod'> & {
  /** The pending month has no invoice yet. */
  Status: 'ISSUED' | 'PENDING';
};
export type CostReport = Returned<Json<bursar.CostReport>, 'ReportId' | 'Name' | 'Query'>;
export type ContactInformation = account.ContactInformation;
export type {
  Bill,
  BillingPreferences,
  Finding,
  GateDenial,
  ServiceAction,
  ServiceSummary,
} from '../../../src/contracts/console';

export type PaymentInstrument = payments.PaymentInstrument;
export interface NewPaymentInstrument {
  Brand: string;
  LastFourDigits: string;
  ExpiryMonth: number;
  ExpiryYear: number;
  CardholderName: string;
  Default?: boolean;
}
export type PaymentPreferences = payments.PaymentPreferences;
export type {
  ListedTaxRegistration,
  TaxAddress,
  TaxRegistration,
  TaxRegistrationEntry,
} from '../../../src/contracts/tax';

const callIam = <T>(operation: string, input: object = {}) => consoleApi.call<T>('iam', operation, input);

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
  listUsers: async () => (await callIam<{ Users: User[] }>('ListUsers', { MaxItems: 1000 })).Users,
  /** Every user with its groups, password, MFA, access keys and last activity, in one call. */
  listUserOverviews: async () =>
    (await consoleApi.call<bursar.ListUserOverviewsResponse>('bursar', 'ListUserOverviews')).Users,
  /** Users, groups and policies in one call (GetAccountAuthorizationDetails), for the groups and policies lists. */
  getAuthorizationDetails: (Filter: ('User' | 'Group' | 'Role' | 'LocalManagedPolicy')[]) =>
    callIam<AuthorizationDetails>('GetAccountAuthorizationDetails', { Filter, MaxItems: 1000 }),
  getUser: async (UserName: string) => (await callIam<{ User: User }>('GetUser', { UserName })).User,
  createUser: (UserName: string) => callIam('CreateUser', { UserName }),
  createLoginProfile: (UserName: string, Password: string, PasswordResetRequired: boolean) =>
    callIam('CreateLoginProfile', { UserName, Password, PasswordResetRequired }),
  listGroupsForUser: async (UserName: string) =>
    (await callIam<{ Groups: Group[] }>('ListGroupsForUser', { UserName })).Groups,
  listAttachedUserPolicies: async (UserName: string) =>
    (await callIam<{ AttachedPolicies: AttachedPolicy[] }>('ListAttachedUserPolicies', { UserName })).AttachedPolicies,
  listGroups: async () => (await callIam<{ Groups: Group[] }>('ListGroups', { MaxItems: 1000 })).Groups,
  createGroup: (GroupName: string) => callIam('CreateGroup', { GroupName }),
  getGroup: (GroupName: string) => callIam<{ Group: Group; Users: User[] }>('GetGroup', { GroupName }),
  addUserToGroup: (GroupName: string, UserName: string) => callIam('AddUserToGroup', { GroupName, UserName }),
  removeUserFromGroup: (GroupName: string, UserName: string) => callIam('RemoveUserFromGroup', { GroupName, UserName }),
  listAttachedGroupPolicies: async (GroupName: string) =>
    (await callIam<{ AttachedPolicies: AttachedPolicy[] }>('ListAttachedGroupPolicies', { GroupName }))
      .AttachedPolicies,
  listRoles: async () => (await callIam<{ Roles: Role[] }>('ListRoles', { MaxItems: 1000 })).Roles,
  listPolicies: async (Scope: 'All' | 'AWS' | 'Local') =>
    (await callIam<{ Policies: ManagedPolicy[] }>('ListPolicies', { Scope, MaxItems: 1000 })).Policies,
  getPolicy: async (PolicyArn: string) => (await callIam<{ Policy: ManagedPolicy }>('GetPolicy', { PolicyArn })).Policy,
  getPolicyDocument: async (PolicyArn: string, VersionId: string) =>
    decodePolicyDocument(
      (await callIam<{ PolicyVersion: { Document: unknown } }>('GetPolicyVersion', { PolicyArn, VersionId }))
        .PolicyVersion.Document,
    ),
  listEntitiesForPolicy: (PolicyArn: string) => callIam<PolicyEntities>('ListEntitiesForPolicy', { PolicyArn }),
  createPolicy: (PolicyName: string, PolicyDocument: string, Description?: string, Tags: Tag[] = []) =>
    callIam<{ Policy: ManagedPolicy }>('CreatePolicy', {
      PolicyName,
      PolicyDocument,
      ...(Description ? { Description } : {}),
      ...(Tags.length > 0 ? { Tags } : {}),
    }),
  simulatePrincipalPolicy: async (PolicySourceArn: string, ActionNames: string[], ResourceArns: string[]) =>
    (
      await callIam<{ EvaluationResults: SimulationResult[] }>('SimulatePrincipalPolicy', {
        PolicySourceArn,
        ActionNames,
        ...(ResourceArns.length > 0 ? { ResourceArns } : {}),
      })
    ).EvaluationResults,
  listAccountAliases: async () => (await callIam<{ AccountAliases: string[] }>('ListAccountAliases')).AccountAliases,
  deleteAccountAlias: (AccountAlias: string) => callIam('DeleteAccountAlias', { AccountAlias }),
  getAccountSummary: async () =>
    (await callIam<{ SummaryMap: Record<string, number> }>('GetAccountSummary')).SummaryMap,
  /** The caller's own access keys (no UserName: AWS answers for the signed-in user). */
  listOwnAccessKeys: async () =>
    (await callIam<{ AccessKeyMetadata: AccessKey[] }>('ListAccessKeys')).AccessKeyMetadata,
  createOwnAccessKey: async () =>
    (await callIam<{ AccessKey: AccessKey & { SecretAccessKey: string } }>('CreateAccessKey')).AccessKey,
  updateOwnAccessKey: (AccessKeyId: string, Status: 'Active' | 'Inactive') =>
    callIam('UpdateAccessKey', { AccessKeyId, Status }),
  deleteOwnAccessKey: (AccessKeyId: string) => callIam('DeleteAccessKey', { AccessKeyId }),
  listOwnMfaDevices: async () => (await callIam<Json<iam.ListMFADevicesResponse>>('ListMFADevices')).MFADevices,
  createVirtualMfaDevice: async (VirtualMFADeviceName: string) =>
    (
      await callIam<Json<iam.CreateVirtualMFADeviceResponse>>('CreateVirtualMFADevice', {
        VirtualMFADeviceName,
      })
    ).VirtualMFADevice,
  enableOwnMfaDevice: (
    SerialNumber: string,
    AuthenticationCode1: string,
    AuthenticationCode2: string,
    UserName?: string,
  ) =>
    callIam('EnableMFADevice', {
      SerialNumber,
      AuthenticationCode1,
      AuthenticationCode2,
      ...(UserName ? { UserName } : {}),
    }),
  attachUserPolicy: (UserName: string, PolicyArn: string) => callIam('AttachUserPolicy', { UserName, PolicyArn }),
  attachGroupPolicy: (GroupName: string, PolicyArn: string) => callIam('AttachGroupPolicy', { GroupName, PolicyArn }),
  attachRolePolicy: (RoleName: string, PolicyArn: string) => callIam('AttachRolePolicy', { RoleName, PolicyArn }),
  getRole: async (RoleName: string) => (await callIam<{ Role: Role }>('GetRole', { RoleName })).Role,
  listAttachedRolePolicies: async (RoleName: string) =>
    (await callIam<{ AttachedPolicies: AttachedPolicy[] }>('ListAttachedRolePolicies', { RoleName })).AttachedPolicies,
  listPolicyVersions: async (PolicyArn: string) =>
    (await callIam<{ Versions: Json<ListedPolicyVersion>[] }>('ListPolicyVersions', { PolicyArn })).Versions,
  createAccountAlias: (AccountAlias: string) => callIam('CreateAccountAlias', { AccountAlias }),
  deleteUser: (UserName: string) => callIam('DeleteUser', { UserName }),
  /** The user's console password, or null when it has none (NoSuchEntity). */
  getLoginProfile: async (UserName: string) =>
    callIam('GetLoginProfile', { UserName }).then(
      () => true,
      (e: unknown) => (e instanceof ApiError && e.code === 'NoSuchEntity' ? false : Promise.reject(e)),
    ),
  deleteLoginProfile: (UserName: string) => callIam('DeleteLoginProfile', { UserName }),
  updateLoginProfile: (UserName: string, Password: string, PasswordResetRequired: boolean) =>
    callIam('UpdateLoginProfile', { UserName, Password, PasswordResetRequired }),
  createAccessKey: async (UserName: string) =>
    (await callIam<{ AccessKey: AccessKey & { SecretAccessKey: string } }>('CreateAccessKey', { UserName })).AccessKey,
  updateAccessKey: (UserName: string, AccessKeyId: string, Status: 'Active' | 'Inactive') =>
    callIam('UpdateAccessKey', { UserName, AccessKeyId, Status }),
  listAccessKeys: async (UserName: string) =>
    (await callIam<{ AccessKeyMetadata: AccessKey[] }>('ListAccessKeys', { UserName })).AccessKeyMetadata,
  deleteAccessKey: (UserName: string, AccessKeyId: string) => callIam('DeleteAccessKey', { UserName, AccessKeyId }),
  listMfaDevices: async (UserName: string) =>
    (await callIam<Json<iam.ListMFADevicesResponse>>('ListMFADevices', { UserName })).MFADevices,
  deactivateMfaDevice: (UserName: string, SerialNumber: string) =>
    callIam('DeactivateMFADevice', { UserName, SerialNumber }),
  deleteVirtualMfaDevice: (SerialNumber: string) => callIam('DeleteVirtualMFADevice', { SerialNumber }),
  /** Inline policy names of a user, group or role (ListUserPolicies, ListGroupPolicies, ListRolePolicies). */
  listInlinePolicies: async (kind: 'User' | 'Group' | 'Role', name: string) =>
    (await callIam<{ PolicyNames: string[] }>(`List${kind}Policies`, { [`${kind}Name`]: name })).PolicyNames,
  deleteInlinePolicy: (kind: 'User' | 'Group' | 'Role', name: string, PolicyName: string) =>
    callIam(`Delete${kind}Policy`, { [`${kind}Name`]: name, PolicyName }),
  detachPolicy: (kind: 'User' | 'Group' | 'Role', name: string, PolicyArn: string) =>
    callIam(`Detach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn }),
  deleteGroup: (GroupName: string) => callIam('DeleteGroup', { GroupName }),
  createRole: async (input: {
    RoleName: string;
    AssumeRolePolicyDocument: string;
    Description?: string;
    MaxSessionDuration?: number;
    Tags?: Tag[];
  }) => (await callIam<{ Role: Role }>('CreateRole', input)).Role,
  updateAssumeRolePolicy: (RoleName: string, PolicyDocument: string) =>
    callIam('UpdateAssumeRolePolicy', { RoleName, PolicyDocument }),
  deleteRole: (RoleName: string) => callIam('DeleteRole', { RoleName }),
  deletePolicy: (PolicyArn: string) => callIam('DeletePolicy', { PolicyArn }),
  /** A new version of a customer managed policy, made the default as the console's Edit policy does. */
  createPolicyVersion: (PolicyArn: string, PolicyDocument: string) =>
    callIam('CreatePolicyVersion', { PolicyArn, PolicyDocument, SetAsDefault: true }),
  setDefaultPolicyVersion: (PolicyArn: string, VersionId: string) =>
    callIam('SetDefaultPolicyVersion', { PolicyArn, VersionId }),
  deletePolicyVersion: (PolicyArn: string, VersionId: string) =>
    callIam('DeletePolicyVersion', { PolicyArn, VersionId }),
  /** The account's password policy, or null when none is set (AWS answers NoSuchEntity). */
  getAccountPasswordPolicy: async () =>
    callIam<{ PasswordPolicy: PasswordPolicy }>('GetAccountPasswordPolicy').then(
      (r) => r.PasswordPolicy,
      (e: unknown) => (e instanceof ApiError && e.code === 'NoSuchEntity' ? null : Promise.reject(e)),
    ),
  updateAccountPasswordPolicy: (policy: Partial<PasswordPolicy>) => callIam('UpdateAccountPasswordPolicy', policy),
  deleteAccountPasswordPolicy: () => callIam('DeleteAccountPasswordPolicy'),
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

export const whoCanApi = {
  /** Every principal of the account (and, from a management account, of its members) and its decision. */
  listPrincipalsWithAccess: async (Action: string, Resource?: string) =>
    (
      await consoleApi.call<{ Principals: PrincipalAccess[] }>('bursar', 'ListPrincipalsWithAccess', {
        Action,
        ...(Resource === undefined || Resource === '' ? {} : { Resource }),
      })
    ).Principals,
};

export const accessApi = {
  /** Every principal × each Billing console page and button (or each action of `actions`). */
  matrix: async (input: { Pages?: 'billing'; Actions?: string[]; Principal?: string; Explain?: boolean }) => {
    const answer = await consoleApi.call<AccessMatrix>('bursar', 'GetAccessMatrix', input);
    return { ...answer, Principals: answer.Principals as AccessMatrixRow[] };
  },
  /** The access changes (applied in order) would add and remove, per principal, without making them. */
  preview: async (Changes: AccessChange[], columns: { Pages?: 'billing'; Actions?: string[] } = {}) =>
    (
      await consoleApi.call<{ Changes: PrincipalAccessChange[] }>('bursar', 'PreviewAccessChange', {
        Changes,
        ...columns,
      })
    ).Changes,
};

export const billingApi = {
  checkAccess: (Page: string, Buttons: string[] = []) =>
    consoleApi.call<ConsoleAccess>('bursar', 'CheckConsoleAccess', { Page, Buttons }),
  getPreferences: () => consoleApi.call<BillingPreferences>('billing', 'GetBillingPreferences'),
  updatePreferences: (input: Partial<BillingPreferences>) =>
    consoleApi.call<BillingPreferences>('billing', 'UpdateBillingPreferences', input),
  getIamAccess: () =>
    consoleApi.call<{ IamUserAccessToBilling: 'ALLOW' | 'DENY' }>('billing', 'GetIAMAccessPreference'),
  updateIamAccess: (allow: boolean) =>
    consoleApi.call('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: allow ? 'ALLOW' : 'DENY' }),
  getConsoleActionSet: () =>
    consoleApi.call<{ ConsoleActionSet: ConsoleActionSet }>('aws-portal', 'GetConsoleActionSetEnforced'),
  updateConsoleActionSet: (ConsoleActionSet: ConsoleActionSet) =>
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
    (await consoleApi.call<Json<InvoicePdfLink>>('invoicing', 'GetInvoicePDF', { InvoiceId })).InvoicePDF.DocumentUrl,
  getDimensionValues: async (Dimension: string, TimePeriod: { Start: string; End: string }) =>
    (
      await consoleApi.call<{ DimensionValues: DimensionValue[] }>('ce', 'GetDimensionValues', {
        Dimension,
        TimePeriod,
      })
    ).DimensionValues,
  /** The tag keys of the period's costs, or one key's values (a blank value: resources without the tag). */
  getTags: async (TimePeriod: { Start: string; End: string }, TagKey?: string) =>
    (
      await consoleApi.call<{ Tags: string[] }>('ce', 'GetTags', {
        TimePeriod,
        ...(TagKey !== undefined ? { TagKey } : {}),
      })
    ).Tags,
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
  getCostAndUsage: (input: object) => consoleApi.call<CostAndUsage>('ce', 'GetCostAndUsage', input),
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

export type ReportDefinition = cur.ReportDefinition;

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

export type Organization = organizations.Organization;
export type OrgRoot = Returned<organizations.Root, 'Id' | 'Arn' | 'Name' | 'PolicyTypes'>;
export type OrgUnit = Returned<organizations.OrganizationalUnit, 'Id' | 'Arn' | 'Name'>;
export type OrgAccount = Returned<Json<organizations.Account>, 'Id' | 'Arn' | 'Email' | 'Name' | 'Status'>;
export type CreateAccountStatus = Json<organizations.CreateAccountStatus>;
export type OrgPolicySummary = Returned<organizations.PolicySummary, 'Id' | 'Arn' | 'Name' | 'Type' | 'AwsManaged'>;
export type PolicyTarget = Returned<organizations.PolicyTargetSummary, 'TargetId' | 'Arn' | 'Name' | 'Type'>;

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

export type ImportResult = Returned<bursar.ImportCostDataResponse, 'Periods'>;

export const importApi = {
  /** One cost export file (FOCUS or CUR; CSV, CSV.gz or Parquet) as base64, into the caller's own account. */
  importCostData: (AccountId: string, FileName: string, Content: string) =>
    consoleApi.call<ImportResult>('bursar', 'ImportCostData', { AccountId, FileName, Content }),
};

export type ScenarioExportFormat = bursar.ScenarioExportFormat;
export type ScenarioResult = bursar.ScenarioResponse;

/** Scenarios as code in the console: the server runs each call as the signed-in user (docs/scenarios.md). */
export const scenarioApi = {
  /** The account's setup as a file to download: its text and a file name. */
  export: (Format: ScenarioExportFormat, Yaml: boolean) =>
    consoleApi.call<bursar.ExportScenarioResponse>('bursar', 'ExportScenario', { Format, Yaml }),
  /** What applying the file would change (nothing is changed), or its errors with line and column. */
  plan: (Content: string, FileName: string, Prune: boolean) =>
    consoleApi.call<ScenarioResult>('bursar', 'PlanScenario', { Content, FileName, Prune }),
  /** Applies the file step by step as the signed-in user; stops at a refused step and says which ran. */
  apply: (Content: string, FileName: string, Prune: boolean) =>
    consoleApi.call<ScenarioResult>('bursar', 'ApplyScenario', { Content, FileName, Prune }),
};
