/**
 * The Tax Settings API (restJson1, signing name and IAM prefix `tax`) over the account's tax registration:
 * Put/Get/Delete for one account, their Batch forms for several, and ListTaxRegistrations. An `accountId`
 * may name the caller's own account or, from an organization's management account, a member (AWS's
 * consolidated billing family). Each operation asks for its own action (`tax:PutTaxRegistration`…) on `*`:
 * AWS defines no resource type for them. The console's Tax settings page calls the same operations.
 */
import { checkTaxRegistrationEntry, type TaxSettings } from '../../billing/payments/tax-settings.js';
import type { TaxRegistration } from '../../contracts/tax.js';
import { ServiceError, validationException } from '../../core/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

type Input = Record<string, unknown>;
type Ctx = OperationContext<unknown>;
type Op = Operation<unknown, Input, Record<string, unknown>>;

const notFound = (accountId: string) =>
  new ServiceError('ResourceNotFoundException', `No tax registration found for account ${accountId}.`);
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

export function taxSettingsOperations(taxSettings: TaxSettings): Op[] {
  /** The account an `accountId` names (the caller's own when absent), refused when the caller may not act on it. */
  async function target(input: Input, ctx: Ctx): Promise<string> {
    const caller = ctx.caller.accountId;
    const named = input.accountId;
    if (typeof named !== 'string' || named === caller) return caller;
    if (!(await taxSettings.managedAccounts(caller)).includes(named)) throw validationException(notManaged(named));
    return named;
  }

  const op = (name: string, mutates: boolean, handler: Op['handler']): Op => ({
    service: 'tax',
    name,
    mutates,
    access: asks(name),
    handler,
  });

  return [
    op('GetTaxRegistration', false, async (input, ctx) => {
      const accountId = await target(input, ctx);
      const registration = await taxSettings.get(accountId);
      if (registration === undefined) throw notFound(accountId);
      return { taxRegistration: registration };
    }),
    op('ListTaxRegistrations', false, async (input, ctx) => {
      const after = input.nextToken;
      if (after !== undefined && (typeof after !== 'string' || !/^\d{12}$/.test(after))) {
        throw validationException('The nextToken is not one this service issued.');
      }
      const limit = typeof input.maxResults === 'number' ? input.maxResults : DEFAULT_PAGE;
      const managed = await taxSettings.managedAccounts(ctx.caller.accountId);
      // One more than asked tells whether another page follows.
      const page = await taxSettings.list(managed, limit + 1, after);
      const shown = page.slice(0, limit);
      return {
        accountDetails: shown.map(({ accountId, registration }) => ({
          accountId,
          taxRegistration: withJurisdiction(registration),
        })),
        ...(page.length > limit ? { nextToken: shown.at(-1)!.accountId } : {}),
      };
    }),
    op('PutTaxRegistration', true, async (input, ctx) => {
      const entry = checkTaxRegistrationEntry(input.taxRegistrationEntry);
      await taxSettings.put(ctx.caller.accountId, [await target(input, ctx)], entry);
      return { status: 'Verified' };
    }),
    op('BatchPutTaxRegistration', true, async (input, ctx) => {
      const entry = checkTaxRegistrationEntry(input.taxRegistrationEntry);
      const managed = await taxSettings.managedAccounts(ctx.caller.accountId);
      const errors: Array<{ accountId: string; code: string; message: string }> = [];
      const accepted: string[] = [];
      for (const accountId of input.accountIds as string[]) {
        if (managed.includes(accountId)) accepted.push(accountId);
        else errors.push({ accountId, code: 'ValidationException', message: notManaged(accountId) });
      }
      await taxSettings.put(ctx.caller.accountId, accepted, entry);
      return { status: 'Verified', errors };
    }),
    op('DeleteTaxRegistration', true, async (input, ctx) => {
      const accountId = await target(input, ctx);
      if ((await taxSettings.delete(ctx.caller.accountId, [accountId])).length > 0) throw notFound(accountId);
      return {};
    }),
    op('BatchDeleteTaxRegistration', true, async (input, ctx) => {
      const managed = await taxSettings.managedAccounts(ctx.caller.accountId);
      const errors: Array<{ accountId: string; code: string; message: string }> = [];
      const accepted: string[] = [];
      for (const accountId of input.accountIds as string[]) {
        if (managed.includes(accountId)) accepted.push(accountId);
        else errors.push({ accountId, code: 'ValidationException', message: notManaged(accountId) });
      }
      for (const accountId of await taxSettings.delete(ctx.caller.accountId, accepted)) {
        errors.push({ accountId, code: 'ResourceNotFoundException', message: notFound(accountId).message });
      }
      return { errors };
    }),
  ];
}
