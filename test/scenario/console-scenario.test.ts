/**
 * The console's Export and Import scenario, through the console's one endpoint as a signed-in browser calls
 * it: `bursar:PlanScenario` previews, `bursar:ApplyScenario` applies each step as the signed-in caller (so a
 * user gets nothing their own policies do not allow: a refused step stops the apply, and what ran is said),
 * `bursar:ExportScenario` downloads the account. An uploaded file with errors gets them with line and column
 * and changes nothing; it may name no server file.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { CSRF_HEADER } from '../../src/console/routes.js';
import { systemClock } from '../../src/platform/clock.js';
import { exportState } from '../../src/scenario/export.js';
import { readState } from '../../src/scenario/state.js';
import { clientsFor } from '../../src/scenario/target.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_EMAIL, ROOT_KEY, ROOT_PASSWORD, startServer } from '../compat/harness.js';

type Json = Record<string, unknown>;

/** A browser's session: its cookies and the CSRF token the console's page sends back in a header. */
class Session {
  private cookies = new Map<string, string>();
  private csrf: string | undefined;
  constructor(private readonly server: BursarServer) {}

  async request(url: string, payload?: unknown): Promise<{ status: number; body: Json }> {
    const csrf = this.csrf;
    const response = await this.server.app.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(csrf === undefined ? {} : { [CSRF_HEADER]: csrf }),
      },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    for (const c of response.cookies) this.cookies.set(c.name, c.value);
    const body = response.body === '' ? {} : (JSON.parse(response.body) as Json);
    if (typeof body.csrfToken === 'string') this.csrf = body.csrfToken;
    return { status: response.statusCode, body };
  }

  call(operation: string, input: Json) {
    return this.request('/console/api/call', { service: 'bursar', operation, input });
  }
}

async function signIn(server: BursarServer, as: { root: true } | { userName: string; password: string }) {
  const session = new Session(server);
  await session.request('/console/api/session');
  const signedIn =
    'root' in as
      ? await session.request('/console/api/signin/root', { email: ROOT_EMAIL, password: ROOT_PASSWORD })
      : await session.request('/console/api/signin/iam', { account: ACCOUNT_ID, ...as });
  assert.equal(signedIn.body.state, 'active', JSON.stringify(signedIn.body));
  return session;
}

