/**
 * The one place that turns a caller into the engine's compiled policy set: for an IAM user, the managed and
 * inline policies of the user and of its groups; for an assumed-role session, the role's; for the root
 * user, none (the engine exempts root from identity policies); for a federated user (GetFederationToken),
 * the policies of the IAM user who asked (the root user's: everything); plus the permissions boundary, the
 * session policies (the inline `Policy` and the managed `PolicyArns` passed to STS) and the SCP chain of the
 * caller's account.
 *
 * Caching: managed policy versions never change once written, so each compiles once (keyed by policy id and
 * version). A principal's whole set is cached under its account's policy generation, which every IAM write
 * bumps (IamContext.write) and Organizations bumps through `invalidate` when an SCP chain changes, and under
 * the session policies it was resolved with, so two sessions of one role never share a set. With a
 * shared store (PostgreSQL, several instances) the stored generation — bumped in the writing transaction —
 * is read on each resolution, so another instance's change is seen by the next request.
 */
import type { Caller } from '../core/operation.js';
import type { CompiledPolicy, PolicyType } from '../policy/index.js';
import { type CompiledPolicySet, compilePolicy, createPolicySet } from '../policy/index.js';
import type { IamContext } from './context.js';
import { AWS_MANAGED, type EntityType } from './records.js';
import { BoundedCache } from '../platform/bounded-cache.js';

/** The SCP chain of an account (Organizations' `scpChainFor`), or undefined when none applies. */
export type ScpChainFor = (accountId: string) => Promise<CompiledPolicy[][] | undefined>;

export interface ResolveOptions {
  /** The inline session policy of an STS session (JSON text), if one was passed to AssumeRole… or GetFederationToken. */
  sessionPolicy?: string;
  /**
   * The managed session policies (`PolicyArns`) of an STS session. Their default versions are read when the set
   * is resolved, as a role's own managed policies are: a new default version applies to sessions already issued.
   */
  sessionPolicyArns?: readonly string[];
}

/** One identity, boundary or session policy behind a set, for explanations and SimulatePrincipalPolicy. */
export interface PolicySource {
  policyId: string;
  policyType: PolicyType;
  /** `managed` (with its ARN as id) or `inline` on a user, group or role, or a session's inline policy. */
  origin: 'managed' | 'inline';
  document: string;
  /** An inline identity policy's owner and name (ListPoliciesGrantingServiceAccess names them apart). */
  embeddedIn?: { type: EntityType; name: string; policyName: string };
}

/** A permissions boundary by ARN, with its default version's document (null when the policy no longer exists). */
export interface BoundaryInput {
  arn: string;
  document: string | null;
}

/**
 * One session policy: the inline one (policyId `session-policy`), or a managed one by ARN with its default
 * version's document (null when the policy no longer exists).
 */
export interface SessionPolicyInput {
  policyId: string;
  document: string | null;
}

/** The policy id a session's inline policy is named by in decisions (managed session policies by their ARN). */
export const INLINE_SESSION_POLICY_ID = 'session-policy';

export interface AssembleParts {
  /** Identity policies, in the order resolve() collects them. */
  sources: PolicySource[];
  boundary?: BoundaryInput;
  /** The session policies; absent when none applies, empty when one applies and allows nothing. */
  sessionPolicies?: SessionPolicyInput[];
  scps?: CompiledPolicy[][];
}

export interface ResolvedPrincipal {
  set: CompiledPolicySet;
  sources: PolicySource[];
}

interface CacheEntry {
  generation: number;
  resolved: ResolvedPrincipal;
}

const SET_CACHE_LIMIT = 10_000;

/** What the root user may do, as an identity policy: the upper bound of its federated users. */
const ROOT_FEDERATION: PolicySource = {
  policyId: 'root-federation',
  policyType: 'identity',
  origin: 'inline',
  document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
};
const COMPILED_CACHE_LIMIT = 20_000;

