/**
 * Cost Anomaly Detection, per account: anomaly monitors (DIMENSIONAL by SERVICE, or CUSTOM over an
 * Expression), anomaly subscriptions (who hears of a monitor's anomalies, above which impact, how often) and the
 * feedback given on anomalies. Anomalies are not stored: `detectAnomalies` computes them from the daily cost
 * data Bursar holds whenever they are asked for, so they follow re-imported data, and only feedback is kept,
 * by the anomaly's id (a hash of monitor, service and start day, the same at every computation).
 *
 * ARNs are `arn:aws:ce::ACCOUNT:anomalymonitor/UUID` and `arn:aws:ce::ACCOUNT:anomalysubscription/UUID`.
 * The operations over them are in src/operations/ce/anomalies.ts.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { validationException } from '../../core/errors.js';
import type { Clock } from '../../platform/clock.js';
import { uuid, type IdSource } from '../../platform/ids.js';
import { accountWrite } from '../../store/locks.js';
import type { Database } from '../../store/schema.js';
import type { Billing } from '../billing.js';
import type { ResourceTag } from '../resource-tags.js';
import { checkExpression, costCategoryRules } from './cost-categories.js';
import type { Expression } from './cost-query.js';
import { limitExceeded, unknownMonitor, unknownSubscription } from './errors.js';

export interface AnomalyMonitorDefinition {
  MonitorName: string;
  MonitorType: string;
  MonitorDimension?: string;
  MonitorSpecification?: Expression;
}

export interface Subscriber {
  Address?: string;
  Type?: string;
  Status?: string;
}

export interface AnomalySubscriptionDefinition {
  MonitorArnList: string[];
  Subscribers: Subscriber[];
  Threshold?: number;
  ThresholdExpression?: Expression;
  Frequency: string;
  SubscriptionName: string;
}

/**
 * AWS's Cost Anomaly Detection quotas: one AWS-services (DIMENSIONAL SERVICE) monitor per account, 500
 * monitors and 500 subscriptions in all, 10 e-mail subscribers or one SNS topic per subscription.
 */
const MONITOR_QUOTA = 500;
const SUBSCRIPTION_QUOTA = 500;
const EMAIL_SUBSCRIBERS = 10;

/** Trailing days a day's expected spend is computed from. */
export const ANOMALY_BASELINE_DAYS = 14;
/** A day is anomalous when its spend exceeds the expected by more than this many standard deviations… */
const BAND_SIGMAS = 3;
/** …and by more than this fraction of the expected spend… */
const BAND_FRACTION = 0.2;
/** …and by at least this many USD. */
const MIN_DAILY_IMPACT = 1;
/** Root causes listed per anomaly, the largest contributors first. */
const ROOT_CAUSES = 3;

export const anomalyMonitorArn = (accountId: string, id: string) => `arn:aws:ce::${accountId}:anomalymonitor/${id}`;
export const anomalySubscriptionArn = (accountId: string, id: string) =>
  `arn:aws:ce::${accountId}:anomalysubscription/${id}`;

/** The UUID an ARN of the account's `kind` ends with, or undefined. */
export function idOf(accountId: string, kind: 'anomalymonitor' | 'anomalysubscription' | 'costcategory', arn: string) {
  const prefix = `arn:aws:ce::${accountId}:${kind}/`;
  const id = arn.startsWith(prefix) ? arn.slice(prefix.length) : '';
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function checkName(what: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '' || value.length > 1024) {
    throw validationException(`${what} must be 1 to 1024 characters.`);
  }
  return value;
}

const THRESHOLD_KEYS = new Set(['ANOMALY_TOTAL_IMPACT_ABSOLUTE', 'ANOMALY_TOTAL_IMPACT_PERCENTAGE']);

