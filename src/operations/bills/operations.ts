/**
 * Bills and invoices as operations, named after AWS's IAM actions for them: `invoicing:ListInvoiceSummaries`
 * (the bills list), `billing:GetBillingData` (one period's bill) and `invoicing:GetInvoicePDF` (the invoice
 * document). AWS's Invoicing API hands out a pre-signed download URL; Bursar has no object store, so the
 * `DocumentUrl` is a `data:application/pdf;base64,…` URL the console downloads directly.
 */
import type { Billing } from '../../billing/billing.js';
import { BillPeriodError, Bills, checkPeriod, currentPeriod, parseInvoiceId, type Bill } from '../../bills/bills.js';
import { renderInvoicePdf } from '../../bills/invoice-pdf.js';
import { ServiceError } from '../errors.js';
import type { Operation } from '../types.js';

type Input = Record<string, unknown>;
type Op = Operation<unknown, Input, Record<string, unknown>>;

const validationException = (message: string) => new ServiceError('ValidationException', message, 400);
const noInvoice = (id: string) => new ServiceError('ResourceNotFoundException', `Invoice ${id} was not found.`, 404);

const billingPeriodOf = (period: string) => ({ Month: Number(period.slice(5, 7)), Year: Number(period.slice(0, 4)) });

function billWire(bill: Bill) {
  const lines = (entries: Bill['chargesByService'], key: string) =>
    entries.map((line) => ({
      [key]: line.key,
      ...(line.name === undefined ? {} : { AccountName: line.name }),
      Amount: line.amount,
    }));
  return {
    AccountId: bill.accountId,
    BillingPeriod: bill.period,
    Status: bill.status,
    ...(bill.invoiceId === undefined ? {} : { InvoiceId: bill.invoiceId }),
    CurrencyCode: bill.currency,
    ChargesByService: lines(bill.chargesByService, 'Service'),
    ChargesByRegion: lines(bill.chargesByRegion, 'Region'),
    ChargesByAccount: lines(bill.chargesByAccount, 'AccountId'),
    Charges: bill.charges,
    Credits: bill.credits,
    Refunds: bill.refunds,
    Tax: bill.tax,
    Total: bill.total,
  };
}

export function billsOperations(billing: Billing): Op[] {
  const bills = new Bills(billing);

  const listInvoiceSummaries: Op = {
    service: 'invoicing',
    name: 'ListInvoiceSummaries',
    access: () => [{ action: 'invoicing:ListInvoiceSummaries', resource: '*' }],
    mutates: false,
    async handler(_input, ctx) {
      const summaries = await bills.list(ctx.caller.accountId, ctx.facts.now);
      return {
        InvoiceSummaries: summaries.map((s) => ({
          AccountId: ctx.caller.accountId,
          BillingPeriod: billingPeriodOf(s.period),
          Status: s.status,
          ...(s.invoiceId === undefined ? {} : { InvoiceId: s.invoiceId }),
          BaseCurrencyAmount: {
            CurrencyCode: 'USD',
            TotalAmountBeforeTax: s.totalBeforeTax,
            TotalAmount: s.total,
            AmountBreakdown: { Taxes: { TotalAmount: s.tax } },
          },
        })),
      };
    },
  };

  const getBillingData: Op = {
    service: 'billing',
    name: 'GetBillingData',
    access: () => [{ action: 'billing:GetBillingData', resource: '*' }],
    mutates: false,
    async handler(input, ctx) {
      let period: string;
      try {
        period = checkPeriod(input.BillingPeriod, ctx.facts.now);
      } catch (error) {
        if (error instanceof BillPeriodError) throw validationException(error.message);
        throw error;
      }
      return { Bill: billWire(await bills.bill(ctx.caller.accountId, period, ctx.facts.now)) };
    },
  };

  const getInvoicePdf: Op = {
    service: 'invoicing',
    name: 'GetInvoicePDF',
    access: () => [{ action: 'invoicing:GetInvoicePDF', resource: '*' }],
    mutates: false,
    async handler(input, ctx) {
      const id = input.InvoiceId;
      if (typeof id !== 'string' || id === '') throw validationException('InvoiceId is required.');
      const parsed = parseInvoiceId(id);
      // An account reads its own invoices only; anyone else's invoice number is simply not found.
      if (parsed === undefined || parsed.accountId !== ctx.caller.accountId) throw noInvoice(id);
      if (parsed.period >= currentPeriod(ctx.facts.now)) throw noInvoice(id);
      const bill = await bills.bill(parsed.accountId, parsed.period, ctx.facts.now);
      if (bill.invoiceId === undefined || (bill.chargesByService.length === 0 && bill.total === '0'))
        throw noInvoice(id);
      const names = await billing.queries.accountNames(await billing.scopeOf(parsed.accountId), [parsed.accountId]);
      const pdf = await renderInvoicePdf({ ...bill, invoiceId: bill.invoiceId }, names.get(parsed.accountId) ?? '');
      return {
        InvoicePDF: {
          InvoiceId: id,
          DocumentUrl: `data:application/pdf;base64,${pdf.toString('base64')}`,
        },
      };
    },
  };

  return [listInvoiceSummaries, getBillingData, getInvoicePdf];
}
