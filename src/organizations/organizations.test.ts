import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { compilePolicy, createPolicySet, evaluate, type CompiledPolicy } from '../policy/index.js';
import { dropSchema, openDatabase, type OpenedDatabase } from '../store/database.js';
import { iamMemberAccountProvisioner } from '../iam/member-accounts.js';
import { FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS } from './managed-policies.js';
import { Organizations } from './organizations.js';
import { createPolicyChains, type PolicyChains } from './policy-chain.js';

const POSTGRES_URL = process.env.BURSAR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRE_POSTGRES = process.env.BURSAR_REQUIRE_POSTGRES === '1';

const MGMT = '111111111111';
const OUTSIDER = '999999999999';

const DENY_BILLING = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoBilling', Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' }],
});

async function rejectsWith(promise: Promise<unknown>, code: string, reason?: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; reason?: string; message?: string }) => {
    assert.equal(error.code, code, error.message);
    if (reason !== undefined) assert.equal(error.reason, reason);
    return true;
  });
}

interface World {
  opened: OpenedDatabase;
  orgs: Organizations;
  chains: PolicyChains;
  changed: string[][];
}

async function openPostgres(schema: string): Promise<OpenedDatabase | string> {
  try {
    return await openDatabase({ url: POSTGRES_URL, schema });
  } catch (error) {
    const reason = `PostgreSQL at ${POSTGRES_URL} unreachable (${(error as Error).message})`;
    if (REQUIRE_POSTGRES) throw new Error(reason, { cause: error });
    return reason;
  }
}

async function makeWorld(opened: OpenedDatabase): Promise<World> {
  const clock = new FixedClock('2026-11-27T12:00:00.000Z');
  const ids = seededIdSource(`orgs-${opened.dialect}`);
  const changed: string[][] = [];
  const chains = createPolicyChains(opened.db);
  const orgs = new Organizations({
    db: opened.db,
    clock,
    ids,
    provisioner: iamMemberAccountProvisioner(ids, clock),
    onChainsChanged: (accountIds) => {
      changed.push(accountIds);
      chains.invalidate(accountIds);
    },
  });
  for (const [id, email] of [
    [MGMT, 'payer@example.com'],
    [OUTSIDER, 'outsider@example.com'],
  ] as const) {
    await opened.db
      .insertInto('iam_accounts')
      .values({
        account_id: id,
        email,
        account_name: `acct-${id}`,
        root_password_hash: 'x',
        created_at: '2026-01-01T00:00:00.000Z',
        root_password_last_used: null,
        policy_generation: 0,
      })
      .execute();
  }
  return { opened, orgs, chains, changed };
}

const ADMIN = compiled(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'identity',
);

function compiled(document: unknown, policyType: 'identity' | 'scp'): CompiledPolicy {
  const result = compilePolicy(document, { policyType, policyId: 'test' });
  assert.ok(result.ok);
  return result.policy;
}

function decide(accountId: string, chain: CompiledPolicy[][] | undefined, action: string) {
  const set = createPolicySet({ identity: [ADMIN], ...(chain ? { scps: chain } : {}) });
  return evaluate({ principal: `arn:aws:iam::${accountId}:user/Alice`, action, resource: '*' }, set).decision;
}

