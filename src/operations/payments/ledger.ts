/**
 * The payments ledger as operations named after AWS's IAM actions: `payments:GetPaymentStatus` (payments due
 * and the transaction history) and `payments:MakePayment` (pay one issued bill). AWS publishes no wire API for
 * them, so, like payment methods, they are reached through invoke(): from the console they answer to the
 * Payments page's gate (CONSOLE_OPERATION_GATES), otherwise to their own action.
 * They take no card data, only an invoice id, so the payment-method operations' card-number screen is not put
 * in front of them: an invoice id carries a 12-digit account id, which the screen would refuse as a card number.
 */
import type { PaymentsLedger } from '../../billing/payments/ledger.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';

export interface PaymentsLedgerServices {
  paymentsLedger: PaymentsLedger;
}

const getPaymentStatus: Operation<PaymentsLedgerServices> = {
  service: 'payments',
  name: 'GetPaymentStatus',
  access: () => [{ action: 'payments:GetPaymentStatus', resource: '*' }],
  mutates: false,
  handler: async (_input, ctx) => ({
    ...(await ctx.services.paymentsLedger.status(ctx.caller.accountId, ctx.facts.now)),
  }),
};

const makePayment: Operation<PaymentsLedgerServices> = {
  service: 'payments',
  name: 'MakePayment',
  access: () => [{ action: 'payments:MakePayment', resource: '*' }],
  mutates: true,
  async handler(input, ctx) {
    const invoiceId = input.InvoiceId;
    if (typeof invoiceId !== 'string' || invoiceId === '') {
      throw validationException('InvoiceId is required.');
    }
    // The request id is unique per call and comes from the injected id source, so tests stay deterministic.
    const payment = await ctx.services.paymentsLedger.pay(
      ctx.caller.accountId,
      invoiceId,
      ctx.facts.requestId,
      ctx.facts.now,
    );
    return { Payment: payment };
  },
};

export const paymentsLedgerOperations = [getPaymentStatus, makePayment];
