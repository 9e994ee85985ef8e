/**
 * `npm run bench:billing [-- --rows N[,N…] --accounts N --iterations N --postgres URL --skip-duckdb --keep DIR]`: for each size,
 * generates demo line items (twelve months, one payer and its member accounts) and imports them into a SQLite
 * store with a local directory blob store, printing the import rate beside DuckDB reading the written line item
 * parts back (the ceiling: the same bytes, no generation, coding or rollups). Then a FRESH PROCESS (a starting
 * server: nothing loaded) opens the store and prints its first answer's time, warm GetCostAndUsage p50/p99 of
 * three queries (the whole paged answer; for a large answer also its first page) — (a) twelve months MONTHLY by SERVICE, (b) 90 days DAILY by LINKED_ACCOUNT and TAG `team`
 * filtered to two services, (c) one month DAILY unfiltered — and its peak RSS. The demo's `team` and `env` tags are
 * activated as cost allocation tags, so (b) reads the tag rollup. With `--postgres`, a fresh PostgreSQL schema gets
 * the same parts (their rows copied from SQLite; the blob store is shared, as servers of one deployment share it)
 * and two server processes answer at once. `--keep DIR` leaves each size's SQLite data dir and blob store in DIR
 * (`DIR/<rows>/sqlite`, `DIR/<rows>/parts`), for a later `--child --data-dir … --store …` run or profiling.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { Billing } from '../src/billing/billing.js';
import { LocalBlobStore } from '../src/billing/costs/blobs/local-blob-store.js';
import { parquetSource } from '../src/billing/costs/cost-engine.js';
import { setCostAllocationTagStatuses } from '../src/billing/costs/cost-allocation-tags.js';
import { generateDemoCosts } from '../src/billing/costs/demo-generator.js';
import type { DemoOptions } from '../src/billing/costs/demo-generator.js';
import { getCostAndUsage } from '../src/operations/ce/operations.js';
import { dropSchema, openDatabase } from '../src/store/database.js';
import type { OpenedDatabase } from '../src/store/database.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    accounts: { type: 'string', default: '50' },
    iterations: { type: 'string', default: '30' },
    postgres: { type: 'string' },
    'skip-duckdb': { type: 'boolean', default: false },
    keep: { type: 'string' },
    // A server process of the bench (spawned by it): answers and reports as JSON.
    child: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    schema: { type: 'string' },
    store: { type: 'string' },
  },
});
const accountCount = Number(values.accounts);
const iterations = Number(values.iterations);
const payer = { id: '100000000000', name: 'Bench Payer' };
const NOW = new Date('2026-12-15T00:00:00Z');

const demoOptions = (rows: number): DemoOptions => ({
  seed: 42,
  payer,
  members: Array.from({ length: accountCount - 1 }, (_, i) => ({
    id: String(100000000001 + i),
    name: `Member ${i + 1}`,
  })),
  startMonth: '2025-12',
  months: 12,
  targetRows: rows,
});

const QUERIES: Array<[string, Record<string, unknown>]> = [
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

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const ms = (n: number) => `${n.toFixed(1)} ms`;
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface ChildReport {
  /** From opening the store to answer (a). */
  firstAnswerMs: number;
  /** From the process's start (performance's time origin) to answer (a): adds Node, tsx and module loading. */
  sinceProcessStartMs: number;
  /** Per query: the whole (paged) answer's p50/p99, and the first page's p50 (what a caller waits for first). */
  queries: Array<{ label: string; p50: number; p99: number; firstPageP50: number; entries: number; pages: number }>;
  peakRssMiB: number;
}

/** One paged GetCostAndUsage; returns how many result entries and pages it gave and how long its first page took. */
async function ask(
  billing: Billing,
  input: Record<string, unknown>,
): Promise<{ entries: number; pages: number; firstPage: number }> {
  const ctx = {
    caller: { kind: 'root' as const, accountId: payer.id, arn: `arn:aws:iam::${payer.id}:root`, userId: payer.id },
    facts: { requestId: 'bench', sourceIp: '127.0.0.1', userAgent: 'bench', now: NOW, via: 'json' as const },
    services: { billing },
  };
  let token: string | undefined;
  let entries = 0;
  const started = performance.now();
  let firstPage: number | undefined;
  let pages = 0;
  do {
    const out = await getCostAndUsage.handler({ ...input, NextPageToken: token }, ctx);
    firstPage ??= performance.now() - started;
    pages += 1;
    entries += (out.ResultsByTime as Array<{ Groups: unknown[] }>).reduce(
      (n, r) => n + Math.max(1, r.Groups.length),
      0,
    );
    token = out.NextPageToken as string | undefined;
  } while (token !== undefined);
  return { entries, pages, firstPage: firstPage! };
}

