/**
 * "Who can?" over the wire: the seed tutorial's account set up through @aws-sdk/client-iam, then
 * `BursarService.ListPrincipalsWithAccess` / `ListActionsForPrincipal` as signed JSON 1.1 calls (what
 * `bursar who-can --endpoint` sends). Every answer is checked against IAM's SimulatePrincipalPolicy for the same
 * principal, and the answers for `iam:GetAccountAuthorizationDetails` against real calls made by each user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { run } from '../../src/cli/who-can-command.js';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateOrganizationPolicyCommand,
  DescribeCreateAccountStatusCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { signedJsonRequest } from '../../src/billing/costs/import/remote-import.js';
import type { Caller } from '../../src/core/operation.js';
import { systemClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, ROOT_KEY, startServer } from './harness.js';

const BILLING_FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }] };
const BILLING_VIEW = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'aws-portal:ViewAccount',
        'aws-portal:ViewBilling',
        'aws-portal:ViewPaymentMethods',
        'aws-portal:ViewUsage',
      ],
      Resource: '*',
    },
  ],
};
const BILLING_WITH_MFA = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'BillingOnlyWithMfa',
      Effect: 'Allow',
      Action: 'aws-portal:*',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ],
};
// The seed's related example: full access to AWS services, but not to the Billing console.
const ALL_BUT_BILLING = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowServices', Effect: 'Allow', Action: '*', Resource: '*' },
    { Sid: 'DenyBilling', Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' },
  ],
};
const READ_AUTHORIZATION = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadIam', Effect: 'Allow', Action: 'iam:GetAccountAuthorizationDetails', Resource: '*' }],
};

interface Statement {
  PolicyId: string;
  Via: string[];
  Sid?: string;
  Origin: string;
  Effect: string;
}
interface Answer {
  Name: string;
  PrincipalType: string;
  Arn: string;
  Decision: string;
  EngineDecision: string;
  Explanation: string;
  ConditionKeys: string[];
  Outcomes: { Context: { Key: string; Value: string }[]; Decision: string }[];
  GrantedBy: Statement[];
  DeniedBy: Statement[];
  LimitedBy: string[];
  AssumableBy?: string[];
  Console?: { Verdict: string; Reason: string; ActionSet: string; Pages: string[] };
}

type Keys = { accessKeyId: string; secretAccessKey: string };

describe('who can? through the bursar JSON API', () => {
  let server: BursarServer;
  let iam: IAMClient;
  const keys = new Map<string, Keys>();
  const policyArns = new Map<string, string>();

  async function call(operation: string, input: Record<string, unknown>, as: Keys = ROOT_KEY) {
    const response = await signedJsonRequest(server.url, operation, input, {
      AWS_ACCESS_KEY_ID: as.accessKeyId,
      AWS_SECRET_ACCESS_KEY: as.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  async function whoCan(action: string): Promise<Map<string, Answer>> {
    const { status, body } = await call('ListPrincipalsWithAccess', { Action: action });
    assert.equal(status, 200, JSON.stringify(body));
    return new Map((body.Principals as Answer[]).map((p) => [p.Name, p]));
  }

  before(async () => {
    // signedJsonRequest signs by the machine's clock.
    server = await startServer({ clock: systemClock });
    iam = new IAMClient(clientConfig(server));
    for (const [name, document] of [
      ['BillingFullAccess', BILLING_FULL],
      ['BillingViewAccess', BILLING_VIEW],
      ['BillingWithMfa', BILLING_WITH_MFA],
      ['AllButBilling', ALL_BUT_BILLING],
    ] as const) {
      const created = await iam.send(
        new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(document) }),
      );
      policyArns.set(name, created.Policy!.Arn!);
    }
    for (const [group, policy] of [
      ['BillingFullAccessGroup', 'BillingFullAccess'],
      ['BillingViewAccessGroup', 'BillingViewAccess'],
    ] as const) {
      await iam.send(new CreateGroupCommand({ GroupName: group }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArns.get(policy) }));
    }
    for (const user of ['FinanceManager', 'FinanceUser', 'MfaManager', 'BoundedManager', 'Operator', 'Auditor']) {
      await iam.send(new CreateUserCommand({ UserName: user }));
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
      keys.set(user, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
    }
    await iam.send(new AddUserToGroupCommand({ GroupName: 'BillingFullAccessGroup', UserName: 'FinanceManager' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'BillingViewAccessGroup', UserName: 'FinanceUser' }));
    await iam.send(
      new AttachUserPolicyCommand({ UserName: 'MfaManager', PolicyArn: policyArns.get('BillingWithMfa') }),
    );
    // Full billing through the group, but a boundary that only lets the Read actions through.
    await iam.send(new AddUserToGroupCommand({ GroupName: 'BillingFullAccessGroup', UserName: 'BoundedManager' }));
    await iam.send(
      new PutUserPermissionsBoundaryCommand({
        UserName: 'BoundedManager',
        PermissionsBoundary: policyArns.get('BillingViewAccess'),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'Operator', PolicyArn: policyArns.get('AllButBilling') }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'Auditor',
        PolicyName: 'ReadAuthorization',
        PolicyDocument: JSON.stringify(READ_AUTHORIZATION),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'BillingAdminRole',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: 'BillingAdminRole', PolicyArn: policyArns.get('BillingFullAccess') }),
    );
  });
  after(async () => {
    await server.close();
  });

  it('who-can aws-portal:ModifyBilling: root and FinanceManager, and why; not FinanceUser', async () => {
    const answers = await whoCan('aws-portal:ModifyBilling');
    assert.deepEqual(
      [...answers.values()].map((a) => [a.PrincipalType, a.Name, a.Decision]),
      [
        ['root', 'root', 'allowed'],
        ['user', 'Auditor', 'denied'],
        ['user', 'BoundedManager', 'denied'],
        ['user', 'FinanceManager', 'allowed'],
        ['user', 'FinanceUser', 'denied'],
        ['user', 'MfaManager', 'conditional'],
        ['user', 'Operator', 'denied'],
        ['role', 'BillingAdminRole', 'allowed'],
      ],
    );
    const manager = answers.get('FinanceManager')!;
    assert.deepEqual(
      manager.GrantedBy.map((s) => [s.PolicyId, s.Origin, s.Via, s.Effect]),
      [[policyArns.get('BillingFullAccess'), 'managed', ['group/BillingFullAccessGroup'], 'Allow']],
    );
    const user = answers.get('FinanceUser')!;
    assert.equal(user.EngineDecision, 'ImplicitlyDenied');
    assert.deepEqual(user.GrantedBy, []);
    assert.match(user.Explanation, /because no identity-based policy allows the aws-portal:ModifyBilling action/);
    assert.deepEqual(answers.get('root')!.LimitedBy, []);
  });

  it('says conditional, naming the key, when an MFA condition decides', async () => {
    const mfa = (await whoCan('aws-portal:ModifyBilling')).get('MfaManager')!;
    assert.deepEqual(mfa.ConditionKeys, ['aws:MultiFactorAuthPresent']);
    assert.deepEqual(
      mfa.GrantedBy.map((s) => [s.PolicyId, s.Sid, s.Via]),
      [[policyArns.get('BillingWithMfa'), 'BillingOnlyWithMfa', ['user']]],
    );
    const byValue = new Map(
      mfa.Outcomes.map((o) => [
        o.Context.find((c) => c.Key === 'aws:MultiFactorAuthPresent')?.Value ?? 'absent',
        o.Decision,
      ]),
    );
    assert.equal(byValue.get('true'), 'Allowed');
    assert.equal(byValue.get('false'), 'ImplicitlyDenied');
    assert.equal(byValue.get('absent'), 'ImplicitlyDenied');
  });

  it('names what limits: the boundary, the explicit deny; and who may assume a role', async () => {
    const answers = await whoCan('aws-portal:ModifyBilling');
    const bounded = answers.get('BoundedManager')!;
    assert.deepEqual(bounded.LimitedBy, ['permissionBoundary']);
    assert.deepEqual(bounded.GrantedBy, []);
    const operator = answers.get('Operator')!;
    assert.equal(operator.EngineDecision, 'ExplicitlyDenied');
    assert.deepEqual(
      operator.DeniedBy.map((s) => [s.PolicyId, s.Sid, s.Via]),
      [[policyArns.get('AllButBilling'), 'DenyBilling', ['user']]],
    );
    assert.deepEqual(answers.get('BillingAdminRole')!.AssumableBy, [`arn:aws:iam::${ACCOUNT_ID}:root`]);
    // The boundary still lets the Read actions through.
    assert.equal((await whoCan('aws-portal:ViewBilling')).get('BoundedManager')!.Decision, 'allowed');
  });

  it('agrees with SimulatePrincipalPolicy for every user and role, for every billing action asked', async () => {
    for (const action of ['aws-portal:ModifyBilling', 'aws-portal:ViewBilling', 'aws-portal:ModifyAccount']) {
      for (const answer of (await whoCan(action)).values()) {
        if (answer.PrincipalType === 'root') continue;
        const simulate = async (mfa?: string) => {
          const result = await iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: answer.Arn,
              ActionNames: [action],
              ...(mfa === undefined
                ? {}
                : {
                    ContextEntries: [
                      {
                        ContextKeyName: 'aws:MultiFactorAuthPresent',
                        ContextKeyType: 'boolean',
                        ContextKeyValues: [mfa],
                      },
                    ],
                  }),
            }),
          );
          return result.EvaluationResults![0]!.EvalDecision;
        };
        const label = `${answer.Name} ${action}`;
        if (answer.Decision === 'conditional') {
          assert.equal(await simulate('true'), 'allowed', label);
          assert.notEqual(await simulate('false'), 'allowed', label);
        } else {
          assert.equal((await simulate()) === 'allowed', answer.Decision === 'allowed', label);
          assert.equal(
            await simulate(),
            { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }[
              answer.EngineDecision
            ],
            label,
          );
        }
      }
    }
  });

  it('agrees with real signed calls: who may call GetAccountAuthorizationDetails may run the analysis', async () => {
    const answers = await whoCan('iam:GetAccountAuthorizationDetails');
    assert.equal(answers.get('Auditor')!.Decision, 'allowed');
    assert.equal(answers.get('Operator')!.Decision, 'allowed');
    assert.equal(answers.get('FinanceUser')!.Decision, 'denied');
    for (const [user, key] of keys) {
      const { status, body } = await call('ListPrincipalsWithAccess', { Action: 'aws-portal:ViewBilling' }, key);
      const allowed = answers.get(user)!.Decision === 'allowed';
      assert.equal(status, allowed ? 200 : 403, `${user}: ${JSON.stringify(body)}`);
      if (!allowed) {
        assert.equal(body.__type, 'AccessDeniedException');
        assert.match(String(body.message), /not authorized to perform: iam:GetAccountAuthorizationDetails/);
      }
    }
  });

  it('lists what one principal can do in a service, by access level', async () => {
    const { status, body } = await call('ListActionsForPrincipal', { Principal: 'FinanceUser', Service: 'aws-portal' });
    assert.equal(status, 200, JSON.stringify(body));
    const levels = body.AccessLevels as { AccessLevel: string; Actions: Answer[] }[];
    const allowed = levels.flatMap((l) =>
      l.Actions.filter((a) => a.Decision === 'allowed').map(
        (a) => `${l.AccessLevel} ${(a as unknown as { Action: string }).Action}`,
      ),
    );
    assert.deepEqual(allowed.sort(), [
      'Read aws-portal:ViewAccount',
      'Read aws-portal:ViewBilling',
      'Read aws-portal:ViewPaymentMethods',
      'Read aws-portal:ViewUsage',
    ]);
    const write = levels.find((l) => l.AccessLevel === 'Write')!;
    assert.equal(
      write.Actions.find((a) => (a as unknown as { Action: string }).Action === 'aws-portal:ModifyBilling')?.Decision,
      'denied',
    );
    assert.deepEqual((body.Principal as { Arn: string }).Arn, `arn:aws:iam::${ACCOUNT_ID}:user/FinanceUser`);
  });

  // The Billing console's settings and CheckConsoleAccess are not on the bursar JSON API: through invoke().
  let requests = 0;
  const facts = (via: 'json' | 'console') => ({
    requestId: `who-can-${++requests}`,
    sourceIp: '203.0.113.10',
    userAgent: 'who-can-test',
    now: new Date(),
    via,
  });
  const root: Caller = {
    kind: 'root',
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    userId: ACCOUNT_ID,
  };
  const asRoot = (service: string, operation: string, input: Record<string, unknown>) =>
    server.world().invoke(root, facts('json'), service, operation, input);
  const switchTo = (value: 'ALLOW' | 'DENY') =>
    asRoot('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: value });

  it("says what the Billing console's IAM-access switch does with each principal, off and on", async () => {
    // A standalone account starts with IAM access to billing off.
    let answers = await whoCan('aws-portal:ModifyBilling');
    const manager = answers.get('FinanceManager')!;
    assert.equal(manager.Decision, 'allowed');
    assert.equal(manager.Console?.Verdict, 'refused');
    assert.match(manager.Console!.Reason, /IAM user and role access to Billing information is off/);
    assert.equal(manager.Console!.ActionSet, 'existing');
    assert.ok(manager.Console!.Pages.includes('billing-preferences'), manager.Console!.Pages.join());
    assert.equal(answers.get('BillingAdminRole')!.Console?.Verdict, 'refused');
    assert.equal(answers.get('root')!.Console?.Verdict, 'allowed');
    // The console's own check agrees: FinanceManager is refused by the switch, not by a policy.
    const financeManager: Caller = {
      kind: 'user',
      accountId: ACCOUNT_ID,
      arn: manager.Arn,
      userId: (await iam.send(new GetUserCommand({ UserName: 'FinanceManager' }))).User!.UserId!,
      name: 'FinanceManager',
    };
    const checkAsManager = () =>
      server.world().invoke(financeManager, facts('console'), 'bursar', 'CheckConsoleAccess', { Page: 'bills' });
    const refused = await checkAsManager();
    assert.equal(refused.Allowed, false);
    assert.equal((refused.Denial as { Reason: string }).Reason, 'IAM_ACCESS_OFF');

    await switchTo('ALLOW');
    try {
      answers = await whoCan('aws-portal:ModifyBilling');
      assert.equal(answers.get('FinanceManager')!.Console?.Verdict, 'allowed');
      assert.equal((await checkAsManager()).Allowed, true);
      assert.equal(answers.get('FinanceUser')!.Console?.Verdict, 'allowed');
      assert.equal(answers.get('FinanceUser')!.Decision, 'denied');
      assert.equal(answers.get('root')!.Console?.Verdict, 'allowed');
      // An action no billing page asks for carries no console verdict.
      assert.equal((await whoCan('iam:GetAccountAuthorizationDetails')).get('Auditor')!.Console, undefined);
    } finally {
      await switchTo('DENY');
    }
  });

  it("follows the account's console action set, and leaves alone the pages the switch does not govern", async () => {
    await asRoot('aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: 'FINE_GRAINED' });
    try {
      const legacy = (await whoCan('aws-portal:ModifyBilling')).get('FinanceManager')!;
      assert.equal(legacy.Console?.Verdict, 'not-asked');
      assert.equal(legacy.Console!.ActionSet, 'fine-grained');
      assert.deepEqual(legacy.Console!.Pages, []);
      // The switch is still off: the preferences page (governed) refuses, Cost Anomaly Detection (not) does not.
      const preferences = (await whoCan('billing:UpdateBillingPreferences')).get('FinanceManager')!;
      assert.equal(preferences.Console?.Verdict, 'refused');
      assert.deepEqual(preferences.Console!.Pages, ['billing-preferences']);
      const anomalies = (await whoCan('ce:GetAnomalies')).get('FinanceManager')!;
      assert.equal(anomalies.Console?.Verdict, 'allowed');
      assert.deepEqual(anomalies.Console!.Pages, ['anomaly-detection']);
    } finally {
      await asRoot('aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: 'EXISTING' });
    }
  });

  it('refuses wildcards, unknown principals, and another account outside an organization', async () => {
    const wildcard = await call('ListPrincipalsWithAccess', { Action: 'aws-portal:*' });
    assert.equal(wildcard.status, 400);
    assert.equal(wildcard.body.__type, 'ValidationException');
    const unknown = await call('ListActionsForPrincipal', { Principal: 'Nobody' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.__type, 'ResourceNotFoundException');
    const other = await call('ListPrincipalsWithAccess', {
      Action: 'aws-portal:ViewBilling',
      AccountId: '999988887777',
    });
    assert.equal(other.body.__type, 'AccessDeniedException', JSON.stringify(other.body));
  });

  it('bursar who-can and bursar can --endpoint print the answer as a table and as JSON', async () => {
    // The CLI in this process, with the root user's key and its output collected.
    const cli = async (...args: string[]): Promise<string> => {
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
      process.env.AWS_ACCESS_KEY_ID = ROOT_KEY.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = ROOT_KEY.secretAccessKey;
      const chunks: string[] = [];
      try {
        const [command, ...rest] = args as ['who-can' | 'can', ...string[]];
        assert.equal(await run([...rest, '--endpoint', server.url], command, (text) => chunks.push(text)), 0);
      } finally {
        if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
        else process.env.AWS_ACCESS_KEY_ID = saved.id;
        if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
        else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      }
      return chunks.join('');
    };
    const lines = (await cli('who-can', 'aws-portal:ModifyBilling')).trimEnd().split('\n');
    assert.match(lines[0]!, /^TYPE\s+PRINCIPAL\s+DECISION\s+WHY\s+BILLING CONSOLE$/);
    const row = (name: string) => lines.find((l) => l.split(/\s+/)[1] === name)?.replace(/\s+/g, ' ');
    // The account's IAM access to billing is off: the console refuses every IAM identity, not the root user.
    const off = 'refused: IAM access to billing is off';
    assert.equal(row('root'), 'root root allowed root user allowed');
    assert.equal(
      row('FinanceManager'),
      `user FinanceManager allowed BillingFullAccess via group/BillingFullAccessGroup ${off}`,
    );
    assert.equal(
      row('FinanceUser'),
      `user FinanceUser denied implicit deny: no identity-based policy allows it ${off}`,
    );
    assert.equal(
      row('MfaManager'),
      `user MfaManager conditional when aws:MultiFactorAuthPresent: BillingWithMfa (BillingOnlyWithMfa) ${off}`,
    );
    assert.equal(row('Operator'), `user Operator denied explicit deny: AllButBilling (DenyBilling) ${off}`);
    assert.equal(row('BoundedManager'), `user BoundedManager denied implicit deny: the permissions boundary ${off}`);
    // An action no console page asks for has no console column.
    const iamLines = (await cli('who-can', 'iam:GetAccountAuthorizationDetails')).split('\n');
    assert.match(iamLines[0]!, /^TYPE\s+PRINCIPAL\s+DECISION\s+WHY$/);
    const can = JSON.parse(await cli('can', 'FinanceUser', '--service', 'aws-portal', '--json')) as {
      AccessLevels: { AccessLevel: string; Actions: { Action: string; Decision: string }[] }[];
    };
    const read = can.AccessLevels.find((l) => l.AccessLevel === 'Read')!;
    assert.deepEqual(
      read.Actions.filter((a) => a.Decision === 'allowed').map((a) => a.Action),
      BILLING_VIEW.Statement[0]!.Action,
    );
  });
});

describe('who can? across an organization', () => {
  let server: BursarServer;
  before(async () => {
    server = await startServer({ clock: systemClock });
  });
  after(async () => {
    await server.close();
  });

  it("answers for the member accounts' principals under their SCPs", async () => {
    const orgs = new OrganizationsClient(clientConfig(server));
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await orgs.send(
      new CreateAccountCommand({ Email: 'member@compat.example', AccountName: 'Member' }),
    );
    const status = await orgs.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }),
    );
    const memberId = status.CreateAccountStatus!.AccountId!;
    const { Roots } = await orgs.send(new ListRootsCommand({}));
    await orgs.send(new EnablePolicyTypeCommand({ RootId: Roots![0]!.Id!, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const scp = await orgs.send(
      new CreateOrganizationPolicyCommand({
        Name: 'NoBillingChanges',
        Description: 'members may not change billing',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'NoModifyBilling', Effect: 'Deny', Action: 'aws-portal:ModifyBilling', Resource: '*' }],
        }),
      }),
    );
    await orgs.send(new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id!, TargetId: memberId }));

    const response = await signedJsonRequest(
      server.url,
      'ListPrincipalsWithAccess',
      { Action: 'aws-portal:ModifyBilling' },
      { AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey },
    );
    assert.equal(response.status, 200, response.body);
    const answers = (JSON.parse(response.body) as { Principals: (Answer & { AccountId: string })[] }).Principals;
    const of = (accountId: string, name: string) => answers.find((a) => a.AccountId === accountId && a.Name === name)!;
    // The management account is not subject to SCPs; the member account is, root user and roles alike.
    assert.equal(of(ACCOUNT_ID, 'root').Decision, 'allowed');
    for (const name of ['root', 'OrganizationAccountAccessRole']) {
      const member = of(memberId, name);
      assert.equal(member.Decision, 'denied', name);
      assert.equal(member.EngineDecision, 'ExplicitlyDenied', name);
      assert.deepEqual(
        member.DeniedBy.map((s) => [s.Origin, s.Sid]),
        [['organization', 'NoModifyBilling']],
        name,
      );
    }
    // Without the SCP the role would be allowed: its AdministratorAccess grants the action.
    const view = await signedJsonRequest(
      server.url,
      'ListPrincipalsWithAccess',
      { Action: 'aws-portal:ViewBilling', AccountId: memberId },
      { AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey },
    );
    assert.equal(view.status, 200, view.body);
    const role = (JSON.parse(view.body) as { Principals: Answer[] }).Principals.find(
      (a) => a.Name === 'OrganizationAccountAccessRole',
    )!;
    assert.equal(role.Decision, 'allowed');
    assert.deepEqual(role.AssumableBy, [`arn:aws:iam::${ACCOUNT_ID}:root`]);
  });
});
