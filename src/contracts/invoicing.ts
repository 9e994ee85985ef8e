/** Invoicing shapes as Bursar returns them, where it promises more than AWS's model requires. */
import type { Returned } from './json.js';
import type * as invoicing from './wire/invoicing.js';

/** GetInvoicePDF's answer: always the invoice's pre-signed download link. */
export interface InvoicePdfLink {
  InvoicePDF: Returned<invoicing.InvoicePDF, 'InvoiceId' | 'DocumentUrl' | 'DocumentUrlExpirationDate'>;
}
