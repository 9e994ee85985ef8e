/**
 * Tables of the web console: sign-in sessions, failed sign-in attempts (rate limiting), and each
 * account's Billing console settings (the IAM-access switch, the console action set, billing preferences).
 */
/** One browser session. The cookie carries a random id; only its SHA-256 is stored, so a database leak yields no session. */
export interface ConsoleSessionTable {
  id_hash: string;
  /** `anonymous` (before sign-in: holds the CSRF token), `mfa` (password accepted, TOTP code pending),
   * `password-change` (must change the password first), `active`. */
  state: string;
  /** The authenticated Caller as JSON (absent while anonymous). */
  caller_json: string | null;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry, fixed at creation. */
  expires_at: string;
}

/** One failed sign-in, counted per key (`ip:…`, `user:<account>/<user>`, `root:<email>`) inside a window. */
export interface ConsoleSigninFailureTable {
  key: string;
  at: string;
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
  console_signin_failures: ConsoleSigninFailureTable;
  billing_console_settings: BillingConsoleSettingsTable;
}
