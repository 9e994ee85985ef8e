/**
 * Bills and invoices as operations: the Invoicing API's (JSON 1.0, `invoicing`) ListInvoiceSummaries and
 * GetInvoicePDF in AWS's shapes, and `billing:GetBillingData` (one period's bill; AWS publishes no API for
 * it, so its shape is Bursar's). An invoice exists for each issued period (the months before the current
 * one), dated the first of the following month. GetInvoicePDF hands out a pre-signed download link, as AWS's
 * does (invoice-documents.ts serves it).
 */
import type { Billing } from '../../billing/billing.js';
import { BillPeriodError, checkPeriod, currentPeriod, type Bill, type Bills } from '../../billing/bills/bills.js';
import type { GetInvoicePDFRequest, ListInvoiceSummariesRequest } from '../../contracts/wire/invoicing.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type * as consoleWire from '../../contracts/console.js';
import { invoiceDocumentLinks, invoicedBill } from './invoice-documents.js';

export interface BillsServices {
  billing: Billing;
  bills: Bills;
}

type Op<Input = Record<string, unknown>> = Operation<BillsServices, Input>;

const billingPeriodOf = (period: string) => ({ Month: Number(period.slice(5, 7)), Year: Number(period.slice(0, 4)) });
const periodOf = ({ Month, Year }: { Month: number; Year: number }) => `${Year}-${String(Month).padStart(2, '0')}`;

/** An invoice is issued at the start of the month after its period. */
function issuedDateOf(period: string): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}

/** ListInvoiceSummaries' page size when the caller names none. */
const DEFAULT_PAGE = 100;
const PAGE_TOKEN = /^\d{4}-\d{2}$/;

function billWire(bill: Bill): consoleWire.Bill {
  return {
    AccountId: bill.accountId,
    BillingPeriod: bill.period,
    Status: bill.status,
    ...(bill.invoiceId === undefined ? {} : { InvoiceId: bill.invoiceId }),
    CurrencyCode: bill.currency,
    ChargesByService: bill.chargesByService.map((line) => ({
      Service: line.key,
      Amount: line.amount,
      Regions: line.regions.map((region) => ({
        Region: region.region,
        Amount: region.amount,
        UsageTypes: region.usageTypes.map((usage) => ({ UsageType: usage.key, Amount: usage.amount })),
      })),
    })),
    ChargesByRegion: bill.chargesByRegion.map((line) => ({ Region: line.key, Amount: line.amount })),
    ChargesByAccount: bill.chargesByAccount.map((line) => ({
      AccountId: line.key,
      ...(line.name === undefined ? {} : { AccountName: line.name }),
      Amount: line.amount,
    })),
    Charges: bill.charges,
    Credits: bill.credits,
    Refunds: bill.refunds,
    Tax: bill.tax,
    Total: bill.total,
  };
}

const listInvoiceSummaries: Op<ListInvoiceSummariesRequest> = {
  service: 'invoicing',
  name: 'ListInvoiceSummaries',
  access: () => [{ action: 'invoicing:ListInvoiceSummaries', resource: '*' }],
  mutates: false,
  async handler(input, ctx) {
    const accountId = ctx.caller.accountId;
    const { ResourceType, Value } = input.Selector;
    if (ResourceType === 'ACCOUNT_ID' && Value !== accountId) {
      throw validationException(`Account ${Value} is not the calling account; an account lists its own invoices.`);
    }
    if (input.NextToken !== undefined && !PAGE_TOKEN.test(input.NextToken)) {
      throw validationException('The NextToken is not one this service issued.');
    }
    const { TimeInterval, BillingPeriod } = input.Filter ?? {};
    // Newest first; a page token is the last period shown.
    const invoices = (await ctx.services.bills.list(accountId, ctx.facts.now)).filter(
      (s) =>
        s.invoiceId !== undefined &&
        (ResourceType === 'ACCOUNT_ID' || s.invoiceId === Value) &&
        (BillingPeriod === undefined || s.period === periodOf(BillingPeriod)) &&
        (TimeInterval === undefined ||
          (issuedDateOf(s.period) >= TimeInterval.StartDate && issuedDateOf(s.period) <= TimeInterval.EndDate)) &&
        (input.NextToken === undefined || s.period < input.NextToken),
    );
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const page = invoices.slice(0, limit);
    return {
      InvoiceSummaries: page.map((s) => ({
        AccountId: accountId,
        InvoiceId: s.invoiceId,
        IssuedDate: issuedDateOf(s.period),
        BillingPeriod: billingPeriodOf(s.period),
        InvoiceType: 'INVOICE',
        BaseCurrencyAmount: {
          CurrencyCode: 'USD',
          TotalAmountBeforeTax: s.totalBeforeTax,
          TotalAmount: s.total,
          AmountBreakdown: { SubTotalAmount: s.totalBeforeTax, Taxes: { TotalAmount: s.tax } },
        },
      })),
      ...(invoices.length > limit ? { NextToken: page.at(-1)!.period } : {}),
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
      // Without a period, the current (pending) month's bill: the console opens on it.
      period =
        input.BillingPeriod === undefined
          ? currentPeriod(ctx.facts.now)
          : checkPeriod(input.BillingPeriod, ctx.facts.now);
    } catch (error) {
      if (error instanceof BillPeriodError) throw validationException(error.message);
      throw error;
    }
    return { Bill: billWire(await ctx.services.bills.bill(ctx.caller.accountId, period, ctx.facts.now)) };
  },
};

const getInvoicePdf: Op<GetInvoicePDFRequest> = {
  service: 'invoicing',
  name: 'GetInvoicePDF',
  access: () => [{ action: 'invoicing:GetInvoicePDF', resource: '*' }],
  mutates: false,
  async handler(input, ctx) {
    const id = input.InvoiceId;
    await invoicedBill(ctx.services.billing, ctx.caller.accountId, id, ctx.facts.now);
    const { url, expires } = await invoiceDocumentLinks.link(
      ctx.services.billing,
      ctx.caller.accountId,
      id,
      ctx.facts.now,
    );
    return { InvoicePDF: { InvoiceId: id, DocumentUrl: url, DocumentUrlExpirationDate: expires } };
  },
};

export const billsOperations = [listInvoiceSummaries, getBillingData, getInvoicePdf];
