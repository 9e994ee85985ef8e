/**
 * Cost parts in a blob store: the S3-compatible store against an S3 server the test serves (s3-server.ts) and its bounded cache of downloaded parts, Cost
 * Explorer answering alike from a directory and from an object store on SQLite and PostgreSQL, a starting server
 * answering from stored rollups, the backfill of partitions stored before the blob store, and crash safety: a
 * killed import leaves each period wholly old, and its blobs are collected at the next start.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { Billing } from '../../src/billing/billing.js';
import { LocalBlobStore } from '../../src/billing/costs/blobs/local-blob-store.js';
import { S3BlobStore } from '../../src/billing/costs/blobs/s3-blob-store.js';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { ImportDataError } from '../../src/billing/costs/cost-store.js';
import { CODED_BATCH_ROWS } from '../../src/billing/costs/line-item-coder.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { LINE_ITEM_COLUMNS } from '../../src/billing/costs/line-item-columns.js';
import { formatMoney } from '../../src/billing/money.js';
import { getCostAndUsage } from '../../src/operations/ce/operations.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/database.js';
import { openSharedPostgres, testDatabases } from '../../src/store/test-databases.js';
import { CRASH_DEMO } from './crash-demo.js';
import { context } from './helpers.js';
import { startTestS3, type TestS3 } from './s3-server.js';

const PAYER = CRASH_DEMO.payer.id;
const items = (seed: number): CostLineItem[] => [...generateDemoCosts({ ...CRASH_DEMO, seed })];
const IMPORT = { ownerAccountId: PAYER, source: 'demo', format: 'demo', now: new Date('2026-11-27T00:00:00Z') };

/** Unblended cost per (month, service), as Cost Explorer answers, and as summed here from the rows. */
async function monthlyByService(billing: Billing): Promise<Record<string, string>> {
  const out = await getCostAndUsage.handler(
    {
      TimePeriod: { Start: '2026-01-01', End: '2026-04-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    },
    context(billing, PAYER),
  );
  const answer: Record<string, string> = {};
  for (const r of out.ResultsByTime as Array<{
    TimePeriod: { Start: string };
    Groups: Array<{ Keys: string[]; Metrics: Record<string, { Amount: string }> }>;
  }>) {
    for (const g of r.Groups) answer[`${r.TimePeriod.Start}|${g.Keys[0]}`] = g.Metrics.UnblendedCost!.Amount;
  }
  return answer;
}

function expected(rows: CostLineItem[]): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const item of rows) {
    const key = `${item.chargePeriodStart.slice(0, 7)}-01|${item.serviceName}`;
    sums.set(key, (sums.get(key) ?? 0n) + BigInt(item.billedCost));
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, formatMoney(v)]));
}

const sorted = (answer: Record<string, string>) =>
  Object.fromEntries(Object.entries(answer).sort(([a], [b]) => a.localeCompare(b)));

