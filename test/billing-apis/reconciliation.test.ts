/**
 * The numbers a finance team compares must agree (issue 15): for every month of the demo year, and for the
 * months of imported real exports (a legacy CUR and a FOCUS file), the bill's total (GetBillingData, what
 * the Bills page shows) = Cost Explorer's total for the whole month (the console's first-to-last-day range,
 * End exclusive on the wire) = the invoice PDF's total = the bill's lines (services, credits, refunds and
 * tax), to the cent; and each service's Regions and their usage types add up to it exactly. The invoice
 * reads as AWS's: seller and bill-to blocks, due date and payment terms, credits as "-USD 100.00". On SQLite and
 * PostgreSQL, with the cost parts in a directory and in an S3-compatible store (issue 16).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { GetInvoicePDFCommand, InvoicingClient, ListInvoiceSummariesCommand } from '@aws-sdk/client-invoicing';
import { seedDemoCosts } from '../../src/billing/costs/demo-seed.js';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import { parseMoney } from '../../src/billing/money.js';
import type { Bill } from '../../src/contracts/console.js';
import type { RequestFacts } from '../../src/core/operation.js';
import { FixedClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { testCostStores } from '../billing/cost-stores.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const CUR_CSV = '/work/shared/data/cur-sample/aws_legacy_cur_anonymized_2023-11.csv';
const FOCUS_CSV = '/work/shared/data/focus-sample/focus_sample_1000.csv';
const NOW = testNow();

/** Exact decimal text → money units (bigint): sums of them are exact. */
const units = (amount: string | undefined) => {
  const value = parseMoney(amount ?? '');
  assert.ok(value !== undefined, `a decimal amount: ${amount}`);
  return value;
};
const sum = (amounts: string[]) => amounts.reduce((total, amount) => total + units(amount), 0n);
/** Decimal text → cents, half away from zero (as the console and the PDF print it). */
const cents = (amount: string) => Math.sign(Number(amount)) * Math.round(Math.abs(Number(amount)) * 100);

/**
 * The invoice PDF's text, one string per drawn text run: pdfkit (uncompressed) writes each run as a TJ
 * array of hex glyph strings between kerning offsets.
 */
function pdfText(pdf: Buffer): string[] {
  const runs: string[] = [];
  for (const [, array] of pdf.toString('latin1').matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)) {
    runs.push(
      [...array!.matchAll(/<([0-9a-f]*)>/g)].map(([, hex]) => Buffer.from(hex!, 'hex').toString('latin1')).join(''),
    );
  }
  return runs;
}

/** The amount printed after a label on the invoice ("USD 1,234.56" or "-USD 100.00"), in cents. */
function pdfAmount(runs: string[], label: string): number {
  const at = runs.indexOf(label);
  assert.ok(at >= 0, `the invoice prints ${label}: ${runs.join(' | ')}`);
  const match = /^(-)?USD (-)?([\d,]+)\.(\d\d)$/.exec(runs[at + 1] ?? '');
  assert.ok(match !== null, `an amount after ${label}: ${runs[at + 1]}`);
  const value = Number(match[3]!.replace(/,/g, '')) * 100 + Number(match[4]);
  return match[1] !== undefined || match[2] !== undefined ? -value : value;
}

const nextMonth = (period: string) => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
};

