/**
 * Billing console settings as operations, so the console and the APIs reach them the same way through
 * invoke(). Called from an AWS protocol they need their own service actions (`billing:…`, `aws-portal:…`),
 * as AWS's APIs do; called from the console they pass the page gate instead (the account's console action
 * set and its IAM-access switch, then the engine), as AWS's console pages do.
 */
import { accessDenied, validationError } from '../operations/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../operations/types.js';
import type { BillingConsoleGate, GateDenial } from './gate.js';
import type { ConsoleActionSet } from './pages.js';
import type { BillingConsoleSettingsStore } from './settings.js';

export interface BillingConsoleServices {
  billingConsoleSettings: BillingConsoleSettingsStore;
  billingConsoleGate: BillingConsoleGate;
}

// The operations close over their own services, so registering them needs nothing of the registry's services.
type Ctx = OperationContext<unknown>;
type Input = Record<string, unknown>;
type Op = Operation<unknown, Input, Record<string, unknown>>;

/** What an API call needs; a console call answers to the page gate in the handler instead. */
const apiAccess =
  (action: string) =>
  (_input: Input, ctx: Ctx): AccessRequest[] | null =>
    ctx.facts.via === 'console' ? null : [{ action, resource: '*' }];

function optionalBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw validationError(`${name} must be a boolean.`);
  return value;
}

const ACTION_SET_WIRE: Record<ConsoleActionSet, string> = { existing: 'EXISTING', 'fine-grained': 'FINE_GRAINED' };

function denialWire(denial: GateDenial) {
  return {
    Kind: denial.kind === 'page' ? 'PAGE' : 'ACTION',
    Title: denial.title,
    Message: denial.message,
    Reason: denial.reason === 'iam-access-off' ? 'IAM_ACCESS_OFF' : 'POLICY',
    MissingActions: denial.missingActions,
    ActionSet: ACTION_SET_WIRE[denial.actionSet],
  };
}