/** The server side: a process that opens the store (no cost data loaded) and answers. */
async function child(): Promise<void> {
  const started = performance.now();
  const database = await openDatabase(
    values.schema === undefined ? { dataDir: values['data-dir']! } : { url: values.postgres!, schema: values.schema },
  );
  const billing = new Billing(database.db, database.dialect, undefined, undefined, undefined, {
    blobs: new LocalBlobStore(values.store!),
  });
  await billing.start();
  await ask(billing, QUERIES[0]![1]);
  const firstAnswerMs = performance.now() - started;
  const sinceProcessStartMs = performance.now();
  const queries: ChildReport['queries'] = [];
  for (const [label, input] of QUERIES) {
    const samples: number[] = [];
    const firstPages: number[] = [];
    let entries = 0;
    let pages = 0;
    for (let i = 0; i < iterations; i++) {
      const t = performance.now();
      const answer = await ask(billing, input);
      samples.push(performance.now() - t);
      firstPages.push(answer.firstPage);
      ({ entries, pages } = answer);
    }
    queries.push({
      label,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      firstPageP50: percentile(firstPages, 50),
      entries,
      pages,
    });
  }
  await billing.close();
  await database.close();
  const report: ChildReport = {
    firstAnswerMs,
    sinceProcessStartMs,
    queries,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function spawnServer(args: string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/billing.ts', '--child', '--iterations', String(iterations), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildReport)
        : reject(new Error(`server exited ${code}`)),
    );
  });
}

function printServer(label: string, report: ChildReport): void {
  console.log(
    `  ${label}: first answer ${ms(report.firstAnswerMs)} from opening the store (nothing preloaded), ${ms(report.sinceProcessStartMs)} from the process's start (with loading Node, tsx and the code); peak RSS ${fmt(report.peakRssMiB)} MiB`,
  );
  for (const q of report.queries) {
    console.log(
      `    GetCostAndUsage ${q.label}: p50 ${ms(q.p50)}, p99 ${ms(q.p99)} for the whole answer (${iterations} runs, ${fmt(q.entries)} result entries${q.pages > 1 ? ` in ${q.pages} pages; the first page alone: p50 ${ms(q.firstPageP50)}` : ''})`,
    );
  }
}

function activateBenchTags(billing: Billing): Promise<void> {
  return setCostAllocationTagStatuses(
    billing,
    payer.id,
    ['team', 'env'].map((key) => ({ TagKey: key, Status: 'Active' as const })),
    NOW,
  );
}

/** The parts an import listed in `from`, listed in `to` too (the tables an import writes; the blobs are shared). */
async function copyParts(from: OpenedDatabase, to: OpenedDatabase, store: string): Promise<void> {
  const parts = await from.db.selectFrom('billing_cost_part').selectAll().execute();
  for (let i = 0; i < parts.length; i += 500) {
    await to.db
      .insertInto('billing_cost_part')
      .values(parts.slice(i, i + 500))
      .execute();
  }
  const tagKeys = await from.db.selectFrom('billing_cost_part_tag_key').selectAll().execute();
  for (let i = 0; i < tagKeys.length; i += 500) {
    await to.db
      .insertInto('billing_cost_part_tag_key')
      .values(tagKeys.slice(i, i + 500))
      .execute();
  }
  await to.db
    .insertInto('billing_import')
    .values(await from.db.selectFrom('billing_import').selectAll().execute())
    .execute();
  const names = await from.db.selectFrom('billing_account_name').selectAll().execute();
  if (names.length > 0) await to.db.insertInto('billing_account_name').values(names).execute();
  const billing = new Billing(to.db, to.dialect, undefined, undefined, undefined, { blobs: new LocalBlobStore(store) });
  try {
    await activateBenchTags(billing);
  } finally {
    await billing.close();
  }
}

