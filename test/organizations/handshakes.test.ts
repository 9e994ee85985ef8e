/**
 * Handshakes, EnableAllFeatures, CloseAccount, the organization's resource policy, delegated administrators'
 * reads, effective policies and CreateGovCloudAccount through @aws-sdk/client-organizations against a
 * running server, with AWS's errors. The server runs on a clock the test moves (handshakes expire after 15
 * days); each client is made after the clock is set, so it signs by it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AcceptHandshakeCommand,
  AttachPolicyCommand,
  CancelHandshakeCommand,
  CloseAccountCommand,
  CreateAccountCommand,
  CreateGovCloudAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DeclineHandshakeCommand,
  DeleteOrganizationCommand,
  DeleteResourcePolicyCommand,
  DescribeAccountCommand,
  DescribeEffectivePolicyCommand,
  DescribeHandshakeCommand,
  DescribeOrganizationCommand,
  DescribeResourcePolicyCommand,
  EnableAllFeaturesCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  InviteAccountToOrganizationCommand,
  LeaveOrganizationCommand,
  ListAccountsCommand,
  ListHandshakesForAccountCommand,
  ListHandshakesForOrganizationCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  PutResourcePolicyCommand,
  RegisterDelegatedAdministratorCommand,
  DeregisterDelegatedAdministratorCommand,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { AccessKeyService } from '../../src/iam/access-keys.js';
import { EntityPolicyService } from '../../src/iam/entity-policies.js';
import { UserService } from '../../src/iam/users.js';
import { FixedClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID as MGMT, clientConfig, startServer } from '../compat/harness.js';

type Credentials = { accessKeyId: string; secretAccessKey: string };

const clock = new FixedClock(new Date(Date.now()).toISOString());
let server: BursarServer;
const client = (credentials?: Credentials) => new OrganizationsClient(clientConfig(server, credentials));
const DAY = 24 * 60 * 60 * 1000;

async function rejectsWith(promise: Promise<unknown>, name: string, reason?: string, message?: RegExp) {
  await assert.rejects(promise, (error: Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, error.message);
    if (reason !== undefined) assert.equal(error.Reason, reason);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

async function user(accountId: string, userName: string, policyArn?: string): Promise<Credentials> {
  const iam = server.world().iam;
  await new UserService(iam).create(accountId, { UserName: userName });
  if (policyArn) await new EntityPolicyService(iam).attach(accountId, 'user', userName, policyArn);
  const key = await new AccessKeyService(iam).create(accountId, userName);
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A member account made by CreateAccount, with an administrator user. */
async function member(name: string): Promise<{ id: string; admin: Credentials }> {
  const { CreateAccountStatus } = await client().send(
    new CreateAccountCommand({ Email: `${name.toLowerCase()}@handshakes.example`, AccountName: name }),
  );
  assert.equal(CreateAccountStatus!.State, 'SUCCEEDED');
  const id = CreateAccountStatus!.AccountId!;
  return { id, admin: await user(id, `${name}Admin`, ADMIN) };
}

before(async () => {
  server = await startServer({ clock });
});
after(() => server.close());

