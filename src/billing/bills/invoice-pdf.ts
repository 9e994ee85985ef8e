/**
 * An issued bill as a PDF invoice (pdfkit): invoice number, billing period, account, the charges by
 * service (and by account, for a management account), credits, refunds, tax and the total. Amounts print in cents, rounded half away from zero from
 * the exact decimal text; no float ever holds them. The document's dates are the invoice's, not the
 * wall clock's, so the same bill always renders the same bytes.
 */
import PDFDocument from 'pdfkit';
import { MONEY_DECIMALS, parseMoney } from '../money.js';
import type { Bill } from './bills.js';

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

/** The first day after the period: when AWS issues the month's invoice. */
function issueDate(period: string): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}

export function renderInvoicePdf(bill: Bill & { invoiceId: string }, accountName: string): Promise<Buffer> {
  const issued = issueDate(bill.period);
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
    doc.text(`USD ${formatCents(amount)}`, 430, y, { width: 115, align: 'right' });
    doc.moveDown(0.3);
  };

  doc.font('Helvetica-Bold').fontSize(18).text('Invoice');
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Invoice number: ${bill.invoiceId}`);
  doc.text(`Invoice date: ${issued.toISOString().slice(0, 10)}`);
  doc.text(`Billing period: ${bill.period}`);
  doc.text(`Account: ${bill.accountId}${accountName === '' ? '' : ` (${accountName})`}`);
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
