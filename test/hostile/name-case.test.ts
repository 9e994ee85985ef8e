/**
 * IAM names are unique regardless of case, and a caller may type any case: `put-user-policy --user-name CASEY`
 * acts on user `casey`. The resource ARN a call is authorized against must still be the entity's own
 * (`user/casey`), or a Deny on that ARN is skipped by changing a letter's case (it once was). On SQLite the
 * server's own index answers; on PostgreSQL every decision reads the store, on the instance that did not write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Caller } from '../../src/core/operation.js';
import type { World } from '../../src/server/world.js';
import { testDatabases } from '../../src/store/test-databases.js';
import { facts, openWorlds, policyDocument, rootCaller, userCaller } from '../reliability/helpers.js';

const TRUST_ANYONE_ELSE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' }],
});

for (const database of await testDatabases()) {
  describe(
    `a name typed in another case is authorized as the entity's own ARN (${database.label})`,
    {
      skip: database.skip,
    },
    () => {
      let worlds: World[];
      let close: () => Promise<void>;
      let acct: string;
      let casey: Caller;

      const asRoot = (operation: string, input: Record<string, unknown>) =>
        worlds[0]!.invoke(rootCaller(acct), facts(), 'iam', operation, input);
      /** As casey, on the last instance (on PostgreSQL, not the one that wrote the entities). */
      const asCasey = (operation: string, input: Record<string, unknown>) =>
        worlds.at(-1)!.invoke(casey, facts(), 'iam', operation, input);

      before(async () => {
        ({ worlds, close } = await openWorlds(database));
        acct = (
          await worlds[0]!.accounts.signUp({ email: 'case@example.com', password: 'Passw0rd!', accountName: 'Case' })
        ).accountId;
        const { User } = (await asRoot('CreateUser', { UserName: 'casey' })) as {
          User: { UserName: string; UserId: string; Arn: string };
        };
        casey = userCaller(acct, User);
        await asRoot('CreateRole', {
          RoleName: 'guarded',
          Path: '/ops/',
          AssumeRolePolicyDocument: TRUST_ANYONE_ELSE.replace('444455556666', acct),
        });
        await asRoot('CreateGroup', { GroupName: 'admins' });
        await asRoot('CreateUser', { UserName: 'Mixed.Case' });
        const rules: [string, string, string, string?][] = [
          ['allow', 'Allow', 'iam:PutUserPolicy'],
          ['allowRole', 'Allow', 'iam:UpdateAssumeRolePolicy'],
          ['allowGroup', 'Allow', 'iam:AddUserToGroup'],
          ['allowExact', 'Allow', 'iam:GetUser', `arn:aws:iam::${acct}:user/MIXED.CASE`],
          ['denySelf', 'Deny', 'iam:PutUserPolicy', `arn:aws:iam::${acct}:user/casey`],
          ['denyRole', 'Deny', 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${acct}:role/ops/guarded*`],
          ['denyGroup', 'Deny', 'iam:AddUserToGroup', `arn:aws:iam::${acct}:group/admins`],
        ];
        for (const [name, effect, action, resource] of rules) {
          await asRoot('PutUserPolicy', {
            UserName: 'casey',
            PolicyName: name,
            PolicyDocument: policyDocument(effect as 'Allow' | 'Deny', action, resource),
          });
        }
      });
      after(async () => close?.());

      test('a Deny on user/casey refuses PutUserPolicy on CASEY, and names the stored ARN', async () => {
        await assert.rejects(
          asCasey('PutUserPolicy', {
            UserName: 'CASEY',
            PolicyName: 'admin',
            PolicyDocument: policyDocument('Allow', '*'),
          }),
          (error: Error & { code?: string }) => {
            assert.equal(error.code, 'AccessDenied');
            assert.match(error.message, new RegExp(`on resource: arn:aws:iam::${acct}:user/casey\\b`));
            return true;
          },
        );
        const listed = (await asRoot('ListUserPolicies', { UserName: 'casey' })) as { PolicyNames: string[] };
        assert.ok(!listed.PolicyNames.includes('admin'));
      });

      test('a Deny on role/ops/guarded* refuses UpdateAssumeRolePolicy on GUARDED', async () => {
        await assert.rejects(
          asCasey('UpdateAssumeRolePolicy', { RoleName: 'GUARDED', PolicyDocument: TRUST_ANYONE_ELSE }),
          { code: 'AccessDenied' },
        );
      });

      test('a Deny on group/admins refuses AddUserToGroup on Admins', async () => {
        await assert.rejects(asCasey('AddUserToGroup', { GroupName: 'Admins', UserName: 'casey' }), {
          code: 'AccessDenied',
        });
      });

      test('an Allow spelled in another case than the stored name does not match it (ARNs match case-sensitively)', async () => {
        await assert.rejects(asCasey('GetUser', { UserName: 'MIXED.CASE' }), { code: 'AccessDenied' });
      });

      test('a call the policies allow still acts on the stored entity, whatever case it names', async () => {
        await asCasey('PutUserPolicy', {
          UserName: 'MIXED.case',
          PolicyName: 'fine',
          PolicyDocument: policyDocument('Allow', 'iam:GetUser'),
        });
        const listed = (await asRoot('ListUserPolicies', { UserName: 'Mixed.Case' })) as { PolicyNames: string[] };
        assert.deepEqual(listed.PolicyNames, ['fine']);
      });
    },
  );
}
