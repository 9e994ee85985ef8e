import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serviceModels } from '../models/services/index.js';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import type { EvaluationResult, RequestInput } from '../policy/types.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { AuditTrail, HIDDEN } from '../audit/trail.js';
import { ServiceError } from '../core/errors.js';
import { AccessDeniedError, createInvoke, requestContext } from './invoke.js';
import { OperationRegistry } from './registry.js';
import type { Caller, Operation } from '../core/operation.js';
import type { AccountRule, EdgeFacts } from '../core/access.js';

const ACCOUNT = '123456789012';
const alice: Caller = {
  kind: 'user',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
  userId: 'AIDAEXAMPLEEXAMPLEAA',
  name: 'Alice',
  accessKeyId: 'AKIAEXAMPLEEXAMPLEAA',
};
const clock = new FixedClock('2026-11-27T12:00:00Z');
const facts = (): EdgeFacts => ({
  requestId: 'req-1',
  sourceIp: '10.0.0.1',
  userAgent: 'test',
  now: clock.now(),
  via: 'query',
  region: 'us-east-1',
});

const allowed: EvaluationResult = {
  decision: 'Allowed',
  explanation: 'ok',
  matched: [],
  blockedBy: [],
  missingContextKeys: [],
};
const implicit = (request: RequestInput): EvaluationResult => ({
  decision: 'ImplicitlyDenied',
  explanation: `User: ${request.principal} is not authorized to perform: ${request.action} on resource: ${request.resource} because no identity-based policy allows the ${request.action} action`,
  matched: [],
  blockedBy: ['identity'],
  missingContextKeys: [],
});

