/** Cost Explorer shapes as Bursar returns them, where it promises more than AWS's model requires. */
import type { Returned } from './json.js';
import type * as ce from './wire/ce.js';

export type MetricValue = Returned<ce.MetricValue, 'Amount' | 'Unit'>;

/** GetCostAndUsage's answer: every period with its time period; every group with its keys and metrics. */
export interface CostAndUsage {
  ResultsByTime: (Returned<ce.ResultByTime, 'TimePeriod'> & {
    Total?: Record<string, MetricValue>;
    Groups?: (Returned<ce.Group, 'Keys'> & { Metrics: Record<string, MetricValue> })[];
  })[];
}

/** A GetDimensionValues entry: always with its value. */
export type DimensionValue = Returned<ce.DimensionValuesWithAttributes, 'Value'>;
