/**
 * The first start: a start that dies after creating the account but before its root key leaves nothing
 * behind, so the next start completes it with the configured key (it used to find the account, skip the
 * bootstrap and lock that key out for good); servers starting together on an empty PostgreSQL store
 * migrate and bootstrap once — one creates, the others wait and find the account.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoIdSource } from '../../src/platform/ids.js';
import { bootstrapDemoAccount } from '../../src/server/bootstrap.js';
import { openSharedPostgres, testDatabases } from '../../src/store/test-databases.js';
import { buildTestWorld } from './helpers.js';

const CONFIG = {
  accountId: '111122223333',
  rootEmail: 'first@example.com',
  rootPassword: 'First-Start-9',
  accessKeyId: 'AKIAFIRSTSTARTKEY234',
  secretAccessKey: 'first-start-secret',
};

for (const database of await testDatabases()) {
  describe(`first start (${database.label})`, { skip: database.skip }, () => {
    test('a start that dies between the account and its root key leaves a store the next start completes', async () => {
      const opened = await database.open();
      try {
        const world = await buildTestWorld(opened);
        const dying = {
          issueFirstRootKey: () => Promise.reject(new Error('killed after the account was created')),
        };
        await assert.rejects(
          bootstrapDemoAccount(opened, world.accounts, dying, CONFIG, cryptoIdSource),
          /killed after the account was created/,
        );
        assert.deepEqual(await world.accounts.list(), []);

        const restarted = await buildTestWorld(opened);
        const created = await bootstrapDemoAccount(
          opened,
          restarted.accounts,
          restarted.accessKeys,
          CONFIG,
          cryptoIdSource,
        );
        assert.equal(created?.accountId, CONFIG.accountId);
        const key = await restarted.accessKeys.find(CONFIG.accessKeyId);
        assert.equal(key?.secretAccessKey, CONFIG.secretAccessKey);
        assert.equal(key?.caller.arn, `arn:aws:iam::${CONFIG.accountId}:root`);
        // A later start finds the account and creates nothing.
        assert.equal(
          await bootstrapDemoAccount(opened, restarted.accounts, restarted.accessKeys, CONFIG, cryptoIdSource),
          null,
        );
      } finally {
        await opened.close();
      }
    });
  });
}

const postgres = (await testDatabases()).find((d) => d.label === 'postgres')!;

describe('servers starting together on an empty PostgreSQL store', { skip: postgres.skip }, () => {
  test('all migrate, one bootstraps, the others find its account and key', async () => {
    for (const config of [CONFIG, {}]) {
      const shared = await openSharedPostgres(3);
      try {
        assert.deepEqual(
          shared.stores.map((s) => s.migrations.applied.length > 0).sort(),
          [false, false, true],
          'one start applies the migrations, the others find them applied',
        );
        const worlds = await Promise.all(shared.stores.map((store) => buildTestWorld(store)));
        const results = await Promise.all(
          worlds.map((world, i) =>
            bootstrapDemoAccount(shared.stores[i]!, world.accounts, world.accessKeys, config, cryptoIdSource),
          ),
        );
        const created = results.filter((r) => r !== null);
        assert.equal(created.length, 1);
        assert.equal((await worlds[0]!.accounts.list()).length, 1);
        for (const world of worlds) {
          const key = await world.accessKeys.find(created[0]!.accessKeyId);
          assert.equal(key?.secretAccessKey, created[0]!.secretAccessKey);
        }
      } finally {
        await shared.close();
      }
    }
  });
});
