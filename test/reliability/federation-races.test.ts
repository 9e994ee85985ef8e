/**
 * Parallel bursts against OpenID Connect and SAML providers (SQLite, and PostgreSQL over two instances):
 * one provider per issuer or name whatever the burst, every parallel client id kept, and no 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { World } from '../../src/server/world.js';
import { testDatabases } from '../../src/store/test-databases.js';
import { facts, openWorlds, outcomes, rootCaller } from './helpers.js';

for (const database of await testDatabases()) {
  describe(`identity providers under concurrency (${database.label})`, { skip: database.skip }, () => {
    let worlds: World[];
    let close: () => Promise<void>;
    let acct: string;

    const call = (i: number, operation: string, input: Record<string, unknown>) =>
      worlds[i % worlds.length]!.invoke(rootCaller(acct), facts(), 'iam', operation, input);
    const burst = (count: number, operation: string, input: (i: number) => Record<string, unknown>) =>
      outcomes(Array.from({ length: count }, (_, i) => call(i, operation, input(i))));

    before(async () => {
      ({ worlds, close } = await openWorlds(database));
      acct = (await worlds[0]!.accounts.signUp({ email: 'idp@example.com', password: 'Passw0rd!', accountName: 'IdP' }))
        .accountId;
    });
    after(async () => close?.());

    test('8 parallel CreateOpenIDConnectProvider of one issuer create it once', async () => {
      const result = await burst(8, 'CreateOpenIDConnectProvider', (i) => ({
        Url: i % 2 === 0 ? 'https://idp.example' : 'https://IDP.example/',
        ThumbprintList: [],
      }));
      assert.deepEqual(result, { ok: 1, errors: { EntityAlreadyExists: 7 } });
    });

    test('10 parallel AddClientIDToOpenIDConnectProvider of distinct ids keep all 10', async () => {
      const { OpenIDConnectProviderArn } = (await call(0, 'CreateOpenIDConnectProvider', {
        Url: 'https://clients.example',
        ThumbprintList: [],
      })) as { OpenIDConnectProviderArn: string };
      const result = await burst(10, 'AddClientIDToOpenIDConnectProvider', (i) => ({
        OpenIDConnectProviderArn,
        ClientID: `client-${i}`,
      }));
      assert.deepEqual(result, { ok: 10, errors: {} });
      const { ClientIDList } = (await call(0, 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn })) as {
        ClientIDList: string[];
      };
      assert.equal(ClientIDList.length, 10);
    });
  });
}
