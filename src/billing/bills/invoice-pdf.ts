/**
 * An issued bill as a PDF invoice (pdfkit), laid out as AWS's: the seller and bill-to blocks, invoice number,
 * invoice and due dates, payment terms, billing period and account, the charges by service (and by account,
 * for a management account), credits, refunds, tax and the total; negative amounts as AWS prints them
 * ("-USD 100.00"). Amounts print in cents, rounded half away from zero from
 * the exact decimal text; no float ever holds them. The document's dates are the invoice's, not the
 * wall clock's, so the same bill always renders the same bytes.
 */
import PDFDocument from 'pdfkit';
import { MONEY_DECIMALS, parseMoney } from '../money.js';
import { dueDateOf, invoiceDateOf, PAYMENT_TERMS_DAYS, type Bill } from './bills.js';

const CENT_DIVISOR = 10n ** BigInt(MONEY_DECIMALS - 2);

/** Exact decimal text → `1,234.57` (two decimals, grouped thousands, half away from zero). */
export function formatCents(amount: string): string {
  const value = parseMoney(amount) ?? 0n;
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let cents = magnitude / CENT_DIVISOR;
  if ((magnitude % CENT_DIVISOR) * 2n >= CENT_DIVISOR) cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
  return negative && cents !== 0n ? `-${text}` : text;
}

/** An amount as AWS's invoices print it: `USD 1,234.57`, a credit `-USD 100.00`. */
export function invoiceAmount(amount: string): string {
  const cents = formatCents(amount);
  return cents.startsWith('-') ? `-USD ${cents.slice(1)}` : `USD ${cents}`;
}

/** Who the invoice is addressed to: the account's contact information (Account page), when it has one. */
export interface BillTo {
  FullName: string;
  CompanyName?: string;
  AddressLine1: string;
  AddressLine2?: string;
  AddressLine3?: string;
  City: string;
  StateOrRegion?: string;
  PostalCode: string;
  CountryCode: string;
}

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

export function renderInvoicePdf(
  bill: Bill & { invoiceId: string },
  accountName: string,
  billTo?: BillTo,
): Promise<Buffer> {
  const issued = invoiceDateOf(bill.period);
  const doc = new PDFDocument({
    size: 'A4',
    // Uncompressed content streams keep the invoice's text searchable (and testable); invoices are small.
    compress: false,
    margin: 50,
    info: {
      Title: `Invoice ${bill.invoiceId}`,
      Author: 'Bursar',
      Subject: `Billing period ${bill.period}`,
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const row = (label: string, amount: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    doc.text(label, 50, y, { width: 380 });
    doc.text(invoiceAmount(amount), 430, y, { width: 115, align: 'right' });
    doc.moveDown(0.3);
  };

  const top = doc.y;
  doc.font('Helvetica-Bold').fontSize(18).text('Invoice', 50, top);
  // The seller: Bursar issues the invoice for whoever runs it; it moves no money (README: how Bursar differs).
  doc.font('Helvetica-Bold').fontSize(9).text('Seller', 330, top, { width: 215 });
  doc.font('Helvetica').fontSize(9);
  doc.text('Bursar billing (self-hosted)', 330, doc.y, { width: 215 });
  doc.text('Usage charges as recorded by this installation', 330, doc.y, { width: 215 });
  doc.y = Math.max(doc.y, top + 40);
  doc.moveDown(0.5);

  const summaryTop = doc.y;
  doc.font('Helvetica-Bold').fontSize(10).text('Bill to', 50, summaryTop);
  doc.font('Helvetica').fontSize(10);
  const address =
    billTo === undefined
      ? [accountName === '' ? `Account ${bill.accountId}` : accountName]
      : [
          billTo.FullName,
          billTo.CompanyName,
          billTo.AddressLine1,
          billTo.AddressLine2,
          billTo.AddressLine3,
          [billTo.City, billTo.StateOrRegion, billTo.PostalCode].filter(Boolean).join(', '),
          billTo.CountryCode,
        ];
  for (const line of address) if (line !== undefined && line !== '') doc.text(line, 50, doc.y, { width: 240 });
  const billToBottom = doc.y;

  const [year, month] = bill.period.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 1, 1));
  const last = new Date(Date.UTC(year, month, 0));
  const facts: [string, string][] = [
    ['Invoice number', bill.invoiceId],
    ['Invoice date', day(issued)],
    ['Due date', day(new Date(`${dueDateOf(bill.period)}T00:00:00Z`))],
    ['Payment terms', `Net ${PAYMENT_TERMS_DAYS} days`],
    ['Billing period', `${day(first)} – ${day(last)}`],
    ['Account number', `${bill.accountId}${accountName === '' ? '' : ` (${accountName})`}`],
  ];
  doc.y = summaryTop;
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(10).text(label, 300, y, { width: 90 });
    doc.font('Helvetica').text(value, 390, y, { width: 155 });
  }
  doc.y = Math.max(doc.y, billToBottom);
  doc.x = 50;
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(12).text('Charges by service');
  doc.moveDown(0.3);
  for (const line of bill.chargesByService) row(line.key, line.amount);
  if (bill.chargesByAccount.length > 1) {
    // A management account's invoice covers its members: show whose usage the charges are.
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(12).text('Charges by account', 50);
    doc.moveDown(0.3);
    for (const line of bill.chargesByAccount)
      row(line.name === undefined ? line.key : `${line.key} (${line.name})`, line.amount);
  }
  doc.moveDown(0.5);
  row('Charges', bill.charges, true);
  row('Credits', bill.credits);
  row('Refunds', bill.refunds);
  row('Tax', bill.tax);
  doc.moveDown(0.3);
  row('Total', bill.total, true);
  doc.end();
  return done;
}
