/**
 * Importing the shared real samples: totals must equal sums DuckDB computes from the same files with decimal
 * arithmetic; a failed import changes nothing; importing a billing period again replaces it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql } from 'kysely';
import type { Billing } from '../../src/billing/billing.js';
import { rowRanges } from '../../src/billing/costs/cost-store.js';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import type { ImportProgress } from '../../src/billing/costs/import/import-files.js';
import { importCostData } from '../../src/operations/bursar/import-cost-data.js';
import { snakeColumn } from '../../src/billing/costs/import/cost-formats.js';
import { getCostAndUsage, getTags } from '../../src/operations/ce/operations.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { testDatabases } from '../../src/store/test-databases.js';
import { activateEveryTag, context, openTestBilling } from './helpers.js';

const DATA = '/work/shared/data';
const FOCUS = `${DATA}/focus-sample/focus_sample_1000.csv`;
const CUR_CSV = `${DATA}/cur-sample/aws_legacy_cur_anonymized_2023-11.csv`;
const CUR_PARQUET = `${DATA}/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet`;
const OWNER = '123456789012';

let duck: DuckDBConnection;
let scratch: string;

/** DuckDB's exact decimal sum of a column, as a bigint count of 10⁻¹² USD. */
async function duckSum(from: string, column: string, where = 'true'): Promise<{ sum: bigint; rows: number }> {
  const reader = await duck.runAndReadAll(
    `select cast(coalesce(sum(cast(cast("${column}" as varchar) as decimal(38,12))), 0) * 1000000000000 as hugeint) as s, count(*) as n from ${from} where ${where}`,
  );
  const row = reader.getRowObjects()[0]!;
  return { sum: BigInt(String(row.s)), rows: Number(row.n) };
}

/**
 * The FOCUS sample written to `name` with one cell changed in each of its first rows that hold no quoted comma (so
 * splitting at commas finds their cells): `edits[n]` sets a column of the n-th such row. Returns the file's path.
 */
