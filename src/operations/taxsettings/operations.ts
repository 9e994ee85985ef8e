/**
 * The Tax Settings API (restJson1, signing name and IAM prefix `tax`) over the account's tax registration:
 * Put/Get/Delete for one account, their Batch forms for several, and ListTaxRegistrations. An `accountId`
 * may name the caller's own account or, from an organization's management account, a member (AWS's
 * consolidated billing family). Each operation asks for its own action (`tax:PutTaxRegistration`…) on `*`:
 * AWS defines no resource type for them. The console's Tax settings page calls the same operations.
 */
import { checkTaxRegistrationEntry, type TaxSettings } from '../../billing/payments/tax-settings.js';
import type { TaxRegistration } from '../../contracts/tax.js';
import { resourceNotFound, validationException } from '../../core/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

export interface TaxSettingsServices {
  taxSettings: TaxSettings;
}

type Input = Record<string, unknown>;
type Ctx = OperationContext<TaxSettingsServices>;
type Op = Operation<TaxSettingsServices, Input, Record<string, unknown>>;

const notFound = (accountId: string) => resourceNotFound(`No tax registration found for account ${accountId}.`);
const notManaged = (accountId: string) =>
  `Account ${accountId} is neither the calling account nor a member of the organization it manages.`;

const asks = (action: string) => (): AccessRequest[] => [{ action: `tax:${action}`, resource: '*' }];

/** ListTaxRegistrations' page size when the caller names none (AWS's documented default). */
const DEFAULT_PAGE = 100;

/** The registration as ListTaxRegistrations reports it: its jurisdiction instead of the full address. */
function withJurisdiction(registration: TaxRegistration) {
  const { legalAddress, ...rest } = registration;
  return {
    ...rest,
    jurisdiction: {
      countryCode: legalAddress.countryCode,
      ...(legalAddress.stateOrRegion === undefined ? {} : { stateOrRegion: legalAddress.stateOrRegion }),
    },
  };
}

/** The account an `accountId` names (the caller's own when absent), refused when the caller may not act on it. */
async function target(input: Input, ctx: Ctx): Promise<string> {
  const caller = ctx.caller.accountId;
  const named = input.accountId;
  if (typeof named !== 'string' || named === caller) return caller;
  if (!(await ctx.services.taxSettings.managedAccounts(caller)).includes(named)) {
    throw validationException(notManaged(named));
  }
  return named;
}

const getTaxRegistration: Op = {
  service: 'tax',
  name: 'GetTaxRegistration',
  mutates: false,
  access: asks('GetTaxRegistration'),
  handler: async (input, ctx) => {
    const accountId = await target(input, ctx);
    const registration = await ctx.services.taxSettings.get(accountId);
    if (registration === undefined) throw notFound(accountId);
    return { taxRegistration: registration };
  },
};

const listTaxRegistrations: Op = {
  service: 'tax',
  name: 'ListTaxRegistrations',
  mutates: false,
  access: asks('ListTaxRegistrations'),
  handler: async (input, ctx) => {
    const after = input.nextToken;
    if (after !== undefined && (typeof after !== 'string' || !/^\d{12}$/.test(after))) {
      throw validationException('The nextToken is not one this service issued.');
    }
    const limit = typeof input.maxResults === 'number' ? input.maxResults : DEFAULT_PAGE;
    const managed = await ctx.services.taxSettings.managedAccounts(ctx.caller.accountId);
    // One more than asked tells whether another page follows.
    const page = await ctx.services.taxSettings.list(managed, limit + 1, after);
    const shown = page.slice(0, limit);
    return {
      accountDetails: shown.map(({ accountId, registration }) => ({
        accountId,
        taxRegistration: withJurisdiction(registration),
      })),
      ...(page.length > limit ? { nextToken: shown.at(-1)!.accountId } : {}),
    };
  },
};

const putTaxRegistration: Op = {
  service: 'tax',
  name: 'PutTaxRegistration',
  mutates: true,
  access: asks('PutTaxRegistration'),
  handler: async (input, ctx) => {
    const entry = checkTaxRegistrationEntry(input.taxRegistrationEntry);
    await ctx.services.taxSettings.put(ctx.caller.accountId, [await target(input, ctx)], entry);
    return { status: 'Verified' };
  },
};

const batchPutTaxRegistration: Op = {
  service: 'tax',
  name: 'BatchPutTaxRegistration',
  mutates: true,
  access: asks('BatchPutTaxRegistration'),
  handler: async (input, ctx) => {
    const entry = checkTaxRegistrationEntry(input.taxRegistrationEntry);
    const managed = await ctx.services.taxSettings.managedAccounts(ctx.caller.accountId);
    const errors: Array<{ accountId: string; code: string; message: string }> = [];
    const accepted: string[] = [];
    for (const accountId of input.accountIds as string[]) {
      if (managed.includes(accountId)) accepted.push(accountId);
      else errors.push({ accountId, code: 'ValidationException', message: notManaged(accountId) });
    }
    await ctx.services.taxSettings.put(ctx.caller.accountId, accepted, entry);
    return { status: 'Verified', errors };
  },
};

const deleteTaxRegistration: Op = {
  service: 'tax',
  name: 'DeleteTaxRegistration',
  mutates: true,
  access: asks('DeleteTaxRegistration'),
  handler: async (input, ctx) => {
    const accountId = await target(input, ctx);
    if ((await ctx.services.taxSettings.delete(ctx.caller.accountId, [accountId])).length > 0)
      throw notFound(accountId);
    return {};
  },
};

const batchDeleteTaxRegistration: Op = {
  service: 'tax',
  name: 'BatchDeleteTaxRegistration',
  mutates: true,
  access: asks('BatchDeleteTaxRegistration'),
  handler: async (input, ctx) => {
    const managed = await ctx.services.taxSettings.managedAccounts(ctx.caller.accountId);
    const errors: Array<{ accountId: string; code: string; message: string }> = [];
    const accepted: string[] = [];
    for (const accountId of input.accountIds as string[]) {
      if (managed.includes(accountId)) accepted.push(accountId);
      else errors.push({ accountId, code: 'ValidationException', message: notManaged(accountId) });
    }
    for (const accountId of await ctx.services.taxSettings.delete(ctx.caller.accountId, accepted)) {
      errors.push({ accountId, code: 'ResourceNotFoundException', message: notFound(accountId).message });
    }
    return { errors };
  },
};

export const taxSettingsOperations = [
  getTaxRegistration,
  listTaxRegistrations,
  putTaxRegistration,
  batchPutTaxRegistration,
  deleteTaxRegistration,
  batchDeleteTaxRegistration,
];
