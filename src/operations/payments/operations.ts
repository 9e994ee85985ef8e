/**
 * Payment methods and payment preferences as operations, with the Tax Settings API's (taxsettings/). AWS
 * publishes no wire API for payment methods, so they are Bursar operations named after AWS's IAM actions
 * (`payments:ListPaymentInstruments`, `payments:CreatePaymentInstrument`…), reached by the console through
 * invoke(); from the console they answer to the page gate (CONSOLE_OPERATION_GATES), otherwise to their own
 * action.
 * Every payments input is screened for card numbers (screenCardNumbers) before anything else sees it.
 */
import { refuseCardNumbers } from '../../billing/payments/card-number-guard.js';
import { checkNewInstrument, type PaymentMethods } from '../../billing/payments/payment-methods.js';
import { validationException } from '../../core/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

export interface PaymentServices {
  paymentMethods: PaymentMethods;
}

type Input = Record<string, unknown>;
type Ctx = OperationContext<PaymentServices>;
type Op = Operation<PaymentServices, Input, Record<string, unknown>>;

const asks =
  (action: string, resource: (input: Input, ctx: Ctx) => string = () => '*') =>
  (input: Input, ctx: Ctx): AccessRequest[] => [{ action, resource: resource(input, ctx) }];

function instrumentId(input: Input): string {
  const id = input.PaymentInstrumentId;
  if (typeof id !== 'string' || id === '') {
    throw validationException('PaymentInstrumentId is required.');
  }
  return id;
}

/**
 * Screens a payments operation's input for card numbers before anything else sees it: in its access
 * function, which invoke() calls before the account rules and the engine, so a refused card number reaches
 * neither the handler nor the audit trail's copy of a denied call's input.
 */
export function screenCardNumbers<Services>(operation: Operation<Services, Input>): Operation<Services, Input> {
  const access = operation.access;
  if (typeof access !== 'function') return operation;
  return {
    ...operation,
    access: (input, ctx) => {
      refuseCardNumbers(input);
      return access(input, ctx);
    },
    handler: (input, ctx) => {
      refuseCardNumbers(input);
      return operation.handler(input, ctx);
    },
  };
}

const listPaymentInstruments: Op = {
  service: 'payments',
  name: 'ListPaymentInstruments',
  mutates: false,
  access: asks('payments:ListPaymentInstruments'),
  handler: async (_input, ctx) => ({
    PaymentInstruments: await ctx.services.paymentMethods.list(ctx.caller.accountId),
  }),
};

const getPaymentInstrument: Op = {
  service: 'payments',
  name: 'GetPaymentInstrument',
  mutates: false,
  access: asks(
    'payments:GetPaymentInstrument',
    (input, ctx) =>
      `arn:aws:payments::${ctx.caller.accountId}:payment-instrument:${String(input.PaymentInstrumentId ?? '')}`,
  ),
  handler: async (input, ctx) => ({
    PaymentInstrument: await ctx.services.paymentMethods.get(ctx.caller.accountId, instrumentId(input)),
  }),
};

const createPaymentInstrument: Op = {
  service: 'payments',
  name: 'CreatePaymentInstrument',
  mutates: true,
  access: asks('payments:CreatePaymentInstrument'),
  handler: async (input, ctx) => ({
    PaymentInstrument: await ctx.services.paymentMethods.add(
      ctx.caller.accountId,
      checkNewInstrument(input, ctx.facts.now),
    ),
  }),
};

/** Making a payment method the default is the one update a display record allows. */
const updatePaymentInstrument: Op = {
  service: 'payments',
  name: 'UpdatePaymentInstrument',
  mutates: true,
  access: asks('payments:UpdatePaymentInstrument'),
  handler: async (input, ctx) => {
    if (input.Default !== true) {
      throw validationException('Only Default: true can be updated on a payment method.');
    }
    return {
      PaymentInstrument: await ctx.services.paymentMethods.setDefault(ctx.caller.accountId, instrumentId(input)),
    };
  },
};

const deletePaymentInstrument: Op = {
  service: 'payments',
  name: 'DeletePaymentInstrument',
  mutates: true,
  access: asks('payments:DeletePaymentInstrument'),
  handler: async (input, ctx) => {
    await ctx.services.paymentMethods.remove(ctx.caller.accountId, instrumentId(input));
    return {};
  },
};

const listPaymentPreferences: Op = {
  service: 'payments',
  name: 'ListPaymentPreferences',
  mutates: false,
  access: asks('payments:ListPaymentPreferences'),
  handler: async (_input, ctx) => ({
    PaymentPreferences: await ctx.services.paymentMethods.preferences(ctx.caller.accountId),
  }),
};

const updatePaymentPreferences: Op = {
  service: 'payments',
  name: 'UpdatePaymentPreferences',
  mutates: true,
  access: asks('payments:UpdatePaymentPreferences'),
  handler: async (input, ctx) => ({
    PaymentPreferences: await ctx.services.paymentMethods.updatePreferences(ctx.caller.accountId, input),
  }),
};

/** Payment methods and preferences, each behind the card-number screen. */
export const paymentOperations = [
  listPaymentInstruments,
  getPaymentInstrument,
  createPaymentInstrument,
  updatePaymentInstrument,
  deletePaymentInstrument,
  listPaymentPreferences,
  updatePaymentPreferences,
].map(screenCardNumbers);
