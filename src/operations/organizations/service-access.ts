/**
 * Trusted service access and delegated administrators (src/organizations/service-access.ts,
 * delegated-administrators.ts). Enable/Disable/ListDelegatedAdministrators carry `organizations:ServicePrincipal`;
 * Register/Deregister and ListDelegatedServicesForAccount ask on the account's ARN, as AWS's authorization
 * reference lists them.
 */
import { ACCOUNT_ID } from '../../organizations/ids.js';
import { optionalString, requiredString, type Input } from '../../organizations/input.js';
import { anyResource, ask, containerArn, me, org, paged, type Op } from './access.js';

const PRINCIPAL = { min: 1, max: 128 };

const principalContext = (input: Input) =>
  typeof input.ServicePrincipal === 'string' ? { 'organizations:ServicePrincipal': input.ServicePrincipal } : undefined;

/** An operation on the whole organization whose request names a service principal. */
function onService(name: string, mutates: boolean, handler: Op['handler']): Op {
  return {
    service: 'organizations',
    name,
    access: (input) => [ask(name, '*', principalContext(input))],
    mutates,
    handler,
  };
}

/** An operation on one member account (as administrator of a service, when it names one). */
function onAccount(name: string, mutates: boolean, handler: Op['handler']): Op {
  return {
    service: 'organizations',
    name,
    access: (input, ctx) => [ask(name, containerArn(ctx, input.AccountId), principalContext(input))],
    mutates,
    handler,
  };
}

const accountId = (input: Input) => requiredString(input, 'AccountId', { pattern: ACCOUNT_ID });
const principal = (input: Input) => requiredString(input, 'ServicePrincipal', PRINCIPAL);

export const serviceAccessOperations: Op[] = [
  onService('EnableAWSServiceAccess', true, async (input, ctx) => {
    await org(ctx).serviceAccess.enable(me(ctx), principal(input));
    return {};
  }),
  onService('DisableAWSServiceAccess', true, async (input, ctx) => {
    await org(ctx).serviceAccess.disable(me(ctx), principal(input));
    return {};
  }),
  anyResource('ListAWSServiceAccessForOrganization', false, async (input, ctx) =>
    paged(input, 'EnabledServicePrincipals', await org(ctx).serviceAccess.list(me(ctx))),
  ),
  onAccount('RegisterDelegatedAdministrator', true, async (input, ctx) => {
    await org(ctx).delegatedAdministrators.register(me(ctx), accountId(input), principal(input));
    return {};
  }),
  onAccount('DeregisterDelegatedAdministrator', true, async (input, ctx) => {
    await org(ctx).delegatedAdministrators.deregister(me(ctx), accountId(input), principal(input));
    return {};
  }),
  onService('ListDelegatedAdministrators', false, async (input, ctx) =>
    paged(
      input,
      'DelegatedAdministrators',
      await org(ctx).delegatedAdministrators.list(me(ctx), optionalString(input, 'ServicePrincipal', PRINCIPAL)),
    ),
  ),
  onAccount('ListDelegatedServicesForAccount', false, async (input, ctx) =>
    paged(input, 'DelegatedServices', await org(ctx).delegatedAdministrators.servicesFor(me(ctx), accountId(input))),
  ),
];
