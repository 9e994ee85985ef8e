/**
 * The export scheduler with two server instances over one PostgreSQL schema: both tick at once, and each
 * export's daily run is claimed in the store by exactly one of them, runs once, and is not run again by either
 * on a later tick of the same day.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { World } from '../../src/server/world.js';
import { openSharedPostgres, testDatabases } from '../../src/store/test-databases.js';
import { buildTestWorld, exportDefinition, facts, rootCaller } from './helpers.js';

const postgres = (await testDatabases()).find((d) => d.label === 'postgres')!;

describe('two instances over one PostgreSQL store run a scheduled export once', { skip: postgres.skip }, () => {
  let a: World;
  let b: World;
  let close: () => Promise<void>;
  let acct: string;

  before(async () => {
    const shared = await openSharedPostgres(2);
    a = await buildTestWorld(shared.stores[0]!);
    b = await buildTestWorld(shared.stores[1]!);
    close = async () => {
      await a.exportDeliveries.idle();
      await b.exportDeliveries.idle();
      await shared.close();
    };
    acct = (await a.accounts.signUp({ email: 'sched@example.com', password: 'Passw0rd!', accountName: 'Sched' }))
      .accountId;
  });
  after(async () => close?.());

  test('both tick together: one claims each export’s run, it runs once, and later ticks claim nothing', async () => {
    const names = ['daily-a', 'daily-b', 'daily-c'];
    for (const name of names) {
      await a.invoke(rootCaller(acct), facts(), 'bcm-data-exports', 'CreateExport', { Export: exportDefinition(name) });
    }
    await a.exportDeliveries.idle();
    const claimed = await Promise.all([a.exportDeliveries.runDue(), b.exportDeliveries.runDue()]);
    assert.equal(claimed[0]! + claimed[1]!, names.length);
    const again = await Promise.all([b.exportDeliveries.runDue(), a.exportDeliveries.runDue()]);
    assert.deepEqual(again, [0, 0]);
    await Promise.all([a.exportDeliveries.idle(), b.exportDeliveries.idle()]);

    const rows = await a.database.db
      .selectFrom('bcm_export_execution')
      .select(['export_id', 'slot', 'status_code'])
      .where('account_id', '=', acct)
      .execute();
    for (const name of names) {
      const runs = rows.filter((r) => r.export_id.startsWith(`${name}-`));
      // The on-demand run at creation, and one scheduled run.
      assert.deepEqual(runs.map((r) => r.slot.split(':')[0]).sort(), ['on-demand', 'scheduled'], name);
      assert.match(runs.find((r) => r.slot.startsWith('scheduled'))!.slot, /^scheduled:\d{4}-\d{2}-\d{2}$/);
      assert.ok(runs.every((r) => r.status_code === 'DELIVERY_SUCCESS'));
    }
    // Each execution is visible through either instance's API.
    const arn = (
      (await b.invoke(rootCaller(acct), facts(), 'bcm-data-exports', 'ListExports', {})) as {
        Exports: { ExportArn: string }[];
      }
    ).Exports[0]!.ExportArn;
    const listed = (await b.invoke(rootCaller(acct), facts(), 'bcm-data-exports', 'ListExecutions', {
      ExportArn: arn,
    })) as { Executions: unknown[] };
    assert.equal(listed.Executions.length, 2);
  });
});
