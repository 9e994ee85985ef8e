/**
 * `bursar import <file-or-dir> --account ACCOUNT_ID [--data-dir DIR | --endpoint URL]`: loads FOCUS or AWS
 * CUR exports (CSV, gzip, Parquet; format recognised from the columns) into an account's cost data. Locally
 * it writes the store directly, in one transaction; with --endpoint it sends each file to a running server's
 * `bursar:ImportCostData`, signed with SigV4 from the usual AWS credential environment variables.
 */
import { parseArgs } from 'node:util';
import { Billing, configuredBlobStore } from '../billing/billing.js';
import { costFileTotals, importCostFiles, sharedPeriod } from '../billing/costs/import/import-files.js';
import { REQUEST_LIMITS } from '../models/limits.js';
import { describeImport } from '../operations/bursar/import-cost-data.js';
import { listDataFiles } from '../billing/costs/import/source-files.js';
import { configFromEnv } from '../platform/config.js';
import { cryptoIdSource, uuid } from '../platform/ids.js';
import { openDatabase } from '../store/database.js';

const USAGE = `usage: bursar import <file-or-dir> --account ACCOUNT_ID [--data-dir DIR | --endpoint URL]

  --account ID     the 12-digit account the cost data belongs to (its payer/billing account)
  --data-dir DIR   the local store to write (default ./data; BURSAR_DATA_DIR; BURSAR_DATABASE_URL for PostgreSQL)
  --endpoint URL   send to a running Bursar server instead (bursar:ImportCostData), signed with
                   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN]
Formats: FOCUS 1.0-1.3 and AWS CUR (legacy lineItem/… and Athena/CUR 2.0 line_item_… names),
as CSV, gzipped CSV or Parquet. Importing a billing period again replaces it; a failed import changes nothing.
With --endpoint, a directory's files go as one import when they fit one request (10 MiB), else one by one.
`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        account: { type: 'string' },
        'data-dir': { type: 'string' },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`bursar import: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const path = positionals[0];
  const account = values.account;
  if (path === undefined || positionals.length > 1 || account === undefined || !/^\d{12}$/.test(account)) {
    process.stderr.write(
      `bursar import: give one file or directory and --account with a 12-digit account id\n\n${USAGE}`,
    );
    return 2;
  }
  if (values.endpoint !== undefined && values['data-dir'] !== undefined) {
    process.stderr.write(`bursar import: --data-dir and --endpoint exclude each other\n\n${USAGE}`);
    return 2;
  }
  if (values.endpoint !== undefined) return importRemote(path, account, values.endpoint);

  const config = configFromEnv();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: values['data-dir'] ?? config.dataDir });
  try {
    const billing = new Billing(database.db, database.dialect, undefined, undefined, undefined, {
      blobs: configuredBlobStore(config.costs, values['data-dir'] ?? config.dataDir),
      ...(config.costs.memoryLimit === undefined ? {} : { memoryLimit: config.costs.memoryLimit }),
    });
    let lastProgress = '';
    const started = performance.now();
    const report = await importCostFiles(billing.store, path, {
      ownerAccountId: account,
      importId: uuid(cryptoIdSource),
      now: new Date(),
      onProgress: ({ path: file, percent, bytes, fileBytes, rows, estimated }) => {
        const seconds = (performance.now() - started) / 1000;
        const line = `… ${file}: ${Math.floor(percent)} % read, ${mib(bytes)} of ${mib(fileBytes)} MiB; ${estimated ? '~' : ''}${rows.toLocaleString('en-US')} rows (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s)\n`;
        if (line !== lastProgress) process.stderr.write(line);
        lastProgress = line;
      },
      onWritten: ({ billingPeriod, rows, bytes }) => {
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write(
          `… stored ${billingPeriod}: ${rows.toLocaleString('en-US')} rows, ${mib(bytes)} MiB of Parquet parts so far (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s)\n`,
        );
      },
    });
    process.stdout.write(describeImport(report));
    return 0;
  } catch (error) {
    process.stderr.write(
      `bursar import: ${error instanceof Error ? error.message : String(error)}\nNothing was imported.\n`,
    );
    return 1;
  } finally {
    await database.close();
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function importRemote(path: string, account: string, endpoint: string): Promise<number> {
  const { importFilesRemote, uploadOf } = await import('../billing/costs/import/remote-import.js');
  const files = await listDataFiles(path);
  if (files.length === 0) {
    process.stderr.write(`bursar import: no CSV, gzip or Parquet files under ${path}\n`);
    return 1;
  }
  // One call, one import, when the files fit one request: the parts of an export replace their billing periods
  // together. Files that do not fit go one by one (read one at a time), which is safe only when no two hold the
  // same billing period: else the last would replace the others.
  let together: Array<{ FileName: string; Content: string }> | undefined = [];
  let size = 256;
  for (const file of files) {
    const upload = await uploadOf(file);
    size += upload.Content.length + upload.FileName.length + 64;
    if (size > REQUEST_LIMITS.uploadBodyBytes) {
      together = undefined;
      break;
    }
    together.push(upload);
  }
  if (together === undefined) {
    // Read with the import's own mapping; nothing is stored.
    const shared = sharedPeriod(await costFileTotals(files));
    if (shared !== undefined) {
      process.stderr.write(
        `bursar import: ${shared.files.join(' and ')} both hold billing period ${shared.period}, and together the files ` +
          `are more than one request carries (${Math.floor(REQUEST_LIMITS.uploadBodyBytes / 1048576)} MiB): sent one by one, ` +
          `the later would replace the earlier. Import them on the server with --data-dir instead.\n`,
      );
      return 1;
    }
  }
  const batches = together === undefined ? files.map((file) => [file]) : [files];
  for (const batch of batches) {
    const uploads = together ?? (await Promise.all(batch.map(uploadOf)));
    const response = await importFilesRemote(endpoint, uploads, account);
    if (response.status !== 200) {
      process.stderr.write(
        `bursar import: ${uploads.map((u) => u.FileName).join(', ')}: ${response.status} ${response.body}\n`,
      );
      return 1;
    }
    const output = JSON.parse(response.body) as { Report?: string };
    process.stdout.write(output.Report ?? response.body);
  }
  return 0;
}
