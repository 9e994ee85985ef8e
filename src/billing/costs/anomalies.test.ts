/**
 * The stores behind Cost Anomaly Detection, cost category versions and Cost Explorer resource tags, on SQLite
 * and PostgreSQL: what each keeps, and what it refuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../../platform/clock.js';
import { seededIdSource } from '../../platform/ids.js';
import type { OpenedDatabase } from '../../store/database.js';
import { testDatabases } from '../../store/test-databases.js';
import { Billing } from '../billing.js';
import { AnomalyMonitors } from './anomalies.js';
import { CeResourceTags } from './ce-resource-tags.js';
import { CostCategories, costCategoryRules } from './cost-categories.js';

const ACCOUNT = '111122223333';
const code = (name: string) => (error: Error & { code?: string }) => error.code === name;

for (const database of await testDatabases()) {
  describe(`Cost Explorer resource stores (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let monitors: AnomalyMonitors;
    let categories: CostCategories;
    let tags: CeResourceTags;
    const clock = new FixedClock(new Date('2026-11-20T10:00:00Z'));

    before(async () => {
      opened = await database.open();
      monitors = new AnomalyMonitors(opened.db, clock, seededIdSource('anomalies'));
      categories = new CostCategories(opened.db, clock, seededIdSource('categories'));
      tags = new CeResourceTags(opened.db);
    });
    after(() => opened.close());

    it('keeps monitors and subscriptions, and a deleted monitor leaves its subscriptions', async () => {
      const services = await monitors.createMonitor(
        ACCOUNT,
        { MonitorName: 'Services', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
        [],
      );
      const member = await monitors.createMonitor(
        ACCOUNT,
        {
          MonitorName: 'Member',
          MonitorType: 'CUSTOM',
          MonitorSpecification: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['444455556666'] } },
        },
        [{ Key: 'team', Value: 'finops' }],
      );
      assert.deepEqual(
        (await monitors.monitors(ACCOUNT)).map((m) => m.MonitorName),
        ['Services', 'Member'],
      );
      const subscription = await monitors.createSubscription(
        ACCOUNT,
        {
          SubscriptionName: 'Both',
          MonitorArnList: [services, member],
          Subscribers: [{ Type: 'EMAIL', Address: 'cfo@example.com' }],
          Frequency: 'WEEKLY',
          Threshold: 50,
        },
        [],
      );
      await monitors.deleteMonitor(ACCOUNT, member);
      const [kept] = await monitors.subscriptions(ACCOUNT, [subscription]);
      assert.deepEqual(kept!.MonitorArnList, [services]);
      assert.equal(kept!.Threshold, 50);
      await assert.rejects(monitors.subscriptions(ACCOUNT, [`${subscription}0`]), code('UnknownSubscriptionException'));
      await monitors.provideFeedback(ACCOUNT, '00000000-0000-4000-8000-000000000001', 'NO');
      await monitors.provideFeedback(ACCOUNT, '00000000-0000-4000-8000-000000000001', 'YES');
      assert.deepEqual(await monitors.feedback(ACCOUNT), new Map([['00000000-0000-4000-8000-000000000001', 'YES']]));

      await tags.tag(ACCOUNT, subscription, [{ Key: 'env', Value: 'prod' }]);
      assert.deepEqual(await tags.list(ACCOUNT, subscription), [{ Key: 'env', Value: 'prod' }]);
      await assert.rejects(tags.list(ACCOUNT, member), code('ResourceNotFoundException'));
    });

    it('keeps the versions of a cost category, latest first with the earlier ones behind it', async () => {
      const rule = (Value: string) => [{ Value, Rule: { Dimensions: { Key: 'SERVICE', Values: [Value] } } }];
      const { CostCategoryArn } = await categories.create(
        ACCOUNT,
        'Teams',
        { RuleVersion: 'CostCategoryExpression.v1', Rules: rule('a') },
        [],
        '2026-09-01T00:00:00Z',
      );
      await categories.update(
        ACCOUNT,
        CostCategoryArn,
        { RuleVersion: 'CostCategoryExpression.v1', Rules: rule('b') },
        '2026-11-01T00:00:00Z',
      );
      await categories.update(
        ACCOUNT,
        CostCategoryArn,
        { RuleVersion: 'CostCategoryExpression.v1', Rules: rule('c') },
        '2026-10-01T00:00:00Z',
      );
      const billing = new Billing(opened.db, opened.dialect);
      const teams = (await costCategoryRules(billing, ACCOUNT)).get('Teams')!;
      assert.equal(teams.Rules[0]!.Value, 'c');
      assert.equal(teams.EffectiveStart, '2026-10-01');
      assert.equal(teams.Previous!.Rules[0]!.Value, 'a');
      assert.equal(teams.Previous!.Previous, undefined);
      await tags.tag(ACCOUNT, CostCategoryArn, [{ Key: 'owner', Value: 'fpa' }]);
      await tags.untag(ACCOUNT, CostCategoryArn, ['owner']);
      assert.deepEqual(await tags.list(ACCOUNT, CostCategoryArn), []);
      await categories.delete(ACCOUNT, CostCategoryArn);
      assert.equal((await costCategoryRules(billing, ACCOUNT)).has('Teams'), false);
    });
  });
}
