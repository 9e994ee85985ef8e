/**
 * SimulatePrincipalPolicy and SimulateCustomPolicy over the policy engine: the same evaluate() the server's
 * authorize() uses, with every matching statement collected so the answer can say what allowed or denied.
 */
import type { CompiledPolicy, ContextValue, EvaluationResult, PolicyType } from '../policy/index.js';
import { compilePolicy, createPolicySet, evaluate } from '../policy/index.js';
import { invalidInput, malformedPolicyDocument, noSuchEntity } from './errors.js';
import type { Caller } from '../core/operation.js';
import type { IamContext } from './context.js';
import type { PolicySource, PrincipalResolver } from './principal-resolution.js';
import { validationError } from '../core/errors.js';
import type { ContextEntry, SimulateCustomPolicyRequest } from '../contracts/wire/iam.js';
import { contextKeyNames } from './context-keys.js';

/** What both simulations read (SimulatePrincipalPolicy also names the principal; its policy list is optional). */
export type SimulationInput = Partial<
  Pick<
    SimulateCustomPolicyRequest,
    | 'PolicyInputList'
    | 'PermissionsBoundaryPolicyInputList'
    | 'ActionNames'
    | 'ResourceArns'
    | 'ResourcePolicy'
    | 'ResourceOwner'
    | 'CallerArn'
    | 'ContextEntries'
  >
> & { PolicySourceArn?: string };

const DECISIONS = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' } as const;

function compileInput(text: string, policyType: PolicyType, policyId: string): CompiledPolicy {
  const result = compilePolicy(text, { policyType, policyId });
  if (!result.ok) throw malformedPolicyDocument(result.errors.join('; '));
  return result.policy;
}

function contextOf(entries: readonly ContextEntry[] = []): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const entry of entries) {
    // The model leaves a context entry's name optional, but a value must say which key it is for.
    const name = entry.ContextKeyName;
    if (name === undefined) {
      throw validationError(
        "1 validation error detected: Value null at 'contextKeyName' failed to satisfy constraint: Member must not be null",
      );
    }
    const values = entry.ContextKeyValues ?? [];
    const isList = entry.ContextKeyType?.endsWith('List') === true;
    context[name] = isList ? values : (values[0] ?? '');
  }
  return context;
}

export class Simulator {
  constructor(
    private readonly ctx: IamContext,
    private readonly resolver: PrincipalResolver,
  ) {}

  /** SimulatePrincipalPolicy: a user's, group's or role's own policies (plus any given), and its boundary and SCPs. */
  async simulatePrincipal(accountId: string, input: SimulationInput) {
    const { principal, identity, sources, boundary, scps } = await this.principalPolicies(
      accountId,
      input.PolicySourceArn!,
    );
    return this.run(
      input,
      typeof input.CallerArn === 'string' ? input.CallerArn : principal,
      identity,
      sources,
      boundary,
      scps,
    );
  }

  /** GetContextKeysForPrincipalPolicy: the keys of a user's, group's or role's identity policies and those given. */
  async contextKeysForPrincipal(accountId: string, policySourceArn: string, policyInputList: readonly string[] = []) {
    const { sources } = await this.principalPolicies(accountId, policySourceArn);
    return contextKeyNames([
      ...sources.filter((s) => s.policyType === 'identity').map((s) => s.document),
      ...policyInputList,
    ]);
  }

  /** The identity policies (with their sources), boundary and SCPs of the principal an ARN names. */
  async principalPolicies(accountId: string, policySourceArn: string) {
    const arn = policySourceArn;
    const match = /^arn:aws:iam::(\d{12}):(user|group|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match || match[1] !== accountId) throw invalidInput(`Invalid ARN: ${arn}`);
    const [, , type, name] = match as unknown as [string, string, 'user' | 'group' | 'role', string];
    let identity: CompiledPolicy[];
    let sources: PolicySource[];
    let boundary: CompiledPolicy | undefined;
    let scps: readonly (readonly CompiledPolicy[])[] | undefined;
    let principal = arn;
    if (type === 'group') {
      const group = await this.ctx.db
        .selectFrom('iam_groups')
        .select(['group_id', 'name'])
        .where('arn', '=', arn)
        .executeTakeFirst();
      if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
      ({ policies: identity, sources } = await this.resolver.groupPolicies(group.group_id, group.name));
    } else {
      let caller: Caller;
      if (type === 'user') {
        const user = await this.ctx.db
          .selectFrom('iam_users')
          .select(['user_id', 'name', 'arn'])
          .where('arn', '=', arn)
          .executeTakeFirst();
        if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
        caller = { kind: 'user', accountId, arn: user.arn, userId: user.user_id, name: user.name };
      } else {
        const role = await this.ctx.db
          .selectFrom('iam_roles')
          .select(['role_id', 'name', 'arn'])
          .where('arn', '=', arn)
          .executeTakeFirst();
        if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
        principal = `arn:aws:sts::${accountId}:assumed-role/${role.name}/SimulatedSession`;
        caller = {
          kind: 'assumed-role',
          accountId,
          arn: principal,
          userId: `${role.role_id}:SimulatedSession`,
          name: role.name,
          roleArn: role.arn,
        };
      }
      const resolved = await this.resolver.resolve(caller);
      identity = [...resolved.set.identity];
      boundary = resolved.set.permissionBoundary;
      scps = resolved.set.scps;
      sources = resolved.sources;
    }
    return { principal, identity, sources, boundary, scps };
  }

