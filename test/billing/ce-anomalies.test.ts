/**
 * Cost Anomaly Detection through `@aws-sdk/client-cost-explorer`: anomaly monitors and subscriptions (create,
 * get, update, delete, what AWS refuses), GetAnomalies over demo data into which the test injects a spike (found
 * on its day, with its root cause and an impact checked against Cost Explorer's own daily figures),
 * ProvideAnomalyFeedback, and authorization as `ce:<Operation>` on the monitor's ARN.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CostExplorerClient,
  CreateAnomalyMonitorCommand,
  CreateAnomalySubscriptionCommand,
  DeleteAnomalyMonitorCommand,
  DeleteAnomalySubscriptionCommand,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetAnomalySubscriptionsCommand,
  GetCostAndUsageCommand,
  ProvideAnomalyFeedbackCommand,
  UpdateAnomalyMonitorCommand,
  UpdateAnomalySubscriptionCommand,
  type Anomaly,
} from '@aws-sdk/client-cost-explorer';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ANOMALY_BASELINE_DAYS } from '../../src/billing/costs/anomalies.js';
import type { CostLineItem } from '../../src/billing/costs/cost-line-item.js';
import { generateDemoCosts } from '../../src/billing/costs/demo-generator.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const DAY_MS = 86_400_000;
const dayOf = (offset: number) => new Date(testNow().getTime() + offset * DAY_MS).toISOString().slice(0, 10);
const monthOf = (date: string, back: number) => {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
};

const MEMBER = { id: '444455556666', name: 'Analytics' };
const SPIKE_DAY = dayOf(-6);
const SPIKE = {
  service: 'Amazon Relational Database Service',
  region: 'ap-southeast-2',
  usageType: 'APS2-InstanceUsage:db.r6g.16xlarge',
  dollars: 4321,
};

/** The injected spike: one line item costing SPIKE.dollars on SPIKE_DAY, in the member account. */
function spikeItem(): CostLineItem {
  const units = BigInt(SPIKE.dollars) * 10_000_000_000n;
  return {
    billingAccountId: ACCOUNT_ID,
    billingAccountName: 'Payer',
    subAccountId: MEMBER.id,
    subAccountName: MEMBER.name,
    billingPeriodStart: `${SPIKE_DAY.slice(0, 7)}-01`,
    chargePeriodStart: `${SPIKE_DAY}T00:00:00Z`,
    chargePeriodEnd: `${SPIKE_DAY}T23:59:59Z`,
    chargeCategory: 'Usage',
    recordType: 'Usage',
    serviceName: SPIKE.service,
    regionId: SPIKE.region,
    usageType: SPIKE.usageType,
    operation: 'CreateDBInstance',
    billedCost: units,
    effectiveCost: units,
    listCost: units,
    blendedCost: units,
    netUnblendedCost: units,
    netAmortizedCost: units,
    usageQuantity: 24,
    normalizedUsageAmount: 24,
    currency: 'USD',
  };
}