/** The Billing console's operations, bound to the account settings store and the page gate. */
export function billingConsoleOperations(services: BillingConsoleServices): Op[] {
  const settings = services.billingConsoleSettings;
  const gate = services.billingConsoleGate;
  const consoleGate = async (ctx: Ctx, page: string, button?: string) => {
    if (ctx.facts.via === 'console') await gate.require(ctx.caller, ctx.facts, page, button);
  };

  const getBillingPreferences: Op = {
    service: 'billing',
    name: 'GetBillingPreferences',
    access: apiAccess('billing:GetBillingPreferences'),
    mutates: false,
    async handler(_input, ctx) {
      await consoleGate(ctx, 'billing-preferences');
      const s = await settings.get(ctx.caller.accountId);
      return {
        InvoiceDeliveryByEmail: s.invoicePdfByEmail,
        FreeTierUsageAlerts: s.freeTierUsageAlerts,
        FreeTierAlertEmail: s.freeTierAlertEmail,
        BillingAlerts: s.billingAlerts,
      };
    },
  };

  const updateBillingPreferences: Op = {
    service: 'billing',
    name: 'UpdateBillingPreferences',
    access: apiAccess('billing:UpdateBillingPreferences'),
    mutates: true,
    async handler(input, ctx) {
      await consoleGate(ctx, 'billing-preferences', 'save-preferences');
      const store = settings;
      const current = await store.get(ctx.caller.accountId);
      const billingAlerts = optionalBoolean(input, 'BillingAlerts');
      if (current.billingAlerts && billingAlerts === false) {
        throw validationError('Billing alerts cannot be turned off once they are turned on.');
      }
      const email = input.FreeTierAlertEmail;
      if (email !== undefined && email !== null && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email))) {
        throw validationError('FreeTierAlertEmail must be an email address.');
      }
      const next = await store.update(ctx.caller.accountId, {
        invoicePdfByEmail: optionalBoolean(input, 'InvoiceDeliveryByEmail') ?? current.invoicePdfByEmail,
        freeTierUsageAlerts: optionalBoolean(input, 'FreeTierUsageAlerts') ?? current.freeTierUsageAlerts,
        freeTierAlertEmail: email === undefined ? current.freeTierAlertEmail : (email as string | null),
        billingAlerts: billingAlerts ?? current.billingAlerts,
      });
      return {
        InvoiceDeliveryByEmail: next.invoicePdfByEmail,
        FreeTierUsageAlerts: next.freeTierUsageAlerts,
        FreeTierAlertEmail: next.freeTierAlertEmail,
        BillingAlerts: next.billingAlerts,
      };
    },
  };

  const getIamAccessPreference: Op = {
    service: 'billing',
    name: 'GetIAMAccessPreference',
    access: apiAccess('billing:GetIAMAccessPreference'),
    mutates: false,
    async handler(_input, ctx) {
      await consoleGate(ctx, 'account');
      const s = await settings.get(ctx.caller.accountId);
      return { IamUserAccessToBilling: s.iamAccessToBilling ? 'ALLOW' : 'DENY' };
    },
  };

  /** AWS: only the account's root user can turn IAM access to billing on or off. SCPs still apply (access). */
  const updateIamAccessPreference: Op = {
    service: 'billing',
    name: 'UpdateIAMAccessPreference',
    access: () => [{ action: 'billing:UpdateIAMAccessPreference', resource: '*' }],
    mutates: true,
    async handler(input, ctx) {
      if (ctx.caller.kind !== 'root') {
        throw accessDenied(
          'Only the AWS account root user can change IAM user and role access to billing information.',
        );
      }
      const value = input.IamUserAccessToBilling;
      if (value !== 'ALLOW' && value !== 'DENY') throw validationError('IamUserAccessToBilling must be ALLOW or DENY.');
      await settings.update(ctx.caller.accountId, { iamAccessToBilling: value === 'ALLOW' });
      return { IamUserAccessToBilling: value };
    },
  };

  const getConsoleActionSetEnforced: Op = {
    service: 'aws-portal',
    name: 'GetConsoleActionSetEnforced',
    access: () => [{ action: 'aws-portal:GetConsoleActionSetEnforced', resource: '*' }],
    mutates: false,
    async handler(_input, ctx) {
      const s = await settings.get(ctx.caller.accountId);
      return { ConsoleActionSet: ACTION_SET_WIRE[s.consoleActionSet] };
    },
  };

  const updateConsoleActionSetEnforced: Op = {
    service: 'aws-portal',
    name: 'UpdateConsoleActionSetEnforced',
    access: () => [{ action: 'aws-portal:UpdateConsoleActionSetEnforced', resource: '*' }],
    mutates: true,
    async handler(input, ctx) {
      const wire = input.ConsoleActionSet;
      const set = (Object.keys(ACTION_SET_WIRE) as ConsoleActionSet[]).find((k) => ACTION_SET_WIRE[k] === wire);
      if (set === undefined) throw validationError('ConsoleActionSet must be EXISTING or FINE_GRAINED.');
      await settings.update(ctx.caller.accountId, { consoleActionSet: set });
      return { ConsoleActionSet: wire };
    },
  };

  /**
   * Bursar's own: may the caller open this console page (and press this button)? Asks about the caller
   * only, as the console does before drawing a page, so it needs no permission of its own.
   */
  const checkConsoleAccess: Op = {
    service: 'bursar',
    name: 'CheckConsoleAccess',
    access: () => null,
    mutates: false,
    async handler(input, ctx) {
      if (typeof input.Page !== 'string') throw validationError('Page is required.');
      const buttons = input.Buttons ?? [];
      if (!Array.isArray(buttons) || !buttons.every((b) => typeof b === 'string')) {
        throw validationError('Buttons must be a list of button ids.');
      }
      const page = await gate.check(ctx.caller, ctx.facts, input.Page);
      const ButtonDenials: Record<string, ReturnType<typeof denialWire>> = {};
      if (page === null) {
        for (const button of buttons as string[]) {
          const denial = await gate.check(ctx.caller, ctx.facts, input.Page, button);
          if (denial !== null) ButtonDenials[button] = denialWire(denial);
        }
      }
      return { Allowed: page === null, ...(page === null ? {} : { Denial: denialWire(page) }), ButtonDenials };
    },
  };

  return [
    getBillingPreferences,
    updateBillingPreferences,
    getIamAccessPreference,
    updateIamAccessPreference,
    getConsoleActionSetEnforced,
    updateConsoleActionSetEnforced,
    checkConsoleAccess,
  ];
}
