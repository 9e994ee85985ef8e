/**
 * Tax settings: the account's tax registration (registration number and type, business legal name, legal
 * address). Member names follow AWS's Tax Settings API (`taxRegistrationEntry`, `registrationId`,
 * `legalName`, `legalAddress`…), which spells them in camelCase.
 */
import type { Kysely } from 'kysely';
import { validationException } from '../../core/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../store/schema.js';
import { REGISTRATION_TYPES } from '../../contracts/payments.js';
import type { TaxAddress, TaxRegistration, TaxRegistrationEntry } from '../../contracts/tax.js';
import type { TaxRegistrationType } from '../../contracts/wire/tax.js';
import { accountWrite } from '../../store/locks.js';
import type { OrganizationLookup } from '../costs/cost-scope.js';

function text(value: unknown, name: string, max: number, required = true): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw validationException(`${name} is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > max)
    throw validationException(`${name} must be a string of at most ${max} characters.`);
  return value;
}

export function checkTaxRegistrationEntry(value: unknown): TaxRegistrationEntry {
  if (value === null || typeof value !== 'object') throw validationException('taxRegistrationEntry is required.');
  const entry = value as Record<string, unknown>;
  const registrationId = text(entry.registrationId, 'registrationId', 20)!;
  if (!/^[A-Za-z0-9-/.\s]+$/.test(registrationId))
    throw validationException('registrationId has characters a registration number cannot have.');
  const registrationType = text(entry.registrationType, 'registrationType', 10)!;
  if (!(REGISTRATION_TYPES as readonly string[]).includes(registrationType)) {
    throw validationException(`registrationType must be one of ${REGISTRATION_TYPES.join(', ')}.`);
  }
  const legalName = text(entry.legalName, 'legalName', 200)!;
  const address = entry.legalAddress;
  if (address === null || typeof address !== 'object') throw validationException('legalAddress is required.');
  const a = address as Record<string, unknown>;
  const countryCode = text(a.countryCode, 'legalAddress.countryCode', 2)!;
  if (!/^[A-Z]{2}$/.test(countryCode))
    throw validationException('legalAddress.countryCode must be a two-letter ISO country code.');
  const legalAddress: TaxAddress = {
    addressLine1: text(a.addressLine1, 'legalAddress.addressLine1', 180)!,
    city: text(a.city, 'legalAddress.city', 50)!,
    postalCode: text(a.postalCode, 'legalAddress.postalCode', 20)!,
    countryCode,
  };
  for (const optional of ['addressLine2', 'addressLine3', 'stateOrRegion', 'districtOrCounty'] as const) {
    const v = text(a[optional], `legalAddress.${optional}`, 180, false);
    if (v !== undefined) legalAddress[optional] = v;
  }
  return { registrationId, registrationType: registrationType as TaxRegistrationType, legalName, legalAddress };
}

type TaxRegistrationRow = Database['tax_registration'];

function registrationOf(row: TaxRegistrationRow): TaxRegistration {
  return {
    registrationId: row.registration_id,
    // Written only after checkTaxRegistrationEntry accepted it.
    registrationType: row.registration_type as TaxRegistrationType,
    legalName: row.legal_name,
    legalAddress: JSON.parse(row.legal_address) as TaxAddress,
    status: 'Verified',
  };
}

export class TaxSettings {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly organizations: OrganizationLookup,
  ) {}

  async get(accountId: string): Promise<TaxRegistration | undefined> {
    const row = await this.db
      .selectFrom('tax_registration')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : registrationOf(row);
  }

  /**
   * The accounts whose tax settings a caller's account manages: itself and, for an organization's
   * management account, every member (AWS's "accounts in your consolidated billing family").
   */
  async managedAccounts(accountId: string): Promise<string[]> {
    const organization = await this.organizations.organizationOf(accountId);
    const members = organization?.managementAccountId === accountId ? organization.memberAccountIds : [];
    return [...new Set([accountId, ...members])].sort();
  }

  /** The registrations of the given accounts, by account id order, from `after` (exclusive), at most `limit`. */
  async list(
    accountIds: readonly string[],
    limit: number,
    after?: string,
  ): Promise<Array<{ accountId: string; registration: TaxRegistration }>> {
    if (accountIds.length === 0) return [];
    let query = this.db.selectFrom('tax_registration').selectAll().where('account_id', 'in', accountIds);
    if (after !== undefined) query = query.where('account_id', '>', after);
    const rows = await query.orderBy('account_id').limit(limit).execute();
    return rows.map((row) => ({ accountId: row.account_id, registration: registrationOf(row) }));
  }

  /** Puts the registration on each of `accountIds` in one transaction of the calling (managing) account. */
  async put(callerAccountId: string, accountIds: readonly string[], entry: TaxRegistrationEntry): Promise<void> {
    const values = {
      registration_id: entry.registrationId,
      registration_type: entry.registrationType,
      legal_name: entry.legalName,
      legal_address: JSON.stringify(entry.legalAddress),
      updated_at: this.clock.now().toISOString(),
    };
    await accountWrite(this.db, callerAccountId, async (trx) => {
      for (const accountId of accountIds) {
        await trx
          .insertInto('tax_registration')
          .values({ account_id: accountId, ...values })
          .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
          .execute();
      }
    });
  }

  /**
   * Deletes the registrations of `accountIds` in one transaction of the calling (managing) account, and
   * answers the accounts that had none.
   */
  async delete(callerAccountId: string, accountIds: readonly string[]): Promise<string[]> {
    return accountWrite(this.db, callerAccountId, async (trx) => {
      const missing: string[] = [];
      for (const accountId of accountIds) {
        const result = await trx.deleteFrom('tax_registration').where('account_id', '=', accountId).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) missing.push(accountId);
      }
      return missing;
    });
  }
}
