/**
 * The audit trail: one row per state change and per denial, in CloudTrail's event shape. The queryable
 * columns are lifted out; the full event is kept as JSON text (`event`), as LookupEvents returns it.
 */
export interface AuditEventTable {
  event_id: string;
  /** ISO-8601 UTC; with `account_id` the lookup order. */
  event_time: string;
  account_id: string;
  event_source: string;
  event_name: string;
  /** The caller's user name (root for the root user), as CloudTrail's `Username` lookup attribute. */
  username: string | null;
  access_key_id: string | null;
  read_only: number;
  /** `Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied`, or `NotRequired` (operations that need no permission). */
  decision: string;
  error_code: string | null;
  /** The CloudTrail event record, JSON text. */
  event: string;
}

export interface AuditTables {
  audit_events: AuditEventTable;
}