const createUser: Operation<unknown> = {
  service: 'iam',
  name: 'CreateUser',
  access: (input) => [{ action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/${String(input.UserName)}` }],
  mutates: true,
  handler: async (input) => ({ User: { UserName: input.UserName } }),
};
const createLoginProfile: Operation<unknown> = {
  service: 'iam',
  name: 'CreateLoginProfile',
  access: () => [{ action: 'iam:CreateLoginProfile', resource: '*' }],
  mutates: true,
  handler: async (input) => ({ LoginProfile: { UserName: input.UserName } }),
};
const whoAmI: Operation<unknown> = {
  service: 'sts',
  name: 'GetCallerIdentity',
  access: { none: 'Every caller may ask who it is.' },
  mutates: false,
  handler: async (_input, ctx) => ({ Arn: ctx.caller.arn }),
};

describe('invoke()', () => {
  let database: OpenedDatabase;
  let audit: AuditTrail;
  const asked: RequestInput[] = [];
  let allow = true;
  const rules: AccountRule[] = [];

  before(async () => {
    database = await openDatabase({ ephemeral: true });
    audit = new AuditTrail(database.db, seededIdSource('audit'), silentLogger);
  });
  after(async () => {
    await database.close();
  });

  const invoke = () =>
    createInvoke({
      registry: new OperationRegistry().register(createUser, createLoginProfile, whoAmI),
      services: {},
      authority: {
        evaluate: async (_caller, request) => {
          asked.push(request);
          return allow ? allowed : implicit(request);
        },
        principalTags: async () => ({ team: 'billing' }),
      },
      audit,
      models: serviceModels,
      logger: silentLogger,
      accountRules: rules,
    });

  it('runs an operation that needs no permission without asking or auditing', async () => {
    const output = await invoke()(alice, facts(), 'sts', 'GetCallerIdentity', {});
    assert.deepEqual(output, { Arn: alice.arn });
    assert.equal(asked.length, 0);
    assert.equal((await audit.lookup(ACCOUNT, {})).events.length, 0);
  });

  it('asks the engine with the global condition keys filled in', async () => {
    await invoke()(alice, facts(), 'iam', 'CreateUser', { UserName: 'Bob' });
    const request = asked.at(-1)!;
    assert.equal(request.action, 'iam:CreateUser');
    assert.equal(request.resource, `arn:aws:iam::${ACCOUNT}:user/Bob`);
    assert.deepEqual(
      { ...request.context },
      {
        'aws:SourceIp': '10.0.0.1',
        'aws:CurrentTime': '2026-11-27T12:00:00Z',
        'aws:EpochTime': '1795780800',
        'aws:userid': alice.userId,
        'aws:username': 'Alice',
        'aws:PrincipalArn': alice.arn,
        'aws:PrincipalAccount': ACCOUNT,
        'aws:PrincipalType': 'User',
        'aws:SecureTransport': 'false',
        'aws:RequestedRegion': 'us-east-1',
        'aws:UserAgent': 'test',
        'aws:PrincipalTag/team': 'billing',
      },
    );
  });

  it('validates input against the model before anything runs', async () => {
    const before = asked.length;
    await assert.rejects(invoke()(alice, facts(), 'iam', 'CreateUser', { UserName: 'no spaces' }), {
      code: 'ValidationError',
    });
    assert.equal(asked.length, before);
  });

  it('refuses with AccessDenied in AWS wording and records the denial', async () => {
    allow = false;
    try {
      await assert.rejects(invoke()(alice, facts(), 'iam', 'CreateUser', { UserName: 'Carol' }), (error: unknown) => {
        assert.ok(error instanceof AccessDeniedError);
        assert.equal(error.status, 403);
        assert.equal(
          error.message,
          `User: ${alice.arn} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/Carol ` +
            'because no identity-based policy allows the iam:CreateUser action',
        );
        return true;
      });
    } finally {
      allow = true;
    }
    const { events } = await audit.lookup(ACCOUNT, { attribute: { key: 'EventName', value: 'CreateUser' } });
    const denial = events.find((e) => e.event.errorCode === 'AccessDenied')!;
    assert.equal(denial.event.decision, 'ImplicitlyDenied');
    assert.equal(denial.event.userIdentity.userName, 'Alice');
    assert.equal(denial.event.sourceIPAddress, '10.0.0.1');
  });

  it('audits state changes with secrets hidden', async () => {
    await invoke()(alice, facts(), 'iam', 'CreateLoginProfile', { UserName: 'Bob', Password: 'S3cret-Passw0rd!' });
    const { events } = await audit.lookup(ACCOUNT, { attribute: { key: 'EventName', value: 'CreateLoginProfile' } });
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.event.requestParameters, { userName: 'Bob', password: HIDDEN });
    assert.equal(events[0]!.event.readOnly, false);
    assert.equal(events[0]!.event.eventTime, '2026-11-27T12:00:00Z');
  });

  it('pages the trail newest first with NextToken', async () => {
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await invoke()(alice, facts(), 'iam', 'CreateUser', { UserName: `Page${i}` });
    }
    const first = await audit.lookup(ACCOUNT, { maxResults: 2 });
    assert.equal(first.events.length, 2);
    assert.ok(first.nextToken);
    assert.deepEqual(
      first.events.map((e) => (e.event.requestParameters as { userName: string }).userName),
      ['Page2', 'Page1'],
    );
    const second = await audit.lookup(ACCOUNT, { maxResults: 2, nextToken: first.nextToken! });
    assert.equal((second.events[0]!.event.requestParameters as { userName: string }).userName, 'Page0');
  });

  it('omits MultiFactorAuthPresent for long-term keys, as AWS does', () => {
    assert.equal(requestContext(alice, facts(), {}, 'us-east-1')['aws:MultiFactorAuthPresent'], undefined);
    const session = { ...alice, accessKeyId: 'ASIAEXAMPLEEXAMPLEAA', mfaAuthenticated: true };
    assert.equal(requestContext(session, facts(), {}, 'us-east-1')['aws:MultiFactorAuthPresent'], 'true');
  });

  it('lets an account rule refuse before IAM policies are consulted', async () => {
    rules.push(async ({ plan }) =>
      plan.requests.some((request) => request.action === 'iam:CreateUser')
        ? { ...plan, refusedByRule: { message: 'IAM access is off for this account.', decision: 'ExplicitlyDenied' } }
        : plan,
    );
    clock.advance(1000);
    try {
      const before = asked.length;
      await assert.rejects(invoke()(alice, facts(), 'iam', 'CreateUser', { UserName: 'Dave' }), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.deepEqual([error.code, error.message], ['AccessDenied', 'IAM access is off for this account.']);
        return true;
      });
      assert.equal(asked.length, before);
    } finally {
      rules.length = 0;
    }
    const { events } = await audit.lookup(ACCOUNT, { attribute: { key: 'EventName', value: 'CreateUser' } });
    assert.equal(events[0]!.event.decision, 'ExplicitlyDenied');
    assert.deepEqual(events[0]!.event.evaluatedActions, ['iam:CreateUser']);
  });

  it('lets an account rule ask other questions and word their refusal', async () => {
    rules.push(async ({ plan }) => ({
      requests: [
        { action: 'aws-portal:ViewBilling', resource: '*' },
        { action: 'aws-portal:ModifyBilling', resource: '*' },
      ],
      refusal: (denied) => `missing ${denied.map((request) => request.action).join(', ')}`,
      ...(plan.refusedByRule === undefined ? {} : { refusedByRule: plan.refusedByRule }),
    }));
    allow = false;
    clock.advance(1000);
    try {
      const before = asked.length;
      await assert.rejects(invoke()(alice, facts(), 'iam', 'CreateUser', { UserName: 'Erin' }), {
        code: 'AccessDenied',
        message: 'missing aws-portal:ViewBilling, aws-portal:ModifyBilling',
      });
      assert.deepEqual(
        asked.slice(before).map((request) => request.action),
        ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling'],
      );
    } finally {
      rules.length = 0;
      allow = true;
    }
    const { events } = await audit.lookup(ACCOUNT, { attribute: { key: 'EventName', value: 'CreateUser' } });
    assert.equal(events[0]!.event.decision, 'ImplicitlyDenied');
    assert.deepEqual(events[0]!.event.evaluatedActions, ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling']);
  });

  it("reports an operation's own refusal once the policies allow the call, and records it", async () => {
    const rootOnly: Operation<unknown> = {
      service: 'billing',
      name: 'UpdateIAMAccessPreference',
      access: (_input, { caller }) => [
        {
          action: 'billing:UpdateIAMAccessPreference',
          resource: '*',
          ...(caller.kind === 'root' ? {} : { refusedAfterPolicies: { message: 'Only the root user may.' } }),
        },
      ],
      mutates: true,
      handler: async () => ({ Done: true }),
    };
    const registry = new OperationRegistry().register(rootOnly);
    const rootCaller: Caller = {
      kind: 'root',
      accountId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      userId: ACCOUNT,
    };
    const withRootOnly = createInvoke({
      registry,
      services: {},
      authority: { evaluate: async (_caller, request) => (allow ? allowed : implicit(request)) },
      audit,
      models: {},
      logger: silentLogger,
    });
    clock.advance(1000);
    await assert.rejects(withRootOnly(alice, facts(), 'billing', 'UpdateIAMAccessPreference', {}), {
      code: 'AccessDenied',
      message: 'Only the root user may.',
    });
    clock.advance(1000);
    assert.deepEqual(await withRootOnly(rootCaller, facts(), 'billing', 'UpdateIAMAccessPreference', {}), {
      Done: true,
    });
    allow = false;
    clock.advance(1000);
    try {
      // The policies speak first: a caller they refuse hears why, not the root-only rule.
      await assert.rejects(withRootOnly(alice, facts(), 'billing', 'UpdateIAMAccessPreference', {}), (e: Error) =>
        e.message.includes('not authorized to perform: billing:UpdateIAMAccessPreference'),
      );
    } finally {
      allow = true;
    }
    const { events } = await audit.lookup(ACCOUNT, {
      attribute: { key: 'EventName', value: 'UpdateIAMAccessPreference' },
    });
    assert.deepEqual(
      events.map((e) => [e.event.userIdentity.type, e.event.decision]),
      [
        ['IAMUser', 'ImplicitlyDenied'],
        ['Root', 'Allowed'],
        ['IAMUser', 'ExplicitlyDenied'],
      ],
    );
  });

  it('refuses to run an access function that asks for nothing (a silent opt-out)', async () => {
    const asksNothing: Operation<unknown> = {
      service: 'iam',
      name: 'ListUsers',
      access: () => [],
      mutates: false,
      handler: async () => ({ Users: [] }),
    };
    const run = createInvoke({
      registry: new OperationRegistry().register(asksNothing),
      services: {},
      authority: { evaluate: async () => allowed },
      audit,
      models: {},
      logger: silentLogger,
    });
    await assert.rejects(run(alice, facts(), 'iam', 'ListUsers', {}), /asked for no access/);
  });
});
