/** Tables of AWS Budgets' budget actions (see `src/billing/budgets/actions.ts`). */

/**
 * One budget action: AWS's members other than its id, budget and status (NotificationType, ActionType,
 * ActionThreshold, Definition, ExecutionRoleArn, ApprovalModel, Subscribers) as JSON. `status` is AWS's
 * ActionStatus; a status change is a conditional update on it, so two executions cannot both start.
 */
export interface BillingBudgetActionTable {
  account_id: string;
  action_id: string;
  budget_name: string;
  action: string;
  status: string;
  /** The action's tags, `[{Key, Value}]` as JSON. */
  tags: string;
  created_at: string;
  updated_at: string;
}

/** One entry of an action's history: the status it reached, why (EventType, Message) and the action as it was. */
export interface BillingBudgetActionHistoryTable {
  account_id: string;
  action_id: string;
  /** Order within the action's history (timestamps can tie). */
  seq: number;
  at: string;
  status: string;
  event_type: string;
  message: string;
  action: string;
}

export interface BudgetActionTables {
  billing_budget_action: BillingBudgetActionTable;
  billing_budget_action_history: BillingBudgetActionHistoryTable;
}