/** A ThresholdExpression: one impact threshold, or an And/Or of the absolute and the percentage one. */
function checkThresholdExpression(expression: Expression): void {
  const list = expression.And ?? expression.Or;
  if (list !== undefined) {
    if (list.length !== 2 || expression.Not !== undefined || expression.Dimensions !== undefined) {
      throw validationException('A ThresholdExpression combines exactly two thresholds with And or Or.');
    }
    for (const child of list) {
      if (child.And !== undefined || child.Or !== undefined) {
        throw validationException('A ThresholdExpression nests And or Or only once.');
      }
      checkThresholdExpression(child);
    }
    return;
  }
  const leaf = expression.Dimensions;
  if (leaf === undefined || expression.Not !== undefined || expression.Tags !== undefined) {
    throw validationException(
      'A ThresholdExpression is Dimensions of ANOMALY_TOTAL_IMPACT_ABSOLUTE or ANOMALY_TOTAL_IMPACT_PERCENTAGE.',
    );
  }
  if (!THRESHOLD_KEYS.has(leaf.Key)) throw validationException(`Dimension ${leaf.Key} is not a threshold dimension.`);
  if ((leaf.MatchOptions ?? []).join() !== 'GREATER_THAN_OR_EQUAL') {
    throw validationException('Threshold dimensions take MatchOptions [GREATER_THAN_OR_EQUAL].');
  }
  const values = leaf.Values ?? [];
  if (values.length !== 1 || !/^\d+(\.\d+)?$/.test(values[0]!)) {
    throw validationException('A threshold dimension takes one non-negative number in Values.');
  }
}

/** Whether an anomaly's impact meets a subscription's ThresholdExpression. */
export function meetsThreshold(expression: Expression, impact: { total: number; percentage?: number }): boolean {
  if (expression.And !== undefined) return expression.And.every((e) => meetsThreshold(e, impact));
  if (expression.Or !== undefined) return expression.Or.some((e) => meetsThreshold(e, impact));
  const leaf = expression.Dimensions!;
  const value = leaf.Key === 'ANOMALY_TOTAL_IMPACT_ABSOLUTE' ? impact.total : (impact.percentage ?? 0);
  return value >= Number(leaf.Values![0]);
}

function checkSubscribers(subscribers: Subscriber[], frequency: string): void {
  if (subscribers.length === 0) throw validationException('Subscribers must name at least one subscriber.');
  const sns = subscribers.filter((s) => s.Type === 'SNS');
  const email = subscribers.filter((s) => s.Type === 'EMAIL');
  if (sns.length + email.length !== subscribers.length) {
    throw validationException('Each subscriber needs Type EMAIL or SNS.');
  }
  for (const s of subscribers) {
    const ok =
      s.Type === 'EMAIL'
        ? /^[^@\s]+@[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)+$/.test(s.Address ?? '')
        : /^arn:aws[a-zA-Z-]*:sns:[a-zA-Z0-9-]+:\d{12}:[a-zA-Z0-9_-]+(\.fifo)?$/.test(s.Address ?? '');
    if (!ok) throw validationException(`Subscriber address ${s.Address ?? ''} is not a valid ${s.Type} address.`);
  }
  // AWS sends IMMEDIATE alerts only to an SNS topic, and daily or weekly summaries by e-mail.
  if (frequency === 'IMMEDIATE' && email.length > 0) {
    throw validationException('Subscriptions with IMMEDIATE frequency take SNS subscribers only.');
  }
  if (frequency !== 'IMMEDIATE' && sns.length > 0) {
    throw validationException(`Subscriptions with ${frequency} frequency take EMAIL subscribers only.`);
  }
  if (email.length > EMAIL_SUBSCRIBERS) {
    throw limitExceeded(`A subscription can have at most ${EMAIL_SUBSCRIBERS} e-mail subscribers.`);
  }
  if (sns.length > 1) throw limitExceeded('A subscription can have at most one SNS topic.');
}

type MonitorRow = Database['ce_anomaly_monitor'];
type SubscriptionRow = Database['ce_anomaly_subscription'];

/** What a stored monitor says, in AWS's shape. */
export interface StoredMonitor {
  MonitorArn: string;
  MonitorName: string;
  CreationDate: string;
  LastUpdatedDate: string;
  MonitorType: string;
  MonitorDimension?: string;
  MonitorSpecification?: Expression;
}

