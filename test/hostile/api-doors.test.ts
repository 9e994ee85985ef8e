/**
 * Hostile requests at the API doors (issue 9): each case here once cost the server seconds, a 500 or an
 * answer outside the protocol's error shape. Time bounds are generous upper bounds for DoS regressions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Caller } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import {
  CreatePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  IAMClient,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT_ID, ROOT_KEY, clientConfig, startServer } from '../compat/harness.js';
import { signRequest } from '../sigv4/sign-request.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const JSON11 = 'application/x-amz-json-1.1';

describe('hostile input at the API doors', () => {
  let server: BursarServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  async function signed(
    body: string,
    headers: Record<string, string>,
    options: { service?: string; method?: string; path?: string } = {},
  ): Promise<RequestInit & { url: string }> {
    const host = new URL(server.url).host;
    const request = await signRequest(
      { body, headers, host, method: options.method ?? 'POST', path: options.path ?? '/' },
      ROOT_KEY,
      { service: options.service ?? 'iam', at: new Date() },
    );
    return {
      url: `${server.url}${request.path}`,
      method: request.method,
      headers: Object.fromEntries(request.headers.filter(([name]) => name !== 'host')),
      body,
    };
  }

  // No timing is asserted here: these bodies guard against work that grows with hostile input, and a loaded
  // CI machine makes any time limit flaky; `npm run fuzz` reports the latencies.
  async function send(url: string, init: RequestInit): Promise<{ response: Response; text: string }> {
    const response = await fetch(url, init);
    return { response, text: await response.text() };
  }

  it('never writes a character XML cannot carry: a stored control character comes back as U+FFFD', async () => {
    const iam = new IAMClient(clientConfig(server));
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'control-characters',
        Description: 'a\u0001b\u0000c\uFFFEd',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
        }),
      }),
    );
    // The SDK parses the XML: an ill-formed answer would throw here, and did.
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn! }));
    assert.equal(got.Policy!.Description, 'a\uFFFDb\uFFFDc\uFFFDd');
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }));
    assert.ok(details.Policies!.some((p) => p.PolicyName === 'control-characters'));
    // An error message that quotes such a value is well-formed too.
    await assert.rejects(
      iam.send(new TagUserCommand({ UserName: 'nobody-\u0001', Tags: [{ Key: 'k', Value: 'v' }] })),
      (e: Error) => e.name === 'ValidationError' || e.name === 'NoSuchEntity',
    );
  });

  it('refuses a signed form with 100,000 structure list members before decoding it', async () => {
    const parts = ['Action=SimulateCustomPolicy', 'Version=2010-05-08'];
    for (let i = 1; i <= 100_000; i += 1) parts.push(`ContextEntries.member.${i}.ContextKeyName=aws:k${i}`);
    const { url, ...init } = await signed(parts.join('&'), FORM);
    const { response, text } = await send(url, init);
    assert.equal(response.status, 413);
    assert.match(
      text,
      /<Code>RequestEntityTooLarge<\/Code><Message>Request size \d+ exceeded 1048576 bytes<\/Message>/,
    );
  });

  it('decodes 3,000 structure list members (decoding was quadratic; the fuzz run reports latencies)', async () => {
    const parts = [
      'Action=SimulateCustomPolicy',
      'Version=2010-05-08',
      `PolicyInputList.member.1=${encodeURIComponent('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')}`,
      'ActionNames.member.1=iam:ListUsers',
    ];
    for (let i = 1; i <= 3000; i += 1) {
      parts.push(
        `ContextEntries.member.${i}.ContextKeyName=aws:k${i}`,
        `ContextEntries.member.${i}.ContextKeyType=string`,
        `ContextEntries.member.${i}.ContextKeyValues.member.1=v`,
      );
    }
    const { url, ...init } = await signed(parts.join('&'), FORM);
    const { response, text } = await send(url, init);
    assert.equal(response.status, 200, text.slice(0, 300));
    assert.match(text, /<EvalDecision>allowed<\/EvalDecision>/);
  });

  it('refuses more than 10,000 form parameters before decoding any', async () => {
    const parts = ['Action=ListUsers', 'Version=2010-05-08'];
    for (let i = 0; i < 10_000; i += 1) parts.push(`p${i}=x`);
    const { url, ...init } = await signed(parts.join('&'), FORM);
    const { response, text } = await send(url, init);
    assert.equal(response.status, 400);
    assert.match(
      text,
      /<Code>MalformedQueryString<\/Code><Message>The request has more than 10000 parameters.<\/Message>/,
    );
  });

  it('answers an unsigned 9.8 MB form of a million parameters without decoding it', async () => {
    const body = `Action=ListUsers&Version=2010-05-08&${Array.from({ length: 1_000_000 }, (_, i) => `p${i}=x`).join('&')}`;
    const { response, text } = await send(`${server.url}/`, { method: 'POST', headers: FORM, body });
    assert.equal(response.status, 413);
    assert.match(text, /^<ErrorResponse><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/);
  });

  it('answers a credential scope naming an Object.prototype member as a service it does not serve', async () => {
    for (const service of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const { url, ...init } = await signed('Action=ListUsers&Version=2010-05-08', FORM, { service });
      const { response, text } = await send(url, init);
      assert.equal(response.status, 400, service);
      assert.match(text, /<Code>InvalidAction<\/Code><Message>Bursar does not serve the service/, service);
    }
  });

  it('answers actions and targets named after Object.prototype members as unknown operations', async () => {
    for (const action of ['constructor', '__proto__', 'toString']) {
      const { url, ...init } = await signed(`Action=${action}&Version=2010-05-08`, FORM);
      const { response, text } = await send(url, init);
      assert.equal(response.status, 400);
      assert.match(text, new RegExp(`<Code>InvalidAction</Code><Message>Could not find operation ${action} for`));
    }
    const { url, ...init } = await signed(
      '{}',
      { 'content-type': JSON11, 'x-amz-target': 'AWSOrganizationsV20161128.constructor' },
      { service: 'organizations' },
    );
    const { response, text } = await send(url, init);
    assert.equal(response.status, 400);
    assert.equal(JSON.parse(text).__type, 'UnknownOperationException');
  });

  it("answers the console's call naming an Object.prototype member as a service as an unknown operation", async () => {
    const root: Caller = {
      kind: 'root',
      accountId: ACCOUNT_ID,
      arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
      userId: ACCOUNT_ID,
    };
    const facts = {
      requestId: 'test',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      now: new Date(),
      via: 'console' as const,
    };
    for (const service of ['__proto__', 'constructor', 'toString']) {
      await assert.rejects(server.world().invoke(root, facts, service, 'ListUsers', {}), {
        code: 'InvalidAction',
        message: `Could not find operation ListUsers for version ${service}`,
      });
    }
  });

  it('refuses 10,000-deep nesting with SerializationException, not a stack overflow', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const body = `{"AccountId":"${ACCOUNT_ID}","Budget":{"BudgetName":${deep},"TimeUnit":"MONTHLY","BudgetType":"COST"},"NotificationsWithSubscribers":[{"Subscribers":${deep}}]}`;
    const { url, ...init } = await signed(
      body,
      { 'content-type': JSON11, 'x-amz-target': 'AWSBudgetServiceGateway.CreateBudget' },
      { service: 'budgets' },
    );
    const { response, text } = await send(url, init);
    assert.equal(response.status, 400, text);
    assert.equal(response.headers.get('x-amzn-errortype'), 'SerializationException');
    assert.match(JSON.parse(text).message, /deeper than 64 levels/);
  });

  it('names a value of the wrong type without calling anything on it', async () => {
    const body = `{"AccountId":{"toString":1},"Budget":[1,[2]]}`;
    const { url, ...init } = await signed(
      body,
      { 'content-type': JSON11, 'x-amz-target': 'AWSBudgetServiceGateway.CreateBudget' },
      { service: 'budgets' },
    );
    const { response, text } = await send(url, init);
    assert.equal(response.status, 400, text);
    assert.equal(
      JSON.parse(text).message,
      "2 validation errors detected: Value '{toString: 1}' at 'accountId' failed to satisfy constraint: Member must be a string; " +
        "Value '[1, [2]]' at 'budget' failed to satisfy constraint: Member must be a structure",
    );
  });

  it('shows at most 1,024 characters of a value in a validation error', async () => {
    const { url, ...init } = await signed(`Action=CreateUser&Version=2010-05-08&UserName=${'a'.repeat(500_000)}`, FORM);
    const { response, text } = await send(url, init);
    assert.equal(response.status, 400);
    assert.ok(text.length < 2000, `${text.length} characters`);
    assert.match(
      text,
      new RegExp(
        `Value &apos;a{1024}\\.\\.\\.&apos; at &apos;userName&apos; failed to satisfy constraint: Member must have length less than or equal to 64`,
      ),
    );
  });

  it('refuses a 70,000-character report id by validation instead of echoing it as not found', async () => {
    const { url, ...init } = await signed(
      JSON.stringify({ ReportId: 'a'.repeat(70_000) }),
      { 'content-type': JSON11, 'x-amz-target': 'BursarService.DeleteCostReport' },
      { service: 'bursar' },
    );
    const { response, text } = await send(url, init);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.match(JSON.parse(text).message, /Member must have length less than or equal to 64$/);
    assert.ok(text.length < 2000, `${text.length} characters`);
  });

  it("answers what Fastify would have answered itself in the protocol's error shape", async () => {
    const unsignedPut = await send(`${server.url}/`, { method: 'PUT', body: 'x' });
    assert.equal(unsignedPut.response.status, 403);
    assert.match(
      unsignedPut.text,
      /^<ErrorResponse><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
    );

    const { url, ...init } = await signed(
      '{}',
      { 'content-type': 'application/json' },
      {
        service: 'account',
        method: 'PUT',
        path: '/no-such-operation',
      },
    );
    const unknownRest = await send(url, init);
    assert.equal(unknownRest.response.status, 404);
    assert.equal(unknownRest.response.headers.get('x-amzn-errortype'), 'UnknownOperationException');

    const tooLarge = await send(`${server.url}/`, {
      method: 'POST',
      headers: FORM,
      body: 'x'.repeat(11 * 1024 * 1024),
    });
    assert.equal(tooLarge.response.status, 413);
    assert.match(
      tooLarge.text,
      /<Code>RequestEntityTooLarge<\/Code><Message>Request size 11534336 exceeded 10485760 bytes/,
    );

    const badUrl = await send(`${server.url}/%`, {});
    assert.equal(badUrl.response.status, 400);
    assert.match(badUrl.text, /^<ErrorResponse><Error><Type>Sender<\/Type><Code>MalformedHttpRequest<\/Code>/);

    const jsonTooLarge = await signed(
      JSON.stringify({ Name: 'x'.repeat(1024 * 1024) }),
      { 'content-type': JSON11, 'x-amz-target': 'AWSOrganizationsV20161128.CreateOrganizationalUnit' },
      { service: 'organizations' },
    );
    const refusedJson = await send(jsonTooLarge.url, jsonTooLarge);
    assert.equal(refusedJson.response.status, 413);
    assert.equal(refusedJson.response.headers.get('x-amzn-errortype'), 'RequestEntityTooLarge');
    assert.match(JSON.parse(refusedJson.text).message, /exceeded 1048576 bytes/);

    const consolePath = await send(`${server.url}/console/api/no-such-route`, {});
    assert.equal(consolePath.response.status, 404);
    assert.deepEqual(JSON.parse(consolePath.text), { code: 'NotFound', message: 'No such console resource.' });
  });

  it('answers StringLike *a…a b against an 80,000-character value in well under the seconds it took', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:k': `*${'a'.repeat(40_000)} b` } },
      },
    });
    const body = new URLSearchParams({
      Action: 'SimulateCustomPolicy',
      Version: '2010-05-08',
      'PolicyInputList.member.1': policy,
      'ActionNames.member.1': 'iam:ListUsers',
      'ContextEntries.member.1.ContextKeyName': 'aws:k',
      'ContextEntries.member.1.ContextKeyType': 'string',
      'ContextEntries.member.1.ContextKeyValues.member.1': 'a'.repeat(80_000),
    }).toString();
    const { url, ...init } = await signed(body, FORM);
    const { response, text } = await send(url, init);
    assert.equal(response.status, 200, text.slice(0, 300));
    assert.match(text, /<EvalDecision>implicitDeny<\/EvalDecision>/);
  });

  describe('bursar:ValidatePolicyDocument', () => {
    const facts = () => ({
      requestId: 'test',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      now: new Date(),
      via: 'console' as const,
    });
    const policy = (action: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

    it('asks for access-analyzer:ValidatePolicy', async () => {
      const { url, ...init } = await signed('Action=CreateUser&Version=2010-05-08&UserName=NoPolicies', FORM);
      const created = await send(url, init);
      const userId = /<UserId>([^<]+)<\/UserId>/.exec(created.text)![1]!;
      const caller: Caller = {
        kind: 'user',
        accountId: ACCOUNT_ID,
        arn: `arn:aws:iam::${ACCOUNT_ID}:user/NoPolicies`,
        userId,
        name: 'NoPolicies',
      };
      await assert.rejects(
        server.world().invoke(caller, facts(), 'bursar', 'ValidatePolicyDocument', { PolicyDocument: policy('s3:*') }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'AccessDenied');
          assert.match(error.message, /not authorized to perform: access-analyzer:ValidatePolicy on resource: \*/);
          return true;
        },
      );
    });

    it('answers a 120,000-character wildcard action with a size finding', async () => {
      const root: Caller = {
        kind: 'root',
        accountId: ACCOUNT_ID,
        arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
        userId: ACCOUNT_ID,
      };
      const output = (await server.world().invoke(root, facts(), 'bursar', 'ValidatePolicyDocument', {
        PolicyDocument: policy(`*${'a'.repeat(120_000)}*`),
      })) as {
        Findings: Array<{ IssueCode: string }>;
      };
      assert.ok(output.Findings.some((f) => f.IssueCode === 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA'));
    });
  });
});
