/**
 * The Account API's data: each account's primary contact information and its alternate contacts
 * (BILLING, OPERATIONS, SECURITY). Shapes and member names are those of AWS's Account API model, so the
 * operations hand them through unchanged.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../store/schema.js';
import { accountWrite } from '../../store/locks.js';
import type { ContactInformation } from '../../contracts/wire/account.js';

export const ALTERNATE_CONTACT_TYPES = ['BILLING', 'OPERATIONS', 'SECURITY'] as const;
export type AlternateContactType = (typeof ALTERNATE_CONTACT_TYPES)[number];

export interface AlternateContact {
  AlternateContactType: AlternateContactType;
  Name: string;
  Title: string;
  EmailAddress: string;
  PhoneNumber: string;
}

const CONTACT_FIELDS = [
  'AddressLine1',
  'AddressLine2',
  'AddressLine3',
  'City',
  'CompanyName',
  'CountryCode',
  'DistrictOrCounty',
  'FullName',
  'PhoneNumber',
  'PostalCode',
  'StateOrRegion',
  'WebsiteUrl',
] as const satisfies readonly (keyof ContactInformation)[];

export class AccountContacts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async contactInformation(accountId: string): Promise<ContactInformation | undefined> {
    const row = await this.db
      .selectFrom('account_contact_information')
      .select('contact_information')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.contact_information) as ContactInformation);
  }

  async putContactInformation(accountId: string, contact: ContactInformation): Promise<void> {
    // Only the model's members are kept, so the stored document is exactly what Get returns.
    const kept = Object.fromEntries(
      CONTACT_FIELDS.filter((field) => contact[field] !== undefined).map((field) => [field, contact[field]]),
    );
    const values = { contact_information: JSON.stringify(kept), updated_at: this.clock.now().toISOString() };
    await accountWrite(this.db, accountId, (trx) =>
      trx
        .insertInto('account_contact_information')
        .values({ account_id: accountId, ...values })
        .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
        .execute(),
    );
  }

  async alternateContact(accountId: string, type: AlternateContactType): Promise<AlternateContact | undefined> {
    const row = await this.db
      .selectFrom('account_alternate_contact')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('contact_type', '=', type)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      AlternateContactType: type,
      Name: row.name,
      Title: row.title,
      EmailAddress: row.email_address,
      PhoneNumber: row.phone_number,
    };
  }

  async putAlternateContact(accountId: string, contact: AlternateContact): Promise<void> {
    const values = {
      name: contact.Name,
      title: contact.Title,
      email_address: contact.EmailAddress,
      phone_number: contact.PhoneNumber,
      updated_at: this.clock.now().toISOString(),
    };
    await accountWrite(this.db, accountId, (trx) =>
      trx
        .insertInto('account_alternate_contact')
        .values({ account_id: accountId, contact_type: contact.AlternateContactType, ...values })
        .onConflict((oc) => oc.columns(['account_id', 'contact_type']).doUpdateSet(values))
        .execute(),
    );
  }

  /** Whether there was a contact of that type to delete. */
  async deleteAlternateContact(accountId: string, type: AlternateContactType): Promise<boolean> {
    const result = await accountWrite(this.db, accountId, (trx) =>
      trx
        .deleteFrom('account_alternate_contact')
        .where('account_id', '=', accountId)
        .where('contact_type', '=', type)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }
}
