/**
 * AWS's policy evaluation logic, in one place ("Policy evaluation logic", IAM User Guide):
 * 1. An explicit Deny in any applicable policy wins.
 * 2. RCPs, then SCPs: every level of the organization must have an Allow.
 * 3. Within one account, an Allow in the resource-based policy or in an identity-based policy suffices,
 *    with AWS's nuances for the resource-based side: naming the requester itself (user ARN, session ARN,
 *    or `*`) is final, even past an implicit deny in the boundary or session policy; naming a session's
 *    role ARN is still limited by the boundary and the session policy; naming the account delegates to
 *    the account's identity-based policies, so it grants nothing by itself.
 * 4. Across accounts, both sides must allow: the principal's identity-based policy (within its boundary
 *    and session policy) and the resource's resource-based policy.
 * 5. Identity-based Allows are limited by the permissions boundary and the session policy (intersection).
 * The account root user is not subject to identity-based policies, boundaries or session policies, but is
 * to SCPs, RCPs and Denies in resource-based policies. An anonymous caller has no identity side at all:
 * only a resource-based policy can grant it, RCPs limit it, SCPs do not (they govern an organization's
 * principals, and an anonymous caller is none).
 * Above all of this sit the rules AWS's services enforce whatever the policies say (service-rules.ts).
 */
import { testCondition } from './condition/condition.js';
import { NOT_FOR_ANONYMOUS_BITS, NOT_FOR_ROOT_BITS, TYPE_BITS, type CompiledStatement } from './compile.js';
import { deriveContextKey, lookupRequestKey } from './context.js';
import { compileGlob } from './glob.js';
import { rcpGoverns, scpGoverns } from './guardrail-scope.js';
import { explain } from './explain.js';
import type { CompiledPolicySet } from './policy-set.js';
import {
  matchNotPrincipal,
  matchPrincipal,
  strongerMatch,
  type PrincipalInfo,
  type PrincipalMatch,
} from './principal.js';
import type { Decision, EvaluationResult, PolicyType, RequestInput, StatementRef } from './types.js';
import { resolveTemplate, type ContextSource } from './variables.js';

export interface EvaluateOptions {
  /**
   * Collect every matching statement and every missing context key (the command line and the console's
   * "why" panel). Off by default: evaluation then stops at the first statement that decides each step,
   * and `matched` holds that first statement per policy type and level.
   */
  allMatches?: boolean;
}

/** The order in which AWS's flow chart consults policy types; `blockedBy` is listed in it. */
export const EVALUATION_ORDER: readonly PolicyType[] = [
  'rcp',
  'scp',
  'resource',
  'identity',
  'permissionBoundary',
  'session',
];

class Outcome implements EvaluationResult {
  constructor(
    readonly decision: Decision,
    readonly matched: StatementRef[],
    readonly blockedBy: PolicyType[],
    readonly missingContextKeys: string[],
    request: RequestInput,
    readonly serviceRule?: string,
  ) {
    this.#request = request;
  }

  readonly #request: RequestInput;

  /** Built on demand: most callers only read the decision. */
  get explanation(): string {
    return explain(this, this.#request);
  }

  toJSON(): EvaluationResult {
    return {
      decision: this.decision,
      explanation: this.explanation,
      matched: this.matched,
      blockedBy: this.blockedBy,
      missingContextKeys: this.missingContextKeys,
      ...(this.serviceRule === undefined ? {} : { serviceRule: this.serviceRule }),
    };
  }
}

/** One evaluation's request, as conditions see it. Methods, not closures: nothing is allocated per key. */
class State implements ContextSource {
  missingKeys: string[] | undefined;
  constructor(
    readonly request: RequestInput,
    readonly principal: PrincipalInfo,
    readonly resourceAccount: string | undefined,
    readonly all: boolean,
    /** The requester has a permissions boundary (see `applies` for why NotPrincipal cares). */
    readonly bounded: boolean,
  ) {
    this.sameAccount = principal.account !== undefined && resourceAccount === principal.account;
  }

  /** The resource is in the requester's own account (NotPrincipal needs no account entry then). */
  readonly sameAccount: boolean;

