/**
 * Tables of the STS area: temporary credentials issued by AssumeRole and GetSessionToken. The row is
 * everything a request signed with the `ASIA…` key needs to know who it acts as.
 */
export interface StsSessionTable {
  access_key_id: string;
  secret_access_key: string;
  session_token: string;
  account_id: string;
  /**
   * `assumed-role` (AssumeRole), `session-token` (GetSessionToken: the IAM user or root itself) or
   * `federated-user` (GetFederationToken).
   */
  kind: 'assumed-role' | 'session-token' | 'federated-user';
  /** The caller's ARN: `arn:aws:sts::…:assumed-role/Role/session`, or the user's (root's) own ARN. */
  principal_arn: string;
  /** `AROA…:session` for a role session; the user's `AIDA…` id (the account id for root) otherwise. */
  principal_id: string;
  /** The user's or role's name; null for root. */
  principal_name: string | null;
  role_arn: string | null;
  session_name: string | null;
  /** The session policy passed to AssumeRole (JSON text), if any. */
  session_policy: string | null;
  /** Managed session policies (PolicyArns), as a JSON array of ARNs, if any. */
  session_policy_arns: string | null;
  /** Session tags (AssumeRole's `Tags` and those a role chain passed on), a JSON object key → value, if any. */
  session_tags: string | null;
  /** The keys of the session tags a role chain passes on (`TransitiveTagKeys`), a JSON array, if any. */
  transitive_tag_keys: string | null;
  mfa_authenticated: number;
  /** A federated user's: the IAM user id (`AIDA…`) whose policies bound it, or the account id for root. */
  federated_by: string | null;
  created_at: string;
  expires_at: string;
}

export interface StsTables {
  sts_sessions: StsSessionTable;
}
