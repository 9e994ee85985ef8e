/** The wire itself, with hand-made requests: envelopes, routing by credential scope, presigned URLs, reset. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CostEngine } from '../../src/billing/costs/cost-engine.js';
import { FixedClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { presignRequest, signRequest, type RequestToSign } from '../sigv4/sign-request.js';
import { testNow } from '../test-clock.js';
import { ACCOUNT_ID, ROOT_KEY, startServer } from './harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('the API wire', () => {
  let server: BursarServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  async function send(input: RequestToSign, options: { service?: string; at?: Date } = {}): Promise<Response> {
    const host = new URL(server.url).host;
    const signed = await signRequest({ ...input, host }, ROOT_KEY, {
      service: options.service,
      at: options.at ?? testNow(),
    });
    const query = signed.query === '' ? '' : `?${signed.query}`;
    return fetch(`${server.url}${signed.path}${query}`, {
      method: signed.method,
      headers: Object.fromEntries(signed.headers.filter(([name]) => name !== 'host')),
      ...(signed.body === undefined ? {} : { body: signed.body }),
    });
  }

  it('serves the unauthenticated health route', async () => {
    const response = await fetch(`${server.url}/_bursar/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it("dates every answer by the server's clock, the one SigV4's skew is measured against", async () => {
    const ahead = await startServer({ clock: new FixedClock('2027-12-07T10:00:00Z') });
    try {
      for (const response of [
        await fetch(`${ahead.url}/_bursar/health`),
        await fetch(`${ahead.url}/`, { method: 'POST', headers: FORM, body: 'Action=ListUsers&Version=2010-05-08' }),
      ]) {
        assert.equal(response.headers.get('date'), 'Tue, 07 Dec 2027 10:00:00 GMT');
      }
    } finally {
      await ahead.close();
    }
  });

  it('answers an unsigned Query call with MissingAuthenticationToken in the XML envelope', async () => {
    const response = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: FORM,
      body: 'Action=ListUsers&Version=2010-05-08',
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('content-type'), 'text/xml');
    const requestId = response.headers.get('x-amzn-requestid')!;
    assert.equal(
      await response.text(),
      '<ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>' +
        `<Message>Request is missing Authentication Token</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  });

  it('refuses a forged Authorization header with an empty or unprovable signature (the root key id, no secret)', async () => {
    const amzDate = testNow()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
    const credential = `${ROOT_KEY.accessKeyId}/${amzDate.slice(0, 8)}/us-east-1/iam/aws4_request`;
    const forgeries: Array<[string, string, number, string]> = [
      ['host;x-not-sent', '', 403, 'SignatureDoesNotMatch'],
      ['host;host', '', 403, 'SignatureDoesNotMatch'],
      ['host;x-amz-date', '', 403, 'SignatureDoesNotMatch'],
      ['host;x-amz-date', 'a'.repeat(63), 403, 'SignatureDoesNotMatch'],
      ['x-not-sent', '', 400, 'IncompleteSignature'],
    ];
    for (const [signedHeaders, signature, status, code] of forgeries) {
      const response = await fetch(`${server.url}/`, {
        method: 'POST',
        headers: {
          ...FORM,
          'x-amz-date': amzDate,
          authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
        },
        body: 'Action=CreateUser&Version=2010-05-08&UserName=forged',
      });
      assert.equal(response.status, status, `SignedHeaders=${signedHeaders} Signature=${signature}`);
      assert.match(await response.text(), new RegExp(`<Code>${code}</Code>`));
    }
    const users = await send({ body: 'Action=ListUsers&Version=2010-05-08', headers: FORM });
    assert.doesNotMatch(await users.text(), /forged/);
  });

  it('answers an unknown action with InvalidAction', async () => {
    const response = await send({ body: 'Action=Frobnicate&Version=2010-05-08', headers: FORM });
    assert.equal(response.status, 400);
    assert.match(
      await response.text(),
      /<Code>InvalidAction<\/Code><Message>Could not find operation Frobnicate for version 2010-05-08<\/Message>/,
    );
  });

  it('routes by the credential scope: an STS-scoped call gets the STS namespace', async () => {
    const response = await send(
      { body: 'Action=GetCallerIdentity&Version=2011-06-15', headers: FORM },
      { service: 'sts' },
    );
    assert.equal(response.status, 200);
    const xml = await response.text();
    assert.match(
      xml,
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/,
    );
    assert.match(xml, new RegExp(`<Account>${ACCOUNT_ID}</Account>`));
  });

  it('answers JSON 1.1 errors with __type and x-amzn-ErrorType', async () => {
    const response = await send(
      {
        body: '{}',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSOrganizationsV20161128.Frobnicate',
        },
      },
      { service: 'organizations' },
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'UnknownOperationException');
    assert.deepEqual(await response.json(), {
      __type: 'UnknownOperationException',
      message: 'Unknown operation AWSOrganizationsV20161128.Frobnicate',
    });
  });

  it('refuses a request signed 20 minutes ago with RequestTimeTooSkewed', async () => {
    const response = await send(
      { body: 'Action=ListUsers&Version=2010-05-08', headers: FORM },
      { at: new Date(testNow().getTime() - 20 * 60_000) },
    );
    assert.equal(response.status, 403);
    assert.match(await response.text(), /<Code>RequestTimeTooSkewed<\/Code><Message>Signature expired: /);
  });

  it('accepts a presigned GET (the query-string form)', async () => {
    const host = new URL(server.url).host;
    const presigned = await presignRequest(
      { method: 'GET', host, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } },
      ROOT_KEY,
      { at: testNow(), expiresIn: 300 },
    );
    const response = await fetch(`${server.url}/?${presigned.query}`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<Arn>arn:aws:iam::111122223333:root<\/Arn>/);
  });

  it('POST /_bursar/reset restores the bootstrap state (ephemeral mode), closing the old cost engine', async (t) => {
    const created = await send({ body: 'Action=CreateUser&Version=2010-05-08&UserName=Temporary', headers: FORM });
    assert.equal(created.status, 200);
    const closed = t.mock.method(CostEngine.prototype, 'close');
    const reset = await fetch(`${server.url}/_bursar/reset`, { method: 'POST' });
    assert.deepEqual(await reset.json(), { status: 'reset', accountId: ACCOUNT_ID });
    assert.equal(closed.mock.callCount(), 1, "the old world's cost engine is closed");
    const listed = await send({ body: 'Action=ListUsers&Version=2010-05-08', headers: FORM });
    assert.equal(listed.status, 200, 'the bootstrap root key works after the reset');
    assert.doesNotMatch(await listed.text(), /Temporary/);
  });
});