function monitorOf(row: MonitorRow): StoredMonitor {
  return {
    MonitorArn: anomalyMonitorArn(row.account_id, row.monitor_id),
    MonitorName: row.name,
    CreationDate: row.created_at.slice(0, 10),
    LastUpdatedDate: row.updated_at.slice(0, 10),
    MonitorType: row.monitor_type,
    ...(row.dimension === null ? {} : { MonitorDimension: row.dimension }),
    ...(row.specification === null ? {} : { MonitorSpecification: JSON.parse(row.specification) as Expression }),
  };
}

function subscriptionOf(row: SubscriptionRow) {
  return {
    SubscriptionArn: anomalySubscriptionArn(row.account_id, row.subscription_id),
    AccountId: row.account_id,
    ...(JSON.parse(row.definition) as Omit<AnomalySubscriptionDefinition, 'SubscriptionName'>),
    SubscriptionName: row.name,
  };
}

export class AnomalyMonitors {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  async createMonitor(accountId: string, monitor: AnomalyMonitorDefinition, tags: ResourceTag[]): Promise<string> {
    const name = checkName('MonitorName', monitor.MonitorName);
    let dimension: string | null = null;
    let specification: string | null = null;
    if (monitor.MonitorType === 'DIMENSIONAL') {
      if (monitor.MonitorDimension !== 'SERVICE') {
        throw validationException('A DIMENSIONAL monitor needs MonitorDimension SERVICE.');
      }
      if (monitor.MonitorSpecification !== undefined) {
        throw validationException('A DIMENSIONAL monitor takes no MonitorSpecification.');
      }
      dimension = 'SERVICE';
    } else if (monitor.MonitorType === 'CUSTOM') {
      if (monitor.MonitorDimension !== undefined)
        throw validationException('A CUSTOM monitor takes no MonitorDimension.');
      if (monitor.MonitorSpecification === undefined) {
        throw validationException('A CUSTOM monitor needs a MonitorSpecification.');
      }
      const references = new Set<string>();
      checkExpression(monitor.MonitorSpecification, references);
      const categories = await this.db
        .selectFrom('ce_cost_category')
        .select('name')
        .where('account_id', '=', accountId)
        .execute();
      const names = new Set(categories.map((c) => c.name));
      for (const reference of references) {
        if (!names.has(reference)) throw validationException(`Cost category ${reference} does not exist.`);
      }
      specification = JSON.stringify(monitor.MonitorSpecification);
    } else {
      throw validationException(`MonitorType ${String(monitor.MonitorType)} is not valid; use DIMENSIONAL or CUSTOM.`);
    }
    const id = uuid(this.ids);
    const now = this.clock.now().toISOString();
    await accountWrite(this.db, accountId, async (trx) => {
      const rows = await trx
        .selectFrom('ce_anomaly_monitor')
        .select('monitor_type')
        .where('account_id', '=', accountId)
        .execute();
      if (rows.length >= MONITOR_QUOTA) {
        throw limitExceeded(`You've reached the limit of ${MONITOR_QUOTA} anomaly monitors for this account.`);
      }
      if (dimension !== null && rows.some((row) => row.monitor_type === 'DIMENSIONAL')) {
        throw limitExceeded('An account can have only one DIMENSIONAL (AWS services) anomaly monitor.');
      }
      await trx
        .insertInto('ce_anomaly_monitor')
        .values({
          account_id: accountId,
          monitor_id: id,
          name,
          monitor_type: monitor.MonitorType,
          dimension,
          specification,
          tags: JSON.stringify(tags),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return anomalyMonitorArn(accountId, id);
  }

  /** The named monitors (every one named must exist), or all the account's, in creation order. */
  async monitors(accountId: string, arns?: string[]): Promise<StoredMonitor[]> {
    const rows = await this.db
      .selectFrom('ce_anomaly_monitor')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('monitor_id')
      .execute();
    const all = rows.map(monitorOf);
    if (arns === undefined || arns.length === 0) return all;
    return arns.map((arn) => all.find((m) => m.MonitorArn === arn) ?? throwing(unknownMonitor(arn)));
  }

  async updateMonitor(accountId: string, arn: string, name: string | undefined): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const id = await this.monitorId(trx, accountId, arn);
      await trx
        .updateTable('ce_anomaly_monitor')
        .set({
          ...(name === undefined ? {} : { name: checkName('MonitorName', name) }),
          updated_at: this.clock.now().toISOString(),
        })
        .where('account_id', '=', accountId)
        .where('monitor_id', '=', id)
        .execute();
    });
  }

