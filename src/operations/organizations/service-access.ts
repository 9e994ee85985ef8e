/**
 * Trusted service access and delegated administrators (src/organizations/service-access.ts,
 * delegated-administrators.ts). Enable/Disable/ListDelegatedAdministrators carry `organizations:ServicePrincipal`;
 * Register/Deregister and ListDelegatedServicesForAccount ask on the account's ARN, as AWS's authorization
 * reference lists them.
 */
import type {
  DeregisterDelegatedAdministratorRequest,
  DisableAWSServiceAccessRequest,
  EnableAWSServiceAccessRequest,
  ListAWSServiceAccessForOrganizationRequest,
  ListDelegatedAdministratorsRequest,
  ListDelegatedServicesForAccountRequest,
  RegisterDelegatedAdministratorRequest,
} from '../../contracts/wire/organizations.js';
import {
  containerArn,
  actingAccount,
  me,
  org,
  orgAccess,
  paged,
  type OrgContext,
  type OrgOperation,
} from './common.js';

const principalContext = (i: { ServicePrincipal?: string }) =>
  i.ServicePrincipal === undefined ? undefined : { 'organizations:ServicePrincipal': i.ServicePrincipal };
const accountArnOf = (i: { AccountId?: string }, c: OrgContext) => containerArn(c, i.AccountId);

const enableAWSServiceAccess: OrgOperation<EnableAWSServiceAccessRequest> = {
  service: 'organizations',
  name: 'EnableAWSServiceAccess',
  mutates: true,
  access: orgAccess('EnableAWSServiceAccess', undefined, principalContext),
  handler: async (i, c) => {
    await org(c).serviceAccess.enable(me(c), i.ServicePrincipal);
    return {};
  },
};

const disableAWSServiceAccess: OrgOperation<DisableAWSServiceAccessRequest> = {
  service: 'organizations',
  name: 'DisableAWSServiceAccess',
  mutates: true,
  access: orgAccess('DisableAWSServiceAccess', undefined, principalContext),
  handler: async (i, c) => {
    await org(c).serviceAccess.disable(me(c), i.ServicePrincipal);
    return {};
  },
};

const listAWSServiceAccessForOrganization: OrgOperation<ListAWSServiceAccessForOrganizationRequest> = {
  service: 'organizations',
  name: 'ListAWSServiceAccessForOrganization',
  mutates: false,
  access: orgAccess('ListAWSServiceAccessForOrganization'),
  handler: async (i, c) =>
    paged(
      i,
      'EnabledServicePrincipals',
      await org(c).serviceAccess.list(await actingAccount(c, 'ListAWSServiceAccessForOrganization')),
    ),
};

const registerDelegatedAdministrator: OrgOperation<RegisterDelegatedAdministratorRequest> = {
  service: 'organizations',
  name: 'RegisterDelegatedAdministrator',
  mutates: true,
  access: orgAccess('RegisterDelegatedAdministrator', accountArnOf, principalContext),
  handler: async (i, c) => {
    await org(c).delegatedAdministrators.register(me(c), i.AccountId, i.ServicePrincipal);
    return {};
  },
};

const deregisterDelegatedAdministrator: OrgOperation<DeregisterDelegatedAdministratorRequest> = {
  service: 'organizations',
  name: 'DeregisterDelegatedAdministrator',
  mutates: true,
  access: orgAccess('DeregisterDelegatedAdministrator', accountArnOf, principalContext),
  handler: async (i, c) => {
    await org(c).delegatedAdministrators.deregister(me(c), i.AccountId, i.ServicePrincipal);
    return {};
  },
};

const listDelegatedAdministrators: OrgOperation<ListDelegatedAdministratorsRequest> = {
  service: 'organizations',
  name: 'ListDelegatedAdministrators',
  mutates: false,
  access: orgAccess('ListDelegatedAdministrators', undefined, principalContext),
  handler: async (i, c) =>
    paged(
      i,
      'DelegatedAdministrators',
      await org(c).delegatedAdministrators.list(
        await actingAccount(c, 'ListDelegatedAdministrators'),
        i.ServicePrincipal,
      ),
    ),
};

const listDelegatedServicesForAccount: OrgOperation<ListDelegatedServicesForAccountRequest> = {
  service: 'organizations',
  name: 'ListDelegatedServicesForAccount',
  mutates: false,
  access: orgAccess('ListDelegatedServicesForAccount', accountArnOf),
  handler: async (i, c) =>
    paged(
      i,
      'DelegatedServices',
      await org(c).delegatedAdministrators.servicesFor(
        await actingAccount(c, 'ListDelegatedServicesForAccount'),
        i.AccountId,
      ),
    ),
};

export const serviceAccessOperations = [
  enableAWSServiceAccess,
  disableAWSServiceAccess,
  listAWSServiceAccessForOrganization,
  registerDelegatedAdministrator,
  deregisterDelegatedAdministrator,
  listDelegatedAdministrators,
  listDelegatedServicesForAccount,
];
