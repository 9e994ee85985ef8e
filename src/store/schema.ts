/**
 * The database schema as Kysely sees it: each domain area declares its own tables in `tables/`,
 * and this interface joins them. Column conventions shared by SQLite and PostgreSQL:
 * - timestamps are ISO-8601 UTC text (`2026-11-27T21:34:10.000Z`), so both dialects sort and compare them alike;
 * - booleans are integers 0/1; JSON documents are text; ids and ARNs are text;
 * - money is never a float: decimal text, or integer counts of a small unit (see billing's tables).
 */
import type { AccountTables } from './tables/account.js';
import type { AuditTables } from './tables/audit.js';
import type { BillingTables } from './tables/billing.js';
import type { BillingLedgerTables } from './tables/billing-ledger.js';
import type { BudgetActionTables } from './tables/budget-actions.js';
import type { CeTables } from './tables/ce.js';
import type { ConsoleTables } from './tables/console.js';
import type { CurTables } from './tables/cur.js';
import type { IamTables } from './tables/iam.js';
import type { OrganizationTables } from './tables/organizations.js';
import type { ServerSecretTables } from './tables/server-secrets.js';
import type { StsTables } from './tables/sts.js';

export interface Database
  extends
    IamTables,
    OrganizationTables,
    StsTables,
    AuditTables,
    BillingTables,
    ConsoleTables,
    AccountTables,
    BillingLedgerTables,
    BudgetActionTables,
    CurTables,
    CeTables,
    ServerSecretTables {}
