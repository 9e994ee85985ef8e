/**
 * Trusted service access and delegated administrators through @aws-sdk/client-organizations: what Terraform's
 * aws_organizations_organization reads on every refresh (ListAWSServiceAccessForOrganization) and sets
 * (Enable/DisableAWSServiceAccess), delegated administrators, and AWS's refusals.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DeleteOrganizationCommand,
  DeregisterDelegatedAdministratorCommand,
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  LeaveOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { AccessKeyService } from '../../src/iam/access-keys.js';
import { EntityPolicyService } from '../../src/iam/entity-policies.js';
import { UserService } from '../../src/iam/users.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID as MGMT, clientConfig, startServer } from '../compat/harness.js';

type Credentials = { accessKeyId: string; secretAccessKey: string };

let server: BursarServer;
const client = (credentials?: Credentials) => new OrganizationsClient(clientConfig(server, credentials));

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp, reason?: string) {
  await assert.rejects(promise, (error: Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    if (message) assert.match(error.message, message);
    if (reason) assert.equal(error.Reason, reason);
    return true;
  });
}

async function user(accountId: string, userName: string, policyArn: string): Promise<Credentials> {
  const iam = server.world().iam;
  await new UserService(iam).create(accountId, { UserName: userName });
  await new EntityPolicyService(iam).attach(accountId, 'user', userName, policyArn);
  const key = await new AccessKeyService(iam).create(accountId, userName);
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

before(async () => {
  server = await startServer();
});
after(() => server.close());

test('trusted service access: enable (idempotent), list with dates, disable; refusals', async () => {
  const payer = client();
  await rejectsWith(
    payer.send(new ListAWSServiceAccessForOrganizationCommand({})),
    'AWSOrganizationsNotInUseException',
  );
  await payer.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  assert.deepEqual((await payer.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals, []);

  for (const principal of ['sso.amazonaws.com', 'config.amazonaws.com', 'config.amazonaws.com']) {
    await payer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
  }
  const first = await payer.send(new ListAWSServiceAccessForOrganizationCommand({ MaxResults: 1 }));
  assert.equal(first.EnabledServicePrincipals![0]!.ServicePrincipal, 'config.amazonaws.com');
  assert.ok(first.EnabledServicePrincipals![0]!.DateEnabled instanceof Date);
  const second = await payer.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: first.NextToken! }));
  assert.deepEqual(
    second.EnabledServicePrincipals!.map((p) => p.ServicePrincipal),
    ['sso.amazonaws.com'],
  );

  await payer.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: 'sso.amazonaws.com' }));
  assert.deepEqual(
    (await payer.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals!.map(
      (p) => p.ServicePrincipal,
    ),
    ['config.amazonaws.com'],
  );
  await rejectsWith(
    payer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'not a principal' })),
    'InvalidInputException',
    undefined,
    'INVALID_PATTERN',
  );
  await rejectsWith(
    payer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'example.com' })),
    'InvalidInputException',
    /service principal that isn't recognized/,
    'UNRECOGNIZED_SERVICE_PRINCIPAL',
  );
});

test('delegated administrators: register, list, services for an account, deregister; AWS rules', async () => {
  const payer = client();
  const { CreateAccountStatus } = await payer.send(
    new CreateAccountCommand({ Email: 'security@example.com', AccountName: 'Security' }),
  );
  const securityId = CreateAccountStatus!.AccountId!;

  await rejectsWith(
    payer.send(
      new RegisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: 'guardduty.amazonaws.com' }),
    ),
    'ConstraintViolationException',
    /EnableAWSServiceAccess/,
    'SERVICE_ACCESS_NOT_ENABLED',
  );
  await payer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'guardduty.amazonaws.com' }));
  await rejectsWith(
    payer.send(
      new RegisterDelegatedAdministratorCommand({ AccountId: MGMT, ServicePrincipal: 'guardduty.amazonaws.com' }),
    ),
    'ConstraintViolationException',
    undefined,
    'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR',
  );
  await rejectsWith(
    payer.send(
      new RegisterDelegatedAdministratorCommand({
        AccountId: '999999999999',
        ServicePrincipal: 'guardduty.amazonaws.com',
      }),
    ),
    'AccountNotFoundException',
  );
  await rejectsWith(
    payer.send(new ListDelegatedServicesForAccountCommand({ AccountId: securityId })),
    'AccountNotRegisteredException',
  );

  await payer.send(
    new RegisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: 'guardduty.amazonaws.com' }),
  );
  await payer.send(
    new RegisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: 'config.amazonaws.com' }),
  );
  await rejectsWith(
    payer.send(
      new RegisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: 'config.amazonaws.com' }),
    ),
    'AccountAlreadyRegisteredException',
  );
  const admins = await payer.send(new ListDelegatedAdministratorsCommand({}));
  assert.equal(admins.DelegatedAdministrators!.length, 1);
  const admin = admins.DelegatedAdministrators![0]!;
  assert.equal(admin.Id, securityId);
  assert.equal(admin.Name, 'Security');
  assert.equal(admin.JoinedMethod, 'CREATED');
  assert.ok(admin.DelegationEnabledDate instanceof Date);
  assert.deepEqual(
    (await payer.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'sso.amazonaws.com' })))
      .DelegatedAdministrators,
    [],
  );
  const services = await payer.send(new ListDelegatedServicesForAccountCommand({ AccountId: securityId }));
  assert.deepEqual(
    services.DelegatedServices!.map((s) => s.ServicePrincipal),
    ['config.amazonaws.com', 'guardduty.amazonaws.com'],
  );

  // A delegated administrator cannot be removed, nor leave, until deregistered.
  await rejectsWith(
    payer.send(new RemoveAccountFromOrganizationCommand({ AccountId: securityId })),
    'ConstraintViolationException',
    /deregister this account/,
    'CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG',
  );
  const member = client(await user(securityId, 'Admin', 'arn:aws:iam::aws:policy/AdministratorAccess'));
  await rejectsWith(member.send(new LeaveOrganizationCommand({})), 'ConstraintViolationException');
  // A delegated administrator reads the organization, as AWS lets it; only the management account manages it.
  const seen = await member.send(new ListDelegatedAdministratorsCommand({}));
  assert.deepEqual(
    seen.DelegatedAdministrators!.map((a) => a.Id),
    [securityId],
  );
  await rejectsWith(
    member.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'sso.amazonaws.com' })),
    'AccessDeniedException',
  );
  member.destroy();

  for (const principal of ['guardduty.amazonaws.com', 'config.amazonaws.com']) {
    await payer.send(
      new DeregisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: principal }),
    );
  }
  await rejectsWith(
    payer.send(
      new DeregisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: 'config.amazonaws.com' }),
    ),
    'AccountNotRegisteredException',
  );
  await payer.send(new RemoveAccountFromOrganizationCommand({ AccountId: securityId }));
  await payer.send(new DeleteOrganizationCommand({}));
  await rejectsWith(
    payer.send(new ListAWSServiceAccessForOrganizationCommand({})),
    'AWSOrganizationsNotInUseException',
  );
});

test('IAM policies decide with organizations:ServicePrincipal; consolidated-billing organizations have no trusted access', async () => {
  const payer = client();
  await payer.send(new CreateOrganizationCommand({ FeatureSet: 'CONSOLIDATED_BILLING' }));
  await rejectsWith(
    payer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'sso.amazonaws.com' })),
    'ConstraintViolationException',
    undefined,
    'ORGANIZATION_NOT_IN_ALL_FEATURES_MODE',
  );
  const iam = server.world().iam;
  await new UserService(iam).create(MGMT, { UserName: 'SsoOnly' });
  await new EntityPolicyService(iam).putInline(
    MGMT,
    'user',
    'SsoOnly',
    'sso-only',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'organizations:EnableAWSServiceAccess',
          Resource: '*',
          Condition: { StringEquals: { 'organizations:ServicePrincipal': 'sso.amazonaws.com' } },
        },
      ],
    }),
  );
  const key = await new AccessKeyService(iam).create(MGMT, 'SsoOnly');
  const sso = client({ accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
  // Allowed by IAM, refused by Organizations' rule; refused by IAM for another principal.
  await rejectsWith(
    sso.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'sso.amazonaws.com' })),
    'ConstraintViolationException',
  );
  await assert.rejects(sso.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'config.amazonaws.com' })), {
    name: 'AccessDeniedException',
    message: /organizations:EnableAWSServiceAccess/,
  });
  sso.destroy();
  await payer.send(new DeleteOrganizationCommand({}));
});
