/**
 * Tables of the Organizations area: organizations, their roots and OUs, account membership, create-account
 * requests, policies (SCPs, RCPs) and where they are attached. Ids are AWS's (`o-…`, `r-…`, `ou-…`, `p-…`,
 * `car-…`); an account id is the IAM area's `iam_accounts.account_id`.
 */

export type OrgPolicyType =
  'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY' | 'TAG_POLICY' | 'BACKUP_POLICY' | 'AISERVICES_OPT_OUT_POLICY';
export type OrgTargetType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

export interface OrgOrganizationTable {
  organization_id: string;
  arn: string;
  management_account_id: string;
  feature_set: 'ALL' | 'CONSOLIDATED_BILLING';
  created_at: string;
}

export interface OrgRootTable {
  root_id: string;
  organization_id: string;
  name: string;
  arn: string;
}

/** A policy type enabled in a root (AWS keeps this per root). */
export interface OrgRootPolicyTypeTable {
  root_id: string;
  policy_type: OrgPolicyType;
  status: 'ENABLED';
}

export interface OrgUnitTable {
  ou_id: string;
  organization_id: string;
  /** A root id (`r-…`) or another OU's id. */
  parent_id: string;
  name: string;
  arn: string;
  created_at: string;
}

/** An account's membership of an organization (the management account has one too). */
export interface OrgAccountTable {
  account_id: string;
  organization_id: string;
  parent_id: string;
  arn: string;
  email: string;
  name: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  joined_method: 'INVITED' | 'CREATED';
  joined_at: string;
  /**
   * The "IAM user and role access to Billing information" switch chosen at CreateAccount (`ALLOW` | `DENY`);
   * null for accounts that did not come from CreateAccount (they keep their own setting).
   */
  iam_user_access_to_billing: 'ALLOW' | 'DENY' | null;
  /** When CloseAccount was called for it (SUSPENDED, or PENDING_CLOSURE); the closure quota counts these. */
  closed_at: string | null;
}

export interface OrgCreateAccountRequestTable {
  request_id: string;
  organization_id: string;
  account_name: string;
  email: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  failure_reason: string | null;
  account_id: string | null;
  requested_at: string;
  completed_at: string | null;
}

export interface OrgPolicyTable {
  policy_id: string;
  /** Null for AWS managed policies (`p-FullAWSAccess`, `p-RCPFullAWSAccess`), which every organization shares. */
  organization_id: string | null;
  policy_type: OrgPolicyType;
  name: string;
  description: string;
  /** The document as given, JSON text. */
  content: string;
  aws_managed: number;
  arn: string;
  created_at: string;
  updated_at: string;
}

export interface OrgPolicyAttachmentTable {
  organization_id: string;
  policy_id: string;
  target_id: string;
  target_type: OrgTargetType;
  /** Bumped per attachment so listings keep attachment order. */
  attached_at: string;
}

/** Tags on organization resources (accounts, OUs, roots, policies). */
export interface OrgTagTable {
  organization_id: string;
  resource_id: string;
  tag_key: string;
  tag_value: string;
}

/** A service the organization trusts (EnableAWSServiceAccess), by its principal (`config.amazonaws.com`). */
export interface OrgServiceAccessTable {
  organization_id: string;
  service_principal: string;
  enabled_at: string;
}

/** A member account registered as a service's delegated administrator. */
export interface OrgDelegatedAdminTable {
  organization_id: string;
  account_id: string;
  service_principal: string;
  delegated_at: string;
}

export type OrgHandshakeAction = 'INVITE' | 'ENABLE_ALL_FEATURES' | 'APPROVE_ALL_FEATURES';
export type OrgHandshakeState = 'REQUESTED' | 'OPEN' | 'CANCELED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';

/**
 * A handshake: an invitation to an account, the request to enable all features, or a member's approval of
 * it. The recipient is the account that may accept or decline it; the organization's management account
 * sent it. A REQUESTED or OPEN handshake past `expires_at` is EXPIRED.
 */
export interface OrgHandshakeTable {
  handshake_id: string;
  organization_id: string;
  arn: string;
  action: OrgHandshakeAction;
  state: OrgHandshakeState;
  recipient_account_id: string;
  /** How the invitation named its target: by account id or by email (AWS's HandshakePartyType). */
  target_type: 'ACCOUNT' | 'EMAIL';
  target_id: string;
  notes: string | null;
  /** The tags (JSON `[{Key, Value}]`) an invited account gets on joining. */
  tags: string;
  parent_handshake_id: string | null;
  requested_at: string;
  expires_at: string;
}

/** The organization's resource policy (PutResourcePolicy): one per organization. */
export interface OrgResourcePolicyTable {
  organization_id: string;
  policy_id: string;
  arn: string;
  content: string;
  updated_at: string;
}

export interface OrganizationTables {
  org_organizations: OrgOrganizationTable;
  org_roots: OrgRootTable;
  org_root_policy_types: OrgRootPolicyTypeTable;
  org_units: OrgUnitTable;
  org_accounts: OrgAccountTable;
  org_create_account_requests: OrgCreateAccountRequestTable;
  org_policies: OrgPolicyTable;
  org_policy_attachments: OrgPolicyAttachmentTable;
  org_tags: OrgTagTable;
  org_service_access: OrgServiceAccessTable;
  org_delegated_admins: OrgDelegatedAdminTable;
  org_handshakes: OrgHandshakeTable;
  org_resource_policies: OrgResourcePolicyTable;
}
