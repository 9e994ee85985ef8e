/**
 * Budgets acting in an account: running a budget action's steps, and firing the actions whose threshold
 * the budget's spend has crossed.
 *
 * As in AWS, Budgets assumes the action's execution role and makes the calls as that role's session: the
 * role's trust policy must let `budgets.amazonaws.com` call `sts:AssumeRole`, and each call (IAM's
 * Attach/Detach{Role,Group,User}Policy, Organizations' AttachPolicy/DetachPolicy) goes through invoke() as
 * the session, so the role's policies, boundary and SCPs decide it and the audit trail records it as the
 * role's, from `budgets.amazonaws.com`. A refusal or error fails the step with its code and message.
 *
 * RUN_SSM_DOCUMENTS actions (stop EC2 or RDS instances) are kept, but Bursar has no instances: running one
 * fails with a message saying so.
 *
 * When actions fire: Bursar has no background evaluator; a budget's spend and notification state are
 * computed when they are read. Actions are evaluated the same way, when any budget action of the account is
 * read (DescribeBudgetAction, DescribeBudgetActionsForBudget/ForAccount, DescribeBudgetActionHistories) —
 * which is how the console, the SDKs and Terraform watch them.
 */
import type { BillingServices } from '../../billing/billing.js';
import {
  lastApplied,
  listActions,
  moveStatus,
  STEP_STATUS,
  thresholdCrossed,
  type ActionStep,
} from '../../billing/budgets/actions.js';
import { load, spendOf } from '../../billing/budgets/budgets.js';
import type { Action, EventType } from '../../contracts/wire/budgets.js';
import type { Evaluator } from '../../core/access.js';
import { ServiceError } from '../../core/errors.js';
import { ANONYMOUS_CALLER, type Caller, type RequestFacts } from '../../core/operation.js';
import type { IamServices } from '../../iam/index.js';
import { uuid } from '../../platform/ids.js';
import type { Invoke } from '../invoke.js';

/** How Budgets acts in an account: invoke() for its calls as the execution role, the engine for the trust policy. */
export interface BudgetsAgent {
  invoke: Invoke;
  evaluate: Evaluator;
}

export interface BudgetActionServices extends BillingServices {
  iam: IamServices;
  budgetsAgent: BudgetsAgent;
}

const BUDGETS_PRINCIPAL = 'budgets.amazonaws.com';
const SESSION_NAME = 'BudgetsActionExecution';

/** One call Budgets makes for a step. */
interface AgentCall {
  service: string;
  operation: string;
  input: Record<string, unknown>;
}

/** A role, group or user as a definition names it (`path/name` or `name`): the name IAM's calls take. */
const entityName = (value: string) => value.slice(value.lastIndexOf('/') + 1);

function callsOf(action: Action, step: Exclude<ActionStep, 'reset'>): AgentCall[] {
  const verb = step === 'execute' ? 'Attach' : 'Detach';
  const iam = action.Definition.IamActionDefinition;
  if (iam !== undefined) {
    const entities: [string, string[] | undefined][] = [
      ['Role', iam.Roles],
      ['Group', iam.Groups],
      ['User', iam.Users],
    ];
    return entities.flatMap(([label, names]) =>
      (names ?? []).map((name) => ({
        service: 'iam',
        operation: `${verb}${label}Policy`,
        input: { [`${label}Name`]: entityName(name), PolicyArn: iam.PolicyArn },
      })),
    );
  }
  const scp = action.Definition.ScpActionDefinition;
  if (scp !== undefined) {
    return scp.TargetIds.map((target) => ({
      service: 'organizations',
      operation: `${verb}Policy`,
      input: { PolicyId: scp.PolicyId, TargetId: target },
    }));
  }
  return [];
}

