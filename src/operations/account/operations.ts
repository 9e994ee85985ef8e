/**
 * The AWS Account Management API (restJson1, `account`): contact information and alternate contacts.
 * Actions are `account:<Operation>`; the resource is the caller's own account
 * (`arn:aws:account::ACCT:account`) or, when a management account names a member with `AccountId`, the
 * member inside the organization (`arn:aws:account::MGMT:account/o-…/MEMBER`), as AWS's Service
 * Authorization Reference defines them. Alternate-contact actions carry `account:AlternateContactTypes`.
 */
import {
  ALTERNATE_CONTACT_TYPES,
  type AccountContacts,
  type AlternateContact,
  type AlternateContactType,
} from '../../billing/account/contacts.js';
import type { ContactInformation } from '../../contracts/wire/account.js';
import type { OrgDirectory } from '../../organizations/directory.js';
import { accessDenied, validationException } from '../../core/errors.js';
import { alternateContactNotFound, contactInformationNotFound } from '../../billing/account/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

export interface AccountServices {
  accountContacts: AccountContacts;
  /** Which organization an account is in (the Organizations area's synchronous directory). */
  organizations: { directory: Pick<OrgDirectory, 'organizationOf'> };
}

type Input = Record<string, unknown>;
type Ctx = OperationContext<AccountServices>;
type Op = Operation<AccountServices, Input, Record<string, unknown>>;

/** The account an operation acts on, and the resource ARN AWS authorizes it against. */
interface Target {
  accountId: string;
  resource: string;
  /** Why a named AccountId may not be used (reported after the policies, as AWS reports it). */
  refusal?: string;
}

function targetOf(input: Input, ctx: Ctx): Target {
  const caller = ctx.caller.accountId;
  const { directory } = ctx.services.organizations;
  const named = input.AccountId;
  if (typeof named !== 'string' || named === caller) {
    return { accountId: caller, resource: `arn:aws:account::${caller}:account` };
  }
  const org = directory.organizationOf(caller);
  const member = directory.organizationOf(named);
  if (org !== undefined && org.managementAccountId === caller && member?.organizationId === org.organizationId) {
    return { accountId: named, resource: `arn:aws:account::${caller}:account/${org.organizationId}/${named}` };
  }
  return {
    accountId: named,
    resource: `arn:aws:account::${named}:account`,
    refusal:
      `User: ${ctx.caller.arn} is not authorized to act on account ${named}: the AccountId parameter ` +
      'can only name a member account of the organization whose management account is calling.',
  };
}

function alternateContactType(input: Input): AlternateContactType {
  const type = input.AlternateContactType;
  if (!ALTERNATE_CONTACT_TYPES.includes(type as AlternateContactType)) {
    throw validationException(
      `1 validation error detected: Value '${String(type)}' at 'alternateContactType' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${ALTERNATE_CONTACT_TYPES.join(', ')}]`,
    );
  }
  return type as AlternateContactType;
}

const access =
  (action: string, withContactType: boolean) =>
  (input: Input, ctx: Ctx): AccessRequest[] => {
    const target = targetOf(input, ctx);
    const request: AccessRequest = { action: `account:${action}`, resource: target.resource };
    if (target.refusal !== undefined) request.refusedAfterPolicies = { message: target.refusal };
    if (withContactType && typeof input.AlternateContactType === 'string') {
      request.context = { 'account:AlternateContactTypes': [input.AlternateContactType] };
    }
    return [request];
  };

/** The target account, once invoke() has allowed the call (and refused a named account the caller does not manage). */
const resolveTarget = (input: Input, ctx: Ctx): string => {
  if (input.AccountId === ctx.caller.accountId) {
    const org = ctx.services.organizations.directory.organizationOf(ctx.caller.accountId);
    if (org?.managementAccountId === ctx.caller.accountId) {
      throw validationException(
        "The management account can't specify its own AccountId; it must call the operation in standalone " +
          'context by not including the AccountId parameter.',
      );
    }
  }
  const target = targetOf(input, ctx);
  // The account left the organization since invoke() asked: refused as invoke() would refuse it now.
  if (target.refusal !== undefined) throw accessDenied(target.refusal);
  return target.accountId;
};

const getContactInformation: Op = {
  service: 'account',
  name: 'GetContactInformation',
  access: access('GetContactInformation', false),
  mutates: false,
  async handler(input, ctx) {
    const accountId = resolveTarget(input, ctx);
    const contact = await ctx.services.accountContacts.contactInformation(accountId);
    if (contact === undefined) {
      throw contactInformationNotFound();
    }
    return { ContactInformation: contact };
  },
};

const putContactInformation: Op = {
  service: 'account',
  name: 'PutContactInformation',
  access: access('PutContactInformation', false),
  mutates: true,
  async handler(input, ctx) {
    const accountId = resolveTarget(input, ctx);
    const contact = input.ContactInformation as ContactInformation | undefined;
    if (contact === undefined) throw validationException('ContactInformation is required.');
    await ctx.services.accountContacts.putContactInformation(accountId, contact);
    return {};
  },
};

const getAlternateContact: Op = {
  service: 'account',
  name: 'GetAlternateContact',
  access: access('GetAlternateContact', true),
  mutates: false,
  async handler(input, ctx) {
    const type = alternateContactType(input);
    const accountId = resolveTarget(input, ctx);
    const contact = await ctx.services.accountContacts.alternateContact(accountId, type);
    if (contact === undefined) {
      throw alternateContactNotFound();
    }
    return { AlternateContact: contact };
  },
};

const putAlternateContact: Op = {
  service: 'account',
  name: 'PutAlternateContact',
  access: access('PutAlternateContact', true),
  mutates: true,
  async handler(input, ctx) {
    const type = alternateContactType(input);
    const accountId = resolveTarget(input, ctx);
    const contact: AlternateContact = {
      AlternateContactType: type,
      Name: String(input.Name ?? ''),
      Title: String(input.Title ?? ''),
      EmailAddress: String(input.EmailAddress ?? ''),
      PhoneNumber: String(input.PhoneNumber ?? ''),
    };
    await ctx.services.accountContacts.putAlternateContact(accountId, contact);
    return {};
  },
};

const deleteAlternateContact: Op = {
  service: 'account',
  name: 'DeleteAlternateContact',
  access: access('DeleteAlternateContact', true),
  mutates: true,
  async handler(input, ctx) {
    const type = alternateContactType(input);
    const accountId = resolveTarget(input, ctx);
    if (!(await ctx.services.accountContacts.deleteAlternateContact(accountId, type))) {
      throw alternateContactNotFound();
    }
    return {};
  },
};

export const accountOperations = [
  getContactInformation,
  putContactInformation,
  getAlternateContact,
  putAlternateContact,
  deleteAlternateContact,
];
