/** Tax Settings shapes as Bursar keeps and returns them: AWS's model with the members Bursar requires. */
import type * as tax from './wire/tax.js';

export type TaxAddress = tax.Address;

/** A registration Bursar accepts (PutTaxRegistration): a legal name and address are required. */
export type TaxRegistrationEntry = Required<
  Pick<tax.TaxRegistrationEntry, 'registrationId' | 'registrationType' | 'legalName' | 'legalAddress'>
>;

/** GetTaxRegistration's answer: Bursar verifies nothing, so a kept registration is `Verified`. */
export type TaxRegistration = TaxRegistrationEntry & { status: Extract<tax.TaxRegistrationStatus, 'Verified'> };

/** ListTaxRegistrations' row: the registration names its jurisdiction rather than its legal address. */
export interface ListedTaxRegistration {
  accountId: string;
  taxRegistration: Pick<
    tax.TaxRegistrationWithJurisdiction,
    'registrationId' | 'registrationType' | 'legalName' | 'status' | 'jurisdiction'
  >;
}