test('invitations: AWS shape and ARN, refusals, decline, accept with tags, expiry after 15 days', async () => {
  const payer = client();
  const { Organization } = await payer.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const orgId = Organization!.Id!;
  // A standalone account: made by the organization, then gone on its own.
  const guest = await member('Guest');
  await client(guest.admin).send(new LeaveOrganizationCommand({}));
  const g = () => client(guest.admin);

  const { Handshake } = await payer.send(
    new InviteAccountToOrganizationCommand({ Target: { Id: guest.id, Type: 'ACCOUNT' }, Notes: 'Join us' }),
  );
  assert.match(Handshake!.Id!, /^h-[0-9a-z]{8,32}$/);
  assert.equal(Handshake!.Arn, `arn:aws:organizations::${MGMT}:handshake/${orgId}/invite/${Handshake!.Id}`);
  assert.equal(Handshake!.State, 'REQUESTED');
  assert.equal(Handshake!.Action, 'INVITE');
  assert.deepEqual(Handshake!.Parties, [
    { Id: orgId, Type: 'ORGANIZATION' },
    { Id: guest.id, Type: 'ACCOUNT' },
  ]);
  assert.equal(Handshake!.ExpirationTimestamp!.getTime() - Handshake!.RequestedTimestamp!.getTime(), 15 * DAY);
  const [organization, target, notes] = Handshake!.Resources!;
  assert.equal(organization!.Type, 'ORGANIZATION');
  assert.equal(organization!.Value, orgId);
  assert.deepEqual(
    organization!.Resources!.map((r) => r.Type),
    ['MASTER_EMAIL', 'MASTER_NAME', 'ORGANIZATION_FEATURE_SET'],
  );
  assert.deepEqual(target, { Type: 'ACCOUNT', Value: guest.id });
  assert.deepEqual(notes, { Type: 'NOTES', Value: 'Join us' });

  // Refusals, as AWS answers them.
  const invite = (Id: string, Type: 'ACCOUNT' | 'EMAIL' | 'ORGANIZATION') =>
    payer.send(new InviteAccountToOrganizationCommand({ Target: { Id, Type } }));
  await rejectsWith(invite(guest.id, 'ACCOUNT'), 'DuplicateHandshakeException');
  await rejectsWith(invite('guest@handshakes.example', 'EMAIL'), 'DuplicateHandshakeException');
  await rejectsWith(invite(MGMT, 'ACCOUNT'), 'HandshakeConstraintViolationException', 'ALREADY_IN_AN_ORGANIZATION');
  await rejectsWith(invite('123456789012', 'ACCOUNT'), 'AccountNotFoundException');
  await rejectsWith(invite(orgId, 'ORGANIZATION'), 'InvalidInputException', 'INVALID_PARTY_TYPE_TARGET');
  await rejectsWith(
    client(guest.admin).send(new InviteAccountToOrganizationCommand({ Target: { Id: MGMT, Type: 'ACCOUNT' } })),
    'AWSOrganizationsNotInUseException',
  );

  // Who sees it, who may do what.
  const forAccount = await g().send(new ListHandshakesForAccountCommand({}));
  assert.deepEqual(
    forAccount.Handshakes!.map((h) => h.Id),
    [Handshake!.Id],
  );
  const invites = await payer.send(new ListHandshakesForOrganizationCommand({ Filter: { ActionType: 'INVITE' } }));
  assert.deepEqual(
    invites.Handshakes!.map((h) => h.Id),
    [Handshake!.Id],
  );
  const none = await payer.send(
    new ListHandshakesForOrganizationCommand({ Filter: { ActionType: 'ENABLE_ALL_FEATURES' } }),
  );
  assert.deepEqual(none.Handshakes, []);
  const stranger = await member('Stranger');
  await rejectsWith(
    client(stranger.admin).send(new DescribeHandshakeCommand({ HandshakeId: Handshake!.Id! })),
    'HandshakeNotFoundException',
  );
  await rejectsWith(payer.send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! })), 'AccessDeniedException');
  await rejectsWith(g().send(new CancelHandshakeCommand({ HandshakeId: Handshake!.Id! })), 'AccessDeniedException');
  await rejectsWith(
    g().send(new AcceptHandshakeCommand({ HandshakeId: 'h-0000000000' })),
    'HandshakeNotFoundException',
  );

  // Declined: a closed handshake moves no further.
  const declined = await g().send(new DeclineHandshakeCommand({ HandshakeId: Handshake!.Id! }));
  assert.equal(declined.Handshake!.State, 'DECLINED');
  await rejectsWith(
    g().send(new DeclineHandshakeCommand({ HandshakeId: Handshake!.Id! })),
    'HandshakeAlreadyInStateException',
  );
  await rejectsWith(
    g().send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! })),
    'InvalidHandshakeTransitionException',
  );
  await rejectsWith(
    payer.send(new CancelHandshakeCommand({ HandshakeId: Handshake!.Id! })),
    'InvalidHandshakeTransitionException',
  );

  // By email, with tags the account gets on joining.
  const second = await payer.send(
    new InviteAccountToOrganizationCommand({
      Target: { Id: 'guest@handshakes.example', Type: 'EMAIL' },
      Tags: [{ Key: 'team', Value: 'finance' }],
    }),
  );
  assert.deepEqual(second.Handshake!.Parties![1], { Id: 'guest@handshakes.example', Type: 'EMAIL' });
  const accepted = await g().send(new AcceptHandshakeCommand({ HandshakeId: second.Handshake!.Id! }));
  assert.equal(accepted.Handshake!.State, 'ACCEPTED');
  const { Account } = await payer.send(new DescribeAccountCommand({ AccountId: guest.id }));
  assert.equal(Account!.JoinedMethod, 'INVITED');
  const tags = await payer.send(new ListTagsForResourceCommand({ ResourceId: guest.id }));
  assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'finance' }]);
  const describedByMember = await g().send(new DescribeOrganizationCommand({}));
  assert.equal(describedByMember.Organization!.Id, orgId);

  // Expiry: 15 days after it was requested, an open invitation is EXPIRED and can no longer be accepted.
  await payer.send(new RemoveAccountFromOrganizationCommand({ AccountId: guest.id }));
  const third = await payer.send(new InviteAccountToOrganizationCommand({ Target: { Id: guest.id, Type: 'ACCOUNT' } }));
  clock.advance(15 * DAY);
  const expired = await client().send(new DescribeHandshakeCommand({ HandshakeId: third.Handshake!.Id! }));
  assert.equal(expired.Handshake!.State, 'EXPIRED');
  await rejectsWith(
    client(guest.admin).send(new AcceptHandshakeCommand({ HandshakeId: third.Handshake!.Id! })),
    'InvalidHandshakeTransitionException',
  );
  // An expired invitation is no duplicate: a new one may be sent.
  const fourth = await client().send(
    new InviteAccountToOrganizationCommand({ Target: { Id: guest.id, Type: 'ACCOUNT' } }),
  );
  assert.equal(fourth.Handshake!.State, 'REQUESTED');
  await client().send(new CancelHandshakeCommand({ HandshakeId: fourth.Handshake!.Id! }));
  await client().send(new RemoveAccountFromOrganizationCommand({ AccountId: stranger.id }));
});
