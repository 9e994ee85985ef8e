/** The demo generator is deterministic, believable and sized on request. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import type { DemoOptions } from '../../src/billing/costs/demo-generator.js';

const OPTIONS: DemoOptions = {
  seed: 11,
  payer: { id: '111111111111', name: 'Payer' },
  members: [{ id: '222222222222', name: 'Member' }],
  startMonth: '2025-12',
  months: 12,
  targetRows: 5000,
};

function digest(options: DemoOptions): string {
  const hash = createHash('sha256');
  for (const item of generateDemoCosts(options))
    hash.update(JSON.stringify(item, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  return hash.digest('hex');
}

describe('demo generator', () => {
  it('gives the same rows for the same seed, and other rows for another seed', () => {
    assert.equal(digest(OPTIONS), digest(OPTIONS));
    assert.notEqual(digest(OPTIONS), digest({ ...OPTIONS, seed: 12 }));
  });

  it('covers a year of tens of services over regions, with tags, tax, credits and a refund, near the requested size', () => {
    const items = [...generateDemoCosts(OPTIONS)];
    assert.ok(items.length > 4000 && items.length < 6000, `${items.length} rows`);
    const months = new Set(items.map((i) => i.billingPeriodStart));
    assert.equal(months.size, 12);
    assert.ok(new Set(items.map((i) => i.serviceName)).size >= 25);
    assert.ok(new Set(items.map((i) => i.regionId)).size >= 3);
    assert.deepEqual(new Set(items.map((i) => i.subAccountId)), new Set(['111111111111', '222222222222']));
    assert.ok(items.some((i) => i.tags?.team !== undefined && i.tags?.env !== undefined));
    assert.ok(items.some((i) => i.tags == null));
    for (const type of ['Tax', 'Credit', 'Refund'])
      assert.ok(
        items.some((i) => i.recordType === type),
        type,
      );
    assert.ok(items.filter((i) => i.recordType === 'Refund').length === 1);
    for (const item of items) {
      assert.ok(Number.isSafeInteger(Number(item.billedCost)), 'money is integer units');
      if (item.recordType === 'Credit' || item.recordType === 'Refund') assert.ok(BigInt(item.billedCost) < 0n);
    }
  });

  it('grows over the year and stops at `until`', () => {
    const items = [...generateDemoCosts({ ...OPTIONS, targetRows: 20000, until: '2026-11-15' })];
    const usageIn = (month: string) =>
      items
        .filter((i) => i.recordType === 'Usage' && i.billingPeriodStart.startsWith(month))
        .reduce((a, i) => a + BigInt(i.billedCost), 0n);
    assert.ok(usageIn('2026-10') > usageIn('2025-12'));
    assert.ok(items.every((i) => i.recordType !== 'Usage' || i.chargePeriodStart < '2026-11-15'));
  });
});
