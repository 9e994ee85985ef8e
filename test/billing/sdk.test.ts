/**
 * The real AWS SDK clients for Cost Explorer and Budgets against a server started here, with cost data sent
 * through `bursar import --endpoint` (bursar:ImportCostData, SigV4-signed from the environment).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BudgetsClient,
  CreateBudgetCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  NotFoundException,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
} from '@aws-sdk/client-cost-explorer';
import { DuckDBInstance } from '@duckdb/node-api';
import { signedJsonRequest } from '../../src/billing/costs/import/remote-import.js';
import { run as importCommand } from '../../src/cli/import-command.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { systemClock } from '../../src/platform/clock.js';
import { ACCOUNT_ID, ROOT_KEY, clientConfig, startServer } from '../compat/harness.js';
import { activateEveryTag } from './helpers.js';

const CUR_PARQUET = '/work/shared/data/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet';
const CUR_CSV = '/work/shared/data/cur-sample/aws_legacy_cur_anonymized_2023-11.csv';

/**
 * `bursar import …` run in this process, signed with the root key from the environment as a user would run it;
 * its exit code and what it printed.
 */
async function importByCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
  const printed = { stdout: [] as string[], stderr: [] as string[] };
  const writers = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  process.stdout.write = ((chunk: string) => printed.stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => printed.stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await importCommand(args);
    return { code, stdout: printed.stdout.join(''), stderr: printed.stderr.join('') };
  } finally {
    process.stdout.write = writers.stdout;
    process.stderr.write = writers.stderr;
    process.env = saved;
  }
}

