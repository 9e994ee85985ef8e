/**
 * Billing console settings as operations, so the console and the APIs reach them the same way through
 * invoke(). They declare their own service actions (`billing:…`, `aws-portal:…`), which an API call needs,
 * as AWS's APIs do; a console call of the preference pages answers to the page gate instead (invoke()'s
 * account rule: the account's console action set and its IAM-access switch, then the engine), as AWS's
 * console pages do.
 */
import { validationError } from '../../core/errors.js';
import type { AccessRequest, Operation } from '../../core/operation.js';
import type { BillingConsoleGate, GateDenial } from '../../billing/console-gates/gate.js';
import type { ConsoleActionSet } from '../../billing/console-gates/pages.js';
import type { BillingConsoleSettingsStore } from '../../billing/console-gates/settings.js';
import type * as portalWire from '../../contracts/wire/aws-portal.js';
import type * as billingWire from '../../contracts/wire/billing.js';
import type * as consoleWire from '../../contracts/console.js';

export interface BillingConsoleServices {
  billingConsoleSettings: BillingConsoleSettingsStore;
  billingConsoleGate: BillingConsoleGate;
}

type Input = Record<string, unknown>;
type Op = Operation<BillingConsoleServices, Input, Record<string, unknown>>;

const asks = (action: string) => (): AccessRequest[] => [{ action, resource: '*' }];

function optionalBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw validationError(`${name} must be a boolean.`);
  return value;
}

const ROOT_ONLY = 'Only the AWS account root user can change IAM user and role access to billing information.';

const ACTION_SET_WIRE: Record<ConsoleActionSet, consoleWire.ConsoleActionSet> = {
  existing: 'EXISTING',
  'fine-grained': 'FINE_GRAINED',
};

function denialWire(denial: GateDenial): consoleWire.GateDenial {
  return {
    Kind: denial.kind === 'page' ? 'PAGE' : 'ACTION',
    Title: denial.title,
    Message: denial.message,
    Reason: denial.reason === 'iam-access-off' ? 'IAM_ACCESS_OFF' : 'POLICY',
    MissingActions: denial.missingActions,
    ActionSet: ACTION_SET_WIRE[denial.actionSet],
  };
}

const getBillingPreferences: Op = {
  service: 'billing',
  name: 'GetBillingPreferences',
  access: asks('billing:GetBillingPreferences'),
  mutates: false,
  async handler(_input, ctx) {
    const s = await ctx.services.billingConsoleSettings.get(ctx.caller.accountId);
    return {
      InvoiceDeliveryByEmail: s.invoicePdfByEmail,
      FreeTierUsageAlerts: s.freeTierUsageAlerts,
      FreeTierAlertEmail: s.freeTierAlertEmail,
      BillingAlerts: s.billingAlerts,
    } satisfies consoleWire.BillingPreferences;
  },
};

const updateBillingPreferences: Op = {
  service: 'billing',
  name: 'UpdateBillingPreferences',
  access: asks('billing:UpdateBillingPreferences'),
  mutates: true,
  async handler(input, ctx) {
    const billingAlerts = optionalBoolean(input, 'BillingAlerts');
    const invoicePdfByEmail = optionalBoolean(input, 'InvoiceDeliveryByEmail');
    const freeTierUsageAlerts = optionalBoolean(input, 'FreeTierUsageAlerts');
    const email = input.FreeTierAlertEmail;
    if (email !== undefined && email !== null && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email))) {
      throw validationError('FreeTierAlertEmail must be an email address.');
    }
    const next = await ctx.services.billingConsoleSettings.update(ctx.caller.accountId, (current) => {
      if (current.billingAlerts && billingAlerts === false) {
        throw validationError('Billing alerts cannot be turned off once they are turned on.');
      }
      return {
        invoicePdfByEmail: invoicePdfByEmail ?? current.invoicePdfByEmail,
        freeTierUsageAlerts: freeTierUsageAlerts ?? current.freeTierUsageAlerts,
        freeTierAlertEmail: email === undefined ? current.freeTierAlertEmail : (email as string | null),
        billingAlerts: billingAlerts ?? current.billingAlerts,
      };
    });
    return {
      InvoiceDeliveryByEmail: next.invoicePdfByEmail,
      FreeTierUsageAlerts: next.freeTierUsageAlerts,
      FreeTierAlertEmail: next.freeTierAlertEmail,
      BillingAlerts: next.billingAlerts,
    } satisfies consoleWire.BillingPreferences;
  },
};

