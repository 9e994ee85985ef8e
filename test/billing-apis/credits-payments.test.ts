/**
 * Credits and the payments ledger against a server started here. `billing:GetCredits` goes through the JSON
 * door (a SigV4-signed JSON 1.0 request to `AWSBilling.GetCredits`; no SDK client has this operation) and is
 * checked against Cost Explorer's own answer over the real SDK; console calls answer to their page's gate in
 * both console vocabularies. The payments ledger (`payments:GetPaymentStatus`, `payments:MakePayment`) has no
 * AWS wire API, so it is called through invoke(), from the API side and the console side.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, ROOT_KEY, clientConfig } from '../compat/harness.js';
import { testNow } from '../test-clock.js';
import { refusal, startBillingWorld, type BillingWorld, type Key } from './billing-world.js';

interface Credits {
  TimePeriod: { Start: string; End: string };
  Total: { Amount: string; Unit: string };
  CreditsByPeriod: Array<{
    BillingPeriod: string;
    Amount: string;
    Unit: string;
    ByService: Array<{ Service: string; Amount: string }>;
    ByAccount?: Array<{ AccountId: string; AccountName?: string; Amount: string }>;
  }>;
}

/** Exact sums of decimal text, as integer counts of 10⁻¹⁰. */
const units = (amount: string) => {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole!) * 10n ** 10n + BigInt(fraction.padEnd(10, '0'));
  return negative ? -value : value;
};
const sum = (amounts: string[]) => amounts.reduce((total, amount) => total + units(amount), 0n);

