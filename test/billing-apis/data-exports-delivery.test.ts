/**
 * BCM Data Exports deliver files (issue 12), through @aws-sdk/client-bcm-data-exports against a server with a
 * year of demo costs: an export's execution reaches DELIVERY_SUCCESS, its files sit where AWS puts them under the
 * export's bucket and prefix, DuckDB reads them, each month's cost sum equals Cost Explorer's UnblendedCost to
 * the cent, and the manifest names the files and columns — gzip CSV and Parquet, overwritten or a new report per
 * execution, to a directory and to an S3-compatible store. ListTables and GetTable describe the tables, and a
 * query naming what the table does not have is refused.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BCMDataExportsClient,
  CreateExportCommand,
  GetExecutionCommand,
  GetExportCommand,
  GetTableCommand,
  ListExecutionsCommand,
  ListTablesCommand,
  UpdateExportCommand,
  type Export,
} from '@aws-sdk/client-bcm-data-exports';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GroupDefinition,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import {
  CostAndUsageReportServiceClient,
  PutReportDefinitionCommand,
} from '@aws-sdk/client-cost-and-usage-report-service';
import { DuckDBInstance } from '@duckdb/node-api';
import { setCostAllocationTagStatuses } from '../../src/billing/costs/cost-allocation-tags.js';
import { seedDemoCosts } from '../../src/billing/costs/demo-seed.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { startTestS3, type TestS3 } from '../billing/s3-server.js';
import { testNow } from '../test-clock.js';

const definition = (name: string, query: string, format: 'csv' | 'parquet', overwrite: boolean): Export => ({
  Name: name,
  DataQuery: { QueryStatement: query },
  DestinationConfigurations: {
    S3Destination: {
      S3Bucket: 'finance-exports',
      S3Prefix: 'team/reports',
      S3Region: 'us-east-1',
      S3OutputConfigurations: {
        OutputType: 'CUSTOM',
        Format: format === 'csv' ? 'TEXT_OR_CSV' : 'PARQUET',
        Compression: format === 'csv' ? 'GZIP' : 'PARQUET',
        Overwrite: overwrite ? 'OVERWRITE_REPORT' : 'CREATE_NEW_REPORT',
      },
    },
  },
  RefreshCadence: { Frequency: 'SYNCHRONOUS' },
});

/** The last complete month of the demo year. */
const PERIOD = (() => {
  const now = testNow();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
})();
const nextMonth = (period: string) => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 7);
};

async function duck<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const cents = (amount: number | string) => Math.round(Number(amount) * 100);

/** Cost Explorer's answer for one month's unblended cost, through the SDK, grouped by `groupBy` if given. */
async function costExplorerMonthAnswer(
  server: BursarServer,
  period: string,
  groupBy?: GroupDefinition[],
): Promise<ResultByTime> {
  const ce = new CostExplorerClient(clientConfig(server));
  try {
    const answer = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: `${period}-01`, End: `${nextMonth(period)}-01` },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: groupBy,
      }),
    );
    return answer.ResultsByTime![0]!;
  } finally {
    ce.destroy();
  }
}

async function costExplorerMonth(server: BursarServer, period: string): Promise<string> {
  return (await costExplorerMonthAnswer(server, period)).Total!.UnblendedCost!.Amount!;
}

async function seeded(server: BursarServer): Promise<string[]> {
  await seedDemoCosts(server.world().billing, { payer: { id: ACCOUNT_ID, name: 'Demo' }, now: testNow(), rows: 1500 });
  const periods = await server
    .world()
    .database.db.selectFrom('billing_cost_part')
    .select('billing_period')
    .distinct()
    .where('kind', '=', 'line_items')
    .orderBy('billing_period')
    .execute();
  return periods.map((p) => p.billing_period);
}

