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
  statementsForAction,
  type CompiledPolicy,
  type CompiledPolicySet,
  type ContextValue,
  type Decision,
  type EvaluationResult,
  type PolicyType,
  type StatementRef,
} from '../policy/index.js';
import { BoundedCache } from '../platform/bounded-cache.js';
import { loadSnapshot, type AccountSnapshot, type SnapshotEntity } from './access-snapshot.js';
import type { IamContext } from './context.js';
import {
  inlinePolicyId,
  type BoundaryInput,
  type PolicySource,
  type PrincipalResolver,
  type ResolvedPrincipal,
} from './principal-resolution.js';

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

/** One cell of the matrix: the decision, and the statements behind it (described on demand: `MatrixRow.describe`). */
export interface MatrixCell {
  decision: AccessDecision;
  engineDecision: Decision;
  conditionKeys: string[];
  granted: StatementRef[];
  denied: StatementRef[];
  limitedBy: PolicyType[];
}

export interface MatrixRow {
  principal: AnalyzedPrincipal;
  /** A user's groups, by name. */
  groups: string[];
  /** One per action asked, in order. */
  cells: MatrixCell[];
  /** The statements of a cell, with how each policy reaches the principal. */
  describe(refs: readonly StatementRef[]): StatementSource[];
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
  /** The keys `principalContext` leaves out because they depend on the request (source IP, MFA, time…). */
  requestKeys: readonly string[];
}

/** The session name the analysis gives a role's caller (it shows in aws:userid and the session ARN). */
const SESSION_NAME = 'WhoCanAnalysis';

export class AccessAnalysis {
  constructor(private readonly deps: AccessAnalysisDeps) {}

