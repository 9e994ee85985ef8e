/**
 * Policy document validation in the shape and spirit of IAM Access Analyzer's ValidatePolicy.
 * Pure: the action/condition-key catalog arrives as an argument (a data interface), never read here.
 */

/** Where a policy document is used; decides Principal rules and size limits. `trust` is a role trust policy. */
export type PolicyKind =
  'managed' | 'inline-user' | 'inline-group' | 'inline-role' | 'resource' | 'scp' | 'rcp' | 'trust';

export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

/** One validation finding. `path` points into the document (`['Statement', 0, 'Action', 1]`); `[]` is the whole document. */
export interface Finding {
  findingType: FindingType;
  issueCode: string;
  findingDetails: string;
  path: (string | number)[];
  learnMoreLink?: string;
}

/** How an IAM condition key's values are typed (the Service Authorization Reference's types). */
export type ConditionKeyType =
  | 'String'
  | 'ArrayOfString'
  | 'Numeric'
  | 'ArrayOfNumeric'
  | 'Date'
  | 'ArrayOfDate'
  | 'Bool'
  | 'ArrayOfBool'
  | 'IPAddress'
  | 'ArrayOfIPAddress'
  | 'ARN'
  | 'ArrayOfARN'
  | 'Binary'
  | 'ArrayOfBinary';

/** What the validator needs to know about AWS's services: a synchronous, read-only view (see src/catalog). */
export interface CatalogView {
  hasService(prefix: string): boolean;
  servicePrefixes(): readonly string[];
  /** Canonical action names of a service (`ViewBilling`…), empty when the service is unknown. */
  serviceActionNames(prefix: string): readonly string[];
  /** Canonical spelling of an action (`aws-portal:ViewBilling`), or undefined when unknown. Case-insensitive. */
  findAction(action: string): string | undefined;
  /** Concrete actions a wildcard action pattern matches (case-insensitive); empty when none. */
  expandAction(pattern: string): string[];
  /** The types a condition key takes, or undefined when unknown. Handles `aws:PrincipalTag/…`-style keys. */
  conditionKeyTypes(key: string): readonly ConditionKeyType[] | undefined;
  /** All known global (`aws:`) condition keys, for "did you mean" suggestions. */
  globalConditionKeys(): readonly string[];
  /** ARN formats of the service's resource types (`arn:${Partition}:iam::${Account}:role/…`), undefined when unknown. */
  resourceArnFormats(prefix: string): readonly string[] | undefined;
}

export function validatePolicy(_json: string | unknown, _kind: PolicyKind, _catalog?: CatalogView): Finding[] {
  return [];
}
