/**
 * A server secret is made once per store and read back by every server on it: two servers opened on the same
 * SQLite file or PostgreSQL schema (each with its own connection and cache) get the same key, and racing first
 * asks agree on one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { dropSchema, openDatabase, type OpenedDatabase } from './database.js';
import { seededIdSource } from '../platform/ids.js';
import { serverSecret } from './server-secrets.js';
import { TEST_POSTGRES_URL, testDatabases } from './test-databases.js';

const NOW = new Date('2026-11-28T02:00:00Z');
// Each server draws from its own source: the key they share is whichever landed first.
const A = seededIdSource('server-a');
const B = seededIdSource('server-b');

for (const database of await testDatabases()) {
  describe(`server secrets (${database.label})`, { skip: database.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'bursar-secrets-'));
    const schema = `bursar_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    // Each call opens one more "server" on the same store.
    const openServer = (): Promise<OpenedDatabase> =>
      database.label === 'sqlite' ? openDatabase({ dataDir: dir }) : openDatabase({ url: TEST_POSTGRES_URL, schema });
    const opened: OpenedDatabase[] = [];
    after(async () => {
      if (database.label === 'postgres') await dropSchema(opened[0]!.db, schema);
      for (const o of opened.reverse()) await o.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('two servers on one store share one key per name, whichever asks first', async () => {
      opened.push(await openServer(), await openServer());
      const [a, b] = opened as [OpenedDatabase, OpenedDatabase];
      const [fromA, fromB] = await Promise.all([
        serverSecret(a.db, 'links', NOW, A),
        serverSecret(b.db, 'links', NOW, B),
      ]);
      assert.equal(fromA.length, 32);
      assert.deepEqual(fromA, fromB);
      assert.deepEqual(await serverSecret(a.db, 'links', NOW, A), fromA);
      const other = await serverSecret(a.db, 'other', NOW, A);
      assert.notDeepEqual(other, fromA);
    });

    it('a restarted server reads the key the store kept', async () => {
      const before = await serverSecret(opened[0]!.db, 'links', NOW, A);
      const restarted = await openServer();
      opened.push(restarted);
      assert.deepEqual(await serverSecret(restarted.db, 'links', NOW, B), before);
    });
  });
}
