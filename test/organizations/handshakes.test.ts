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
  MoveAccountCommand,
  OrganizationsClient,
  PutResourcePolicyCommand,
  UntagResourceCommand,
  TagResourceCommand,
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

test('EnableAllFeatures: invited members approve, then the management account accepts; CloseAccount; GovCloud', async () => {
  const payer = client();
  await payer.send(new DeleteOrganizationCommand({}));
  await payer.send(new CreateOrganizationCommand({ FeatureSet: 'CONSOLIDATED_BILLING' }));
  const made = await member('Made');
  const invitee = await member('Invitee');
  await client(invitee.admin).send(new LeaveOrganizationCommand({}));
  const invitation = await payer.send(
    new InviteAccountToOrganizationCommand({ Target: { Id: invitee.id, Type: 'ACCOUNT' } }),
  );
  await client(invitee.admin).send(new AcceptHandshakeCommand({ HandshakeId: invitation.Handshake!.Id! }));

  const { Handshake } = await payer.send(new EnableAllFeaturesCommand({}));
  assert.equal(Handshake!.Action, 'ENABLE_ALL_FEATURES');
  assert.equal(Handshake!.State, 'REQUESTED');
  assert.match(Handshake!.Arn!, /:handshake\/o-[a-z0-9]+\/enable_all_features\/h-/);
  await rejectsWith(
    payer.send(new EnableAllFeaturesCommand({})),
    'HandshakeConstraintViolationException',
    'ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION',
  );
  await rejectsWith(
    payer.send(new InviteAccountToOrganizationCommand({ Target: { Id: '123456789012', Type: 'ACCOUNT' } })),
    'HandshakeConstraintViolationException',
    'INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES',
  );
  // Not every invited member has approved yet.
  await rejectsWith(
    payer.send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! })),
    'InvalidHandshakeTransitionException',
  );
  // Only the invited member is asked; the account the organization created agreed when it was created.
  const asked = await client(invitee.admin).send(
    new ListHandshakesForAccountCommand({ Filter: { ActionType: 'APPROVE_ALL_FEATURES' } }),
  );
  assert.equal(asked.Handshakes!.length, 1);
  const approval = asked.Handshakes![0]!;
  assert.deepEqual(approval.Resources!.at(-1), { Type: 'PARENT_HANDSHAKE', Value: Handshake!.Id });
  const madeAsked = await client(made.admin).send(new ListHandshakesForAccountCommand({}));
  assert.deepEqual(madeAsked.Handshakes, []);
  await client(invitee.admin).send(new AcceptHandshakeCommand({ HandshakeId: approval.Id! }));
  const open = await payer.send(new DescribeHandshakeCommand({ HandshakeId: Handshake!.Id! }));
  assert.equal(open.Handshake!.State, 'OPEN');
  const done = await payer.send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! }));
  assert.equal(done.Handshake!.State, 'ACCEPTED');
  const { Organization } = await payer.send(new DescribeOrganizationCommand({}));
  assert.equal(Organization!.FeatureSet, 'ALL');
  const { Roots } = await payer.send(new ListRootsCommand({}));
  const scps = await payer.send(
    new ListPoliciesForTargetCommand({ TargetId: invitee.id, Filter: 'SERVICE_CONTROL_POLICY' }),
  );
  assert.deepEqual(
    scps.Policies!.map((p) => p.Id),
    ['p-FullAWSAccess'],
  );
  assert.ok(Roots![0]!.Id);
  await rejectsWith(
    payer.send(new EnableAllFeaturesCommand({})),
    'HandshakeConstraintViolationException',
    'ORGANIZATION_ALREADY_HAS_ALL_FEATURES',
  );

  // CloseAccount: PENDING_CLOSURE, then SUSPENDED; still a member.
  await payer.send(new CloseAccountCommand({ AccountId: made.id }));
  const closing = await payer.send(new DescribeAccountCommand({ AccountId: made.id }));
  assert.equal(closing.Account!.Status, 'PENDING_CLOSURE');
  await rejectsWith(payer.send(new CloseAccountCommand({ AccountId: made.id })), 'AccountAlreadyClosedException');
  await rejectsWith(payer.send(new CloseAccountCommand({ AccountId: MGMT })), 'AccessDeniedException');
  await rejectsWith(payer.send(new CloseAccountCommand({ AccountId: '123456789012' })), 'AccountNotFoundException');
  await rejectsWith(
    client(invitee.admin).send(new CloseAccountCommand({ AccountId: made.id })),
    'AccessDeniedException',
  );
  clock.advance(5 * 60 * 1000);
  const suspended = await client().send(new DescribeAccountCommand({ AccountId: made.id }));
  assert.equal(suspended.Account!.Status, 'SUSPENDED');

  // Bursar's organizations are not enabled for GovCloud: refused as AWS refuses them.
  await rejectsWith(
    client().send(new CreateGovCloudAccountCommand({ Email: 'gov@handshakes.example', AccountName: 'Gov' })),
    'AccessDeniedException',
    undefined,
    /GovCloud/,
  );
});

