/**
 * The Invoicing API (JSON 1.0, `invoicing`) through @aws-sdk/client-invoicing against a server started here
 * with a year of demo costs: ListInvoiceSummaries (selectors, filters, pages) and GetInvoicePDF, their
 * amounts checked against Cost Explorer, and errors in the model's shapes. Imported history stays listed
 * however far the clock has moved on since (issue 17).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetInvoicePDFCommand, InvoicingClient, ListInvoiceSummariesCommand } from '@aws-sdk/client-invoicing';
import { seedDemoCosts } from '../../src/billing/costs/demo-seed.js';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import type { RequestFacts } from '../../src/core/operation.js';
import { FixedClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const CUR_CSV = '/work/shared/data/cur-sample/aws_legacy_cur_anonymized_2023-11.csv';

// The server's clock stands still at the test clock's now; the SDK clients sign by it.
const NOW = testNow();
const period = (months: number) => {
  const d = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - months, 1));
  return { Year: d.getUTCFullYear(), Month: d.getUTCMonth() + 1 };
};
const label = (p: { Year?: number; Month?: number }) => `${p.Year}-${String(p.Month).padStart(2, '0')}`;

describe('Invoicing API through @aws-sdk/client-invoicing', () => {
  let server: BursarServer;
  let invoicing: InvoicingClient;
  const selector = { ResourceType: 'ACCOUNT_ID' as const, Value: ACCOUNT_ID };

  before(async () => {
    server = await startServer({ clock: new FixedClock(NOW) });
    await seedDemoCosts(server.world().billing, { payer: { id: ACCOUNT_ID, name: 'Compat' }, now: NOW, rows: 3000 });
    invoicing = new InvoicingClient(clientConfig(server));
  });
  after(async () => {
    invoicing.destroy();
    await server.close();
  });

  it('lists one invoice per issued month, newest first, in pages; amounts match Cost Explorer', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await invoicing.send(
        new ListInvoiceSummariesCommand({ Selector: selector, MaxResults: 4, NextToken }),
      );
      assert.ok(page.InvoiceSummaries!.length <= 4);
      seen.push(...page.InvoiceSummaries!.map((s) => label(s.BillingPeriod!)));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    // The demo year: eleven issued months before the current, pending one.
    assert.deepEqual(
      seen,
      Array.from({ length: 11 }, (_, i) => label(period(i + 1))),
    );

    const last = period(1);
    const { InvoiceSummaries } = await invoicing.send(
      new ListInvoiceSummariesCommand({ Selector: selector, Filter: { BillingPeriod: last } }),
    );
    assert.equal(InvoiceSummaries!.length, 1);
    const invoice = InvoiceSummaries![0]!;
    assert.equal(invoice.AccountId, ACCOUNT_ID);
    assert.equal(invoice.InvoiceId, `BRS-${ACCOUNT_ID}-${label(last).replace('-', '')}`);
    assert.equal(invoice.InvoiceType, 'INVOICE');
    assert.deepEqual(invoice.IssuedDate, new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), 1)));
    assert.equal(invoice.BaseCurrencyAmount!.CurrencyCode, 'USD');

    const ce = new CostExplorerClient(clientConfig(server));
    const start = `${label(last)}-01`;
    const end = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const costs = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: start, End: end },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
    );
    ce.destroy();
    assert.equal(
      Number(invoice.BaseCurrencyAmount!.TotalAmount),
      Number(costs.ResultsByTime![0]!.Total!.UnblendedCost!.Amount),
    );

    const byId = await invoicing.send(
      new ListInvoiceSummariesCommand({ Selector: { ResourceType: 'INVOICE_ID', Value: invoice.InvoiceId! } }),
    );
    assert.deepEqual(
      byId.InvoiceSummaries!.map((s) => s.InvoiceId),
      [invoice.InvoiceId],
    );
  });

  it('GetInvoicePDF hands out a pre-signed link that serves the invoice document', async () => {
    const id = `BRS-${ACCOUNT_ID}-${label(period(1)).replace('-', '')}`;
    const { InvoicePDF } = await invoicing.send(new GetInvoicePDFCommand({ InvoiceId: id }));
    assert.equal(InvoicePDF!.InvoiceId, id);
    assert.ok(InvoicePDF!.DocumentUrl!.startsWith(`${server.url}/_bursar/invoice-documents/${id}.pdf?`));
    assert.ok(InvoicePDF!.DocumentUrlExpirationDate! > NOW);

    // The link carries its own authorization: no credentials are sent.
    const document = await fetch(InvoicePDF!.DocumentUrl!);
    assert.equal(document.status, 200);
    assert.equal(document.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await document.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');

    const tampered = new URL(InvoicePDF!.DocumentUrl!);
    tampered.pathname = tampered.pathname.replace(id, `BRS-${ACCOUNT_ID}-${label(period(2)).replace('-', '')}`);
    const refused = await fetch(tampered);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it("answers errors in the Invoicing model's shapes", async () => {
    await rejectsWith(
      invoicing.send(
        new ListInvoiceSummariesCommand({ Selector: { ResourceType: 'ACCOUNT_ID', Value: '999999999999' } }),
      ),
      'ValidationException',
      400,
      /999999999999/,
    );
    await rejectsWith(
      invoicing.send(new GetInvoicePDFCommand({ InvoiceId: `BRS-${ACCOUNT_ID}-199001` })),
      'ResourceNotFoundException',
      404,
    );
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'NoPolicy' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'NoPolicy' }));
    iam.destroy();
    const denied = new InvoicingClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await rejectsWith(
      denied.send(new ListInvoiceSummariesCommand({ Selector: selector })),
      'AccessDeniedException',
      403,
      /is not authorized to perform: invoicing:ListInvoiceSummaries on resource: \*/,
    );
    denied.destroy();
  });
});

