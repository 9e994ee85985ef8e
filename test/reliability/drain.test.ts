/**
 * Graceful shutdown: close() answers the request in flight (with `Connection: close`), refuses a request it
 * had not started in the protocol's own error shape (Query XML `ServiceUnavailable`, 503, which the SDKs
 * retry), accepts no new connection, and ends by the drain time even when a request never finishes.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import type { Logger } from '../../src/platform/logger.js';
import { createServer, type BursarServer } from '../../src/server/create-server.js';
import { signRequest } from '../sigv4/sign-request.js';
import type { AccountRule } from '../../src/core/access.js';

const KEY = { accessKeyId: 'AKIADRAINTESTKEY2345', secretAccessKey: 'drain-test-secret' };

/** A call that waits in invoke() until released, so it is in flight when the server stops. */
function holdingRule(operationName: string) {
  let release!: () => void;
  let entered!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (entered = resolve));
  const rule: AccountRule = async ({ operation, plan }) => {
    if (operation.name === operationName) {
      entered();
      await released;
    }
    return plan;
  };
  return { rule, release, reached };
}

async function start(rule: AccountRule, drainMs: number, logger?: Logger): Promise<BursarServer> {
  return createServer({
    ...(logger === undefined ? {} : { logger }),
    ephemeral: true,
    passwordHashCost: 1024,
    accountRules: [rule],
    drainMs,
    bootstrap: { accountId: '444455556666', ...KEY },
  });
}

/** A signed Query request's bytes, split where the body starts so a test can send it in two parts. */
async function rawQueryRequest(server: BursarServer, action: string): Promise<{ head: string; body: string }> {
  const host = `127.0.0.1:${server.port}`;
  const body = `Action=${action}&Version=2010-05-08`;
  const signed = await signRequest(
    { host, body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } },
    KEY,
    { at: new Date() },
  );
  const headers = signed.headers.map(([name, value]) => `${name}: ${value}`).join('\r\n');
  return {
    head: `POST / HTTP/1.1\r\n${headers}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n`,
    body,
  };
}

function open(server: BursarServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
}

describe('graceful shutdown', () => {
  test('in flight answered with Connection: close, not started refused as ServiceUnavailable, no new connections', async () => {
    const hold = holdingRule('ListRoles');
    const server = await start(hold.rule, 10_000);
    const inFlight = await open(server);
    const inFlightAnswer = untilClosed(inFlight);
    const listRoles = await rawQueryRequest(server, 'ListRoles');
    inFlight.write(listRoles.head + listRoles.body);
    await hold.reached;

    // Half a request on a kept-alive connection: received, not yet started, when the server stops.
    const late = await open(server);
    const lateAnswer = untilClosed(late);
    const listUsers = await rawQueryRequest(server, 'ListUsers');
    late.write(listUsers.head);

    const closed = server.close();
    late.write(listUsers.body);
    const refused = await lateAnswer;
    assert.match(refused, /^HTTP\/1\.1 503 /);
    assert.match(refused, /\r\nconnection: close\r\n/i);
    assert.match(refused, /<Code>ServiceUnavailable<\/Code>/);
    assert.match(refused, /<Type>Receiver<\/Type>/);

    await assert.rejects(open(server), { code: 'ECONNREFUSED' });

    hold.release();
    const answered = await inFlightAnswer;
    assert.match(answered, /^HTTP\/1\.1 200 /);
    assert.match(answered, /\r\nconnection: close\r\n/i);
    assert.match(answered, /<ListRolesResponse/);
    await closed;
  });

  test(
    'a request that outlives the drain time does not keep the server from stopping',
    { timeout: 20_000 },
    async () => {
      const hold = holdingRule('ListRoles');
      const server = await start(hold.rule, 200);
      const stuck = await open(server);
      const stuckAnswer = untilClosed(stuck);
      const listRoles = await rawQueryRequest(server, 'ListRoles');
      stuck.write(listRoles.head + listRoles.body);
      await hold.reached;
      await server.close();
      assert.equal(await stuckAnswer, '', 'the connection is closed without an answer');
      hold.release();
    },
  );

  test('a call whose client went away finishes before the store closes', async () => {
    const hold = holdingRule('ListRoles');
    const logged: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message) => logged.push(message) };
    const server = await start(hold.rule, 10_000, logger);
    const gone = await open(server);
    const listRoles = await rawQueryRequest(server, 'ListRoles');
    gone.write(listRoles.head + listRoles.body);
    await hold.reached;
    gone.destroy();
    const closed = server.close();
    // Released once the server has no connection left, so only the running call keeps the store open.
    while ((await new Promise<number>((resolve) => server.app.server.getConnections((_e, n) => resolve(n)))) > 0)
      await new Promise((resolve) => setImmediate(resolve));
    hold.release();
    await closed;
    assert.deepEqual(logged, []);
  });
});