test('resource policy and delegated administrators: members read, and manage policies, as delegated', async () => {
  const payer = client();
  const delegate = await member('Delegate');
  const other = await member('Other');
  const readOnlyUser = await user(delegate.id, 'NoOrgs');
  const d = () => client(delegate.admin);

  // A member reads nothing of the organization's by default.
  await rejectsWith(d().send(new ListAccountsCommand({})), 'AccessDeniedException');
  // A delegated administrator of any service reads it (its own IAM policies still decide), writes nothing.
  await payer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'config.amazonaws.com' }));
  await payer.send(
    new RegisterDelegatedAdministratorCommand({ AccountId: delegate.id, ServicePrincipal: 'config.amazonaws.com' }),
  );
  const listed = await d().send(new ListAccountsCommand({}));
  assert.ok(listed.Accounts!.some((a) => a.Id === delegate.id));
  const { Roots } = await d().send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  await rejectsWith(
    d().send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Nope' })),
    'AccessDeniedException',
  );
  await rejectsWith(client(readOnlyUser).send(new ListAccountsCommand({})), 'AccessDeniedException');
  await payer.send(
    new DeregisterDelegatedAdministratorCommand({ AccountId: delegate.id, ServicePrincipal: 'config.amazonaws.com' }),
  );
  await rejectsWith(d().send(new ListAccountsCommand({})), 'AccessDeniedException');

  // The resource policy: checked as AWS checks it.
  await rejectsWith(
    payer.send(new PutResourcePolicyCommand({ Content: '{not json' })),
    'InvalidInputException',
    'INVALID_RESOURCE_POLICY_JSON',
  );
  const statement = (Action: string[]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${delegate.id}:root` }, Action, Resource: '*' }],
    });
  await rejectsWith(
    payer.send(new PutResourcePolicyCommand({ Content: statement(['organizations:CreateAccount']) })),
    'InvalidInputException',
    'UNSUPPORTED_ACTION_IN_RESOURCE_POLICY',
  );
  await rejectsWith(payer.send(new DescribeResourcePolicyCommand({})), 'ResourcePolicyNotFoundException');
  const content = statement(['organizations:Describe*', 'organizations:List*', 'organizations:CreatePolicy']);
  const put = await payer.send(new PutResourcePolicyCommand({ Content: content }));
  assert.match(put.ResourcePolicy!.ResourcePolicySummary!.Id!, /^rp-/);
  assert.match(put.ResourcePolicy!.ResourcePolicySummary!.Arn!, /:resourcepolicy\/o-[a-z0-9]+\/rp-/);
  const described = await payer.send(new DescribeResourcePolicyCommand({}));
  assert.equal(described.ResourcePolicy!.Content, content);
  // Its rp- id is taggable, as the model's TaggableResourceId says (Terraform lists its tags on every plan).
  const ResourceId = put.ResourcePolicy!.ResourcePolicySummary!.Id!;
  assert.deepEqual((await payer.send(new ListTagsForResourceCommand({ ResourceId }))).Tags, []);
  await payer.send(new TagResourceCommand({ ResourceId, Tags: [{ Key: 'owner', Value: 'platform' }] }));
  assert.deepEqual((await payer.send(new ListTagsForResourceCommand({ ResourceId }))).Tags, [
    { Key: 'owner', Value: 'platform' },
  ]);
  await payer.send(new UntagResourceCommand({ ResourceId, TagKeys: ['owner'] }));
  assert.deepEqual((await payer.send(new ListTagsForResourceCommand({ ResourceId }))).Tags, []);
  await rejectsWith(
    payer.send(new ListTagsForResourceCommand({ ResourceId: 'rp-00000000' })),
    'TargetNotFoundException',
  );

  // The delegated member reads and creates policies; the policy and its own IAM policies must both allow.
  assert.ok((await d().send(new ListAccountsCommand({}))).Accounts!.length >= 3);
  const created = await d().send(
    new CreatePolicyCommand({
      Name: 'Delegated',
      Description: '',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }],
      }),
    }),
  );
  assert.match(created.Policy!.PolicySummary!.Arn!, new RegExp(`^arn:aws:organizations::${MGMT}:policy/`));
  await rejectsWith(
    d().send(new AttachPolicyCommand({ PolicyId: created.Policy!.PolicySummary!.Id!, TargetId: rootId })),
    'AccessDeniedException',
  );
  await rejectsWith(client(readOnlyUser).send(new ListAccountsCommand({})), 'AccessDeniedException');
  await rejectsWith(client(other.admin).send(new ListAccountsCommand({})), 'AccessDeniedException');

  await payer.send(new DeleteResourcePolicyCommand({}));
  await rejectsWith(payer.send(new DeleteResourcePolicyCommand({})), 'ResourcePolicyNotFoundException');
  await rejectsWith(d().send(new ListAccountsCommand({})), 'AccessDeniedException');
});

test('DescribeEffectivePolicy merges tag policies from the root down with @@assign, @@append and @@remove', async () => {
  const payer = client();
  const { Roots } = await payer.send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  const account = await member('Tagged');
  const other = await member('Untagged');
  await payer.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'TAG_POLICY' }));
  const { OrganizationalUnit } = await payer.send(
    new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Tagged' }),
  );
  await payer.send(
    new MoveAccountCommand({
      AccountId: account.id,
      SourceParentId: rootId,
      DestinationParentId: OrganizationalUnit!.Id!,
    }),
  );
  const policy = async (name: string, document: unknown, target: string) => {
    const { Policy } = await payer.send(
      new CreatePolicyCommand({ Name: name, Description: '', Type: 'TAG_POLICY', Content: JSON.stringify(document) }),
    );
    await payer.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: target }));
  };
  const costCenter = (values: unknown) => ({ tags: { costcenter: values } });
  await policy(
    'Base',
    costCenter({ tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['100', '200'] } }),
    rootId,
  );
  await policy('More', costCenter({ tag_value: { '@@append': ['300'] } }), OrganizationalUnit!.Id!);
  await policy('Less', costCenter({ tag_value: { '@@remove': ['100'] } }), account.id);

  const expected = { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['200', '300'] } } };
  const own = await client(account.admin).send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY' }));
  assert.deepEqual(JSON.parse(own.EffectivePolicy!.PolicyContent!), expected);
  assert.equal(own.EffectivePolicy!.TargetId, account.id);
  const asked = await payer.send(
    new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: account.id }),
  );
  assert.deepEqual(JSON.parse(asked.EffectivePolicy!.PolicyContent!), expected);
  // Another account inherits only the root's policy.
  const root = await payer.send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: other.id }));
  assert.deepEqual(JSON.parse(root.EffectivePolicy!.PolicyContent!), {
    tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['100', '200'] } },
  });
  await rejectsWith(
    payer.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BACKUP_POLICY', TargetId: account.id })),
    'EffectivePolicyNotFoundException',
  );
  await rejectsWith(
    client(account.admin).send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: other.id })),
    'AccessDeniedException',
  );
  await rejectsWith(
    payer.send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: '123456789012' })),
    'TargetNotFoundException',
  );
});
