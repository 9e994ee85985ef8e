/**
 * The browser tests' server: Bursar in memory on a free port, with cheap password hashing, on the test clock
 * (test/test-clock.ts; the pages get the same clock, see browser.ts). Also runnable by hand
 * (`npx tsx test/browser/server.ts`) to look at the console.
 */
import { Billing } from '../../src/billing/billing.js';
import { billingDirectory } from '../../src/organizations/billing-directory.js';
import { seedDemoCosts } from '../../src/billing/costs/demo-seed.js';
import { createServer, type BursarServer } from '../../src/server/create-server.js';
import { testClock, testNow } from '../test-clock.js';

export async function startServer(): Promise<BursarServer> {
  return createServer({ ephemeral: true, port: 0, passwordHashCost: 1024, clock: testClock });
}

/** A year of demo costs for an account, so the Billing pages have something to show. */
export async function seedCosts(server: BursarServer, accountId: string): Promise<void> {
  const db = server.world().database.db;
  const billing = new Billing(db, server.world().database.dialect, billingDirectory(db));
  await seedDemoCosts(billing, { payer: { id: accountId, name: 'Tutorial account' }, now: testNow(), rows: 3000 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  process.stdout.write(`${server.url}/console/\n`);
}
