/**
 * The fixed lists the payments and tax areas accept: card brands (with the names the console shows),
 * payment currencies and tax registration types. Data only, with no imports, so that the server's
 * validation and the console's forms (which vite bundles from here) read one copy.
 */

/** Card brands a payment method may have, and how the console names them. */
export const CARD_BRAND_NAMES = {
  VISA: 'Visa',
  MASTERCARD: 'Mastercard',
  AMEX: 'American Express',
  DISCOVER: 'Discover',
  JCB: 'JCB',
  DINERS: 'Diners Club',
  UNIONPAY: 'UnionPay',
} as const;
export type CardBrand = keyof typeof CARD_BRAND_NAMES;
export const CARD_BRANDS = Object.keys(CARD_BRAND_NAMES) as CardBrand[];

/** The currencies AWS lets an account pay in (Billing preferences → payment currency). */
export const PAYMENT_CURRENCIES = [
  'USD',
  'AUD',
  'BRL',
  'CAD',
  'CHF',
  'CNY',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'INR',
  'JPY',
  'KRW',
  'NOK',
  'NZD',
  'SEK',
  'SGD',
  'ZAR',
] as const;

/** Tax registration types (the Tax Settings API's `TaxRegistrationType` enum). */
export const REGISTRATION_TYPES = ['VAT', 'GST', 'CPF', 'CNPJ', 'SST', 'TIN', 'NRIC'] as const;
