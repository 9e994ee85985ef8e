/**
 * Tables of the IAM area: accounts and their root users, identities, policies and credentials.
 * Names are unique per account without regard to case (as IAM's are), so each named entity carries a
 * `name_key` (the lower-cased name) that the unique indexes use, while `name` keeps the spelling given.
 */

export interface IamAccountTable {
  account_id: string;
  /** The root user's sign-in email, lower-cased; unique across the installation. */
  email: string;
  account_name: string;
  root_password_hash: string;
  created_at: string;
  root_password_last_used: string | null;
  /** Bumped in the same transaction as any change that alters a principal's effective policies. */
  policy_generation: number;
  /**
   * SetSecurityTokenServicePreferences: 2 when the global STS endpoint issues v2 (all-Region) session
   * tokens; null (never set) is AWS's default, 1.
   */
  global_endpoint_token_version: number | null;
}

export interface IamAccountAliasTable {
  alias: string;
  account_id: string;
}

export interface IamPasswordPolicyTable {
  account_id: string;
  /** The policy's members as AWS names them (`MinimumPasswordLength`, …), as JSON text. */
  policy: string;
}

export interface IamUserTable {
  user_id: string;
  account_id: string;
  name: string;
  name_key: string;
  path: string;
  arn: string;
  created_at: string;
  password_last_used: string | null;
  permissions_boundary_arn: string | null;
}

export interface IamGroupTable {
  group_id: string;
  account_id: string;
  name: string;
  name_key: string;
  path: string;
  arn: string;
  created_at: string;
}

export interface IamGroupMemberTable {
  group_id: string;
  user_id: string;
}

export interface IamRoleTable {
  role_id: string;
  account_id: string;
  name: string;
  name_key: string;
  path: string;
  arn: string;
  created_at: string;
  description: string | null;
  assume_role_policy: string;
  max_session_duration: number;
  permissions_boundary_arn: string | null;
  last_used_date: string | null;
  last_used_region: string | null;
}

/** An instance profile; `role_id` is its one role (AWS allows at most one), null while it has none. */
export interface IamInstanceProfileTable {
  profile_id: string;
  account_id: string;
  name: string;
  name_key: string;
  path: string;
  arn: string;
  created_at: string;
  role_id: string | null;
}

/** An OpenID Connect provider; `url` is the issuer without `https://`, the lists are JSON arrays of strings. */
export interface IamOidcProviderTable {
  arn: string;
  account_id: string;
  url: string;
  client_ids: string;
  thumbprints: string;
  created_at: string;
}

/** A SAML provider; `metadata` is the IdP's metadata document as given, `valid_until` its `validUntil`. */
export interface IamSamlProviderTable {
  arn: string;
  account_id: string;
  name: string;
  name_key: string;
  metadata: string;
  valid_until: string | null;
  created_at: string;
}

export interface IamPolicyTable {
  policy_id: string;
  /** `aws` for AWS managed policies. */
  account_id: string;
  name: string;
  name_key: string;
  path: string;
  arn: string;
  description: string | null;
  default_version_id: string;
  /** The number the next created version gets (`v<N>`); versions are never renumbered. */
  next_version: number;
  created_at: string;
  updated_at: string;
}

export interface IamPolicyVersionTable {
  policy_id: string;
  version_id: string;
  /** The document as plain JSON text, exactly as it was given. */
  document: string;
  created_at: string;
}

export interface IamPolicyAttachmentTable {
  entity_type: 'user' | 'group' | 'role';
  entity_id: string;
  policy_id: string;
}

export interface IamInlinePolicyTable {
  entity_type: 'user' | 'group' | 'role';
  entity_id: string;
  name: string;
  name_key: string;
  document: string;
}

