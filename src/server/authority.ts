/**
 * The Edge's Authority over the IAM service's principal resolution and the policy engine: resolve the
 * caller's compiled set (cached by the resolver) with the session policies of a temporary-credential
 * caller, evaluate; its principal tags are its user's or role's, under its session tags. A request that names its resource's own policy (AssumeRole: the role's trust policy)
 * has it found by the resource's ARN and joined as the resource policy.
 */
import type { Caller } from '../core/operation.js';
import type { IamContext } from '../iam/context.js';
import type { PrincipalResolver } from '../iam/principal-resolution.js';
import type { SessionFacts } from './key-lookup.js';
import { principalTags } from '../iam/records.js';
import { compilePolicy, createPolicySet, evaluate, type CompiledPolicy } from '../policy/index.js';
import type { EvaluationResult, RequestInput } from '../policy/types.js';
import type { Authority } from '../core/access.js';
import { BoundedCache } from '../platform/bounded-cache.js';

interface TagEntry {
  generation: number;
  tags: Record<string, string>;
}

const TRUST_CACHE_LIMIT = 1000;
const TAG_CACHE_LIMIT = 10_000;

export function createAuthority(
  ctx: IamContext,
  resolver: PrincipalResolver,
  sessionOf: (caller: Caller) => Promise<SessionFacts>,
  /** A resource's own policy by its ARN (a role's trust policy), undefined when there is no such resource. */
  resourcePolicyOf: (resourceArn: string) => Promise<string | undefined>,
): Authority {
  const trustPolicies = new BoundedCache<string, CompiledPolicy>(TRUST_CACHE_LIMIT);
  const tagCache = new BoundedCache<string, TagEntry>(TAG_CACHE_LIMIT);

  /** An IAM user's or a session's role's own tags, cached under the account's policy generation. */
  async function entityTags(accountId: string, kind: 'user' | 'assumed-role', id: string) {
    const generation = ctx.localGeneration(accountId);
    const cacheKey = `${kind}|${id}`;
    const cached = tagCache.get(cacheKey);
    if (cached !== undefined && cached.generation === generation && !ctx.sharedStore) return cached.tags;
    const tags = await principalTags(ctx.db, kind, id);
    tagCache.set(cacheKey, { generation, tags });
    return tags;
  }

  async function resolvedSet(caller: Caller) {
    return (await resolver.resolve(caller, (await sessionOf(caller)).policies)).set;
  }

  function compiledTrust(document: string, roleArn: string): CompiledPolicy {
    const key = `${roleArn}|${document}`;
    let policy = trustPolicies.get(key);
    if (policy === undefined) {
      const result = compilePolicy(document, { policyType: 'resource', policyId: roleArn });
      if (!result.ok) throw new Error(`trust policy of ${roleArn} does not compile: ${result.errors.join('; ')}`);
      policy = result.policy;
      trustPolicies.set(key, policy);
    }
    return policy;
  }

  async function evaluateWithResourcePolicy(caller: Caller, request: RequestInput): Promise<EvaluationResult> {
    const resourcePolicy = await resourcePolicyOf(request.resource);
    if (resourcePolicy === undefined) {
      return {
        decision: 'ImplicitlyDenied',
        explanation: `User: ${request.principal} is not authorized to perform: ${request.action} on resource: ${request.resource}`,
        matched: [],
        blockedBy: ['resource'],
        missingContextKeys: [],
      };
    }
    // A federated principal (an unsigned call's, or one the request names instead of the caller) has no
    // policies of its own: the resource policy alone decides.
    if (caller.kind === 'anonymous' || request.principal !== caller.arn)
      return evaluate(
        request,
        createPolicySet({ identity: [], resource: compiledTrust(resourcePolicy, request.resource) }),
      );
    const set = await resolvedSet(caller);
    const withResource = createPolicySet({
      identity: [...set.identity],
      resource: compiledTrust(resourcePolicy, request.resource),
      ...(set.permissionBoundary === undefined ? {} : { permissionBoundary: set.permissionBoundary }),
      ...(set.session === undefined ? {} : { session: set.session }),
      ...(set.scps === undefined ? {} : { scps: set.scps.map((level) => [...level]) }),
    });
    return evaluate(request, withResource);
  }

  return {
    async evaluate(caller, request, options) {
      if (options?.withResourcePolicy === true) return evaluateWithResourcePolicy(caller, request);
      if (caller.kind === 'anonymous') return evaluate(request, createPolicySet({ identity: [] }));
      return evaluate(request, await resolvedSet(caller));
    },

    async principalTags(caller) {
      if (caller.kind === 'root' || caller.kind === 'anonymous') return {};
      const session = (await sessionOf(caller)).tags;
      // A federated user carries the tags of the IAM user who federated it (none for the root user's).
      const own =
        caller.kind === 'federated-user'
          ? await entityTags(caller.accountId, 'user', caller.federatedBy ?? '')
          : await entityTags(
              caller.accountId,
              caller.kind,
              // A session's userId is `AROA…:session`: the role it was issued for, not a later one of its name.
              caller.kind === 'user' ? caller.userId : caller.userId.split(':')[0]!,
            );
      if (Object.keys(session).length === 0) return own;
      // A session tag replaces the role's (user's) tag of the same key, whatever its case (AWS's rule).
      const replaced = new Set(Object.keys(session).map((key) => key.toLowerCase()));
      return {
        ...Object.fromEntries(Object.entries(own).filter(([key]) => !replaced.has(key.toLowerCase()))),
        ...session,
      };
    },
  };
}
