import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serviceModels } from '../api/models/index.js';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import type { EvaluationResult, RequestInput } from '../policy/types.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { AuditTrail, HIDDEN } from './audit.js';
import { ServiceError } from './errors.js';
import { AccessDeniedError, createInvoke, requestContext, type AccountRule, type EdgeFacts } from './invoke.js';
import { OperationRegistry } from './registry.js';
import type { Caller, Operation } from './types.js';

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
  access: () => null,
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

  it('lets an account rule refuse before IAM policies are consulted', async () => {
    rules.push(async ({ request }) =>
      request.action === 'iam:CreateUser'
        ? { message: 'IAM access is off for this account.', decision: 'ExplicitlyDenied' }
        : null,
    );
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
});