describe('S3BlobStore against an S3-compatible server', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3(['costs'], 2);
  });
  after(() => s3.close());

  it('puts, lists (in pages), reads, heads and deletes; refuses a wrong secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bursar-s3-test-'));
    const store = new S3BlobStore({
      location: 's3://costs/team/a',
      endpoint: s3.endpoint,
      credentials: s3.credentials,
    });
    try {
      for (const name of ['x/1', 'x/2', 'x/3', 'y/1']) {
        writeFileSync(join(dir, 'f'), `bytes of ${name}`);
        await store.put(`costs/${name}.parquet`, join(dir, 'f'));
      }
      assert.deepEqual([...s3.objects.get('costs')!.keys()].sort(), [
        'team/a/costs/x/1.parquet',
        'team/a/costs/x/2.parquet',
        'team/a/costs/x/3.parquet',
        'team/a/costs/y/1.parquet',
      ]);
      assert.deepEqual((await store.list('costs/x/')).sort(), [
        'costs/x/1.parquet',
        'costs/x/2.parquet',
        'costs/x/3.parquet',
      ]);
      assert.ok(s3.calls.get('ListObjectsV2')! >= 2, 'three keys in pages of two take two calls');
      const read = await store.lease(['costs/x/2.parquet']);
      assert.equal(readFileSync(read.files[0]!, 'utf8'), 'bytes of x/2');
      read.release();
      // A cached part is not fetched again.
      const gets = s3.calls.get('GetObject');
      (await store.lease(['costs/x/2.parquet'])).release();
      assert.equal(s3.calls.get('GetObject'), gets);
      assert.equal(await store.has('costs/y/1.parquet'), true);
      await store.delete('costs/y/1.parquet');
      assert.equal(await store.has('costs/y/1.parquet'), false);
      await assert.rejects(
        store.lease(['costs/x/1.parquet', 'costs/y/1.parquet']),
        /GetObject costs\/y\/1.parquet: S3 answered 404/,
      );

      const wrong = new S3BlobStore({
        location: 's3://costs/team/a',
        endpoint: s3.endpoint,
        credentials: { ...s3.credentials, secretAccessKey: 'not-the-secret' },
      });
      writeFileSync(join(dir, 'g'), 'nope');
      await assert.rejects(wrong.put('costs/z.parquet', join(dir, 'g')), /S3 answered 403.*SignatureDoesNotMatch/);
      assert.equal(s3.objects.get('costs')!.has('team/a/costs/z.parquet'), false);
      await wrong.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('downloads a part when it is first read, keeps only the most recently read ones, and never removes a leased file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bursar-s3-test-'));
    const store = new S3BlobStore({
      location: 's3://costs/cache',
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      cachedParts: 2,
    });
    const gets = () => s3.calls.get('GetObject') ?? 0;
    const read = async (name: string) => {
      const lease = await store.lease([`costs/${name}.parquet`]);
      lease.release();
      return lease.files[0]!;
    };
    try {
      const first = gets();
      for (const name of ['a', 'b', 'c', 'd', 'e']) {
        writeFileSync(join(dir, 'f'), `bytes of ${name}`);
        await store.put(`costs/${name}.parquet`, join(dir, 'f'));
      }
      assert.equal(gets(), first, 'nothing is downloaded before it is read');
      const a = await read('a');
      const b = await read('b');
      assert.equal(gets() - first, 2);
      // Read again, a is the most recently used: reading c forgets b, not a, and b's file goes (nobody holds it).
      assert.equal(await read('a'), a);
      assert.equal(readFileSync(await read('c'), 'utf8'), 'bytes of c');
      assert.equal(existsSync(b), false);
      assert.equal(existsSync(a), true, 'a is still downloaded');
      assert.equal(gets() - first, 3);
      const again = await read('b');
      assert.equal(gets() - first, 4, 'b is fetched again');
      assert.equal(readFileSync(again, 'utf8'), 'bytes of b');

      // A question leasing more parts than the cache holds: every file stays until it is released.
      const question = await store.lease(['costs/c.parquet', 'costs/d.parquet', 'costs/e.parquet']);
      assert.deepEqual(
        question.files.map((f) => readFileSync(f, 'utf8')),
        ['bytes of c', 'bytes of d', 'bytes of e'],
      );
      // Another question meanwhile forgets d and e from the cache; their files stay for the first question.
      const other = await store.lease(['costs/a.parquet', 'costs/b.parquet']);
      assert.ok(
        question.files.every((f) => existsSync(f)),
        'leased files stay while the cache forgets them',
      );
      // A forgotten, still leased part read again is its file, not a new download.
      const downloads = gets();
      const d = await store.lease(['costs/d.parquet']);
      assert.equal(d.files[0], question.files[1]);
      assert.equal(gets(), downloads);
      question.release();
      question.release(); // a second release changes nothing
      await new Promise((resolve) => setImmediate(resolve)); // files are removed once their downloads settle
      assert.equal(existsSync(question.files[1]!), true, 'd is leased still, and cached again');
      assert.equal(existsSync(question.files[2]!), false, 'e is neither cached nor leased: removed');
      d.release();
      other.release();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const database of await testDatabases()) {
  describe(`Cost Explorer over an S3-compatible blob store (${database.label})`, { skip: database.skip }, () => {
    let s3: TestS3;
    before(async () => {
      s3 = await startTestS3(['bursar-costs']);
    });
    after(() => s3.close());

    it('answers as from a directory, from a fresh server too; re-import replaces; orphans are collected', async () => {
      const opened = await database.open();
      const settings = { location: 's3://bursar-costs/prod', endpoint: s3.endpoint, credentials: s3.credentials };
      const server = new Billing(opened.db, opened.dialect, undefined, undefined, undefined, {
        blobs: new S3BlobStore(settings),
      });
      const local = await openDatabase({ ephemeral: true });
      const reference = new Billing(local.db, local.dialect);
      try {
        const first = items(11);
        await server.store.import(first, { ...IMPORT, importId: 'one' });
        await reference.store.import(first, { ...IMPORT, importId: 'one' });
        const want = expected(first);
        assert.deepEqual(sorted(await monthlyByService(server)), want);
        assert.deepEqual(sorted(await monthlyByService(reference)), want);
        const parts = await opened.db.selectFrom('billing_cost_part').select(['kind', 'blob_key']).execute();
        // Three months, each its line items and five rollups; every part's bytes are in the bucket.
        assert.equal(parts.length, 18);
        const bucket = s3.objects.get('bursar-costs')!;
        assert.deepEqual([...bucket.keys()].sort(), parts.map((p) => `prod/${p.blob_key}`).sort());

        // Another server: nothing cached, it fetches only the parts its question reads (rollups, not line items).
        // Its cache holds fewer parts than that question reads: a part forgotten while the question runs is
        // still there for it.
        const other = new Billing(opened.db, opened.dialect, undefined, undefined, undefined, {
          blobs: new S3BlobStore({ ...settings, cachedParts: 2 }),
        });
        const gets = s3.calls.get('GetObject') ?? 0;
        assert.deepEqual(sorted(await monthlyByService(other)), want);
        assert.equal((s3.calls.get('GetObject') ?? 0) - gets, 3, 'one svc_month part per month');

        const second = items(12).filter((item) => item.chargePeriodStart.startsWith('2026-02'));
        const summary = await server.store.import(second, { ...IMPORT, importId: 'two' });
        assert.deepEqual(
          summary.periods.map((p) => [p.billingPeriod, p.replaced]),
          [['2026-02', true]],
        );
        const replaced = expected([...first.filter((i) => !i.chargePeriodStart.startsWith('2026-02')), ...second]);
        assert.deepEqual(sorted(await monthlyByService(other)), replaced);
        // The replaced month's blobs are held a minute for questions already reading them, then collected.
        assert.deepEqual(await server.store.collectOrphans(), []);
        assert.equal(bucket.size, 24);
        await opened.db.updateTable('billing_cost_hold').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
        // Another deployment's parts in the same bucket, under a prefix that starts alike, are not this one's.
        const neighbour = `prod-eu/costs/${PAYER}/2026-02/v0/line_items-0.parquet`;
        bucket.set(neighbour, Buffer.from('not ours'));
        const collected = await server.store.collectOrphans();
        assert.equal(collected.length, 6);
        assert.ok(collected.every((key) => key.startsWith(`costs/${PAYER}/2026-02/`)));
        assert.equal(bucket.size, 19);
        assert.ok(bucket.has(neighbour));
        assert.deepEqual(sorted(await monthlyByService(server)), replaced);
        await other.close();
      } finally {
        await server.close();
        await reference.close();
        await local.close();
        await opened.close();
      }
    });
  });
}