function focusWithEdits(name: string, edits: ReadonlyArray<readonly [column: string, value: string]>): string {
  const lines = readFileSync(FOCUS, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const plain = lines.flatMap((line, i) => (i > 0 && line.split(',').length === header.length ? [i] : []));
  const edited = [...lines];
  edits.forEach(([column, value], n) => {
    const at = header.indexOf(`"${column}"`);
    assert.ok(at >= 0 && plain[n] !== undefined, `${column} in plain row ${n}`);
    const cells = lines[plain[n]!]!.split(',');
    cells[at] = value;
    edited[plain[n]!] = cells.join(',');
  });
  const path = join(scratch, name);
  writeFileSync(path, edited.join('\n'));
  return path;
}

/** Our total (10 decimals) against DuckDB's (12 decimals): equal up to half a unit of rounding per row. */
function assertClose(ours: string, theirs: { sum: bigint; rows: number }) {
  const [whole, fraction = ''] = ours.replace('-', '').split('.');
  const ourPico = (BigInt(whole!) * 10n ** 12n + BigInt(fraction.padEnd(12, '0'))) * (ours.startsWith('-') ? -1n : 1n);
  const diff = ourPico > theirs.sum ? ourPico - theirs.sum : theirs.sum - ourPico;
  assert.ok(diff <= BigInt(theirs.rows) * 50n, `ours ${ours} vs DuckDB ${theirs.sum} ×10⁻¹² (diff ${diff})`);
}

async function ceTotal(billing: Billing, start: string, end: string, filter?: unknown): Promise<string> {
  const out = await getCostAndUsage.handler(
    {
      TimePeriod: { Start: start, End: end },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: filter as never,
    },
    context(billing, OWNER),
  );
  const amounts = (out.ResultsByTime as Array<{ Total: { UnblendedCost: { Amount: string } } }>).map(
    (r) => r.Total.UnblendedCost.Amount,
  );
  // Sum the per-month decimal strings exactly (12 decimals is enough for our 10).
  let total = 0n;
  for (const a of amounts) {
    const [w, f = ''] = a.replace('-', '').split('.');
    total += (BigInt(w!) * 10n ** 10n + BigInt(f.padEnd(10, '0'))) * (a.startsWith('-') ? -1n : 1n);
  }
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  return `${sign}${abs / 10n ** 10n}.${(abs % 10n ** 10n).toString().padStart(10, '0')}`;
}

/** Line items stored, as the store's import records count them per billing period. */
async function lineItemCount(opened: OpenedDatabase): Promise<number> {
  const row = await sql<{ n: number }>`select coalesce(sum(line_items), 0) as n from billing_import`.execute(opened.db);
  return Number(row.rows[0]!.n);
}

describe('rowRanges (how a Parquet file read in place is cut into batches)', () => {
  it('packs whole row groups up to the limit, cuts a larger group within, and covers every row once', () => {
    assert.deepEqual(rowRanges([], 10), []);
    assert.deepEqual(rowRanges([4, 4, 4], 10), [
      { from: 0, to: 8 },
      { from: 8, to: 12 },
    ]);
    assert.deepEqual(rowRanges([10, 3], 10), [
      { from: 0, to: 10 },
      { from: 10, to: 13 },
    ]);
    assert.deepEqual(rowRanges([3, 25, 2], 10), [
      { from: 0, to: 3 },
      { from: 3, to: 13 },
      { from: 13, to: 23 },
      { from: 23, to: 30 },
    ]);
  });
});

describe('bursar import on the shared samples', () => {
  before(async () => {
    duck = await (await DuckDBInstance.create(':memory:')).connect();
    scratch = mkdtempSync(join(tmpdir(), 'bursar-import-'));
  });
  after(() => {
    duck.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('FOCUS 1.0 CSV: every row imported, BilledCost total and per-provider totals match DuckDB', async () => {
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, FOCUS, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      assert.equal(report.files[0]!.format, 'focus');
      assert.equal(report.files[0]!.read, 1000);
      assert.equal(report.lineItems, 1000);
      const from = `read_csv('${FOCUS}', nullstr='NULL', all_varchar=true)`;
      assertClose(await ceTotal(billing, '2024-09-01', '2024-11-01'), await duckSum(from, 'BilledCost'));
      for (const provider of ['AWS', 'Microsoft', 'Oracle']) {
        const services = (
          await duck.runAndReadAll(`select distinct "ServiceName" s from ${from} where "ProviderName" = '${provider}'`)
        )
          .getRowObjects()
          .map((r) => String(r.s));
        assertClose(
          await ceTotal(billing, '2024-09-01', '2024-11-01', { Dimensions: { Key: 'SERVICE', Values: services } }),
          await duckSum(
            from,
            'BilledCost',
            `"ServiceName" in (${services.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')})`,
          ),
        );
      }
      // Amortized = EffectiveCost.
      const out = await getCostAndUsage.handler(
        { TimePeriod: { Start: '2024-09-01', End: '2024-11-01' }, Granularity: 'MONTHLY', Metrics: ['AmortizedCost'] },
        context(billing, OWNER),
      );
      const amortized = (out.ResultsByTime as Array<{ Total: { AmortizedCost: { Amount: string } } }>).map(
        (r) => r.Total.AmortizedCost.Amount,
      );
      const effective = await duckSum(from, 'EffectiveCost');
      assert.ok(Math.abs(amortized.reduce((a, b) => a + Number(b), 0) - Number(effective.sum) / 1e12) < 1e-6);
    } finally {
      await opened.close();
    }
  });

  it('gzipped FOCUS CSV is recognised by content and gives the same totals; a repeated import replaces the period', async () => {
    const gz = join(scratch, 'focus.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(FOCUS)));
    const { billing, opened } = await openTestBilling();
    try {
      const first = await importCostFiles(billing.store, gz, { ownerAccountId: OWNER, importId: 'a', now: new Date() });
      assert.equal(first.files[0]!.container, 'csv.gz');
      const total = await ceTotal(billing, '2024-09-01', '2024-11-01');
      const again = await importCostFiles(billing.store, FOCUS, {
        ownerAccountId: OWNER,
        importId: 'b',
        now: new Date(),
      });
      assert.deepEqual(
        again.periods.map((p) => p.replaced),
        [true, true],
      );
      assert.equal(await lineItemCount(opened), 1000);
      assert.equal(await ceTotal(billing, '2024-09-01', '2024-11-01'), total);
    } finally {
      await opened.close();
    }
  });

  it('a failed import (a truncated gzip part-way through) changes nothing', async () => {
    const { billing, opened } = await openTestBilling();
    try {
      await importCostFiles(billing.store, FOCUS, { ownerAccountId: OWNER, importId: 'a', now: new Date() });
      const before = await ceTotal(billing, '2024-09-01', '2024-11-01');
      const broken = join(scratch, 'broken');
      rmSync(broken, { recursive: true, force: true });
      (await import('node:fs')).mkdirSync(broken);
      copyFileSync(CUR_CSV, join(broken, 'a-good.csv'));
      const gz = gzipSync(readFileSync(FOCUS));
      writeFileSync(join(broken, 'b-truncated.csv.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
      await assert.rejects(
        importCostFiles(billing.store, broken, { ownerAccountId: OWNER, importId: 'b', now: new Date() }),
      );
      assert.equal(await lineItemCount(opened), 1000);
      assert.equal(await ceTotal(billing, '2024-09-01', '2024-11-01'), before);
      assert.equal(await ceTotal(billing, '2023-11-01', '2023-12-01'), '0.0000000000');
      // The truncated file is named in the error.
      await assert.rejects(
        importCostFiles(billing.store, join(broken, 'b-truncated.csv.gz'), {
          ownerAccountId: OWNER,
          importId: 'b',
          now: new Date(),
        }),
        /b-truncated\.csv\.gz/,
      );
      // An empty file, and a gzip of nothing, are refused with a reason.
      writeFileSync(join(scratch, 'empty.csv'), '');
      await assert.rejects(
        importCostFiles(billing.store, join(scratch, 'empty.csv'), {
          ownerAccountId: OWNER,
          importId: 'c',
          now: new Date(),
        }),
        /empty\.csv: the file is empty/,
      );
      writeFileSync(join(scratch, 'empty.csv.gz'), gzipSync(Buffer.alloc(0)));
      await assert.rejects(
        importCostFiles(billing.store, join(scratch, 'empty.csv.gz'), {
          ownerAccountId: OWNER,
          importId: 'c',
          now: new Date(),
        }),
        /empty\.csv\.gz: /,
      );
      // A CSV whose lines do not parse (an unterminated quote) is refused, not guessed at.
      writeFileSync(join(scratch, 'ragged.csv'), `BilledCost,ChargePeriodStart\n1,2024-09-01\n"2,2024-09-01\n`);
      await assert.rejects(
        importCostFiles(billing.store, join(scratch, 'ragged.csv'), {
          ownerAccountId: OWNER,
          importId: 'c',
          now: new Date(),
        }),
        /ragged\.csv: line 3 opens a quoted field that is never closed$/,
      );
      assert.equal(await lineItemCount(opened), 1000);
      // A file that is no cost export at all is refused before anything is written.
      writeFileSync(join(scratch, 'other.csv'), 'a,b\n1,2\n');
      await assert.rejects(
        importCostFiles(billing.store, join(scratch, 'other.csv'), {
          ownerAccountId: OWNER,
          importId: 'c',
          now: new Date(),
        }),
        /other\.csv: not a CSV or Parquet cost export: no header row with FOCUS or CUR columns .*; its columns are "a", "b"$/,
      );
    } finally {
      await opened.close();
    }
  });

  it("says in the user's words what is wrong with a file that is no cost export, naming no server path", async () => {
    const { billing, opened } = await openTestBilling();
    try {
      const gz = gzipSync(readFileSync(FOCUS));
      const header = readFileSync(FOCUS, 'utf8').split('\n')[0]!;
      // A Parquet export whose footer and columns are intact but whose middle is overwritten.
      const intact = join(scratch, 'intact.parquet');
      await duck.run(`copy (select * from read_csv('${FOCUS}', nullstr = 'NULL', all_varchar = true))
        to '${intact}' (format parquet, compression uncompressed)`);
      const damaged = readFileSync(intact);
      damaged.fill(0xff, Math.floor(damaged.length / 2), Math.floor(damaged.length / 2) + 64);
      const bad: Array<[string, Buffer | string, RegExp]> = [
        ['random.csv', randomBytes(4096), /^not a CSV or Parquet cost export: the file holds binary data/],
        [
          'letter.txt',
          'Dear finance team\nthe figures for Q3 follow.\n',
          /^not a CSV or Parquet cost export: no header row with FOCUS or CUR columns \(expected FOCUS columns \(BilledCost, ChargePeriodStart\) or AWS CUR columns .*\); its columns are "Dear finance team"$/,
        ],
        [
          'people.csv',
          'name,email,age\nAlice,a@example.com,30\n',
          /^not a CSV or Parquet cost export: no header row with FOCUS or CUR columns .*; its columns are "name", "email", "age"$/,
        ],
        [
          'cut.csv.gz',
          gz.subarray(0, Math.floor(gz.length * 0.6)),
          /^a gzip file whose compressed data ends early or is damaged: it decompresses only to \d+ bytes; the file may be truncated$/,
        ],
        [
          'cut.parquet',
          Buffer.concat([Buffer.from('PAR1'), randomBytes(64)]),
          /^not a readable Parquet file: its footer/,
        ],
        [
          'damaged.parquet',
          damaged,
          /^a Parquet file whose data cannot be read to the end: a text value in it is not UTF-8/,
        ],
        ['latin1.csv', Buffer.from(`${header}\nM\xfcnchen\n`, 'latin1'), /^line 2 is not UTF-8 text/],
        ['short-row.csv', `${header}\n1,2\n`, /^line 2 has 2 comma-separated fields where the header has \d+$/],
      ];
      for (const [name, content, expected] of bad) {
        // Through the operation, as the console's upload and `bursar import --endpoint` call it.
        const answer = importCostData.handler(
          { AccountId: OWNER, FileName: name, Content: Buffer.from(content).toString('base64') },
          context(billing, OWNER),
        );
        await assert.rejects(answer, (error: Error & { code?: string }) => {
          assert.equal(error.code, 'ValidationException', name);
          assert.ok(error.message.startsWith(`${name}: `), error.message);
          assert.match(error.message.slice(name.length + 2), expected, name);
          for (const leak of [tmpdir(), 'bursar-import-', 'Error', 'read_csv', 'read_parquet', 'LINE 1']) {
            assert.ok(!error.message.includes(leak), `${name}: "${leak}" in ${error.message}`);
          }
          return true;
        });
      }
      assert.equal(await lineItemCount(opened), 0);
    } finally {
      await opened.close();
    }
  });

  it('FOCUS as typed Parquet (double costs, timestamps, a tag map) gives the CSV totals', async () => {
    const path = join(scratch, 'focus.parquet');
    await duck.run(`copy (
      select * replace (
        cast("BilledCost" as double) as "BilledCost", cast("EffectiveCost" as double) as "EffectiveCost",
        cast("ChargePeriodStart" as timestamp) as "ChargePeriodStart",
        cast("ChargePeriodEnd" as timestamp) as "ChargePeriodEnd",
        cast("BillingPeriodStart" as timestamp) as "BillingPeriodStart",
        json_transform("Tags", '"MAP(VARCHAR, VARCHAR)"') as "Tags")
      from read_csv('${FOCUS}', nullstr = 'NULL', all_varchar = true)) to '${path}' (format parquet)`);
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, path, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      assert.equal(report.files[0]!.container, 'parquet');
      assert.equal(report.lineItems, 1000);
      assertClose(
        await ceTotal(billing, '2024-09-01', '2024-11-01'),
        await duckSum(`read_csv('${FOCUS}', nullstr='NULL', all_varchar=true)`, 'BilledCost'),
      );
    } finally {
      await opened.close();
    }
  });

  it('a Parquet file of more rows than a batch is read in place, cut at its row groups: every row once', async () => {
    // 1.2M rows in row groups of 100,000: the store codes it in two batches (1,000,000 and 200,000 rows). Each
    // row's cost differs (+ i × 10⁻¹⁰), so a row group read twice or not at all changes the sums.
    const path = join(scratch, 'focus-big.parquet');
    await duck.run(`copy (
      select * replace (
        cast(cast("BilledCost" as decimal(18, 10)) + i * 0.0000000001 as varchar) as "BilledCost",
        case when i % 1000 = 7 then 'Bogus' else "ChargeCategory" end as "ChargeCategory")
      from read_csv('${FOCUS}', nullstr = 'NULL', all_varchar = true), range(1200) t(i))
      to '${path}' (format parquet, row_group_size 100000)`);
    const { billing, opened } = await openTestBilling();
    try {
      const progress: ImportProgress[] = [];
      const report = await importCostFiles(billing.store, path, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
        onProgress: (p) => progress.push(p),
        progressEveryMs: 5,
      });
      // The store's read of the file is reported as reading it: bytes of the file and rows of its footer.
      assert.ok(progress.length > 0, 'reading in place reports progress');
      const fileBytes = statSync(path).size;
      for (const [i, p] of progress.entries()) {
        assert.equal(p.path, path);
        assert.equal(p.fileBytes, fileBytes);
        assert.equal(p.estimated, false);
        assert.ok(p.percent >= (progress[i - 1]?.percent ?? 0) && p.percent <= 100);
        assert.ok(p.bytes <= fileBytes && p.rows <= 1_200_000);
      }
      const bogus = (await duckSum(`read_parquet('${path}')`, 'BilledCost', `"ChargeCategory" = 'Bogus'`)).rows;
      assert.ok(bogus > 0);
      assert.deepEqual(
        [report.files[0]!.read, report.files[0]!.skipped, report.files[0]!.reasons],
        [1_200_000, bogus, { 'unknown ChargeCategory Bogus': bogus }],
      );
      assert.equal(report.lineItems, 1_200_000 - bogus);
      for (const period of report.periods) {
        const theirs = await duckSum(
          `read_parquet('${path}')`,
          'BilledCost',
          `"ChargeCategory" <> 'Bogus' and strftime(try_cast("BillingPeriodStart" as timestamp), '%Y-%m') = '${period.billingPeriod}'`,
        );
        assert.equal(period.lineItems, theirs.rows);
        assertClose(period.unblendedCost, theirs);
      }
      const parts = await opened.db
        .selectFrom('billing_cost_part')
        .select(['billing_period', 'line_items'])
        .where('kind', '=', 'line_items')
        .execute();
      assert.ok(parts.length > report.periods.length, 'some period has a part from each of two batches');
      assert.equal(
        parts.reduce((n, p) => n + Number(p.line_items), 0),
        report.lineItems,
      );
    } finally {
      await opened.close();
    }
  });

  it('rows that cannot be used are skipped and counted with their reason', async () => {
    const lines = readFileSync(FOCUS, 'utf8').split('\n');
    const header = lines[0]!.split(',');
    const billed = header.indexOf('"BilledCost"');
    const bad = lines[1]!.split(',');
    bad[billed] = 'abc';
    const path = join(scratch, 'with-bad-row.csv');
    writeFileSync(path, [lines[0], bad.join(','), ...lines.slice(1)].join('\n'));
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, path, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      assert.equal(report.files[0]!.read, 1001);
      assert.equal(report.files[0]!.skipped, 1);
      assert.deepEqual(report.files[0]!.reasons, { 'BilledCost is missing or not a number': 1 });
    } finally {
      await opened.close();
    }
  });

  it('a cost too large for one line item is skipped as such, never read as missing or replaced by another', async () => {
    const path = focusWithEdits('with-huge-costs.csv', [
      ['BilledCost', '999999999.99'],
      ['ListCost', '1E12'],
      ['EffectiveCost', '-12345678901.5'],
      ['BilledCost', '922337203.68'],
    ]);
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, path, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      assert.equal(report.files[0]!.skipped, 3);
      assert.deepEqual(report.files[0]!.reasons, {
        'BilledCost is beyond ±922,337,203.6854775807, the most one line item can hold': 1,
        'ListCost is beyond ±922,337,203.6854775807, the most one line item can hold': 1,
        'EffectiveCost is beyond ±922,337,203.6854775807, the most one line item can hold': 1,
      });
      // The largest amount that fits is imported, not skipped: the total holds it.
      const total = report.periods.reduce((sum, p) => sum + Number(p.unblendedCost), 0);
      assert.ok(total > 922337203.68 && total < 922337203.68 + 1e6, `total ${total}`);
    } finally {
      await opened.close();
    }
  });

  it('a row billed in another currency than USD is skipped with its currency named, never shown as dollars', async () => {
    const path = focusWithEdits('with-euros.csv', [
      ['BillingCurrency', 'EUR'],
      ['BillingCurrency', 'EUR'],
    ]);
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, path, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      assert.deepEqual(report.files[0]!.reasons, {
        'EUR amounts: Bursar keeps cost data in USD only (BillingCurrency)': 2,
      });
      assert.equal(report.files[0]!.skipped, 2);
    } finally {
      await opened.close();
    }
  });

  it('skips are counted per file of a directory, and each stored period is reported with rows and bytes so far', async () => {
    const lines = readFileSync(FOCUS, 'utf8').split('\n');
    const billed = lines[0]!.split(',').indexOf('"BilledCost"');
    const bad = lines[1]!.split(',');
    bad[billed] = 'abc';
    const directory = mkdtempSync(join(scratch, 'two-files-'));
    writeFileSync(join(directory, 'a.csv'), [lines[0], bad.join(','), bad.join(','), ...lines.slice(1)].join('\n'));
    copyFileSync(FOCUS, join(directory, 'b.csv'));
    const { billing, opened } = await openTestBilling();
    try {
      const written: { billingPeriod: string; rows: number; bytes: number }[] = [];
      const report = await importCostFiles(billing.store, directory, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
        onWritten: (progress) => written.push(progress),
      });
      assert.deepEqual(
        report.files.map((f) => [f.read, f.imported, f.skipped, f.reasons]),
        [
          [1002, 1000, 2, { 'BilledCost is missing or not a number': 2 }],
          [1000, 1000, 0, {}],
        ],
      );
      assert.equal(report.lineItems, 2000);
      assert.deepEqual(
        written.map((w) => w.billingPeriod),
        report.periods.map((p) => p.billingPeriod),
      );
      assert.equal(written.at(-1)!.rows, 2000);
      for (const [i, w] of written.entries()) {
        assert.ok(w.bytes > (written[i - 1]?.bytes ?? 0), 'every period adds Parquet bytes');
      }
    } finally {
      await opened.close();
    }
  });

  it('legacy CUR CSV (lineItem/UnblendedCost): totals, tax and usage match DuckDB', async () => {
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, CUR_CSV, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      assert.equal(report.files[0]!.format, 'cur-legacy');
      assert.equal(report.lineItems, 1281);
      const from = `read_csv('${CUR_CSV}', all_varchar=true)`;
      assertClose(await ceTotal(billing, '2023-11-01', '2023-12-01'), await duckSum(from, 'lineItem/UnblendedCost'));
      assertClose(
        await ceTotal(billing, '2023-11-01', '2023-12-01', { Dimensions: { Key: 'RECORD_TYPE', Values: ['Tax'] } }),
        await duckSum(from, 'lineItem/UnblendedCost', `"lineItem/LineItemType" = 'Tax'`),
      );
      assert.equal(snakeColumn('reservation/ReservationARN'), 'reservation_reservation_a_r_n');
    } finally {
      await opened.close();
    }
  });

  it('legacy CUR tag columns that differ only in case are two tags (AWS tag keys are case sensitive)', async () => {
    // DuckDB names CSV columns without regard to case and renames the second `…:Team_1`; the header says `Team`.
    const path = join(scratch, 'case-tags.csv');
    const [header, ...rows] = readFileSync(CUR_CSV, 'utf8').trimEnd().split('\n');
    writeFileSync(
      path,
      [
        `${header},resourceTags/user:team,resourceTags/user:Team`,
        ...rows.map((row, i) => `${row},${['alpha', 'beta', ''][i % 3]},${['x', 'y'][i % 2]}`),
      ].join('\n'),
    );
    const { billing, opened } = await openTestBilling();
    try {
      await importCostFiles(billing.store, path, { ownerAccountId: OWNER, importId: 'a', now: new Date() });
      await activateEveryTag(billing, OWNER);
      const keys = (
        await getTags.handler({ TimePeriod: { Start: '2023-11-01', End: '2023-12-01' } }, context(billing, OWNER))
      ).Tags as string[];
      assert.ok(keys.includes('team') && keys.includes('Team'), keys.join(', '));
      assert.ok(!keys.some((k) => /_1$/.test(k)), keys.join(', '));
      const from = `read_csv('${path}', all_varchar = true)`;
      for (const value of ['x', 'y']) {
        assertClose(
          await ceTotal(billing, '2023-11-01', '2023-12-01', { Tags: { Key: 'Team', Values: [value] } }),
          await duckSum(from, 'lineItem/UnblendedCost', `"resourceTags/user:Team_1" = '${value}'`),
        );
      }
    } finally {
      await opened.close();
    }
  });

  it('Athena-style CUR Parquet: totals per usage account and the resource tags match DuckDB', async () => {
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, CUR_PARQUET, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      await activateEveryTag(billing, OWNER);
      assert.equal(report.files[0]!.format, 'cur');
      assert.equal(report.lineItems, 2530);
      const from = `read_parquet('${CUR_PARQUET}')`;
      assertClose(await ceTotal(billing, '2018-10-01', '2018-11-01'), await duckSum(from, 'line_item_unblended_cost'));
      const accounts = (await duck.runAndReadAll(`select distinct line_item_usage_account_id a from ${from}`))
        .getRowObjects()
        .map((r) => String(r.a));
      for (const account of accounts) {
        assertClose(
          await ceTotal(billing, '2018-10-01', '2018-11-01', {
            Dimensions: { Key: 'LINKED_ACCOUNT', Values: [account] },
          }),
          await duckSum(from, 'line_item_unblended_cost', `line_item_usage_account_id = '${account}'`),
        );
      }
      const tagColumns = (
        await duck.runAndReadAll(
          `select column_name c from (describe select * from ${from}) where column_name like 'resource_tags_user_%'`,
        )
      )
        .getRowObjects()
        .map((r) => String(r.c));
      assert.ok(tagColumns.length > 0);
      const keys = await getTags.handler(
        { TimePeriod: { Start: '2018-10-01', End: '2018-11-01' } },
        context(billing, OWNER),
      );
      const withData: string[] = [];
      for (const column of tagColumns) {
        const n = (
          await duck.runAndReadAll(`select count(*) n from ${from} where coalesce(${column}, '') <> ''`)
        ).getRowObjects()[0]!.n;
        if (Number(n) > 0) withData.push(column.slice('resource_tags_user_'.length));
      }
      assert.deepEqual((keys.Tags as string[]).filter((k) => !k.startsWith('aws:')).sort(), withData.sort());
    } finally {
      await opened.close();
    }
  });

  it('CUR 2.0 Parquet with a resource_tags map column', async () => {
    const path = join(scratch, 'cur2.parquet');
    await duck.run(`copy (
      select '111122223333' as bill_payer_account_id, timestamp '2026-01-01' as bill_billing_period_start_date,
        '444455556666' as line_item_usage_account_id, 'Usage' as line_item_line_item_type,
        timestamp '2026-01-01' + to_days(cast(i % 28 as integer)) as line_item_usage_start_date,
        'AmazonEC2' as line_item_product_code, 'Amazon Elastic Compute Cloud' as product_product_name,
        'us-east-1' as product_region_code, 'BoxUsage:m5.large' as line_item_usage_type,
        cast(i as double) / 7 as line_item_unblended_cost, 1.0 as line_item_usage_amount,
        map(['user_team', 'aws_created_by'], [case when i % 2 = 0 then 'web' else 'data' end, 'ci']) as resource_tags
      from range(200) t(i)) to '${path}' (format parquet)`);
    const { billing, opened } = await openTestBilling();
    try {
      await importCostFiles(billing.store, path, { ownerAccountId: OWNER, importId: 'a', now: new Date() });
      await activateEveryTag(billing, OWNER);
      const from = `read_parquet('${path}')`;
      assertClose(
        await ceTotal(billing, '2026-01-01', '2026-02-01', { Tags: { Key: 'team', Values: ['web'] } }),
        await duckSum(from, 'line_item_unblended_cost', `resource_tags['user_team'] = 'web'`),
      );
      // An AWS-generated key is named as the legacy columns' (resource_tags_aws_created_by) is: aws:created_by.
      const keys = await getTags.handler(
        { TimePeriod: { Start: '2026-01-01', End: '2026-02-01' } },
        context(billing, OWNER),
      );
      assert.deepEqual(keys.Tags, ['aws:created_by', 'team']);
    } finally {
      await opened.close();
    }
  });
  it('CUR 2.0 CSV: amortized cost per line item type (billing-data.md §2.4), JSON maps, timestamps without seconds', async () => {
    const header = [
      'bill_payer_account_id',
      'bill_billing_period_start_date',
      'line_item_usage_account_id',
      'line_item_line_item_type',
      'line_item_usage_start_date',
      'line_item_unblended_cost',
      'savings_plan_savings_plan_effective_cost',
      'savings_plan_total_commitment_to_date',
      'savings_plan_used_commitment',
      'reservation_effective_cost',
      'reservation_unused_amortized_upfront_fee_for_billing_period',
      'reservation_unused_recurring_fee',
      'reservation_reservation_a_r_n',
      'resource_tags',
      'product',
    ];
    // [type, unblended, sp effective, sp commitment to date, sp used, ri effective, ri unused upfront, ri unused recurring, ri arn] → amortized
    const rows: Array<[string, string, string, string, string, string, string, string, string, string]> = [
      ['Usage', '1.5', '', '', '', '', '', '', '', '1.5'],
      ['SavingsPlanCoveredUsage', '2.0', '1.2', '', '', '', '', '', '', '1.2'],
      ['SavingsPlanRecurringFee', '10', '', '10', '7.5', '', '', '', '', '2.5'],
      ['SavingsPlanNegation', '-2.0', '', '', '', '', '', '', '', '0'],
      ['SavingsPlanUpfrontFee', '100', '', '', '', '', '', '', '', '0'],
      ['DiscountedUsage', '0', '', '', '', '0.8', '', '', '', '0.8'],
      ['RIFee', '5', '', '', '', '', '0.3', '0.2', '', '0.5'],
      ['Fee', '50', '', '', '', '', '', '', 'arn:aws:ec2:us-east-1:111122223333:reserved-instances/r-1', '0'],
      ['Fee', '3', '', '', '', '', '', '', '', '3'],
      ['Tax', '0.7', '', '', '', '', '', '', '', '0.7'],
      ['Bogus', '1', '', '', '', '', '', '', '', ''],
      ['Usage', 'n/a', '', '', '', '', '', '', '', ''],
    ];
    const csv = [
      header.join(','),
      ...rows.map(([type, ...costs], i) =>
        [
          '111122223333',
          '2026-03-01T00:00:00Z',
          '444455556666',
          type,
          i % 2 === 0 ? '2026-03-02T05:00Z' : '2026-03-03 00:00:00',
          ...costs.slice(0, 8),
          i % 3 === 0 ? '"{""user_team"":""web""}"' : '',
          '"{""product_name"":""Amazon Elastic Compute Cloud"",""region"":""eu-west-1""}"',
        ].join(','),
      ),
    ].join('\n');
    const path = join(scratch, 'cur2.csv');
    writeFileSync(path, csv);
    const { billing, opened } = await openTestBilling();
    try {
      const report = await importCostFiles(billing.store, path, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      await activateEveryTag(billing, OWNER);
      assert.equal(report.files[0]!.format, 'cur');
      assert.deepEqual(report.files[0]!.reasons, {
        'unknown line item type Bogus': 1,
        'line_item_unblended_cost is missing or not a number': 1,
      });
      assert.equal(report.lineItems, 10);
      const out = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2026-03-01', End: '2026-04-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost', 'AmortizedCost'],
          GroupBy: [
            { Type: 'DIMENSION', Key: 'SERVICE' },
            { Type: 'DIMENSION', Key: 'REGION' },
          ],
        },
        context(billing, OWNER),
      );
      const groups = (
        out.ResultsByTime as Array<{
          Groups: Array<{ Keys: string[]; Metrics: Record<string, { Amount: string }> }>;
        }>
      )[0]!.Groups;
      assert.deepEqual(
        groups.map((g) => [g.Keys, g.Metrics.UnblendedCost!.Amount, g.Metrics.AmortizedCost!.Amount]),
        [[['Amazon Elastic Compute Cloud', 'eu-west-1'], '170.2', '10.2']],
      );
      const amortized = rows.slice(0, 10).reduce((sum, row) => sum + Number(row[9]), 0);
      assert.equal(amortized.toFixed(1), '10.2');
      const tags = await getTags.handler(
        { TimePeriod: { Start: '2026-03-01', End: '2026-04-01' }, TagKey: 'team' },
        context(billing, OWNER),
      );
      // '' stands for the rows without the tag, as Cost Explorer answers.
      assert.deepEqual(tags.Tags, ['', 'web']);
    } finally {
      await opened.close();
    }
  });
});

