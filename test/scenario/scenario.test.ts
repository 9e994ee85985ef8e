/**
 * Scenarios as code against ephemeral Bursars, as a CI job would run them: apply the seed tutorial and the
 * finance team, check their expectations, export the account and apply the export to a second fresh server,
 * whose export must be the same file; a broken expectation is reported with the statement that decided it; an
 * invalid file is refused with line and column and changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { run as scenarioCommand } from '../../src/cli/scenario-command.js';
import { systemClock } from '../../src/platform/clock.js';
import { applyScenario } from '../../src/scenario/apply.js';
import { runExpectations } from '../../src/scenario/expectations.js';
import { exportState } from '../../src/scenario/export.js';
import { loadScenario, parseScenario, type Scenario } from '../../src/scenario/scenario.js';
import { readState } from '../../src/scenario/state.js';
import { clientsFor } from '../../src/scenario/target.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ROOT_KEY, startServer } from '../compat/harness.js';

const clientsOf = (server: BursarServer) =>
  clientsFor({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY });

async function load(file: string): Promise<Scenario> {
  const loaded = await loadScenario(file);
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  return loaded.scenario;
}

/** The CLI as a CI job runs it, with its output and exit code. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = ROOT_KEY.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = ROOT_KEY.secretAccessKey;
  try {
    const code = await scenarioCommand(
      argv,
      (text) => (out += text),
      (text) => (err += text),
    );
    return { code, out, err };
  } finally {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  }
}

describe('scenarios as code', () => {
  let first: BursarServer;
  let second: BursarServer;
  let dir: string;
  before(async () => {
    // The CLI signs by the machine's clock, as against AWS: the servers run on it too.
    [first, second] = await Promise.all([startServer({ clock: systemClock }), startServer({ clock: systemClock })]);
    dir = await mkdtemp(join(tmpdir(), 'bursar-scenario-'));
  });
  after(async () => {
    await Promise.all([first?.close(), second?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('round trip: apply the seed → its test passes → export → apply to a fresh server → the same export', async () => {
    const applied = await cli('apply', 'examples/seed-tutorial.json', '--endpoint', first.url);
    assert.equal(applied.code, 0, applied.err);
    assert.match(applied.out, /\[ 1\/13\] ~ billing: IAM user and role access to Billing information ALLOW/);
    assert.match(applied.out, /Applied 13 change\(s\)/);
    // Idempotent: the second run finds nothing to do and says so.
    const again = await cli('apply', 'examples/seed-tutorial.json', '--endpoint', first.url);
    assert.equal(again.out, 'No changes: the account already matches the scenario.\n');

    const tested = await cli('test', 'examples/seed-tutorial.json', '--endpoint', first.url);
    assert.equal(tested.code, 0, tested.out);
    assert.match(tested.out, /14 passed, 0 failed/);
    assert.match(tested.out, /pass +user\/FinanceUser +console:billing-preferences\/save-preferences +deny +deny/);

    const exported = await cli('export', '--endpoint', first.url);
    assert.equal(exported.code, 0, exported.err);
    const file = join(dir, 'exported.json');
    await writeFile(file, exported.out);
    const reapplied = await cli('apply', file, '--endpoint', second.url);
    assert.equal(reapplied.code, 0, reapplied.err);
    // A console user exported without its password gets a generated one, reported once.
    assert.match(reapplied.out, /FinanceUser's console password \(shown once\): \S{12,}/);
    const reexported = await cli('export', '--endpoint', second.url);
    assert.equal(reexported.out, exported.out);
    assert.equal(
      (await cli('apply', file, '--endpoint', second.url)).out,
      'No changes: the account already matches the scenario.\n',
    );
    // The exported file's expectations are gone, but the seed's own still pass on the second server.
    assert.equal((await cli('test', 'examples/seed-tutorial.json', '--endpoint', second.url)).code, 0);

    // The YAML export is the same scenario: applying it changes nothing, and exporting it again is the same text.
    const yamlFile = join(dir, 'exported.yaml');
    assert.equal((await cli('export', '--endpoint', second.url, '--out', yamlFile)).code, 0);
    const yamlText = await readFile(yamlFile, 'utf8');
    assert.match(yamlText, /^\$schema: https:\/\/bursar\.dev\/schemas\/scenario\.schema\.json\nversion: 1\n/);
    assert.deepEqual(await load(yamlFile), await load(file));
    assert.equal(
      (await cli('apply', yamlFile, '--endpoint', second.url)).out,
      'No changes: the account already matches the scenario.\n',
    );
  });

  it('a YAML scenario is its JSON twin: the examples load alike, and apply and test alike', async () => {
    for (const name of ['seed-tutorial', 'finance-team', 'organization']) {
      assert.deepEqual(await load(`examples/${name}.yaml`), await load(`examples/${name}.json`), name);
    }
    // The seed as JSON is on the first server (the round trip): its YAML twin finds nothing to change.
    assert.equal(
      (await cli('apply', 'examples/seed-tutorial.yaml', '--endpoint', first.url)).out,
      'No changes: the account already matches the scenario.\n',
    );
    const tested = await cli('test', 'examples/seed-tutorial.yaml', '--endpoint', first.url);
    assert.equal(tested.code, 0, tested.out);
    assert.match(tested.out, /14 passed, 0 failed/);
    // Without an extension, the content says which: JSON begins with {.
    const bare = join(dir, 'seed');
    await writeFile(bare, await readFile('examples/seed-tutorial.yaml', 'utf8'));
    assert.deepEqual(await load(bare), await load('examples/seed-tutorial.json'));
  });

  it('the finance team: boundaries, MFA-only approval, a role with an explicit deny, a budget; --prune removes the rest', async () => {
    const clients = clientsOf(first);
    const finance = await load('examples/finance-team.json');
    await applyScenario(finance, clients, { prune: true });
    const state = await readState(clients);
    // What the seed made and the finance file does not name is gone.
    assert.deepEqual(
      state.scenario.users?.map((u) => u.name),
      ['Approver', 'Auditor'],
    );
    assert.deepEqual(
      state.scenario.policies?.map((p) => p.name),
      ['FinanceBoundary', 'FinanceReadOnly', 'InvoiceApproval'],
    );
    assert.equal(state.scenario.users?.find((u) => u.name === 'Approver')?.mfa, true);
    assert.deepEqual(state.scenario.budgets, [{ name: 'FinanceMonthly', amount: '1000' }]);
    const outcomes = await runExpectations(finance, state, clients);
    assert.deepEqual(
      outcomes.filter((o) => !o.passed),
      [],
    );
    assert.equal(outcomes.length, 16);
    assert.deepEqual(await applyScenario(finance, clients, { prune: true }), []);

    // A changed document is a new default version; a dropped attachment is detached.
    const changed = structuredClone(finance);
    changed.policies![0]!.document!.Statement = [{ Effect: 'Allow', Action: 'aws-portal:ViewBilling', Resource: '*' }];
    changed.groups![1]!.policies = ['FinanceReadOnly'];
    const steps = await applyScenario(changed, clients);
    assert.deepEqual(
      steps.map((s) => s.summary),
      ['~ policy FinanceReadOnly: new default version', '~ group Approvers: detach InvoiceApproval'],
    );
    const iam = new I.IAMClient({ endpoint: first.url, region: 'us-east-1', credentials: ROOT_KEY });
    const versions = await iam.send(
      new I.ListPolicyVersionsCommand({ PolicyArn: 'arn:aws:iam::111122223333:policy/FinanceReadOnly' }),
    );
    assert.deepEqual(
      versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]),
      [
        ['v2', true],
        ['v1', false],
      ],
    );
    // The seed again, pruned, for the next tests.
    await applyScenario(await load('examples/seed-tutorial.json'), clients, { prune: true });
  });

  it('reports a broken expectation with the statement that decided it, exits 1, and writes JUnit', async () => {
    const broken = JSON.parse(await readFile('examples/seed-tutorial.json', 'utf8')) as Scenario;
    broken.expect = [
      { principal: 'user/FinanceManager', actions: 'aws-portal:ModifyBilling', decision: 'deny' },
      { principal: 'user/FinanceUser', actions: 'aws-portal:ModifyBilling', decision: 'allow' },
      { principal: 'user/FinanceUser', actions: 'aws-portal:ViewBilling', decision: 'allow' },
    ];
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(broken, null, 2));
    const result = await cli('test', file, '--endpoint', first.url);
    assert.equal(result.code, 1);
    assert.match(
      result.out,
      /FAIL +user\/FinanceManager +aws-portal:ModifyBilling +deny +allow +allowed by BillingFullAccess: \{"Effect":"Allow","Action":"aws-portal:\*","Resource":"\*"\}/,
    );
    assert.match(
      result.out,
      /FAIL +user\/FinanceUser +aws-portal:ModifyBilling +allow +deny +implicit deny: no statement allows it/,
    );
    assert.match(result.out, /pass +user\/FinanceUser +aws-portal:ViewBilling/);
    assert.match(result.out, /1 passed, 2 failed/);

    const junit = await cli('test', file, '--endpoint', first.url, '--output', 'junit');
    assert.equal(junit.code, 1);
    assert.match(junit.out, /<testsuite name="broken.json" tests="3" failures="2">/);
    assert.match(
      junit.out,
      /<failure message="expected deny, got allow: allowed by BillingFullAccess: \{&quot;Effect&quot;/,
    );
  });

  it('a console expectation fails while IAM access to billing is off, and says so', async () => {
    const off = await load('examples/seed-tutorial.json');
    off.billing = { iamAccess: false };
    const clients = clientsOf(first);
    await applyScenario(off, clients);
    const outcomes = await runExpectations(off, await readState(clients), clients);
    const bills = outcomes.find((o) => o.principal === 'user/FinanceManager' && o.check === 'console:bills')!;
    assert.deepEqual(
      [bills.passed, bills.got, bills.why],
      [false, 'deny', 'IAM user and role access to Billing information is off'],
    );
    // The API actions themselves are still allowed: the switch gates the console only.
    assert.ok(
      outcomes.find((o) => o.check === 'aws-portal:ModifyBilling' && o.principal === 'user/FinanceManager')!.passed,
    );

    // In the fine-grained action set the pages ask for billing:, ce:, payments:… actions the seed never grants.
    const fineGrained = await load('examples/seed-tutorial.json');
    fineGrained.billing = { iamAccess: true, actionSet: 'fine-grained' };
    assert.deepEqual(
      (await applyScenario(fineGrained, clients)).map((s) => s.summary),
      [
        '~ billing: IAM user and role access to Billing information ALLOW',
        '~ billing: console action set fine-grained',
      ],
    );
    const fine = await runExpectations(fineGrained, await readState(clients), clients);
    const fineBills = fine.find((o) => o.principal === 'user/FinanceUser' && o.check === 'console:bills')!;
    assert.equal(fineBills.got, 'deny');
    assert.match(fineBills.why, /account:GetAccountInformation: implicit deny: no statement allows it/);
    // The seed names no action set: applying it leaves the setting as it is.
    await applyScenario(await load('examples/seed-tutorial.json'), clients);
    assert.deepEqual((await readState(clients)).scenario.billing, { iamAccess: true, actionSet: 'fine-grained' });
    await applyScenario({ version: 1, billing: { actionSet: 'existing' } }, clients);
  });

  it("an organization: OUs, accounts, an SCP, and a member account's own setup checked under the SCP", async () => {
    const applied = await cli('apply', 'examples/organization.json', '--endpoint', second.url);
    assert.equal(applied.code, 0, applied.err);
    assert.match(applied.out, /\+ account finance-member \(finance-member@example.com\)/);
    assert.match(applied.out, /\[finance-member\] \[6\/6\] ~ user MemberBillingAdmin: add to group BillingAdmins/);
    assert.equal(
      (await cli('apply', 'examples/organization.json', '--endpoint', second.url)).out,
      'No changes: the account already matches the scenario.\n',
    );
    const tested = await cli('test', 'examples/organization.json', '--endpoint', second.url);
    assert.equal(tested.code, 0, tested.out);
    assert.match(tested.out, /pass +finance-member:user\/MemberBillingAdmin +aws-portal:ModifyBilling +deny +deny/);

    // Expecting the member's admin to change billing fails, and the table says the SCP decided.
    const wrong = await load('examples/organization.json');
    wrong.expect = [];
    wrong.organization!.accounts![0]!.scenario!.expect = [
      { principal: 'user/MemberBillingAdmin', actions: 'aws-portal:ModifyBilling', decision: 'allow' },
    ];
    const outcomes = await runExpectations(wrong, await readState(clientsOf(second)), clientsOf(second));
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.passed, false);
    assert.match(outcomes[0]!.why, /service control policy/);
    const exported = exportState(await readState(clientsOf(second)), 'scenario');
    assert.match(exported, /"name": "DenyBillingModify"[\s\S]*"targets": \[\s*"Finance"\s*\]/);
  });

  it('refuses an invalid file with line and column, and changes nothing', async () => {
    const before = await readState(clientsOf(first));
    const cases: [string, RegExp][] = [
      ['{\n  "version": 1,\n  "users": [\n    { "name": "A" },\n  ]\n}\n', /:5:3: unexpected character \]/],
      ['{ "version": 1, "users": [{ "name": "Bad Name!" }] }', /:1:37: "Bad Name!" does not match/],
      ['{\n  "version": 1,\n  "user": []\n}', /:3:3: unknown member "user"/],
      [
        '{\n  "version": 1,\n  "groups": [{ "name": "G", "policies": ["Nope"] }]\n}',
        /:3:42: no policy "Nope" in policies/,
      ],
      [
        '{\n  "version": 1,\n  "users": [{ "name": "U" }],\n  "expect": [{ "principal": "user/U", "console": { "sees": ["billz"] } }]\n}',
        /:4:61: no console page or button "billz"/,
      ],
      ['{ "version": 2 }', /:1:14: must be one of 1/],
    ];
    for (const [text, expected] of cases) {
      const file = join(dir, 'invalid.json');
      await writeFile(file, text);
      const result = await cli('apply', file, '--endpoint', first.url);
      assert.equal(result.code, 2, text);
      assert.match(result.err, expected, result.err);
      assert.match(result.err, /nothing was changed/);
    }
    // YAML: syntax errors where the parser stopped, schema and reference errors where the value starts.
    const yamlCases: [string, RegExp][] = [
      ['version: 1\nusers:\n  - name: A\n   groups: [G]\n', /:4:4: bad indentation of a sequence entry/],
      ['version: 1\nusers: [A\n', /:3:1: unexpected end of the stream within a flow collection/],
      ['version: 1\nversion: 1\n', /:2:1: duplicated mapping key/],
      ['version: 1\nusers:\n  - name: Bad Name!\n', /:3:11: "Bad Name!" does not match/],
      ['version: 1\n# a comment\nuser: []\n', /:3:1: unknown member "user"/],
      ['version: 1\ngroups:\n  - name: G\n    policies: [Fine, Nope]\n', /:4:22: no policy "Nope" in policies/],
      [
        'version: 1\nusers:\n  - name: U\nexpect:\n  - principal: user/U\n    console:\n      sees:\n        - billz\n',
        /:8:11: no console page or button "billz"/,
      ],
      ['version: 2\n', /:1:10: must be one of 1/],
      ['version: 1\nbudgets:\n  - { name: B, amount: 100 }\n', /:3:24: must be a string, not integer/],
    ];
    for (const [text, expected] of yamlCases) {
      const file = join(dir, 'invalid.yaml');
      await writeFile(file, text);
      const result = await cli('apply', file, '--endpoint', first.url);
      assert.equal(result.code, 2, text);
      assert.match(result.err, expected, result.err);
      assert.match(result.err, /nothing was changed/);
    }
    // A valid-looking file with one bad reference among good changes: none of them is made.
    const mixed = await parseScenario(
      JSON.stringify({
        version: 1,
        users: [{ name: 'NewUser' }, { name: 'Other', groups: ['Missing'] }],
      }),
      dir,
    );
    assert.equal(mixed.ok, false);
    assert.deepEqual(await readState(clientsOf(first)), before);
  });
});