describe('Data Exports deliver files to a directory', () => {
  let directory: string;
  let server: BursarServer;
  let client: BCMDataExportsClient;
  let periods: string[];

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'bursar-exports-test-'));
    server = await startServer({ server: { exports: { store: directory } } });
    client = new BCMDataExportsClient(clientConfig(server));
    periods = await seeded(server);
    assert.ok(periods.includes(PERIOD), `the demo year has ${PERIOD}`);
  });
  after(async () => {
    client.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a CUR 2.0 export as gzip CSV: DELIVERY_SUCCESS, files per period, sums equal Cost Explorer, the manifest', async () => {
    const query =
      "SELECT bill_billing_period_start_date, line_item_usage_account_id, line_item_unblended_cost, product['product_name'] AS product_name, resource_tags, line_item_usage_start_date FROM COST_AND_USAGE_REPORT";
    const { ExportArn } = await client.send(
      new CreateExportCommand({ Export: definition('cur-csv', query, 'csv', true) }),
    );
    await server.world().exportDeliveries.idle();
    const { Executions } = await client.send(new ListExecutionsCommand({ ExportArn }));
    assert.equal(Executions!.length, 1);
    const [execution] = Executions!;
    assert.equal(execution!.ExecutionStatus!.StatusCode, 'DELIVERY_SUCCESS');
    assert.ok(execution!.ExecutionStatus!.CompletedAt instanceof Date);
    const got = await client.send(new GetExecutionCommand({ ExportArn, ExecutionId: execution!.ExecutionId }));
    assert.equal(got.Export!.DataQuery!.QueryStatement, query);
    assert.equal(got.ExecutionStatus!.StatusCode, 'DELIVERY_SUCCESS');
    const status = (await client.send(new GetExportCommand({ ExportArn }))).ExportStatus!;
    assert.equal(status.StatusCode, 'HEALTHY');
    assert.ok(status.LastRefreshedAt instanceof Date);

    const base = join(directory, 'finance-exports', 'team', 'reports', 'cur-csv');
    for (const period of periods) {
      assert.ok(existsSync(join(base, 'data', `BILLING_PERIOD=${period}`, 'cur-csv-00001.csv.gz')), period);
    }
    const file = join(base, 'data', `BILLING_PERIOD=${PERIOD}`, 'cur-csv-00001.csv.gz');
    const [row] = await duck<{ total: number; rows: number; start: string; accounts: number }>(
      `select sum(line_item_unblended_cost) as total, count(*)::integer as rows,
         min(bill_billing_period_start_date)::varchar as start, count(distinct line_item_usage_account_id)::integer as accounts
       from read_csv('${file}', header = true, hive_partitioning = false)`,
    );
    assert.ok(row!.rows > 0);
    assert.equal(row!.accounts, 1);
    assert.match(row!.start, new RegExp(`^${PERIOD}-01`));
    assert.equal(cents(row!.total), cents(await costExplorerMonth(server, PERIOD)));

    const manifest = JSON.parse(
      readFileSync(join(base, 'metadata', `BILLING_PERIOD=${PERIOD}`, 'cur-csv-Manifest.json'), 'utf8'),
    ) as Record<string, unknown>;
    assert.equal(manifest.exportArn, ExportArn);
    assert.equal(manifest.executionId, execution!.ExecutionId);
    assert.deepEqual(manifest.dataFiles, [
      `s3://finance-exports/team/reports/cur-csv/data/BILLING_PERIOD=${PERIOD}/cur-csv-00001.csv.gz`,
    ]);
    assert.deepEqual(manifest.columns, [
      { name: 'bill_billing_period_start_date', type: 'timestamp' },
      { name: 'line_item_usage_account_id', type: 'string' },
      { name: 'line_item_unblended_cost', type: 'double' },
      { name: 'product_name', type: 'string' },
      { name: 'resource_tags', type: 'map<string,string>' },
      { name: 'line_item_usage_start_date', type: 'timestamp' },
    ]);
    assert.deepEqual(manifest.billingPeriod, {
      start: `${PERIOD}-01T00:00:00.000Z`,
      end: `${nextMonth(PERIOD)}-01T00:00:00.000Z`,
    });
    const header = (
      await duck<{ names: string }>(
        `select string_agg(column_name, ',') as names from (describe select * from read_csv('${file}', header = true, hive_partitioning = false))`,
      )
    )[0]!.names;
    assert.equal(
      header,
      'bill_billing_period_start_date,line_item_usage_account_id,line_item_unblended_cost,product_name,resource_tags,line_item_usage_start_date',
    );
  });

  it('a FOCUS export as Parquet, a new report per execution: each execution its own folder, sums equal Cost Explorer', async () => {
    const query = 'SELECT BillingPeriodStart, BilledCost, ServiceName, SubAccountId, Tags FROM FOCUS_1_0_AWS';
    const { ExportArn } = await client.send(
      new CreateExportCommand({ Export: definition('focus-parquet', query, 'parquet', false) }),
    );
    await server.world().exportDeliveries.idle();
    await client.send(
      new UpdateExportCommand({
        ExportArn,
        Export: { ...definition('focus-parquet', query, 'parquet', false), Description: 'again' },
      }),
    );
    await server.world().exportDeliveries.idle();
    const first = await client.send(new ListExecutionsCommand({ ExportArn, MaxResults: 1 }));
    assert.equal(first.Executions!.length, 1);
    const second = await client.send(
      new ListExecutionsCommand({ ExportArn, MaxResults: 1, NextToken: first.NextToken }),
    );
    assert.equal(second.Executions!.length, 1);
    assert.equal(second.NextToken, undefined);
    const ids = [...first.Executions!, ...second.Executions!].map((e) => {
      assert.equal(e.ExecutionStatus!.StatusCode, 'DELIVERY_SUCCESS');
      return e.ExecutionId!;
    });
    assert.notEqual(ids[0], ids[1]);
    const expected = cents(await costExplorerMonth(server, PERIOD));
    for (const id of ids) {
      const folder = join(directory, 'finance-exports', 'team', 'reports', 'focus-parquet');
      const file = join(folder, 'data', `BILLING_PERIOD=${PERIOD}`, id, 'focus-parquet-00001.snappy.parquet');
      const [row] = await duck<{ total: number; services: number; start: string }>(
        `select sum(BilledCost) as total, count(distinct ServiceName)::integer as services,
           min(BillingPeriodStart)::varchar as start from read_parquet('${file}')`,
      );
      assert.equal(cents(row!.total), expected);
      assert.ok(row!.services > 1);
      assert.match(row!.start, new RegExp(`^${PERIOD}-01`));
      const manifest = JSON.parse(
        readFileSync(join(folder, 'metadata', `BILLING_PERIOD=${PERIOD}`, id, 'focus-parquet-Manifest.json'), 'utf8'),
      ) as { dataFiles: string[]; executionId: string };
      assert.equal(manifest.executionId, id);
      assert.deepEqual(manifest.dataFiles, [
        `s3://finance-exports/team/reports/focus-parquet/data/BILLING_PERIOD=${PERIOD}/${id}/focus-parquet-00001.snappy.parquet`,
      ]);
    }
  });

  it('tags: only the activated cost allocation tags (CUR 2.0 as user_<key>), their sums equal Cost Explorer by tag', async () => {
    // The demo seed activates `team` and `env`: with neither active the exports carry no tags; with `team` only,
    // only `team`.
    const keysOf = async (file: string, column: string) =>
      (
        await duck<{ key: string }>(
          `select distinct unnest(map_keys(${column})) as key from read_parquet('${file}') order by key`,
        )
      ).map((row) => row.key);
    const deliver = async (name: string, query: string) => {
      const { ExportArn } = await client.send(
        new CreateExportCommand({ Export: definition(name, query, 'parquet', true) }),
      );
      await server.world().exportDeliveries.idle();
      const { Executions } = await client.send(new ListExecutionsCommand({ ExportArn }));
      assert.equal(Executions!.at(-1)!.ExecutionStatus!.StatusCode, 'DELIVERY_SUCCESS');
      return join(directory, 'finance-exports', 'team', 'reports', name, 'data', `BILLING_PERIOD=${PERIOD}`);
    };
    const cur = 'SELECT line_item_unblended_cost, resource_tags FROM COST_AND_USAGE_REPORT';
    const statuses = (team: 'Active' | 'Inactive') =>
      setCostAllocationTagStatuses(
        server.world().billing,
        ACCOUNT_ID,
        [
          { TagKey: 'team', Status: team },
          { TagKey: 'env', Status: 'Inactive' },
        ],
        testNow(),
      );
    await statuses('Inactive');
    const before = await deliver('tags-before', cur);
    assert.deepEqual(await keysOf(join(before, 'tags-before-00001.snappy.parquet'), 'resource_tags'), []);

    await statuses('Active');
    const after = join(await deliver('tags-cur', cur), 'tags-cur-00001.snappy.parquet');
    assert.deepEqual(await keysOf(after, 'resource_tags'), ['user_team']);
    const focus = join(
      await deliver('tags-focus', 'SELECT BilledCost, Tags FROM FOCUS_1_0_AWS'),
      'tags-focus-00001.snappy.parquet',
    );
    assert.deepEqual(await keysOf(focus, 'Tags'), ['team']);

    const exported = await duck<{ team: string; total: number }>(
      `select coalesce(resource_tags['user_team'], '') as team, sum(line_item_unblended_cost) as total
       from read_parquet('${after}') group by all order by team`,
    );
    const answer = await costExplorerMonthAnswer(server, PERIOD, [{ Type: 'TAG', Key: 'team' }]);
    const groups = answer
      .Groups!.map((g) => ({
        team: g.Keys![0]!.slice('team$'.length),
        total: cents(g.Metrics!.UnblendedCost!.Amount!),
      }))
      .sort((a, b) => a.team.localeCompare(b.team));
    assert.ok(groups.length > 1);
    assert.deepEqual(
      exported.map((row) => ({ team: row.team, total: cents(row.total) })),
      groups,
    );
  });

  it('TIME_GRANULARITY sums line items per day or month; the sums still equal Cost Explorer', async () => {
    const query =
      'SELECT line_item_usage_start_date, line_item_usage_end_date, line_item_usage_type, line_item_unblended_cost FROM COST_AND_USAGE_REPORT';
    const counts: Record<string, number> = {};
    for (const granularity of ['DAILY', 'MONTHLY']) {
      const name = `cur-${granularity.toLowerCase()}`;
      const export_ = definition(name, query, 'parquet', true);
      export_.DataQuery!.TableConfigurations = { COST_AND_USAGE_REPORT: { TIME_GRANULARITY: granularity } };
      await client.send(new CreateExportCommand({ Export: export_ }));
      await server.world().exportDeliveries.idle();
      const file = join(
        directory,
        ...`finance-exports/team/reports/${name}/data/BILLING_PERIOD=${PERIOD}/${name}-00001.snappy.parquet`.split('/'),
      );
      const [row] = await duck<{
        total: number;
        rows: number;
        starts: number;
        first: string;
        last_end: string;
        off: number;
      }>(
        `select sum(line_item_unblended_cost) as total, count(*)::integer as rows,
           count(distinct line_item_usage_start_date)::integer as starts,
           min(line_item_usage_start_date)::varchar as first, max(line_item_usage_end_date)::varchar as last_end,
           count(*) filter (where hour(line_item_usage_start_date) <> 0)::integer as off
         from read_parquet('${file}', hive_partitioning = false)`,
      );
      assert.equal(cents(row!.total), cents(await costExplorerMonth(server, PERIOD)), granularity);
      assert.equal(row!.off, 0, `${granularity} periods start at midnight`);
      assert.match(row!.first, new RegExp(`^${PERIOD}-01 00:00:00`));
      if (granularity === 'MONTHLY') {
        assert.equal(row!.starts, 1);
        assert.match(row!.last_end, new RegExp(`^${nextMonth(PERIOD)}-01 00:00:00`));
      } else {
        assert.ok(row!.starts > 1);
      }
      counts[granularity] = row!.rows;
    }
    assert.ok(counts.MONTHLY! < counts.DAILY!, `fewer monthly rows than daily: ${JSON.stringify(counts)}`);
  });

  it('ListTables and GetTable describe the tables, their properties and columns', async () => {
    const page = await client.send(new ListTablesCommand({ MaxResults: 2 }));
    assert.equal(page.Tables!.length, 2);
    const all = [...page.Tables!, ...(await client.send(new ListTablesCommand({ NextToken: page.NextToken }))).Tables!];
    assert.deepEqual(
      all.map((t) => t.TableName),
      [
        'CARBON_EMISSIONS',
        'COST_AND_USAGE_DASHBOARD',
        'COST_AND_USAGE_REPORT',
        'COST_OPTIMIZATION_RECOMMENDATIONS',
        'FOCUS_1_0_AWS',
        'FOCUS_1_2_AWS',
      ],
    );
    const cur = all.find((t) => t.TableName === 'COST_AND_USAGE_REPORT')!;
    assert.deepEqual(
      cur.TableProperties!.map((p) => [p.Name, p.DefaultValue]),
      [
        ['TIME_GRANULARITY', 'HOURLY'],
        ['INCLUDE_RESOURCES', 'FALSE'],
        ['INCLUDE_SPLIT_COST_ALLOCATION_DATA', 'FALSE'],
        ['INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY', 'FALSE'],
      ],
    );
    assert.deepEqual(cur.TableProperties![0]!.ValidValues, ['HOURLY', 'DAILY', 'MONTHLY']);

    const plain = await client.send(new GetTableCommand({ TableName: 'COST_AND_USAGE_REPORT' }));
    assert.equal(plain.TableProperties!.INCLUDE_RESOURCES, 'FALSE');
    const names = plain.Schema!.map((c) => c.Name);
    assert.ok(names.includes('line_item_unblended_cost'));
    assert.ok(!names.includes('line_item_resource_id'));
    assert.ok(!names.some((n) => n!.startsWith('split_line_item_')));
    assert.deepEqual(
      plain.Schema!.find((c) => c.Name === 'line_item_unblended_cost'),
      {
        Name: 'line_item_unblended_cost',
        Type: 'double',
        Description: 'The unblended rate multiplied by the usage amount.',
      },
    );
    const withResources = await client.send(
      new GetTableCommand({ TableName: 'COST_AND_USAGE_REPORT', TableProperties: { INCLUDE_RESOURCES: 'TRUE' } }),
    );
    assert.ok(withResources.Schema!.some((c) => c.Name === 'line_item_resource_id'));
    const focus = await client.send(new GetTableCommand({ TableName: 'FOCUS_1_0_AWS' }));
    assert.equal(focus.Schema!.find((c) => c.Name === 'BilledCost')!.Type, 'double');
    assert.deepEqual(focus.TableProperties, {});

    await rejectsWith(client.send(new GetTableCommand({ TableName: 'NOPE' })), 'ValidationException', 400, /NOPE/);
    await rejectsWith(
      client.send(new GetTableCommand({ TableName: 'COST_AND_USAGE_REPORT', TableProperties: { COLOUR: 'blue' } })),
      'ValidationException',
      400,
      /no property COLOUR/,
    );
    await rejectsWith(
      client.send(
        new GetTableCommand({ TableName: 'COST_AND_USAGE_REPORT', TableProperties: { TIME_GRANULARITY: 'WEEKLY' } }),
      ),
      'ValidationException',
      400,
      /must be one of HOURLY, DAILY, MONTHLY/,
    );
  });

  it('refuses a query naming what its table does not have', async () => {
    const refused = async (query: string, message: RegExp, configurations?: Record<string, Record<string, string>>) => {
      const export_ = definition('refused', query, 'csv', true);
      if (configurations !== undefined) export_.DataQuery!.TableConfigurations = configurations;
      await rejectsWith(client.send(new CreateExportCommand({ Export: export_ })), 'ValidationException', 400, message);
    };
    await refused(
      'SELECT line_item_unblended_cost, no_such_column FROM COST_AND_USAGE_REPORT',
      /Column no_such_column does not exist in table COST_AND_USAGE_REPORT/,
    );
    await refused('SELECT billed_cost FROM FOCUS_1_0_AWS', /Column billed_cost does not exist in table FOCUS_1_0_AWS/);
    await refused('SELECT * FROM COST_AND_USAGE_REPORT', /SELECT \* is not supported/);
    await refused(
      "SELECT line_item_unblended_cost FROM COST_AND_USAGE_REPORT WHERE line_item_product_code = 'AmazonEC2'",
      /nothing may follow the table/,
    );
    await refused("SELECT line_item_usage_type['x'] FROM COST_AND_USAGE_REPORT", /Only a map column's key/);
    await refused(
      'SELECT line_item_resource_id FROM COST_AND_USAGE_REPORT',
      /needs the table property INCLUDE_RESOURCES=TRUE/,
    );
    await refused('SELECT line_item_unblended_cost, line_item_unblended_cost FROM COST_AND_USAGE_REPORT', /twice/);
    await refused('SELECT line_item_unblended_cost, FROM COST_AND_USAGE_REPORT', /syntax error/);
    await refused('SELECT line_item_unblended_cost FROM COST_AND_USAGE_REPORT', /must be one of TRUE, FALSE/, {
      COST_AND_USAGE_REPORT: { INCLUDE_RESOURCES: 'YES' },
    });
    await refused('SELECT line_item_unblended_cost FROM COST_AND_USAGE_REPORT', /names FOCUS_1_0_AWS/, {
      FOCUS_1_0_AWS: {},
    });
    // With the property, the column is there.
    const accepted = definition(
      'with-resources',
      'SELECT line_item_resource_id, line_item_unblended_cost FROM cost_and_usage_report',
      'csv',
      true,
    );
    accepted.DataQuery!.TableConfigurations = { COST_AND_USAGE_REPORT: { INCLUDE_RESOURCES: 'TRUE' } };
    await client.send(new CreateExportCommand({ Export: accepted }));
    await server.world().exportDeliveries.idle();
  });
});

