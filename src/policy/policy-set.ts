/**
 * The compiled policies of one principal (and resource), with a per-action plan: for each action asked
 * about, the statements that cover it, sorted by role (denies; allows per policy type and SCP/RCP level).
 * Plans are built on first use and kept (bounded), so evaluating an action again touches only the
 * statements that name it. The cache is internal and deterministic; a set never changes once built.
 */
import { statementsForAction, type CompiledPolicy, type CompiledStatement } from './compile.js';
import { parsePrincipal, type PrincipalInfo } from './principal.js';
import { serviceRulesFor, type ServiceRule } from './service-rules.js';
import { BoundedCache } from '../platform/bounded-cache.js';

export interface PolicySetParts {
  identity: CompiledPolicy[];
  resource?: CompiledPolicy;
  permissionBoundary?: CompiledPolicy;
  /**
   * The session policies of an STS session — its inline policy and the managed policies named by PolicyArns —
   * which together are one session policy: any of them may allow, a Deny in any denies. Absent: no session
   * policy applies; empty: one applies and allows nothing (a federated user given none).
   */
  session?: readonly CompiledPolicy[];
  /** One array per level of the organization (root, OUs…, account): every level must allow. */
  scps?: CompiledPolicy[][];
  rcps?: CompiledPolicy[][];
}

export interface ActionPlan {
  /** Deny statements covering the action, identity → resource → boundary → session → SCP → RCP. */
  denies: CompiledStatement[];
  identityAllows: CompiledStatement[];
  resourceAllows: CompiledStatement[];
  boundaryAllows: CompiledStatement[];
  sessionAllows: CompiledStatement[];
  scpAllows: CompiledStatement[][];
  rcpAllows: CompiledStatement[][];
  /** The rules AWS's services apply to this action above policies (service-rules.ts); usually none. */
  serviceRules: readonly ServiceRule[];
}

const PLAN_CACHE_LIMIT = 4096;

export class CompiledPolicySet {
  readonly identity: readonly CompiledPolicy[];
  readonly resource: CompiledPolicy | undefined;
  readonly permissionBoundary: CompiledPolicy | undefined;
  readonly session: readonly CompiledPolicy[] | undefined;
  readonly scps: readonly (readonly CompiledPolicy[])[] | undefined;
  readonly rcps: readonly (readonly CompiledPolicy[])[] | undefined;
  readonly #plans = new BoundedCache<string, ActionPlan>(PLAN_CACHE_LIMIT);
  #lastPrincipal: PrincipalInfo | undefined;

  constructor(parts: PolicySetParts) {
    this.identity = parts.identity;
    this.resource = parts.resource;
    this.permissionBoundary = parts.permissionBoundary;
    this.session = parts.session;
    this.scps = parts.scps;
    this.rcps = parts.rcps;
  }

  plan(action: string): ActionPlan {
    let plan = this.#plans.get(action);
    if (plan === undefined) {
      plan = this.#buildPlan(action);
      this.#plans.set(action, plan);
    }
    return plan;
  }

  principal(arn: string): PrincipalInfo {
    if (this.#lastPrincipal?.arn !== arn) this.#lastPrincipal = parsePrincipal(arn);
    return this.#lastPrincipal;
  }

  #buildPlan(action: string): ActionPlan {
    const denies: CompiledStatement[] = [];
    const allowsOf = (policies: readonly CompiledPolicy[]): CompiledStatement[] => {
      const allows: CompiledStatement[] = [];
      for (const policy of policies) {
        for (const s of statementsForAction(policy, action)) (s.effect === 'Deny' ? denies : allows).push(s);
      }
      return allows;
    };
    const optional = (p: CompiledPolicy | undefined): CompiledPolicy[] => (p === undefined ? [] : [p]);
    const identityAllows = allowsOf(this.identity);
    const resourceAllows = allowsOf(optional(this.resource));
    const boundaryAllows = allowsOf(optional(this.permissionBoundary));
    const sessionAllows = allowsOf(this.session ?? []);
    const scpAllows = (this.scps ?? []).map(allowsOf);
    const rcpAllows = (this.rcps ?? []).map(allowsOf);
    return {
      denies,
      identityAllows,
      resourceAllows,
      boundaryAllows,
      sessionAllows,
      scpAllows,
      rcpAllows,
      serviceRules: serviceRulesFor(action),
    };
  }
}

export function createPolicySet(parts: PolicySetParts): CompiledPolicySet {
  return new CompiledPolicySet(parts);
}