// The same imports against PostgreSQL, in one schema (one migrated database per test file).
const postgres = (await testDatabases()).find((d) => d.label === 'postgres')!;
describe('bursar import on PostgreSQL', { skip: postgres.skip }, () => {
  it('imports the three samples with matching totals, replaces on re-import, and rolls back a failed import', async () => {
    const { billing, opened } = await openTestBilling(undefined, undefined, postgres.open);
    const pgDuck = await (await DuckDBInstance.create(':memory:')).connect();
    const previous = duck;
    duck = pgDuck;
    try {
      await importCostFiles(billing.store, `${DATA}/cur-sample`, {
        ownerAccountId: OWNER,
        importId: 'a',
        now: new Date(),
      });
      await importCostFiles(billing.store, FOCUS, { ownerAccountId: OWNER, importId: 'b', now: new Date() });
      assertClose(
        await ceTotal(billing, '2018-10-01', '2018-11-01'),
        await duckSum(`read_parquet('${CUR_PARQUET}')`, 'line_item_unblended_cost'),
      );
      assertClose(
        await ceTotal(billing, '2023-11-01', '2023-12-01'),
        await duckSum(`read_csv('${CUR_CSV}', all_varchar=true)`, 'lineItem/UnblendedCost'),
      );
      assertClose(
        await ceTotal(billing, '2024-09-01', '2024-11-01'),
        await duckSum(`read_csv('${FOCUS}', nullstr='NULL', all_varchar=true)`, 'BilledCost'),
      );
      const again = await importCostFiles(billing.store, FOCUS, {
        ownerAccountId: OWNER,
        importId: 'c',
        now: new Date(),
      });
      assert.ok(again.periods.every((p) => p.replaced));
      assert.equal(await lineItemCount(opened), 1000 + 1281 + 2530);
      const gz = gzipSync(readFileSync(FOCUS));
      const truncated = join(mkdtempSync(join(tmpdir(), 'bursar-pg-')), 'cut.csv.gz');
      writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.6)));
      await assert.rejects(
        importCostFiles(billing.store, truncated, { ownerAccountId: OWNER, importId: 'd', now: new Date() }),
      );
      assert.equal(await lineItemCount(opened), 1000 + 1281 + 2530);
      const tagged = await getCostAndUsage.handler(
        {
          TimePeriod: { Start: '2018-10-01', End: '2018-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [
            { Type: 'TAG', Key: 'environment' },
            { Type: 'DIMENSION', Key: 'REGION' },
          ],
        },
        context(billing, OWNER),
      );
      assert.ok((tagged.ResultsByTime as Array<{ Groups: unknown[] }>)[0]!.Groups.length > 0);
    } finally {
      duck = previous;
      pgDuck.closeSync();
      await opened.close();
    }
  });
});
