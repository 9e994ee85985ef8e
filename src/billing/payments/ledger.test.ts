/**
 * Migration 0011's tables on both stores, through the composition root: a bill is paid once even when two
 * payments race (the unique index settles it), and a cost allocation tag's status is inserted then updated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemoCosts } from '../costs/demo-seed.js';
import type { Caller, RequestFacts } from '../../core/operation.js';
import { FixedClock } from '../../platform/clock.js';
import { seededIdSource } from '../../platform/ids.js';
import { silentLogger } from '../../platform/logger.js';
import { buildWorld, type World } from '../../server/world.js';
import type { OpenedDatabase } from '../../store/database.js';
import { testDatabases } from '../../store/test-databases.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-20T10:00:00Z');
const root: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };

for (const database of await testDatabases()) {
  describe(`payments ledger and cost allocation tags (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let world: World;
    let request = 0;
    const facts = (): RequestFacts => ({
      requestId: `ledger-${++request}`,
      sourceIp: '203.0.113.10',
      userAgent: 'ledger-test',
      now: NOW,
      via: 'json',
    });
    const call = (service: string, name: string, input: Record<string, unknown> = {}) =>
      world.invoke(root, facts(), service, name, input);

    before(async () => {
      opened = await database.open();
      world = await buildWorld({
        database: opened,
        clock: new FixedClock(NOW),
        ids: seededIdSource('ledger'),
        logger: silentLogger,
        region: 'us-east-1',
        passwordHashCost: 1024,
      });
      await world.accounts.signUp({
        email: 'root@example.com',
        password: 'Root-Passw0rd!',
        accountName: 'Example',
        accountId: ACCOUNT,
      });
      await seedDemoCosts(world.billing, { payer: { id: ACCOUNT, name: 'Example' }, now: NOW, rows: 1500 });
      await call('payments', 'CreatePaymentInstrument', {
        Brand: 'VISA',
        LastFourDigits: '4242',
        ExpiryMonth: 12,
        ExpiryYear: 2030,
        CardholderName: 'Root Owner',
      });
    });
    after(async () => {
      await world.billing.close();
      await opened.close();
    });

    it('pays a bill once when two payments race', async () => {
      const status = (await call('payments', 'GetPaymentStatus')) as { PaymentsDue: Array<{ InvoiceId: string }> };
      const invoice = status.PaymentsDue[0]!.InvoiceId;
      const results = await Promise.allSettled([
        call('payments', 'MakePayment', { InvoiceId: invoice }),
        call('payments', 'MakePayment', { InvoiceId: invoice }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((refused.reason as { code: string }).code, 'ConflictException');
      const after = (await call('payments', 'GetPaymentStatus')) as { Transactions: unknown[] };
      assert.equal(after.Transactions.length, 1);
    });

    it('records a tag status, then changes it', async () => {
      const statusOf = async (key: string) =>
        (
          (await call('ce', 'ListCostAllocationTags', { TagKeys: [key] })) as {
            CostAllocationTags: Array<{ Status: string }>;
          }
        ).CostAllocationTags[0]!.Status;
      // The demo's costs come with `env` and `team` active.
      for (const status of ['Inactive', 'Active', 'Inactive']) {
        await call('ce', 'UpdateCostAllocationTagsStatus', {
          CostAllocationTagsStatus: [{ TagKey: 'env', Status: status }],
        });
        assert.equal(await statusOf('env'), status);
      }
      assert.equal(await statusOf('team'), 'Active');
    });
  });
}