function suite(dialect: 'sqlite' | 'postgres') {
  describe(`Organizations on ${dialect}`, () => {
    let world: World | undefined;
    let skipped: string | undefined;
    const schema = `orgs_test_${process.pid}`;

    before(async () => {
      const opened = dialect === 'sqlite' ? await openDatabase({ ephemeral: true }) : await openPostgres(schema);
      if (typeof opened === 'string') skipped = opened;
      else world = await makeWorld(opened);
    });

    after(async () => {
      if (!world) return;
      if (dialect === 'postgres') await dropSchema(world.opened.db, schema);
      await world.opened.close();
    });

    const w = (t: { skip: (message: string) => void }): World | undefined => {
      if (skipped !== undefined) t.skip(`skipped: ${skipped}`);
      return world;
    };

    test('CreateOrganization makes the caller the management account, with FullAWSAccess on root and account', async (t) => {
      const { orgs } = w(t) ?? {};
      if (!orgs) return;
      await rejectsWith(orgs.describeOrganization(MGMT), 'AWSOrganizationsNotInUseException');
      const { Organization } = await orgs.createOrganization(MGMT);
      assert.match(Organization.Id, /^o-[a-z0-9]{10}$/);
      assert.equal(Organization.Arn, `arn:aws:organizations::${MGMT}:organization/${Organization.Id}`);
      assert.equal(Organization.MasterAccountId, MGMT);
      assert.equal(Organization.MasterAccountEmail, 'payer@example.com');
      assert.equal(Organization.FeatureSet, 'ALL');
      await rejectsWith(orgs.createOrganization(MGMT), 'AlreadyInOrganizationException');

      const [root] = await orgs.listRoots(MGMT);
      assert.ok(root);
      assert.match(root.Id, /^r-[a-z0-9]{4}$/);
      assert.equal(root.Arn, `arn:aws:organizations::${MGMT}:root/${Organization.Id}/${root.Id}`);
      assert.deepEqual(root.PolicyTypes, []);
      for (const target of [root.Id, MGMT]) {
        const attached = await orgs.policies.listForTarget(MGMT, target, 'SERVICE_CONTROL_POLICY');
        assert.deepEqual(
          attached.map((p) => [p.Id, p.AwsManaged]),
          [['p-FullAWSAccess', true]],
        );
      }
      const accounts = await orgs.accounts.list(MGMT);
      assert.deepEqual(
        accounts.map((a) => [a.Id, a.JoinedMethod, a.Status]),
        [[MGMT, 'INVITED', 'ACTIVE']],
      );
      assert.equal(orgs.directory.organizationOf(MGMT)?.organizationId, Organization.Id);
      await rejectsWith(orgs.accounts.list(OUTSIDER), 'AWSOrganizationsNotInUseException');
    });

    test('organizational units: nesting, names, depth, tree listings, deletion', async (t) => {
      const { orgs } = w(t) ?? {};
      if (!orgs) return;
      const [root] = await orgs.listRoots(MGMT);
      const { OrganizationalUnit: finance } = await orgs.units.create(MGMT, root!.Id, 'Finance');
      assert.match(finance.Id, new RegExp(`^ou-${root!.Id.slice(2)}-[a-z0-9]{8}$`));
      assert.match(finance.Arn, new RegExp(`^arn:aws:organizations::${MGMT}:ou/o-[a-z0-9]{10}/${finance.Id}$`));
      await rejectsWith(orgs.units.create(MGMT, root!.Id, 'Finance'), 'DuplicateOrganizationalUnitException');
      await rejectsWith(orgs.units.create(MGMT, 'ou-zzzz-zzzzzzzz', 'X'), 'ParentNotFoundException');
      assert.deepEqual(
        (await orgs.policies.listForTarget(MGMT, finance.Id, 'SERVICE_CONTROL_POLICY')).map((p) => p.Id),
        ['p-FullAWSAccess'],
      );

      let parent = finance.Id;
      for (const level of [2, 3, 4, 5]) {
        parent = (await orgs.units.create(MGMT, parent, `L${level}`)).OrganizationalUnit.Id;
      }
      await rejectsWith(
        orgs.units.create(MGMT, parent, 'L6'),
        'ConstraintViolationException',
        'OU_DEPTH_LIMIT_EXCEEDED',
      );

      assert.deepEqual(await orgs.units.listParents(MGMT, finance.Id), [{ Id: root!.Id, Type: 'ROOT' }]);
      assert.deepEqual(
        (await orgs.units.listChildren(MGMT, root!.Id, 'ORGANIZATIONAL_UNIT')).map((c) => c.Id),
        [finance.Id],
      );
      assert.deepEqual(
        (await orgs.units.listForParent(MGMT, root!.Id)).map((o) => o.Name),
        ['Finance'],
      );
      await rejectsWith(orgs.units.delete(MGMT, finance.Id), 'OrganizationalUnitNotEmptyException');
      const renamed = await orgs.units.update(MGMT, parent, 'Deepest');
      assert.equal(renamed.OrganizationalUnit.Name, 'Deepest');
      await orgs.units.delete(MGMT, parent);
      await rejectsWith(orgs.units.describe(MGMT, parent), 'OrganizationalUnitNotFoundException');
    });

    test('CreateAccount creates a real member account: no root password, access role, billing switch ALLOW by default', async (t) => {
      const { orgs, opened } = w(t) ?? {};
      if (!orgs || !opened) return;
      const { CreateAccountStatus: status } = await orgs.accounts.create(MGMT, {
        email: 'dev@example.com',
        accountName: 'Dev',
      });
      assert.equal(status.State, 'SUCCEEDED');
      assert.match(status.Id, /^car-[a-z0-9]{32}$/);
      const devId = status.AccountId!;
      assert.match(devId, /^\d{12}$/);
      assert.equal(await orgs.accounts.iamUserAccessToBilling(devId), 'ALLOW');

      const iamRow = await opened.db
        .selectFrom('iam_accounts')
        .selectAll()
        .where('account_id', '=', devId)
        .executeTakeFirstOrThrow();
      assert.equal(iamRow.email, 'dev@example.com');
      assert.equal(iamRow.root_password_hash, '');
      const role = await opened.db
        .selectFrom('iam_roles')
        .selectAll()
        .where('account_id', '=', devId)
        .executeTakeFirstOrThrow();
      assert.equal(role.name, 'OrganizationAccountAccessRole');
      assert.deepEqual(JSON.parse(role.assume_role_policy).Statement[0].Principal, {
        AWS: `arn:aws:iam::${MGMT}:root`,
      });

      const denied = await orgs.accounts.create(MGMT, {
        email: 'audit@example.com',
        accountName: 'Audit',
        iamUserAccessToBilling: 'DENY',
      });
      assert.equal(await orgs.accounts.iamUserAccessToBilling(denied.CreateAccountStatus.AccountId!), 'DENY');

      const again = await orgs.accounts.create(MGMT, { email: 'DEV@example.com', accountName: 'Dev again' });
      assert.equal(again.CreateAccountStatus.State, 'FAILED');
      assert.equal(again.CreateAccountStatus.FailureReason, 'EMAIL_ALREADY_EXISTS');

      const described = await orgs.accounts.describeCreateAccountStatus(MGMT, status.Id);
      assert.equal(described.CreateAccountStatus.AccountId, devId);
      assert.deepEqual(
        (await orgs.accounts.listCreateAccountStatus(MGMT, ['FAILED'])).map((s) => s.FailureReason),
        ['EMAIL_ALREADY_EXISTS'],
      );
      const account = await orgs.accounts.describe(MGMT, devId);
      assert.equal(account.Account.JoinedMethod, 'CREATED');
      assert.match(account.Account.Arn, new RegExp(`^arn:aws:organizations::${MGMT}:account/o-[a-z0-9]{10}/${devId}$`));
      assert.deepEqual(
        (await orgs.policies.listForTarget(MGMT, devId, 'SERVICE_CONTROL_POLICY')).map((p) => p.Id),
        ['p-FullAWSAccess'],
      );

      // A member account may describe its organization but not manage it.
      assert.equal((await orgs.describeOrganization(devId)).Organization.MasterAccountId, MGMT);
      await rejectsWith(orgs.accounts.list(devId), 'AccessDeniedException');
      await rejectsWith(orgs.accounts.describe(MGMT, OUTSIDER), 'AccountNotFoundException');
    });

    test('SCPs: policy type, content limits, attach and detach rules', async (t) => {
      const { orgs } = w(t) ?? {};
      if (!orgs) return;
      const [root] = await orgs.listRoots(MGMT);
      const policy = (
        await orgs.policies.create(MGMT, {
          content: DENY_BILLING,
          description: 'No billing',
          name: 'DenyBilling',
          type: 'SERVICE_CONTROL_POLICY',
        })
      ).Policy.PolicySummary;
      assert.match(policy.Id, /^p-[a-z0-9]{8}$/);
      assert.match(
        policy.Arn,
        new RegExp(`^arn:aws:organizations::${MGMT}:policy/o-[a-z0-9]{10}/service_control_policy/${policy.Id}$`),
      );
      await rejectsWith(
        orgs.policies.create(MGMT, {
          content: DENY_BILLING,
          description: '',
          name: 'DenyBilling',
          type: 'SERVICE_CONTROL_POLICY',
        }),
        'DuplicatePolicyException',
      );
      await rejectsWith(
        orgs.policies.create(MGMT, {
          content: '{"Statement":',
          description: '',
          name: 'Bad',
          type: 'SERVICE_CONTROL_POLICY',
        }),
        'MalformedPolicyDocumentException',
      );
      const huge = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*', Sid: 'x'.repeat(5200) }],
      });
      await rejectsWith(
        orgs.policies.create(MGMT, { content: huge, description: '', name: 'Huge', type: 'SERVICE_CONTROL_POLICY' }),
        'ConstraintViolationException',
        'POLICY_CONTENT_LIMIT_EXCEEDED',
      );

      await rejectsWith(
        orgs.policies.create(MGMT, {
          content: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }),
          description: '',
          name: 'WithPrincipal',
          type: 'SERVICE_CONTROL_POLICY',
        }),
        'MalformedPolicyDocumentException',
      );
      await rejectsWith(orgs.policies.attach(MGMT, policy.Id, root!.Id), 'PolicyTypeNotEnabledException');
      const enabled = await orgs.policies.enableType(MGMT, root!.Id, 'SERVICE_CONTROL_POLICY');
      assert.deepEqual(enabled.Root.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
      await rejectsWith(
        orgs.policies.enableType(MGMT, root!.Id, 'SERVICE_CONTROL_POLICY'),
        'PolicyTypeAlreadyEnabledException',
      );

      await rejectsWith(
        orgs.policies.detach(MGMT, 'p-FullAWSAccess', root!.Id),
        'ConstraintViolationException',
        'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
      );
      await orgs.policies.attach(MGMT, policy.Id, root!.Id);
      await rejectsWith(orgs.policies.attach(MGMT, policy.Id, root!.Id), 'DuplicatePolicyAttachmentException');
      await orgs.policies.detach(MGMT, 'p-FullAWSAccess', root!.Id);
      await rejectsWith(orgs.policies.detach(MGMT, 'p-FullAWSAccess', root!.Id), 'PolicyNotAttachedException');
      await rejectsWith(orgs.policies.delete(MGMT, policy.Id), 'PolicyInUseException');
      await rejectsWith(
        orgs.policies.update(MGMT, 'p-FullAWSAccess', { name: 'Mine' }),
        'InvalidInputException',
        'IMMUTABLE_POLICY',
      );
      assert.deepEqual(
        (await orgs.policies.listTargets(MGMT, policy.Id)).map((x) => [x.TargetId, x.Type]),
        [[root!.Id, 'ROOT']],
      );
      await orgs.policies.attach(MGMT, 'p-FullAWSAccess', root!.Id);
      await orgs.policies.detach(MGMT, policy.Id, root!.Id);
      await rejectsWith(orgs.policies.attach(MGMT, policy.Id, '123456789012'), 'TargetNotFoundException');
      assert.deepEqual(
        (await orgs.policies.list(MGMT, 'SERVICE_CONTROL_POLICY')).map((p) => p.Name),
        ['FullAWSAccess', 'DenyBilling'],
      );
    });

    test('the SCP chain: a member denied aws-portal:* by an OU SCP despite AdministratorAccess; the management account unaffected', async (t) => {
      const { orgs, chains, changed, opened } = w(t) ?? {};
      if (!orgs || !chains || !changed || !opened) return;
      const [root] = await orgs.listRoots(MGMT);
      const dev = (await orgs.accounts.list(MGMT)).find((a) => a.Name === 'Dev')!;
      const finance = (await orgs.units.listForParent(MGMT, root!.Id)).find((o) => o.Name === 'Finance')!;
      const policy = (await orgs.policies.list(MGMT, 'SERVICE_CONTROL_POLICY')).find((p) => p.Name === 'DenyBilling')!;

      assert.equal(await chains.scpChainFor(MGMT), undefined);
      assert.equal(await chains.scpChainFor(OUTSIDER), undefined);
      const before = await chains.scpChainFor(dev.Id);
      assert.equal(before?.length, 2);
      assert.equal(decide(dev.Id, before, 'aws-portal:ViewBilling'), 'Allowed');

      await orgs.accounts.move(MGMT, dev.Id, root!.Id, finance.Id);
      await rejectsWith(orgs.accounts.move(MGMT, dev.Id, root!.Id, finance.Id), 'AccountNotFoundException');
      await rejectsWith(orgs.accounts.move(MGMT, dev.Id, finance.Id, finance.Id), 'DuplicateAccountException');
      const generationBefore = (
        await opened.db
          .selectFrom('iam_accounts')
          .select('policy_generation')
          .where('account_id', '=', dev.Id)
          .executeTakeFirstOrThrow()
      ).policy_generation;
      changed.length = 0;
      await orgs.policies.attach(MGMT, policy.Id, finance.Id);
      assert.deepEqual(changed, [[dev.Id]]);
      const generationAfter = (
        await opened.db
          .selectFrom('iam_accounts')
          .select('policy_generation')
          .where('account_id', '=', dev.Id)
          .executeTakeFirstOrThrow()
      ).policy_generation;
      assert.equal(Number(generationAfter), Number(generationBefore) + 1);

      const chain = await chains.scpChainFor(dev.Id);
      assert.deepEqual(
        chain?.map((level) => level.map((p) => p.policyId.split('/').pop()).sort()),
        [['p-FullAWSAccess'], [policy.Id, 'p-FullAWSAccess'].sort(), ['p-FullAWSAccess']],
      );
      assert.equal(decide(dev.Id, chain, 'aws-portal:ViewBilling'), 'ExplicitlyDenied');
      assert.equal(decide(dev.Id, chain, 'ec2:RunInstances'), 'Allowed');

      // Editing an attached SCP's content takes effect at once (the clock has not moved: no stale compile).
      const denyEc2 = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }],
      });
      await orgs.policies.update(MGMT, policy.Id, { content: denyEc2 });
      assert.equal(decide(dev.Id, await chains.scpChainFor(dev.Id), 'ec2:RunInstances'), 'ExplicitlyDenied');
      assert.equal(decide(dev.Id, await chains.scpChainFor(dev.Id), 'aws-portal:ViewBilling'), 'Allowed');
      await orgs.policies.update(MGMT, policy.Id, { content: DENY_BILLING });
      assert.equal(decide(MGMT, await chains.scpChainFor(MGMT), 'aws-portal:ViewBilling'), 'Allowed');

      // An allow-list SCP: with FullAWSAccess gone from the account, only what every level allows passes.
      const onlyEc2 = (
        await orgs.policies.create(MGMT, {
          content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
          }),
          description: '',
          name: 'OnlyEc2',
          type: 'SERVICE_CONTROL_POLICY',
        })
      ).Policy.PolicySummary;
      await orgs.policies.attach(MGMT, onlyEc2.Id, dev.Id);
      await orgs.policies.detach(MGMT, 'p-FullAWSAccess', dev.Id);
      assert.equal(decide(dev.Id, await chains.scpChainFor(dev.Id), 'iam:CreateUser'), 'ImplicitlyDenied');

      await orgs.accounts.move(MGMT, dev.Id, finance.Id, root!.Id);
      assert.equal(decide(dev.Id, await chains.scpChainFor(dev.Id), 'aws-portal:ViewBilling'), 'ImplicitlyDenied');
      assert.equal(decide(dev.Id, await chains.scpChainFor(dev.Id), 'ec2:RunInstances'), 'Allowed');

      // Disabling the type ends SCP evaluation; re-enabling resets every target to FullAWSAccess alone.
      await orgs.policies.disableType(MGMT, root!.Id, 'SERVICE_CONTROL_POLICY');
      assert.equal(await chains.scpChainFor(dev.Id), undefined);
      await orgs.policies.enableType(MGMT, root!.Id, 'SERVICE_CONTROL_POLICY');
      assert.deepEqual(
        (await orgs.policies.listForTarget(MGMT, dev.Id, 'SERVICE_CONTROL_POLICY')).map((p) => p.Id),
        ['p-FullAWSAccess'],
      );
      assert.deepEqual(await orgs.policies.listTargets(MGMT, policy.Id), []);
    });

    test('RCPs: enabling attaches RCPFullAWSAccess everywhere, which cannot be detached', async (t) => {
      const { orgs, chains } = w(t) ?? {};
      if (!orgs || !chains) return;
      const [root] = await orgs.listRoots(MGMT);
      const dev = (await orgs.accounts.list(MGMT)).find((a) => a.Name === 'Dev')!;
      assert.equal(await chains.rcpChainFor(dev.Id), undefined);
      await orgs.policies.enableType(MGMT, root!.Id, 'RESOURCE_CONTROL_POLICY');
      assert.deepEqual(
        (await orgs.policies.listForTarget(MGMT, dev.Id, 'RESOURCE_CONTROL_POLICY')).map((p) => p.Id),
        ['p-RCPFullAWSAccess'],
      );
      assert.deepEqual(
        (await chains.rcpChainFor(dev.Id))?.map((level) => level.length),
        [1, 1],
      );
      await rejectsWith(
        orgs.policies.detach(MGMT, 'p-RCPFullAWSAccess', dev.Id),
        'ConstraintViolationException',
        'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
      );
    });

    test('members leave or are removed; DeleteOrganization only once no member remains', async (t) => {
      const { orgs, chains } = w(t) ?? {};
      if (!orgs || !chains) return;
      await rejectsWith(orgs.deleteOrganization(MGMT), 'OrganizationNotEmptyException');
      const members = (await orgs.accounts.list(MGMT)).filter((a) => a.Id !== MGMT);
      const [dev, audit] = [members.find((a) => a.Name === 'Dev')!, members.find((a) => a.Name === 'Audit')!];
      await rejectsWith(orgs.deleteOrganization(dev.Id), 'AccessDeniedException');
      await rejectsWith(orgs.accounts.leave(MGMT), 'MasterCannotLeaveOrganizationException');
      await rejectsWith(orgs.accounts.remove(MGMT, MGMT), 'MasterCannotLeaveOrganizationException');

      assert.ok(await chains.scpChainFor(dev.Id));
      await orgs.accounts.leave(dev.Id);
      assert.equal(await chains.scpChainFor(dev.Id), undefined);
      await rejectsWith(orgs.describeOrganization(dev.Id), 'AWSOrganizationsNotInUseException');
      await orgs.accounts.remove(MGMT, audit.Id);
      await rejectsWith(orgs.accounts.remove(MGMT, audit.Id), 'AccountNotFoundException');

      await orgs.deleteOrganization(MGMT);
      await rejectsWith(orgs.describeOrganization(MGMT), 'AWSOrganizationsNotInUseException');
      assert.equal(orgs.directory.organizationOf(MGMT), undefined);
      // The account may start a new organization afterwards.
      assert.equal((await orgs.createOrganization(MGMT)).Organization.MasterAccountId, MGMT);
    });

    test('accept and cancel of one handshake race: one wins, the other gets InvalidHandshakeTransitionException', async (t) => {
      const { orgs } = w(t) ?? {};
      if (!orgs) return;
      const outcomes = new Set<string>();
      for (let round = 0; round < 6; round++) {
        const { Handshake } = await orgs.handshakes.invite(MGMT, { Id: OUTSIDER, Type: 'ACCOUNT' }, undefined);
        const results: PromiseSettledResult<unknown>[] = await Promise.allSettled([
          orgs.handshakes.accept(OUTSIDER, Handshake.Id),
          orgs.handshakes.cancel(MGMT, Handshake.Id),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1, JSON.stringify(results));
        assert.equal(lost.length, 1);
        assert.equal((lost[0]!.reason as { code?: string }).code, 'InvalidHandshakeTransitionException');
        const state: string = (await orgs.handshakes.describe(MGMT, Handshake.Id)).Handshake.State;
        outcomes.add(state);
        // The store agrees with the winner: a member after an accept, none after a cancel.
        const member: boolean = orgs.directory.organizationOf(OUTSIDER) !== undefined;
        assert.equal(member, state === 'ACCEPTED');
        if (member) await orgs.accounts.leave(OUTSIDER);
      }
      assert.ok([...outcomes].every((state) => state === 'ACCEPTED' || state === 'CANCELED'));
    });
  });
}

