/**
 * Cost Anomaly Detection (JSON 1.1, `AWSInsightsIndexService`): anomaly monitors and subscriptions, GetAnomalies
 * and ProvideAnomalyFeedback over src/billing/costs/anomalies.ts. An operation on named monitors or subscriptions
 * asks for `ce:<Operation>` on each ARN (`*` when it names none); Create and ProvideAnomalyFeedback on `*`, with
 * the tags given as `aws:RequestTag/…` and `aws:TagKeys`, as AWS's Service Authorization Reference lists.
 */
import type { Billing } from '../../billing/billing.js';
import {
  detectAnomalies,
  type Anomaly,
  type AnomalyMonitors,
  type AnomalySubscriptionDefinition,
} from '../../billing/costs/anomalies.js';
import { checkResourceTags } from '../../billing/costs/ce-resource-tags.js';
import type { Expression } from '../../billing/costs/cost-query.js';
import type {
  CreateAnomalyMonitorRequest,
  CreateAnomalySubscriptionRequest,
  DeleteAnomalyMonitorRequest,
  DeleteAnomalySubscriptionRequest,
  GetAnomaliesRequest,
  GetAnomalyMonitorsRequest,
  GetAnomalySubscriptionsRequest,
  ProvideAnomalyFeedbackRequest,
  UpdateAnomalyMonitorRequest,
  UpdateAnomalySubscriptionRequest,
} from '../../contracts/wire/ce.js';
import { validationException } from '../../core/errors.js';
import type { AccessRequest, Operation } from '../../core/operation.js';
import { tagRequestContext } from '../tag-context.js';
import { page } from './operations.js';
import { isCalendarDay } from '../../platform/calendar.js';

export interface AnomalyServices {
  billing: Billing;
  anomalyMonitors: AnomalyMonitors;
}

/** The page of monitors, subscriptions or anomalies when MaxResults is not given, and its most. */
const DEFAULT_PAGE = 100;

const on = (action: string, arns: Array<string | undefined>): AccessRequest[] => {
  const named = arns.filter((arn): arn is string => arn !== undefined && arn !== '');
  return (named.length > 0 ? named : ['*']).map((resource) => ({ action: `ce:${action}`, resource }));
};

const creating = (action: string) => (input: { ResourceTags?: Array<{ Key: string; Value: string }> }) => {
  const context = tagRequestContext(input.ResourceTags);
  return [{ action: `ce:${action}`, resource: '*', ...(context === undefined ? {} : { context }) }];
};

const DAY = /^(\d{4}-\d{2}-\d{2})(T00:00:00Z)?$/;

function day(value: string | undefined, what: string): string {
  const match = DAY.exec(value ?? '');
  if (match === null || !isCalendarDay(match[1]!)) {
    throw validationException(`${what} must be a date, yyyy-MM-dd.`);
  }
  return match[1]!;
}

const createAnomalyMonitor: Operation<AnomalyServices, CreateAnomalyMonitorRequest> = {
  service: 'ce',
  name: 'CreateAnomalyMonitor',
  mutates: true,
  access: creating('CreateAnomalyMonitor'),
  handler: async (input, ctx) => {
    checkResourceTags(input.ResourceTags ?? []);
    const monitor = input.AnomalyMonitor;
    return {
      MonitorArn: await ctx.services.anomalyMonitors.createMonitor(
        ctx.caller.accountId,
        {
          MonitorName: monitor.MonitorName,
          MonitorType: monitor.MonitorType,
          ...(monitor.MonitorDimension === undefined ? {} : { MonitorDimension: monitor.MonitorDimension }),
          ...(monitor.MonitorSpecification === undefined
            ? {}
            : { MonitorSpecification: monitor.MonitorSpecification as Expression }),
        },
        input.ResourceTags ?? [],
      ),
    };
  },
};

const getAnomalyMonitors: Operation<AnomalyServices, GetAnomalyMonitorsRequest> = {
  service: 'ce',
  name: 'GetAnomalyMonitors',
  mutates: false,
  access: (input) => on('GetAnomalyMonitors', input.MonitorArnList ?? []),
  handler: async (input, ctx) => {
    const { billing, anomalyMonitors } = ctx.services;
    const monitors = await anomalyMonitors.monitors(ctx.caller.accountId, input.MonitorArnList);
    const { slice, next } = page(monitors, input.MaxResults, input.NextPageToken, DEFAULT_PAGE);
    const today = ctx.facts.now.toISOString().slice(0, 10);
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    // A monitor is evaluated on the data through yesterday, the last whole day; a service monitor counts the
    // services with cost in the 30 days before.
    const services = slice.some((m) => m.MonitorType === 'DIMENSIONAL')
      ? await billing.queries.dimensionValues({
          scope: await billing.scopeOf(ctx.caller.accountId),
          start: new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10),
          end: today,
          key: 'SERVICE',
        })
      : [];
    return {
      AnomalyMonitors: slice.map((monitor) => ({
        ...monitor,
        LastEvaluatedDate: yesterday,
        ...(monitor.MonitorType === 'DIMENSIONAL' ? { DimensionalValueCount: services.length } : {}),
      })),
      ...(next === undefined ? {} : { NextPageToken: next }),
    };
  },
};

