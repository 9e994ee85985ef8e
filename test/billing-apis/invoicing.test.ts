/**
 * The Invoicing API (JSON 1.0, `invoicing`) through @aws-sdk/client-invoicing against a server started here
 * with a year of demo costs: ListInvoiceSummaries (selectors, filters, pages) and GetInvoicePDF, their
 * amounts checked against Cost Explorer, and errors in the model's shapes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetInvoicePDFCommand, InvoicingClient, ListInvoiceSummariesCommand } from '@aws-sdk/client-invoicing';
import { seedDemoCosts } from '../../src/billing/demo-seed.js';
import { FixedClock } from '../../src/platform/clock.js';
import { createServer, type BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_EMAIL, ROOT_KEY, ROOT_PASSWORD, clientConfig, rejectsWith } from '../compat/harness.js';

// SigV4 allows five minutes of skew: the server's fixed clock stays near the real one.
const NOW = new Date();
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
    server = await createServer({
      ephemeral: true,
      port: 0,
      passwordHashCost: 1024,
      clock: new FixedClock(NOW),
      bootstrap: {
        accountId: ACCOUNT_ID,
        rootEmail: ROOT_EMAIL,
        rootPassword: ROOT_PASSWORD,
        accessKeyId: ROOT_KEY.accessKeyId,
        secretAccessKey: ROOT_KEY.secretAccessKey,
      },
    });
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
