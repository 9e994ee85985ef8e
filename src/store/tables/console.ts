/**
 * Tables of the web console: sign-in sessions, sign-in throttling state, and each
 * account's Billing console settings (the IAM-access switch, the console action set, billing preferences).
 */
/** One browser session. The cookie carries a random id; only its SHA-256 is stored, so a database leak yields no session. */
export interface ConsoleSessionTable {
  id_hash: string;
  /** `mfa` (password accepted, TOTP code pending), `password-change` (must change the password first),
   * `active`. Visitors who have not signed in have no row: their CSRF token is a cookie. */
  state: string;
  /** The authenticated Caller as JSON (null only in rows written before migration 0014). */
  caller_json: string | null;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry, fixed at creation. */
  expires_at: string;
}

/**
 * The backoff state of one throttled key (`ip:…`, `user:<account id>/<user>`, `root:<email>`, `mfa:<arn>`,
 * `signup:<address>`): attempts since the key was last quiet, and when the next attempt may be made.
 */
export interface ConsoleSigninThrottleTable {
  key: string;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string;
  /** Bumped by every change: a reservation is a compare-and-set on it, so concurrent attempts are all counted. */
  version: number;
}

/** Billing console settings of one account; a missing row means the defaults of a standalone sign-up. */
export interface BillingConsoleSettingsTable {
  account_id: string;
  /** 0/1: "IAM user and role access to Billing information". */
  iam_access_to_billing: number;
  /** `existing` (legacy aws-portal actions) or `fine-grained`. */
  console_action_set: string;
  invoice_pdf_by_email: number;
  free_tier_usage_alerts: number;
  free_tier_alert_email: string | null;
  billing_alerts: number;
  updated_at: string;
}

export interface ConsoleTables {
  console_sessions: ConsoleSessionTable;
  console_signin_throttle: ConsoleSigninThrottleTable;
  billing_console_settings: BillingConsoleSettingsTable;
}