/** A policy that allows nothing: what a boundary or a managed session policy that no longer exists becomes. */
const ALLOWS_NOTHING = '{"Version":"2012-10-17","Statement":[]}';

export class PrincipalResolver {
  private readonly sets = new BoundedCache<string, CacheEntry>(SET_CACHE_LIMIT);
  private readonly compiled = new BoundedCache<string, CompiledPolicy>(COMPILED_CACHE_LIMIT);

  constructor(
    private readonly ctx: IamContext,
    private readonly scpChainFor?: ScpChainFor,
  ) {}

  /** Forget cached sets of these accounts (Organizations calls this after an SCP change). */
  invalidate(accountIds: readonly string[]): void {
    this.ctx.bumpLocal(accountIds);
  }

  async resolve(caller: Caller, options: ResolveOptions = {}): Promise<ResolvedPrincipal> {
    const generation = this.ctx.sharedStore
      ? await this.ctx.storedGeneration(caller.accountId)
      : this.ctx.localGeneration(caller.accountId);
    // The session policies are part of the key: two sessions of one role with different ones must not share a set.
    const key = `${caller.kind}|${caller.userId}|${caller.roleArn ?? caller.federatedBy ?? ''}|${JSON.stringify([
      options.sessionPolicy ?? null,
      options.sessionPolicyArns ?? [],
    ])}`;
    const cached = this.sets.get(key);
    if (cached && cached.generation === generation) return cached.resolved;
    const resolved = await this.build(caller, options);
    this.sets.set(key, { generation, resolved });
    return resolved;
  }

  private async build(caller: Caller, options: ResolveOptions): Promise<ResolvedPrincipal> {
    const sources: PolicySource[] = [];
    let boundaryArn: string | null = null;
    if (caller.kind === 'federated-user' && caller.federatedBy === caller.accountId) {
      // The root user's federated user: root may do anything, so its session policy alone limits it.
      sources.push(ROOT_FEDERATION);
    } else if (caller.kind === 'user' || caller.kind === 'federated-user') {
      const user = await this.ctx.db
        .selectFrom('iam_users')
        .select(['user_id', 'name', 'permissions_boundary_arn'])
        .where('user_id', '=', caller.kind === 'user' ? caller.userId : (caller.federatedBy ?? ''))
        .executeTakeFirst();
      if (user) {
        boundaryArn = user.permissions_boundary_arn;
        const groups = await this.ctx.db
          .selectFrom('iam_group_members')
          .innerJoin('iam_groups', 'iam_groups.group_id', 'iam_group_members.group_id')
          .select(['iam_groups.group_id', 'iam_groups.name'])
          .where('user_id', '=', user.user_id)
          .execute();
        await this.collect(sources, [
          { type: 'user', id: user.user_id, name: user.name },
          ...groups.map((g) => ({ type: 'group' as const, id: g.group_id, name: g.name })),
        ]);
      }
    } else if (caller.kind === 'assumed-role' && caller.roleArn) {
      // By the role's unique id (a session's userId is `AROA…:session`), as AWS ties a session to it: once the
      // role is deleted its sessions have no policies, even after another role of the same name is created.
      const role = await this.ctx.db
        .selectFrom('iam_roles')
        .select(['role_id', 'name', 'permissions_boundary_arn'])
        .where('role_id', '=', caller.userId.split(':')[0]!)
        .where('arn', '=', caller.roleArn)
        .executeTakeFirst();
      if (role) {
        boundaryArn = role.permissions_boundary_arn;
        await this.collect(sources, [{ type: 'role', id: role.role_id, name: role.name }]);
      }
    }
    let boundary: BoundaryInput | undefined;
    if (boundaryArn) {
      const row = await this.ctx.db
        .selectFrom('iam_policies')
        .innerJoin('iam_policy_versions', (j) =>
          j
            .onRef('iam_policy_versions.policy_id', '=', 'iam_policies.policy_id')
            .onRef('iam_policy_versions.version_id', '=', 'iam_policies.default_version_id'),
        )
        .select(['iam_policy_versions.document'])
        .where('iam_policies.arn', '=', boundaryArn)
        .executeTakeFirst();
      boundary = { arn: boundaryArn, document: row?.document ?? null };
    }
    const sessionPolicies = await this.sessionPolicies(caller, options);
    const scps = this.scpChainFor ? await this.scpChainFor(caller.accountId) : undefined;
    return this.assemble({
      sources,
      ...(boundary ? { boundary } : {}),
      ...(sessionPolicies ? { sessionPolicies } : {}),
      ...(scps ? { scps } : {}),
    });
  }

