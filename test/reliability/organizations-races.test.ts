/**
 * Organizations writes under concurrency: the organization's invariants (one organization per account, OU
 * names unique under a parent, at most 5 and at least 1 SCP per target) hold for parallel bursts, and no
 * burst ends in a 500. On PostgreSQL the calls alternate between two instances over one schema.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { World } from '../../src/server/world.js';
import { testDatabases } from '../../src/store/test-databases.js';
import { facts, openWorlds, outcomes, policyDocument, rootCaller } from './helpers.js';

for (const database of await testDatabases()) {
  describe(`Organizations writes under concurrency (${database.label})`, { skip: database.skip }, () => {
    let worlds: World[];
    let close: () => Promise<void>;
    let acct: string;
    let rootId: string;

    const call = (i: number, operation: string, input: Record<string, unknown>) =>
      worlds[i % worlds.length]!.invoke(rootCaller(acct), facts(), 'organizations', operation, input);
    const burst = (count: number, operation: string, input: (i: number) => Record<string, unknown>) =>
      outcomes(Array.from({ length: count }, (_, i) => call(i, operation, input(i))));
    const scp = async (name: string) =>
      (
        (await call(0, 'CreatePolicy', {
          Name: name,
          Description: name,
          Type: 'SERVICE_CONTROL_POLICY',
          Content: policyDocument('Allow', '*'),
        })) as { Policy: { PolicySummary: { Id: string } } }
      ).Policy.PolicySummary.Id;
    const attachedTo = async (targetId: string) =>
      (
        (await call(0, 'ListPoliciesForTarget', { TargetId: targetId, Filter: 'SERVICE_CONTROL_POLICY' })) as {
          Policies: unknown[];
        }
      ).Policies.length;

    before(async () => {
      ({ worlds, close } = await openWorlds(database));
      acct = (await worlds[0]!.accounts.signUp({ email: 'org@example.com', password: 'Passw0rd!', accountName: 'Org' }))
        .accountId;
    });
    after(async () => close?.());

    test('3 parallel CreateOrganization by one account make one organization', async () => {
      const result = await burst(3, 'CreateOrganization', () => ({ FeatureSet: 'ALL' }));
      assert.deepEqual(result, { ok: 1, errors: { AlreadyInOrganizationException: 2 } });
      const roots = (await call(0, 'ListRoots', {})) as { Roots: { Id: string }[] };
      rootId = roots.Roots[0]!.Id;
      await call(0, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
    });

    test('4 parallel CreateOrganizationalUnit of one name make one OU', async () => {
      const result = await burst(4, 'CreateOrganizationalUnit', () => ({ ParentId: rootId, Name: 'Finance' }));
      assert.deepEqual(result, { ok: 1, errors: { DuplicateOrganizationalUnitException: 3 } });
      const ous = (await call(0, 'ListOrganizationalUnitsForParent', { ParentId: rootId })) as {
        OrganizationalUnits: unknown[];
      };
      assert.equal(ous.OrganizationalUnits.length, 1);
    });

    test('8 parallel AttachPolicy leave 5 SCPs on the target and answer ConstraintViolation to the rest', async () => {
      const { OrganizationalUnit } = (await call(0, 'CreateOrganizationalUnit', {
        ParentId: rootId,
        Name: 'Attachments',
      })) as { OrganizationalUnit: { Id: string } };
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push(await scp(`burst-${i}`));
      // FullAWSAccess is attached already: room for 4 more.
      const result = await burst(8, 'AttachPolicy', (i) => ({ PolicyId: ids[i], TargetId: OrganizationalUnit.Id }));
      assert.deepEqual(result, { ok: 4, errors: { ConstraintViolationException: 4 } });
      assert.equal(await attachedTo(OrganizationalUnit.Id), 5);
    });

    test('2 parallel DetachPolicy of the last two SCPs leave one', async () => {
      for (let round = 0; round < 3; round++) {
        const { OrganizationalUnit } = (await call(0, 'CreateOrganizationalUnit', {
          ParentId: rootId,
          Name: `Detach-${round}`,
        })) as { OrganizationalUnit: { Id: string } };
        const extra = await scp(`extra-${round}`);
        await call(0, 'AttachPolicy', { PolicyId: extra, TargetId: OrganizationalUnit.Id });
        const full = 'p-FullAWSAccess';
        const result = await outcomes([
          call(0, 'DetachPolicy', { PolicyId: full, TargetId: OrganizationalUnit.Id }),
          call(1, 'DetachPolicy', { PolicyId: extra, TargetId: OrganizationalUnit.Id }),
        ]);
        assert.deepEqual(result, { ok: 1, errors: { ConstraintViolationException: 1 } });
        assert.equal(await attachedTo(OrganizationalUnit.Id), 1);
      }
    });
  });
}
