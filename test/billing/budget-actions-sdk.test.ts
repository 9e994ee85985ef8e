/**
 * Budget actions through the real `@aws-sdk/client-budgets` (with IAM's and Organizations' clients to set the
 * scene) against a server started here, over one month of CUR data (October 2018, 279.68 USD unblended) and a
 * CUSTOM budget of 300 USD for that month (93 % spent): an AUTOMATIC action that applies a deny policy to a
 * group really takes access away from the group's user until it is reversed; MANUAL approval; the status
 * machine's refusals; execution roles Budgets may not assume or whose policies do not allow the calls;
 * RUN_SSM_DOCUMENTS; SCP actions in the management account; histories; who may create actions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BudgetsClient,
  CreateBudgetActionCommand,
  CreateBudgetCommand,
  DeleteBudgetActionCommand,
  DescribeBudgetActionCommand,
  DescribeBudgetActionHistoriesCommand,
  DescribeBudgetActionsForAccountCommand,
  DescribeBudgetActionsForBudgetCommand,
  ExecuteBudgetActionCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateBudgetActionCommand,
  type ActionStatus,
  type CreateBudgetActionCommandInput,
  type ExecutionType,
} from '@aws-sdk/client-budgets';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateOrgPolicyCommand,
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  EnablePolicyTypeCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { importCostFiles } from '../../src/billing/costs/import/import-files.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

const CUR_PARQUET = '/work/shared/data/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet';
const AccountId = ACCOUNT_ID;
const BudgetName = 'october';
const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const trust = (service: string) => doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const roleArn = (name: string) => `arn:aws:iam::${AccountId}:role/${name}`;
const DENY_IAM_READ = `arn:aws:iam::${AccountId}:policy/DenyIamRead`;

describe('Budget actions through the AWS SDK', () => {
  let server: BursarServer;
  let budgets: BudgetsClient;
  let iam: IAMClient;
  let developer: IAMClient;

  /** An action on the October budget applying DenyIamRead to the Developers group, as the Budgets role. */
  const iamAction = (overrides: Partial<CreateBudgetActionCommandInput> = {}): CreateBudgetActionCommandInput => ({
    AccountId,
    BudgetName,
    NotificationType: 'ACTUAL',
    ActionType: 'APPLY_IAM_POLICY',
    ActionThreshold: { ActionThresholdValue: 50, ActionThresholdType: 'PERCENTAGE' },
    Definition: { IamActionDefinition: { PolicyArn: DENY_IAM_READ, Groups: ['Developers'] } },
    ExecutionRoleArn: roleArn('BudgetsActions'),
    ApprovalModel: 'AUTOMATIC',
    Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
    ...overrides,
  });
  const create = async (input: CreateBudgetActionCommandInput) =>
    (await budgets.send(new CreateBudgetActionCommand(input))).ActionId!;
  const describeAction = async (ActionId: string) =>
    (await budgets.send(new DescribeBudgetActionCommand({ AccountId, BudgetName, ActionId }))).Action!;
  const execute = (ActionId: string, ExecutionType: ExecutionType) =>
    budgets.send(new ExecuteBudgetActionCommand({ AccountId, BudgetName, ActionId, ExecutionType }));
  const history = async (ActionId: string) =>
    (
      await budgets.send(new DescribeBudgetActionHistoriesCommand({ AccountId, BudgetName, ActionId }))
    ).ActionHistories!.map((h) => `${h.EventType} ${h.Status}`);
  const attachedToDevelopers = async () =>
    (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Developers' }))).AttachedPolicies!.map(
      (p) => p.PolicyName,
    );
  /** Whether the developer (in Developers, allowed iam:List*) may list users right now. */
  const developerCanList = async () => {
    try {
      await developer.send(new ListUsersCommand({}));
      return true;
    } catch (error) {
      assert.equal((error as Error).name, 'AccessDenied');
      assert.match((error as Error).message, /with an explicit deny in an identity-based policy/);
      return false;
    }
  };
  const reverseAndReset = async (ActionId: string) => {
    await execute(ActionId, 'REVERSE_BUDGET_ACTION');
    await execute(ActionId, 'RESET_BUDGET_ACTION');
  };

  before(async () => {
    server = await startServer();
    budgets = new BudgetsClient(clientConfig(server));
    iam = new IAMClient(clientConfig(server));
    // Straight into the server's store (see budgets-sdk.test.ts).
    await importCostFiles(server.world().billing.store, CUR_PARQUET, {
      ownerAccountId: AccountId,
      importId: 'october-2018',
      now: testNow(),
    });
    await budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: {
          BudgetName,
          BudgetType: 'COST',
          TimeUnit: 'CUSTOM',
          BudgetLimit: { Amount: '300', Unit: 'USD' },
          TimePeriod: { Start: new Date('2018-10-01T00:00:00Z'), End: new Date('2018-11-01T00:00:00Z') },
        },
      }),
    );
    await iam.send(new CreateGroupCommand({ GroupName: 'Developers' }));
    const readIam = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'IamRead',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }),
      }),
    );
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Developers', PolicyArn: readIam.Policy!.Arn! }));
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'DenyIamRead',
        PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:List*', Resource: '*' }),
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'dev' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'dev' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    developer = new IAMClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    // The role Budgets runs actions as: it trusts budgets.amazonaws.com and may attach and detach group policies.
    await iam.send(
      new CreateRoleCommand({ RoleName: 'BudgetsActions', AssumeRolePolicyDocument: trust('budgets.amazonaws.com') }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'BudgetsActions',
        PolicyName: 'ApplyPolicies',
        PolicyDocument: doc({
          Effect: 'Allow',
          Action: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'],
          Resource: '*',
        }),
      }),
    );
  });
  after(async () => {
    budgets.destroy();
    iam.destroy();
    developer.destroy();
    await server.close();
  });

  it('an AUTOMATIC action fires once the spend crosses its threshold: the group user is denied until REVERSE', async () => {
    assert.equal(await developerCanList(), true);
    const ActionId = await create(iamAction());
    assert.match(ActionId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // 279.68 of 300 USD is past 50 %: reading the action evaluates it, and Budgets applies the policy.
    const fired = await describeAction(ActionId);
    assert.equal(fired.Status, 'EXECUTION_SUCCESS');
    assert.deepEqual(await attachedToDevelopers(), ['DenyIamRead', 'IamRead']);
    assert.equal(await developerCanList(), false);
    // The audit trail has the change as CloudTrail would: the role's session, calling from Budgets.
    const [attached] = await server
      .world()
      .database.db.selectFrom('audit_events')
      .select('event')
      .where('event_name', '=', 'AttachGroupPolicy')
      .where('username', '=', 'BudgetsActionExecution')
      .execute();
    const event = JSON.parse(attached!.event) as {
      userIdentity: { arn: string };
      sourceIPAddress: string;
      decision: string;
      requestParameters: Record<string, string>;
    };
    assert.equal(
      event.userIdentity.arn,
      `arn:aws:sts::${AccountId}:assumed-role/BudgetsActions/BudgetsActionExecution`,
    );
    assert.equal(event.sourceIPAddress, 'budgets.amazonaws.com');
    assert.equal(event.decision, 'Allowed');
    assert.deepEqual(event.requestParameters, { groupName: 'Developers', policyArn: DENY_IAM_READ });

    await execute(ActionId, 'REVERSE_BUDGET_ACTION');
    assert.equal((await describeAction(ActionId)).Status, 'REVERSE_SUCCESS');
    assert.deepEqual(await attachedToDevelopers(), ['IamRead']);
    assert.equal(await developerCanList(), true);
    assert.deepEqual(await history(ActionId), [
      'CREATE_ACTION STANDBY',
      'SYSTEM EXECUTION_IN_PROGRESS',
      'SYSTEM EXECUTION_SUCCESS',
      'EXECUTE_ACTION REVERSE_IN_PROGRESS',
      'EXECUTE_ACTION REVERSE_SUCCESS',
    ]);

    // RESET returns it to standby, so the still-crossed threshold fires it again at the next evaluation.
    await execute(ActionId, 'RESET_BUDGET_ACTION');
    const afterReset = await budgets.send(new DescribeBudgetActionsForBudgetCommand({ AccountId, BudgetName }));
    assert.equal(afterReset.Actions!.find((a) => a.ActionId === ActionId)!.Status, 'EXECUTION_SUCCESS');
    assert.equal(await developerCanList(), false);
    await reverseAndReset(ActionId);
    await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    assert.equal(await developerCanList(), true);
  });

  it('a MANUAL action waits in PENDING for APPROVE_BUDGET_ACTION; other executions are refused by status', async () => {
    const ActionId = await create(iamAction({ ApprovalModel: 'MANUAL' }));
    const { Action } = await budgets.send(new DescribeBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    assert.equal(Action!.Status, 'PENDING');
    assert.equal(await developerCanList(), true);
    await rejectsWith(
      execute(ActionId, 'REVERSE_BUDGET_ACTION'),
      'InvalidParameterException',
      400,
      /REVERSE_BUDGET_ACTION is not valid for an action in status PENDING/,
    );
    await rejectsWith(execute(ActionId, 'RETRY_BUDGET_ACTION'), 'InvalidParameterException', 400);
    const answer = await execute(ActionId, 'APPROVE_BUDGET_ACTION');
    assert.deepEqual(
      { ActionId: answer.ActionId, ExecutionType: answer.ExecutionType, BudgetName: answer.BudgetName },
      { ActionId, ExecutionType: 'APPROVE_BUDGET_ACTION', BudgetName },
    );
    assert.equal((await describeAction(ActionId)).Status, 'EXECUTION_SUCCESS');
    assert.equal(await developerCanList(), false);
    await rejectsWith(execute(ActionId, 'APPROVE_BUDGET_ACTION'), 'InvalidParameterException', 400);
    await rejectsWith(
      execute(ActionId, 'RESET_BUDGET_ACTION'),
      'InvalidParameterException',
      400,
      /RESET_BUDGET_ACTION is not valid for an action in status EXECUTION_SUCCESS/,
    );
    // An update after it ran does not change what REVERSE undoes: the policy it applied, where it applied it.
    await iam.send(new CreateGroupCommand({ GroupName: 'Testers' }));
    await budgets.send(
      new UpdateBudgetActionCommand({
        AccountId,
        BudgetName,
        ActionId,
        Definition: { IamActionDefinition: { PolicyArn: DENY_IAM_READ, Groups: ['Testers'] } },
      }),
    );
    assert.deepEqual(await history(ActionId), [
      'CREATE_ACTION STANDBY',
      'SYSTEM PENDING',
      'EXECUTE_ACTION EXECUTION_IN_PROGRESS',
      'EXECUTE_ACTION EXECUTION_SUCCESS',
      'UPDATE_ACTION EXECUTION_SUCCESS',
    ]);
    await reverseAndReset(ActionId);
    assert.deepEqual(await attachedToDevelopers(), ['IamRead']);
    assert.equal(await developerCanList(), true);
    await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
  });

  it('an action whose threshold is not crossed stays in STANDBY, and nothing may be executed from there', async () => {
    const ActionId = await create(
      iamAction({ ActionThreshold: { ActionThresholdValue: 1000, ActionThresholdType: 'ABSOLUTE_VALUE' } }),
    );
    assert.equal((await describeAction(ActionId)).Status, 'STANDBY');
    for (const type of [
      'APPROVE_BUDGET_ACTION',
      'RETRY_BUDGET_ACTION',
      'REVERSE_BUDGET_ACTION',
      'RESET_BUDGET_ACTION',
    ]) {
      await rejectsWith(execute(ActionId, type as ExecutionType), 'InvalidParameterException', 400, /STANDBY/);
    }
    assert.equal(await developerCanList(), true);
    await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
  });

  it('a role Budgets may not assume, or whose policies do not allow the call, fails the execution; RETRY runs it again', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: 'Ec2Role', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }),
    );
    await iam.send(
      new CreateRoleCommand({ RoleName: 'PowerlessBudgets', AssumeRolePolicyDocument: trust('budgets.amazonaws.com') }),
    );
    const untrusted = await create(iamAction({ ApprovalModel: 'MANUAL', ExecutionRoleArn: roleArn('Ec2Role') }));
    await describeAction(untrusted);
    await execute(untrusted, 'APPROVE_BUDGET_ACTION');
    assert.equal((await describeAction(untrusted)).Status, 'EXECUTION_FAILURE');
    const untrustedHistory = await budgets.send(
      new DescribeBudgetActionHistoriesCommand({ AccountId, BudgetName, ActionId: untrusted }),
    );
    assert.equal(
      untrustedHistory.ActionHistories!.at(-1)!.ActionHistoryDetails!.Message,
      `AWS Budgets cannot assume ${roleArn('Ec2Role')}: its trust policy does not allow budgets.amazonaws.com to call sts:AssumeRole.`,
    );

    const powerless = await create(
      iamAction({ ApprovalModel: 'MANUAL', ExecutionRoleArn: roleArn('PowerlessBudgets') }),
    );
    await describeAction(powerless);
    await execute(powerless, 'APPROVE_BUDGET_ACTION');
    const failed = await budgets.send(
      new DescribeBudgetActionHistoriesCommand({ AccountId, BudgetName, ActionId: powerless }),
    );
    const last = failed.ActionHistories!.at(-1)!;
    assert.equal(last.Status, 'EXECUTION_FAILURE');
    assert.equal(
      last.ActionHistoryDetails!.Message,
      `iam:AttachGroupPolicy failed as arn:aws:sts::${AccountId}:assumed-role/PowerlessBudgets/BudgetsActionExecution. ` +
        `AccessDenied: User: arn:aws:sts::${AccountId}:assumed-role/PowerlessBudgets/BudgetsActionExecution is not ` +
        `authorized to perform: iam:AttachGroupPolicy on resource: arn:aws:iam::${AccountId}:group/Developers because ` +
        'no identity-based policy allows the iam:AttachGroupPolicy action',
    );
    assert.equal(await developerCanList(), true);

    // Once the role may attach the policy, RETRY applies it.
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'PowerlessBudgets',
        PolicyName: 'Attach',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:*GroupPolicy', Resource: '*' }),
      }),
    );
    await execute(powerless, 'RETRY_BUDGET_ACTION');
    assert.equal((await describeAction(powerless)).Status, 'EXECUTION_SUCCESS');
    assert.equal(await developerCanList(), false);
    await reverseAndReset(powerless);
    assert.equal(await developerCanList(), true);
    // A failed action may be reset without retrying.
    await execute(untrusted, 'RESET_BUDGET_ACTION');
    for (const ActionId of [untrusted, powerless]) {
      await budgets.send(new UpdateBudgetActionCommand({ AccountId, BudgetName, ActionId, ApprovalModel: 'MANUAL' }));
      await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    }
  });

  it('a RUN_SSM_DOCUMENTS action is kept but fails when run: Bursar has no instances to stop', async () => {
    const ActionId = await create(
      iamAction({
        ActionType: 'RUN_SSM_DOCUMENTS',
        ApprovalModel: 'MANUAL',
        Definition: {
          SsmActionDefinition: {
            ActionSubType: 'STOP_EC2_INSTANCES',
            Region: 'us-east-1',
            InstanceIds: ['i-0123456789abcdef0'],
          },
        },
      }),
    );
    const stored = await describeAction(ActionId);
    assert.deepEqual(stored.Definition, {
      SsmActionDefinition: {
        ActionSubType: 'STOP_EC2_INSTANCES',
        Region: 'us-east-1',
        InstanceIds: ['i-0123456789abcdef0'],
      },
    });
    await execute(ActionId, 'APPROVE_BUDGET_ACTION');
    const { ActionHistories } = await budgets.send(
      new DescribeBudgetActionHistoriesCommand({ AccountId, BudgetName, ActionId }),
    );
    assert.equal(ActionHistories!.at(-1)!.Status, 'EXECUTION_FAILURE');
    assert.equal(
      ActionHistories!.at(-1)!.ActionHistoryDetails!.Message,
      'Bursar has no EC2 or RDS instances: the STOP_EC2_INSTANCES document of a RUN_SSM_DOCUMENTS action cannot run here.',
    );
    await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
  });

  it('refuses actions AWS refuses, with its error codes', async () => {
    // Another account's role cannot be passed at all: iam:PassRole refuses it before Budgets' own rule.
    await rejectsWith(
      budgets.send(
        new CreateBudgetActionCommand(iamAction({ ExecutionRoleArn: 'arn:aws:iam::999988887777:role/Other' })),
      ),
      'AccessDeniedException',
      403,
      /iam:PassRole on resource: arn:aws:iam::999988887777:role\/Other/,
    );
    await rejectsWith(
      budgets.send(
        new CreateBudgetActionCommand(
          iamAction({ Definition: { ScpActionDefinition: { PolicyId: 'p-12345678', TargetIds: [AccountId] } } }),
        ),
      ),
      'InvalidParameterException',
      400,
      /An action of type APPLY_IAM_POLICY needs a Definition with IamActionDefinition only/,
    );
    await rejectsWith(
      budgets.send(
        new CreateBudgetActionCommand(iamAction({ Definition: { IamActionDefinition: { PolicyArn: DENY_IAM_READ } } })),
      ),
      'InvalidParameterException',
      400,
      /at least one role, group or user/,
    );
    await rejectsWith(
      budgets.send(new CreateBudgetActionCommand(iamAction({ BudgetName: 'nope' }))),
      'NotFoundException',
      400,
      /Unable to create action: nope - the budget doesn't exist/,
    );
    // Budgets' model refuses `/action/` in a budget's name: it would read as an action's ARN.
    await rejectsWith(
      budgets.send(
        new CreateBudgetCommand({
          AccountId,
          Budget: {
            BudgetName: 'a/action/b',
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: '1', Unit: 'USD' },
          },
        }),
      ),
      'ValidationException',
      400,
      /^1 validation error detected: Value 'a\/action\/b' at 'budget.budgetName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    await rejectsWith(
      execute(missing, 'APPROVE_BUDGET_ACTION'),
      'NotFoundException',
      400,
      new RegExp(`Unable to execute action: ${BudgetName}/action/${missing} - the action doesn't exist`),
    );
    await rejectsWith(
      budgets.send(new DescribeBudgetActionsForBudgetCommand({ AccountId, BudgetName: 'nope' })),
      'NotFoundException',
      400,
    );
  });

  it('UpdateBudgetAction answers the old and new action; DeleteBudgetAction the deleted one; locked while running', async () => {
    const ActionId = await create(
      iamAction({ ActionThreshold: { ActionThresholdValue: 1000, ActionThresholdType: 'ABSOLUTE_VALUE' } }),
    );
    const updated = await budgets.send(
      new UpdateBudgetActionCommand({
        AccountId,
        BudgetName,
        ActionId,
        ActionThreshold: { ActionThresholdValue: 2000, ActionThresholdType: 'ABSOLUTE_VALUE' },
        Subscribers: [{ SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:111122223333:alerts' }],
      }),
    );
    assert.equal(updated.OldAction!.ActionThreshold!.ActionThresholdValue, 1000);
    assert.equal(updated.NewAction!.ActionThreshold!.ActionThresholdValue, 2000);
    assert.deepEqual(updated.NewAction!.Subscribers, [
      { SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:111122223333:alerts' },
    ]);
    assert.equal(updated.NewAction!.Status, 'STANDBY');
    const listed = await budgets.send(new DescribeBudgetActionsForAccountCommand({ AccountId }));
    assert.ok(listed.Actions!.some((a) => a.ActionId === ActionId && a.ActionThreshold!.ActionThresholdValue === 2000));
    assert.deepEqual((await history(ActionId)).slice(-1), ['UPDATE_ACTION STANDBY']);

    // While a step runs (as another server would see it mid-execution), the action is locked.
    const db = server.world().database.db;
    const setStatus = (status: ActionStatus) =>
      db.updateTable('billing_budget_action').set({ status }).where('action_id', '=', ActionId).execute();
    await setStatus('EXECUTION_IN_PROGRESS');
    await rejectsWith(
      budgets.send(new UpdateBudgetActionCommand({ AccountId, BudgetName, ActionId, ApprovalModel: 'MANUAL' })),
      'ResourceLockedException',
      400,
      /the action is EXECUTION_IN_PROGRESS/,
    );
    await rejectsWith(
      budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId })),
      'ResourceLockedException',
      400,
    );
    await rejectsWith(execute(ActionId, 'REVERSE_BUDGET_ACTION'), 'ResourceLockedException', 400);
    await setStatus('STANDBY');

    const deleted = await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    assert.equal(deleted.Action!.ActionId, ActionId);
    await rejectsWith(
      budgets.send(new DescribeBudgetActionCommand({ AccountId, BudgetName, ActionId })),
      'NotFoundException',
      400,
    );
    await rejectsWith(
      budgets.send(new DescribeBudgetActionHistoriesCommand({ AccountId, BudgetName, ActionId })),
      'NotFoundException',
      400,
    );
  });

  it("an action's tags: given at creation, listed, changed and removed on the action's ARN", async () => {
    const ActionId = await create(
      iamAction({
        ActionThreshold: { ActionThresholdValue: 1000, ActionThresholdType: 'ABSOLUTE_VALUE' },
        ResourceTags: [{ Key: 'team', Value: 'finance' }],
      }),
    );
    const ResourceARN = `arn:aws:budgets::${AccountId}:budget/${BudgetName}/action/${ActionId}`;
    const tags = async () => (await budgets.send(new ListTagsForResourceCommand({ ResourceARN }))).ResourceTags;
    assert.deepEqual(await tags(), [{ Key: 'team', Value: 'finance' }]);
    await budgets.send(new TagResourceCommand({ ResourceARN, ResourceTags: [{ Key: 'env', Value: 'ci' }] }));
    await budgets.send(new UntagResourceCommand({ ResourceARN, ResourceTagKeys: ['team'] }));
    assert.deepEqual(await tags(), [{ Key: 'env', Value: 'ci' }]);
    // The budget's own tags are another resource's.
    assert.deepEqual(
      (
        await budgets.send(
          new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${AccountId}:budget/${BudgetName}` }),
        )
      ).ResourceTags,
      [],
    );
    await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    await rejectsWith(
      budgets.send(new ListTagsForResourceCommand({ ResourceARN })),
      'NotFoundException',
      400,
      new RegExp(`Unable to get tags: ${BudgetName}/action/${ActionId} - the action doesn't exist`),
    );
  });

  it('creating an action needs budgets:CreateBudgetAction on the action and iam:PassRole on its execution role', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'planner' }));
    const budgetsOnly = doc({ Effect: 'Allow', Action: 'budgets:*', Resource: '*' });
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'planner', PolicyName: 'Budgets', PolicyDocument: budgetsOnly }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'planner' }));
    const planner = new BudgetsClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    try {
      await rejectsWith(
        planner.send(new CreateBudgetActionCommand(iamAction())),
        'AccessDeniedException',
        403,
        new RegExp(
          `User: arn:aws:iam::${AccountId}:user/planner is not authorized to perform: iam:PassRole on resource: ${roleArn('BudgetsActions')}`,
        ),
      );
      // PassRole only to Budgets: the condition AWS's managed policies use.
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'planner',
          PolicyName: 'PassToBudgets',
          PolicyDocument: doc({
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: roleArn('BudgetsActions'),
            Condition: { StringEquals: { 'iam:PassedToService': 'budgets.amazonaws.com' } },
          }),
        }),
      );
      const { ActionId } = await planner.send(
        new CreateBudgetActionCommand(
          iamAction({ ActionThreshold: { ActionThresholdValue: 1000, ActionThresholdType: 'ABSOLUTE_VALUE' } }),
        ),
      );
      // Only on this budget's actions: a policy naming the action's ARN decides the execution.
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'planner',
          PolicyName: 'Budgets',
          PolicyDocument: doc({
            Effect: 'Allow',
            Action: 'budgets:*',
            NotResource: `arn:aws:budgets::${AccountId}:budget/${BudgetName}/action/${ActionId}`,
          }),
        }),
      );
      await rejectsWith(
        planner.send(new DescribeBudgetActionCommand({ AccountId, BudgetName, ActionId })),
        'AccessDeniedException',
        403,
        new RegExp(
          `not authorized to perform: budgets:DescribeBudgetAction on resource: arn:aws:budgets::${AccountId}:budget/${BudgetName}/action/${ActionId}`,
        ),
      );
      await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    } finally {
      planner.destroy();
    }
  });

  it('an SCP action in the management account attaches the SCP to its targets and detaches it on REVERSE', async () => {
    const orgs = new OrganizationsClient(clientConfig(server));
    try {
      await iam.send(
        new CreateRoleCommand({ RoleName: 'BudgetsScp', AssumeRolePolicyDocument: trust('budgets.amazonaws.com') }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'BudgetsScp',
          PolicyName: 'Scp',
          PolicyDocument: doc({
            Effect: 'Allow',
            Action: ['organizations:AttachPolicy', 'organizations:DetachPolicy'],
            Resource: '*',
          }),
        }),
      );
      // Outside an organization's management account, Organizations refuses the attachment and the run fails.
      const orphan = await create(
        iamAction({
          ActionType: 'APPLY_SCP_POLICY',
          ApprovalModel: 'MANUAL',
          ExecutionRoleArn: roleArn('BudgetsScp'),
          Definition: { ScpActionDefinition: { PolicyId: 'p-abcdefgh', TargetIds: [AccountId] } },
        }),
      );
      await describeAction(orphan);
      await execute(orphan, 'APPROVE_BUDGET_ACTION');
      const orphanHistory = await budgets.send(
        new DescribeBudgetActionHistoriesCommand({ AccountId, BudgetName, ActionId: orphan }),
      );
      assert.equal(orphanHistory.ActionHistories!.at(-1)!.Status, 'EXECUTION_FAILURE');
      assert.match(
        orphanHistory.ActionHistories!.at(-1)!.ActionHistoryDetails!.Message!,
        /^organizations:AttachPolicy failed as .*\. AWSOrganizationsNotInUseException: /,
      );
      await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId: orphan }));

      await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      const { Roots } = await orgs.send(new ListRootsCommand({}));
      await orgs.send(new EnablePolicyTypeCommand({ RootId: Roots![0]!.Id!, PolicyType: 'SERVICE_CONTROL_POLICY' }));
      const { CreateAccountStatus } = await orgs.send(
        new CreateAccountCommand({ Email: 'member@actions.example', AccountName: 'Member' }),
      );
      const status = await orgs.send(
        new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
      );
      const member = status.CreateAccountStatus!.AccountId!;
      const { Policy } = await orgs.send(
        new CreateOrgPolicyCommand({
          Name: 'FreezeSpend',
          Description: 'Applied by a budget action',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: doc({ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }),
        }),
      );
      const PolicyId = Policy!.PolicySummary!.Id!;
      const ActionId = await create(
        iamAction({
          ActionType: 'APPLY_SCP_POLICY',
          ApprovalModel: 'MANUAL',
          ExecutionRoleArn: roleArn('BudgetsScp'),
          Definition: { ScpActionDefinition: { PolicyId, TargetIds: [member] } },
        }),
      );
      const onMember = async () =>
        (
          await orgs.send(new ListPoliciesForTargetCommand({ TargetId: member, Filter: 'SERVICE_CONTROL_POLICY' }))
        ).Policies!.map((p) => p.Name);
      assert.equal((await describeAction(ActionId)).Status, 'PENDING');
      await execute(ActionId, 'APPROVE_BUDGET_ACTION');
      assert.equal((await describeAction(ActionId)).Status, 'EXECUTION_SUCCESS');
      assert.ok((await onMember()).includes('FreezeSpend'));
      await execute(ActionId, 'REVERSE_BUDGET_ACTION');
      assert.equal((await describeAction(ActionId)).Status, 'REVERSE_SUCCESS');
      assert.ok(!(await onMember()).includes('FreezeSpend'));
      await budgets.send(new DeleteBudgetActionCommand({ AccountId, BudgetName, ActionId }));
    } finally {
      orgs.destroy();
    }
  });
});