export interface IamAccessKeyTable {
  access_key_id: string;
  account_id: string;
  /** Null for the root user's keys. */
  user_id: string | null;
  secret_access_key: string;
  status: 'Active' | 'Inactive';
  created_at: string;
  last_used_date: string | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

export interface IamLoginProfileTable {
  user_id: string;
  password_hash: string;
  password_reset_required: number;
  created_at: string;
  password_last_changed: string;
}

/** Earlier console passwords of a user (hashes), newest last; kept as many as PasswordReusePrevention asks. */
export interface IamPasswordHistoryTable {
  user_id: string;
  password_hash: string;
  changed_at: string;
}

export interface IamMfaDeviceTable {
  serial_number: string;
  account_id: string;
  name: string;
  path: string;
  seed_base32: string;
  created_at: string;
  /** Set when enabled: the user it is assigned to, or `root` for the account's root user. */
  assigned_to: string | null;
  enabled_at: string | null;
  /** The last TOTP time step accepted, so a code cannot be replayed. */
  last_counter: number | null;
}

export interface IamTagTable {
  resource_type:
    'user' | 'role' | 'policy' | 'mfa' | 'instance-profile' | 'server-certificate' | 'oidc-provider' | 'saml-provider';
  resource_id: string;
  tag_key: string;
  tag_value: string;
}

/** An SSH public key (CodeCommit): the key as uploaded in both of AWS's encodings, and its MD5 fingerprint. */
export interface IamSshPublicKeyTable {
  key_id: string;
  account_id: string;
  user_id: string;
  ssh_body: string;
  pem_body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploaded_at: string;
}

/** An X.509 signing certificate of a user; `fingerprint` (SHA-256 of the DER) finds the same one uploaded again. */
export interface IamSigningCertificateTable {
  certificate_id: string;
  account_id: string;
  user_id: string;
  body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploaded_at: string;
}

/** A user's credential for one service (CodeCommit, Keyspaces…); its password is returned once and not kept. */
export interface IamServiceSpecificCredentialTable {
  credential_id: string;
  account_id: string;
  user_id: string;
  service_name: string;
  service_user_name: string;
  status: 'Active' | 'Inactive';
  created_at: string;
}

/** A server certificate (its private key is checked against it on upload and never kept). */
export interface IamServerCertificateTable {
  certificate_id: string;
  account_id: string;
  name: string;
  name_key: string;
  path: string;
  arn: string;
  body: string;
  chain: string | null;
  expires_at: string;
  uploaded_at: string;
}

/** A DeleteServiceLinkedRole task, for GetServiceLinkedRoleDeletionStatus (Bursar's tasks finish at once). */
export interface IamServiceLinkedRoleDeletionTable {
  task_id: string;
  account_id: string;
  role_arn: string;
  status: 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';
  created_at: string;
}

/** A GenerateServiceLastAccessedDetails job: the report is computed when asked and kept as JSON text. */
export interface IamLastAccessedJobTable {
  job_id: string;
  account_id: string;
  entity_arn: string;
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  created_at: string;
  completed_at: string;
  report: string;
}

/** An organizations access report's job: the report (JSON: the details, or the failure) made when generated. */
export interface IamOrganizationsAccessJobTable {
  job_id: string;
  account_id: string;
  entity_path: string;
  created_at: string;
  completed_at: string;
  report: string;
}

export interface IamCredentialReportTable {
  account_id: string;
  generated_at: string;
  content: string;
}

export interface IamTables {
  iam_accounts: IamAccountTable;
  iam_account_aliases: IamAccountAliasTable;
  iam_password_policies: IamPasswordPolicyTable;
  iam_users: IamUserTable;
  iam_groups: IamGroupTable;
  iam_group_members: IamGroupMemberTable;
  iam_roles: IamRoleTable;
  iam_instance_profiles: IamInstanceProfileTable;
  iam_oidc_providers: IamOidcProviderTable;
  iam_saml_providers: IamSamlProviderTable;
  iam_policies: IamPolicyTable;
  iam_policy_versions: IamPolicyVersionTable;
  iam_policy_attachments: IamPolicyAttachmentTable;
  iam_inline_policies: IamInlinePolicyTable;
  iam_access_keys: IamAccessKeyTable;
  iam_login_profiles: IamLoginProfileTable;
  iam_password_history: IamPasswordHistoryTable;
  iam_mfa_devices: IamMfaDeviceTable;
  iam_tags: IamTagTable;
  iam_credential_reports: IamCredentialReportTable;
  iam_ssh_public_keys: IamSshPublicKeyTable;
  iam_signing_certificates: IamSigningCertificateTable;
  iam_service_specific_credentials: IamServiceSpecificCredentialTable;
  iam_server_certificates: IamServerCertificateTable;
  iam_service_linked_role_deletions: IamServiceLinkedRoleDeletionTable;
  iam_last_accessed_jobs: IamLastAccessedJobTable;
  iam_organizations_access_jobs: IamOrganizationsAccessJobTable;
}
