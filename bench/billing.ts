/**
 * `npm run bench:billing [-- --rows N --accounts N --iterations N --data-dir DIR]`: generates demo line items
 * (twelve months, one payer and its member accounts), imports them into a SQLite store, and prints the import
 * rate, the storage size (the Parquet partition blobs, and the SQLite file), and GetCostAndUsage p50/p99 for
 * three queries: (a) twelve months MONTHLY by SERVICE, (b) 90 days DAILY by LINKED_ACCOUNT and TAG `team`
 * filtered to two services, (c) one month DAILY unfiltered; then how long a fresh engine (another server on the
 * same store) takes to load everything for its first question. As the anchor, DuckDB computes (a) straight from
 * the same raw line items (loaded into it untimed).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { Billing } from '../src/billing/billing.js';
import { generateDemoCosts } from '../src/billing/costs/demo-generator.js';
import type { DemoOptions } from '../src/billing/costs/demo-generator.js';
import { getCostAndUsage } from '../src/operations/ce/operations.js';
import { openDatabase } from '../src/store/database.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    accounts: { type: 'string', default: '50' },
    iterations: { type: 'string', default: '30' },
    'data-dir': { type: 'string' },
    'skip-duckdb': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const accountCount = Number(values.accounts);
const iterations = Number(values.iterations);
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'bursar-bench-billing-'));
const ownsDataDir = values['data-dir'] === undefined;

const payer = { id: '100000000000', name: 'Bench Payer' };
const options: DemoOptions = {
  seed: 42,
  payer,
  members: Array.from({ length: accountCount - 1 }, (_, i) => ({
    id: String(100000000001 + i),
    name: `Member ${i + 1}`,
  })),
  startMonth: '2025-12',
  months: 12,
  targetRows: rows,
};
const NOW = new Date('2026-12-15T00:00:00Z');

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  console.log(
    `bench:billing — ${fmt(rows)} line items requested, ${accountCount} accounts, 12 months; store in ${dataDir}`,
  );
  const loadBefore = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const database = await openDatabase({ dataDir });
  const billing = new Billing(database.db, database.dialect);
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const summary = await billing.store.import(generateDemoCosts(options), {
      ownerAccountId: payer.id,
      importId: 'bench',
      source: 'demo',
      format: 'demo',
      now: NOW,
      progressEvery: 1_000_000,
      onProgress: (n) => console.log(`  … ${fmt(n)} rows (${fmt(n / ((performance.now() - started) / 1000))} rows/s)`),
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(
      `import: ${fmt(summary.lineItems)} line items in ${seconds.toFixed(1)} s = ${fmt(summary.lineItems / seconds)} rows/s (generation, coding, Parquet parts, rollups, one relational transaction); process CPU time ${((used.user + used.system) / 1e6).toFixed(1)} s (load average before: ${loadBefore})`,
    );
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
    const bytes = readdirSync(dataDir)
      .filter((f) => f.startsWith('bursar.sqlite'))
      .reduce((sum, f) => sum + statSync(join(dataDir, f)).size, 0);
    const blobs = await sql<{ bytes: number; parts: number }>`
      select sum(length(data)) as bytes, count(*) as parts from billing_cost_partition`.execute(database.db);
    const blobBytes = Number(blobs.rows[0]!.bytes);
    const tables = billing.engine
      .partitionsOf([payer.id], '0000-01-01', '9999-12-31')
      .flatMap((partition) => Object.values(partition.tables).flat());
    const rollupRows = await billing.engine.query(
      `select ${tables.map((table) => `(select count(*) from ${table})`).join(' + ')} as n`,
    );
    console.log(
      `storage: ${fmt(blobBytes / 1024 / 1024)} MiB of Parquet partition blobs (${fmt(Number(blobs.rows[0]!.parts))} parts, ${fmt(blobBytes / summary.lineItems)} bytes per line item); SQLite file ${fmt(bytes / 1024 / 1024)} MiB; engine rollup rows (in memory) ${fmt(Number(rollupRows[0]!.n))}`,
    );

    const ctx = {
      caller: { kind: 'root' as const, accountId: payer.id, arn: `arn:aws:iam::${payer.id}:root`, userId: payer.id },
      facts: { requestId: 'bench', sourceIp: '127.0.0.1', userAgent: 'bench', now: NOW, via: 'json' as const },
      services: { billing },
    };
    const queries: Array<[string, Record<string, unknown>]> = [
      [
        '(a) 12 months MONTHLY by SERVICE',
        {
          TimePeriod: { Start: '2025-12-01', End: '2026-12-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        },
      ],
      [
        '(b) 90 days DAILY by LINKED_ACCOUNT + TAG team, filtered',
        {
          TimePeriod: { Start: '2026-06-01', End: '2026-08-30' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          GroupBy: [
            { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
            { Type: 'TAG', Key: 'team' },
          ],
          Filter: {
            Dimensions: {
              Key: 'SERVICE',
              Values: ['Amazon Elastic Compute Cloud - Compute', 'Amazon Relational Database Service'],
            },
          },
        },
      ],
      [
        '(c) one month DAILY unfiltered',
        { TimePeriod: { Start: '2026-10-01', End: '2026-11-01' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] },
      ],
    ];
    for (const [label, input] of queries) {
      const samples: number[] = [];
      let groups = 0;
      for (let i = 0; i < iterations; i++) {
        const t = performance.now();
        let token: string | undefined;
        groups = 0;
        do {
          const out = await getCostAndUsage.handler({ ...input, NextPageToken: token }, ctx);
          groups += (out.ResultsByTime as Array<{ Groups: unknown[] }>).reduce(
            (n, r) => n + Math.max(1, r.Groups.length),
            0,
          );
          token = out.NextPageToken as string | undefined;
        } while (token !== undefined);
        samples.push(performance.now() - t);
      }
      console.log(
        `GetCostAndUsage ${label}: p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms (${iterations} runs, ${fmt(groups)} result entries)`,
      );
    }

    const fresh = new Billing(database.db, database.dialect);
    const coldStart = performance.now();
    await getCostAndUsage.handler(queries[0]![1], { ...ctx, services: { billing: fresh } });
    console.log(
      `cold start: a fresh engine answers its first question (loading every partition from the store) in ${((performance.now() - coldStart) / 1000).toFixed(1)} s`,
    );
    await fresh.close();

    if (!values['skip-duckdb']) {
      const duck = await (await DuckDBInstance.create(':memory:')).connect();
      await duck.run('create table line_item (usage_date varchar, service varchar, unblended_cost bigint)');
      const appender = await duck.createAppender('line_item');
      for (const item of generateDemoCosts(options)) {
        appender.appendVarchar(item.chargePeriodStart.slice(0, 10));
        appender.appendVarchar(item.serviceName);
        appender.appendBigInt(BigInt(item.billedCost));
        appender.endRow();
      }
      appender.closeSync();
      const samples: number[] = [];
      for (let i = 0; i < Math.min(iterations, 10); i++) {
        const t = performance.now();
        await duck.runAndReadAll(
          `select substr(usage_date, 1, 7) as month, service, cast(sum(unblended_cost) as varchar) from line_item
           where usage_date >= '2025-12-01' and usage_date < '2026-12-01' group by all order by all`,
        );
        samples.push(performance.now() - t);
      }
      console.log(
        `anchor: DuckDB (in-memory, from the raw line items) computes (a) in p50 ${percentile(samples, 50).toFixed(1)} ms`,
      );
      duck.closeSync();
    }
  } finally {
    await billing.close();
    await database.close();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