/** The step's work: undefined when it succeeded, else why it failed (the history's message). */
async function perform(
  services: BudgetActionServices,
  accountId: string,
  action: Action,
  step: ActionStep,
  now: Date,
): Promise<string | undefined> {
  if (step === 'reset') return undefined;
  const ssm = action.Definition.SsmActionDefinition;
  if (ssm !== undefined) {
    return `Bursar has no EC2 or RDS instances: the ${ssm.ActionSubType} document of a RUN_SSM_DOCUMENTS action cannot run here.`;
  }
  const facts: RequestFacts = {
    requestId: uuid(services.billing.ids),
    sourceIp: BUDGETS_PRINCIPAL,
    userAgent: BUDGETS_PRINCIPAL,
    now,
    via: 'json',
  };
  const role = await services.iam.findRole(action.ExecutionRoleArn);
  if (role === undefined || role.accountId !== accountId) {
    return `AWS Budgets cannot assume ${action.ExecutionRoleArn}: the role does not exist.`;
  }
  const [trust] = await services.budgetsAgent.evaluate(ANONYMOUS_CALLER, facts, [
    {
      action: 'sts:AssumeRole',
      resource: role.arn,
      resourceAccount: accountId,
      principal: BUDGETS_PRINCIPAL,
      withResourcePolicy: true,
    },
  ]);
  if (trust?.decision !== 'Allowed') {
    return `AWS Budgets cannot assume ${role.arn}: its trust policy does not allow ${BUDGETS_PRINCIPAL} to call sts:AssumeRole.`;
  }
  const session: Caller = {
    kind: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${SESSION_NAME}`,
    userId: `${role.roleId}:${SESSION_NAME}`,
    name: role.name,
    roleArn: role.arn,
    sessionName: SESSION_NAME,
  };
  // Reversing undoes what was applied, whatever the definition has been updated to since.
  const target =
    step === 'reverse' ? ((await lastApplied(services.billing.db, accountId, action.ActionId)) ?? action) : action;
  for (const call of callsOf(target, step)) {
    try {
      await services.budgetsAgent.invoke(session, facts, call.service, call.operation, call.input);
    } catch (error) {
      // Attaching an SCP that an earlier, failed run attached already leaves it as the step wants it.
      if (error instanceof ServiceError && error.code === 'DuplicatePolicyAttachmentException') continue;
      const reason = error instanceof ServiceError ? `${error.code}: ${error.message}` : String(error);
      return `${call.service}:${call.operation} failed as ${session.arn}. ${reason}`;
    }
  }
  return undefined;
}

const DONE: Record<ActionStep, string> = {
  execute: 'The action was applied.',
  reverse: 'The action was reversed.',
  reset: 'The action was reset to standby.',
};

/**
 * Runs one step of an action that is in the status the step starts from: moves it to the step's running
 * status (undefined when another call moved it first), does the work, and records success or failure.
 */
export async function runStep(
  services: BudgetActionServices,
  accountId: string,
  action: Action,
  step: ActionStep,
  eventType: EventType,
  now: Date,
): Promise<Action | undefined> {
  const status = STEP_STATUS[step];
  const db = services.billing.db;
  const running = await moveStatus(
    db,
    accountId,
    action,
    status.running,
    { type: eventType, message: `The ${step} step started.` },
    now,
  );
  if (running === undefined) return undefined;
  const failure = await perform(services, accountId, running, step, now);
  const final = failure === undefined ? status.success : status.failure;
  return moveStatus(db, accountId, running, final, { type: eventType, message: failure ?? DONE[step] }, now);
}

/**
 * Fires the account's STANDBY actions whose budget's spend has crossed their threshold: an AUTOMATIC action
 * runs, a MANUAL one waits in PENDING for approval. Recorded as SYSTEM events.
 */
export async function evaluateActions(services: BudgetActionServices, accountId: string, now: Date): Promise<void> {
  const db = services.billing.db;
  for (const action of await listActions(db, accountId, { status: 'STANDBY' })) {
    const stored = await load(db, accountId, action.BudgetName);
    if (stored === undefined) continue;
    const spend = await spendOf(services.billing, accountId, stored.budget, now);
    if (spend === undefined || !thresholdCrossed(action, spend, spend.limit)) continue;
    const crossed = `The ${action.NotificationType.toLowerCase()} spend crossed the action's threshold.`;
    if (action.ApprovalModel === 'MANUAL') {
      await moveStatus(
        db,
        accountId,
        action,
        'PENDING',
        { type: 'SYSTEM', message: `${crossed} Waiting for approval.` },
        now,
      );
    } else {
      await runStep(services, accountId, action, 'execute', 'SYSTEM', now);
    }
  }
}
