/** Tables of Cost Explorer's own resources (see `src/billing/costs/cost-categories.ts` and `anomalies.ts`). */

/**
 * One cost category: AWS's definition members (RuleVersion, Rules, DefaultValue, SplitChargeRules) as JSON,
 * by the UUID its ARN ends with. Names are unique per account.
 */
export interface CeCostCategoryTable {
  account_id: string;
  category_id: string;
  name: string;
  definition: string;
  /** The category's tags, `[{Key, Value}]` as JSON. */
  tags: string;
  /** `YYYY-MM-DDT00:00:00Z`, the first day of the month its rules apply from. */
  effective_start: string;
  created_at: string;
  updated_at: string;
}

/**
 * One version of a cost category: the definition (as `ce_cost_category.definition`) in force from its
 * `effective_start` until the next version's. `ce_cost_category` holds the latest.
 */
export interface CeCostCategoryVersionTable {
  account_id: string;
  category_id: string;
  /** `YYYY-MM-DDT00:00:00Z`, the first day of a month. */
  effective_start: string;
  definition: string;
}

/** One anomaly monitor (src/billing/costs/anomalies.ts): DIMENSIONAL by SERVICE, or CUSTOM over an Expression. */
export interface CeAnomalyMonitorTable {
  account_id: string;
  monitor_id: string;
  name: string;
  /** `DIMENSIONAL` or `CUSTOM`. */
  monitor_type: string;
  /** `SERVICE` for a DIMENSIONAL monitor, else null. */
  dimension: string | null;
  /** A CUSTOM monitor's MonitorSpecification (an Expression) as JSON, else null. */
  specification: string | null;
  /** `[{Key, Value}]` as JSON. */
  tags: string;
  created_at: string;
  updated_at: string;
}

/** One anomaly subscription: its AWS members (monitors, subscribers, threshold, frequency) as JSON. */
export interface CeAnomalySubscriptionTable {
  account_id: string;
  subscription_id: string;
  name: string;
  definition: string;
  /** `[{Key, Value}]` as JSON. */
  tags: string;
  created_at: string;
  updated_at: string;
}

/** ProvideAnomalyFeedback's answer for one anomaly (anomalies themselves are computed, not stored). */
export interface CeAnomalyFeedbackTable {
  account_id: string;
  anomaly_id: string;
  /** `YES`, `NO` or `PLANNED_ACTIVITY`. */
  feedback: string;
  updated_at: string;
}

export interface CeTables {
  ce_cost_category: CeCostCategoryTable;
  ce_cost_category_version: CeCostCategoryVersionTable;
  ce_anomaly_monitor: CeAnomalyMonitorTable;
  ce_anomaly_subscription: CeAnomalySubscriptionTable;
  ce_anomaly_feedback: CeAnomalyFeedbackTable;
}
