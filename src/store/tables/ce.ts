/** Tables of Cost Explorer's own resources (see `src/billing/costs/cost-categories.ts`). */

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

export interface CeTables {
  ce_cost_category: CeCostCategoryTable;
}