describe('cost data stored before the blob store', () => {
  it('is moved into parts at start, once, and answers as before', async () => {
    const opened = await openDatabase({ ephemeral: true });
    const billing = new Billing(opened.db, opened.dialect);
    const dir = mkdtempSync(join(tmpdir(), 'bursar-backfill-test-'));
    try {
      // A 0009-era partition: the line items of one month as one Parquet blob in the relational store.
      const rows = items(21).filter((item) => item.chargePeriodStart.startsWith('2026-03'));
      const instance = await DuckDBInstance.create(':memory:');
      const duck = await instance.connect();
      const file = join(dir, 'legacy.parquet');
      const columns = LINE_ITEM_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
      await duck.run(`create table t (owner_account_id varchar, ${columns})`);
      const appender = await duck.createAppender('t');
      for (const item of rows) {
        appender.appendVarchar(PAYER);
        for (const [name] of LINE_ITEM_COLUMNS) {
          const value = legacyValue(item, name);
          if (value === null) appender.appendNull();
          else if (typeof value === 'bigint') appender.appendBigInt(value);
          else if (typeof value === 'number') appender.appendDouble(value);
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.closeSync();
      await duck.run(
        `copy (select * replace (usage_date::date as usage_date) from t order by usage_date) to '${file}' (format parquet)`,
      );
      duck.closeSync();
      instance.closeSync();
      await opened.db
        .insertInto('billing_cost_partition')
        .values({
          owner_account_id: PAYER,
          billing_period: '2026-03',
          part: 0,
          version: 'legacy',
          import_id: 'old',
          line_items: rows.length,
          data: readFileSync(file),
        })
        .execute();
      assert.deepEqual(await billing.start(), { backfilled: 1, tagKeysListed: 0, orphans: 0 });
      assert.deepEqual(await billing.start(), { backfilled: 0, tagKeysListed: 0, orphans: 0 });
      assert.equal((await opened.db.selectFrom('billing_cost_partition').selectAll().execute()).length, 0);
      const kinds = await opened.db.selectFrom('billing_cost_part').select('kind').orderBy('kind').execute();
      // These line items carry no tags, so the tag rollups have no rows and no parts.
      assert.deepEqual(
        kinds.map((k) => k.kind),
        ['full_month', 'line_items', 'svc_day', 'svc_month'],
      );
      assert.deepEqual(sorted(await monthlyByService(billing)), expected(rows));
    } finally {
      await billing.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A line item column's value as the 0009-era writer stored it (string enums, money units, DATE as text). */
function legacyValue(item: CostLineItem, column: string): string | number | bigint | null {
  const map: Record<string, unknown> = {
    billing_period: item.billingPeriodStart.slice(0, 7),
    payer_account_id: item.billingAccountId,
    linked_account_id: item.subAccountId,
    service: item.serviceName,
    region: item.regionId,
    usage_type: item.usageType,
    operation: item.operation,
    record_type: item.recordType,
    charge_period_start: item.chargePeriodStart,
    charge_period_end: item.chargePeriodEnd,
    usage_date: item.chargePeriodStart.slice(0, 10),
    unblended_cost: BigInt(item.billedCost),
    blended_cost: BigInt(item.blendedCost),
    net_unblended_cost: BigInt(item.netUnblendedCost),
    amortized_cost: BigInt(item.effectiveCost),
    net_amortized_cost: BigInt(item.netAmortizedCost),
    list_cost: BigInt(item.listCost),
    usage_quantity: item.usageQuantity,
    normalized_usage_amount: item.normalizedUsageAmount,
    currency: item.currency,
  };
  const value = map[column];
  return value === undefined ? null : (value as string | number | bigint);
}

describe('a killed import', () => {
  it('leaves every period wholly old, and its blobs are collected when a server starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bursar-crash-test-'));
    const dataDir = join(dir, 'data');
    const blobDir = join(dir, 'parts');
    const opened = await openDatabase({ dataDir });
    const blobs = new LocalBlobStore(blobDir);
    const billing = new Billing(opened.db, opened.dialect, undefined, undefined, undefined, { blobs });
    try {
      const first = items(31);
      await billing.store.import(first, { ...IMPORT, importId: 'first' });
      const before = await monthlyByService(billing);
      assert.deepEqual(sorted(before), expected(first));
      const named = async () =>
        (await opened.db.selectFrom('billing_cost_part').select('blob_key').execute()).map((r) => r.blob_key).sort();
      const committed = await named();

      // Eight parts in (two months' six each, so half way through the second month), the child is killed.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/billing/crash-import-child.ts', dataDir, blobDir, '32', '8'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const said = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', () => resolve(out.trim()));
      });
      assert.equal(said, 'hanging');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      // Wholly old: every month answers as before, from the parts the relational store names.
      assert.deepEqual(await monthlyByService(billing), before);
      assert.deepEqual(await named(), committed);
      const stored = (await blobs.list('costs/')).sort();
      assert.equal(stored.length, committed.length + 8, 'the killed import left its eight blobs');

      // A server starting on this host sees the import's process is gone and deletes its blobs.
      const restarted = new Billing(opened.db, opened.dialect, undefined, undefined, undefined, { blobs });
      assert.deepEqual(await restarted.start(), { backfilled: 0, tagKeysListed: 0, orphans: 8 });
      assert.deepEqual((await blobs.list('costs/')).sort(), committed);
      assert.deepEqual(await monthlyByService(restarted), before);
      assert.deepEqual(await opened.db.selectFrom('billing_cost_hold').selectAll().execute(), []);

      // The same import run to its end: wholly new.
      const second = items(32);
      await restarted.store.import(second, { ...IMPORT, importId: 'second' });
      assert.deepEqual(sorted(await monthlyByService(restarted)), expected(second));
      await restarted.close();
    } finally {
      await billing.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an import whose writing fails while the next batch is being coded', () => {
  it('fails as a whole: no part, no blob, no table left in the engine, and the store answers as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bursar-failed-import-'));
    const opened = await openDatabase({ dataDir: join(dir, 'data') });
    const blobs = new LocalBlobStore(join(dir, 'parts'));
    const billing = new Billing(opened.db, opened.dialect, undefined, undefined, undefined, { blobs });
    try {
      const first = items(41);
      await billing.store.import(first, { ...IMPORT, importId: 'first' });
      const before = await monthlyByService(billing);
      const committed = (await blobs.list('costs/')).sort();
      const engineObjects = async () => {
        const [row] = await billing.engine.query(
          `select (select count(*) from duckdb_tables() where not temporary)::integer as tables,
             (select count(*) from duckdb_views() where not internal)::integer as views,
             (select count(*) from duckdb_types() where logical_type = 'ENUM')::integer as enums`,
        );
        return row;
      };
      const idle = await engineObjects();
      // The first batch (CODED_BATCH_ROWS rows) has a row with no valid billing period, so writing it fails; the rows
      // after it are coded meanwhile, into the next batch.
      const good = first[0]!;
      const rows = function* () {
        for (let i = 0; i < CODED_BATCH_ROWS + 50_000; i++) {
          yield i === 10 ? { ...good, billingPeriodStart: 'someday' } : good;
        }
      };
      await assert.rejects(
        billing.store.import(rows(), { ...IMPORT, importId: 'broken' }),
        (error: Error) => error instanceof ImportDataError && /billing period written YYYY-MM/.test(error.message),
      );
      assert.deepEqual(await engineObjects(), idle, 'both batches dropped');
      assert.deepEqual((await blobs.list('costs/')).sort(), committed, 'the written parts deleted');
      assert.deepEqual(await opened.db.selectFrom('billing_cost_hold').selectAll().execute(), []);
      assert.deepEqual(await monthlyByService(billing), before);
    } finally {
      await billing.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Runs `use` on a fresh SQLite store (a directory blob store) and 300,000 demo rows (two months, 21 accounts) to import:
 * enough rows for DuckDB to write Parquet with several threads. Closes and removes everything after.
 */
async function withDemoRows(
  seed: number,
  use: (billing: Billing, opened: OpenedDatabase, rows: CostLineItem[]) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bursar-part-order-'));
  const opened = await openDatabase({ dataDir: dir });
  const billing = new Billing(opened.db, opened.dialect);
  try {
    const members = Array.from({ length: 20 }, (_, i) => ({ id: String(600000000000 + i), name: `Member ${i}` }));
    await use(billing, opened, [
      ...generateDemoCosts({ ...CRASH_DEMO, members, seed, months: 2, targetRows: 300_000 }),
    ]);
  } finally {
    await billing.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('line item parts', () => {
  it('hold one billing period each, in usage date order but for one seam per writer thread', async () => {
    // Written newest first, so the import sorts them.
    await withDemoRows(6, async (billing, opened, items) => {
      await billing.store.import(items.reverse(), { ...IMPORT, importId: 'reversed' });
      const parts = await opened.db
        .selectFrom('billing_cost_part')
        .select(['billing_period', 'blob_key', 'line_items'])
        .where('kind', '=', 'line_items')
        .orderBy('billing_period')
        .execute();
      assert.deepEqual(
        parts.map((p) => p.billing_period),
        ['2026-01', '2026-02'],
      );
      const [{ threads }] = (await billing.engine.query(`select current_setting('threads')::integer as threads`)) as [
        { threads: number },
      ];
      const lease = await billing.engine.blobs.lease(parts.map((p) => p.blob_key));
      try {
        for (const [index, part] of parts.entries()) {
          const [row] = await billing.engine.query(
            `select count(*)::integer as rows, count(distinct billing_period)::integer as periods,
               min(billing_period) as period, count(*) filter (where previous > usage_date)::integer as backwards
             from (select billing_period, usage_date, lag(usage_date) over (order by file_row_number) as previous
                   from read_parquet('${lease.files[index]}', file_row_number = true))`,
          );
          assert.equal(row!.rows, Number(part.line_items));
          assert.equal(row!.periods, 1);
          assert.equal(row!.period, part.billing_period);
          assert.ok(
            Number(row!.backwards) < threads,
            `${part.blob_key}: ${String(row!.backwards)} seams with ${threads} threads`,
          );
        }
      } finally {
        lease.release();
      }
      assert.equal(
        parts.reduce((n, p) => n + Number(p.line_items), 0),
        items.length,
      );
    });
  });
});

describe('rollup parts', () => {
  it("keep their table's row order (tag key, service, …), so a question's filters skip row groups", async () => {
    await withDemoRows(5, async (billing, opened, items) => {
      await billing.store.import(items, { ...IMPORT, importId: 'ordered' });
      const parts = await opened.db
        .selectFrom('billing_cost_part')
        .select(['kind', 'blob_key', 'line_items'])
        .where('kind', 'in', ['tag_day', 'svc_day'])
        .execute();
      assert.equal(parts.length, 4);
      const lease = await billing.engine.blobs.lease(parts.map((p) => p.blob_key));
      try {
        for (const [index, part] of parts.entries()) {
          if (part.kind === 'tag_day') assert.ok(Number(part.line_items) > 3 * 16_384, 'several row groups');
          // Ordered by tag key and service (svc: service), as text: each row group's statistics are a narrow range.
          const key = part.kind === 'tag_day' ? '[tag_key, service]' : '[service]';
          const [row] = await billing.engine.query(
            `select count(*) filter (where previous > here)::integer as backwards,
               count(*) filter (where previous is distinct from here)::integer as runs,
               count(distinct here)::integer as keys
             from (select ${key} as here, lag(${key}) over (order by file_row_number) as previous
                   from read_parquet('${lease.files[index]}', file_row_number = true))`,
          );
          assert.equal(row!.backwards, 0, `${part.kind} part ${part.blob_key}: in order`);
          assert.equal(row!.runs, row!.keys, `${part.kind} part ${part.blob_key}: one run per key`);
        }
      } finally {
        lease.release();
      }
    });
  });
});

const postgres = (await testDatabases()).find((database) => database.label === 'postgres')!;

describe('servers starting together over one PostgreSQL', { skip: postgres.skip }, () => {
  it('list the tag keys of older parts at once without failing, and list each once', async () => {
    const { stores, close } = await openSharedPostgres(3);
    const dir = mkdtempSync(join(tmpdir(), 'bursar-start-race-'));
    const blobs = new LocalBlobStore(dir);
    const servers = stores.map(
      (store) => new Billing(store.db, store.dialect, undefined, undefined, undefined, { blobs }),
    );
    const listed = () =>
      stores[0]!.db
        .selectFrom('billing_cost_part_tag_key')
        .select(['blob_key', 'tag_key'])
        .orderBy('blob_key')
        .orderBy('tag_key')
        .execute();
    try {
      await servers[0]!.store.import(items(51), { ...IMPORT, importId: 'tagged' });
      const written = await listed();
      assert.ok(written.length >= 12, 'tag parts of three months, two keys each');
      // As a store from before the keys were listed, several times over: each time all three start at once.
      for (let round = 0; round < 5; round++) {
        await stores[0]!.db.deleteFrom('billing_cost_part_tag_key').execute();
        const started = await Promise.all(servers.map((server) => server.start()));
        assert.ok(started.every((s) => s.tagKeysListed <= written.length / 2 && s.orphans === 0));
        assert.deepEqual(await listed(), written);
      }
    } finally {
      for (const server of servers) await server.close();
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
