/**
 * AWS Budgets' budget actions: what a valid action is, how actions and their histories are kept
 * (`billing_budget_action`, `billing_budget_action_history`), and the status machine. What an action does
 * when it runs (attach a policy through IAM, an SCP through Organizations) is Budgets acting in the account
 * as the action's execution role: src/operations/budgets/action-runner.ts.
 *
 * Statuses: an action starts in STANDBY. When its budget's spend crosses its threshold, an AUTOMATIC action
 * runs (EXECUTION_IN_PROGRESS, then EXECUTION_SUCCESS or EXECUTION_FAILURE) and a MANUAL one waits in
 * PENDING for ExecuteBudgetAction APPROVE_BUDGET_ACTION. REVERSE_BUDGET_ACTION undoes a successful run
 * (REVERSE_IN_PROGRESS, then REVERSE_SUCCESS or REVERSE_FAILURE); RETRY_BUDGET_ACTION repeats the step that
 * failed; RESET_BUDGET_ACTION returns an action that is not applied to STANDBY (RESET_IN_PROGRESS, then
 * STANDBY), so it can fire again. A status change is one conditional update on the status it leaves: of two
 * calls racing, one moves the action and the other finds it moved.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type {
  Action,
  ActionHistory,
  ActionStatus,
  ActionThreshold,
  ActionType,
  ApprovalModel,
  Definition,
  EventType,
  ExecutionType,
  NotificationType,
  Subscriber,
} from '../../contracts/wire/budgets.js';
import type { Database } from '../../store/schema.js';
import { duplicateRecord, invalidParameter, notFound, resourceLocked } from './errors.js';
import { notificationState, type Spend } from './spend.js';
import type { ResourceTag } from '../resource-tags.js';

/** An action's members other than its id, its budget and its status: what Create and Update set. */
export interface ActionBody {
  NotificationType: NotificationType;
  ActionType: ActionType;
  ActionThreshold: ActionThreshold;
  Definition: Definition;
  ExecutionRoleArn: string;
  ApprovalModel: ApprovalModel;
  Subscribers: Subscriber[];
}

const DEFINITION_OF: Record<ActionType, keyof Definition> = {
  APPLY_IAM_POLICY: 'IamActionDefinition',
  APPLY_SCP_POLICY: 'ScpActionDefinition',
  RUN_SSM_DOCUMENTS: 'SsmActionDefinition',
};

const ROLE_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):role\//;
const POLICY_ACCOUNT = /^arn:[^:]+:iam::(\d{12}|aws):policy\//;

/** Checks an action's members against each other and the account (the model checked each one alone). */
export function checkActionBody(accountId: string, body: ActionBody): ActionBody {
  const roleAccount = ROLE_ACCOUNT.exec(body.ExecutionRoleArn)?.[1];
  if (roleAccount !== accountId) {
    throw invalidParameter(
      `Invalid ExecutionRoleArn: ${body.ExecutionRoleArn}. Roles and actions must be in the same account.`,
    );
  }
  const expected = DEFINITION_OF[body.ActionType];
  const given = (Object.keys(body.Definition) as (keyof Definition)[]).filter((k) => body.Definition[k] !== undefined);
  if (given.length !== 1 || given[0] !== expected) {
    throw invalidParameter(`An action of type ${body.ActionType} needs a Definition with ${expected} only.`);
  }
  const iam = body.Definition.IamActionDefinition;
  if (iam !== undefined) {
    const policyAccount = POLICY_ACCOUNT.exec(iam.PolicyArn)?.[1];
    if (policyAccount !== accountId && policyAccount !== 'aws') {
      throw invalidParameter(`Invalid PolicyArn: ${iam.PolicyArn}. The policy must be in the action's account.`);
    }
    if ((iam.Roles ?? []).length + (iam.Groups ?? []).length + (iam.Users ?? []).length === 0) {
      throw invalidParameter('An IamActionDefinition needs at least one role, group or user.');
    }
  }
  if (body.Subscribers.filter((s) => s.SubscriptionType === 'SNS').length > 1) {
    throw invalidParameter('An action can have at most one SNS subscriber.');
  }
  const addresses = body.Subscribers.map((s) => `${s.SubscriptionType}|${s.Address}`);
  if (new Set(addresses).size !== addresses.length) {
    throw duplicateRecord('Duplicate subscribers are not allowed in an action.');
  }
  return {
    NotificationType: body.NotificationType,
    ActionType: body.ActionType,
    ActionThreshold: {
      ActionThresholdValue: body.ActionThreshold.ActionThresholdValue,
      ActionThresholdType: body.ActionThreshold.ActionThresholdType,
    },
    Definition: { [expected]: body.Definition[expected] },
    ExecutionRoleArn: body.ExecutionRoleArn,
    ApprovalModel: body.ApprovalModel,
    Subscribers: body.Subscribers.map((s) => ({ SubscriptionType: s.SubscriptionType, Address: s.Address })),
  };
}