describe('imported history stays on the bills list however old (issue 17)', () => {
  // The bills list used to count 36 months back from today: November 2023 left it in December 2026.
  for (const [today, nextMonth] of [
    ['2026-12-07T09:00:00Z', '2027-01-01'],
    ['2027-12-07T09:00:00Z', '2028-01-01'],
  ] as const) {
    it(`lists, links and credits November 2023 when the server's clock reads ${today.slice(0, 10)}`, async () => {
      const server = await startServer({ clock: new FixedClock(today) });
      const invoicing = new InvoicingClient(clientConfig(server));
      try {
        await importCostFiles(server.world().billing.store, CUR_CSV, {
          ownerAccountId: ACCOUNT_ID,
          importId: 'november-2023',
          now: new Date(today),
        });
        const selector = { ResourceType: 'ACCOUNT_ID' as const, Value: ACCOUNT_ID };
        const listed = await invoicing.send(new ListInvoiceSummariesCommand({ Selector: selector }));
        const id = `BRS-${ACCOUNT_ID}-202311`;
        assert.deepEqual(
          listed.InvoiceSummaries!.map((s) => [s.InvoiceId, label(s.BillingPeriod!)]),
          [[id, '2023-11']],
        );
        assert.deepEqual(listed.InvoiceSummaries![0]!.IssuedDate, new Date('2023-12-01T00:00:00Z'));
        const filtered = await invoicing.send(
          new ListInvoiceSummariesCommand({ Selector: selector, Filter: { BillingPeriod: { Year: 2023, Month: 11 } } }),
        );
        assert.deepEqual(
          filtered.InvoiceSummaries!.map((s) => s.InvoiceId),
          [id],
        );
        const { InvoicePDF } = await invoicing.send(new GetInvoicePDFCommand({ InvoiceId: id }));
        assert.equal((await fetch(InvoicePDF!.DocumentUrl!)).status, 200);

        // GetCredits without a TimePeriod spans every period with data, not the last twelve months.
        const root = {
          kind: 'root' as const,
          accountId: ACCOUNT_ID,
          arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
          userId: ACCOUNT_ID,
        };
        const facts: RequestFacts = {
          requestId: 'credits',
          sourceIp: '127.0.0.1',
          userAgent: 'test',
          now: new Date(today),
          via: 'json',
        };
        const credits = (await server.world().invoke(root, facts, 'billing', 'GetCredits', {})) as {
          TimePeriod: { Start: string; End: string };
        };
        assert.deepEqual(credits.TimePeriod, { Start: '2023-11-01', End: nextMonth });
      } finally {
        invoicing.destroy();
        await server.close();
      }
    });
  }
});