  /** Deletes a monitor; subscriptions lose it from their MonitorArnList. */
  async deleteMonitor(accountId: string, arn: string): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const id = await this.monitorId(trx, accountId, arn);
      await trx
        .deleteFrom('ce_anomaly_monitor')
        .where('account_id', '=', accountId)
        .where('monitor_id', '=', id)
        .execute();
      const subscriptions = await trx
        .selectFrom('ce_anomaly_subscription')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute();
      for (const row of subscriptions) {
        const definition = JSON.parse(row.definition) as AnomalySubscriptionDefinition;
        if (!definition.MonitorArnList.includes(arn)) continue;
        definition.MonitorArnList = definition.MonitorArnList.filter((m) => m !== arn);
        await trx
          .updateTable('ce_anomaly_subscription')
          .set({ definition: JSON.stringify(definition) })
          .where('account_id', '=', accountId)
          .where('subscription_id', '=', row.subscription_id)
          .execute();
      }
    });
  }

  async createSubscription(
    accountId: string,
    subscription: AnomalySubscriptionDefinition,
    tags: ResourceTag[],
  ): Promise<string> {
    const definition = this.checkSubscription(subscription);
    const id = uuid(this.ids);
    const now = this.clock.now().toISOString();
    await accountWrite(this.db, accountId, async (trx) => {
      await this.checkMonitors(trx, accountId, definition.MonitorArnList);
      const count = await trx
        .selectFrom('ce_anomaly_subscription')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= SUBSCRIPTION_QUOTA) {
        throw limitExceeded(
          `You've reached the limit of ${SUBSCRIPTION_QUOTA} anomaly subscriptions for this account.`,
        );
      }
      const { SubscriptionName, ...rest } = definition;
      await trx
        .insertInto('ce_anomaly_subscription')
        .values({
          account_id: accountId,
          subscription_id: id,
          name: SubscriptionName,
          definition: JSON.stringify(rest),
          tags: JSON.stringify(tags),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return anomalySubscriptionArn(accountId, id);
  }

  /** The named subscriptions (each must exist), or the account's, optionally only those of one monitor. */
  async subscriptions(accountId: string, arns?: string[], monitorArn?: string) {
    const rows = await this.db
      .selectFrom('ce_anomaly_subscription')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('subscription_id')
      .execute();
    let all = rows.map(subscriptionOf);
    if (arns !== undefined && arns.length > 0) {
      all = arns.map((arn) => all.find((s) => s.SubscriptionArn === arn) ?? throwing(unknownSubscription(arn)));
    }
    return monitorArn === undefined ? all : all.filter((s) => s.MonitorArnList.includes(monitorArn));
  }

  /** Changes the members given; the others stay. */
  async updateSubscription(
    accountId: string,
    arn: string,
    change: Partial<AnomalySubscriptionDefinition>,
  ): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await this.subscriptionRow(trx, accountId, arn);
      const current = subscriptionOf(row);
      // A new ThresholdExpression replaces the (deprecated) Threshold and the other way round.
      const threshold =
        change.ThresholdExpression !== undefined
          ? { ThresholdExpression: change.ThresholdExpression }
          : change.Threshold !== undefined
            ? { Threshold: change.Threshold }
            : {
                ...(current.Threshold === undefined ? {} : { Threshold: current.Threshold }),
                ...(current.ThresholdExpression === undefined
                  ? {}
                  : { ThresholdExpression: current.ThresholdExpression }),
              };
      const definition = this.checkSubscription({
        MonitorArnList: change.MonitorArnList ?? current.MonitorArnList,
        Subscribers: change.Subscribers ?? current.Subscribers,
        Frequency: change.Frequency ?? current.Frequency,
        SubscriptionName: change.SubscriptionName ?? current.SubscriptionName,
        ...threshold,
      });
      if (change.MonitorArnList !== undefined) await this.checkMonitors(trx, accountId, change.MonitorArnList);
      const { SubscriptionName, ...rest } = definition;
      await trx
        .updateTable('ce_anomaly_subscription')
        .set({ name: SubscriptionName, definition: JSON.stringify(rest), updated_at: this.clock.now().toISOString() })
        .where('account_id', '=', accountId)
        .where('subscription_id', '=', row.subscription_id)
        .execute();
    });
  }

  async deleteSubscription(accountId: string, arn: string): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await this.subscriptionRow(trx, accountId, arn);
      await trx
        .deleteFrom('ce_anomaly_subscription')
        .where('account_id', '=', accountId)
        .where('subscription_id', '=', row.subscription_id)
        .execute();
    });
  }

  /** Records feedback on an anomaly; the id must be one of an anomaly the account's monitors found. */
  async provideFeedback(accountId: string, anomalyId: string, feedback: string): Promise<void> {
    const now = this.clock.now().toISOString();
    await accountWrite(this.db, accountId, async (trx) => {
      await trx
        .deleteFrom('ce_anomaly_feedback')
        .where('account_id', '=', accountId)
        .where('anomaly_id', '=', anomalyId)
        .execute();
      await trx
        .insertInto('ce_anomaly_feedback')
        .values({ account_id: accountId, anomaly_id: anomalyId, feedback, updated_at: now })
        .execute();
    });
  }

  async feedback(accountId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('ce_anomaly_feedback')
      .select(['anomaly_id', 'feedback'])
      .where('account_id', '=', accountId)
      .execute();
    return new Map(rows.map((row) => [row.anomaly_id, row.feedback]));
  }

  private checkSubscription(subscription: AnomalySubscriptionDefinition): AnomalySubscriptionDefinition {
    const name = checkName('SubscriptionName', subscription.SubscriptionName);
    if (!['DAILY', 'IMMEDIATE', 'WEEKLY'].includes(subscription.Frequency)) {
      throw validationException(`Frequency ${subscription.Frequency} is not valid; use DAILY, IMMEDIATE or WEEKLY.`);
    }
    const monitors = [...new Set(subscription.MonitorArnList ?? [])];
    if (monitors.length === 0) throw validationException('MonitorArnList must name at least one monitor.');
    checkSubscribers(subscription.Subscribers ?? [], subscription.Frequency);
    const { Threshold, ThresholdExpression } = subscription;
    if (Threshold !== undefined && ThresholdExpression !== undefined) {
      throw validationException('Give either Threshold or ThresholdExpression, not both.');
    }
    if (Threshold === undefined && ThresholdExpression === undefined) {
      throw validationException('A subscription needs a ThresholdExpression.');
    }
    if (ThresholdExpression !== undefined) checkThresholdExpression(ThresholdExpression);
    if (Threshold !== undefined && !(Threshold >= 0)) throw validationException('Threshold must be 0 or more.');
    return {
      MonitorArnList: monitors,
      Subscribers: subscription.Subscribers.map((s) => ({
        Address: s.Address,
        Type: s.Type,
        Status: s.Status ?? 'CONFIRMED',
      })),
      Frequency: subscription.Frequency,
      SubscriptionName: name,
      ...(Threshold === undefined ? {} : { Threshold }),
      ...(ThresholdExpression === undefined ? {} : { ThresholdExpression }),
    };
  }

  private async checkMonitors(db: Kysely<Database>, accountId: string, arns: string[]): Promise<void> {
    for (const arn of arns) await this.monitorId(db, accountId, arn);
  }

  private async monitorId(db: Kysely<Database>, accountId: string, arn: string): Promise<string> {
    const id = idOf(accountId, 'anomalymonitor', arn);
    const row =
      id === undefined
        ? undefined
        : await db
            .selectFrom('ce_anomaly_monitor')
            .select('monitor_id')
            .where('account_id', '=', accountId)
            .where('monitor_id', '=', id)
            .executeTakeFirst();
    if (row === undefined) throw unknownMonitor(arn);
    return row.monitor_id;
  }

  private async subscriptionRow(db: Kysely<Database>, accountId: string, arn: string): Promise<SubscriptionRow> {
    const id = idOf(accountId, 'anomalysubscription', arn);
    const row =
      id === undefined
        ? undefined
        : await db
            .selectFrom('ce_anomaly_subscription')
            .selectAll()
            .where('account_id', '=', accountId)
            .where('subscription_id', '=', id)
            .executeTakeFirst();
    if (row === undefined) throw unknownSubscription(arn);
    return row;
  }
}

