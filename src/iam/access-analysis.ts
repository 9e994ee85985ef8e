/**
 * "Who can?": for an action (and resource) over an account, every principal — the root user, each IAM user,
 * each role (as a session of it) — with the engine's own decision, the statements that grant it, and what
 * limits it. Each answer is `evaluate()` over the set the PrincipalResolver builds for a real call of that
 * principal (identity policies through its groups, boundary, the account's SCP chain), so the analysis can
 * never disagree with a call made by that principal with the same request context.
 *
 * A request context is not known in advance: the analysis gives the engine the principal's own keys (as a real
 * call carries them) and leaves out the keys that depend on the request (source IP, MFA, time…). When a
 * condition asks for such a key, the engine reports it missing; the analysis then evaluates again with each
 * value the policies compare it against (and `true`/`false`) and answers `conditional`, naming the keys, when
 * the decision depends on them.
 */
import type { Caller } from '../core/operation.js';
import {
  evaluate,
  parseDocument,
  type ContextValue,
  type Decision,
  type EvaluationResult,
  type PolicyType,
  type StatementRef,
} from '../policy/index.js';
import type { IamContext } from './context.js';
import type { PolicySource, PrincipalResolver } from './principal-resolution.js';

export type AccessDecision = 'allowed' | 'denied' | 'conditional';

/** A principal of an account as the analysis asks about it: the caller a real call of it would be. */
export interface AnalyzedPrincipal {
  accountId: string;
  principalType: 'root' | 'user' | 'role';
  name: string;
  /** The user's or role's ARN (`…:root` for the root user). */
  arn: string;
  caller: Caller;
  permissionsBoundaryArn?: string;
  /** For a role: the principals its trust policy lets call sts:AssumeRole (AWS, Service, Federated values). */
  assumableBy?: string[];
}

/** A statement that grants (or explicitly denies), with how the policy reaches the principal. */
export interface StatementSource extends StatementRef {
  origin: 'managed' | 'inline' | 'organization';
  /** `user` when attached to (or inline in) the principal itself, `group/NAME` through a group, `role` for a role. */
  via: string[];
}

/** One context the decision was tried in, when it depends on request context. */
export interface ContextOutcome {
  context: Record<string, string>;
  decision: Decision;
}

export interface PrincipalAccess {
  accountId: string;
  principalType: AnalyzedPrincipal['principalType'];
  name: string;
  arn: string;
  action: string;
  resource: string;
  decision: AccessDecision;
  /** The engine's decision with no request-dependent keys in the context. */
  engineDecision: Decision;
  /** AWS's wording for `engineDecision`. */
  explanation: string;
  /** The request-context keys the decision depends on (`conditional`), as the policies spell them. */
  conditionKeys: string[];
  /** For `conditional`: the decision in each context tried. */
  outcomes: ContextOutcome[];
  /** The Allow statements that grant it (for `conditional`: in a context where it is allowed). */
  grantedBy: StatementSource[];
  /** The Deny statements that match (explicit deny). */
  deniedBy: StatementSource[];
  /** The policy types that refuse (empty when allowed): `permissionBoundary`, `scp`, `identity`… */
  limitedBy: PolicyType[];
  permissionsBoundaryArn?: string;
  assumableBy?: string[];
}

export interface AccessAnalysisDeps {
  ctx: IamContext;
  resolver: PrincipalResolver;
  /**
   * The context keys a real call of this principal carries whatever the request (aws:PrincipalArn,
   * aws:username, aws:PrincipalTag/…): the same function real calls fill their context with, minus the keys
   * that depend on the request.
   */
  principalContext: (caller: Caller, tags: Record<string, string>) => Record<string, ContextValue>;
}

/** The session name the analysis gives a role's caller (it shows in aws:userid and the session ARN). */
const SESSION_NAME = 'WhoCanAnalysis';

export class AccessAnalysis {
  constructor(private readonly deps: AccessAnalysisDeps) {}

