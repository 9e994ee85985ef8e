/**
 * The access contract between invoke() and what it asks: the Authority (principal resolution plus the policy
 * engine), the plan of questions one call must have allowed, and the account-level rules that may rewrite or
 * refuse that plan (the Billing console's page gates). Areas implement rules against these types without
 * depending on invoke() itself.
 */
import type { Decision, EvaluationResult, RequestInput } from '../policy/types.js';
import type { AccessRequest, AnyOperation, Caller, RequestFacts } from './operation.js';

/** Request facts as the API adapters know them; the console's facts lack the optional members. */
export interface EdgeFacts extends RequestFacts {
  /** The region in the SigV4 credential scope (aws:RequestedRegion). */
  region?: string;
  /** Whether the request came over TLS (aws:SecureTransport). */
  secureTransport?: boolean;
}

/** Who decides: principal resolution plus the policy engine, behind one call. */
export interface Authority {
  /** With `withResourcePolicy`, the resource's own policy (found by its ARN) joins the caller's. */
  evaluate(
    caller: Caller,
    request: RequestInput,
    options?: { withResourcePolicy?: boolean },
  ): Promise<EvaluationResult>;
  /** The calling user's or role's tags, for `aws:PrincipalTag/…`. */
  principalTags?(caller: Caller): Promise<Record<string, string>>;
}

/** An account-level rule's refusal: what the caller is told, and how it is recorded. */
export interface RuleDenial {
  message: string;
  decision: Exclude<Decision, 'Allowed'>;
  code?: string;
}

/**
 * What one call must be allowed: the questions put to the engine (every one is asked), how a refusal is
 * worded, or an account rule's refusal before any policy is asked.
 */
export interface AccessPlan {
  requests: AccessRequest[];
  /** Words the refusal from the requests the engine did not allow; by default AWS's API wording of the first. */
  refusal?: (denied: readonly AccessRequest[]) => string;
  /** Set when an account rule refuses the call whatever the policies say (the account's IAM-access switch). */
  refusedByRule?: RuleDenial;
}

/**
 * Account-level rules that sit beside IAM policies and run before them, for every call that needs a
 * permission: each receives the plan so far (first, the operation's declared requests) and returns the
 * plan to follow — unchanged, with other questions in its place (the Billing console's page gates ask for
 * the page's actions in the account's action set), or refused (the account's IAM-access switch).
 */
export type AccountRule = (call: {
  caller: Caller;
  facts: RequestFacts;
  operation: AnyOperation;
  plan: AccessPlan;
}) => Promise<AccessPlan>;

/** The engine's answers to a call's questions, one per request, in order. */
export type Evaluator = (
  caller: Caller,
  facts: EdgeFacts,
  requests: readonly AccessRequest[],
) => Promise<EvaluationResult[]>;
