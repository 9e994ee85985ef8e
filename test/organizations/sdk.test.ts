/**
 * @aws-sdk/client-organizations against the Organizations operations over the real wire path: the Edge's
 * API handler (SigV4, JSON 1.1, model validation), invoke() with IAM's principal resolution and the engine,
 * and SCP chains from the Organizations domain. The server here registers only what this suite needs, so it
 * runs whether or not the composition root has registered Organizations yet.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { createApiHandler } from '../../src/api/handler.js';
import { serviceModels } from '../../src/api/models/index.js';
import { AccessKeyService } from '../../src/iam/access-keys.js';
import { AccountService } from '../../src/iam/accounts.js';
import { seedAwsManagedPolicies } from '../../src/iam/aws-managed.js';
import { IamContext } from '../../src/iam/context.js';
import { EntityPolicyService } from '../../src/iam/entity-policies.js';
import { PrincipalResolver } from '../../src/iam/principal-resolution.js';
import { UserService } from '../../src/iam/users.js';
import { AuditTrail } from '../../src/operations/audit.js';
import { createInvoke } from '../../src/operations/invoke.js';
import { organizationsOperations } from '../../src/operations/organizations/operations.js';
import { OperationRegistry } from '../../src/operations/registry.js';
import { StsSessions } from '../../src/operations/sts/sessions.js';
import type { Caller } from '../../src/operations/types.js';
import { createOrganizations, createPolicyChains } from '../../src/organizations/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { seededIdSource } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createAuthority } from '../../src/server/authority.js';
import { createKeyLookup } from '../../src/server/key-lookup.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/database.js';

const MGMT = '210987654321';

let database: OpenedDatabase;
let server: Server;
let endpoint: string;
let iam: IamContext;
let accessKeys: AccessKeyService;
let authority: ReturnType<typeof createAuthority>;
let mgmtKey: { accessKeyId: string; secretAccessKey: string };

function client(credentials: { accessKeyId: string; secretAccessKey: string }) {
  return new OrganizationsClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, name, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

before(async () => {
  database = await openDatabase({ ephemeral: true });
  const db = database.db;
  const clock = systemClock;
  const ids = seededIdSource('organizations-sdk');
  iam = new IamContext({ db, clock, ids, passwordHashCost: 1024 });
  await seedAwsManagedPolicies(db);
  const accounts = new AccountService(iam);
  accessKeys = new AccessKeyService(iam);
  await accounts.signUp({
    email: 'payer@example.com',
    password: 'Payer-Passw0rd!',
    accountName: 'Payer',
    accountId: MGMT,
  });
  const created = await accessKeys.create(MGMT);
  mgmtKey = { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey };

  const chains = createPolicyChains(db);
  const resolver = new PrincipalResolver(iam, chains.scpChainFor);
  const organizations = createOrganizations({
    db,
    clock,
    ids,
    chains,
    onChainsChanged: (accountIds) => resolver.invalidate(accountIds),
  });
  const keys = createKeyLookup(iam, accessKeys, new StsSessions(db, clock, ids));
  authority = createAuthority(iam, resolver, async () => undefined);
  const invoke = createInvoke({
    registry: new OperationRegistry().register(...organizationsOperations),
    services: { organizations },
    authority,
    audit: new AuditTrail(db, ids, silentLogger),
    models: serviceModels,
    logger: silentLogger,
  });
  const handle = createApiHandler({
    models: serviceModels,
    invoke,
    lookupKey: (id) => keys.lookup(id),
    clock,
    ids,
    logger: silentLogger,
  });

  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '/';
      const q = url.indexOf('?');
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < request.rawHeaders.length; i += 2)
        headers.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
      handle({
        method: request.method ?? 'POST',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        headers,
        body: Buffer.concat(chunks),
        sourceIp: '127.0.0.1',
        secure: false,
      }).then(
        (result) => {
          response.writeHead(result.status, result.headers);
          response.end(result.body);
        },
        (error: unknown) => {
          response.writeHead(500);
          response.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.close();
});

test('the SDK manages an organization: create, roots, OUs, accounts, SCPs, and SCPs bound member principals', async () => {
  const payer = client(mgmtKey);
  const { Organization } = await payer.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  assert.match(Organization!.Id!, /^o-[a-z0-9]{10}$/);
  assert.equal(Organization!.MasterAccountId, MGMT);
  assert.equal(Organization!.MasterAccountEmail, 'payer@example.com');
  await rejectsWith(payer.send(new CreateOrganizationCommand({})), 'AlreadyInOrganizationException');

  const { Roots } = await payer.send(new ListRootsCommand({}));
  const rootId = Roots![0]!.Id!;
  const enabled = await payer.send(
    new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }),
  );
  assert.deepEqual(enabled.Root!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);

  const { OrganizationalUnit } = await payer.send(
    new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }),
  );
  const ouId = OrganizationalUnit!.Id!;

  const { CreateAccountStatus } = await payer.send(
    new CreateAccountCommand({ Email: 'dev@example.com', AccountName: 'Dev', IamUserAccessToBilling: 'ALLOW' }),
  );
  assert.equal(CreateAccountStatus!.State, 'SUCCEEDED');
  assert.ok(CreateAccountStatus!.RequestedTimestamp instanceof Date);
  const devId = CreateAccountStatus!.AccountId!;
  const described = await payer.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
  );
  assert.equal(described.CreateAccountStatus!.AccountId, devId);

  const firstPage = await payer.send(new ListAccountsCommand({ MaxResults: 1 }));
  assert.equal(firstPage.Accounts!.length, 1);
  assert.ok(firstPage.NextToken);
  const secondPage = await payer.send(new ListAccountsCommand({ NextToken: firstPage.NextToken! }));
  assert.deepEqual([...firstPage.Accounts!, ...secondPage.Accounts!].map((a) => a.Id).sort(), [MGMT, devId].sort());
  assert.equal(secondPage.NextToken, undefined);
  const { Account } = await payer.send(new DescribeAccountCommand({ AccountId: devId }));
  assert.equal(Account!.JoinedMethod, 'CREATED');
  assert.ok(Account!.JoinedTimestamp instanceof Date);
  await rejectsWith(payer.send(new DescribeAccountCommand({ AccountId: '123456789012' })), 'AccountNotFoundException');

  await payer.send(new MoveAccountCommand({ AccountId: devId, SourceParentId: rootId, DestinationParentId: ouId }));
  const children = await payer.send(new ListChildrenCommand({ ParentId: ouId, ChildType: 'ACCOUNT' }));
  assert.deepEqual(children.Children, [{ Id: devId, Type: 'ACCOUNT' }]);

  // An administrator in the member account, bounded by an SCP on its OU.
  const users = new UserService(iam);
  await users.create(devId, { UserName: 'Admin' });
  await new EntityPolicyService(iam).attach(devId, 'user', 'Admin', 'arn:aws:iam::aws:policy/AdministratorAccess');
  const adminKey = await accessKeys.create(devId, 'Admin');
  const admin = client({ accessKeyId: adminKey.AccessKeyId, secretAccessKey: adminKey.SecretAccessKey });
  assert.equal((await admin.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId, MGMT);
  await rejectsWith(admin.send(new ListAccountsCommand({})), 'AccessDeniedException');

  const { Policy } = await payer.send(
    new CreatePolicyCommand({
      Name: 'DenyBillingAndOrgLookups',
      Description: 'Members keep out of billing',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: ['aws-portal:*', 'organizations:DescribeOrganization'], Resource: '*' }],
      }),
    }),
  );
  const policyId = Policy!.PolicySummary!.Id!;
  await payer.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: ouId }));
  const attached = await payer.send(
    new ListPoliciesForTargetCommand({ TargetId: ouId, Filter: 'SERVICE_CONTROL_POLICY' }),
  );
  assert.deepEqual(attached.Policies!.map((p) => p.Name).sort(), ['DenyBillingAndOrgLookups', 'FullAWSAccess']);

  await rejectsWith(admin.send(new DescribeOrganizationCommand({})), 'AccessDeniedException', /explicit deny/);
  const adminCaller: Caller = {
    kind: 'user',
    accountId: devId,
    arn: `arn:aws:iam::${devId}:user/Admin`,
    userId: (
      await iam.db.selectFrom('iam_users').select('user_id').where('account_id', '=', devId).executeTakeFirstOrThrow()
    ).user_id,
    name: 'Admin',
  };
  const billing = { action: 'aws-portal:ViewBilling', resource: '*' };
  assert.equal(
    (await authority.evaluate(adminCaller, { principal: adminCaller.arn, ...billing })).decision,
    'ExplicitlyDenied',
  );
  const payerRoot: Caller = { kind: 'root', accountId: MGMT, arn: `arn:aws:iam::${MGMT}:root`, userId: MGMT };
  assert.equal((await authority.evaluate(payerRoot, { principal: payerRoot.arn, ...billing })).decision, 'Allowed');
  assert.ok(await payer.send(new DescribeOrganizationCommand({})));

  await rejectsWith(
    payer.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: rootId })),
    'ConstraintViolationException',
  );
  await payer.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: ouId }));
  assert.equal((await admin.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId, MGMT);
  assert.equal((await authority.evaluate(adminCaller, { principal: adminCaller.arn, ...billing })).decision, 'Allowed');
});