async function importInto(database: OpenedDatabase, store: string, rows: number): Promise<void> {
  const billing = new Billing(database.db, database.dialect, undefined, undefined, undefined, {
    blobs: new LocalBlobStore(store),
  });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const summary = await billing.store.import(generateDemoCosts(demoOptions(rows)), {
      ownerAccountId: payer.id,
      importId: 'bench',
      source: 'demo',
      format: 'demo',
      now: NOW,
      progressEvery: 2_000_000,
      onProgress: (n) => console.log(`  … ${fmt(n)} rows (${fmt(n / ((performance.now() - started) / 1000))} rows/s)`),
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    await activateBenchTags(billing);
    console.log(
      `  import (${database.dialect}): ${fmt(summary.lineItems)} line items in ${seconds.toFixed(1)} s = ${fmt(summary.lineItems / seconds)} rows/s (generation, coding, Parquet parts, rollups, blob puts, one relational transaction); ${((used.user + used.system) / 1e6).toFixed(1)} s CPU; peak RSS so far ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`,
    );
    const parts = await database.db
      .selectFrom('billing_cost_part')
      .select(['kind', 'blob_key', 'bytes', 'line_items'])
      .execute();
    const lineParts = parts.filter((p) => p.kind === 'line_items');
    const sum = (list: typeof parts, field: 'bytes' | 'line_items') => list.reduce((n, p) => n + Number(p[field]), 0);
    console.log(
      `  storage: ${fmt(sum(lineParts, 'bytes') / 1024 / 1024)} MiB of line item parts (${lineParts.length}, ${fmt(sum(lineParts, 'bytes') / summary.lineItems)} bytes per line item), ${fmt((sum(parts, 'bytes') - sum(lineParts, 'bytes')) / 1024 / 1024)} MiB of rollup parts (${parts.length - lineParts.length}, ${fmt(sum(parts, 'line_items') - sum(lineParts, 'line_items'))} rows)`,
    );
    if (!values['skip-duckdb']) {
      // DuckDB reading every line item part back in full: the same bytes, no generation, coding or rollups.
      const lease = await billing.engine.blobs.lease(lineParts.map((p) => p.blob_key));
      const files = lease.files;
      const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
      const duck = await instance.connect();
      const t = performance.now();
      await duck.run(`create table line_item as select * from ${parquetSource(files)}`);
      const s = (performance.now() - t) / 1000;
      console.log(
        `  beside: DuckDB reads the ${fmt(summary.lineItems)} line items back from those parts into a table in ${s.toFixed(1)} s = ${fmt(summary.lineItems / s)} rows/s`,
      );
      duck.closeSync();
      instance.closeSync();
      lease.release();
    }
  } finally {
    await billing.close();
  }
}

async function main(): Promise<void> {
  const sizes = values.rows.split(',').map(Number);
  console.log(
    `bench:billing — sizes ${sizes.map(fmt).join(', ')}; ${accountCount} accounts, 12 months; ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const rows of sizes) {
    const dir =
      values.keep === undefined
        ? mkdtempSync(join(tmpdir(), 'bursar-bench-billing-'))
        : join(values.keep, String(rows));
    mkdirSync(dir, { recursive: true });
    try {
      console.log(`\n${fmt(rows)} line items requested (data in ${dir}):`);
      const dataDir = join(dir, 'sqlite');
      const store = join(dir, 'parts');
      const database = await openDatabase({ dataDir });
      const schema = `bursar_bench_${Date.now()}`;
      try {
        await importInto(database, store, rows);
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
        if (values.postgres !== undefined) {
          const pg = await openDatabase({ url: values.postgres, schema });
          try {
            await copyParts(database, pg, store);
          } finally {
            await pg.close();
          }
        }
      } finally {
        await database.close();
      }
      const sqliteBytes = readdirSync(dataDir)
        .filter((f) => f.startsWith('bursar.sqlite'))
        .reduce((sum, f) => sum + statSync(join(dataDir, f)).size, 0);
      console.log(`  SQLite file ${fmt(sqliteBytes / 1024 / 1024)} MiB (part rows only; bytes are in the blob store)`);
      printServer('a fresh server process (SQLite)', await spawnServer(['--data-dir', dataDir, '--store', store]));

      if (values.postgres !== undefined) {
        const args = ['--postgres', values.postgres, '--schema', schema, '--store', store];
        try {
          const both = await Promise.all([spawnServer(args), spawnServer(args)]);
          both.forEach((report, i) =>
            printServer(`server ${i + 1} of 2 over one PostgreSQL and one blob store, at once`, report),
          );
        } finally {
          const pg = await openDatabase({ url: values.postgres, schema });
          await dropSchema(pg.db, schema);
          await pg.close();
        }
      }
    } finally {
      if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
    }
  }
}

await (values.child ? child() : main());
