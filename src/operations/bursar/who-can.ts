/**
 * "Who can?" on the wire: `BursarService.ListPrincipalsWithAccess` (every principal of an account — and, from
 * an organization's management account, of its member accounts under their SCPs — with the engine's decision
 * for one action) and `BursarService.ListActionsForPrincipal` (every action of a service one principal may
 * perform, by access level). The analysis itself is src/iam/access-analysis.ts. For an action a Billing console
 * page asks for, each answer also says what the console's gate does with the principal before any policy
 * (the IAM-access switch, the account's action set), from the gate's own code (BillingConsoleGate.verdictFor):
 * the IAM area knows nothing of billing, so this layer joins the two.
 *
 * Authorization: the answer discloses every principal and every policy reaching it, which is what
 * `iam:GetAccountAuthorizationDetails` discloses, so both operations ask for it (resource `*`, as IAM does).
 * An answer that spans other accounts of the organization also asks for `organizations:ListAccounts`, and
 * only the organization's management account may ask about another account.
 */
import { catalog, ACCESS_LEVELS } from '../../catalog/index.js';
import type { BillingConsoleGate, ConsoleVerdict } from '../../billing/console-gates/gate.js';
import { resourceNotFound, validationException } from '../../core/errors.js';
import type { AccessRequest, Caller, Operation, OperationContext } from '../../core/operation.js';
import { AccessAnalysis, type AnalyzedPrincipal, type PrincipalAccess } from '../../iam/access-analysis.js';
import type { IamServices } from '../../iam/index.js';
import type { Organizations } from '../../organizations/organizations.js';
import { requestContext } from '../invoke.js';

export interface WhoCanServices {
  iam: IamServices;
  organizations: Organizations;
  /** The world's Billing console gate, whose verdicts the answers carry. */
  billingConsoleGate: BillingConsoleGate;
}

interface WhoCanInput {
  Action?: string;
  Resource?: string;
  AccountId?: string;
}

interface CanInput {
  Principal?: string;
  Service?: string;
  Resource?: string;
  AccountId?: string;
}

export type Ctx = OperationContext<WhoCanServices>;

/**
 * Keys a real request carries that depend on the request, not on the principal: the analysis leaves them out
 * so that a policy conditioned on one of them shows as `conditional`.
 */
const REQUEST_KEYS = [
  'aws:SourceIp',
  'aws:CurrentTime',
  'aws:EpochTime',
  'aws:SecureTransport',
  'aws:RequestedRegion',
  'aws:UserAgent',
  'aws:MultiFactorAuthPresent',
  'aws:ViaAWSService',
];

const ACTION = /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/;

export function analysis(ctx: Ctx): AccessAnalysis {
  const iam = ctx.services.iam;
  return new AccessAnalysis({
    ctx: iam.context,
    resolver: iam.resolver,
    principalContext: (caller: Caller, tags: Record<string, string>) => {
      const context = requestContext(caller, ctx.facts, tags, 'us-east-1');
      for (const key of REQUEST_KEYS) delete context[key];
      return context;
    },
    requestKeys: REQUEST_KEYS,
  });
}

/** The account asked about (the caller's by default), and whether it manages an organization. */
export function scope(input: { AccountId?: string }, ctx: Ctx): { accountId: string; spansOrganization: boolean } {
  const accountId = input.AccountId ?? ctx.caller.accountId;
  if (!/^\d{12}$/.test(accountId)) throw validationException(`AccountId must be a 12-digit account id: ${accountId}`);
  const org = ctx.services.organizations.directory.organizationOf(accountId);
  return { accountId, spansOrganization: org !== undefined && org.managementAccountId === accountId };
}

export function access(input: { AccountId?: string }, ctx: Ctx): AccessRequest[] {
  const { accountId, spansOrganization } = scope(input, ctx);
  const requests: AccessRequest[] = [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }];
  if (accountId !== ctx.caller.accountId || spansOrganization) {
    requests.push({ action: 'organizations:ListAccounts', resource: '*' });
  }
  if (accountId !== ctx.caller.accountId) {
    const org = ctx.services.organizations.directory.organizationOf(accountId);
    if (org?.managementAccountId !== ctx.caller.accountId) {
      requests[0] = {
        ...requests[0]!,
        refusedAfterPolicies: {
          code: 'AccessDeniedException',
          message: `Only the management account of the account's organization may analyze account ${accountId}.`,
        },
      };
    }
  }
  return requests;
}

/** The accounts an analysis covers: the account, then (for a management account) its active member accounts. */
export async function accountsInScope(input: { AccountId?: string }, ctx: Ctx): Promise<string[]> {
  const { accountId, spansOrganization } = scope(input, ctx);
  if (!spansOrganization) return [accountId];
  const org = ctx.services.organizations.directory.organizationOf(accountId)!;
  return [accountId, ...(await ctx.services.organizations.accounts.activeMemberIds(org.organizationId, accountId))];
}

