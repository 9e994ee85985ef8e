/**
 * A scenario's cost data: a demo year and a cost file (relative to the scenario) imported through
 * bursar:ImportCostData, once — a second apply finds Cost Explorer's monthly totals equal to the data's and
 * imports nothing — and a budget of the scenario measuring the imported spend.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as B from '@aws-sdk/client-budgets';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { systemClock } from '../../src/platform/clock.js';
import { applyScenario } from '../../src/scenario/apply.js';
import { loadScenario, type Scenario } from '../../src/scenario/scenario.js';
import { clientsFor } from '../../src/scenario/target.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_KEY, startServer } from '../compat/harness.js';

const FOCUS_HEADER =
  'BillingAccountId,SubAccountId,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceName,RegionId,BilledCost,EffectiveCost';

/** Two billing months of a small FOCUS export, long past, so the demo year does not hold them. */
const focusRows = (cost: string) =>
  [
    FOCUS_HEADER,
    `${ACCOUNT_ID},${ACCOUNT_ID},2019-03-01,2019-03-04T00:00:00Z,2019-03-05T00:00:00Z,Usage,Amazon Simple Storage Service,us-east-1,${cost},${cost}`,
    `${ACCOUNT_ID},${ACCOUNT_ID},2019-03-01,2019-03-05T00:00:00Z,2019-03-06T00:00:00Z,Usage,AWS Lambda,us-east-1,1.25,1.25`,
    `${ACCOUNT_ID},${ACCOUNT_ID},2019-04-01,2019-04-02T00:00:00Z,2019-04-03T00:00:00Z,Usage,AWS Lambda,eu-west-1,2.5,2.5`,
  ].join('\n') + '\n';

describe('scenario cost data', () => {
  let server: BursarServer;
  let dir: string;
  before(async () => {
    // Demo months are cut at the machine's today, as the scenario (a client) sees it: the server runs on it too.
    server = await startServer({ clock: systemClock });
    dir = await mkdtemp(join(tmpdir(), 'bursar-scenario-costs-test-'));
    await mkdir(join(dir, 'costs'));
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function load(scenario: object): Promise<Scenario> {
    const file = join(dir, 'scenario.json');
    await writeFile(file, JSON.stringify(scenario));
    const loaded = await loadScenario(file);
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    return loaded.scenario;
  }
  const clients = () => clientsFor({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY });
  const ce = () => new CostExplorerClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY });
  const monthly = async (start: string, end: string) =>
    (
      await ce().send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: start, End: end },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      )
    ).ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Total?.UnblendedCost?.Amount]);

  it('imports a demo year and a file once, and a budget measures the imported spend', async () => {
    await writeFile(join(dir, 'costs', 'march-april.csv'), focusRows('10.5'));
    const scenario = await load({
      version: 1,
      costData: { demo: { seed: 7, rows: 600 }, files: ['costs/march-april.csv'] },
      budgets: [{ name: 'Monthly', amount: '100' }],
    });
    const lines: string[] = [];
    const steps = await applyScenario(scenario, clients(), { progress: (line) => lines.push(line) });
    const summaries = steps.map((s) => s.summary);
    assert.equal(summaries[0], '+ budget Monthly');
    // Twelve demo months, one import each, then the file with both its months.
    assert.equal(
      summaries.filter((s) => /^\+ cost data demo-\d{4}-\d{2}\.csv: \d{4}-\d{2} [\d.]+ USD$/.test(s)).length,
      12,
    );
    assert.equal(
      summaries.at(-1),
      `+ cost data ${join(dir, 'costs', 'march-april.csv')}: 2019-03 11.75 USD, 2019-04 2.5 USD`,
    );
    assert.match(lines.at(-1)!, /^Applied 14 change\(s\)\.$/);
    assert.deepEqual(await monthly('2019-03-01', '2019-05-01'), [
      ['2019-03-01', '11.75'],
      ['2019-04-01', '2.5'],
    ]);

    // Idempotent: Cost Explorer's totals now equal the data's, so nothing is imported again.
    const again: string[] = [];
    assert.deepEqual(await applyScenario(scenario, clients(), { progress: (line) => again.push(line) }), []);
    assert.deepEqual(again, ['No changes: the account already matches the scenario.']);

    // The budget sees this month's imported spend, as Cost Explorer has it.
    const now = new Date();
    const month = `${now.toISOString().slice(0, 7)}-01`;
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    const [[, spent]] = (await monthly(month, next)) as [[string, string]];
    assert.ok(Number(spent) > 0, spent);
    const budget = await new B.BudgetsClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT_KEY }).send(
      new B.DescribeBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: 'Monthly' }),
    );
    assert.equal(Number(budget.Budget?.CalculatedSpend?.ActualSpend?.Amount), Number(spent));

    // A changed file is imported again, and only it; the plan names the month that differs.
    await writeFile(join(dir, 'costs', 'march-april.csv'), focusRows('20'));
    const changed = await applyScenario(scenario, clients());
    assert.deepEqual(
      changed.map((s) => s.summary),
      [`+ cost data ${join(dir, 'costs', 'march-april.csv')}: 2019-03 21.25 USD`],
    );
    assert.deepEqual(await monthly('2019-03-01', '2019-05-01'), [
      ['2019-03-01', '21.25'],
      ['2019-04-01', '2.5'],
    ]);
  });

  it('refuses files that share a billing period, and a file that is not there, changing nothing', async () => {
    await writeFile(join(dir, 'costs', 'march.csv'), focusRows('3').split('\n').slice(0, 3).join('\n') + '\n');
    const overlapping = await load({ version: 1, costData: { files: ['costs/march-april.csv', 'costs/march.csv'] } });
    await assert.rejects(
      applyScenario(overlapping, clients()),
      /cost data: .*march-april\.csv and .*march\.csv both hold billing period 2019-03/,
    );
    assert.deepEqual(await monthly('2019-03-01', '2019-04-01'), [['2019-03-01', '21.25']]);

    const file = join(dir, 'missing.json');
    await writeFile(file, '{\n  "version": 1,\n  "costData": { "files": ["costs/nope.csv"] }\n}\n');
    const missing = await loadScenario(file);
    assert.deepEqual(missing.ok ? [] : missing.errors, [
      { path: '/costData/files/0', line: 3, column: 27, message: 'cannot read costs/nope.csv' },
    ]);
  });
});
