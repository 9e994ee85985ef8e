/**
 * Puts a year of demo costs into an account: the twelve billing months up to and including the current
 * one (cut at today, so the open month is partial and Estimated). Deterministic for a given seed and clock.
 * The demo's tag keys are activated as cost allocation tags, so Cost Explorer groups and filters by them.
 */
import type { Billing } from '../billing.js';
import type { ImportSummary } from './cost-store.js';
import type { DemoAccount } from './demo-generator.js';
import { DEMO_TAG_KEYS, generateDemoCosts } from './demo-generator.js';
import { setCostAllocationTagStatuses } from './cost-allocation-tags.js';

export interface DemoSeedOptions {
  payer: DemoAccount;
  members?: DemoAccount[];
  now: Date;
  seed?: number;
  /** Approximate line items in total (default 20,000: a year of tens of services, quick to import). */
  rows?: number;
}

export function demoStartMonth(now: Date, months = 12): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
  return start.toISOString().slice(0, 7);
}

export async function seedDemoCosts(billing: Billing, options: DemoSeedOptions): Promise<ImportSummary> {
  const items = generateDemoCosts({
    seed: options.seed ?? 2026,
    payer: options.payer,
    members: options.members ?? [],
    startMonth: demoStartMonth(options.now),
    months: 12,
    targetRows: options.rows ?? 20_000,
    until: new Date(options.now.getTime() + 86_400_000).toISOString().slice(0, 10),
  });
  const summary = await billing.store.import(items, {
    ownerAccountId: options.payer.id,
    importId: `demo-${options.now.toISOString()}`,
    source: 'demo',
    format: 'demo',
    now: options.now,
  });
  // The store UpdateCostAllocationTagsStatus writes, as if the demo's owner had activated them.
  await setCostAllocationTagStatuses(
    billing,
    options.payer.id,
    DEMO_TAG_KEYS.map((key) => ({ TagKey: key, Status: 'Active' as const })),
    options.now,
  );
  return summary;
}
