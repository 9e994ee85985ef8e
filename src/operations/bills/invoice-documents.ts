/**
 * Invoice documents behind pre-signed links, as AWS's GetInvoicePDF hands them out: the operation (after
 * invoke() has authorized `invoicing:GetInvoicePDF`) answers with a `DocumentUrl` that carries its own
 * authorization — the account, an expiry and an HMAC over both and the invoice id — and
 * `GET /_bursar/invoice-documents/<InvoiceId>.pdf?…` serves the PDF to whoever holds an unexpired, intact
 * link, with S3's error shape otherwise. The signing key is a server secret kept in the store, so a link
 * outlives a restart and opens on any server sharing the store.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Billing } from '../../billing/billing.js';
import { Bills, currentPeriod, parseInvoiceId, type Bill } from '../../billing/bills/bills.js';
import { renderInvoicePdf } from '../../billing/bills/invoice-pdf.js';
import { AccountContacts } from '../../billing/account/contacts.js';
import { FixedClock, type Clock } from '../../platform/clock.js';
import { serverSecret } from '../../store/server-secrets.js';
import { ServiceError } from '../../core/errors.js';
import { invoiceNotFound } from '../../billing/bills/errors.js';

export const INVOICE_DOCUMENT_PATH = '/_bursar/invoice-documents/';
/** How long a link works (AWS's DocumentUrlExpirationDate is about an hour out). */
const LINK_LIFETIME_MS = 60 * 60 * 1000;

/** The account's issued bill an invoice id names; not found unless it is the account's own, issued and not empty. */
export async function invoicedBill(billing: Billing, accountId: string, invoiceId: string, now: Date): Promise<Bill> {
  const parsed = parseInvoiceId(invoiceId);
  // An account reads its own invoices only; anyone else's invoice number is simply not found.
  if (parsed === undefined || parsed.accountId !== accountId || parsed.period >= currentPeriod(now)) {
    throw invoiceNotFound(invoiceId);
  }
  const bill = await new Bills(billing).bill(accountId, parsed.period, now);
  if (bill.invoiceId === undefined || (bill.chargesByService.length === 0 && bill.total === '0')) {
    throw invoiceNotFound(invoiceId);
  }
  return bill;
}

/** The invoice's PDF, as the link serves it. */
export async function invoiceDocument(
  billing: Billing,
  accountId: string,
  invoiceId: string,
  now: Date,
): Promise<Buffer> {
  const bill = await invoicedBill(billing, accountId, invoiceId, now);
  const names = await billing.queries.accountNames(await billing.scopeOf(accountId), [accountId]);
  // Only reads: the contacts' clock stamps writes.
  const billTo = await new AccountContacts(billing.db, new FixedClock(now)).contactInformation(accountId);
  return renderInvoicePdf({ ...bill, invoiceId }, names.get(accountId) ?? '', billTo);
}

const signingKey = (billing: Billing, now: Date) =>
  serverSecret(billing.db, 'invoice-document-links', now, billing.ids);

export class InvoiceDocumentLinks {
  private baseUrl: () => string = () => '';

  /** Where the server that serves the documents listens (known only once it does). */
  servedAt(baseUrl: () => string): void {
    this.baseUrl = baseUrl;
  }

  async link(
    billing: Billing,
    accountId: string,
    invoiceId: string,
    now: Date,
  ): Promise<{ url: string; expires: Date }> {
    const key = await signingKey(billing, now);
    const expires = new Date(now.getTime() + LINK_LIFETIME_MS);
    const epoch = String(Math.floor(expires.getTime() / 1000));
    const query = new URLSearchParams({
      Account: accountId,
      Expires: epoch,
      Signature: linkSignature(key, accountId, invoiceId, epoch),
    });
    return { url: `${this.baseUrl()}${INVOICE_DOCUMENT_PATH}${encodeURIComponent(invoiceId)}.pdf?${query}`, expires };
  }

  /** The account a link was issued to, or why it does not open (S3's codes for a pre-signed URL). */
  async check(
    billing: Billing,
    invoiceId: string,
    query: Record<string, string | undefined>,
    now: Date,
  ): Promise<{ accountId: string } | { code: 'AccessDenied' | 'SignatureDoesNotMatch'; message: string }> {
    const { Account: accountId, Expires: expires, Signature: signature } = query;
    if (accountId === undefined || expires === undefined || signature === undefined || !/^\d+$/.test(expires)) {
      return {
        code: 'AccessDenied',
        message: 'Query-string authentication requires the Account, Expires and Signature parameters',
      };
    }
    const expected = Buffer.from(linkSignature(await signingKey(billing, now), accountId, invoiceId, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return {
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided.',
      };
    }
    if (Number(expires) * 1000 < now.getTime()) return { code: 'AccessDenied', message: 'Request has expired' };
    return { accountId };
  }
}

function linkSignature(key: Buffer, accountId: string, invoiceId: string, expires: string): string {
  return createHmac('sha256', key).update(`${accountId}\n${invoiceId}\n${expires}`).digest('base64url');
}

/** The process's links: GetInvoicePDF issues them, the route below honours them. */
export const invoiceDocumentLinks = new InvoiceDocumentLinks();

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** Serves invoice PDFs to holders of a valid link; the world is read per request (a reset store is picked up). */
export function registerInvoiceDocuments(
  app: FastifyInstance,
  current: () => { billing: Billing; clock: Clock },
): void {
  invoiceDocumentLinks.servedAt(() => {
    const address = app.server.address();
    if (address === null || typeof address === 'string') return '';
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  });
  app.get<{ Params: { file: string }; Querystring: Record<string, string | undefined> }>(
    `${INVOICE_DOCUMENT_PATH}:file`,
    async (request, reply) => {
      const { billing, clock } = current();
      const now = clock.now();
      const invoiceId = request.params.file.replace(/\.pdf$/, '');
      const checked = await invoiceDocumentLinks.check(billing, invoiceId, request.query, now);
      if ('code' in checked) {
        return reply.status(403).type('application/xml').send(s3Error(checked.code, checked.message));
      }
      try {
        const pdf = await invoiceDocument(billing, checked.accountId, invoiceId, now);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${invoiceId}.pdf"`)
          .send(pdf);
      } catch (error) {
        if (error instanceof ServiceError && error.status === 404) {
          return reply
            .status(404)
            .type('application/xml')
            .send(s3Error('NoSuchKey', 'The specified key does not exist.'));
        }
        throw error;
      }
    },
  );
}