type ActionRow = Database['billing_budget_action'];

const actionOf = (row: Pick<ActionRow, 'action_id' | 'budget_name' | 'action' | 'status'>): Action => ({
  ActionId: row.action_id,
  BudgetName: row.budget_name,
  ...(JSON.parse(row.action) as ActionBody),
  Status: row.status as ActionStatus,
});

const bodyOf = (action: Action): string => {
  const { ActionId: _id, BudgetName: _budget, Status: _status, ...body } = action;
  return JSON.stringify(body);
};

const notFoundMessage = (failedAction: string, budgetName: string, actionId: string) =>
  `${failedAction}: ${budgetName}/action/${actionId} - the action doesn't exist.`;

/** A budget's action, or undefined. */
export async function loadAction(
  db: Kysely<Database>,
  accountId: string,
  budgetName: string,
  actionId: string,
): Promise<Action | undefined> {
  const row = await db
    .selectFrom('billing_budget_action')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('budget_name', '=', budgetName)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  return row === undefined ? undefined : actionOf(row);
}

/** A budget's action, or AWS's NotFoundException for it. */
export async function requireAction(
  db: Kysely<Database>,
  accountId: string,
  budgetName: string,
  actionId: string,
  failedAction: string,
): Promise<Action> {
  const action = await loadAction(db, accountId, budgetName, actionId);
  if (action === undefined) throw notFound(notFoundMessage(failedAction, budgetName, actionId));
  return action;
}

/** The account's actions (of one budget, or all), in budget and id order; `status` narrows to one status. */
export async function listActions(
  db: Kysely<Database>,
  accountId: string,
  filter: { budgetName?: string; status?: ActionStatus } = {},
): Promise<Action[]> {
  let query = db.selectFrom('billing_budget_action').selectAll().where('account_id', '=', accountId);
  if (filter.budgetName !== undefined) query = query.where('budget_name', '=', filter.budgetName);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('budget_name').orderBy('created_at').orderBy('action_id').execute();
  return rows.map(actionOf);
}

/** Appends one entry to an action's history (`db`: the transaction that changed the action). */
async function appendHistory(
  db: Kysely<Database>,
  accountId: string,
  action: Action,
  eventType: EventType,
  message: string,
  now: Date,
): Promise<void> {
  const last = await db
    .selectFrom('billing_budget_action_history')
    .select(sql<number | null>`max(seq)`.as('seq'))
    .where('account_id', '=', accountId)
    .where('action_id', '=', action.ActionId)
    .executeTakeFirst();
  await db
    .insertInto('billing_budget_action_history')
    .values({
      account_id: accountId,
      action_id: action.ActionId,
      seq: Number(last?.seq ?? 0) + 1,
      at: now.toISOString(),
      status: action.Status,
      event_type: eventType,
      message,
      action: JSON.stringify(action),
    })
    .execute();
}