  get(lowerKey: string, keyAsWritten: string): string | readonly string[] | undefined {
    const found = lookupRequestKey(this.request.context, lowerKey, keyAsWritten);
    if (found !== undefined) return found;
    if (lowerKey === 'aws:resourceaccount') return this.resourceAccount;
    // The other derived keys depend on the principal only: remember them on its (cached) description.
    const cache = (this.principal.derived ??= new Map());
    let value = cache.get(lowerKey);
    if (value === undefined) {
      value = deriveContextKey(lowerKey, this.principal, undefined) ?? null;
      cache.set(lowerKey, value);
    }
    return value ?? undefined;
  }

  missing(keyAsWritten: string): void {
    if (this.missingKeys === undefined) {
      this.missingKeys = [keyAsWritten];
      return;
    }
    const lower = keyAsWritten.toLowerCase();
    for (const k of this.missingKeys) if (k.toLowerCase() === lower) return;
    this.missingKeys.push(keyAsWritten);
  }
}

function resourceMatches(statement: CompiledStatement, state: State): boolean {
  const resource = state.request.resource;
  let any = false;
  for (const pattern of statement.resources) {
    let matcher = pattern.matcher;
    if (matcher === undefined) {
      const text = resolveTemplate(pattern.template!, state, true);
      // A variable the request cannot resolve matches no resource; in NotResource it would match every one, so
      // the statement is invalid and does not apply (AWS: the attempt to match "causes the statement to be
      // invalid").
      if (text === undefined) {
        if (statement.notResource) return false;
        continue;
      }
      const cache = pattern.cache!;
      matcher = cache.get(text);
      if (matcher === undefined) {
        matcher = compileGlob(text, { arn: 'resource' });
        cache.set(text, matcher);
      }
    }
    if (matcher(resource)) {
      any = true;
      break;
    }
  }
  return any !== statement.notResource;
}

/** Whether the statement applies to the request, and how its Principal named the requester. */
function applies(statement: CompiledStatement, state: State): PrincipalMatch {
  if (statement.noPrincipal) return 'none';
  if (!statement.anyResource && !resourceMatches(statement, state)) return 'none';
  let match: PrincipalMatch = 'direct';
  if (statement.principal !== undefined) match = matchPrincipal(statement.principal, state.principal);
  else if (
    statement.notPrincipal !== undefined &&
    // AWS: a Deny with NotPrincipal "will always deny any IAM principal that has a permissions boundary
    // policy attached, regardless of the values specified in the NotPrincipal element".
    !(statement.effect === 'Deny' && state.bounded) &&
    !matchNotPrincipal(statement.notPrincipal, state.principal, statement.effect, state.sameAccount)
  ) {
    match = 'none';
  }
  if (match === 'none') return match;
  let ok = true;
  for (const condition of statement.conditions) {
    if (!testCondition(condition, state)) {
      ok = false;
      // Keep reading the rest only to report every missing key.
      if (!state.all) break;
    }
  }
  return ok ? match : 'none';
}

/** First (or, with `all`, every) applicable statement of a list; returns whether any applied. */
function collect(statements: CompiledStatement[], state: State, into: StatementRef[] | undefined): boolean {
  let found = false;
  for (const s of statements) {
    if (applies(s, state) !== 'none') {
      found = true;
      into?.push(s.ref);
      if (!state.all) break;
    }
  }
  return found;
}

export function evaluate(
  request: RequestInput,
  policies: CompiledPolicySet,
  options?: EvaluateOptions,
): EvaluationResult {
  const all = options?.allMatches === true;
  const plan = policies.plan(request.action);
  let resourcePolicyRequired = false;
  for (const rule of plan.serviceRules) {
    if (rule.kind === 'alwaysAllowed') return new Outcome('Allowed', [], [], [], request);
    if (rule.kind === 'protected') {
      if (rule.protects(request.resource)) {
        return new Outcome('ImplicitlyDenied', [], [], [], request, rule.reason);
      }
    } else if (rule.covers(request.resource)) {
      resourcePolicyRequired = true;
    }
  }
  const principal = policies.principal(request.principal);
  const isRoot = principal.kind === 'root';
  const isAnonymous = principal.kind === 'anonymous';
  const resourceAccount = request.resourceAccount ?? principal.account;
  const state = new State(
    request,
    principal,
    resourceAccount,
    all,
    !isRoot && policies.permissionBoundary !== undefined,
  );

  // 1. Explicit deny anywhere.
  // Without `allMatches`, one Deny per policy type is enough to say which types denied.
  let denied: StatementRef[] | undefined;
  let deniedTypes = 0;
  const scpsGovern = scpGoverns(principal.kind, principal.arn);
  const rcpsGovern = rcpGoverns(request.action);
  const skip =
    (isAnonymous ? NOT_FOR_ANONYMOUS_BITS : isRoot ? NOT_FOR_ROOT_BITS : 0) |
    (scpsGovern ? 0 : TYPE_BITS.scp) |
    (rcpsGovern ? 0 : TYPE_BITS.rcp);
  for (const s of plan.denies) {
    if ((s.typeBit & (all ? skip : skip | deniedTypes)) !== 0) continue;
    if (applies(s, state) !== 'none') {
      (denied ??= []).push(s.ref);
      deniedTypes |= s.typeBit;
    }
  }
  if (denied !== undefined) {
    const blockedBy: PolicyType[] = [];
    for (const t of EVALUATION_ORDER) if ((deniedTypes & TYPE_BITS[t]) !== 0) blockedBy.push(t);
    return new Outcome('ExplicitlyDenied', denied, blockedBy, state.missingKeys ?? [], request);
  }

  const matched: StatementRef[] = [];
  // 2. Organization guardrails: every level must allow.
  let rcpOk = true;
  if (rcpsGovern) for (const level of plan.rcpAllows) if (!collect(level, state, matched)) rcpOk = false;
  let scpOk = true;
  if (scpsGovern) for (const level of plan.scpAllows) if (!collect(level, state, matched)) scpOk = false;

  // 3. The resource-based policy, remembering how it named the requester.
  let resourceMatch: PrincipalMatch = 'none';
  let resourceRef: StatementRef | undefined;
  for (const s of plan.resourceAllows) {
    const m = applies(s, state);
    if (m === 'none') continue;
    if (all) matched.push(s.ref);
    if (strongerMatch(m, resourceMatch) === m && m !== resourceMatch) {
      resourceMatch = m;
      resourceRef = s.ref;
    }
    if (m === 'direct' && !all) break;
  }
  if (!all && resourceRef !== undefined) matched.push(resourceRef);

  // 4-5. Identity side, within boundary and session policy; the root user is exempt, an anonymous caller
  // has none.
  const exempt = isRoot || isAnonymous;
  const identityOk = isRoot || (!isAnonymous && collect(plan.identityAllows, state, matched));
  const boundaryOk =
    exempt || policies.permissionBoundary === undefined || collect(plan.boundaryAllows, state, matched);
  const sessionOk = exempt || policies.session === undefined || collect(plan.sessionAllows, state, matched);

  const crossAccount =
    principal.account !== undefined && resourceAccount !== undefined && resourceAccount !== principal.account;
  let allowed: boolean;
  const blocked: PolicyType[] = [];
  if (!rcpOk) blocked.push('rcp');
  if (!scpOk) blocked.push('scp');
  if (isAnonymous) {
    allowed = resourceMatch !== 'none';
    if (!allowed) blocked.push('resource');
  } else if (crossAccount) {
    allowed = identityOk && boundaryOk && sessionOk && resourceMatch !== 'none';
    if (resourceMatch === 'none') blocked.push('resource');
    if (!identityOk) blocked.push('identity');
  } else if (resourceMatch === 'none' && resourcePolicyRequired) {
    // A role's trust policy, a KMS key's key policy: identity-based policies alone never suffice.
    allowed = false;
    blocked.push('resource');
  } else if (resourceMatch === 'direct') {
    allowed = true;
  } else {
    // Same account: a grant to the account delegates to identity-based policies, so it adds nothing here.
    const viaRole = resourceMatch === 'role';
    allowed = (identityOk || viaRole) && boundaryOk && sessionOk;
    if (!identityOk && !viaRole) blocked.push('identity');
  }
  if (!allowed) {
    if (!boundaryOk) blocked.push('permissionBoundary');
    if (!sessionOk) blocked.push('session');
  }
  if (allowed && rcpOk && scpOk) {
    return new Outcome('Allowed', matched, [], state.missingKeys ?? [], request);
  }
  return new Outcome('ImplicitlyDenied', [], blocked, state.missingKeys ?? [], request);
}