  /**
   * A session's inline policy and its managed ones (each policy's current default version, as the caller's
   * account sees it: its own or AWS's). A federated user always has session policies, none passed meaning
   * none allows anything (GetFederationToken's rule); any other caller has them only when some were passed.
   */
  private async sessionPolicies(caller: Caller, options: ResolveOptions): Promise<SessionPolicyInput[] | undefined> {
    const arns = options.sessionPolicyArns ?? [];
    if (options.sessionPolicy === undefined && arns.length === 0 && caller.kind !== 'federated-user') return undefined;
    const rows =
      arns.length === 0
        ? []
        : await this.ctx.db
            .selectFrom('iam_policies')
            .innerJoin('iam_policy_versions', (j) =>
              j
                .onRef('iam_policy_versions.policy_id', '=', 'iam_policies.policy_id')
                .onRef('iam_policy_versions.version_id', '=', 'iam_policies.default_version_id'),
            )
            .select(['iam_policies.arn', 'iam_policy_versions.document'])
            .where('iam_policies.arn', 'in', [...arns])
            .where('iam_policies.account_id', 'in', [caller.accountId, AWS_MANAGED])
            .execute();
    const documents = new Map(rows.map((row) => [row.arn, row.document]));
    return [
      ...(options.sessionPolicy === undefined
        ? []
        : [{ policyId: INLINE_SESSION_POLICY_ID, document: options.sessionPolicy }]),
      ...arns.map((arn) => ({ policyId: arn, document: documents.get(arn) ?? null })),
    ];
  }

  /** The SCP chain of an account, as resolve() puts it in a set (the access matrix assembles sets itself). */
  async scpChain(accountId: string): Promise<CompiledPolicy[][] | undefined> {
    return this.scpChainFor ? await this.scpChainFor(accountId) : undefined;
  }

  /**
   * The compiled set of a principal's parts, however they were read: resolve() from the store, the access
   * matrix from a snapshot of the account (src/iam/access-snapshot.ts), possibly with a proposed change applied.
   * `sources` are the identity policies; the boundary source is added to them.
   */
  assemble(parts: AssembleParts): ResolvedPrincipal {
    const sources = [...parts.sources];
    const identity = sources.map((s) => this.compile(s, `${s.policyId}|${s.document}`));
    let permissionBoundary: CompiledPolicy | undefined;
    if (parts.boundary) {
      const { arn, document } = parts.boundary;
      if (document !== null) {
        const source: PolicySource = { policyId: arn, policyType: 'permissionBoundary', origin: 'managed', document };
        sources.push(source);
        permissionBoundary = this.compile(source, `boundary|${arn}|${document}`);
      } else {
        // A boundary that no longer resolves must not widen access: an empty boundary allows nothing.
        permissionBoundary = this.compile(
          { policyId: arn, policyType: 'permissionBoundary', origin: 'managed', document: ALLOWS_NOTHING },
          `boundary-missing|${arn}`,
        );
      }
    }
    const session = parts.sessionPolicies?.map(({ policyId, document }) => {
      const origin = policyId === INLINE_SESSION_POLICY_ID ? 'inline' : 'managed';
      // A managed session policy deleted since the session began allows nothing; it never widens the session.
      if (document === null)
        return this.compile(
          { policyId, policyType: 'session', origin, document: ALLOWS_NOTHING },
          `session-missing|${policyId}`,
        );
      const source: PolicySource = { policyId, policyType: 'session', origin, document };
      sources.push(source);
      return this.compile(source, `session|${policyId}|${document}`);
    });
    const set = createPolicySet({
      identity,
      ...(permissionBoundary ? { permissionBoundary } : {}),
      ...(session ? { session } : {}),
      ...(parts.scps ? { scps: parts.scps } : {}),
    });
    return { set, sources };
  }

