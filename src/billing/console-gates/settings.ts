/**
 * Each account's Billing console settings: the root-only "IAM user and role access to Billing
 * information" switch, the console action set (existing `aws-portal` or fine-grained), and the billing
 * preferences page's check boxes. An account without a row has the defaults: a standalone sign-up starts
 * with IAM access off; a member account created through Organizations starts with what CreateAccount
 * chose (`IamUserAccessToBilling`, ALLOW by default), which the Organizations area records.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../store/schema.js';
import { accountWrite } from '../../store/locks.js';
import type { ConsoleActionSet } from './pages.js';

export interface BillingPreferences {
  /** Invoice delivery preferences: PDF invoices by email. */
  invoicePdfByEmail: boolean;
  /** Alert preferences: AWS Free Tier usage alerts, to `freeTierAlertEmail` or the account's email. */
  freeTierUsageAlerts: boolean;
  freeTierAlertEmail: string | null;
  /** Alert preferences: CloudWatch billing alerts (once on, AWS does not let them be turned off). */
  billingAlerts: boolean;
}

export interface BillingConsoleSettings extends BillingPreferences {
  iamAccessToBilling: boolean;
  consoleActionSet: ConsoleActionSet;
}

/**
 * What the settings ask of Organizations: a port, implemented by the Organizations area
 * (src/organizations/billing-directory.ts) and wired in world.ts.
 */
export interface MemberAccountOrigin {
  /**
   * Whether Organizations created the account (CreateAccount) and let its IAM users and roles see billing
   * (`IamUserAccessToBilling`, ALLOW unless DENY was asked for). Read through `db`, the settings' own
   * transaction when a change asks (on SQLite another connection would wait for it).
   */
  createdWithIamAccessToBilling(db: Kysely<Database>, accountId: string): Promise<boolean>;
}

export class BillingConsoleSettingsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly members: MemberAccountOrigin,
    /** The action set of accounts that never chose one; `existing` so the seed tutorial works as written. */
    private readonly defaultActionSet: ConsoleActionSet = 'existing',
  ) {}

  /** The account's settings (`db`: the transaction of a write that changes them). */
  async get(accountId: string, db: Kysely<Database> = this.db): Promise<BillingConsoleSettings> {
    const row = await db
      .selectFrom('billing_console_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row !== undefined) {
      return {
        iamAccessToBilling: row.iam_access_to_billing === 1,
        consoleActionSet: row.console_action_set === 'fine-grained' ? 'fine-grained' : 'existing',
        invoicePdfByEmail: row.invoice_pdf_by_email === 1,
        freeTierUsageAlerts: row.free_tier_usage_alerts === 1,
        freeTierAlertEmail: row.free_tier_alert_email,
        billingAlerts: row.billing_alerts === 1,
      };
    }
    return {
      iamAccessToBilling: await this.members.createdWithIamAccessToBilling(db, accountId),
      consoleActionSet: this.defaultActionSet,
      invoicePdfByEmail: false,
      freeTierUsageAlerts: true,
      freeTierAlertEmail: null,
      billingAlerts: false,
    };
  }

  /**
   * Changes some settings and keeps the rest, in one transaction holding the account's row (two changes of
   * different settings at once both stay). `change` may be worked out from the current settings, and may
   * throw to refuse the change.
   */
  async update(
    accountId: string,
    change: Partial<BillingConsoleSettings> | ((current: BillingConsoleSettings) => Partial<BillingConsoleSettings>),
  ): Promise<BillingConsoleSettings> {
    return accountWrite(this.db, accountId, async (trx) => {
      const current = await this.get(accountId, trx);
      const next = { ...current, ...(typeof change === 'function' ? change(current) : change) };
      const values = {
        iam_access_to_billing: next.iamAccessToBilling ? 1 : 0,
        console_action_set: next.consoleActionSet,
        invoice_pdf_by_email: next.invoicePdfByEmail ? 1 : 0,
        free_tier_usage_alerts: next.freeTierUsageAlerts ? 1 : 0,
        free_tier_alert_email: next.freeTierAlertEmail,
        billing_alerts: next.billingAlerts ? 1 : 0,
        updated_at: this.clock.now().toISOString(),
      };
      await trx
        .insertInto('billing_console_settings')
        .values({ account_id: accountId, ...values })
        .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
        .execute();
      return next;
    });
  }
}
