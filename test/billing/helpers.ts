/** Shared fixtures for the billing tests: a migrated store, operation contexts, a server holding cost data. */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { Billing } from '../../src/billing/billing.js';
import { costAllocationTags, setCostAllocationTagStatuses } from '../../src/billing/costs/cost-allocation-tags.js';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import type { OrganizationLookup } from '../../src/billing/costs/cost-scope.js';
import type { Caller, OperationContext } from '../../src/core/operation.js';
import { openDatabase } from '../../src/store/database.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';
import type { ServerStorage } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

export async function openTestBilling(
  organizations?: OrganizationLookup,
  pageSize?: number,
  open: () => Promise<OpenedDatabase> = () => openDatabase({ ephemeral: true }),
): Promise<{ billing: Billing; opened: OpenedDatabase }> {
  const opened = await open();
  return { billing: new Billing(opened.db, opened.dialect, organizations, pageSize), opened };
}

export function rootCaller(accountId: string): Caller {
  return { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}

export function context(
  billing: Billing,
  accountId: string,
  now = '2026-11-27T12:00:00Z',
): OperationContext<{ billing: Billing }> {
  return {
    caller: rootCaller(accountId),
    facts: { requestId: 'test', sourceIp: '127.0.0.1', userAgent: 'test', now: new Date(now), via: 'json' },
    services: { billing },
  };
}

/** Activates tag keys as the account's cost allocation tags, in the store UpdateCostAllocationTagsStatus writes. */
export function activateTags(billing: Billing, accountId: string, keys: string[], now = new Date()): Promise<void> {
  return setCostAllocationTagStatuses(
    billing,
    accountId,
    keys.map((key) => ({ TagKey: key, Status: 'Active' as const })),
    now,
  );
}

/**
 * Activates every tag key of the account's cost data (Cost Explorer sees only active keys, as in AWS), for
 * tests that query tags of imported samples.
 */
export async function activateEveryTag(billing: Billing, accountId: string, now = new Date()): Promise<void> {
  await activateTags(billing, accountId, [...(await costAllocationTags(billing, accountId, now)).keys()], now);
}

/**
 * A server (on `storage`, else ephemeral) whose compat account holds `items` as its cost data (imported at the
 * test clock's now), and a Cost Explorer client signed as its root; `close` ends both.
 */
export async function costExplorerOver(
  items: CostLineItem[],
  storage?: ServerStorage,
): Promise<{ server: BursarServer; ce: CostExplorerClient; close: () => Promise<void> }> {
  const server = await startServer(storage === undefined ? {} : { storage });
  const ce = new CostExplorerClient(clientConfig(server));
  await server.world().billing.store.import(items, {
    ownerAccountId: ACCOUNT_ID,
    importId: 'demo',
    source: 'demo',
    format: 'demo',
    now: testNow(),
  });
  return {
    server,
    ce,
    close: async () => {
      ce.destroy();
      await server.close();
    },
  };
}