  /** SimulateCustomPolicy: only the given policies, for a simulated IAM user of the account. */
  async simulateCustom(accountId: string, input: SimulationInput) {
    if ((input.PolicyInputList ?? []).length === 0) {
      throw invalidInput('PolicyInputList must contain at least one policy.');
    }
    const principal =
      typeof input.CallerArn === 'string' ? input.CallerArn : `arn:aws:iam::${accountId}:user/SimulatedUser`;
    return this.run(input, principal, [], [], undefined, undefined);
  }

  private async run(
    input: SimulationInput,
    principal: string,
    ownIdentity: CompiledPolicy[],
    sources: PolicySource[],
    ownBoundary: CompiledPolicy | undefined,
    scps: readonly (readonly CompiledPolicy[])[] | undefined,
  ) {
    const actions = input.ActionNames ?? [];
    if (actions.length === 0) throw invalidInput('ActionNames must contain at least one action.');
    const resources = input.ResourceArns ?? [];
    const inputs = (input.PolicyInputList ?? []).map((text, i) =>
      compileInput(text, 'identity', `PolicyInputList.${i + 1}`),
    );
    const boundaries = input.PermissionsBoundaryPolicyInputList ?? [];
    const boundary =
      boundaries.length > 0
        ? compileInput(boundaries[0]!, 'permissionBoundary', 'PermissionsBoundaryPolicyInputList.1')
        : ownBoundary;
    const resourcePolicy =
      typeof input.ResourcePolicy === 'string'
        ? compileInput(input.ResourcePolicy, 'resource', 'ResourcePolicy')
        : undefined;
    const set = createPolicySet({
      identity: [...ownIdentity, ...inputs],
      ...(boundary ? { permissionBoundary: boundary } : {}),
      ...(resourcePolicy ? { resource: resourcePolicy } : {}),
      ...(scps ? { scps: scps.map((level) => [...level]) } : {}),
    });
    const context = contextOf(input.ContextEntries);
    const resourceOwner =
      typeof input.ResourceOwner === 'string' ? /(\d{12})/.exec(input.ResourceOwner)?.[1] : undefined;
    const results = [];
    for (const action of actions) {
      for (const resource of resources.length > 0 ? resources : ['*']) {
        const result = evaluate(
          { principal, action, resource, ...(resourceOwner ? { resourceAccount: resourceOwner } : {}), context },
          set,
          { allMatches: true },
        );
        results.push(this.shape(action, resource, result, sources, boundary !== undefined, scps !== undefined));
      }
    }
    return results;
  }

  private shape(
    action: string,
    resource: string,
    result: EvaluationResult,
    sources: PolicySource[],
    hasBoundary: boolean,
    hasScps: boolean,
  ) {
    const sourceType = (policyId: string): string => {
      const source = sources.find((s) => s.policyId === policyId);
      if (policyId === 'ResourcePolicy') return 'resource';
      // Policies passed in the request: AWS labels them "IAM Policy" (outside the model's enum).
      if (!source) return policyId.startsWith('PolicyInputList.') ? 'IAM Policy' : 'none';
      if (source.origin === 'managed') return policyId.includes(':aws:policy/') ? 'aws-managed' : 'user-managed';
      return policyId.split('/')[0]!;
    };
    return {
      EvalActionName: action,
      EvalResourceName: resource,
      EvalDecision: DECISIONS[result.decision],
      MatchedStatements: result.matched
        .filter((m) => m.policyType !== 'scp' && m.policyType !== 'permissionBoundary')
        .map((m) => ({ SourcePolicyId: m.policyId, SourcePolicyType: sourceType(m.policyId) })),
      MissingContextValues: result.missingContextKeys,
      ...(hasScps
        ? { OrganizationsDecisionDetail: { AllowedByOrganizations: !result.blockedBy.includes('scp') } }
        : {}),
      ...(hasBoundary
        ? {
            PermissionsBoundaryDecisionDetail: {
              AllowedByPermissionsBoundary: !result.blockedBy.includes('permissionBoundary'),
            },
          }
        : {}),
      EvalDecisionDetails: {},
    };
  }
}
