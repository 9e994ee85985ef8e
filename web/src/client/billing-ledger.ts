/**
 * Typed calls for the Credits, Cost allocation tags and Payments pages: `billing:GetCredits`, Cost Explorer's
 * cost allocation tag operations and the payments ledger (`payments:GetPaymentStatus`, `payments:MakePayment`).
 */
import type * as billing from '../../../src/contracts/wire/billing';
import type * as ce from '../../../src/contracts/wire/ce';
import type { Json } from '../../../src/contracts/json';
import type * as payments from '../../../src/contracts/payments';
import { consoleApi } from './api';

export type ServiceCredit = billing.ServiceCredit;
export type AccountCredit = billing.AccountCredit;
export type PeriodCredits = billing.PeriodCredits;
export type Credits = billing.GetCreditsResponse;

export type CostAllocationTagStatus = ce.CostAllocationTagStatus;
export type CostAllocationTag = ce.CostAllocationTag;
export type TagStatusError = ce.UpdateCostAllocationTagsStatusError;

export type PaymentDue = payments.PaymentDue;
export type PaymentTransaction = Json<payments.Payment>;
export type PaymentStatus = Json<payments.PaymentStatus>;

export const billingLedgerApi = {
  getCredits: () => consoleApi.call<Credits>('billing', 'GetCredits'),
  listCostAllocationTags: async (): Promise<CostAllocationTag[]> => {
    const tags: CostAllocationTag[] = [];
    let token: string | undefined;
    do {
      const page = await consoleApi.call<{ CostAllocationTags: CostAllocationTag[]; NextToken?: string }>(
        'ce',
        'ListCostAllocationTags',
        { MaxResults: 1000, ...(token === undefined ? {} : { NextToken: token }) },
      );
      tags.push(...page.CostAllocationTags);
      token = page.NextToken;
    } while (token !== undefined);
    return tags;
  },
  updateCostAllocationTagsStatus: (keys: string[], status: CostAllocationTagStatus) =>
    consoleApi.call<{ Errors: TagStatusError[] }>('ce', 'UpdateCostAllocationTagsStatus', {
      CostAllocationTagsStatus: keys.map((TagKey) => ({ TagKey, Status: status })),
    }),
  getPaymentStatus: () => consoleApi.call<PaymentStatus>('payments', 'GetPaymentStatus'),
  makePayment: (invoiceId: string) =>
    consoleApi.call<{ Payment: PaymentTransaction }>('payments', 'MakePayment', { InvoiceId: invoiceId }),
};