  /** The root user, every user and every role of the account, in that order (users and roles by name). */
  async principals(accountId: string): Promise<AnalyzedPrincipal[]> {
    const db = this.deps.ctx.db;
    const rootArn = `arn:aws:iam::${accountId}:root`;
    const found: AnalyzedPrincipal[] = [
      {
        accountId,
        principalType: 'root',
        name: 'root',
        arn: rootArn,
        caller: { kind: 'root', accountId, arn: rootArn, userId: accountId },
      },
    ];
    const users = await db
      .selectFrom('iam_users')
      .select(['user_id', 'name', 'arn', 'permissions_boundary_arn'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    for (const user of users) {
      found.push({
        accountId,
        principalType: 'user',
        name: user.name,
        arn: user.arn,
        caller: { kind: 'user', accountId, arn: user.arn, userId: user.user_id, name: user.name },
        ...(user.permissions_boundary_arn === null ? {} : { permissionsBoundaryArn: user.permissions_boundary_arn }),
      });
    }
    const roles = await db
      .selectFrom('iam_roles')
      .select(['role_id', 'name', 'arn', 'permissions_boundary_arn', 'assume_role_policy'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    for (const role of roles) {
      const sessionArn = `arn:aws:sts::${accountId}:assumed-role/${role.name}/${SESSION_NAME}`;
      found.push({
        accountId,
        principalType: 'role',
        name: role.name,
        arn: role.arn,
        caller: {
          kind: 'assumed-role',
          accountId,
          arn: sessionArn,
          userId: `${role.role_id}:${SESSION_NAME}`,
          name: role.name,
          roleArn: role.arn,
          sessionName: SESSION_NAME,
        },
        ...(role.permissions_boundary_arn === null ? {} : { permissionsBoundaryArn: role.permissions_boundary_arn }),
        assumableBy: trustedPrincipals(role.assume_role_policy),
      });
    }
    return found;
  }

  /** One principal of the account by ARN, or by name (a user first, then a role; `root` for the root user). */
  async findPrincipal(accountId: string, nameOrArn: string): Promise<AnalyzedPrincipal | undefined> {
    const all = await this.principals(accountId);
    return (
      all.find((p) => p.arn === nameOrArn) ??
      all.find((p) => p.principalType === 'user' && p.name === nameOrArn) ??
      all.find((p) => p.principalType !== 'user' && p.name === nameOrArn)
    );
  }

  /** Who can perform `action` on `resource` in each of these accounts. */
  async whoCan(accountIds: readonly string[], action: string, resource = '*'): Promise<PrincipalAccess[]> {
    const answers: PrincipalAccess[] = [];
    for (const accountId of accountIds) {
      for (const principal of await this.principals(accountId)) {
        answers.push(...(await this.decide(principal, [action], resource)));
      }
    }
    return answers;
  }

  /** The principal's access to each of these actions on `resource`. */
  async decide(principal: AnalyzedPrincipal, actions: readonly string[], resource = '*'): Promise<PrincipalAccess[]> {
    const { set, sources } = await this.deps.resolver.resolve(principal.caller);
    const base = this.deps.principalContext(principal.caller, await this.tagsOf(principal));
    const via = await this.attachmentPaths(principal);
    const describe = (refs: StatementRef[], effect: 'Allow' | 'Deny'): StatementSource[] =>
      refs.filter((ref) => ref.effect === effect).map((ref) => ({ ...ref, ...sourceOf(ref, sources, via, principal) }));
    return actions.map((action) => {
      const ask = (context: Record<string, ContextValue>): EvaluationResult =>
        evaluate({ principal: principal.caller.arn, action, resource, context }, set, { allMatches: true });
      const first = ask(base);
      const outcomes: ContextOutcome[] = [];
      let granting = first.decision === 'Allowed' ? first : undefined;
      for (const context of contextVariants(first.missingContextKeys, sources)) {
        const result = ask({ ...base, ...context });
        outcomes.push({ context, decision: result.decision });
        if (granting === undefined && result.decision === 'Allowed') granting = result;
      }
      const dependsOnContext = outcomes.some((o) => o.decision !== first.decision);
      const decision: AccessDecision = dependsOnContext
        ? 'conditional'
        : first.decision === 'Allowed'
          ? 'allowed'
          : 'denied';
      return {
        accountId: principal.accountId,
        principalType: principal.principalType,
        name: principal.name,
        arn: principal.arn,
        action,
        resource,
        decision,
        engineDecision: first.decision,
        explanation: first.explanation,
        conditionKeys: dependsOnContext ? first.missingContextKeys : [],
        outcomes: dependsOnContext ? [{ context: {}, decision: first.decision }, ...outcomes] : [],
        grantedBy: granting === undefined ? [] : describe(granting.matched, 'Allow'),
        deniedBy: describe(first.matched, 'Deny'),
        limitedBy: first.blockedBy,
        ...(principal.permissionsBoundaryArn === undefined
          ? {}
          : { permissionsBoundaryArn: principal.permissionsBoundaryArn }),
        ...(principal.assumableBy === undefined ? {} : { assumableBy: principal.assumableBy }),
      };
    });
  }

  private async tagsOf(principal: AnalyzedPrincipal): Promise<Record<string, string>> {
    if (principal.principalType === 'root') return {};
    const id = principal.principalType === 'user' ? principal.caller.userId : principal.caller.userId.split(':')[0]!;
    const rows = await this.deps.ctx.db
      .selectFrom('iam_tags')
      .select(['tag_key', 'tag_value'])
      .where('resource_type', '=', principal.principalType)
      .where('resource_id', '=', id)
      .execute();
    return Object.fromEntries(rows.map((row) => [row.tag_key, row.tag_value]));
  }

  /** For each managed policy ARN reaching the principal: `user`, `role` or `group/NAME` (one per path). */
  private async attachmentPaths(principal: AnalyzedPrincipal): Promise<Map<string, string[]>> {
    const paths = new Map<string, string[]>();
    if (principal.principalType === 'root') return paths;
    const db = this.deps.ctx.db;
    const ownId = principal.caller.userId.split(':')[0]!;
    const entities: { id: string; path: string }[] = [{ id: ownId, path: principal.principalType }];
    if (principal.principalType === 'user') {
      const groups = await db
        .selectFrom('iam_group_members')
        .innerJoin('iam_groups', 'iam_groups.group_id', 'iam_group_members.group_id')
        .select(['iam_groups.group_id', 'iam_groups.name'])
        .where('iam_group_members.user_id', '=', ownId)
        .execute();
      entities.push(...groups.map((g) => ({ id: g.group_id, path: `group/${g.name}` })));
    }
    const attached = await db
      .selectFrom('iam_policy_attachments')
      .innerJoin('iam_policies', 'iam_policies.policy_id', 'iam_policy_attachments.policy_id')
      .select(['iam_policy_attachments.entity_id', 'iam_policies.arn'])
      .where(
        'iam_policy_attachments.entity_id',
        'in',
        entities.map((e) => e.id),
      )
      .execute();
    for (const row of attached) {
      const path = entities.find((e) => e.id === row.entity_id)!.path;
      paths.set(row.arn, [...(paths.get(row.arn) ?? []), path].sort());
    }
    return paths;
  }
}

function sourceOf(
  ref: StatementRef,
  sources: readonly PolicySource[],
  managedPaths: Map<string, string[]>,
  principal: AnalyzedPrincipal,
): Pick<StatementSource, 'origin' | 'via'> {
  if (ref.policyType === 'scp' || ref.policyType === 'rcp') return { origin: 'organization', via: [] };
  const source = sources.find((s) => s.policyId === ref.policyId && s.policyType === ref.policyType);
  if (source?.origin === 'inline') {
    // Inline policies are named `user/NAME/POLICY`, `group/NAME/POLICY`, `role/NAME/POLICY`.
    const [type, name] = ref.policyId.split('/');
    return { origin: 'inline', via: [type === 'group' ? `group/${name}` : principal.principalType] };
  }
  return { origin: 'managed', via: managedPaths.get(ref.policyId) ?? [] };
}

/** Keys whose value is `true` or `false`: tried both ways even when no policy names a value. */
const BOOLEAN_VALUES = ['true', 'false'];

/**
 * The contexts to try for the keys a first evaluation found missing: each key alone, with each value the
 * policies compare it against (a CIDR block stands for its first address) and `true`/`false`.
 */
function contextVariants(missing: readonly string[], sources: readonly PolicySource[]): Record<string, string>[] {
  const variants: Record<string, string>[] = [];
  for (const key of missing) {
    const values = new Set([...conditionValues(key, sources), ...BOOLEAN_VALUES]);
    for (const value of values) variants.push({ [key]: value });
  }
  return variants;
}

function conditionValues(key: string, sources: readonly PolicySource[]): string[] {
  const wanted = key.toLowerCase();
  const values: string[] = [];
  for (const source of sources) {
    const parsed = parseDocument(source.document);
    if (!parsed.ok) continue;
    for (const statement of parsed.document.statements) {
      for (const condition of statement.condition) {
        if (condition.key.toLowerCase() !== wanted) continue;
        for (const value of condition.values) values.push(String(value).replace(/\/\d+$/, ''));
      }
    }
  }
  return values;
}

/** The principals a trust policy's Allow statements let assume the role. */
function trustedPrincipals(document: string): string[] {
  const parsed = parseDocument(document, { resourceOptional: true });
  if (!parsed.ok) return [];
  const found = new Set<string>();
  for (const statement of parsed.document.statements) {
    const principal = statement.principal;
    if (statement.effect !== 'Allow' || principal === undefined) continue;
    if (principal.any) found.add('*');
    for (const value of [...principal.aws, ...principal.service, ...principal.federated]) found.add(value);
  }
  return [...found].sort();
}
