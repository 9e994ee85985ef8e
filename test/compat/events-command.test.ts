/** `bursar events` over a running server (signed LookupEvents) and straight from the store. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateAccessKeyCommand, CreateUserCommand, DeleteUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { CloudTrailEvent } from '../../src/audit/trail.js';
import { createServer, type BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, ROOT_KEY } from './harness.js';

const run = promisify(execFile);

async function events(args: string[]): Promise<CloudTrailEvent[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'events', '--json', ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey },
  });
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CloudTrailEvent);
}

describe('bursar events', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bursar-events-'));
  let server: BursarServer;

  before(async () => {
    server = await createServer({
      dataDir,
      port: 0,
      passwordHashCost: 1024,
      bootstrap: { accountId: ACCOUNT_ID, ...ROOT_KEY },
    });
    const root = new IAMClient(clientConfig(server));
    await root.send(new CreateUserCommand({ UserName: 'Intruder' }));
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'Intruder' }));
    const intruder = new IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await assert.rejects(intruder.send(new DeleteUserCommand({ UserName: 'Intruder' })), { name: 'AccessDenied' });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('--endpoint: asks the server with a signed LookupEvents and filters denials', async () => {
    const denied = await events(['--endpoint', server.url, '--denied']);
    assert.deepEqual(
      denied.map((e) => [e.eventName, e.errorCode, e.userIdentity.userName]),
      [['DeleteUser', 'AccessDenied', 'Intruder']],
    );
    const all = await events(['--endpoint', server.url, '--since', '1h']);
    assert.deepEqual(
      all.map((e) => e.eventName),
      ['DeleteUser', 'CreateAccessKey', 'CreateUser'],
    );
  });

  it('--data-dir: reads the store directly', async () => {
    await server.close();
    const byUser = await events(['--data-dir', dataDir, '--user', 'root']);
    assert.deepEqual(
      byUser.map((e) => e.eventName),
      ['CreateAccessKey', 'CreateUser'],
    );
    assert.ok(byUser.every((e) => e.userIdentity.type === 'Root' && e.decision === 'Allowed'));
  });
});