function throwing(error: Error): never {
  throw error;
}

export interface Anomaly {
  AnomalyId: string;
  AnomalyStartDate: string;
  AnomalyEndDate: string;
  DimensionValue: string;
  RootCauses: Array<{
    Service: string;
    Region: string;
    LinkedAccount: string;
    LinkedAccountName: string;
    UsageType: string;
  }>;
  AnomalyScore: { MaxScore: number; CurrentScore: number };
  Impact: {
    MaxImpact: number;
    TotalImpact: number;
    TotalActualSpend: number;
    TotalExpectedSpend: number;
    TotalImpactPercentage?: number;
  };
  MonitorArn: string;
  Feedback?: string;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sigma = (values: number[], m: number) =>
  Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, values.length - 1));

/** A stable id for an anomaly: the same monitor, service and start day give the same id at every computation. */
function anomalyId(monitorArn: string, service: string, start: string): string {
  const hex = createHash('sha256').update(`${monitorArn}\n${service}\n${start}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The anomalies a monitor finds starting on days `from` to `to` (inclusive, `YYYY-MM-DD`), from the daily
 * UnblendedCost the account may see — per service (a CUSTOM monitor's cost first narrowed by its
 * MonitorSpecification). The method, per service and day:
 * - expected spend: the mean of the ANOMALY_BASELINE_DAYS days before (a day with no cost counts 0; a day found
 *   anomalous counts as its expected spend, so a spike does not raise the baseline of the days after it);
 * - the day is anomalous when its spend exceeds the expected by more than BAND_SIGMAS standard deviations of
 *   the baseline, more than BAND_FRACTION of the expected, and at least MIN_DAILY_IMPACT USD;
 * - consecutive anomalous days make one anomaly: TotalActualSpend and TotalExpectedSpend add the days' spend,
 *   TotalImpact is their difference, MaxImpact the largest day's, TotalImpactPercentage the impact over the
 *   expected (absent when nothing was expected); a day's score is its impact over its spend (0–1), MaxScore the
 *   highest, CurrentScore the last day's;
 * - root causes: the anomaly's cost by linked account, Region and usage type against the same combination's
 *   mean over the baseline days before the anomaly, the ROOT_CAUSES largest increases.
 * Money becomes floats only here: an anomaly's impact is an estimate, and AWS answers it as doubles.
 */
export async function detectAnomalies(
  billing: Billing,
  accountId: string,
  monitor: StoredMonitor,
  from: string,
  to: string,
): Promise<Anomaly[]> {
  const scope = await billing.scopeOf(accountId);
  const specification = monitor.MonitorSpecification;
  const categories = JSON.stringify(specification ?? {}).includes('"CostCategories"')
    ? await costCategoryRules(billing, accountId)
    : undefined;
  const historyStart = addDays(from, -ANOMALY_BASELINE_DAYS);
  const end = addDays(to, 1);
  const rows = await billing.queries.costAndUsage({
    start: historyStart,
    end,
    granularity: 'DAILY',
    metrics: ['UnblendedCost'],
    groupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    filter: specification,
    scope,
    categories,
  });
  const days: string[] = [];
  for (let day = historyStart; day < end; day = addDays(day, 1)) days.push(day);
  const series = new Map<string, number[]>();
  for (const row of rows) {
    const service = row.keys[0]!;
    const values = series.get(service) ?? days.map(() => 0);
    values[days.indexOf(row.bucket)] = Number(row.amounts.UnblendedCost);
    series.set(service, values);
  }
  const found: Anomaly[] = [];
  for (const [service, actual] of series) {
    const baseline = [...actual];
    let run: Array<{ day: string; actual: number; expected: number }> = [];
    const close = async () => {
      if (run.length > 0) found.push(await anomalyOf(billing, scope, monitor, service, run, categories));
      run = [];
    };
    for (let i = ANOMALY_BASELINE_DAYS; i < days.length; i++) {
      const window = baseline.slice(i - ANOMALY_BASELINE_DAYS, i);
      const expected = mean(window);
      const excess = actual[i]! - expected;
      const band = Math.max(BAND_SIGMAS * sigma(window, expected), BAND_FRACTION * expected, MIN_DAILY_IMPACT);
      if (excess > band) {
        baseline[i] = expected;
        run.push({ day: days[i]!, actual: actual[i]!, expected });
      } else {
        await close();
      }
    }
    await close();
  }
  return found;
}

async function anomalyOf(
  billing: Billing,
  scope: Awaited<ReturnType<Billing['scopeOf']>>,
  monitor: StoredMonitor,
  service: string,
  run: Array<{ day: string; actual: number; expected: number }>,
  categories: Awaited<ReturnType<typeof costCategoryRules>> | undefined,
): Promise<Anomaly> {
  const start = run[0]!.day;
  const last = run.at(-1)!.day;
  const actual = run.reduce((a, d) => a + d.actual, 0);
  const expected = run.reduce((a, d) => a + d.expected, 0);
  const scores = run.map((d) => (d.actual > 0 ? (d.actual - d.expected) / d.actual : 0));
  const serviceFilter = { Dimensions: { Key: 'SERVICE', Values: [service] } };
  const rows = await billing.queries.costAndUsage({
    start: addDays(start, -ANOMALY_BASELINE_DAYS),
    end: addDays(last, 1),
    granularity: 'DAILY',
    metrics: ['UnblendedCost'],
    groupBy: [
      { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      { Type: 'DIMENSION', Key: 'REGION' },
      { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
    ],
    filter:
      monitor.MonitorSpecification === undefined
        ? serviceFilter
        : { And: [monitor.MonitorSpecification, serviceFilter] },
    scope,
    categories,
  });
  const contributions = new Map<string, { keys: string[]; before: number; during: number }>();
  for (const row of rows) {
    const key = row.keys.join('\n');
    const entry = contributions.get(key) ?? { keys: row.keys, before: 0, during: 0 };
    const amount = Number(row.amounts.UnblendedCost);
    if (row.bucket < start) entry.before += amount;
    else entry.during += amount;
    contributions.set(key, entry);
  }
  const increases = [...contributions.values()]
    .map((c) => ({ keys: c.keys, increase: c.during - (c.before / ANOMALY_BASELINE_DAYS) * run.length }))
    .filter((c) => c.increase > 0)
    .sort((a, b) => b.increase - a.increase)
    .slice(0, ROOT_CAUSES);
  const names = await billing.queries.accountNames(
    scope,
    increases.map((c) => c.keys[0]!),
  );
  return {
    AnomalyId: anomalyId(monitor.MonitorArn, service, start),
    AnomalyStartDate: start,
    AnomalyEndDate: last,
    DimensionValue: service,
    RootCauses: increases.map(({ keys: [account, region, usageType] }) => ({
      Service: service,
      Region: region!,
      LinkedAccount: account!,
      LinkedAccountName: names.get(account!) ?? account!,
      UsageType: usageType!,
    })),
    AnomalyScore: { MaxScore: round(Math.max(...scores), 4), CurrentScore: round(scores.at(-1)!, 4) },
    Impact: {
      MaxImpact: round(Math.max(...run.map((d) => d.actual - d.expected))),
      TotalImpact: round(actual - expected),
      TotalActualSpend: round(actual),
      TotalExpectedSpend: round(expected),
      ...(expected > 0 ? { TotalImpactPercentage: round(((actual - expected) / expected) * 100) } : {}),
    },
    MonitorArn: monitor.MonitorArn,
  };
}