  /** The identity policies of one group (SimulatePrincipalPolicy on a group ARN). */
  async groupPolicies(
    groupId: string,
    groupName: string,
  ): Promise<{ policies: CompiledPolicy[]; sources: PolicySource[] }> {
    const sources: PolicySource[] = [];
    await this.collect(sources, [{ type: 'group', id: groupId, name: groupName }]);
    return { policies: sources.map((s) => this.compile(s, `${s.policyId}|${s.document}`)), sources };
  }

  /** Managed (default versions) and inline identity policies of the given entities, in a stable order. */
  private async collect(
    sources: PolicySource[],
    entities: { type: EntityType; id: string; name: string }[],
  ): Promise<void> {
    const ids = entities.map((e) => e.id);
    // The default version is left-joined: an attached policy whose default version were missing must stop the
    // decision (fail closed), never drop out of the set — it may be the Deny that protects the resource.
    const managed = await this.ctx.db
      .selectFrom('iam_policy_attachments')
      .innerJoin('iam_policies', 'iam_policies.policy_id', 'iam_policy_attachments.policy_id')
      .leftJoin('iam_policy_versions', (j) =>
        j
          .onRef('iam_policy_versions.policy_id', '=', 'iam_policies.policy_id')
          .onRef('iam_policy_versions.version_id', '=', 'iam_policies.default_version_id'),
      )
      .select([
        'iam_policies.arn',
        'iam_policies.policy_id',
        'iam_policies.default_version_id',
        'iam_policy_versions.document',
      ])
      .where('iam_policy_attachments.entity_id', 'in', ids)
      .orderBy('iam_policies.arn')
      .execute();
    const seen = new Set<string>();
    for (const m of managed) {
      if (seen.has(m.policy_id)) continue;
      seen.add(m.policy_id);
      if (m.document === null)
        throw new Error(`Managed policy ${m.arn} has no default version ${m.default_version_id}: refusing to decide`);
      sources.push({ policyId: m.arn, policyType: 'identity', origin: 'managed', document: m.document });
    }
    const inline = await this.ctx.db
      .selectFrom('iam_inline_policies')
      .select(['entity_type', 'entity_id', 'name', 'document'])
      .where('entity_id', 'in', ids)
      .orderBy('entity_type')
      .orderBy('name_key')
      .execute();
    for (const p of inline) {
      const owner = entities.find((e) => e.id === p.entity_id && e.type === p.entity_type);
      if (!owner) continue;
      sources.push({
        policyId: inlinePolicyId(owner.type, owner.name, p.name),
        policyType: 'identity',
        origin: 'inline',
        document: p.document,
        embeddedIn: { type: owner.type, name: owner.name, policyName: p.name },
      });
    }
  }

  private compile(source: PolicySource, cacheKey: string): CompiledPolicy {
    let policy = this.compiled.get(cacheKey);
    if (policy === undefined) {
      const result = compilePolicy(source.document, { policyType: source.policyType, policyId: source.policyId });
      // Documents are validated when written; one that no longer compiles must not silently widen access.
      if (!result.ok) throw new Error(`Stored policy ${source.policyId} does not compile: ${result.errors.join('; ')}`);
      policy = result.policy;
      this.compiled.set(cacheKey, policy);
    }
    return policy;
  }
}

/** How inline policies are named in decisions: `user/Alice/PolicyName`. */
export function inlinePolicyId(type: EntityType, entityName: string, policyName: string): string {
  return `${type}/${entityName}/${policyName}`;
}