describe('Cost and Usage Report definitions deliver the legacy CUR', () => {
  let directory: string;
  let server: BursarServer;
  let cur: CostAndUsageReportServiceClient;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'bursar-cur-test-'));
    server = await startServer({ server: { exports: { store: directory } } });
    cur = new CostAndUsageReportServiceClient(clientConfig(server));
    await seeded(server);
  });
  after(async () => {
    cur.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a CSV report: a manifest per period naming its assembly and keys, legacy column names, sums equal Cost Explorer', async () => {
    await cur.send(
      new PutReportDefinitionCommand({
        ReportDefinition: {
          ReportName: 'daily-cur',
          TimeUnit: 'DAILY',
          Format: 'textORcsv',
          Compression: 'GZIP',
          AdditionalSchemaElements: ['RESOURCES'],
          S3Bucket: 'billing-reports',
          S3Prefix: 'cur',
          S3Region: 'us-east-1',
          ReportVersioning: 'CREATE_NEW_REPORT',
        },
      }),
    );
    await server.world().exportDeliveries.idle();
    const range = `${PERIOD.replace('-', '')}01-${nextMonth(PERIOD).replace('-', '')}01`;
    const manifest = JSON.parse(
      readFileSync(join(directory, 'billing-reports', 'cur', 'daily-cur', range, 'daily-cur-Manifest.json'), 'utf8'),
    ) as {
      assemblyId: string;
      account: string;
      reportKeys: string[];
      columns: { category: string; name: string; type: string }[];
      billingPeriod: { start: string; end: string };
      bucket: string;
    };
    assert.equal(manifest.account, ACCOUNT_ID);
    assert.equal(manifest.bucket, 'billing-reports');
    assert.deepEqual(manifest.reportKeys, [`cur/daily-cur/${range}/${manifest.assemblyId}/daily-cur-00001.csv.gz`]);
    assert.deepEqual(manifest.billingPeriod, {
      start: `${range.slice(0, 8)}T000000.000Z`,
      end: `${range.slice(9)}T000000.000Z`,
    });
    assert.deepEqual(
      manifest.columns.find((c) => c.name === 'UnblendedCost'),
      { category: 'lineItem', name: 'UnblendedCost', type: 'BigDecimal' },
    );
    assert.ok(manifest.columns.some((c) => c.category === 'lineItem' && c.name === 'ResourceId'));
    const file = join(directory, 'billing-reports', ...manifest.reportKeys[0]!.split('/'));
    const [row] = await duck<{ total: number }>(
      `select sum("lineItem/UnblendedCost") as total from read_csv('${file}', header = true, hive_partitioning = false)`,
    );
    assert.equal(cents(row!.total), cents(await costExplorerMonth(server, PERIOD)));

    // DescribeReportDefinitions reports the delivery (the SDK client here predates ReportStatus: asked through invoke()).
    const described = (await server
      .world()
      .invoke(
        { kind: 'root', accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:root`, userId: ACCOUNT_ID },
        { requestId: 'cur', sourceIp: '127.0.0.1', userAgent: 'test', now: testNow(), via: 'json' },
        'cur',
        'DescribeReportDefinitions',
        {},
      )) as { ReportDefinitions: { ReportStatus?: { lastStatus: string; lastDelivery: string } }[] };
    assert.equal(described.ReportDefinitions[0]!.ReportStatus!.lastStatus, 'SUCCESS');
    assert.match(described.ReportDefinitions[0]!.ReportStatus!.lastDelivery, /^\d{8}T\d{6}Z$/);
  });

  it('a Parquet report: Athena column names under <name>/year=YYYY/month=M/', async () => {
    await cur.send(
      new PutReportDefinitionCommand({
        ReportDefinition: {
          ReportName: 'athena-cur',
          TimeUnit: 'HOURLY',
          Format: 'Parquet',
          Compression: 'Parquet',
          AdditionalSchemaElements: [],
          S3Bucket: 'billing-reports',
          S3Prefix: 'cur',
          S3Region: 'us-east-1',
          AdditionalArtifacts: ['ATHENA'],
          ReportVersioning: 'OVERWRITE_REPORT',
        },
      }),
    );
    await server.world().exportDeliveries.idle();
    const [year, month] = PERIOD.split('-').map(Number);
    const file = join(
      directory,
      ...`billing-reports/cur/athena-cur/athena-cur/year=${year}/month=${month}/athena-cur-00001.snappy.parquet`.split(
        '/',
      ),
    );
    const [row] = await duck<{ total: number; resources: number }>(
      `select sum(line_item_unblended_cost) as total,
         (select count(*) from (describe select * from read_parquet('${file}', hive_partitioning = false)) where column_name = 'line_item_resource_id')::integer as resources
       from read_parquet('${file}', hive_partitioning = false)`,
    );
    assert.equal(cents(row!.total), cents(await costExplorerMonth(server, PERIOD)));
    assert.equal(row!.resources, 0);
  });
});

describe('Data Exports deliver files to an S3-compatible store', () => {
  let s3: TestS3;
  let server: BursarServer;
  let client: BCMDataExportsClient;

  before(async () => {
    s3 = await startTestS3(['bursar-deliveries']);
    server = await startServer({
      server: {
        exports: { store: 's3://bursar-deliveries/exports', endpoint: s3.endpoint, credentials: s3.credentials },
      },
    });
    client = new BCMDataExportsClient(clientConfig(server));
    await seeded(server);
  });
  after(async () => {
    client.destroy();
    await server.close();
    await s3.close();
  });

  it('writes the data files and the manifest as objects under the export’s bucket and prefix', async () => {
    const { ExportArn } = await client.send(
      new CreateExportCommand({
        Export: definition('to-s3', 'SELECT line_item_unblended_cost FROM COST_AND_USAGE_REPORT', 'parquet', true),
      }),
    );
    await server.world().exportDeliveries.idle();
    const [execution] = (await client.send(new ListExecutionsCommand({ ExportArn }))).Executions!;
    assert.equal(execution!.ExecutionStatus!.StatusCode, 'DELIVERY_SUCCESS');
    const objects = s3.objects.get('bursar-deliveries')!;
    const base = 'exports/finance-exports/team/reports/to-s3';
    const data = objects.get(`${base}/data/BILLING_PERIOD=${PERIOD}/to-s3-00001.snappy.parquet`);
    assert.ok(data !== undefined, [...objects.keys()].join('\n'));
    const manifest = JSON.parse(
      objects.get(`${base}/metadata/BILLING_PERIOD=${PERIOD}/to-s3-Manifest.json`)!.toString('utf8'),
    ) as { dataFiles: string[] };
    assert.deepEqual(manifest.dataFiles, [
      `s3://finance-exports/team/reports/to-s3/data/BILLING_PERIOD=${PERIOD}/to-s3-00001.snappy.parquet`,
    ]);
    const local = join(mkdtempSync(join(tmpdir(), 'bursar-exports-s3-')), 'part.parquet');
    writeFileSync(local, data);
    const [row] = await duck<{ total: number }>(
      `select sum(line_item_unblended_cost) as total from read_parquet('${local}')`,
    );
    assert.equal(cents(row!.total), cents(await costExplorerMonth(server, PERIOD)));
    rmSync(join(local, '..'), { recursive: true, force: true });
  });
  it('a delivery the store refuses: DELIVERY_FAILURE with its reason, and the export UNHEALTHY', async () => {
    const broken = await startServer({
      server: {
        exports: { store: 's3://no-such-bucket/exports', endpoint: s3.endpoint, credentials: s3.credentials },
      },
    });
    const failing = new BCMDataExportsClient(clientConfig(broken));
    try {
      await seedDemoCosts(broken.world().billing, {
        payer: { id: ACCOUNT_ID, name: 'Demo' },
        now: testNow(),
        rows: 200,
      });
      const { ExportArn } = await failing.send(
        new CreateExportCommand({
          Export: definition('nowhere', 'SELECT line_item_unblended_cost FROM COST_AND_USAGE_REPORT', 'csv', true),
        }),
      );
      await broken.world().exportDeliveries.idle();
      const [execution] = (await failing.send(new ListExecutionsCommand({ ExportArn }))).Executions!;
      assert.equal(execution!.ExecutionStatus!.StatusCode, 'DELIVERY_FAILURE');
      assert.equal(execution!.ExecutionStatus!.StatusReason, 'INTERNAL_FAILURE');
      assert.ok(execution!.ExecutionStatus!.CompletedAt instanceof Date);
      const status = (await failing.send(new GetExportCommand({ ExportArn }))).ExportStatus!;
      assert.equal(status.StatusCode, 'UNHEALTHY');
      assert.equal(status.LastRefreshedAt, undefined);
    } finally {
      failing.destroy();
      await broken.close();
    }
  });
});
