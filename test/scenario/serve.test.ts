/**
 * `bursar serve --ephemeral --scenario FILE`, as a CI job starts it (with a YAML file, as the README's snippet): the server comes up with the scenario
 * applied, and `POST /_bursar/reset` returns to exactly that state; an invalid scenario stops it from starting.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { runExpectations } from '../../src/scenario/expectations.js';
import { exportScenario } from '../../src/scenario/export.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { readState } from '../../src/scenario/state.js';
import { clientsFor } from '../../src/scenario/target.js';
import { ROOT_KEY } from '../compat/harness.js';

const ENV = {
  ...process.env,
  BURSAR_BOOTSTRAP_ACCOUNT_ID: '111122223333',
  BURSAR_BOOTSTRAP_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
  BURSAR_BOOTSTRAP_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
  BURSAR_LOG_LEVEL: 'error',
};

function serve(...args: string[]): { child: ChildProcess; output: Promise<string>; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /Bursar listening on (http:\/\/\S+)/.exec(text);
      if (found) resolve(found[1]!);
    });
    child.once('exit', () => reject(new Error(`bursar serve exited:\n${text}`)));
  });
  // A server that never listens is what one test expects: its output says why.
  url.catch(() => {});
  const output = new Promise<string>((resolve) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => resolve(`${code}\n${text}${err}`));
  });
  return { child, output, url };
}

describe('bursar serve --ephemeral --scenario', () => {
  let server: ReturnType<typeof serve>;
  let url: string;
  before(async () => {
    server = serve('--ephemeral', '--scenario', 'examples/seed-tutorial.yaml');
    url = await server.url;
  });
  after(async () => {
    server?.child.kill('SIGTERM');
    await server?.output;
  });

  it('starts with the scenario applied, and a reset returns to it', async () => {
    const clients = clientsFor({ endpoint: url, region: 'us-east-1', credentials: ROOT_KEY });
    const applied = exportScenario((await readState(clients)).scenario);
    assert.match(applied, /"FinanceManager"/);
    const seed = await loadScenario('examples/seed-tutorial.json');
    assert.ok(seed.ok);
    const outcomes = await runExpectations(seed.scenario, await readState(clients), clients);
    assert.deepEqual(
      outcomes.filter((o) => !o.passed),
      [],
    );

    // A test changes the account; the reset puts the scenario back, and nothing else.
    await clients.iam.send(new I.CreateUserCommand({ UserName: 'Leftover' }));
    await clients.iam.send(
      new I.RemoveUserFromGroupCommand({ UserName: 'FinanceUser', GroupName: 'BillingViewAccessGroup' }),
    );
    const reset = await fetch(`${url}/_bursar/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual(await reset.json(), { status: 'reset', accountId: '111122223333' });
    assert.equal(exportScenario((await readState(clients)).scenario), applied);
  });

  it('does not start with an invalid scenario, and says where it is wrong', async () => {
    const bad = serve('--ephemeral', '--scenario', 'schemas/scenario.schema.json');
    const output = await bad.output;
    assert.match(output, /^2\n/);
    assert.match(output, /schemas\/scenario\.schema\.json:1:1: version is required/);
    assert.match(output, /schemas\/scenario\.schema\.json:3:3: unknown member "\$id"/);
    assert.doesNotMatch(output, /Bursar listening/);
  });
});