  /** The root user, every user and every role of the account, in that order (users and roles by name). */
  async principals(accountId: string): Promise<AnalyzedPrincipal[]> {
    return principalsOf(await this.snapshot(accountId));
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
      const judged = judge(
        (context) =>
          evaluate({ principal: principal.caller.arn, action, resource, context }, set, { allMatches: true }),
        base,
        sources,
      );
      const { first, granting } = judged;
      return {
        accountId: principal.accountId,
        principalType: principal.principalType,
        name: principal.name,
        arn: principal.arn,
        action,
        resource,
        decision: judged.decision,
        engineDecision: first.decision,
        explanation: first.explanation,
        conditionKeys: judged.conditionKeys,
        outcomes: judged.outcomes,
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

  /** The snapshot of an account the matrix reads (src/iam/access-snapshot.ts). */
  snapshot(accountId: string, options: Parameters<typeof loadSnapshot>[2] = {}): Promise<AccountSnapshot> {
    return loadSnapshot(this.deps.ctx.db, accountId, options);
  }

  /**
   * Every principal of a snapshot × each action: the access matrix. Each principal's policy set is assembled
   * once (by the resolver, from the snapshot) and asked every action. When no policy of the set has a policy
   * variable or a condition on the principal's own keys (so who the principal is cannot matter), a decision is
   * shared with every principal of the kind whose policies covering the action are the same: in an account of
   * a thousand users, most cells are decided by a few policies, or none.
   */
  async matrix(snapshot: AccountSnapshot, actions: readonly string[], resource = '*'): Promise<MatrixRow[]> {
    const scps = await this.deps.resolver.scpChain(snapshot.accountId);
    const requestKeys = new Set(this.deps.requestKeys.map((k) => k.toLowerCase()));
    const groupsById = new Map(snapshot.groups.map((g) => [g.id, g]));
    const entities = new Map([...snapshot.users, ...snapshot.roles].map((e) => [e.arn, e]));
    // Shared work: a number per compiled policy, the actions (indexes) each covers, each action's decisions by
    // the policies covering it, and whole rows by the principal's set.
    const numbers = new Map<CompiledPolicy, number>();
    const coverage = new Map<CompiledPolicy, number[]>();
    const byCovering = actions.map(() => new Map<string, MatrixCell>());
    const rows = new Map<string, MatrixCell[]>();
    const numberOf = (policy: CompiledPolicy) => {
      let n = numbers.get(policy);
      if (n === undefined) numbers.set(policy, (n = numbers.size));
      return n;
    };
    const covered = (policy: CompiledPolicy) => {
      let found = coverage.get(policy);
      if (found === undefined) {
        found = [];
        for (const [i, action] of actions.entries()) {
          if (statementsForAction(policy, action).length > 0) found.push(i);
        }
        coverage.set(policy, found);
      }
      return found;
    };
    return principalsOf(snapshot).map((principal) => {
      const parts = partsOf(snapshot, principal, entities, groupsById);
      const resolved = this.deps.resolver.assemble({
        sources: parts.sources,
        ...(parts.boundary ? { boundary: parts.boundary } : {}),
        ...(scps ? { scps } : {}),
      });
      const { set } = resolved;
      const row = (cells: MatrixCell[]): MatrixRow => ({
        principal,
        groups: parts.groups,
        cells,
        describe: (refs) => refs.map((ref) => ({ ...ref, ...sourceOf(ref, resolved.sources, parts.via, principal) })),
      });
      // When who the principal is cannot matter, a decision depends only on the kind of principal, its boundary
      // and the policies covering the action: principals alike in those share it.
      let covering: string[] | undefined;
      if (principalIndependent(set, requestKeys)) {
        const kind = `${principal.principalType}|${set.permissionBoundary?.policyId ?? ''}`;
        const signature = `${kind}|${set.identity.map(numberOf).join(',')}`;
        const known = rows.get(signature);
        if (known !== undefined) return row(known);
        covering = actions.map(() => kind);
        for (const policy of set.identity) {
          const n = numberOf(policy);
          for (const i of covered(policy)) covering[i] += `,${n}`;
        }
        const cells = this.cells(principal, parts.tags, resolved, actions, resource, covering, byCovering);
        rows.set(signature, cells);
        return row(cells);
      }
      return row(this.cells(principal, parts.tags, resolved, actions, resource));
    });
  }

  /** A principal's cells, reusing (and keeping) the decisions of principals alike when `covering` says how. */
  private cells(
    principal: AnalyzedPrincipal,
    tags: Record<string, string>,
    resolved: ResolvedPrincipal,
    actions: readonly string[],
    resource: string,
    covering?: readonly string[],
    byCovering?: readonly Map<string, MatrixCell>[],
  ): MatrixCell[] {
    let base: Record<string, ContextValue> | undefined;
    return actions.map((action, i): MatrixCell => {
      const known = covering === undefined ? undefined : byCovering![i]!.get(covering[i]!);
      if (known !== undefined) return known;
      base ??= this.deps.principalContext(principal.caller, tags);
      const judged = judge(
        (context) =>
          evaluate({ principal: principal.caller.arn, action, resource, context }, resolved.set, { allMatches: true }),
        base,
        resolved.sources,
      );
      const cell: MatrixCell = {
        decision: judged.decision,
        engineDecision: judged.first.decision,
        conditionKeys: judged.conditionKeys,
        granted: judged.granting?.matched.filter((ref) => ref.effect === 'Allow') ?? [],
        denied: judged.first.matched.filter((ref) => ref.effect === 'Deny'),
        limitedBy: judged.first.blockedBy,
      };
      if (covering !== undefined) byCovering![i]!.set(covering[i]!, cell);
      return cell;
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

/** How one (principal, action) decision came out, before it is described. */
interface Judgement {
  decision: AccessDecision;
  /** The engine's answer with no request-dependent keys in the context. */
  first: EvaluationResult;
  /** An answer that allows (for `conditional`: in a context where it is allowed). */
  granting: EvaluationResult | undefined;
  conditionKeys: string[];
  outcomes: ContextOutcome[];
}

/**
 * The decision for one principal and action: asked with the principal's own context, then — when conditions
 * asked for request keys it lacks — in each context worth trying; `conditional` when the answer depends on them.
 */
function judge(
  ask: (context: Record<string, ContextValue>) => EvaluationResult,
  base: Record<string, ContextValue>,
  sources: readonly PolicySource[],
): Judgement {
  const first = ask(base);
  const outcomes: ContextOutcome[] = [];
  let granting = first.decision === 'Allowed' ? first : undefined;
  for (const context of contextVariants(first.missingContextKeys, sources)) {
    const result = ask({ ...base, ...context });
    outcomes.push({ context, decision: result.decision });
    if (granting === undefined && result.decision === 'Allowed') granting = result;
  }
  // Conditional only when whether it is allowed depends on the context: an implicit deny in one context and an
  // explicit deny in another is still a deny.
  const allowed = first.decision === 'Allowed';
  const dependsOnContext = outcomes.some((o) => (o.decision === 'Allowed') !== allowed);
  return {
    decision: dependsOnContext ? 'conditional' : first.decision === 'Allowed' ? 'allowed' : 'denied',
    first,
    granting,
    conditionKeys: dependsOnContext ? first.missingContextKeys : [],
    outcomes: dependsOnContext ? [{ context: {}, decision: first.decision }, ...outcomes] : [],
  };
}

/** Keys whose value is `true` or `false`: tried both ways even when no policy names a value. */
const BOOLEAN_VALUES = ['true', 'false'];

/** How many joint contexts (every missing key set at once) are tried at most; beyond, keys are tried alone. */
const JOINT_CONTEXTS = 64;

/**
 * The contexts to try for the keys a first evaluation found missing: each key alone, with each value the
 * policies compare it against (a CIDR block stands for its first address) and `true`/`false`; and, when the
 * combinations are few, every combination of them — a statement asking for MFA *and* a source IP allows in
 * none of the single-key contexts.
 */
function contextVariants(missing: readonly string[], sources: readonly PolicySource[]): Record<string, string>[] {
  const variants: Record<string, string>[] = [];
  const valuesOf = missing.map((key) => [...new Set([...conditionValues(key, sources), ...BOOLEAN_VALUES])]);
  missing.forEach((key, i) => {
    for (const value of valuesOf[i]!) variants.push({ [key]: value });
  });
  if (missing.length < 2 || valuesOf.reduce((n, values) => n * values.length, 1) > JOINT_CONTEXTS) return variants;
  let joint: Record<string, string>[] = [{}];
  missing.forEach((key, i) => {
    joint = joint.flatMap((context) => valuesOf[i]!.map((value) => ({ ...context, [key]: value })));
  });
  return [...variants, ...joint];
}

/** Each document's condition values by lowercase key; documents are shared by every principal they reach. */
const CONDITION_VALUES = new BoundedCache<string, Map<string, string[]>>(4096);

function conditionValues(key: string, sources: readonly PolicySource[]): string[] {
  const wanted = key.toLowerCase();
  const values: string[] = [];
  for (const source of sources) {
    let index = CONDITION_VALUES.get(source.document);
    if (index === undefined) {
      index = new Map();
      const parsed = parseDocument(source.document);
      for (const statement of parsed.ok ? parsed.document.statements : []) {
        for (const condition of statement.condition) {
          const lower = condition.key.toLowerCase();
          const list = index.get(lower) ?? [];
          for (const value of condition.values) list.push(String(value).replace(/\/\d+$/, ''));
          index.set(lower, list);
        }
      }
      CONDITION_VALUES.set(source.document, index);
    }
    values.push(...(index.get(wanted) ?? []));
  }
  return values;
}

/**
 * Whether the set decides alike for every principal of a kind it is the set of: no policy variable, and
 * conditions only on request keys (which the analysis varies itself), never on the principal's own (its
 * name, ARN, tags…).
 */
function principalIndependent(set: CompiledPolicySet, requestKeys: ReadonlySet<string>): boolean {
  const policies = [
    ...set.identity,
    ...(set.permissionBoundary ? [set.permissionBoundary] : []),
    ...(set.scps ?? []).flat(),
  ];
  return policies.every((policy) =>
    policy.statements.every(
      (s) =>
        s.resources.every((r) => r.template === undefined) &&
        s.conditions.every((c) => c.templates === undefined && requestKeys.has(c.key.toLowerCase())),
    ),
  );
}

const SESSION_ARN = (accountId: string, roleName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${SESSION_NAME}`;

/** The root user, every user and every role of a snapshot, as the analysis asks about them. */
function principalsOf(snapshot: AccountSnapshot): AnalyzedPrincipal[] {
  const { accountId } = snapshot;
  const rootArn = `arn:aws:iam::${accountId}:root`;
  const boundary = (e: SnapshotEntity) =>
    e.boundaryArn === undefined ? {} : { permissionsBoundaryArn: e.boundaryArn };
  return [
    {
      accountId,
      principalType: 'root',
      name: 'root',
      arn: rootArn,
      caller: { kind: 'root', accountId, arn: rootArn, userId: accountId },
    },
    ...snapshot.users.map((user): AnalyzedPrincipal => ({
      accountId,
      principalType: 'user',
      name: user.name,
      arn: user.arn,
      caller: { kind: 'user', accountId, arn: user.arn, userId: user.id, name: user.name },
      ...boundary(user),
    })),
    ...snapshot.roles.map((role): AnalyzedPrincipal => ({
      accountId,
      principalType: 'role',
      name: role.name,
      arn: role.arn,
      caller: {
        kind: 'assumed-role',
        accountId,
        arn: SESSION_ARN(accountId, role.name),
        userId: `${role.id}:${SESSION_NAME}`,
        name: role.name,
        roleArn: role.arn,
        sessionName: SESSION_NAME,
      },
      ...boundary(role),
      assumableBy: trustedPrincipals(role.trustPolicy ?? ''),
    })),
  ];
}

/**
 * What the resolver would read from the store for a principal, read from the snapshot instead: its identity
 * policies in resolve()'s order (managed by ARN, then inline), its boundary, its tags, its groups, and how each
 * managed policy reaches it.
 */
function partsOf(
  snapshot: AccountSnapshot,
  principal: AnalyzedPrincipal,
  entities: Map<string, SnapshotEntity>,
  groupsById: Map<string, SnapshotEntity>,
): {
  sources: PolicySource[];
  boundary?: BoundaryInput;
  tags: Record<string, string>;
  groups: string[];
  via: Map<string, string[]>;
} {
  const via = new Map<string, string[]>();
  if (principal.principalType === 'root') return { sources: [], tags: {}, groups: [], via };
  const own = entities.get(principal.arn)!;
  const groups = own.groups.flatMap((id) => groupsById.get(id) ?? []);
  const reaching: [SnapshotEntity, string][] = [
    [own, principal.principalType],
    ...groups.map((g): [SnapshotEntity, string] => [g, `group/${g.name}`]),
  ];
  for (const [entity, path] of reaching) {
    for (const arn of entity.managed) via.set(arn, [...(via.get(arn) ?? []), path].sort());
  }
  const sources: PolicySource[] = [...via.keys()]
    .sort()
    .filter((arn) => snapshot.policies.has(arn))
    .map((arn) => ({
      policyId: arn,
      policyType: 'identity',
      origin: 'managed',
      document: snapshot.policies.get(arn)!,
    }));
  // resolve() orders inline policies by entity type, then name.
  const inline = [...reaching]
    .sort(([a], [b]) => a.type.localeCompare(b.type))
    .flatMap(([entity]) =>
      [...entity.inline]
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
        .map((p): PolicySource => ({
          policyId: inlinePolicyId(entity.type, entity.name, p.name),
          policyType: 'identity',
          origin: 'inline',
          document: p.document,
        })),
    );
  return {
    sources: [...sources, ...inline],
    ...(own.boundaryArn === undefined
      ? {}
      : { boundary: { arn: own.boundaryArn, document: snapshot.policies.get(own.boundaryArn) ?? null } }),
    tags: own.tags,
    groups: groups.map((g) => g.name).sort(),
    via,
  };
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
