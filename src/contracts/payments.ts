/**
 * The fixed lists the payments and tax areas accept: card brands (with the names the console shows),
 * payment currencies and tax registration types (the model's enum), and the console-only payments shapes. Data
 * and types only, so that the server's validation and the console's forms (which vite bundles from here) read
 * one copy.
 */
import type { TaxRegistrationType } from './wire/tax.js';

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
export const REGISTRATION_TYPES = [
  'VAT',
  'GST',
  'CPF',
  'CNPJ',
  'SST',
  'TIN',
  'NRIC',
] as const satisfies readonly TaxRegistrationType[];

/**
 * The console-only payments operations' shapes (Bursar's `payments:*`, which AWS's Payments console calls but
 * publishes no model for): one copy for the server's handlers and the console's pages.
 */

/** A payment method as a display record: never a card number. */
export interface PaymentInstrument {
  PaymentInstrumentId: string;
  Brand: CardBrand;
  LastFourDigits: string;
  ExpiryMonth: number;
  ExpiryYear: number;
  CardholderName: string;
  Default: boolean;
}

export interface PaymentPreferences {
  Currency: string;
  InvoiceEmail: string | null;
}

/** An issued invoice and whether it is paid (GetPaymentStatus). */
export interface PaymentDue {
  InvoiceId: string;
  BillingPeriod: string;
  Amount: string;
  CurrencyCode: 'USD';
  Status: 'UNPAID' | 'PAID';
  /** `YYYY-MM-DD`: the invoice date plus the payment terms (PAYMENT_TERMS_DAYS). */
  DueDate: string;
  /** When paid: the payment. */
  PaymentId?: string;
}

export interface Payment {
  PaymentId: string;
  InvoiceId: string;
  BillingPeriod: string;
  Amount: string;
  CurrencyCode: string;
  PaymentMethod: string;
  PaidAt: Date;
}

export interface PaymentStatus {
  PaymentsDue: PaymentDue[];
  TotalDue: { Amount: string; CurrencyCode: 'USD' };
  Transactions: Payment[];
}