describe('console Export and Import scenario', () => {
  let server: BursarServer;
  let root: Session;
  const iam = () => new I.IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY });
  before(async () => {
    server = await startServer({ clock: systemClock });
    root = await signIn(server, { root: true });
  });
  after(() => server?.close());

  it('previews, applies and exports the seed tutorial as root', async () => {
    const content = await readFile('examples/seed-tutorial.yaml', 'utf8');
    const plan = await root.call('PlanScenario', { Content: content, FileName: 'seed-tutorial.yaml' });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    const changes = plan.body.Changes as string[];
    assert.equal(changes.length, 13);
    assert.equal(changes[0], '~ billing: IAM user and role access to Billing information ALLOW');
    assert.ok(changes.includes('+ user FinanceManager'));
    // A preview changes nothing.
    assert.deepEqual((await iam().send(new I.ListUsersCommand({}))).Users, []);

    const applied = await root.call('ApplyScenario', { Content: content, FileName: 'seed-tutorial.yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(applied.body.Applied, changes);
    assert.equal(applied.body.Failure, undefined);
    // The seed's passwords are its own: none generated.
    assert.deepEqual(applied.body.Passwords, []);
    const again = await root.call('PlanScenario', { Content: content });
    assert.deepEqual(again.body.Changes, []);

    // The download is the CLI's export of the same account.
    const clients = clientsFor({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY });
    const state = await readState(clients);
    for (const [input, expected, fileName] of [
      [{ Format: 'scenario', Yaml: true }, exportState(state, 'scenario', { yaml: true }), 'scenario.yaml'],
      [{}, exportState(state, 'scenario'), 'scenario.json'],
      [{ Format: 'terraform' }, exportState(state, 'terraform'), 'scenario.tf'],
      [{ Format: 'cloudformation' }, exportState(state, 'cloudformation'), 'template.json'],
      [{ Format: 'cli' }, exportState(state, 'cli'), 'recreate.sh'],
    ] as const) {
      const exported = await root.call('ExportScenario', input);
      assert.equal(exported.status, 200, JSON.stringify(exported.body));
      assert.equal(exported.body.Content, expected);
      assert.equal(exported.body.FileName, fileName);
    }
  });

  it('applies as the signed-in user: a step their policies refuse stops the apply, and says which ran', async () => {
    // FinanceManager (the seed's, applied above) may read IAM (ReadOnlyAccess) and create groups, nothing else.
    await iam().send(
      new I.AttachUserPolicyCommand({
        UserName: 'FinanceManager',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await iam().send(
      new I.PutUserPolicyCommand({
        UserName: 'FinanceManager',
        PolicyName: 'CreateGroups',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:CreateGroup', Resource: '*' }],
        }),
      }),
    );
    const manager = await signIn(server, { userName: 'FinanceManager', password: 'Finance-Manager-Passw0rd!' });
    const content = JSON.stringify({
      version: 1,
      groups: [{ name: 'Auditors' }],
      users: [{ name: 'Intruder', groups: ['Auditors'] }],
    });
    const plan = await manager.call('PlanScenario', { Content: content });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    assert.deepEqual(plan.body.Changes, [
      '+ group Auditors',
      '+ user Intruder',
      '~ user Intruder: add to group Auditors',
    ]);
    const applied = await manager.call('ApplyScenario', { Content: content });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(applied.body.Applied, ['+ group Auditors']);
    assert.match(
      String(applied.body.Failure),
      /^\+ user Intruder: AccessDenied: User: arn:aws:iam::111122223333:user\/FinanceManager is not authorized to perform: iam:CreateUser/,
    );
    await assert.rejects(iam().send(new I.GetUserCommand({ UserName: 'Intruder' })), { name: 'NoSuchEntityException' });
    assert.equal((await iam().send(new I.GetGroupCommand({ GroupName: 'Auditors' }))).Group?.GroupName, 'Auditors');

    // FinanceUser may not read the account at all: every scenario operation is refused up front.
    const user = await signIn(server, { userName: 'FinanceUser', password: 'Finance-User-Passw0rd!' });
    for (const [operation, input] of [
      ['ExportScenario', {}],
      ['PlanScenario', { Content: content }],
      ['ApplyScenario', { Content: content }],
    ] as const) {
      const refused = await user.call(operation, input);
      assert.equal(refused.status, 403, operation);
      assert.match(String(refused.body.message), /not authorized to perform: iam:GetAccountAuthorizationDetails/);
    }
  });

  it('refuses an invalid upload with line and column, and one naming server files, changing nothing', async () => {
    const before = await readState(clientsFor({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY }));
    const cases: [string, Json[]][] = [
      [
        'version: 1\nusers:\n  - name: Bad Name!\n',
        [{ Line: 3, Column: 11, Path: '/users/0/name', Message: '"Bad Name!" does not match ^[\\w+=,.@-]{1,128}$' }],
      ],
      ['{ "version": 1,, }', [{ Line: 1, Column: 16, Path: '', Message: 'expected a member name in double quotes' }]],
      [
        'version: 1\npolicies:\n  - name: P\n    file: /etc/passwd\n',
        [
          {
            Line: 4,
            Column: 11,
            Path: '/policies/0/file',
            Message: 'a scenario uploaded to the console reads no files: give the document inline',
          },
        ],
      ],
      [
        'version: 1\ncostData:\n  files: [../../data/costs.csv]\n',
        [
          {
            Line: 3,
            Column: 11,
            Path: '/costData/files/0',
            Message: 'a scenario uploaded to the console reads no files: import them with `bursar scenario apply`',
          },
        ],
      ],
    ];
    for (const [content, errors] of cases) {
      for (const operation of ['PlanScenario', 'ApplyScenario']) {
        const result = await root.call(operation, { Content: content });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        assert.deepEqual(result.body.Errors, errors, content);
        assert.deepEqual(result.body.Changes, []);
      }
    }
    const empty = await root.call('ApplyScenario', { Content: '' });
    assert.equal(empty.status, 400);
    assert.equal(
      empty.body.message,
      "1 validation error detected: Value '' at 'content' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    assert.deepEqual(
      await readState(clientsFor({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY })),
      before,
    );
  });
});
