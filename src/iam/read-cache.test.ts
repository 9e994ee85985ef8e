/**
 * The read cache behind GetUser and ListUsers (IamContext.cachedRead): every change to what they return
 * shows on the next read — IAM writes, tags, boundaries, renames, deletes and the PasswordLastUsed a
 * console sign-in records — and with a shared PostgreSQL store, another instance's writes do too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { testDatabases } from '../store/test-databases.js';
import type { OpenedDatabase } from '../store/database.js';
import { createIamServices, type IamServices } from './index.js';

const BOUNDARY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

async function names(iam: IamServices, accountId: string): Promise<string[]> {
  return (await iam.users.list(accountId, undefined, { limit: 100 })).items.map((u) => u.UserName);
}

for (const database of await testDatabases()) {
  describe(`IAM read cache (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let iam: IamServices;
    let other: IamServices;
    let clock: FixedClock;
    let acct: string;
    const shared = database.label === 'postgres';

    before(async () => {
      opened = await database.open();
      clock = new FixedClock('2026-11-28T01:00:00Z');
      const options = { db: opened.db, clock, sharedStore: shared, passwordHashCost: 1024 };
      iam = await createIamServices({ ...options, ids: seededIdSource(`read-cache-${database.label}`) });
      // A second instance over the same store (PostgreSQL is the multi-instance store).
      other = await createIamServices({ ...options, ids: seededIdSource(`read-cache-other-${database.label}`) });
      acct = (await iam.accounts.signUp({ email: 'cache@example.com', password: 'Passw0rd!', accountName: 'C' }))
        .accountId;
    });
    after(async () => opened?.close());

    test('GetUser and ListUsers show every IAM write on the next read', async () => {
      await iam.users.create(acct, { UserName: 'Cached' });
      assert.equal((await iam.users.get(acct, 'Cached')).Tags, undefined);
      assert.deepEqual(await names(iam, acct), ['Cached']);

      await iam.users.create(acct, { UserName: 'Second' });
      assert.deepEqual(await names(iam, acct), ['Cached', 'Second']);

      const id = (await iam.users.get(acct, 'cached')).UserId;
      await iam.context.write(acct, (trx) => iam.tags.tag(trx, 'user', id, [{ Key: 'team', Value: 'finance' }]));
      assert.deepEqual((await iam.users.get(acct, 'Cached')).Tags, [{ Key: 'team', Value: 'finance' }]);
      await iam.context.write(acct, (trx) => iam.tags.untag(trx, 'user', id, ['team']));
      assert.equal((await iam.users.get(acct, 'Cached')).Tags, undefined);

      await iam.entityPolicies.putBoundary(acct, 'user', 'Cached', BOUNDARY);
      assert.equal((await iam.users.get(acct, 'Cached')).PermissionsBoundary?.PermissionsBoundaryArn, BOUNDARY);
      await iam.entityPolicies.deleteBoundary(acct, 'user', 'Cached');
      assert.equal((await iam.users.get(acct, 'Cached')).PermissionsBoundary, undefined);

      await iam.users.update(acct, 'Cached', { NewUserName: 'Renamed', NewPath: '/moved/' });
      await assert.rejects(iam.users.get(acct, 'Cached'), { code: 'NoSuchEntity' });
      assert.equal((await iam.users.get(acct, 'Renamed')).Path, '/moved/');
      assert.deepEqual(await names(iam, acct), ['Renamed', 'Second']);

      await iam.users.delete(acct, 'Second');
      await assert.rejects(iam.users.get(acct, 'Second'), { code: 'NoSuchEntity' });
      assert.deepEqual(await names(iam, acct), ['Renamed']);
    });

    test('a console sign-in shows as PasswordLastUsed on the next GetUser and ListUsers', async () => {
      await iam.users.create(acct, { UserName: 'Signer' });
      await iam.loginProfiles.create(acct, { UserName: 'Signer', Password: 'Signer-Passw0rd' });
      assert.equal((await iam.users.get(acct, 'Signer')).PasswordLastUsed, undefined);
      const listed = () => iam.users.list(acct, '/', { limit: 100 });
      assert.equal((await listed()).items.find((u) => u.UserName === 'Signer')?.PasswordLastUsed, undefined);

      assert.ok(await iam.loginProfiles.verify(acct, 'Signer', 'Signer-Passw0rd'));
      assert.deepEqual((await iam.users.get(acct, 'Signer')).PasswordLastUsed, clock.now());
      assert.deepEqual((await listed()).items.find((u) => u.UserName === 'Signer')?.PasswordLastUsed, clock.now());
    });

    test(
      'a cached answer cannot be changed by its caller',
      { skip: shared && 'no cache over a shared store' },
      async () => {
        const user = await iam.users.get(acct, 'Signer');
        assert.throws(() => {
          (user as { UserName: string }).UserName = 'Changed';
        }, TypeError);
        assert.equal((await iam.users.get(acct, 'Signer')).UserName, 'Signer');
      },
    );

    test(
      'another instance sees writes made through this one',
      { skip: !shared && 'SQLite has one instance' },
      async () => {
        await iam.users.create(acct, { UserName: 'Shared' });
        assert.equal((await other.users.get(acct, 'Shared')).Tags, undefined);
        const before = await names(other, acct);
        assert.ok(before.includes('Shared'));

        const id = (await iam.users.get(acct, 'Shared')).UserId;
        await iam.context.write(acct, (trx) => iam.tags.tag(trx, 'user', id, [{ Key: 'k', Value: 'v' }]));
        assert.deepEqual((await other.users.get(acct, 'Shared')).Tags, [{ Key: 'k', Value: 'v' }]);

        await iam.loginProfiles.create(acct, { UserName: 'Shared', Password: 'Shared-Passw0rd' });
        clock.advance(60_000);
        assert.ok(await iam.loginProfiles.verify(acct, 'Shared', 'Shared-Passw0rd'));
        assert.deepEqual((await other.users.get(acct, 'Shared')).PasswordLastUsed, clock.now());

        await iam.loginProfiles.delete(acct, 'Shared');
        await iam.context.write(acct, (trx) => iam.tags.untag(trx, 'user', id, ['k']));
        await iam.users.delete(acct, 'Shared');
        await assert.rejects(other.users.get(acct, 'Shared'), { code: 'NoSuchEntity' });
        assert.deepEqual(
          await names(other, acct),
          before.filter((n) => n !== 'Shared'),
        );
      },
    );
  });
}
