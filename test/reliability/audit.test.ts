/**
 * A state change and its audit event commit together: when the event cannot be written, the change does not
 * happen (a kill between the two used to leave changes without events); a completed call's event carries
 * its response elements, a failed call's its error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { OpenedDatabase } from '../../src/store/database.js';
import type { World } from '../../src/server/world.js';
import { testDatabases } from '../../src/store/test-databases.js';
import { buildTestWorld, facts, policyDocument, rootCaller } from './helpers.js';

for (const database of await testDatabases()) {
  describe(`audit events in the change's transaction (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let world: World;
    let acct: string;
    const call = (operation: string, input: Record<string, unknown>) =>
      world.invoke(rootCaller(acct), facts(), 'iam', operation, input);
    const events = async (name: string) =>
      (await world.audit.lookup(acct, { attribute: { key: 'EventName', value: name } })).events.map((e) => e.event);

    before(async () => {
      opened = await database.open();
      world = await buildTestWorld(opened);
      acct = (await world.accounts.signUp({ email: 'audit@example.com', password: 'Passw0rd!', accountName: 'A' }))
        .accountId;
    });
    after(async () => opened?.close());

    test('a change whose event cannot be written does not happen', async () => {
      await sql`alter table audit_events rename to audit_events_away`.execute(opened.db);
      try {
        await assert.rejects(call('CreateUser', { UserName: 'unrecorded' }));
        await assert.rejects(
          call('CreatePolicy', { PolicyName: 'unrecorded', PolicyDocument: policyDocument('Allow', '*') }),
        );
      } finally {
        await sql`alter table audit_events_away rename to audit_events`.execute(opened.db);
      }
      await assert.rejects(call('GetUser', { UserName: 'unrecorded' }), { code: 'NoSuchEntity' });
      const policies = (await call('ListPolicies', { Scope: 'Local' })) as { Policies: unknown[] };
      assert.deepEqual(policies.Policies, []);
    });

    test('STS issues no session whose event cannot be written', async () => {
      const sessions = async () =>
        Number(
          (
            await opened.db
              .selectFrom('sts_sessions')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirst()
          )?.n ?? 0,
        );
      const before = await sessions();
      await sql`alter table audit_events rename to audit_events_away`.execute(opened.db);
      try {
        await assert.rejects(world.invoke(rootCaller(acct), facts(), 'sts', 'GetSessionToken', {}));
      } finally {
        await sql`alter table audit_events_away rename to audit_events`.execute(opened.db);
      }
      assert.equal(await sessions(), before);
      await world.invoke(rootCaller(acct), facts(), 'sts', 'GetSessionToken', {});
      assert.equal(await sessions(), before + 1);
    });

    test('each call has one event, with its response elements or its error', async () => {
      await call('CreateUser', { UserName: 'recorded', Path: '/audited/' });
      await assert.rejects(call('CreateUser', { UserName: 'recorded' }), { code: 'EntityAlreadyExists' });
      await call('PutUserPolicy', {
        UserName: 'recorded',
        PolicyName: 'p',
        PolicyDocument: policyDocument('Allow', '*'),
      });
      const created = await events('CreateUser');
      assert.equal(created.length, 2);
      const [failed, succeeded] = created;
      assert.equal(failed?.errorCode, 'EntityAlreadyExists');
      assert.equal(succeeded?.errorCode, undefined);
      assert.deepEqual((succeeded?.responseElements as { user: { path: string } }).user.path, '/audited/');
      const put = await events('PutUserPolicy');
      assert.equal(put.length, 1);
      assert.equal(put[0]?.responseElements, null);
      assert.equal(put[0]?.decision, 'Allowed');
    });
  });
}
