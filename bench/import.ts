/**
 * `npm run bench:import [-- --rows N --keep DIR]`: generates (untimed, with DuckDB SQL) a FOCUS 1.2 export of N
 * rows — twelve billing periods, 50 usage accounts, 32 services, 6 regions, `team`/`env` tags on 88 % of rows,
 * costs as ten-decimal text — written as CSV, gzipped CSV and Parquet (typed columns), then times
 * `bursar import` of each file into a fresh SQLite data dir and prints rows/s, beside DuckDB's own read of the
 * same file (every column into a table, with the importer's reader settings: the ceiling). Pass --keep to leave
 * the files and data dirs in DIR.
 */
import { mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { openSource } from '../src/billing/costs/import/source-files.js';
import { run as importCommand } from '../src/cli/import-command.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    keep: { type: 'string' },
  },
});
const rows = Number(values.rows);
const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'bursar-bench-import-'));
mkdirSync(dir, { recursive: true });
const PAYER = '100000000000';
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** One FOCUS row per `i`, every value a function of `hash(i + k)`, so runs repeat. */
const FOCUS_ROWS = `
  with r as (
    select i, cast(hash(i) >> 1 as bigint) as h, cast(hash(i + 1) >> 1 as bigint) as h2,
      cast(cast(cast(hash(i) % 500000000000 as bigint) as decimal(18, 0)) * 0.0000000001 as decimal(18, 10)) as cost,
      date '2026-01-01' + cast(i * 365 // ${rows} as integer) as day
    from range(${rows}) t(i)
  )
  select
    cost as BilledCost,
    cast(cost * 0.95 as decimal(18, 10)) as EffectiveCost,
    cast(cost * 1.1 as decimal(18, 10)) as ListCost,
    '${PAYER}' as BillingAccountId,
    'Bench Payer' as BillingAccountName,
    'USD' as BillingCurrency,
    cast(date_trunc('month', day) as timestamp) as BillingPeriodStart,
    cast(date_trunc('month', day) + interval 1 month as timestamp) as BillingPeriodEnd,
    cast(day as timestamp) + to_hours(cast(h2 % 24 as integer)) as ChargePeriodStart,
    cast(day as timestamp) + to_hours(cast(h2 % 24 as integer) + 1) as ChargePeriodEnd,
    case when h % 1000 = 0 then 'Tax' when h % 997 = 0 then 'Credit' else 'Usage' end as ChargeCategory,
    'Bench usage ' || (h % 97) as ChargeDescription,
    cast(h2 % 10000 as double) / 100 as ConsumedQuantity,
    'Hrs' as ConsumedUnit,
    cast(h2 % 10000 as double) / 100 as PricingQuantity,
    'Hrs' as PricingUnit,
    'AWS' as ProviderName,
    'Amazon Service ' || (h % 32) as ServiceName,
    'Compute' as ServiceCategory,
    ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'][1 + h2 % 6] as RegionId,
    NULL::varchar as AvailabilityZone,
    cast(${Number(PAYER)} + h2 % 50 as varchar) as SubAccountId,
    'Member ' || (h2 % 50) as SubAccountName,
    'arn:aws:bench:::resource/' || (h % 100000) as ResourceId,
    'SKU' || (h % 5000) as SkuId,
    'Amazon Web Services, Inc.' as InvoiceIssuerName,
    case when h2 % 100 < 12 then NULL
      else '{"team":"team-' || (h2 % 8) || '","env":"' || ['prod', 'staging', 'dev'][1 + h % 3] || '"}' end as Tags,
    'Usage' || (h % 200) as x_UsageType,
    'Run' || (h % 20) as x_Operation,
    'AmazonService' || (h % 32) as x_ServiceCode
  from r`;

async function generate(): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  const files = {
    CSV: join(dir, 'focus.csv'),
    'CSV.gz': join(dir, 'focus.csv.gz'),
    Parquet: join(dir, 'focus.parquet'),
  };
  const started = performance.now();
  await duck.run(`create table focus as ${FOCUS_ROWS}`);
  await duck.run(`copy focus to '${files.CSV}' (header, timestampformat '%Y-%m-%d %H:%M:%S')`);
  await duck.run(`copy focus to '${files['CSV.gz']}' (header, timestampformat '%Y-%m-%d %H:%M:%S', compression gzip)`);
  await duck.run(`copy focus to '${files.Parquet}' (format parquet)`);
  duck.closeSync();
  instance.closeSync();
  console.log(`generated ${fmt(rows)} FOCUS rows in ${((performance.now() - started) / 1000).toFixed(1)} s (untimed):`);
  for (const [label, path] of Object.entries(files))
    console.log(`  ${label.padEnd(8)} ${fmt(statSync(path).size / 1024 / 1024)} MiB  ${path}`);
  return files;
}

/**
 * Seconds (wall clock, and CPU over all of DuckDB's threads) DuckDB takes to read every column of the file into
 * a table, as the importer's reader is set up.
 */
async function duckdbRead(path: string): Promise<{ seconds: number; cpu: number }> {
  const source = await openSource(path);
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '512MB' });
  const duck = await instance.connect();
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await duck.run(`create table t as select * from ${source.from}`);
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
  } finally {
    duck.closeSync();
    instance.closeSync();
  }
}

async function main(): Promise<void> {
  console.log(`bench:import — ${fmt(rows)} rows; files and data dirs in ${dir}`);
  const files = await generate();
  const results: string[] = [];
  for (const [label, path] of Object.entries(files)) {
    const dataDir = join(dir, `data-${label.replace('.', '-').toLowerCase()}`);
    rmSync(dataDir, { recursive: true, force: true });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const status = await importCommand([path, '--account', PAYER, '--data-dir', dataDir]);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (status !== 0) throw new Error(`bursar import of ${path} exited with ${status}`);
    const duckdb = await duckdbRead(path);
    const cpuSeconds = (used.user + used.system) / 1e6;
    // CPU time (all of DuckDB's threads) tells the import's own cost apart from waiting for shared cores: on a
    // loaded machine the CPU ratio is the one that repeats.
    results.push(
      `${label.padEnd(8)} ${fmt(rows)} rows in ${seconds.toFixed(1)} s = ${fmt(rows / seconds)} rows/s, ${cpuSeconds.toFixed(1)} s CPU; ` +
        `DuckDB reading it (same run): ${duckdb.seconds.toFixed(1)} s = ${fmt(rows / duckdb.seconds)} rows/s, ${duckdb.cpu.toFixed(1)} s CPU; ` +
        `importer at ${((duckdb.seconds / seconds) * 100).toFixed(0)} % of DuckDB's rate by wall clock, ${((duckdb.cpu / cpuSeconds) * 100).toFixed(0)} % by CPU; ` +
        `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    );
  }
  console.log(`bursar import into a fresh SQLite data dir:\n${results.join('\n')}`);
}

try {
  await main();
} finally {
  if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
}
