/**
 * An exported account recreated by the tools it is exported for: Terraform (the AWS provider 5.100 from the
 * offline mirror; skipped without `terraform` or the mirror, as test/compat/terraform-instance-profile.test.ts)
 * applies the export to a fresh Bursar and then plans no changes, and with import blocks adopts the exported
 * account without a change; the AWS CLI script (skipped without `aws`) recreates the setup on another fresh one.
 * Both are checked by exporting the recreated account as a scenario again, budgets included.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/platform/clock.js';
import { applyScenario } from '../../src/scenario/apply.js';
import { exportState } from '../../src/scenario/export.js';
import { loadScenario, type Scenario } from '../../src/scenario/scenario.js';
import { readState } from '../../src/scenario/state.js';
import { clientsFor } from '../../src/scenario/target.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ROOT_KEY, startServer } from '../compat/harness.js';
import { offlineTerraformEnv, providerBlock, TERRAFORM_ABSENT, terraformAvailable } from '../compat/terraform.js';

const run = promisify(execFile);
const AWS_CLI = '/usr/local/bin/aws';

const skipTerraform = (await terraformAvailable()) ? false : TERRAFORM_ABSENT;
const awsCli = existsSync(AWS_CLI)
  ? AWS_CLI
  : (await run('which', ['aws']).catch(() => ({ stdout: '' }))).stdout.trim();
const skipCli = awsCli === '' ? 'the AWS CLI is not installed' : false;

const clientsOf = (server: BursarServer) =>
  clientsFor({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY });

/** What no tool but Bursar's own can set: the IAM-access switch (no API) and an MFA device (its seed). */
function withoutUnexportable(scenario: Scenario): Scenario {
  const { billing: _billing, ...rest } = structuredClone(scenario);
  for (const user of rest.users ?? []) delete user.mfa;
  return rest;
}

describe('exports recreated by Terraform and the AWS CLI', () => {
  let source: BursarServer;
  let dir: string;
  let original: Scenario;
  before(async () => {
    source = await startServer({ clock: systemClock });
    dir = await mkdtemp(join(tmpdir(), 'bursar-scenario-export-'));
    const loaded = await loadScenario('examples/finance-team.json');
    assert.ok(loaded.ok);
    await applyScenario(loaded.scenario, clientsOf(source));
    original = (await readState(clientsOf(source))).scenario;
  });
  after(async () => {
    await source?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('Terraform', { skip: skipTerraform }, () => {
    let env: NodeJS.ProcessEnv;
    const terraform = (cwd: string, ...args: string[]) =>
      run('terraform', [...args, '-input=false', '-no-color'], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    before(async () => {
      env = await offlineTerraformEnv(dir);
    });

    it('applies the export to a fresh Bursar, then plans no changes', async () => {
      const fresh = await startServer({ clock: systemClock });
      try {
        const work = join(dir, 'tf-fresh');
        await mkdir(work);
        await writeFile(
          join(work, 'main.tf'),
          exportState(await readState(clientsOf(source)), 'terraform', { imports: false }),
        );
        await writeFile(join(work, 'provider.tf'), providerBlock(fresh.url, { services: ['budgets'] }));
        await terraform(work, 'init');
        const applied = await terraform(work, 'apply', '-auto-approve');
        assert.match(applied.stdout, /Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
        const plan = await terraform(work, 'plan', '-detailed-exitcode');
        assert.match(plan.stdout, /No changes/);
        assert.ok(original.budgets?.length === 1);
        assert.deepEqual(
          withoutUnexportable((await readState(clientsOf(fresh))).scenario),
          withoutUnexportable(original),
        );
      } finally {
        await fresh.close();
      }
    });

    it('adopts the exported account through its import blocks without a change', async () => {
      const work = join(dir, 'tf-import');
      await mkdir(work);
      const exported = exportState(await readState(clientsOf(source)), 'terraform');
      assert.match(exported, /resource "aws_budgets_budget" "FinanceMonthly"/);
      assert.match(
        exported,
        /import \{\n {2}to = aws_budgets_budget\.FinanceMonthly\n {2}id = "111122223333:FinanceMonthly"\n\}/,
      );
      await writeFile(join(work, 'main.tf'), exported);
      await writeFile(join(work, 'provider.tf'), providerBlock(source.url, { services: ['budgets'] }));
      await terraform(work, 'init');
      const plan = await terraform(work, 'plan');
      assert.match(plan.stdout, /Plan: (\d+) to import, 0 to add, 0 to change, 0 to destroy/);
    });
  });

  it(
    'the AWS CLI script recreates the setup on a fresh Bursar',
    { skip: skipCli || process.env.SCENARIO_SKIP_CLI === '1' },
    async () => {
      const fresh = await startServer({ clock: systemClock });
      try {
        const script = join(dir, 'recreate.sh');
        await writeFile(script, exportState(await readState(clientsOf(source)), 'cli'));
        const result = await run('sh', [script], {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: process.env.HOME ?? '/tmp',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
            AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_ENDPOINT_URL: fresh.url,
            AWS_PAGER: '',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
        });
        assert.match(result.stdout, /Auditor's console password: \S+/);
        assert.deepEqual(
          withoutUnexportable((await readState(clientsOf(fresh))).scenario),
          withoutUnexportable(original),
        );
      } finally {
        await fresh.close();
      }
    },
  );
});
