/**
 * Delegated administrators (RegisterDelegatedAdministrator, DeregisterDelegatedAdministrator,
 * ListDelegatedAdministrators, ListDelegatedServicesForAccount): member accounts the management account lets
 * administer a trusted service for the organization. The management account cannot be one, the service must
 * be trusted first, and an account that is one cannot leave or be removed until it is deregistered.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import * as errors from './errors.js';
import type { OrgCore } from './core.js';
import { checkServicePrincipal, serviceAccessEnabled } from './service-access.js';

export async function isDelegatedAdministrator(
  trx: Kysely<Database> | Transaction<Database>,
  orgId: string,
  accountId: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('org_delegated_admins')
    .select('account_id')
    .where('organization_id', '=', orgId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export class DelegatedAdministrators {
  constructor(private readonly core: OrgCore) {}

  /** Whether the account administers any service for the organization (it then reads the organization). */
  async isAdministrator(organizationId: string, accountId: string): Promise<boolean> {
    return isDelegatedAdministrator(this.core.db, organizationId, accountId);
  }

  async register(caller: string, accountId: string, principal: string): Promise<void> {
    checkServicePrincipal(principal);
    await this.core.managedWrite(caller, async (trx, org) => {
      if (accountId === org.management_account_id) {
        throw errors.constraintViolation('CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
      }
      await this.core.memberAccount(trx, org, accountId);
      if (!(await serviceAccessEnabled(trx, org.organization_id, principal))) {
        throw errors.constraintViolation('SERVICE_ACCESS_NOT_ENABLED');
      }
      const existing = await trx
        .selectFrom('org_delegated_admins')
        .select('account_id')
        .where('organization_id', '=', org.organization_id)
        .where('account_id', '=', accountId)
        .where('service_principal', '=', principal)
        .executeTakeFirst();
      if (existing !== undefined) throw errors.accountAlreadyRegistered();
      await trx
        .insertInto('org_delegated_admins')
        .values({
          organization_id: org.organization_id,
          account_id: accountId,
          service_principal: principal,
          delegated_at: this.core.clock.now().toISOString(),
        })
        .execute();
    });
  }

  async deregister(caller: string, accountId: string, principal: string): Promise<void> {
    checkServicePrincipal(principal);
    await this.core.managedWrite(caller, async (trx, org) => {
      await this.core.memberAccount(trx, org, accountId);
      const result = await trx
        .deleteFrom('org_delegated_admins')
        .where('organization_id', '=', org.organization_id)
        .where('account_id', '=', accountId)
        .where('service_principal', '=', principal)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw errors.accountNotRegistered();
    });
  }

  /** The delegated administrators, of one service or of any; each account once, with its first delegation. */
  async list(caller: string, principal?: string) {
    if (principal !== undefined) checkServicePrincipal(principal);
    const org = await this.core.managedOrganization(caller);
    let query = this.core.db
      .selectFrom('org_delegated_admins')
      .select(['account_id'])
      .select((eb) => eb.fn.min('delegated_at').as('delegated_at'))
      .where('organization_id', '=', org.organization_id)
      .groupBy('account_id')
      .orderBy('account_id');
    if (principal !== undefined) query = query.where('service_principal', '=', principal);
    const rows = await query.execute();
    return Promise.all(
      rows.map(async (row) => ({
        ...(await this.core.memberAccount(this.core.db, org, row.account_id)),
        DelegationEnabledDate: new Date(String(row.delegated_at)),
      })),
    );
  }

  /** The services an account administers; AccountNotRegisteredException when it administers none. */
  async servicesFor(caller: string, accountId: string) {
    const org = await this.core.managedOrganization(caller);
    await this.core.memberAccount(this.core.db, org, accountId);
    const rows = await this.core.db
      .selectFrom('org_delegated_admins')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .where('account_id', '=', accountId)
      .orderBy('service_principal')
      .execute();
    if (rows.length === 0) throw errors.accountNotRegistered();
    return rows.map((row) => ({
      ServicePrincipal: row.service_principal,
      DelegationEnabledDate: new Date(row.delegated_at),
    }));
  }
}
