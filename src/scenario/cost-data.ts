/**
 * A scenario's `costData`: a year of demo costs and/or cost files, imported into Bursar the way
 * `bursar import --endpoint` does — one `bursar:ImportCostData` call per file, each file its own import, a
 * billing period imported again replaced whole. Demo costs are generated here (the generator the demo account
 * uses) and sent as FOCUS CSV, one file per billing month.
 *
 * Idempotent by comparison, not by bookkeeping: a file is imported only when Cost Explorer's monthly
 * UnblendedCost for one of its billing periods differs from what importing it would store (its rows read with
 * the importer's own mapping and skip rules, `costFileTotals`). So a second apply imports nothing, a changed
 * file is imported again, and nothing has to be remembered in the account.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoStartMonth } from '../billing/costs/demo-seed.js';
import { generateDemoCosts } from '../billing/costs/demo-generator.js';
import type { CostLineItem } from '../billing/costs/cost-line-item.js';
import { costFileTotals, sharedPeriod } from '../billing/costs/import/import-files.js';
import { importFilesRemote, uploadOf } from '../billing/costs/import/remote-import.js';
import { formatMoney, moneyFromDecimal } from '../billing/money.js';
import { tempDirPrefix } from '../platform/temp-dirs.js';
import type { Step } from './plan.js';
import type { Scenario } from './scenario.js';
import { signingEnv, type Clients } from './target.js';

const FOCUS_COLUMNS: [string, (item: CostLineItem) => string | number | null | undefined][] = [
  ['BillingAccountId', (i) => i.billingAccountId],
  ['BillingAccountName', (i) => i.billingAccountName],
  ['SubAccountId', (i) => i.subAccountId],
  ['SubAccountName', (i) => i.subAccountName],
  ['BillingPeriodStart', (i) => i.billingPeriodStart],
  ['ChargePeriodStart', (i) => i.chargePeriodStart],
  ['ChargePeriodEnd', (i) => i.chargePeriodEnd],
  ['ChargeCategory', (i) => i.chargeCategory],
  ['ChargeDescription', (i) => i.chargeDescription],
  ['ServiceName', (i) => i.serviceName],
  ['x_ServiceCode', (i) => i.serviceCode],
  ['ServiceCategory', (i) => i.serviceCategory],
  ['ProviderName', (i) => i.provider],
  ['InvoiceIssuerName', (i) => i.invoiceIssuer],
  ['InvoiceId', (i) => i.invoiceId],
  ['RegionId', (i) => i.regionId],
  ['AvailabilityZone', (i) => i.availabilityZone],
  ['x_UsageType', (i) => i.usageType],
  ['x_Operation', (i) => i.operation],
  ['SkuId', (i) => i.skuId],
  ['BilledCost', (i) => formatMoney(i.billedCost)],
  ['EffectiveCost', (i) => formatMoney(i.effectiveCost)],
  ['ListCost', (i) => formatMoney(i.listCost)],
  ['ConsumedQuantity', (i) => i.usageQuantity],
  ['ConsumedUnit', (i) => i.usageUnit],
  ['ResourceId', (i) => i.resourceId],
  ['BillingCurrency', (i) => i.currency],
  ['Tags', (i) => (i.tags ? JSON.stringify(i.tags) : null)],
];

const csvField = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The demo year as FOCUS CSV files in `dir`, one per billing month (each month its own import). */
async function writeDemoFiles(
  dir: string,
  accountId: string,
  demo: NonNullable<NonNullable<Scenario['costData']>['demo']>,
  now: Date,
): Promise<string[]> {
  const months = new Map<string, string[]>();
  for (const item of generateDemoCosts({
    seed: demo.seed ?? 2026,
    payer: { id: accountId, name: 'Scenario account' },
    startMonth: demoStartMonth(now),
    months: 12,
    targetRows: demo.rows ?? 20_000,
    until: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10),
  })) {
    const month = item.billingPeriodStart.slice(0, 7);
    let lines = months.get(month);
    if (lines === undefined) months.set(month, (lines = [FOCUS_COLUMNS.map(([name]) => name).join(',')]));
    lines.push(FOCUS_COLUMNS.map(([, value]) => csvField(value(item))).join(','));
  }
  const files: string[] = [];
  for (const [month, lines] of months) {
    const file = join(dir, `demo-${month}.csv`);
    await writeFile(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  return files;
}

const monthAfter = (period: string): string => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
};

/** Cost Explorer's monthly UnblendedCost over `periods`, by `YYYY-MM`. */
async function importedTotals(clients: Clients, periods: string[]): Promise<Map<string, bigint>> {
  const sorted = [...periods].sort();
  const totals = new Map<string, bigint>();
  let token: string | undefined;
  do {
    const page = (await clients.ce('GetCostAndUsage', {
      TimePeriod: { Start: `${sorted[0]}-01`, End: monthAfter(sorted.at(-1)!) },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      ...(token === undefined ? {} : { NextPageToken: token }),
    })) as {
      ResultsByTime?: { TimePeriod?: { Start?: string }; Total?: { UnblendedCost?: { Amount?: string } } }[];
      NextPageToken?: string;
    };
    for (const result of page.ResultsByTime ?? []) {
      totals.set(result.TimePeriod!.Start!.slice(0, 7), moneyFromDecimal(result.Total?.UnblendedCost?.Amount ?? '0'));
    }
    token = page.NextPageToken;
  } while (token !== undefined);
  return totals;
}

/**
 * The steps that import the scenario's cost data into the account, none when Cost Explorer already shows it.
 * `dispose` removes the generated demo files once the steps have run (or will not).
 */
export async function costDataSteps(
  scenario: Scenario,
  clients: Clients,
  accountId: string,
  now: Date = new Date(),
): Promise<{ steps: Step[]; dispose: () => Promise<void> }> {
  const costData = scenario.costData;
  // A kind a server's start sweeps once this process is gone, should it die before removing the files.
  const dir = await mkdtemp(tempDirPrefix('import'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const files = [
      ...(costData?.demo === undefined ? [] : await writeDemoFiles(dir, accountId, costData.demo, now)),
      ...(costData?.files ?? []),
    ];
    if (files.length === 0) return { steps: [], dispose };
    const wanted = await costFileTotals(files);
    // Each file is its own import and replaces the billing periods it holds: two files sharing one would undo
    // each other, and every run would import again.
    const shared = sharedPeriod(wanted);
    if (shared !== undefined) {
      throw new Error(
        `cost data: ${shared.files[0]} and ${shared.files[1]} both hold billing period ${shared.period}; each file is its own import, which replaces the periods it holds`,
      );
    }
    const periods = [...new Set([...wanted.values()].flatMap((p) => [...p.keys()]))];
    const imported = periods.length === 0 ? new Map<string, bigint>() : await importedTotals(clients, periods);
    const steps: Step[] = [];
    for (const [file, periods] of wanted) {
      const stale = [...periods].filter(([period, total]) => (imported.get(period) ?? 0n) !== total);
      if (stale.length === 0) continue;
      const name = file.startsWith(dir) ? file.slice(dir.length + 1) : file;
      steps.push({
        summary: `+ cost data ${name}: ${stale.map(([period, total]) => `${period} ${formatMoney(total)} USD`).join(', ')}`,
        run: async () => {
          const response = await importFilesRemote(
            clients.target!.endpoint!,
            [await uploadOf(file)],
            accountId,
            signingEnv(clients.target!),
          );
          if (response.status !== 200) throw new Error(`ImportCostData ${name}: ${response.status} ${response.body}`);
        },
      });
    }
    return { steps, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
