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
import type { TaxSettings } from '../../billing/payments/tax-settings.js';
import { validationException } from '../../core/errors.js';
import { taxSettingsOperations } from '../taxsettings/operations.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

export interface PaymentOperationDeps {
  paymentMethods: PaymentMethods;
  taxSettings: TaxSettings;
}

type Input = Record<string, unknown>;
type Ctx = OperationContext<unknown>;
type Op = Operation<unknown, Input, Record<string, unknown>>;

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

function paymentsOp(name: string, mutates: boolean, access: Op['access'], handler: Op['handler']): Op {
  return { service: 'payments', name, mutates, access, handler };
}

/**
 * Screens a payments operation's input for card numbers before anything else sees it: in its access
 * function, which invoke() calls before the account rules and the engine, so a refused card number reaches
 * neither the handler nor the audit trail's copy of a denied call's input.
 */
export function screenCardNumbers<T extends Op>(operation: T): T {
  const access = operation.access;
  if (operation.service !== 'payments' || typeof access !== 'function') return operation;
  return {
    ...operation,
    access: (input: Input, ctx: Ctx) => {
      refuseCardNumbers(input);
      return access(input, ctx);
    },
    handler: (input: Input, ctx: Ctx) => {
      refuseCardNumbers(input);
      return operation.handler(input, ctx);
    },
  };
}

export function paymentOperations(deps: PaymentOperationDeps): Op[] {
  const { paymentMethods, taxSettings } = deps;

  return [
    paymentsOp('ListPaymentInstruments', false, asks('payments:ListPaymentInstruments'), async (_input, ctx) => ({
      PaymentInstruments: await paymentMethods.list(ctx.caller.accountId),
    })),
    paymentsOp(
      'GetPaymentInstrument',
      false,
      asks(
        'payments:GetPaymentInstrument',
        (input, ctx) =>
          `arn:aws:payments::${ctx.caller.accountId}:payment-instrument:${String(input.PaymentInstrumentId ?? '')}`,
      ),
      async (input, ctx) => ({
        PaymentInstrument: await paymentMethods.get(ctx.caller.accountId, instrumentId(input)),
      }),
    ),
    paymentsOp('CreatePaymentInstrument', true, asks('payments:CreatePaymentInstrument'), async (input, ctx) => ({
      PaymentInstrument: await paymentMethods.add(ctx.caller.accountId, checkNewInstrument(input, ctx.facts.now)),
    })),
    /** Making a payment method the default is the one update a display record allows. */
    paymentsOp('UpdatePaymentInstrument', true, asks('payments:UpdatePaymentInstrument'), async (input, ctx) => {
      if (input.Default !== true) {
        throw validationException('Only Default: true can be updated on a payment method.');
      }
      return { PaymentInstrument: await paymentMethods.setDefault(ctx.caller.accountId, instrumentId(input)) };
    }),
    paymentsOp('DeletePaymentInstrument', true, asks('payments:DeletePaymentInstrument'), async (input, ctx) => {
      await paymentMethods.remove(ctx.caller.accountId, instrumentId(input));
      return {};
    }),
    paymentsOp('ListPaymentPreferences', false, asks('payments:ListPaymentPreferences'), async (_input, ctx) => ({
      PaymentPreferences: await paymentMethods.preferences(ctx.caller.accountId),
    })),
    paymentsOp('UpdatePaymentPreferences', true, asks('payments:UpdatePaymentPreferences'), async (input, ctx) => ({
      PaymentPreferences: await paymentMethods.updatePreferences(ctx.caller.accountId, input),
    })),
    ...taxSettingsOperations(taxSettings),
  ];
}
