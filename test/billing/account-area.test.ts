/**
 * The account-settings area's operations through invoke() (an allow-everything authority, so these tests
 * are about behaviour; the gates are the seed matrix's job): Account API contacts and the AccountId rules,
 * payment methods as display records and the card-number screen, tax settings, bills against independent
 * sums of the same demo line items, and the invoice PDF.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serviceModels } from '../../src/models/services/index.js';
import { Billing } from '../../src/billing/billing.js';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { formatMoney } from '../../src/billing/money.js';
import { AuditTrail } from '../../src/audit/trail.js';
import { createInvoke, type Invoke } from '../../src/operations/invoke.js';
import { OperationRegistry } from '../../src/operations/registry.js';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import { FixedClock } from '../../src/platform/clock.js';
import { seededIdSource } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { testDatabases } from '../../src/store/test-databases.js';
import { formatCents } from '../../src/billing/bills/invoice-pdf.js';
import { invoiceDocument } from '../../src/operations/bills/invoice-documents.js';
import { AccountContacts } from '../../src/billing/account/contacts.js';
import { PaymentMethods } from '../../src/billing/payments/payment-methods.js';
import { TaxSettings } from '../../src/billing/payments/tax-settings.js';
import { accountOperations } from '../../src/operations/account/operations.js';
import { billsOperations } from '../../src/operations/bills/operations.js';
import { paymentOperations } from '../../src/operations/payments/operations.js';
import { taxSettingsOperations } from '../../src/operations/taxsettings/operations.js';
import { Bills } from '../../src/billing/bills/bills.js';

const MGMT = '111111111111';
const DEV = '222222222222';
const OUTSIDER = '999999999999';
const ORG = { organizationId: 'o-abcdefghij', managementAccountId: MGMT };
const NOW = new Date('2026-11-15T12:00:00Z');
const DEMO = {
  seed: 11,
  payer: { id: MGMT, name: 'Payer' },
  members: [{ id: DEV, name: 'Dev' }],
  startMonth: '2026-06',
  months: 6,
  targetRows: 3000,
  until: '2026-11-15',
};
const items: CostLineItem[] = [...generateDemoCosts(DEMO)];

for (const target of await testDatabases()) {
  describe(`account settings on ${target.label}`, { skip: target.skip }, () => {
    let opened: OpenedDatabase;
    let invoke: Invoke;
    let billing: Billing;

    const root = (accountId: string): Caller => ({
      kind: 'root',
      accountId,
      arn: `arn:aws:iam::${accountId}:root`,
      userId: accountId,
    });
    const facts = (via: RequestFacts['via'] = 'json'): RequestFacts => ({
      requestId: 'r',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      now: NOW,
      via,
    });
    const call = (accountId: string, service: string, name: string, input: Record<string, unknown> = {}) =>
      invoke(root(accountId), facts(), service, name, input);

    async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
      await assert.rejects(promise, (error: Error & { code?: string }) => {
        assert.equal(error.code, code, error.message);
        if (message !== undefined) assert.match(error.message, message);
        return true;
      });
    }

    const asked: Array<{ action: string; resource: string; context?: unknown }> = [];

    before(async () => {
      opened = await target.open();
      const db = opened.db;
      const clock = new FixedClock(NOW);
      const organizations = {
        organizationOf: async (id: string) =>
          id === MGMT || id === DEV ? { managementAccountId: MGMT, memberAccountIds: [MGMT, DEV] } : undefined,
      };
      billing = new Billing(db, opened.dialect, organizations);
      await billing.store.import(items, {
        ownerAccountId: MGMT,
        importId: 'demo',
        source: 'demo',
        format: 'demo',
        now: NOW,
      });
      const registry = new OperationRegistry().register(
        ...accountOperations,
        ...paymentOperations,
        ...taxSettingsOperations,
        ...billsOperations,
      );
      invoke = createInvoke({
        registry,
        services: {
          accountContacts: new AccountContacts(db, clock),
          organizations: {
            directory: { organizationOf: (id: string) => (id === MGMT || id === DEV ? ORG : undefined) },
          },
          paymentMethods: new PaymentMethods(db, clock, seededIdSource('account-area')),
          taxSettings: new TaxSettings(db, clock, organizations),
          billing,
          bills: new Bills(billing),
        },
        authority: {
          async evaluate(_caller, request) {
            asked.push({ action: request.action, resource: request.resource, context: request.context });
            return { decision: 'Allowed', explanation: '' } as never;
          },
        },
        audit: new AuditTrail(db, seededIdSource('audit'), silentLogger),
        models: serviceModels,
        logger: silentLogger,
      });
    });

    after(async () => {
      await opened.close();
    });

    const CONTACT = {
      AddressLine1: '1 Main Street',
      City: 'Seattle',
      CountryCode: 'US',
      FullName: 'Pat Payer',
      PhoneNumber: '+1 206 555 0100',
      PostalCode: '98101',
      StateOrRegion: 'WA',
    };
    const ALTERNATE = {
      Name: 'Bea Biller',
      Title: 'CFO',
      EmailAddress: 'bea@example.com',
      PhoneNumber: '+1 206 555 0101',
    };

    describe('Account API', () => {
      it('stores and returns contact information; a missing one is ResourceNotFoundException', async () => {
        await rejects(call(OUTSIDER, 'account', 'GetContactInformation'), 'ResourceNotFoundException');
        await call(MGMT, 'account', 'PutContactInformation', { ContactInformation: CONTACT });
        assert.deepEqual(await call(MGMT, 'account', 'GetContactInformation'), { ContactInformation: CONTACT });
        assert.deepEqual(asked.at(-1), {
          action: 'account:GetContactInformation',
          resource: `arn:aws:account::${MGMT}:account`,
          context: asked.at(-1)!.context,
        });
      });

      it('alternate contacts: put, get, delete, and AWS message for a missing type', async () => {
        await rejects(
          call(MGMT, 'account', 'GetAlternateContact', { AlternateContactType: 'BILLING' }),
          'ResourceNotFoundException',
          /^No contact of the inputted alternate contact type found\.$/,
        );
        await call(MGMT, 'account', 'PutAlternateContact', { AlternateContactType: 'BILLING', ...ALTERNATE });
        const request = asked.at(-1)!;
        assert.equal(request.action, 'account:PutAlternateContact');
        assert.deepEqual((request.context as Record<string, unknown>)['account:AlternateContactTypes'], ['BILLING']);
        assert.deepEqual(await call(MGMT, 'account', 'GetAlternateContact', { AlternateContactType: 'BILLING' }), {
          AlternateContact: { AlternateContactType: 'BILLING', ...ALTERNATE },
        });
        await call(MGMT, 'account', 'DeleteAlternateContact', { AlternateContactType: 'BILLING' });
        await rejects(
          call(MGMT, 'account', 'DeleteAlternateContact', { AlternateContactType: 'BILLING' }),
          'ResourceNotFoundException',
        );
      });

      it('rejects an unknown contact type and missing members through the model', async () => {
        await rejects(
          call(MGMT, 'account', 'GetAlternateContact', { AlternateContactType: 'LEGAL' }),
          'ValidationError',
        );
        await rejects(
          call(MGMT, 'account', 'PutAlternateContact', { AlternateContactType: 'SECURITY', Name: 'x' }),
          'ValidationError',
        );
      });

      it('a management account acts on a member with AccountId, against the member-in-organization ARN', async () => {
        await call(MGMT, 'account', 'PutAlternateContact', {
          AccountId: DEV,
          AlternateContactType: 'SECURITY',
          ...ALTERNATE,
        });
        assert.equal(asked.at(-1)!.resource, `arn:aws:account::${MGMT}:account/${ORG.organizationId}/${DEV}`);
        const own = await call(DEV, 'account', 'GetAlternateContact', { AlternateContactType: 'SECURITY' });
        assert.equal((own.AlternateContact as { Name: string }).Name, ALTERNATE.Name);
        // A member cannot name its management account, nor anyone name an account outside its organization.
        await rejects(
          call(DEV, 'account', 'GetAlternateContact', { AccountId: MGMT, AlternateContactType: 'SECURITY' }),
          'AccessDenied',
        );
        await rejects(
          call(MGMT, 'account', 'GetAlternateContact', { AccountId: OUTSIDER, AlternateContactType: 'SECURITY' }),
          'AccessDenied',
        );
        await rejects(
          call(MGMT, 'account', 'GetAlternateContact', { AccountId: MGMT, AlternateContactType: 'SECURITY' }),
          'ValidationException',
          /can't specify its own AccountId/,
        );
      });
    });

    describe('payment methods and preferences', () => {
      const card = {
        Brand: 'VISA',
        LastFourDigits: '4242',
        ExpiryMonth: 12,
        ExpiryYear: 2028,
        CardholderName: 'Pat Payer',
      };

      it('keeps display records only; the first card is the default; set-default and remove', async () => {
        const first = (await call(MGMT, 'payments', 'CreatePaymentInstrument', card)).PaymentInstrument as Record<
          string,
          unknown
        >;
        assert.equal(first.Default, true);
        assert.equal(first.LastFourDigits, '4242');
        const second = (
          await call(MGMT, 'payments', 'CreatePaymentInstrument', { ...card, Brand: 'amex', LastFourDigits: '0005' })
        ).PaymentInstrument as Record<string, unknown>;
        assert.equal(second.Default, false);
        assert.equal(second.Brand, 'AMEX');
        await rejects(
          call(MGMT, 'payments', 'DeletePaymentInstrument', { PaymentInstrumentId: first.PaymentInstrumentId }),
          'ConflictException',
        );
        await call(MGMT, 'payments', 'UpdatePaymentInstrument', {
          PaymentInstrumentId: second.PaymentInstrumentId,
          Default: true,
        });
        await call(MGMT, 'payments', 'DeletePaymentInstrument', { PaymentInstrumentId: first.PaymentInstrumentId });
        const list = (await call(MGMT, 'payments', 'ListPaymentInstruments')).PaymentInstruments as Array<
          Record<string, unknown>
        >;
        assert.deepEqual(
          list.map((p) => [p.LastFourDigits, p.Default]),
          [['0005', true]],
        );
        const stored = await opened.db.selectFrom('payment_instrument').selectAll().execute();
        assert.deepEqual(Object.keys(stored[0]!).sort(), [
          'account_id',
          'brand',
          'created_at',
          'expiry_month',
          'expiry_year',
          'holder_name',
          'instrument_id',
          'is_default',
          'last_four',
        ]);
      });

      it('refuses anything that looks like a card number, in any member, and stores nothing', async () => {
        const before = await opened.db.selectFrom('payment_instrument').select('instrument_id').execute();
        for (const input of [
          { ...card, CardNumber: '4111 1111 1111 1111' },
          { ...card, LastFourDigits: '4111111111111111' },
          { ...card, CardholderName: 'Pat 4111-1111-1111-1111' },
        ]) {
          await rejects(
            call(MGMT, 'payments', 'CreatePaymentInstrument', input),
            'ValidationException',
            /does not accept or store payment card numbers/,
          );
        }
        const auditRows = await opened.db.selectFrom('audit_events').selectAll().execute();
        assert.ok(!JSON.stringify(auditRows).includes('4111'), 'no card number reaches the audit trail');
        assert.equal(
          (await opened.db.selectFrom('payment_instrument').select('instrument_id').execute()).length,
          before.length,
        );
      });

      it('validates the display fields', async () => {
        await rejects(
          call(MGMT, 'payments', 'CreatePaymentInstrument', { ...card, LastFourDigits: '42' }),
          'ValidationException',
        );
        await rejects(
          call(MGMT, 'payments', 'CreatePaymentInstrument', { ...card, ExpiryYear: 2025 }),
          'ValidationException',
          /expired/,
        );
        await rejects(
          call(MGMT, 'payments', 'CreatePaymentInstrument', { ...card, Brand: 'ACME' }),
          'ValidationException',
        );
      });

      it('payment preferences: currency and invoice email', async () => {
        assert.deepEqual(await call(DEV, 'payments', 'ListPaymentPreferences'), {
          PaymentPreferences: { Currency: 'USD', InvoiceEmail: null },
        });
        await call(DEV, 'payments', 'UpdatePaymentPreferences', { Currency: 'EUR', InvoiceEmail: 'ap@example.com' });
        assert.deepEqual(await call(DEV, 'payments', 'ListPaymentPreferences'), {
          PaymentPreferences: { Currency: 'EUR', InvoiceEmail: 'ap@example.com' },
        });
        await rejects(call(DEV, 'payments', 'UpdatePaymentPreferences', { Currency: 'XXX' }), 'ValidationException');
      });
    });

    describe('tax settings', () => {
      it('puts, gets and deletes the tax registration', async () => {
        await rejects(call(MGMT, 'tax', 'GetTaxRegistration'), 'ResourceNotFoundException');
        const entry = {
          registrationId: 'DE123456789',
          registrationType: 'VAT',
          legalName: 'Payer GmbH',
          legalAddress: { addressLine1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' },
        };
        assert.deepEqual(await call(MGMT, 'tax', 'PutTaxRegistration', { taxRegistrationEntry: entry }), {
          status: 'Verified',
        });
        assert.equal(asked.at(-1)!.action, 'tax:PutTaxRegistration');
        const { legalAddress: _address, ...listed } = entry;
        assert.deepEqual(await call(MGMT, 'tax', 'ListTaxRegistrations'), {
          accountDetails: [
            {
              accountId: MGMT,
              taxRegistration: { ...listed, jurisdiction: { countryCode: 'DE' }, status: 'Verified' },
            },
          ],
        });
        assert.deepEqual(await call(MGMT, 'tax', 'GetTaxRegistration'), {
          taxRegistration: { ...entry, status: 'Verified' },
        });
        await rejects(
          call(MGMT, 'tax', 'PutTaxRegistration', { taxRegistrationEntry: { ...entry, registrationType: 'NOPE' } }),
          // The Tax Settings model refuses it (ValidationException on the wire).
          'ValidationError',
        );
        await call(MGMT, 'tax', 'DeleteTaxRegistration');
        await rejects(call(MGMT, 'tax', 'GetTaxRegistration'), 'ResourceNotFoundException');
      });
    });

    describe('bills', () => {
      const sum = (keep: (item: CostLineItem) => boolean) =>
        formatMoney(items.filter(keep).reduce((total, item) => total + BigInt(item.billedCost), 0n));
      const inPeriod = (period: string) => (item: CostLineItem) => item.billingPeriodStart.startsWith(period);
      const charge = (item: CostLineItem) => !['Tax', 'Credit', 'Refund'].includes(item.recordType);

      it('lists the invoices of issued periods, newest first, in the Invoicing API shape', async () => {
        const { InvoiceSummaries } = (await call(MGMT, 'invoicing', 'ListInvoiceSummaries', {
          Selector: { ResourceType: 'ACCOUNT_ID', Value: MGMT },
        })) as {
          InvoiceSummaries: Array<{
            BillingPeriod: { Month: number; Year: number };
            InvoiceId: string;
            IssuedDate: Date;
            BaseCurrencyAmount: { TotalAmount: string };
          }>;
        };
        assert.deepEqual(
          InvoiceSummaries.map((s) => `${s.BillingPeriod.Year}-${s.BillingPeriod.Month}`),
          ['2026-10', '2026-9', '2026-8', '2026-7', '2026-6'],
        );
        assert.equal(InvoiceSummaries[0]!.InvoiceId, `BRS-${MGMT}-202610`);
        assert.equal(InvoiceSummaries[0]!.IssuedDate.toISOString(), '2026-11-01T00:00:00.000Z');
        assert.equal(InvoiceSummaries[0]!.BaseCurrencyAmount.TotalAmount, sum(inPeriod('2026-10')));
        const { Bill } = (await call(MGMT, 'billing', 'GetBillingData')) as { Bill: { BillingPeriod: string } };
        assert.equal(Bill.BillingPeriod, '2026-11', 'without a period, the pending month');
      });

      it("a management account's bill covers every member; totals match independent sums", async () => {
        const { Bill } = (await call(MGMT, 'billing', 'GetBillingData', { BillingPeriod: '2026-09' })) as {
          Bill: Record<string, unknown> & {
            ChargesByService: Array<{ Service: string; Amount: string }>;
            ChargesByAccount: Array<{ AccountId: string; AccountName?: string; Amount: string }>;
          };
        };
        const p = inPeriod('2026-09');
        assert.equal(Bill.Status, 'ISSUED');
        assert.equal(Bill.Total, sum(p));
        assert.equal(
          Bill.Charges,
          sum((i) => p(i) && charge(i)),
        );
        assert.equal(
          Bill.Tax,
          sum((i) => p(i) && i.recordType === 'Tax'),
        );
        assert.equal(
          Bill.Credits,
          sum((i) => p(i) && i.recordType === 'Credit'),
        );
        assert.equal(
          Bill.Refunds,
          sum((i) => p(i) && i.recordType === 'Refund'),
        );
        const ec2 = Bill.ChargesByService.find((line) => line.Service.startsWith('Amazon Elastic Compute Cloud'));
        assert.ok(ec2 !== undefined);
        assert.equal(
          ec2.Amount,
          sum((i) => p(i) && charge(i) && i.serviceName === ec2.Service),
        );
        assert.deepEqual(Bill.ChargesByAccount.map((line) => [line.AccountId, line.AccountName]).sort(), [
          [MGMT, 'Payer'],
          [DEV, 'Dev'],
        ]);
        for (const line of Bill.ChargesByAccount) {
          assert.equal(
            line.Amount,
            sum((i) => p(i) && charge(i) && i.subAccountId === line.AccountId),
          );
        }
      });

      it("a member's bill shows only its own charges", async () => {
        const { Bill } = (await call(DEV, 'billing', 'GetBillingData', { BillingPeriod: '2026-09' })) as {
          Bill: Record<string, unknown> & { ChargesByAccount: Array<{ AccountId: string }> };
        };
        const mine = (i: CostLineItem) => inPeriod('2026-09')(i) && i.subAccountId === DEV;
        assert.deepEqual(
          Bill.ChargesByAccount.map((line) => line.AccountId),
          [DEV],
        );
        assert.equal(Bill.Total, sum(mine));
      });

      it('refuses a malformed or future period', async () => {
        await rejects(call(MGMT, 'billing', 'GetBillingData', { BillingPeriod: '2026-13' }), 'ValidationException');
        await rejects(call(MGMT, 'billing', 'GetBillingData', { BillingPeriod: '2027-01' }), 'ValidationException');
      });

      it('links an issued invoice, whose PDF shows its number, period, lines and total; pending has none', async () => {
        const id = `BRS-${MGMT}-202609`;
        const { InvoicePDF } = (await call(MGMT, 'invoicing', 'GetInvoicePDF', { InvoiceId: id })) as {
          InvoicePDF: { InvoiceId: string; DocumentUrl: string };
        };
        assert.equal(InvoicePDF.InvoiceId, id);
        assert.match(
          InvoicePDF.DocumentUrl,
          new RegExp(`/_bursar/invoice-documents/${id}\\.pdf\\?Account=${MGMT}&Expires=\\d+&Signature=`),
        );
        const pdf = (await invoiceDocument(billing, MGMT, id, NOW)).toString('latin1');
        assert.ok(pdf.startsWith('%PDF-'));
        // pdfkit writes text as hex glyph strings; search for the hex of distinctive text.
        const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');
        const { Bill } = (await call(MGMT, 'billing', 'GetBillingData', { BillingPeriod: '2026-09' })) as {
          Bill: { Total: string };
        };
        for (const text of [id, '30, 2026', DEV, `USD ${formatCents(Bill.Total)}`]) {
          assert.ok(pdf.includes(hex(text)), `PDF shows ${text}`);
        }
        const again = (await invoiceDocument(billing, MGMT, id, NOW)).toString('latin1');
        assert.equal(again, pdf, 'the same bill renders the same bytes');
        await rejects(
          call(MGMT, 'invoicing', 'GetInvoicePDF', { InvoiceId: `BRS-${MGMT}-202611` }),
          'ResourceNotFoundException',
        );
        await rejects(call(DEV, 'invoicing', 'GetInvoicePDF', { InvoiceId: id }), 'ResourceNotFoundException');
      });
    });
  });
}