describe('Cost Explorer and Budgets through the AWS SDK', () => {
  let server: BursarServer;
  let ce: CostExplorerClient;
  let budgets: BudgetsClient;

  before(async () => {
    // `bursar import --endpoint` and signedJsonRequest sign by the machine's clock, as a CLI does: the server
    // keeps that clock whatever BURSAR_TEST_CLOCK_SHIFT_DAYS says.
    server = await startServer({ clock: systemClock });
    ce = new CostExplorerClient(clientConfig(server));
    budgets = new BudgetsClient(clientConfig(server));
    let printed = '';
    for (const file of [CUR_PARQUET, CUR_CSV]) {
      const run = await importByCli([file, '--account', ACCOUNT_ID, '--endpoint', server.url]);
      assert.equal(run.code, 0, run.stderr);
      printed += run.stdout;
    }
    assert.match(printed, /billing period 2018-10: 2530 line items, unblended 279\.6833821345 USD/);
    await activateEveryTag(server.world().billing, ACCOUNT_ID);
  });
  after(async () => {
    ce.destroy();
    budgets.destroy();
    await server.close();
  });

  it('GetCostAndUsage returns decimal-string amounts grouped by service and tag', async () => {
    const out = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2018-10-01', End: '2018-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost', 'UsageQuantity'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      }),
    );
    const groups = out.ResultsByTime![0]!.Groups!;
    assert.ok(groups.length > 5);
    let total = 0n;
    for (const g of groups) {
      const [w, f = ''] = g.Metrics!.UnblendedCost!.Amount!.split('.');
      total += BigInt(w!) * 10n ** 10n + BigInt(f.padEnd(10, '0'));
      assert.equal(g.Metrics!.UnblendedCost!.Unit, 'USD');
    }
    assert.equal(total, 2796833821345n);
    const untotalled = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2018-10-01', End: '2018-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
    );
    assert.equal(untotalled.ResultsByTime![0]!.Total!.UnblendedCost!.Amount, '279.6833821345');
    assert.equal(untotalled.ResultsByTime![0]!.Estimated, false);
  });

  it('GetDimensionValues, GetTags and GetCostForecast answer', async () => {
    const accounts = await ce.send(
      new GetDimensionValuesCommand({
        TimePeriod: { Start: '2018-10-01', End: '2018-11-01' },
        Dimension: 'LINKED_ACCOUNT',
      }),
    );
    assert.equal(accounts.DimensionValues!.length, 2);
    const tags = await ce.send(new GetTagsCommand({ TimePeriod: { Start: '2018-10-01', End: '2018-11-01' } }));
    assert.ok(tags.Tags!.length > 0);
    // A forecast starts no earlier than the server's today.
    const now = systemClock.now();
    const today = now.toISOString().slice(0, 10);
    const end = new Date(now.getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    const forecast = await ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: today, End: end },
        Metric: 'UNBLENDED_COST',
        Granularity: 'DAILY',
      }),
    );
    assert.equal(forecast.Total!.Unit, 'USD');
    assert.equal(forecast.ForecastResultsByTime!.length, 5);
  });

  it('refuses a day that does not exist (2024-02-30) with a ValidationException, not an internal error', async () => {
    for (const send of [
      (Start: string) =>
        ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start, End: '2024-10-01' },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost'],
          }),
        ),
      (Start: string) =>
        ce.send(new GetDimensionValuesCommand({ TimePeriod: { Start, End: '2024-10-01' }, Dimension: 'SERVICE' })),
    ]) {
      for (const day of ['2024-02-30', '2023-02-29', '2024-04-31', '2024-13-01']) {
        await assert.rejects(send(day), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(e.name, 'ValidationException', e.message);
          assert.equal(e.$metadata?.httpStatusCode, 400);
          assert.equal(e.message, `Unable to parse date: ${day}. The date format should be yyyy-MM-dd.`);
          return true;
        });
      }
    }
    // A leap day is a day.
    await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2024-02-29', End: '2024-03-01' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
      }),
    );
  });

  it('Budgets: create, describe with CalculatedSpend, update, list notifications, delete', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT_ID,
        Budget: {
          BudgetName: 'oct-2018',
          BudgetType: 'COST',
          TimeUnit: 'ANNUALLY',
          BudgetLimit: { Amount: '200', Unit: 'USD' },
          TimePeriod: { Start: new Date('2018-01-01T00:00:00Z'), End: new Date('2019-01-01T00:00:00Z') },
        },
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 100 },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
          },
        ],
      }),
    );
    const described = await budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: 'oct-2018' }));
    assert.equal(described.Budget!.CalculatedSpend!.ActualSpend!.Amount, '279.6833821345');
    assert.deepEqual(described.Budget!.TimePeriod!.Start, new Date('2018-01-01T00:00:00Z'));
    const notifications = await budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: 'oct-2018' }),
    );
    assert.equal(notifications.Notifications![0]!.NotificationState, 'ALARM');
    await budgets.send(
      new UpdateBudgetCommand({
        AccountId: ACCOUNT_ID,
        NewBudget: { ...described.Budget!, BudgetLimit: { Amount: '500', Unit: 'USD' } },
      }),
    );
    const listed = await budgets.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }));
    assert.equal(listed.Budgets![0]!.BudgetLimit!.Amount, '500');
    await budgets.send(new DeleteBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: 'oct-2018' }));
    await assert.rejects(
      budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: 'oct-2018' })),
      NotFoundException,
    );
  });

  it('ImportCostData refuses a FileName that names no file, and changes nothing', async () => {
    const env = { AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey };
    const content = Buffer.from(readFileSync(CUR_CSV)).toString('base64');
    for (const FileName of ['..', '.', '', 'a/..', 'x\0.csv']) {
      const answer = await signedJsonRequest(
        server.url,
        'ImportCostData',
        { AccountId: ACCOUNT_ID, FileName, Content: content },
        env,
      );
      assert.equal(answer.status, 400, `${JSON.stringify(FileName)}: ${answer.body}`);
      assert.match(answer.body, /ValidationException/);
      assert.match(answer.body, /FileName must name a file/);
    }
    // A path is cut to its last part, safely.
    const pathy = await signedJsonRequest(
      server.url,
      'ImportCostData',
      { AccountId: ACCOUNT_ID, FileName: '../../tmp/legacy.csv', Content: content },
      env,
    );
    assert.equal(pathy.status, 200, pathy.body);
    assert.match(pathy.body, /legacy\.csv/);
    assert.doesNotMatch(pathy.body, /tmp/);
  });

  it('bursar import --endpoint of a directory sends its parts as one import, so parts of one period add up', async () => {
    // The legacy sample cut in two: both parts hold billing period 2023-11.
    const dir = mkdtempSync(join(tmpdir(), 'bursar-parts-'));
    const [header, ...rows] = readFileSync(CUR_CSV, 'utf8').trimEnd().split('\n');
    const half = Math.floor(rows.length / 2);
    writeFileSync(join(dir, 'part-00001.csv'), [header, ...rows.slice(0, half)].join('\n'));
    writeFileSync(join(dir, 'part-00002.csv'), [header, ...rows.slice(half)].join('\n'));
    const month = { TimePeriod: { Start: '2023-11-01', End: '2023-12-01' }, Granularity: 'MONTHLY' as const };
    const whole = await ce.send(new GetCostAndUsageCommand({ ...month, Metrics: ['UnblendedCost'] }));
    const run = await importByCli([dir, '--account', ACCOUNT_ID, '--endpoint', server.url]).finally(() =>
      rmSync(dir, { recursive: true, force: true }),
    );
    assert.equal(run.code, 0, run.stderr);
    // One import: one report naming both parts, and no part replacing the other.
    assert.match(run.stdout, /part-00001\.csv[\s\S]*part-00002\.csv/);
    assert.equal(run.stdout.match(/^import /gm)?.length, 1);
    const after = await ce.send(new GetCostAndUsageCommand({ ...month, Metrics: ['UnblendedCost'] }));
    assert.equal(
      after.ResultsByTime![0]!.Total!.UnblendedCost!.Amount,
      whole.ResultsByTime![0]!.Total!.UnblendedCost!.Amount,
    );

    const env = { AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey };
    const both = await signedJsonRequest(
      server.url,
      'ImportCostData',
      { AccountId: ACCOUNT_ID, FileName: 'a.csv', Content: 'eA==', Files: [{ FileName: 'b.csv', Content: 'eA==' }] },
      env,
    );
    assert.equal(both.status, 400);
    assert.match(both.body, /Give either Content \(one file\) or Files, not both/);
  });

  it('bursar import --endpoint refuses parts of one billing period too large for one request, importing nothing', async () => {
    // Two Parquet parts of 2019-01 whose resource ids do not compress: together more than 10 MiB.
    const dir = mkdtempSync(join(tmpdir(), 'bursar-big-parts-'));
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    for (const part of [0, 1]) {
      await duck.run(
        `copy (select '1.5' as BilledCost, 'Usage' as ChargeCategory, '2019-01-15T00:00:00Z' as ChargePeriodStart,
            '2019-01-01T00:00:00Z' as BillingPeriodStart, '${ACCOUNT_ID}' as BillingAccountId,
            md5(i::varchar) || md5((i + 1)::varchar) || md5((i + 2)::varchar) as ResourceId
          from range(${part * 250_000}, ${(part + 1) * 250_000}) t(i))
        to '${join(dir, `part-${part}.parquet`)}' (format parquet)`,
      );
    }
    duck.closeSync();
    const january = { TimePeriod: { Start: '2019-01-01', End: '2019-02-01' }, Granularity: 'MONTHLY' as const };
    const run = await importByCli([dir, '--account', ACCOUNT_ID, '--endpoint', server.url]).finally(() =>
      rmSync(dir, { recursive: true, force: true }),
    );
    assert.equal(run.code, 1);
    assert.match(run.stderr, /part-0\.parquet and .*part-1\.parquet both hold billing period 2019-01/);
    const after = await ce.send(new GetCostAndUsageCommand({ ...january, Metrics: ['UnblendedCost'] }));
    assert.equal(after.ResultsByTime![0]!.Total!.UnblendedCost!.Amount, '0');
  });

  it('saved reports over the bursar wire model (BursarService.*, authorized by ce:CreateReport…)', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const query = JSON.stringify({
      TimePeriod: { Start: '2018-10-01', End: '2018-11-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
    });
    const created = await signedJsonRequest(server.url, 'CreateCostReport', { Name: 'October', Query: query }, env);
    assert.equal(created.status, 200, created.body);
    const id = (JSON.parse(created.body) as { Report: { ReportId: string } }).Report.ReportId;
    const listed = await signedJsonRequest(server.url, 'DescribeCostReports', {}, env);
    assert.deepEqual(
      (JSON.parse(listed.body) as { Reports: Array<{ Name: string; Query: string }> }).Reports.map((r) => [
        r.Name,
        r.Query,
      ]),
      [['October', query]],
    );
    assert.equal((await signedJsonRequest(server.url, 'DeleteCostReport', { ReportId: id }, env)).status, 200);
    const missing = await signedJsonRequest(server.url, 'DeleteCostReport', { ReportId: id }, env);
    assert.equal(missing.status, 400);
    assert.match(missing.body, /ResourceNotFoundException/);
  });
});