/** The invoice's due date as printed: the invoice date (the 1st of the next month) plus 30 days. */
const dueDay = (period: string) =>
  new Date(Date.parse(`${nextMonth(period)}T00:00:00Z`) + 30 * 86_400_000).toLocaleDateString('en-US', {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** Every issued month of the account reconciles; returns the periods checked. */
async function reconcile(server: BursarServer, now: Date): Promise<string[]> {
  const invoicing = new InvoicingClient(clientConfig(server));
  const ce = new CostExplorerClient(clientConfig(server));
  const root = {
    kind: 'root' as const,
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    userId: ACCOUNT_ID,
  };
  const facts: RequestFacts = { requestId: 'reconcile', sourceIp: '127.0.0.1', userAgent: 'test', now, via: 'json' };
  const checked: string[] = [];
  try {
    const { InvoiceSummaries } = await invoicing.send(
      new ListInvoiceSummariesCommand({ Selector: { ResourceType: 'ACCOUNT_ID', Value: ACCOUNT_ID } }),
    );
    for (const invoice of InvoiceSummaries!) {
      const { Year, Month } = invoice.BillingPeriod!;
      const period = `${Year}-${String(Month).padStart(2, '0')}`;
      const { Bill: bill } = (await server.world().invoke(root, facts, 'billing', 'GetBillingData', {
        BillingPeriod: period,
      })) as { Bill: Bill };

      // The bill's lines add up exactly: services to the charges, with credits, refunds and tax to the total.
      const services = bill.ChargesByService.map((line) => line.Amount);
      assert.equal(sum(services), units(bill.Charges), `${period}: the services add up to the charges`);
      assert.equal(
        sum([...services, bill.Credits, bill.Refunds, bill.Tax]),
        units(bill.Total),
        `${period}: services + credits + refunds + tax = total`,
      );
      for (const service of bill.ChargesByService) {
        assert.equal(sum(service.Regions.map((r) => r.Amount)), units(service.Amount), `${period} ${service.Service}`);
        for (const region of service.Regions) {
          assert.equal(
            sum(region.UsageTypes.map((u) => u.Amount)),
            units(region.Amount),
            `${period} ${service.Service} in ${region.Region}`,
          );
        }
      }

      // Cost Explorer, the whole month: the console's last day is the API's exclusive End minus one.
      const costs = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: `${period}-01`, End: nextMonth(period) },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      );
      const explorer = costs.ResultsByTime!.map((r) => r.Total!.UnblendedCost!.Amount!);
      assert.equal(sum(explorer), units(bill.Total), `${period}: Cost Explorer's month = the bill`);
      assert.equal(invoice.BaseCurrencyAmount!.TotalAmount, bill.Total, `${period}: the invoice summary = the bill`);

      // The invoice PDF prints the same total and parts, to the cent.
      const { InvoicePDF } = await invoicing.send(new GetInvoicePDFCommand({ InvoiceId: invoice.InvoiceId! }));
      const response = await fetch(InvoicePDF!.DocumentUrl!);
      assert.equal(response.status, 200);
      const runs = pdfText(Buffer.from(await response.arrayBuffer()));
      assert.equal(pdfAmount(runs, 'Total'), cents(bill.Total), `${period}: the PDF's total`);
      for (const [label, amount] of [
        ['Credits', bill.Credits],
        ['Tax', bill.Tax],
      ] as const) {
        assert.equal(pdfAmount(runs, label), cents(amount), `${period}: the PDF's ${label}`);
      }
      // Laid out as AWS's: bill-to, due date and terms; a credit printed "-USD 100.00".
      assert.ok(runs.includes('Bill to') && runs.includes('Seller'), `${period}: seller and bill-to blocks`);
      assert.equal(runs[runs.indexOf('Payment terms') + 1], 'Net 30 days', `${period}: the payment terms`);
      assert.equal(runs[runs.indexOf('Due date') + 1], dueDay(period), `${period}: due 30 days after the invoice date`);
      if (units(bill.Credits) < 0n) assert.match(runs[runs.indexOf('Credits') + 1]!, /^-USD \d/, 'a credit');
      checked.push(period);
    }
  } finally {
    invoicing.destroy();
    ce.destroy();
  }
  return checked;
}

for (const store of await testCostStores()) {
  describe(`bills, Cost Explorer and invoices reconcile to the cent (${store.label})`, { skip: store.skip }, () => {
    describe('over the demo year', () => {
      let server: BursarServer;
      before(async () => {
        server = await startServer({ clock: new FixedClock(NOW), storage: await store.server() });
        await seedDemoCosts(server.world().billing, {
          payer: { id: ACCOUNT_ID, name: 'Compat' },
          now: NOW,
          rows: 3000,
        });
      });
      after(async () => server.close());

      it('every issued month: bill = Cost Explorer = invoice PDF = its lines', async () => {
        const checked = await reconcile(server, NOW);
        assert.equal(checked.length, 11, `the demo year's issued months: ${checked.join(', ')}`);
      });
    });

    for (const [name, file, periods] of [
      ['a legacy CUR export', CUR_CSV, ['2023-11']],
      ['a FOCUS export', FOCUS_CSV, ['2024-09']],
    ] as const) {
      describe(`over ${name}`, () => {
        let server: BursarServer;
        before(async () => {
          server = await startServer({ clock: new FixedClock(NOW), storage: await store.server() });
          await importCostFiles(server.world().billing.store, file, {
            ownerAccountId: ACCOUNT_ID,
            importId: 'reconciliation',
            now: NOW,
          });
        });
        after(async () => server.close());

        it('every imported month: bill = Cost Explorer = invoice PDF = its lines', async () => {
          assert.deepEqual(await reconcile(server, NOW), periods);
        });
      });
    }
  });
}