const getIamAccessPreference: Op = {
  service: 'billing',
  name: 'GetIAMAccessPreference',
  access: asks('billing:GetIAMAccessPreference'),
  mutates: false,
  async handler(_input, ctx) {
    const s = await ctx.services.billingConsoleSettings.get(ctx.caller.accountId);
    return {
      IamUserAccessToBilling: s.iamAccessToBilling ? 'ALLOW' : 'DENY',
    } satisfies billingWire.IAMAccessPreference;
  },
};

/** AWS: only the account's root user can turn IAM access to billing on or off. SCPs still apply (access). */
const updateIamAccessPreference: Op = {
  service: 'billing',
  name: 'UpdateIAMAccessPreference',
  access: (_input, { caller }) => [
    {
      action: 'billing:UpdateIAMAccessPreference',
      resource: '*',
      ...(caller.kind === 'root' ? {} : { refusedAfterPolicies: { message: ROOT_ONLY } }),
    },
  ],
  mutates: true,
  async handler(input, ctx) {
    const value = input.IamUserAccessToBilling;
    if (value !== 'ALLOW' && value !== 'DENY') throw validationError('IamUserAccessToBilling must be ALLOW or DENY.');
    await ctx.services.billingConsoleSettings.update(ctx.caller.accountId, { iamAccessToBilling: value === 'ALLOW' });
    return { IamUserAccessToBilling: value } satisfies billingWire.IAMAccessPreference;
  },
};

const getConsoleActionSetEnforced: Op = {
  service: 'aws-portal',
  name: 'GetConsoleActionSetEnforced',
  access: asks('aws-portal:GetConsoleActionSetEnforced'),
  mutates: false,
  async handler(_input, ctx) {
    const s = await ctx.services.billingConsoleSettings.get(ctx.caller.accountId);
    return { ConsoleActionSet: ACTION_SET_WIRE[s.consoleActionSet] } satisfies portalWire.ConsoleActionSetSetting;
  },
};

const updateConsoleActionSetEnforced: Op = {
  service: 'aws-portal',
  name: 'UpdateConsoleActionSetEnforced',
  access: asks('aws-portal:UpdateConsoleActionSetEnforced'),
  mutates: true,
  async handler(input, ctx) {
    const wire = input.ConsoleActionSet;
    const set = (Object.keys(ACTION_SET_WIRE) as ConsoleActionSet[]).find((k) => ACTION_SET_WIRE[k] === wire);
    if (set === undefined) throw validationError('ConsoleActionSet must be EXISTING or FINE_GRAINED.');
    await ctx.services.billingConsoleSettings.update(ctx.caller.accountId, { consoleActionSet: set });
    return { ConsoleActionSet: ACTION_SET_WIRE[set] } satisfies portalWire.ConsoleActionSetSetting;
  },
};

/**
 * Bursar's own: may the caller open this console page (and press these buttons)? It puts the page's
 * questions to the engine through the same evaluator invoke() uses, and only reports the answers.
 */
const checkConsoleAccess: Op = {
  service: 'bursar',
  name: 'CheckConsoleAccess',
  access: {
    none: 'It only tells the caller what its own permissions allow, as the console does before drawing a page.',
  },
  mutates: false,
  async handler(input, ctx) {
    if (typeof input.Page !== 'string') throw validationError('Page is required.');
    const buttons = input.Buttons ?? [];
    if (!Array.isArray(buttons) || !buttons.every((b) => typeof b === 'string')) {
      throw validationError('Buttons must be a list of button ids.');
    }
    const page = await ctx.services.billingConsoleGate.check(ctx.caller, ctx.facts, input.Page);
    const ButtonDenials: Record<string, consoleWire.GateDenial> = {};
    if (page === null) {
      for (const button of buttons as string[]) {
        const denial = await ctx.services.billingConsoleGate.check(ctx.caller, ctx.facts, input.Page, button);
        if (denial !== null) ButtonDenials[button] = denialWire(denial);
      }
    }
    return {
      Allowed: page === null,
      ...(page === null ? {} : { Denial: denialWire(page) }),
      ButtonDenials,
    } satisfies consoleWire.ConsoleAccess;
  },
};

/** The Billing console's operations, over the account settings store and the page gate. */
export const billingConsoleOperations = [
  getBillingPreferences,
  updateBillingPreferences,
  getIamAccessPreference,
  updateIamAccessPreference,
  getConsoleActionSetEnforced,
  updateConsoleActionSetEnforced,
  checkConsoleAccess,
];