const updateAnomalyMonitor: Operation<AnomalyServices, UpdateAnomalyMonitorRequest> = {
  service: 'ce',
  name: 'UpdateAnomalyMonitor',
  mutates: true,
  access: (input) => on('UpdateAnomalyMonitor', [input.MonitorArn]),
  handler: async (input, ctx) => {
    await ctx.services.anomalyMonitors.updateMonitor(ctx.caller.accountId, input.MonitorArn, input.MonitorName);
    return { MonitorArn: input.MonitorArn };
  },
};

const deleteAnomalyMonitor: Operation<AnomalyServices, DeleteAnomalyMonitorRequest> = {
  service: 'ce',
  name: 'DeleteAnomalyMonitor',
  mutates: true,
  access: (input) => on('DeleteAnomalyMonitor', [input.MonitorArn]),
  handler: async (input, ctx) => {
    await ctx.services.anomalyMonitors.deleteMonitor(ctx.caller.accountId, input.MonitorArn);
    return {};
  },
};

const subscriptionOf = (
  subscription: CreateAnomalySubscriptionRequest['AnomalySubscription'],
): AnomalySubscriptionDefinition => ({
  MonitorArnList: subscription.MonitorArnList,
  Subscribers: subscription.Subscribers,
  Frequency: subscription.Frequency,
  SubscriptionName: subscription.SubscriptionName,
  ...(subscription.Threshold === undefined ? {} : { Threshold: subscription.Threshold }),
  ...(subscription.ThresholdExpression === undefined
    ? {}
    : { ThresholdExpression: subscription.ThresholdExpression as Expression }),
});

const createAnomalySubscription: Operation<AnomalyServices, CreateAnomalySubscriptionRequest> = {
  service: 'ce',
  name: 'CreateAnomalySubscription',
  mutates: true,
  access: creating('CreateAnomalySubscription'),
  handler: async (input, ctx) => {
    checkResourceTags(input.ResourceTags ?? []);
    return {
      SubscriptionArn: await ctx.services.anomalyMonitors.createSubscription(
        ctx.caller.accountId,
        subscriptionOf(input.AnomalySubscription),
        input.ResourceTags ?? [],
      ),
    };
  },
};

const getAnomalySubscriptions: Operation<AnomalyServices, GetAnomalySubscriptionsRequest> = {
  service: 'ce',
  name: 'GetAnomalySubscriptions',
  mutates: false,
  access: (input) => on('GetAnomalySubscriptions', input.SubscriptionArnList ?? []),
  handler: async (input, ctx) => {
    const subscriptions = await ctx.services.anomalyMonitors.subscriptions(
      ctx.caller.accountId,
      input.SubscriptionArnList,
      input.MonitorArn,
    );
    const { slice, next } = page(subscriptions, input.MaxResults, input.NextPageToken, DEFAULT_PAGE);
    return { AnomalySubscriptions: slice, ...(next === undefined ? {} : { NextPageToken: next }) };
  },
};

const updateAnomalySubscription: Operation<AnomalyServices, UpdateAnomalySubscriptionRequest> = {
  service: 'ce',
  name: 'UpdateAnomalySubscription',
  mutates: true,
  access: (input) => on('UpdateAnomalySubscription', [input.SubscriptionArn]),
  handler: async (input, ctx) => {
    await ctx.services.anomalyMonitors.updateSubscription(ctx.caller.accountId, input.SubscriptionArn, {
      ...(input.MonitorArnList === undefined ? {} : { MonitorArnList: input.MonitorArnList }),
      ...(input.Subscribers === undefined ? {} : { Subscribers: input.Subscribers }),
      ...(input.Frequency === undefined ? {} : { Frequency: input.Frequency }),
      ...(input.SubscriptionName === undefined ? {} : { SubscriptionName: input.SubscriptionName }),
      ...(input.Threshold === undefined ? {} : { Threshold: input.Threshold }),
      ...(input.ThresholdExpression === undefined
        ? {}
        : { ThresholdExpression: input.ThresholdExpression as Expression }),
    });
    return { SubscriptionArn: input.SubscriptionArn };
  },
};

