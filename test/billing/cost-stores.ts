/**
 * The stores a cost test runs against: each test database (SQLite, PostgreSQL) with each kind of blob store for
 * the cost parts — a local directory, and an S3-compatible object store (the in-test server of s3-server.ts, one
 * per opened store, so its bucket holds only that store's parts). Cost answers must not depend on where the parts
 * live (issue 16), so the Cost Explorer and reconciliation suites run over every combination.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { blobStoreOf } from '../../src/billing/costs/blobs/blob-store.js';
import { S3BlobStore } from '../../src/billing/costs/blobs/s3-blob-store.js';
import type { CostConfig } from '../../src/platform/config.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { TEST_POSTGRES_URL, testDatabases } from '../../src/store/test-databases.js';
import type { ServerStorage } from '../compat/harness.js';
import { startTestS3, type TestS3 } from './s3-server.js';

const BUCKET = 'bursar-costs';

export interface TestCostStore {
  label: `${'sqlite' | 'postgres'}, ${'local' | 's3'} blobs`;
  /** Why this variant is skipped (its database is unavailable), else undefined. */
  skip: string | undefined;
  /**
   * A fresh, migrated database whose cost parts go to this variant's blob store: every Billing over it uses that
   * store (blobStoreOf). `close()` also stops the S3 server and drops the PostgreSQL schema.
   */
  open(): Promise<OpenedDatabase>;
  /** A fresh store for a server, configured as a deployment configures one (database URL, BURSAR_COST_STORE…). */
  server(): Promise<ServerStorage>;
}

/** An S3 server and the cost store settings (BURSAR_COST_STORE and its endpoint and keys) that point at it. */
async function s3CostStore(): Promise<{
  s3: TestS3;
  config: Required<Pick<CostConfig, 'store' | 'endpoint' | 'credentials'>>;
}> {
  const s3 = await startTestS3([BUCKET]);
  return {
    s3,
    config: { store: `s3://${BUCKET}/${randomUUID()}`, endpoint: s3.endpoint, credentials: s3.credentials },
  };
}

/**
 * Every combination, or those `only` names: a suite too slow for all four runs the ephemeral server's (SQLite,
 * a directory) and the scale-out deployment's (PostgreSQL, an S3-compatible store).
 */
export async function testCostStores(only?: ReadonlyArray<TestCostStore['label']>): Promise<TestCostStore[]> {
  const stores: TestCostStore[] = (await testDatabases()).flatMap((database) =>
    (['local', 's3'] as const).map((blobs) => ({
      label: `${database.label}, ${blobs} blobs` as const,
      skip: database.skip,

      async open() {
        const opened = await database.open();
        if (blobs === 'local') return opened;
        const { s3, config } = await s3CostStore();
        const store = blobStoreOf(opened.db, new S3BlobStore({ ...config, location: config.store }));
        return {
          ...opened,
          close: async () => {
            await store.close();
            await s3.close();
            await opened.close();
          },
        };
      },

      async server() {
        const dataDir = mkdtempSync(join(tmpdir(), 'bursar-cost-store-test-'));
        const closers: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
        const options: ServerStorage['options'] = { dataDir };
        try {
          if (database.label === 'postgres') {
            // A fresh schema, migrated here; the server reaches it through the URL's search_path, as a
            // deployment sharing one database between several Bursars would.
            const schemaStore = await database.open();
            closers.push(schemaStore.close);
            const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(schemaStore.db);
            const url = new URL(TEST_POSTGRES_URL);
            url.searchParams.set('options', `-c search_path=${rows[0]!.schema}`);
            options.databaseUrl = url.toString();
          }
          if (blobs === 's3') {
            const { s3, config } = await s3CostStore();
            closers.push(s3.close);
            options.costs = config;
          }
        } catch (error) {
          for (const close of closers.reverse()) await close();
          throw error;
        }
        return {
          options,
          async close() {
            for (const close of closers.reverse()) await close();
          },
        };
      },
    })),
  );
  return only === undefined ? stores : stores.filter((store) => only.includes(store.label));
}
