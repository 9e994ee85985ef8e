/**
 * Trusted access for AWS services (EnableAWSServiceAccess, DisableAWSServiceAccess,
 * ListAWSServiceAccessForOrganization): which service principals the organization lets act in its accounts.
 * Only the management account manages it, and only an organization with all features has it. Bursar records
 * the trust (it runs none of those services); delegated administrators (delegated-administrators.ts) need it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import * as errors from './errors.js';
import type { OrgCore } from './core.js';
import type { OrgRow } from './shapes.js';

/** A service principal as AWS spells them (`config.amazonaws.com`, `member.org.stacksets.cloudformation.amazonaws.com`). */
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;

export function checkServicePrincipal(principal: string): string {
  if (!SERVICE_PRINCIPAL.test(principal)) throw errors.invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL');
  return principal;
}

function requireAllFeatures(org: OrgRow): void {
  if (org.feature_set !== 'ALL') throw errors.constraintViolation('ORGANIZATION_NOT_IN_ALL_FEATURES_MODE');
}

/** Whether the organization trusts the service (the delegated-administrator rules ask). */
export async function serviceAccessEnabled(db: Kysely<Database>, orgId: string, principal: string): Promise<boolean> {
  const row = await db
    .selectFrom('org_service_access')
    .select('service_principal')
    .where('organization_id', '=', orgId)
    .where('service_principal', '=', principal)
    .executeTakeFirst();
  return row !== undefined;
}

/** DeleteOrganization's part: the organization's trusted services and delegated administrators go with it. */
export async function forgetServiceAccess(trx: Transaction<Database>, orgId: string): Promise<void> {
  await trx.deleteFrom('org_delegated_admins').where('organization_id', '=', orgId).execute();
  await trx.deleteFrom('org_service_access').where('organization_id', '=', orgId).execute();
}

export class ServiceAccess {
  constructor(private readonly core: OrgCore) {}

  /** Enabling a service already trusted changes nothing (AWS answers it with success too). */
  async enable(caller: string, principal: string): Promise<void> {
    checkServicePrincipal(principal);
    await this.core.managedWrite(caller, async (trx, org) => {
      requireAllFeatures(org);
      if (await serviceAccessEnabled(trx, org.organization_id, principal)) return;
      await trx
        .insertInto('org_service_access')
        .values({
          organization_id: org.organization_id,
          service_principal: principal,
          enabled_at: this.core.clock.now().toISOString(),
        })
        .execute();
    });
  }

  async disable(caller: string, principal: string): Promise<void> {
    checkServicePrincipal(principal);
    await this.core.managedWrite(caller, async (trx, org) => {
      requireAllFeatures(org);
      await trx
        .deleteFrom('org_service_access')
        .where('organization_id', '=', org.organization_id)
        .where('service_principal', '=', principal)
        .execute();
    });
  }

  /** The trusted services, by principal. */
  async list(caller: string) {
    const org = await this.core.managedOrganization(caller);
    requireAllFeatures(org);
    const rows = await this.core.db
      .selectFrom('org_service_access')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .orderBy('service_principal')
      .execute();
    return rows.map((row) => ({ ServicePrincipal: row.service_principal, DateEnabled: new Date(row.enabled_at) }));
  }
}