/** The console gate's verdict for each answer (undefined where no console page asks for its action). */
async function consoleVerdicts(
  gate: BillingConsoleGate,
  answers: readonly PrincipalAccess[],
): Promise<(ConsoleVerdict | undefined)[]> {
  const cache = new Map<string, Promise<ConsoleVerdict | null>>();
  return Promise.all(
    answers.map(async (answer) => {
      const kind = answer.principalType === 'role' ? 'assumed-role' : answer.principalType;
      const key = `${answer.accountId} ${kind} ${answer.action}`;
      let verdict = cache.get(key);
      if (verdict === undefined) {
        verdict = gate.verdictFor(answer.accountId, kind, answer.action);
        cache.set(key, verdict);
      }
      return (await verdict) ?? undefined;
    }),
  );
}

/** The wire shape of one answer (the bursar model's `PrincipalAccess`). */
function wire(answer: PrincipalAccess, gateVerdict: ConsoleVerdict | undefined) {
  const statement = (s: PrincipalAccess['grantedBy'][number]) => ({
    PolicyType: s.policyType,
    PolicyId: s.policyId,
    Origin: s.origin,
    Via: s.via,
    StatementIndex: s.index,
    Effect: s.effect,
    ...(s.sid === undefined ? {} : { Sid: s.sid }),
  });
  return {
    AccountId: answer.accountId,
    PrincipalType: answer.principalType,
    Name: answer.name,
    Arn: answer.arn,
    Action: answer.action,
    Resource: answer.resource,
    Decision: answer.decision,
    EngineDecision: answer.engineDecision,
    Explanation: answer.explanation,
    ConditionKeys: answer.conditionKeys,
    Outcomes: answer.outcomes.map((o) => ({
      Context: Object.entries(o.context).map(([Key, Value]) => ({ Key, Value })),
      Decision: o.decision,
    })),
    GrantedBy: answer.grantedBy.map(statement),
    DeniedBy: answer.deniedBy.map(statement),
    LimitedBy: answer.limitedBy,
    ...(answer.permissionsBoundaryArn === undefined ? {} : { PermissionsBoundaryArn: answer.permissionsBoundaryArn }),
    ...(answer.assumableBy === undefined ? {} : { AssumableBy: answer.assumableBy }),
    ...(gateVerdict === undefined
      ? {}
      : {
          Console: {
            Verdict: gateVerdict.verdict,
            Reason: gateVerdict.reason,
            ActionSet: gateVerdict.actionSet,
            Pages: gateVerdict.pages,
          },
        }),
  };
}

const listPrincipalsWithAccess: Operation<WhoCanServices, WhoCanInput> = {
  service: 'bursar',
  name: 'ListPrincipalsWithAccess',
  access,
  mutates: false,
  handler: async (input, ctx) => {
    const action = input.Action ?? '';
    if (!ACTION.test(action) || action.includes('*') || action.includes('?')) {
      throw validationException(`Action must name one action as service:Action, without wildcards: ${action}`);
    }
    const accounts = await accountsInScope(input, ctx);
    const answers = await analysis(ctx).whoCan(accounts, action, input.Resource ?? '*');
    const verdicts = await consoleVerdicts(ctx.services.billingConsoleGate, answers);
    return { Principals: answers.map((answer, i) => wire(answer, verdicts[i])) };
  },
};

const listActionsForPrincipal: Operation<WhoCanServices, CanInput> = {
  service: 'bursar',
  name: 'ListActionsForPrincipal',
  access,
  mutates: false,
  handler: async (input, ctx) => {
    const service = input.Service ?? 'aws-portal';
    const actions = catalog().actions(service);
    if (actions.length === 0) throw validationException(`No actions are known for service prefix ${service}.`);
    const { accountId } = scope(input, ctx);
    const found = analysis(ctx);
    const principal: AnalyzedPrincipal | undefined = await found.findPrincipal(accountId, input.Principal ?? '');
    if (principal === undefined) {
      throw resourceNotFound(`No principal ${input.Principal ?? ''} in account ${accountId}.`);
    }
    const answers = await found.decide(
      principal,
      actions.map((a) => a.action),
      input.Resource ?? '*',
    );
    const verdicts = await consoleVerdicts(ctx.services.billingConsoleGate, answers);
    const wired = answers.map((answer, i) => wire(answer, verdicts[i]));
    const levelOf = new Map(actions.map((a) => [a.action, a.accessLevel]));
    return {
      Principal: {
        AccountId: accountId,
        PrincipalType: principal.principalType,
        Name: principal.name,
        Arn: principal.arn,
      },
      AccessLevels: ACCESS_LEVELS.map((level) => ({
        AccessLevel: level,
        Actions: wired.filter((a) => levelOf.get(a.Action) === level),
      })).filter((group) => group.Actions.length > 0),
    };
  },
};

/** Both operations, answering for the console through the world's Billing console gate. */
export const whoCanOperations = [listPrincipalsWithAccess, listActionsForPrincipal];
