/**
 * The Organizations area's stored rows and the AWS API shapes they answer as.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type {
  OrgAccountTable,
  OrgCreateAccountRequestTable,
  OrgOrganizationTable,
  OrgPolicyTable,
  OrgUnitTable,
} from '../store/tables/organizations.js';
import type { OrgRef } from './directory.js';
import { accountArn } from './ids.js';

export type OrgRow = Selectable<OrgOrganizationTable>;
export type AccountRow = Selectable<OrgAccountTable>;
export type OuRow = Selectable<OrgUnitTable>;
export type PolicyRow = Selectable<OrgPolicyTable>;
export type StatusRow = Selectable<OrgCreateAccountRequestTable>;

export async function memberRow(
  db: Kysely<Database> | Transaction<Database>,
  accountId: string,
): Promise<AccountRow | undefined> {
  return db.selectFrom('org_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export function refOf(org: OrgRow): OrgRef {
  return { organizationId: org.organization_id, managementAccountId: org.management_account_id };
}

export function organizationShape(org: OrgRow, managementEmail: string) {
  return {
    Id: org.organization_id,
    Arn: org.arn,
    FeatureSet: org.feature_set,
    MasterAccountArn: accountArn(org.management_account_id, org.organization_id, org.management_account_id),
    MasterAccountId: org.management_account_id,
    MasterAccountEmail: managementEmail,
    // Deprecated by AWS but still returned: with all features, SCPs are "available".
    AvailablePolicyTypes: org.feature_set === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
  };
}

export function ouShape(ou: OuRow) {
  return { Id: ou.ou_id, Arn: ou.arn, Name: ou.name };
}

/** AWS: a closed account is PENDING_CLOSURE for a short while, then SUSPENDED, and CLOSED after 90 days. */
const SUSPENDED_AFTER_MS = 60 * 1000;
const CLOSED_AFTER_MS = 90 * 24 * 60 * 60 * 1000;

/** The account as AWS answers it at `now` (its closure's progress is read from the clock). */
export function accountShape(row: AccountRow, now: Date) {
  let status = row.status;
  let state: string = row.status;
  if (row.closed_at !== null) {
    const since = now.getTime() - Date.parse(row.closed_at);
    status = since < SUSPENDED_AFTER_MS ? 'PENDING_CLOSURE' : 'SUSPENDED';
    state = since >= CLOSED_AFTER_MS ? 'CLOSED' : status;
  }
  return {
    Id: row.account_id,
    Arn: row.arn,
    Email: row.email,
    Name: row.name,
    Status: status,
    State: state,
    JoinedMethod: row.joined_method,
    JoinedTimestamp: new Date(row.joined_at),
  };
}

export function statusShape(row: StatusRow) {
  return {
    Id: row.request_id,
    AccountName: row.account_name,
    State: row.state,
    RequestedTimestamp: new Date(row.requested_at),
    ...(row.completed_at !== null ? { CompletedTimestamp: new Date(row.completed_at) } : {}),
    ...(row.account_id !== null ? { AccountId: row.account_id } : {}),
    ...(row.failure_reason !== null ? { FailureReason: row.failure_reason } : {}),
  };
}

export function policyShape(row: PolicyRow) {
  return {
    PolicySummary: {
      Id: row.policy_id,
      Arn: row.arn,
      Name: row.name,
      Description: row.description,
      Type: row.policy_type,
      AwsManaged: row.aws_managed === 1,
    },
    Content: row.content,
  };
}