suite('sqlite');
suite('postgres');

// Migration 0002 carries its own copy of AWS's managed policies (a migration is frozen history); this keeps
// the rows it stores and the Organizations area's constants from drifting apart unnoticed.
test('the stored managed policies are those the Organizations area describes', async () => {
  const opened = await openDatabase({ ephemeral: true });
  try {
    const rows = await opened.db
      .selectFrom('org_policies')
      .select(['policy_id', 'policy_type', 'name', 'description', 'content', 'arn'])
      .where('aws_managed', '=', 1)
      .orderBy('policy_id')
      .execute();
    assert.deepEqual(
      rows,
      [FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].map((p) => ({
        policy_id: p.id,
        policy_type: p.type,
        name: p.name,
        description: p.description,
        content: p.content,
        arn: p.arn,
      })),
    );
  } finally {
    await opened.close();
  }
});

test('CloseAccount: at most 10 closures (10 % of members, at least 10) in a rolling 30 days', async () => {
  const opened = await openDatabase({ ephemeral: true });
  try {
    const clock = new FixedClock('2026-11-27T12:00:00.000Z');
    const ids = seededIdSource('closures');
    const orgs = new Organizations({
      db: opened.db,
      clock,
      ids,
      provisioner: iamMemberAccountProvisioner(ids, clock),
      limits: { accounts: 20 },
    });
    await opened.db
      .insertInto('iam_accounts')
      .values({
        account_id: MGMT,
        email: 'payer@example.com',
        account_name: 'payer',
        root_password_hash: 'x',
        created_at: '2026-01-01T00:00:00.000Z',
        root_password_last_used: null,
        policy_generation: 0,
      })
      .execute();
    await orgs.createOrganization(MGMT);
    const members: string[] = [];
    for (let n = 0; n < 12; n++) {
      const { CreateAccountStatus } = await orgs.accounts.create(MGMT, {
        email: `m${n}@example.com`,
        accountName: `M${n}`,
      });
      members.push(CreateAccountStatus.AccountId!);
    }
    for (const id of members.slice(0, 10)) await orgs.accounts.close(MGMT, id);
    await rejectsWith(
      orgs.accounts.close(MGMT, members[10]!),
      'ConstraintViolationException',
      'CLOSE_ACCOUNT_QUOTA_EXCEEDED',
    );
    clock.advance(30 * 24 * 60 * 60 * 1000 + 1);
    await orgs.accounts.close(MGMT, members[10]!);
    assert.equal((await orgs.accounts.describe(MGMT, members[10]!)).Account.Status, 'PENDING_CLOSURE');
    assert.equal((await orgs.accounts.describe(MGMT, members[0]!)).Account.Status, 'SUSPENDED');
  } finally {
    await opened.close();
  }
});