describe('Cost Explorer: anomaly detection', () => {
  let server: BursarServer;
  let ce: CostExplorerClient;

  before(async () => {
    server = await startServer();
    ce = new CostExplorerClient(clientConfig(server));
    const today = dayOf(0);
    const items = [
      ...generateDemoCosts({
        seed: 11,
        payer: { id: ACCOUNT_ID, name: 'Payer' },
        members: [MEMBER],
        startMonth: monthOf(today, 2),
        months: 3,
        targetRows: 4000,
        until: today,
      }),
      spikeItem(),
    ];
    await server.world().billing.store.import(items, {
      ownerAccountId: ACCOUNT_ID,
      importId: 'demo-with-spike',
      source: 'demo',
      format: 'demo',
      now: testNow(),
    });
  });
  after(async () => {
    ce.destroy();
    await server.close();
  });

  it('creates, gets, renames and deletes monitors, refusing what AWS refuses', async () => {
    const { MonitorArn } = await ce.send(
      new CreateAnomalyMonitorCommand({
        AnomalyMonitor: { MonitorName: 'Services', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
        ResourceTags: [{ Key: 'team', Value: 'finops' }],
      }),
    );
    assert.match(MonitorArn!, new RegExp(`^arn:aws:ce::${ACCOUNT_ID}:anomalymonitor/[0-9a-f-]{36}$`));
    const { AnomalyMonitors } = await ce.send(new GetAnomalyMonitorsCommand({ MonitorArnList: [MonitorArn!] }));
    assert.equal(AnomalyMonitors!.length, 1);
    const [monitor] = AnomalyMonitors!;
    assert.equal(monitor!.MonitorName, 'Services');
    assert.equal(monitor!.MonitorType, 'DIMENSIONAL');
    assert.equal(monitor!.MonitorDimension, 'SERVICE');
    assert.equal(monitor!.CreationDate, dayOf(0));
    assert.equal(monitor!.LastEvaluatedDate, dayOf(-1));
    assert.ok(monitor!.DimensionalValueCount! > 5, 'the demo data has many services');

    await ce.send(new UpdateAnomalyMonitorCommand({ MonitorArn, MonitorName: 'AWS services' }));
    const renamed = await ce.send(new GetAnomalyMonitorsCommand({ MonitorArnList: [MonitorArn!] }));
    assert.equal(renamed.AnomalyMonitors![0]!.MonitorName, 'AWS services');

    // One AWS-services monitor per account.
    await rejectsWith(
      ce.send(
        new CreateAnomalyMonitorCommand({
          AnomalyMonitor: { MonitorName: 'Again', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
        }),
      ),
      'LimitExceededException',
      400,
    );
    await rejectsWith(
      ce.send(new CreateAnomalyMonitorCommand({ AnomalyMonitor: { MonitorName: 'NoSpec', MonitorType: 'CUSTOM' } })),
      'ValidationException',
      400,
      /MonitorSpecification/,
    );
    await rejectsWith(
      ce.send(
        new CreateAnomalyMonitorCommand({
          AnomalyMonitor: {
            MonitorName: 'BadSpec',
            MonitorType: 'CUSTOM',
            MonitorSpecification: { Dimensions: { Key: 'INSTANCE_TYPE_FAMILY', Values: ['m5'] } },
          },
        }),
      ),
      'ValidationException',
      400,
    );
    await rejectsWith(
      ce.send(
        new CreateAnomalyMonitorCommand({
          AnomalyMonitor: { MonitorName: 'Tagged', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
          ResourceTags: [{ Key: 'aws:reserved', Value: 'x' }],
        }),
      ),
      'ValidationException',
      400,
      /reserved/,
    );
    const missing = MonitorArn!.replace(/[0-9a-f]{12}$/, '000000000000');
    await rejectsWith(
      ce.send(new GetAnomalyMonitorsCommand({ MonitorArnList: [missing] })),
      'UnknownMonitorException',
      400,
    );
    await rejectsWith(
      ce.send(new UpdateAnomalyMonitorCommand({ MonitorArn: missing, MonitorName: 'x' })),
      'UnknownMonitorException',
      400,
    );
    await ce.send(new DeleteAnomalyMonitorCommand({ MonitorArn }));
    await rejectsWith(ce.send(new DeleteAnomalyMonitorCommand({ MonitorArn })), 'UnknownMonitorException', 400);
  });

  it('creates, gets, updates and deletes subscriptions, refusing what AWS refuses', async () => {
    const { MonitorArn } = await ce.send(
      new CreateAnomalyMonitorCommand({
        AnomalyMonitor: {
          MonitorName: 'Member',
          MonitorType: 'CUSTOM',
          MonitorSpecification: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MEMBER.id] } },
        },
      }),
    );
    const ThresholdExpression = {
      Dimensions: {
        Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE' as const,
        MatchOptions: ['GREATER_THAN_OR_EQUAL' as const],
        Values: ['100'],
      },
    };
    const { SubscriptionArn } = await ce.send(
      new CreateAnomalySubscriptionCommand({
        AnomalySubscription: {
          SubscriptionName: 'Finance',
          MonitorArnList: [MonitorArn!],
          Subscribers: [{ Type: 'EMAIL', Address: 'finance@example.com' }],
          Frequency: 'DAILY',
          ThresholdExpression,
        },
      }),
    );
    assert.match(SubscriptionArn!, new RegExp(`^arn:aws:ce::${ACCOUNT_ID}:anomalysubscription/[0-9a-f-]{36}$`));
    const got = await ce.send(new GetAnomalySubscriptionsCommand({ MonitorArn }));
    assert.deepEqual(got.AnomalySubscriptions, [
      {
        SubscriptionArn,
        AccountId: ACCOUNT_ID,
        MonitorArnList: [MonitorArn],
        Subscribers: [{ Type: 'EMAIL', Address: 'finance@example.com', Status: 'CONFIRMED' }],
        Frequency: 'DAILY',
        SubscriptionName: 'Finance',
        ThresholdExpression,
      },
    ]);

    await ce.send(
      new UpdateAnomalySubscriptionCommand({
        SubscriptionArn,
        Frequency: 'IMMEDIATE',
        Subscribers: [{ Type: 'SNS', Address: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:cost-alerts` }],
        SubscriptionName: 'Finance now',
      }),
    );
    const [updated] = (await ce.send(new GetAnomalySubscriptionsCommand({ SubscriptionArnList: [SubscriptionArn!] })))
      .AnomalySubscriptions!;
    assert.equal(updated!.Frequency, 'IMMEDIATE');
    assert.equal(updated!.SubscriptionName, 'Finance now');
    assert.deepEqual(updated!.ThresholdExpression, ThresholdExpression);

    const subscription = {
      SubscriptionName: 'Bad',
      MonitorArnList: [MonitorArn!],
      Subscribers: [{ Type: 'EMAIL' as const, Address: 'a@example.com' }],
      Frequency: 'WEEKLY' as const,
      ThresholdExpression,
    };
    const refused = async (change: object, name: string, message?: RegExp) =>
      rejectsWith(
        ce.send(new CreateAnomalySubscriptionCommand({ AnomalySubscription: { ...subscription, ...change } })),
        name,
        400,
        message,
      );
    await refused({ Frequency: 'IMMEDIATE' }, 'ValidationException', /SNS subscribers only/);
    await refused({ ThresholdExpression: undefined }, 'ValidationException', /ThresholdExpression/);
    await refused({ Threshold: 10 }, 'ValidationException', /not both/);
    await refused(
      { ThresholdExpression: { Dimensions: { Key: 'SERVICE', MatchOptions: ['EQUALS'], Values: ['x'] } } },
      'ValidationException',
    );
    await refused(
      { Subscribers: Array.from({ length: 11 }, (_, i) => ({ Type: 'EMAIL', Address: `p${i}@example.com` })) },
      'LimitExceededException',
    );
    await refused(
      { MonitorArnList: [MonitorArn!.replace(/[0-9a-f]{12}$/, '000000000000')] },
      'UnknownMonitorException',
    );
    await ce.send(new DeleteAnomalySubscriptionCommand({ SubscriptionArn }));
    await rejectsWith(
      ce.send(new DeleteAnomalySubscriptionCommand({ SubscriptionArn })),
      'UnknownSubscriptionException',
      400,
    );
    await ce.send(new DeleteAnomalyMonitorCommand({ MonitorArn }));
  });

  it('finds the injected spike with its root cause and an impact that agrees with the daily costs', async () => {
    const { MonitorArn } = await ce.send(
      new CreateAnomalyMonitorCommand({
        AnomalyMonitor: { MonitorName: 'Services', MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
      }),
    );
    const { Anomalies } = await ce.send(
      new GetAnomaliesCommand({ MonitorArn, DateInterval: { StartDate: dayOf(-10), EndDate: dayOf(-1) } }),
    );
    const spike = Anomalies!.find((a) => a.DimensionValue === SPIKE.service && a.AnomalyStartDate === SPIKE_DAY);
    assert.ok(spike, `the spike is found among ${JSON.stringify(Anomalies)}`);
    assert.equal(spike.MonitorArn, MonitorArn);
    assert.equal(spike.AnomalyEndDate, SPIKE_DAY);
    assert.deepEqual(spike.RootCauses![0], {
      Service: SPIKE.service,
      Region: SPIKE.region,
      LinkedAccount: MEMBER.id,
      LinkedAccountName: MEMBER.name,
      UsageType: SPIKE.usageType,
    });

    // The service's daily cost, from GetCostAndUsage: the spike day is its actual spend, the days before its
    // expected spend (the trailing mean, when none of them was itself anomalous).
    const daily = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: dayOf(-6 - ANOMALY_BASELINE_DAYS), End: dayOf(-5) },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        Filter: { Dimensions: { Key: 'SERVICE', Values: [SPIKE.service] } },
      }),
    );
    const amounts = daily.ResultsByTime!.map((r) => Number(r.Total!.UnblendedCost!.Amount));
    const actual = amounts.at(-1)!;
    const expected = amounts.slice(0, -1).reduce((a, b) => a + b, 0) / ANOMALY_BASELINE_DAYS;
    const impact = spike.Impact!;
    assert.equal(impact.TotalActualSpend, Math.round(actual * 100) / 100);
    assert.ok(Math.abs(impact.TotalImpact! - (impact.TotalActualSpend! - impact.TotalExpectedSpend!)) <= 0.011);
    assert.equal(impact.MaxImpact, impact.TotalImpact);
    const earlier = Anomalies!.filter(
      (a) => a.DimensionValue === SPIKE.service && a.AnomalyStartDate! < SPIKE_DAY && a.AnomalyStartDate! >= dayOf(-20),
    );
    if (earlier.length === 0) assert.equal(impact.TotalExpectedSpend, Math.round(expected * 100) / 100);
    // The injected cost is most of the impact: the day's ordinary spend is close to its expected spend.
    assert.ok(
      Math.abs(impact.TotalImpact! - SPIKE.dollars) < SPIKE.dollars * 0.05,
      `impact ${impact.TotalImpact} ≈ ${SPIKE.dollars}`,
    );
    const percentage = (impact.TotalImpact! / impact.TotalExpectedSpend!) * 100;
    // Both sides round: the answer from the unrounded spends, this from the answer's cents.
    assert.ok(
      Math.abs(impact.TotalImpactPercentage! - percentage) <= percentage * 0.001,
      `${impact.TotalImpactPercentage} ≈ ${percentage}`,
    );
    assert.ok(spike.AnomalyScore!.MaxScore! > 0.5 && spike.AnomalyScore!.MaxScore! <= 1);
    assert.equal(spike.AnomalyScore!.CurrentScore, spike.AnomalyScore!.MaxScore);

    // Filters: by TotalImpact, and by feedback once given (kept across computations by the anomaly's id).
    const big = await ce.send(
      new GetAnomaliesCommand({
        MonitorArn,
        DateInterval: { StartDate: dayOf(-10), EndDate: dayOf(-1) },
        TotalImpact: { NumericOperator: 'GREATER_THAN_OR_EQUAL', StartValue: SPIKE.dollars * 0.9 },
      }),
    );
    assert.ok(big.Anomalies!.some((a) => a.AnomalyId === spike.AnomalyId));
    assert.ok(big.Anomalies!.every((a) => a.Impact!.TotalImpact! >= SPIKE.dollars * 0.9));
    const none = await ce.send(
      new GetAnomaliesCommand({ MonitorArn, DateInterval: { StartDate: dayOf(-10) }, Feedback: 'YES' }),
    );
    assert.deepEqual(none.Anomalies, []);
    await ce.send(new ProvideAnomalyFeedbackCommand({ AnomalyId: spike.AnomalyId, Feedback: 'YES' }));
    const confirmed = await ce.send(
      new GetAnomaliesCommand({ MonitorArn, DateInterval: { StartDate: dayOf(-10) }, Feedback: 'YES' }),
    );
    assert.deepEqual(
      confirmed.Anomalies!.map((a: Anomaly) => [a.AnomalyId, a.Feedback]),
      [[spike.AnomalyId, 'YES']],
    );

    // A custom monitor over the other account does not see the member's spike.
    const { MonitorArn: payerOnly } = await ce.send(
      new CreateAnomalyMonitorCommand({
        AnomalyMonitor: {
          MonitorName: 'Payer',
          MonitorType: 'CUSTOM',
          MonitorSpecification: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT_ID] } },
        },
      }),
    );
    const payer = await ce.send(
      new GetAnomaliesCommand({ MonitorArn: payerOnly, DateInterval: { StartDate: SPIKE_DAY, EndDate: SPIKE_DAY } }),
    );
    assert.ok(
      payer.Anomalies!.every((a) => a.RootCauses!.every((c) => c.LinkedAccount === ACCOUNT_ID)),
      JSON.stringify(payer.Anomalies),
    );

    await rejectsWith(
      ce.send(new GetAnomaliesCommand({ MonitorArn, DateInterval: { StartDate: dayOf(-1), EndDate: dayOf(-3) } })),
      'ValidationException',
      400,
    );
    await rejectsWith(
      ce.send(new ProvideAnomalyFeedbackCommand({ AnomalyId: 'not-an-id', Feedback: 'NO' })),
      'ValidationException',
      400,
    );
  });

  it('authorizes GetAnomalies as ce:GetAnomalies on the monitor ARN', async () => {
    const { AnomalyMonitors } = await ce.send(new GetAnomalyMonitorsCommand({}));
    const allowed = AnomalyMonitors![0]!.MonitorArn!;
    const other = AnomalyMonitors![1]!.MonitorArn!;
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'AnomalyReader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'AnomalyReader',
        PolicyName: 'one-monitor',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'ce:GetAnomalies', Resource: allowed }],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'AnomalyReader' }));
    iam.destroy();
    const reader = new CostExplorerClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    try {
      const DateInterval = { StartDate: SPIKE_DAY, EndDate: SPIKE_DAY };
      assert.ok((await reader.send(new GetAnomaliesCommand({ MonitorArn: allowed, DateInterval }))).Anomalies);
      await rejectsWith(
        reader.send(new GetAnomaliesCommand({ MonitorArn: other, DateInterval })),
        'AccessDeniedException',
        403,
        new RegExp(`ce:GetAnomalies on resource: ${other.replace(/[/]/g, '\\/')}`),
      );
      await rejectsWith(
        reader.send(new DeleteAnomalyMonitorCommand({ MonitorArn: allowed })),
        'AccessDeniedException',
        403,
        /ce:DeleteAnomalyMonitor/,
      );
    } finally {
      reader.destroy();
    }
  });
});
