/**
 * Tables of the account-settings area: the Account API's contact information and alternate contacts,
 * payment methods as display records (never a card number), payment preferences, and tax settings.
 */
/** The primary contact information (AWS's `ContactInformation` shape, as JSON) of one account. */
export interface AccountContactInformationTable {
  account_id: string;
  contact_information: string;
  updated_at: string;
}

/** One alternate contact (BILLING, OPERATIONS or SECURITY) of one account. */
export interface AccountAlternateContactTable {
  account_id: string;
  contact_type: string;
  name: string;
  title: string;
  email_address: string;
  phone_number: string;
  updated_at: string;
}

/**
 * A payment method as the console displays it. Only the brand, the last four digits and the expiry are
 * kept: Bursar processes no payments, so it has no reason to hold anything that could charge a card.
 */
export interface PaymentInstrumentTable {
  account_id: string;
  instrument_id: string;
  brand: string;
  last_four: string;
  expiry_month: number;
  expiry_year: number;
  holder_name: string;
  /** 0/1: the account's default payment method (at most one per account). */
  is_default: number;
  created_at: string;
}

/** Payment preferences: the currency invoices are paid in, and where invoices are emailed. */
export interface PaymentPreferencesTable {
  account_id: string;
  currency: string;
  invoice_email: string | null;
  updated_at: string;
}

/** The account's tax registration (registration number, legal name, legal address as JSON). */
export interface TaxRegistrationTable {
  account_id: string;
  registration_id: string;
  registration_type: string;
  legal_name: string;
  legal_address: string;
  updated_at: string;
}

export interface AccountTables {
  account_contact_information: AccountContactInformationTable;
  account_alternate_contact: AccountAlternateContactTable;
  payment_instrument: PaymentInstrumentTable;
  payment_preferences: PaymentPreferencesTable;
  tax_registration: TaxRegistrationTable;
}