const deleteAnomalySubscription: Operation<AnomalyServices, DeleteAnomalySubscriptionRequest> = {
  service: 'ce',
  name: 'DeleteAnomalySubscription',
  mutates: true,
  access: (input) => on('DeleteAnomalySubscription', [input.SubscriptionArn]),
  handler: async (input, ctx) => {
    await ctx.services.anomalyMonitors.deleteSubscription(ctx.caller.accountId, input.SubscriptionArn);
    return {};
  },
};

/** TotalImpact's NumericOperator against an anomaly's TotalImpact. */
function impactMatches(filter: NonNullable<GetAnomaliesRequest['TotalImpact']>, impact: number): boolean {
  const { StartValue: start, EndValue: end } = filter;
  switch (filter.NumericOperator) {
    case 'EQUAL':
      return impact === start;
    case 'GREATER_THAN_OR_EQUAL':
      return impact >= start;
    case 'LESS_THAN_OR_EQUAL':
      return impact <= start;
    case 'GREATER_THAN':
      return impact > start;
    case 'LESS_THAN':
      return impact < start;
    case 'BETWEEN':
      return impact >= start && impact <= end!;
  }
}

const getAnomalies: Operation<AnomalyServices, GetAnomaliesRequest> = {
  service: 'ce',
  name: 'GetAnomalies',
  mutates: false,
  access: (input) => on('GetAnomalies', [input.MonitorArn]),
  handler: async (input, ctx) => {
    const from = day(input.DateInterval.StartDate, 'DateInterval.StartDate');
    const to =
      input.DateInterval.EndDate === undefined
        ? ctx.facts.now.toISOString().slice(0, 10)
        : day(input.DateInterval.EndDate, 'DateInterval.EndDate');
    if (from > to) throw validationException('DateInterval.StartDate must not be after EndDate.');
    if (input.TotalImpact?.NumericOperator === 'BETWEEN' && input.TotalImpact.EndValue === undefined) {
      throw validationException('TotalImpact BETWEEN needs an EndValue.');
    }
    const { billing, anomalyMonitors } = ctx.services;
    const accountId = ctx.caller.accountId;
    const monitors = await anomalyMonitors.monitors(accountId, input.MonitorArn ? [input.MonitorArn] : undefined);
    const feedback = await anomalyMonitors.feedback(accountId);
    const found: Anomaly[] = [];
    for (const monitor of monitors) {
      for (const anomaly of await detectAnomalies(billing, accountId, monitor, from, to)) {
        const given = feedback.get(anomaly.AnomalyId);
        found.push(given === undefined ? anomaly : { ...anomaly, Feedback: given });
      }
    }
    const kept = found
      .filter((a) => input.Feedback === undefined || a.Feedback === input.Feedback)
      .filter((a) => input.TotalImpact === undefined || impactMatches(input.TotalImpact, a.Impact.TotalImpact))
      // The latest first, as the console lists them.
      .sort(
        (a, b) =>
          b.AnomalyStartDate.localeCompare(a.AnomalyStartDate) ||
          a.MonitorArn.localeCompare(b.MonitorArn) ||
          a.DimensionValue.localeCompare(b.DimensionValue),
      );
    const { slice, next } = page(kept, input.MaxResults, input.NextPageToken, DEFAULT_PAGE);
    return { Anomalies: slice, ...(next === undefined ? {} : { NextPageToken: next }) };
  },
};

const provideAnomalyFeedback: Operation<AnomalyServices, ProvideAnomalyFeedbackRequest> = {
  service: 'ce',
  name: 'ProvideAnomalyFeedback',
  mutates: true,
  access: () => [{ action: 'ce:ProvideAnomalyFeedback', resource: '*' }],
  handler: async (input, ctx) => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(input.AnomalyId)) {
      throw validationException(`AnomalyId ${input.AnomalyId} is not an anomaly id.`);
    }
    await ctx.services.anomalyMonitors.provideFeedback(ctx.caller.accountId, input.AnomalyId, input.Feedback);
    return { AnomalyId: input.AnomalyId };
  },
};

export const anomalyOperations = [
  createAnomalyMonitor,
  getAnomalyMonitors,
  updateAnomalyMonitor,
  deleteAnomalyMonitor,
  createAnomalySubscription,
  getAnomalySubscriptions,
  updateAnomalySubscription,
  deleteAnomalySubscription,
  getAnomalies,
  provideAnomalyFeedback,
];
