/**
 * For cost-blobs.test.ts: a process that imports demo costs into a SQLite data dir and a directory blob store,
 * and stops dead after its `hangAfter`-th part is in the blob store (printing `hanging`), so the test can kill
 * it mid-import. Arguments: data dir, blob directory, seed, hangAfter.
 */
import { Billing } from '../../src/billing/billing.js';
import { LocalBlobStore } from '../../src/billing/costs/blobs/local-blob-store.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import { openDatabase } from '../../src/store/database.js';
import { CRASH_DEMO } from './crash-demo.js';

const [dataDir, blobDir, seed, hangAfter] = process.argv.slice(2);

class HangingStore extends LocalBlobStore {
  private puts = 0;

  override async put(key: string, file: string): Promise<void> {
    await super.put(key, file);
    this.puts += 1;
    if (this.puts === Number(hangAfter)) {
      process.stdout.write('hanging\n');
      await new Promise(() => undefined);
    }
  }
}

const database = await openDatabase({ dataDir: dataDir! });
const billing = new Billing(database.db, database.dialect, undefined, undefined, undefined, {
  blobs: new HangingStore(blobDir!),
});
await billing.store.import(generateDemoCosts({ ...CRASH_DEMO, seed: Number(seed) }), {
  ownerAccountId: CRASH_DEMO.payer.id,
  importId: `crash-${seed}`,
  source: 'demo',
  format: 'demo',
  now: new Date('2026-11-27T00:00:00Z'),
});
process.stdout.write('finished\n');