async function billingCall(server: BursarServer, operation: string, input: object, key: Key = ROOT_KEY) {
  const url = new URL(server.url);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'billing', region: 'us-east-1', sha256: Sha256, credentials: key });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AWSBilling.${operation}`,
      },
      body,
    },
    { signingDate: testNow() },
  );
  const response = await fetch(new URL('/', url), {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  });
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

describe('billing:GetCredits and the payments ledger', () => {
  let world: BillingWorld;
  let server: BursarServer;
  let member: string;
  let now: Date;
  let root: Caller;

  before(async () => {
    world = await startBillingWorld('credits-payments');
    ({ server, member, now, root } = world);
  });
  after(async () => {
    await server.close();
  });

  const invoke = (caller: Caller, via: RequestFacts['via'], service: string, name: string, input = {}) =>
    world.invoke(caller, via, service, name, input);
  const userWith = (name: string, actions: string[]) => world.userWith(name, actions);
  const consoleSettings = (set: 'EXISTING' | 'FINE_GRAINED') => world.consoleSettings(set);

  it('answers credits by period, service and member account, agreeing with Cost Explorer to the last digit', async () => {
    const response = await billingCall(server, 'GetCredits', {});
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const credits = response.body as unknown as Credits;
    assert.ok(credits.CreditsByPeriod.length >= 11, `periods: ${credits.CreditsByPeriod.length}`);
    const periods = credits.CreditsByPeriod.map((p) => p.BillingPeriod);
    assert.deepEqual(periods, [...periods].sort().reverse());
    assert.equal(units(credits.Total.Amount), sum(credits.CreditsByPeriod.map((p) => p.Amount)));
    for (const period of credits.CreditsByPeriod) {
      assert.ok(units(period.Amount) < 0n, `${period.BillingPeriod} credits are negative`);
      assert.equal(units(period.Amount), sum(period.ByService.map((s) => s.Amount)));
      assert.equal(units(period.Amount), sum(period.ByAccount!.map((a) => a.Amount)));
    }
    // The demo data credits some accounts of the organization, each named as its cost data names it.
    const accounts = new Map(
      credits.CreditsByPeriod.flatMap((p) => p.ByAccount!.map((a) => [a.AccountId, a.AccountName])),
    );
    assert.ok(accounts.size > 0);
    for (const [id, name] of accounts) assert.equal(name, id === ACCOUNT_ID ? 'Management' : 'Member');

    const ce = new CostExplorerClient(clientConfig(server));
    try {
      const oracle = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: credits.TimePeriod,
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } },
          GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        }),
      );
      const expected = new Map<string, bigint>();
      for (const result of oracle.ResultsByTime!) {
        const period = result.TimePeriod!.Start!.slice(0, 7);
        const amount = sum(result.Groups!.map((g) => g.Metrics!.UnblendedCost!.Amount!));
        if (amount !== 0n) expected.set(period, amount);
      }
      assert.deepEqual(new Map(credits.CreditsByPeriod.map((p) => [p.BillingPeriod, units(p.Amount)])), expected);
    } finally {
      ce.destroy();
    }
  });

  it("a member account sees only its own credits: its line in the management account's breakdown", async () => {
    const memberRoot = world.rootOf(member);
    const own = (await invoke(memberRoot, 'json', 'billing', 'GetCredits')) as unknown as Credits;
    const all = (await invoke(root, 'json', 'billing', 'GetCredits')) as unknown as Credits;
    assert.ok(own.CreditsByPeriod.every((p) => p.ByAccount === undefined));
    const expected = all.CreditsByPeriod.flatMap((p) =>
      p.ByAccount!.filter((a) => a.AccountId === member).map((a) => [p.BillingPeriod, a.Amount]),
    );
    assert.deepEqual(
      own.CreditsByPeriod.map((p) => [p.BillingPeriod, p.Amount]),
      expected,
    );
  });

  it('validates the time period in the protocol shape', async () => {
    const response = await billingCall(server, 'GetCredits', {
      TimePeriod: { Start: '2026-05-01', End: '2026-04-01' },
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.__type, 'ValidationException');
    assert.equal(response.body.message, 'Start date (and hour) should be before end date (and hour)');
  });

  it('from the API asks billing:GetCredits, not ce:*', async () => {
    const reader = await userWith('CreditsReader', ['billing:GetCredits']);
    assert.equal((await billingCall(server, 'GetCredits', {}, reader.key)).status, 200);
    const analyst = await userWith('CostAnalyst', ['ce:*']);
    const refused = await billingCall(server, 'GetCredits', {}, analyst.key);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.__type, 'AccessDeniedException');
    assert.match(String(refused.body.message), /is not authorized to perform: billing:GetCredits on resource: \*/);
  });

  it('from the console answers to the Credits page: billing:Get* without ce:* (fine-grained), ViewBilling (existing)', async () => {
    const fineGrained = await userWith('CreditsViewer', ['billing:Get*', 'account:GetAccountInformation']);
    const costOnly = await userWith('CostOnly', ['ce:*']);
    const viewBilling = await userWith('LegacyViewer', ['aws-portal:ViewBilling']);

    await consoleSettings('FINE_GRAINED');
    await invoke(fineGrained.caller, 'console', 'billing', 'GetCredits');
    // The old page read Cost Explorer, which this user may not call from the console.
    await assert.rejects(
      invoke(fineGrained.caller, 'console', 'ce', 'GetCostAndUsage', {
        TimePeriod: { Start: '2026-01-01', End: '2026-02-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
      /You Need Permissions/,
    );
    await assert.rejects(invoke(costOnly.caller, 'console', 'billing', 'GetCredits'), (error: Error) => {
      assert.match(error.message, /^You Need Permissions: /);
      return true;
    });
    await assert.rejects(invoke(viewBilling.caller, 'console', 'billing', 'GetCredits'), /You Need Permissions/);

    await consoleSettings('EXISTING');
    await invoke(viewBilling.caller, 'console', 'billing', 'GetCredits');
    await assert.rejects(invoke(fineGrained.caller, 'console', 'billing', 'GetCredits'), /You Need Permissions/);
  });

  interface PaymentStatus {
    PaymentsDue: Array<{
      InvoiceId: string;
      BillingPeriod: string;
      Amount: string;
      Status: string;
      PaymentId?: string;
    }>;
    TotalDue: { Amount: string; CurrencyCode: string };
    Transactions: Array<{ PaymentId: string; InvoiceId: string; Amount: string; PaymentMethod: string; PaidAt: Date }>;
  }
  const status = async (caller: Caller = root, via: RequestFacts['via'] = 'json') =>
    (await invoke(caller, via, 'payments', 'GetPaymentStatus')) as unknown as PaymentStatus;
  const pay = (invoiceId: string, caller: Caller = root, via: RequestFacts['via'] = 'json') =>
    invoke(caller, via, 'payments', 'MakePayment', { InvoiceId: invoiceId }) as Promise<{
      Payment: PaymentStatus['Transactions'][number];
    }>;
  it('lists the issued bills as payments due, pays one with the default payment method, and refuses a second payment', async () => {
    const before = await status();
    const current = now.toISOString().slice(0, 7);
    assert.ok(before.PaymentsDue.length >= 11, `due: ${before.PaymentsDue.length}`);
    assert.ok(before.PaymentsDue.every((d) => d.Status === 'UNPAID' && d.BillingPeriod < current));
    assert.equal(units(before.TotalDue.Amount), sum(before.PaymentsDue.map((d) => d.Amount)));
    assert.deepEqual(before.Transactions, []);
    const bills = (await invoke(root, 'json', 'invoicing', 'ListInvoiceSummaries', {
      Selector: { ResourceType: 'ACCOUNT_ID', Value: ACCOUNT_ID },
    })) as {
      InvoiceSummaries: Array<{ InvoiceId?: string; BaseCurrencyAmount: { TotalAmount: string } }>;
    };
    const oldest = before.PaymentsDue.at(-1)!;
    const billTotal = bills.InvoiceSummaries.find((s) => s.InvoiceId === oldest.InvoiceId)!.BaseCurrencyAmount;
    assert.equal(oldest.Amount, billTotal.TotalAmount);

    await assert.rejects(
      pay(oldest.InvoiceId),
      refusal(
        'ValidationException',
        'The account has no default payment method. Add one in Payment preferences, then pay.',
      ),
    );
    await invoke(root, 'json', 'payments', 'CreatePaymentInstrument', {
      Brand: 'VISA',
      LastFourDigits: '4242',
      ExpiryMonth: 12,
      ExpiryYear: now.getUTCFullYear() + 3,
      CardholderName: 'Root Owner',
    });
    const { Payment } = await pay(oldest.InvoiceId);
    assert.equal(Payment.InvoiceId, oldest.InvoiceId);
    assert.equal(Payment.Amount, oldest.Amount);
    assert.equal(Payment.PaymentMethod, 'VISA ending in 4242');

    const after = await status();
    const paid = after.PaymentsDue.find((d) => d.InvoiceId === oldest.InvoiceId)!;
    assert.equal(paid.Status, 'PAID');
    assert.equal(paid.PaymentId, Payment.PaymentId);
    assert.equal(units(after.TotalDue.Amount), units(before.TotalDue.Amount) - units(oldest.Amount));
    assert.deepEqual(
      after.Transactions.map((t) => [t.PaymentId, t.InvoiceId, t.Amount]),
      [[Payment.PaymentId, oldest.InvoiceId, oldest.Amount]],
    );

    await assert.rejects(
      pay(oldest.InvoiceId),
      refusal(
        'ConflictException',
        `Invoice ${oldest.InvoiceId} was already paid on ${now.toISOString().slice(0, 10)} (payment ${Payment.PaymentId}); it cannot be paid twice.`,
      ),
    );
    assert.equal((await status()).Transactions.length, 1);
  });

  it("finds neither the open month nor another account's invoice", async () => {
    const current = now.toISOString().slice(0, 7).replace('-', '');
    for (const id of [`BRS-${ACCOUNT_ID}-${current}`, `BRS-${member}-202601`, 'not-an-invoice']) {
      await assert.rejects(pay(id), refusal('ResourceNotFoundException', `Invoice ${id} was not found.`));
    }
  });

  it('a member account has nothing due: the management account pays the consolidated bill', async () => {
    const memberRoot = world.rootOf(member);
    assert.deepEqual((await status(memberRoot)).PaymentsDue, []);
    await assert.rejects(
      pay(`BRS-${member}-202601`, memberRoot),
      refusal(
        'ValidationException',
        'This account is a member of an organization: its charges are paid by the management account, on the consolidated bill.',
      ),
    );
  });

  it('asks payments:GetPaymentStatus and payments:MakePayment from the API', async () => {
    const viewer = await userWith('PaymentViewer', ['payments:GetPaymentStatus']);
    await status(viewer.caller);
    const due = (await status()).PaymentsDue.find((d) => d.Status === 'UNPAID')!;
    await assert.rejects(
      pay(due.InvoiceId, viewer.caller),
      refusal('AccessDenied', /not authorized to perform: payments:MakePayment on resource: \*/),
    );
  });

  it('from the console answers to the Payments page and its Complete payment button, in both vocabularies', async () => {
    const financeUser = await userWith('FinanceUser', ['aws-portal:View*']);
    const fineGrained = await userWith('PaymentsReader', [
      'account:GetAccountInformation',
      'billing:Get*',
      'payments:Get*',
      'payments:List*',
    ]);
    const payer = await userWith('Payer', [
      'account:GetAccountInformation',
      'billing:Get*',
      'payments:Get*',
      'payments:List*',
      'payments:MakePayment',
      'invoicing:Get*',
    ]);
    const unpaid = () => status().then((s) => s.PaymentsDue.filter((d) => d.Status === 'UNPAID'));

    await consoleSettings('EXISTING');
    await status(financeUser.caller, 'console');
    await assert.rejects(
      pay((await unpaid())[0]!.InvoiceId, financeUser.caller, 'console'),
      refusal(
        'AccessDenied',
        'You need ModifyBilling permissions to make changes to this page. Contact your AWS administrator if you need help.',
      ),
    );
    await assert.rejects(status(fineGrained.caller, 'console'), refusal('AccessDenied', /^You Need Permissions: /));

    await consoleSettings('FINE_GRAINED');
    await status(fineGrained.caller, 'console');
    await assert.rejects(
      pay((await unpaid())[0]!.InvoiceId, fineGrained.caller, 'console'),
      refusal(
        'AccessDenied',
        'You need payments:Make* and invoicing:Get* permissions to make changes to this page. Contact your AWS administrator if you need help.',
      ),
    );
    await assert.rejects(status(financeUser.caller, 'console'), refusal('AccessDenied', /^You Need Permissions: /));
    const target = (await unpaid())[0]!;
    const { Payment } = await pay(target.InvoiceId, payer.caller, 'console');
    assert.equal(Payment.InvoiceId, target.InvoiceId);
  });
});