/** Stores a new action in STANDBY with its first history entry (`db`: the budget's write transaction). */
export async function insertAction(
  db: Kysely<Database>,
  accountId: string,
  action: Action,
  tags: ResourceTag[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('billing_budget_action')
    .values({
      account_id: accountId,
      action_id: action.ActionId,
      budget_name: action.BudgetName,
      action: bodyOf(action),
      status: action.Status,
      tags: JSON.stringify(tags),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  await appendHistory(db, accountId, action, 'CREATE_ACTION', 'Action created.', now);
}

const IN_PROGRESS: readonly ActionStatus[] = ['EXECUTION_IN_PROGRESS', 'REVERSE_IN_PROGRESS', 'RESET_IN_PROGRESS'];

/** ResourceLockedException while the action is running one of its steps. */
export function checkNotLocked(action: Action, failedAction: string): void {
  if (IN_PROGRESS.includes(action.Status)) {
    throw resourceLocked(
      `${failedAction}: ${action.BudgetName}/action/${action.ActionId} - the action is ${action.Status}; try again when it has finished.`,
    );
  }
}

/** Replaces an action's members (`db`: the budget's write transaction), refused while the action runs. */
export async function updateAction(
  db: Kysely<Database>,
  accountId: string,
  action: Action,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('billing_budget_action')
    .set({ action: bodyOf(action), updated_at: now.toISOString() })
    .where('account_id', '=', accountId)
    .where('action_id', '=', action.ActionId)
    .where('status', '=', action.Status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await appendHistory(db, accountId, action, 'UPDATE_ACTION', 'Action updated.', now);
  return true;
}

/** Deletes an action and its history, unless it has left `status` meanwhile. */
export async function deleteAction(db: Kysely<Database>, accountId: string, action: Action): Promise<boolean> {
  const result = await db
    .deleteFrom('billing_budget_action')
    .where('account_id', '=', accountId)
    .where('action_id', '=', action.ActionId)
    .where('status', '=', action.Status)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  await db
    .deleteFrom('billing_budget_action_history')
    .where('account_id', '=', accountId)
    .where('action_id', '=', action.ActionId)
    .execute();
  return true;
}

/** Deletes every action of a budget with their histories (DeleteBudget; `db`: its transaction). */
export async function deleteBudgetActions(db: Kysely<Database>, accountId: string, budgetName: string): Promise<void> {
  const ids = (await listActions(db, accountId, { budgetName })).map((a) => a.ActionId);
  if (ids.length === 0) return;
  await db
    .deleteFrom('billing_budget_action_history')
    .where('account_id', '=', accountId)
    .where('action_id', 'in', ids)
    .execute();
  await db
    .deleteFrom('billing_budget_action')
    .where('account_id', '=', accountId)
    .where('action_id', 'in', ids)
    .execute();
}

/**
 * Moves an action from `from` to `to` and records it in its history, in one transaction; undefined when the
 * action was no longer in `from` (another call moved it first).
 */
export function moveStatus(
  db: Kysely<Database>,
  accountId: string,
  action: Action,
  to: ActionStatus,
  event: { type: EventType; message: string },
  now: Date,
): Promise<Action | undefined> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('billing_budget_action')
      .set({ status: to, updated_at: now.toISOString() })
      .where('account_id', '=', accountId)
      .where('action_id', '=', action.ActionId)
      .where('status', '=', action.Status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    const moved = { ...action, Status: to };
    await appendHistory(trx, accountId, moved, event.type, event.message, now);
    return moved;
  });
}

/** What running an action does: apply its definition, undo it, or neither (a reset). */
export type ActionStep = 'execute' | 'reverse' | 'reset';

/** Each step's status while it runs, and after it succeeds or fails. */
export const STEP_STATUS: Record<ActionStep, { running: ActionStatus; success: ActionStatus; failure: ActionStatus }> =
  {
    execute: { running: 'EXECUTION_IN_PROGRESS', success: 'EXECUTION_SUCCESS', failure: 'EXECUTION_FAILURE' },
    reverse: { running: 'REVERSE_IN_PROGRESS', success: 'REVERSE_SUCCESS', failure: 'REVERSE_FAILURE' },
    reset: { running: 'RESET_IN_PROGRESS', success: 'STANDBY', failure: 'RESET_FAILURE' },
  };

/** Which step each ExecutionType starts, by the status the action is in; other statuses refuse it. */
const EXECUTIONS: Record<ExecutionType, Partial<Record<ActionStatus, ActionStep>>> = {
  APPROVE_BUDGET_ACTION: { PENDING: 'execute' },
  RETRY_BUDGET_ACTION: { EXECUTION_FAILURE: 'execute', REVERSE_FAILURE: 'reverse', RESET_FAILURE: 'reset' },
  REVERSE_BUDGET_ACTION: { EXECUTION_SUCCESS: 'reverse' },
  // A reset never leaves a policy applied behind it: an executed action is reversed first.
  RESET_BUDGET_ACTION: {
    PENDING: 'reset',
    EXECUTION_FAILURE: 'reset',
    REVERSE_SUCCESS: 'reset',
    REVERSE_FAILURE: 'reset',
    RESET_FAILURE: 'reset',
  },
};

/**
 * The step an ExecuteBudgetAction call starts: ResourceLockedException while a step runs, and
 * InvalidParameterException when the execution type does not apply to the action's status.
 */
export function stepFor(action: Action, executionType: ExecutionType): ActionStep {
  checkNotLocked(action, 'Unable to execute action');
  const step = EXECUTIONS[executionType][action.Status];
  if (step === undefined) {
    const allowed = Object.keys(EXECUTIONS[executionType]).join(', ');
    throw invalidParameter(
      `Unable to execute action: ${executionType} is not valid for an action in status ${action.Status} (valid in: ${allowed}).`,
    );
  }
  return step;
}

/** Whether the budget's spend has crossed the action's threshold (as a GREATER_THAN notification would be in ALARM). */
export function thresholdCrossed(action: Action, spend: Spend, limit: string | undefined): boolean {
  return (
    notificationState(
      {
        NotificationType: action.NotificationType,
        ComparisonOperator: 'GREATER_THAN',
        Threshold: action.ActionThreshold.ActionThresholdValue,
        ThresholdType: action.ActionThreshold.ActionThresholdType,
      },
      spend,
      limit,
    ) === 'ALARM'
  );
}

/** An action's history, oldest first, within the time period asked (inclusive start, exclusive end). */
export async function actionHistories(
  db: Kysely<Database>,
  accountId: string,
  actionId: string,
  period: { Start?: Date; End?: Date } = {},
): Promise<ActionHistory[]> {
  let query = db
    .selectFrom('billing_budget_action_history')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('action_id', '=', actionId);
  if (period.Start !== undefined) query = query.where('at', '>=', period.Start.toISOString());
  if (period.End !== undefined) query = query.where('at', '<', period.End.toISOString());
  const rows = await query.orderBy('seq').execute();
  return rows.map((row) => ({
    Timestamp: new Date(row.at),
    Status: row.status as ActionStatus,
    EventType: row.event_type as EventType,
    ActionHistoryDetails: { Message: row.message, Action: JSON.parse(row.action) as Action },
  }));
}

/**
 * The action as it was when it was last applied (its EXECUTION_SUCCESS history entry): what reversing it must
 * undo, even if its definition has been updated since.
 */
export async function lastApplied(
  db: Kysely<Database>,
  accountId: string,
  actionId: string,
): Promise<Action | undefined> {
  const row = await db
    .selectFrom('billing_budget_action_history')
    .select('action')
    .where('account_id', '=', accountId)
    .where('action_id', '=', actionId)
    .where('status', '=', 'EXECUTION_SUCCESS')
    // The step's own entry: an update made since is recorded with the status it found.
    .where('event_type', 'in', ['SYSTEM', 'EXECUTE_ACTION'])
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.action) as Action);
}

/** An action's tags, or NotFoundException. */
export async function actionTags(
  db: Kysely<Database>,
  accountId: string,
  budgetName: string,
  actionId: string,
): Promise<ResourceTag[]> {
  const row = await db
    .selectFrom('billing_budget_action')
    .select('tags')
    .where('account_id', '=', accountId)
    .where('budget_name', '=', budgetName)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  if (row === undefined) throw notFound(notFoundMessage('Unable to get tags', budgetName, actionId));
  return JSON.parse(row.tags) as ResourceTag[];
}

/** Replaces an action's tags (`db`: the budget's write transaction). */
export async function saveActionTags(
  db: Kysely<Database>,
  accountId: string,
  actionId: string,
  tags: string,
): Promise<void> {
  await db
    .updateTable('billing_budget_action')
    .set({ tags })
    .where('account_id', '=', accountId)
    .where('action_id', '=', actionId)
    .execute();
}
